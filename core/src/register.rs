//! The estate's register: units (专有部分), their areas, owners and statuses,
//! validated once and indexed for tallies; [`Scope`] selects the units a
//! decision concerns.
//!
//! Counting follows 区分所有权解释 Arts. 8–9: area is the sum of the units'
//! areas; one unit counts as one owner, one buyer of several units counts
//! once, and all units the developer has not sold or not delivered count
//! together as one owner.

use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::keyed::{half, word, Key, SHORT_MAX, SHORT_MIN};
use crate::limits::{MAX_ID_BYTES, MAX_SCOPE_ENTRIES, MAX_UNITS};
use crate::quantity::{Area, AreaError, DecimalCell, DecimalText};

/// Who holds a unit, for headcount (区分所有权解释 Art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Sold and delivered: counted under its owner.
    #[default]
    Owned,
    /// Not yet sold by the developer (建设单位尚未出售).
    DeveloperUnsold,
    /// Sold but not yet delivered (虽已出售但尚未交付).
    Undelivered,
}

impl UnitStatus {
    /// Whether the unit counts with the developer's single headcount.
    pub const fn counts_with_developer(self) -> bool {
        !matches!(self, UnitStatus::Owned)
    }

    /// The wire name: `owned`, `developer_unsold` or `undelivered`.
    pub const fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Owned => "owned",
            UnitStatus::DeveloperUnsold => "developer_unsold",
            UnitStatus::Undelivered => "undelivered",
        }
    }

    /// A status cell of a table (empty: `owned`); anything else is
    /// `invalid_input` at the path `at` gives.
    pub(crate) fn from_cell(cell: Option<&str>, at: impl FnOnce() -> String) -> Result<UnitStatus> {
        match cell {
            None | Some("owned") => Ok(UnitStatus::Owned),
            Some("developer_unsold") => Ok(UnitStatus::DeveloperUnsold),
            Some("undelivered") => Ok(UnitStatus::Undelivered),
            Some(other) => Err(Error::invalid_input(
                at(),
                format!("{other:?} is not owned, developer_unsold or undelivered"),
            )),
        }
    }
}

/// The fields of a [`UnitRecord`] in order: the names of a register
/// table's columns (CSV, columns, JSON records).
pub(crate) const UNIT_FIELDS: [&str; 5] = ["id", "building", "area", "owner", "status"];

/// One row of a register as given (wire shape). Validated into a [`Register`].
#[derive(Debug, Clone, PartialEq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct UnitRecord {
    /// Unit id, unique in the register (e.g. `3-101`).
    pub id: String,
    /// Building id, used by building scopes.
    #[json(default, skip_if = "Option::is_none")]
    pub building: Option<String>,
    /// Area in m² as a decimal string (at most 4 decimals).
    pub area: DecimalText,
    /// Owner key; units with the same key belong to one owner. Defaults to the unit id.
    #[json(default, skip_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Status; defaults to `owned`.
    #[json(default)]
    pub status: UnitStatus,
}

/// One unit's fields on their way into a [`Register`], borrowed from a
/// record or a row of columns; the area already parsed (or the reason it
/// could not be, with the value as given).
pub(crate) struct UnitRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) building: Option<&'a str>,
    pub(crate) area: std::result::Result<Area, (AreaError, String)>,
    pub(crate) owner: Option<&'a str>,
    pub(crate) status: UnitStatus,
}

impl<'a> UnitRow<'a> {
    /// The row of a record.
    fn of(r: &'a UnitRecord) -> UnitRow<'a> {
        UnitRow {
            id: &r.id,
            building: r.building.as_deref(),
            area: r.area.to_area().map_err(|e| (e, r.area.as_given())),
            owner: r.owner.as_deref(),
            status: r.status,
        }
    }

    /// The row of a table's cells (columns, CSV or JSON read in place), its
    /// area read by [`area_of_cell`] or [`area_of_text`].
    pub(crate) fn of_cells(
        id: &'a str,
        building: Option<&'a str>,
        area: std::result::Result<Area, (AreaError, String)>,
        owner: Option<&'a str>,
        status: UnitStatus,
    ) -> UnitRow<'a> {
        UnitRow {
            id,
            building,
            area,
            owner,
            status,
        }
    }
}

/// The area of a cell, or why not with the cell as given.
pub(crate) fn area_of_cell(cell: DecimalCell<'_>) -> std::result::Result<Area, (AreaError, String)> {
    cell.to_area().map_err(|e| (e, cell.as_given()))
}

/// The area of a cell of text, or why not with the text. (A table read in
/// place has no float cells: this path formats no float.)
pub(crate) fn area_of_text(text: &str) -> std::result::Result<Area, (AreaError, String)> {
    text.parse().map_err(|e| (e, text.to_owned()))
}

/// A unit's id as an outcome names it (the unit of a rejected or superseded
/// ballot): an id of up to 24 bytes, as nearly every id is, is kept inline,
/// so naming the units of thousands of ballots allocates nothing. It reads
/// as a `&str` (`Deref`), compares with strings, and is a JSON string.
///
/// ```
/// use yeweihui::register::UnitId;
/// let id = UnitId::from("3栋2单元1201");
/// assert_eq!(id, "3栋2单元1201");
/// assert_eq!(id.len(), 15);
/// assert_eq!(UnitId::from("x".repeat(40)).as_str(), "x".repeat(40));
/// ```
#[derive(Clone)]
pub struct UnitId(IdText);

/// An id's text: inline up to [`INLINE_ID_BYTES`], else on the heap.
#[derive(Clone)]
enum IdText {
    Inline(arrayvec::ArrayString<INLINE_ID_BYTES>),
    Heap(Box<str>),
}

/// The longest id a [`UnitId`] keeps inline (its size stays 32 bytes).
const INLINE_ID_BYTES: usize = 24;

impl UnitId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            IdText::Inline(s) => s,
            IdText::Heap(s) => s,
        }
    }
}

impl From<&str> for UnitId {
    fn from(id: &str) -> UnitId {
        UnitId(match arrayvec::ArrayString::from(id) {
            Ok(inline) => IdText::Inline(inline),
            Err(_) => IdText::Heap(id.into()),
        })
    }
}

impl From<String> for UnitId {
    fn from(id: String) -> UnitId {
        match arrayvec::ArrayString::from(&id) {
            Ok(inline) => UnitId(IdText::Inline(inline)),
            Err(_) => UnitId(IdText::Heap(id.into_boxed_str())),
        }
    }
}

impl std::ops::Deref for UnitId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for UnitId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for UnitId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for UnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for UnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for UnitId {
    fn eq(&self, other: &UnitId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for UnitId {}

impl PartialOrd for UnitId {
    fn partial_cmp(&self, other: &UnitId) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for UnitId {
    fn cmp(&self, other: &UnitId) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for UnitId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for UnitId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for UnitId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for UnitId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<UnitId> for str {
    fn eq(&self, other: &UnitId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<UnitId> for &str {
    fn eq(&self, other: &UnitId) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<UnitId> for String {
    fn eq(&self, other: &UnitId) -> bool {
        self == other.as_str()
    }
}

impl ToJson for UnitId {
    fn to_json(&self, out: &mut crate::json::Writer) {
        out.string(self.as_str());
    }
}

impl FromJson for UnitId {
    fn from_json(value: crate::json::Value<'_>) -> std::result::Result<UnitId, crate::json::Error> {
        value.str().map(|id| UnitId::from(&*id))
    }
}

/// A validated unit of a [`Register`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit<'a> {
    /// Unit id.
    pub id: &'a str,
    /// Building id, if any.
    pub building: Option<&'a str>,
    /// Area.
    pub area: Area,
    /// Status.
    pub status: UnitStatus,
    /// The unit's headcount slot: see [`Register::owner`].
    pub owner: u32,
}

/// One headcount slot: a person (or the developer) counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKey<'a> {
    /// An owner named in the register.
    Named(&'a str),
    /// A unit with no owner named (its id): its own owner.
    UnitItself(&'a str),
    /// The developer, holding every unsold or undelivered unit.
    Developer,
}

impl OwnerKey<'_> {
    /// A printable label (`p3`, `unit 3-101`, `developer`).
    pub fn label(&self) -> String {
        match self {
            OwnerKey::Named(s) => (*s).to_owned(),
            OwnerKey::UnitItself(u) => format!("unit {u}"),
            OwnerKey::Developer => "developer".to_owned(),
        }
    }
}

/// A headcount slot as the register keeps it.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// Number of the owner's name in `Register::owner_names`.
    Named(u32),
    /// Position of the unit that is its own owner.
    UnitItself(u32),
    Developer,
}

/// Building of a unit that has none.
const NO_BUILDING: u32 = u32::MAX;

/// The validated, indexed register of an estate.
///
/// It keeps each field of the units as a column (ids and names end to end
/// in one string each, with hash tables over them), so building one takes
/// no allocation per unit and a tally reads only the columns it needs.
///
/// ```
/// use yeweihui::register::{OwnerKey, Register};
/// let reg = Register::from_json(r#"[
///   {"id": "1-101", "area": "90", "owner": "a"},
///   {"id": "1-102", "area": "90", "owner": "a"},
///   {"id": "1-201", "area": "120", "status": "developer_unsold"}
/// ]"#)?;
/// assert_eq!(reg.len(), 3);
/// assert_eq!(reg.owner_count(), 2); // "a" once, the developer once
/// let unit = reg.unit(reg.position("1-102").unwrap()).unwrap();
/// assert_eq!(reg.owner(unit.owner), Some(OwnerKey::Named("a")));
/// # Ok::<(), yeweihui::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Register {
    /// Unit ids, with unit positions by id.
    ids: TextSet,
    /// Each unit's area, headcount slot, status and building.
    area_of: Vec<Area>,
    owner_of: Vec<u32>,
    status_of: Vec<UnitStatus>,
    building_of: Vec<u32>,
    /// The distinct building ids.
    buildings: TextSet,
    /// The headcount slots; named ones point into `owner_names`.
    slots: Vec<Slot>,
    owner_names: TextSet,
    total_area: Area,
    /// The units that share their headcount slot with another unit, with
    /// that slot's number among such slots (see [`Register::shared_units`]).
    shared: Vec<(u32, u32)>,
    shared_slots: usize,
}

impl Register {
    /// Validates and indexes unit records. Errors name the row: an id that
    /// is empty or repeated, a bad area, an over-long string.
    pub fn new(records: &[UnitRecord]) -> Result<Register> {
        Register::build(records.len(), records.iter().map(|r| Ok(UnitRow::of(r))))
    }

    /// Validates and indexes units given as rows (their area parsed, or why
    /// not); `len` is how many there are (checked against [`MAX_UNITS`],
    /// which bounds the numbers its text sets give).
    pub(crate) fn build<'a>(len: usize, rows: impl Iterator<Item = Result<UnitRow<'a>>>) -> Result<Register> {
        if len > MAX_UNITS {
            return Err(Error::limit("register.units", MAX_UNITS, len));
        }
        let mut reg = Register {
            ids: TextSet::with_capacity(len),
            area_of: Vec::with_capacity(len),
            owner_of: Vec::with_capacity(len),
            status_of: Vec::with_capacity(len),
            building_of: Vec::with_capacity(len),
            buildings: TextSet::with_capacity(0),
            slots: Vec::with_capacity(len),
            owner_names: TextSet::with_capacity(len),
            total_area: Area::ZERO,
            shared: Vec::new(),
            shared_slots: 0,
        };
        // the slot of each owner name, by the name's number
        let mut named_slot: Vec<u32> = Vec::with_capacity(len);
        let mut developer_slot: Option<u32> = None;
        // units come building by building: the last one's number, looked up once
        let mut last_building: Option<(&str, u32)> = None;
        for (row, rec) in rows.enumerate() {
            let rec = rec?;
            if !(id_is_valid(rec.id) && rec.building.is_none_or(id_is_valid) && rec.owner.is_none_or(id_is_valid)) {
                return Err(invalid_ids(row, &rec));
            }
            let area = rec.area.map_err(|(e, given)| Error::InvalidArea {
                record: format!("unit {:?} (register.units[{row}])", rec.id),
                value: given,
                reason: e.to_string(),
            })?;
            let (position, repeated) = reg.ids.insert(rec.id);
            if repeated {
                return Err(Error::DuplicateUnit {
                    unit: rec.id.to_owned(),
                    first: position as usize,
                    second: row,
                });
            }
            reg.total_area += area;
            let owner = if rec.status.counts_with_developer() {
                *developer_slot.get_or_insert_with(|| push_slot(&mut reg.slots, Slot::Developer))
            } else if let Some(name) = rec.owner {
                let (number, known) = reg.owner_names.insert(name);
                match known {
                    true => named_slot[number as usize],
                    false => {
                        let slot = push_slot(&mut reg.slots, Slot::Named(number));
                        named_slot.push(slot);
                        slot
                    }
                }
            } else {
                push_slot(&mut reg.slots, Slot::UnitItself(position))
            };
            reg.area_of.push(area);
            reg.owner_of.push(owner);
            reg.status_of.push(rec.status);
            let building = match (rec.building, last_building) {
                (None, _) => NO_BUILDING,
                (Some(b), Some((last, number))) if b == last => number,
                (Some(b), _) => {
                    let number = reg.buildings.insert(b).0;
                    last_building = Some((b, number));
                    number
                }
            };
            reg.building_of.push(building);
        }
        (reg.shared, reg.shared_slots) = shared_units(&reg.owner_of, reg.slots.len());
        Ok(reg)
    }

    /// Parses a JSON array of unit records (or `{"units": [...]}`) and validates it.
    pub fn from_json(json: &str) -> Result<Register> {
        let records: RegisterRecords = crate::wire::parse_json(json, "register")?;
        Register::new(records.units())
    }

    /// How many units.
    pub fn len(&self) -> usize {
        self.area_of.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.area_of.is_empty()
    }

    /// The unit at this position (register order).
    pub fn unit(&self, position: usize) -> Option<Unit<'_>> {
        (position < self.len()).then(|| self.unit_at(position))
    }

    /// The units, in register order.
    pub fn units(&self) -> impl ExactSizeIterator<Item = Unit<'_>> + '_ {
        (0..self.len()).map(|p| self.unit_at(p))
    }

    /// The unit at a position below `len()`.
    fn unit_at(&self, position: usize) -> Unit<'_> {
        let building = self.building_of[position];
        Unit {
            id: self.ids.get(position as u32),
            building: (building != NO_BUILDING).then(|| self.buildings.get(building)),
            area: self.area_of[position],
            status: self.status_of[position],
            owner: self.owner_of[position],
        }
    }

    /// The id of the unit at this position.
    pub(crate) fn id(&self, position: usize) -> &str {
        self.ids.get(position as u32)
    }

    /// Each unit's owner slot, in register order.
    pub(crate) fn owner_of(&self) -> &[u32] {
        &self.owner_of
    }

    /// The units whose headcount slot holds other units too (a buyer of
    /// several units, the developer), in register order, each with its
    /// slot's number among such slots (`0..shared_slots`): a tally joins
    /// the choices of these units' owners, and each other unit's owner has
    /// its unit's choice.
    pub(crate) fn shared_units(&self) -> (&[(u32, u32)], usize) {
        (&self.shared, self.shared_slots)
    }

    /// Each unit's area, in register order.
    pub(crate) fn area_of(&self) -> &[Area] {
        &self.area_of
    }

    /// How many headcount slots (owners, counted per 区分所有权解释 Art. 9).
    pub fn owner_count(&self) -> usize {
        self.slots.len()
    }

    /// Who holds a headcount slot ([`Unit::owner`]).
    pub fn owner(&self, slot: u32) -> Option<OwnerKey<'_>> {
        Some(match *self.slots.get(slot as usize)? {
            Slot::Named(name) => OwnerKey::Named(self.owner_names.get(name)),
            Slot::UnitItself(position) => OwnerKey::UnitItself(self.ids.get(position)),
            Slot::Developer => OwnerKey::Developer,
        })
    }

    /// The position of a unit by id.
    #[inline]
    pub fn position(&self, unit_id: &str) -> Option<usize> {
        self.ids.find(unit_id).map(|u| u as usize)
    }

    /// The position of a unit by id if it is one of the few from position
    /// `next` on (see [`NEAR`]), without a lookup in the register's table:
    /// ballots often come in the register's order, a unit without a ballot
    /// skipped here and there. `None` if it is not one of those.
    #[inline]
    pub(crate) fn position_near(&self, unit_id: &str, next: usize) -> Option<usize> {
        self.ids.find_near(unit_id.as_bytes(), next).map(|u| u as usize)
    }

    /// Sum of all units' areas.
    pub fn total_area(&self) -> Area {
        self.total_area
    }

    /// Resolves a scope into the set of units it covers, with its totals.
    /// A scope naming an unknown building or unit is `unknown_scope`; one
    /// covering no unit is `empty_scope`.
    pub fn resolve(&self, scope: &Scope) -> Result<ScopeSet> {
        let empty = || Error::EmptyScope(format!("{scope} covers no unit of the register"));
        if *scope == Scope::Estate {
            // every unit, every headcount slot once: the register's own totals
            if self.is_empty() {
                return Err(empty());
            }
            return Ok(ScopeSet {
                members: None,
                totals: Counts {
                    units: self.len() as u64,
                    owners: self.slots.len() as u64,
                    area: self.total_area,
                },
            });
        }
        let mut members = vec![false; self.len()];
        match scope {
            Scope::Estate => {}
            Scope::Buildings(buildings) => {
                check_scope_len(buildings.len())?;
                let mut wanted = vec![false; self.buildings.len()];
                for b in buildings {
                    let number = self.buildings.find(b).ok_or_else(|| Error::UnknownScope {
                        kind: "building",
                        id: b.clone(),
                    })?;
                    wanted[number as usize] = true;
                }
                for (member, &b) in members.iter_mut().zip(&self.building_of) {
                    *member = wanted.get(b as usize).copied().unwrap_or(false);
                }
            }
            Scope::Units(ids) => {
                check_scope_len(ids.len())?;
                for id in ids {
                    let i = self.position(id).ok_or_else(|| Error::UnknownScope {
                        kind: "unit",
                        id: id.clone(),
                    })?;
                    members[i] = true;
                }
            }
        }
        let mut owner_seen = vec![false; self.slots.len()];
        let mut totals = Counts::default();
        for ((&area, &owner), _) in self
            .area_of
            .iter()
            .zip(&self.owner_of)
            .zip(&members)
            .filter(|(_, m)| **m)
        {
            totals.units += 1;
            totals.area += area;
            let seen = &mut owner_seen[owner as usize];
            if !*seen {
                *seen = true;
                totals.owners += 1;
            }
        }
        if totals.units == 0 {
            return Err(empty());
        }
        Ok(ScopeSet {
            members: Some(members),
            totals,
        })
    }
}

/// [`Register::shared_units`] of units with these headcount slots (`slots` of them).
fn shared_units(owner_of: &[u32], slots: usize) -> (Vec<(u32, u32)>, usize) {
    // a slot's state: 0 or 1 unit so far, then shared (2), then numbered (3 + its number)
    const SHARED: u32 = 2;
    let mut state = vec![0u32; slots];
    for &slot in owner_of {
        let s = &mut state[slot as usize];
        *s = (*s + 1).min(SHARED);
    }
    let mut shared = Vec::new();
    let mut numbered = 0;
    for (u, &slot) in (0u32..).zip(owner_of) {
        let s = &mut state[slot as usize];
        if *s == SHARED {
            *s = SHARED + 1 + numbered;
            numbered += 1;
        }
        if *s > SHARED {
            shared.push((u, *s - SHARED - 1));
        }
    }
    (shared, numbered as usize)
}

/// Adds a headcount slot; its number.
fn push_slot(slots: &mut Vec<Slot>, slot: Slot) -> u32 {
    slots.push(slot);
    slots.len() as u32 - 1
}

fn check_scope_len(len: usize) -> Result<()> {
    if len > MAX_SCOPE_ENTRIES {
        return Err(Error::limit("scope entries", MAX_SCOPE_ENTRIES, len));
    }
    Ok(())
}

/// Distinct texts (unit ids, building ids, owner names) numbered in the
/// order first added, end to end in one string with a hash table of their
/// numbers: one allocation for all of them, and lookups that compare
/// against bytes which stay in cache.
#[derive(Debug, Clone)]
struct TextSet {
    text: String,
    /// Where each text starts in `text`, then where the last one ends: text
    /// `u` is `bounds[u]..bounds[u + 1]`.
    bounds: Vec<u32>,
    /// An open-addressing table (a power of two long, at most half full,
    /// probed slot after slot from a text's place): each slot is empty (0),
    /// or the top bits of a text's hash (its tag) above its number plus one
    /// ([`NUMBER_BITS`] of them), so that a probe compares the text itself
    /// only when the tags agree. Four bytes a slot, not eight, keep more of
    /// a large register's table in the cache (256 KiB at 20,000 units).
    slots: Vec<u32>,
    /// The key of its texts' hashes, its own (see [`Key`]).
    key: Key,
}

impl TextSet {
    fn with_capacity(texts: usize) -> TextSet {
        let mut bounds = Vec::with_capacity(texts + 1);
        bounds.push(0);
        TextSet {
            text: String::with_capacity(texts * 8),
            bounds,
            slots: vec![0; slots_for(texts)],
            key: Key::random(),
        }
    }

    fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// The number of this text.
    #[inline(always)]
    fn find(&self, text: &str) -> Option<u32> {
        match self.probe(text) {
            Probe::Found(u) => Some(u),
            Probe::Empty { .. } => None,
        }
    }

    /// The number of `b` if it is a short text and one of the [`NEAR`]
    /// texts from number `next` on: those compares read bytes next to the
    /// last text found, where the table's lookup is a hash and a slot
    /// anywhere in it, then the text that slot names.
    #[inline(always)]
    fn find_near(&self, b: &[u8], next: usize) -> Option<u32> {
        if (SHORT_MIN..=SHORT_MAX).contains(&b.len()) {
            for u in next..next + NEAR {
                // `u` is at most MAX_UNITS + NEAR
                if self
                    .text
                    .as_bytes()
                    .get(span(&self.bounds, u as u32))
                    .is_some_and(|held| same_short(held, b))
                {
                    return Some(u as u32);
                }
            }
        }
        None
    }

    /// Adds a text unless it is there; its number, and whether it was.
    fn insert(&mut self, text: &str) -> (u32, bool) {
        // `slots_for(self.len() + 1) > self.slots.len()`, the table being a
        // power of two of at least 16 slots: with no rounding on each insert
        if (self.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        match self.probe(text) {
            Probe::Found(u) => (u, true),
            Probe::Empty { at, hash } => {
                let number = self.len() as u32;
                if let Some(slot) = self.slots.get_mut(at) {
                    *slot = slot_of(hash, number);
                }
                self.text.push_str(text);
                self.bounds.push(self.text.len() as u32); // within u32: asserted below
                (number, false)
            }
        }
    }

    /// Where `text` is in the table, or the empty slot where it would go.
    #[inline(always)]
    fn probe(&self, text: &str) -> Probe {
        let b = text.as_bytes();
        match b.len() {
            SHORT_MIN..=SHORT_MAX => self.probe_by(self.key.hash_short(b), |held| same_short(held, b)),
            _ => self.probe_other(b),
        }
    }

    /// [`TextSet::probe`] for a text of other lengths, out of line: the
    /// probe of a short text then makes no call, and saves no registers.
    #[inline(never)]
    fn probe_other(&self, b: &[u8]) -> Probe {
        self.probe_by(self.key.hash_other(b), |held| held == b)
    }

    /// Probes from the place of `hash` for the text that is `same` as the
    /// one looked for (given a text of its length).
    #[inline(always)]
    fn probe_by(&self, hash: u64, same: impl Fn(&[u8]) -> bool) -> Probe {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        // the table is never full (`slots_for`), so an empty slot ends the probe
        while let Some(&slot) = self.slots.get(at) {
            if slot == 0 {
                break;
            }
            let number = (slot & NUMBER_MASK).wrapping_sub(1);
            if slot >> NUMBER_BITS == tag_of(hash)
                && self.text.as_bytes().get(span(&self.bounds, number)).is_some_and(&same)
            {
                return Probe::Found(number);
            }
            at = (at + 1) & mask;
        }
        Probe::Empty { at, hash }
    }

    /// Doubles the table, placing each text anew.
    #[cold]
    fn grow(&mut self) {
        let mut slots = vec![0; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for u in 0..self.len() as u32 {
            let hash = self.key.hash(self.get(u).as_bytes());
            let mut at = hash as usize & mask;
            while slots.get(at).is_some_and(|&s| s != 0) {
                at = (at + 1) & mask;
            }
            if let Some(slot) = slots.get_mut(at) {
                *slot = slot_of(hash, u);
            }
        }
        self.slots = slots;
    }

    /// Text number `u`.
    fn get(&self, u: u32) -> &str {
        self.text.get(span(&self.bounds, u)).unwrap_or_default()
    }
}

/// What [`TextSet::probe`] finds: a text's number, or the empty slot
/// where it would go (and the text's hash).
enum Probe {
    Found(u32),
    Empty { at: usize, hash: u64 },
}

/// How many texts from the one after the last found
/// [`Register::position_near`] compares before the table is looked in: with
/// a quarter of the units not voting, the next ballot's unit is within four
/// places 99 times in 100 when ballots come in the register's order.
pub(crate) const NEAR: usize = 4;

/// The bits of a [`TextSet`] slot that hold a text's number plus one: room
/// for every text of a register.
const NUMBER_BITS: u32 = 20;
/// A slot's [`NUMBER_BITS`], set: its number plus one, masked out.
const NUMBER_MASK: u32 = (1 << NUMBER_BITS) - 1;
const _: () = assert!(MAX_UNITS < NUMBER_MASK as usize);

/// The tag of a hash in a [`TextSet`] slot: its top bits, which a slot
/// holds above a number (the low bits choose the slot).
fn tag_of(hash: u64) -> u32 {
    (hash >> (64 - (32 - NUMBER_BITS))) as u32
}

/// The slot of text number `u` (below [`MAX_UNITS`]) with this hash.
fn slot_of(hash: u64, u: u32) -> u32 {
    tag_of(hash) << NUMBER_BITS | (u + 1)
}

/// How many slots a [`TextSet`] of `texts` texts has: a power of two, at
/// least twice as many (so that a probe meets an empty slot within a few).
fn slots_for(texts: usize) -> usize {
    (texts * 2).next_power_of_two().max(16)
}

/// At most MAX_UNITS texts of at most MAX_ID_BYTES each (ids, buildings and
/// owner names are all checked against it): their length fits a `u32`.
const _: () = assert!(MAX_UNITS * MAX_ID_BYTES <= u32::MAX as usize);

/// Whether `a` is `b`, a text of [`SHORT_MIN`] to [`SHORT_MAX`] bytes:
/// compared in two overlapping words (or halves), without a call.
#[inline(always)]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    let n = b.len();
    a.len() == n
        && if n >= 8 {
            word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8)
        } else {
            half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
        }
}

/// Where text number `u` of a [`TextSet`] is in its string (nowhere when
/// there is no such text).
#[inline(always)]
fn span(bounds: &[u32], u: u32) -> std::ops::Range<usize> {
    let u = u as usize;
    match bounds.get(u..u.saturating_add(2)) {
        Some(&[start, end]) => start as usize..end as usize,
        _ => 0..0,
    }
}

/// The error of a row whose id, building or owner is empty or too long
/// (the field's path is formatted only then).
#[cold]
fn invalid_ids(row: usize, rec: &UnitRow<'_>) -> Error {
    let fields = [("id", Some(rec.id)), ("building", rec.building), ("owner", rec.owner)];
    fields
        .into_iter()
        .find_map(|(field, id)| check_id(&format!("register.units[{row}].{field}"), id?).err())
        .unwrap_or_else(|| Error::invalid_input(format!("register.units[{row}]"), "invalid ids"))
}

fn id_is_valid(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_BYTES
}

pub(crate) fn check_id(path: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input(path, "must not be empty"));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::limit(path, MAX_ID_BYTES, id.len()));
    }
    Ok(())
}

/// The register in the wire: either a bare array of units or `{"units": [...]}`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegisterRecords(pub(crate) Vec<UnitRecord>);

impl RegisterRecords {
    pub(crate) fn units(&self) -> &[UnitRecord] {
        &self.0
    }
}

/// Read from a list of units or `{"units": [...]}`.
impl FromJson for RegisterRecords {
    fn from_json(value: crate::json::Value<'_>) -> std::result::Result<RegisterRecords, crate::json::Error> {
        if value.elements().is_ok() {
            return Vec::from_json(value).map(RegisterRecords);
        }
        if value.members().is_err() {
            return Err(value.invalid_type(r#"a list of units or {"units": [...]}"#));
        }
        let mut slots = [None];
        value.fields(&["units"], true, &mut slots)?.get(0).map(RegisterRecords)
    }
}

/// Which units a decision concerns (e.g. one building's lift repair).
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// The whole estate.
    #[default]
    Estate,
    /// The units of these buildings.
    Buildings(Vec<String>),
    /// These units.
    Units(Vec<String>),
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Estate => f.write_str("the whole estate"),
            Scope::Buildings(b) => write!(f, "buildings {}", b.join(", ")),
            Scope::Units(u) => write!(f, "{} listed units", u.len()),
        }
    }
}

/// Units, owners (headcount) and area of some set of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
pub struct Counts {
    /// Number of units.
    pub units: u64,
    /// Number of owners (headcount per 区分所有权解释 Art. 9).
    pub owners: u64,
    /// Total area.
    pub area: Area,
}

/// A resolved scope: which units are in it, and its totals.
#[derive(Debug, Clone)]
pub struct ScopeSet {
    /// Which units are in scope; `None`: all of them.
    members: Option<Vec<bool>>,
    totals: Counts,
}

impl ScopeSet {
    /// Whether the unit at this register position is in scope.
    pub fn contains(&self, position: usize) -> bool {
        match &self.members {
            Some(members) => members.get(position).copied().unwrap_or(false),
            None => position < self.totals.units as usize,
        }
    }

    /// The scope's totals: the bases of participation.
    pub fn totals(&self) -> Counts {
        self.totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_table_columns_are_the_records_fields_in_order() {
        let record = UnitRecord {
            id: "1-101".into(),
            building: Some("1".into()),
            area: crate::quantity::DecimalText::Text("88.5".into()),
            owner: Some("o".into()),
            status: UnitStatus::Owned,
        };
        let json = crate::json::to_string(&record);
        let places = crate::ballot::tests::key_places(&json, &UNIT_FIELDS);
        assert!(places.iter().all(Option::is_some) && places.is_sorted(), "{json}");
        assert_eq!(json.matches("\":").count(), UNIT_FIELDS.len(), "{json}");
    }

    #[test]
    fn a_text_set_tells_apart_texts_of_every_length_that_differ_in_any_byte() {
        let text: String = (0..40u8).map(|i| char::from(b'a' + i % 26)).collect();
        let mut set = TextSet::with_capacity(0);
        for n in 0..=text.len() {
            assert_eq!(set.insert(&text[..n]), (n as u32, false), "{n}");
        }
        for n in 0..=text.len() {
            let a = &text[..n];
            assert_eq!(set.find(a), Some(n as u32), "{n}");
            assert_eq!(set.insert(a), (n as u32, true), "{n}");
            assert_eq!(set.get(n as u32), a);
            // one byte changed, wherever it is
            for at in 0..n {
                let mut b = a.as_bytes().to_vec();
                b[at] ^= 0x20;
                assert_eq!(set.find(std::str::from_utf8(&b).unwrap()), None, "{n} {at}");
            }
        }
        assert_eq!(set.len(), text.len() + 1);
    }

    #[test]
    fn same_short_is_equality_at_every_short_length_and_every_differing_byte() {
        let text: Vec<u8> = (0..SHORT_MAX as u8 + 1).map(|i| b'a' + i).collect();
        for n in SHORT_MIN..=SHORT_MAX {
            let a = &text[..n];
            assert!(same_short(a, a), "{n}");
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_short(&b, a), "{n} {at}");
            }
            assert!(!same_short(&text[..n + 1], a) && !same_short(&text[..n - 1], a), "{n}");
        }
    }

    #[test]
    fn a_text_set_finds_texts_whose_hashes_agree_in_every_tag_bit() {
        // with a zero key, the hash of a text of one to three bytes is its
        // bytes times its length, under 2^32: one tag (0) for all, so every
        // probe compares texts
        let mut set = TextSet {
            key: Key([0, 0]),
            ..TextSet::with_capacity(0)
        };
        let letters = || (b'a'..=b'h').map(char::from);
        let texts: Vec<String> = letters()
            .map(String::from)
            .chain(letters().flat_map(|a| letters().map(move |b| format!("{a}{b}"))))
            .chain(letters().flat_map(|a| letters().flat_map(move |b| letters().map(move |c| format!("{a}{b}{c}")))))
            .collect();
        for (u, t) in texts.iter().enumerate() {
            assert_eq!(set.insert(t), (u as u32, false));
        }
        assert!(set.slots.iter().all(|&s| s >> NUMBER_BITS == 0), "one tag for all");
        for (u, t) in texts.iter().enumerate() {
            assert_eq!((set.find(t), set.insert(t)), (Some(u as u32), (u as u32, true)));
        }
        assert_eq!((set.find("i"), set.find("abi"), set.find("")), (None, None, None));
    }

    #[test]
    fn a_text_set_numbers_as_many_texts_as_a_register_holds() {
        // the last numbers fill a slot's number bits nearly to its tag
        let mut set = TextSet::with_capacity(MAX_UNITS);
        let text = |u: usize| format!("U-{u:07}");
        for u in 0..MAX_UNITS {
            assert_eq!(set.insert(&text(u)), (u as u32, false));
        }
        for u in [0, 1, MAX_UNITS / 2, MAX_UNITS - 2, MAX_UNITS - 1] {
            assert_eq!(set.find(&text(u)), Some(u as u32), "{u}");
            assert_eq!(set.get(u as u32), text(u));
        }
        assert_eq!(set.find(&text(MAX_UNITS)), None);
        assert!(set.slots.iter().all(|&s| s & NUMBER_MASK <= MAX_UNITS as u32));
    }

    proptest::proptest! {
        /// A text set numbers its texts as a map from each new text to the
        /// count before it would, whatever their lengths and however far it
        /// grows from its capacity.
        #[test]
        fn a_text_set_numbers_texts_as_a_map_would(
            texts in proptest::collection::vec("[a-c0-9-]{0,20}", 0..300),
            capacity in 0usize..40,
        ) {
            let mut set = TextSet::with_capacity(capacity);
            let mut map = std::collections::HashMap::new();
            for t in &texts {
                let next = map.len() as u32;
                let known = map.contains_key(t.as_str());
                let number = *map.entry(t.as_str()).or_insert(next);
                proptest::prop_assert_eq!(set.find(t), known.then_some(number));
                proptest::prop_assert_eq!(set.insert(t), (number, known));
            }
            proptest::prop_assert_eq!(set.len(), map.len());
            proptest::prop_assert!(set.slots.len() >= 2 * set.len());
            for (t, &u) in &map {
                proptest::prop_assert_eq!(set.find(t), Some(u));
                proptest::prop_assert_eq!(set.get(u), *t);
            }
        }
    }

    fn reg(json: &str) -> Result<Register> {
        Register::from_json(json)
    }

    #[test]
    fn headcount_follows_spc_article_9() {
        let r = reg(r#"[
            {"id": "A-101", "building": "A", "area": "88.62", "owner": "p1"},
            {"id": "A-102", "building": "A", "area": "120.05", "owner": "p3"},
            {"id": "A-201", "building": "A", "area": "88.62", "owner": "p3"},
            {"id": "B-101", "building": "B", "area": "100", "status": "developer_unsold"},
            {"id": "B-102", "building": "B", "area": "100", "status": "undelivered", "owner": "buyer"},
            {"id": "B-201", "building": "B", "area": "50"}
        ]"#)
        .unwrap();
        let all = r.resolve(&Scope::Estate).unwrap().totals();
        assert_eq!((all.units, all.owners, all.area.to_string().as_str()), (6, 4, "547.29"));
        let b = r.resolve(&Scope::Buildings(vec!["B".into()])).unwrap().totals();
        assert_eq!((b.units, b.owners), (3, 2));
    }

    #[test]
    fn units_and_headcount_slots_read_back_as_given() {
        let r = reg(r#"[
            {"id": "A-101", "building": "A", "area": "88.62", "owner": "p1"},
            {"id": "B-101", "building": "B", "area": "100", "status": "developer_unsold"},
            {"id": "A-102", "building": "A", "area": "0.0001", "owner": "p1"},
            {"id": "C-1", "area": "50"},
            {"id": "B-102", "building": "B", "area": "1", "status": "undelivered", "owner": "buyer"}
        ]"#)
        .unwrap();
        assert_eq!((r.len(), r.owner_count()), (5, 3));
        let units: Vec<Unit<'_>> = r.units().collect();
        assert_eq!(units.len(), 5);
        assert_eq!(
            units[2],
            Unit {
                id: "A-102",
                building: Some("A"),
                area: "0.0001".parse().unwrap(),
                status: UnitStatus::Owned,
                owner: units[0].owner,
            }
        );
        assert_eq!(units[3].building, None);
        assert_eq!(units[4].owner, units[1].owner); // both with the developer
        let owners: Vec<_> = units.iter().map(|u| r.owner(u.owner).unwrap()).collect();
        assert_eq!(
            owners,
            [
                OwnerKey::Named("p1"),
                OwnerKey::Developer,
                OwnerKey::Named("p1"),
                OwnerKey::UnitItself("C-1"),
                OwnerKey::Developer
            ]
        );
        assert_eq!(owners[3].label(), "unit C-1");
        assert_eq!((r.unit(5), r.owner(3)), (None, None));
        assert_eq!(r.position("B-102"), Some(4));
        assert_eq!(r.unit(4).map(|u| u.id), Some("B-102"));
        let a = r.resolve(&Scope::Buildings(vec!["A".into(), "A".into()])).unwrap();
        assert_eq!((a.totals().units, a.totals().owners, a.contains(3)), (2, 1, false));
        let e = r.resolve(&Scope::Buildings(vec!["D".into()])).unwrap_err();
        assert_eq!(e.code().as_str(), "unknown_scope");
    }

    #[test]
    fn named_owner_and_unit_id_do_not_collide() {
        let r = reg(r#"[{"id": "x", "area": "1"}, {"id": "y", "area": "1", "owner": "x"}]"#).unwrap();
        assert_eq!(r.owner_count(), 2);
    }

    #[test]
    fn bad_records_are_named() {
        let e = reg(r#"[{"id": "1", "area": "1"}, {"id": "1", "area": "2"}]"#).unwrap_err();
        assert_eq!(e.code().as_str(), "duplicate_unit");
        assert!(e.to_string().contains("register.units[0] and register.units[1]"), "{e}");
        let e = reg(r#"[{"id": "9-9", "area": "-3"}]"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_area");
        assert!(e.to_string().contains("9-9"), "{e}");
        let e = reg(r#"[{"id": "9-9", "area": 89.5}]"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_area");
        let e = reg(r#"[{"id": "", "area": "1"}]"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
        let e = reg(r#"[{"id": "a", "area": "1", "colour": "red"}]"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
    }

    #[test]
    fn scopes_must_name_known_things_and_cover_something() {
        let r = reg(r#"[{"id": "1", "building": "A", "area": "1"}]"#).unwrap();
        let e = r.resolve(&Scope::Buildings(vec!["Z".into()])).unwrap_err();
        assert_eq!(e.code().as_str(), "unknown_scope");
        let e = r.resolve(&Scope::Units(vec!["2".into()])).unwrap_err();
        assert_eq!(e.code().as_str(), "unknown_scope");
        let e = r.resolve(&Scope::Buildings(vec![])).unwrap_err();
        assert_eq!(e.code().as_str(), "empty_scope");
        let empty = reg("[]").unwrap();
        assert_eq!(
            empty.resolve(&Scope::Estate).unwrap_err().code().as_str(),
            "empty_scope"
        );
    }
}
