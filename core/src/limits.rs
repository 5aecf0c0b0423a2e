//! Documented input limits. Going over one is the error `limit_exceeded`
//! naming the limit, never a crash or a silent truncation. They are set so
//! that the largest real estates (100,000 units and more) fit with room.

/// Units in one register.
pub const MAX_UNITS: usize = 1_000_000;
/// Ballots given to one tally.
pub const MAX_BALLOTS: usize = 5_000_000;
/// Units in all the registers of one batch (a city's estates).
pub const MAX_BATCH_UNITS: usize = 5_000_000;
/// Bytes of one CSV text (a register or a ballot file; 100,000 units take
/// about 4 MB), and of any file a surface reads (see [`crate::wire::check_file_len`]).
pub const MAX_CSV_BYTES: usize = 2_147_483_648;
/// Bytes in an id (unit, owner, building, authorization reference).
pub const MAX_ID_BYTES: usize = 256;
/// Digits before the decimal point of one unit's area (up to 999,999,999 m²).
pub const MAX_AREA_INTEGER_DIGITS: usize = 9;
/// Decimal places of an area as given (registry areas have at most 4).
pub const MAX_AREA_SCALE: u32 = 4;
/// Entries in a scope list.
pub const MAX_SCOPE_ENTRIES: usize = MAX_UNITS;
/// Versions in one rulebook.
pub const MAX_RULEBOOK_VERSIONS: usize = 64;
/// Layers in a rulebook chain (`extends`).
pub const MAX_RULEBOOK_DEPTH: usize = 8;
/// Largest denominator of a threshold ratio.
pub const MAX_RATIO_DENOMINATOR: u32 = 1_000_000;
