//! The estate's register: units (专有部分), their areas, owners and statuses,
//! validated once and indexed for tallies; [`Scope`] selects the units a
//! decision concerns.
//!
//! Counting follows 区分所有权解释 Arts. 8–9: area is the sum of the units'
//! areas; one unit counts as one owner, one buyer of several units counts
//! once, and all units the developer has not sold or not delivered count
//! together as one owner.

use hashbrown::HashTable;
use serde::{Deserialize, Serialize};
use std::hash::BuildHasher;

use crate::error::{Error, Result};
use crate::limits::{MAX_ID_BYTES, MAX_SCOPE_ENTRIES, MAX_UNITS};
use crate::quantity::{Area, AreaError, DecimalText};
use std::borrow::Cow;

/// Who holds a unit, for headcount (区分所有权解释 Art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// One row of a register as given (wire shape). Validated into a [`Register`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRecord {
    /// Unit id, unique in the register (e.g. `3-101`).
    pub id: String,
    /// Building id, used by building scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    /// Area in m² as a decimal string (at most 4 decimals).
    pub area: DecimalText,
    /// Owner key; units with the same key belong to one owner. Defaults to the unit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Status; defaults to `owned`.
    #[serde(default)]
    pub status: UnitStatus,
}

/// One unit's fields on their way into a [`Register`]: borrowed from
/// records or columns, or moved from records; the area already parsed (or
/// the reason it could not be, with the value as given).
pub(crate) struct UnitRow<'a> {
    pub(crate) id: Cow<'a, str>,
    pub(crate) building: Option<Cow<'a, str>>,
    pub(crate) area: std::result::Result<Area, (AreaError, String)>,
    pub(crate) owner: Option<Cow<'a, str>>,
    pub(crate) status: UnitStatus,
}

impl<'a> UnitRow<'a> {
    /// The row of a record, borrowed.
    fn of(r: &'a UnitRecord) -> UnitRow<'a> {
        UnitRow {
            id: Cow::Borrowed(&r.id),
            building: r.building.as_deref().map(Cow::Borrowed),
            area: r.area.to_area().map_err(|e| (e, r.area.as_given())),
            owner: r.owner.as_deref().map(Cow::Borrowed),
            status: r.status,
        }
    }
}

/// A validated unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Unit id.
    pub id: String,
    /// Building id, if any.
    pub building: Option<String>,
    /// Area.
    pub area: Area,
    /// Status.
    pub status: UnitStatus,
    /// Index of the owner (headcount slot) in [`Register::owners`].
    pub owner: u32,
}

/// One headcount slot: a person (or the developer) counted once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerKey {
    /// An owner named in the register.
    Named(String),
    /// A unit with no owner named: its own owner.
    UnitItself(String),
    /// The developer, holding every unsold or undelivered unit.
    Developer,
}

impl OwnerKey {
    /// A printable label (`p3`, `unit 3-101`, `developer`).
    pub fn label(&self) -> String {
        match self {
            OwnerKey::Named(s) => s.clone(),
            OwnerKey::UnitItself(u) => format!("unit {u}"),
            OwnerKey::Developer => "developer".to_owned(),
        }
    }
}

/// The validated, indexed register of an estate.
///
/// ```
/// use yeweihui::register::{Register, UnitRecord};
/// let reg = Register::from_json(r#"[
///   {"id": "1-101", "area": "90", "owner": "a"},
///   {"id": "1-102", "area": "90", "owner": "a"},
///   {"id": "1-201", "area": "120", "status": "developer_unsold"}
/// ]"#)?;
/// assert_eq!(reg.units().len(), 3);
/// assert_eq!(reg.owners().len(), 2); // "a" once, the developer once
/// # Ok::<(), yeweihui::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Register {
    units: Vec<Unit>,
    /// Each unit's owner slot and area again, contiguous: the tally's passes
    /// over every unit read only these.
    owner_of: Vec<u32>,
    area_of: Vec<Area>,
    owners: Vec<OwnerKey>,
    /// Unit positions by id.
    index: IdIndex,
    total_area: Area,
}

impl Register {
    /// Validates and indexes unit records. Errors name the row: an id that
    /// is empty or repeated, a bad area, an over-long string.
    pub fn new(records: &[UnitRecord]) -> Result<Register> {
        Register::build(records.len(), records.iter().map(|r| Ok(UnitRow::of(r))))
    }

    /// Validates and indexes units given as rows (their area parsed, or why
    /// not); `len` is how many there are.
    pub(crate) fn build<'a>(len: usize, rows: impl Iterator<Item = Result<UnitRow<'a>>>) -> Result<Register> {
        if len > MAX_UNITS {
            return Err(Error::limit("register.units", MAX_UNITS, len));
        }
        let mut units = Vec::with_capacity(len);
        let mut owners = Vec::with_capacity(len);
        // owner slots by name, hashed over the names `owners` holds
        let mut owner_slots: HashTable<u32> = HashTable::with_capacity(len);
        let mut developer_slot: Option<u32> = None;
        let mut index = IdIndex::with_capacity(len);
        let mut total_area = Area::ZERO;
        for (row, rec) in rows.enumerate() {
            let rec = rec?;
            // the field's path is formatted only for an error
            let check = |field: &str, id: &str| match id_is_valid(id) {
                true => Ok(()),
                false => check_id(&format!("register.units[{row}].{field}"), id),
            };
            check("id", &rec.id)?;
            if let Some(b) = &rec.building {
                check("building", b)?;
            }
            if let Some(o) = &rec.owner {
                check("owner", o)?;
            }
            let area = rec.area.map_err(|(e, given)| Error::InvalidArea {
                record: format!("unit {:?} (register.units[{row}])", rec.id),
                value: given,
                reason: e.to_string(),
            })?;
            total_area += area;
            if let Some(first) = index.insert(&rec.id) {
                return Err(Error::DuplicateUnit {
                    unit: rec.id.into_owned(),
                    first: first as usize,
                    second: row,
                });
            }
            let id = rec.id.into_owned();
            let owner = if rec.status.counts_with_developer() {
                *developer_slot.get_or_insert_with(|| {
                    owners.push(OwnerKey::Developer);
                    owners.len() as u32 - 1
                })
            } else if let Some(name) = rec.owner {
                let hash = hash_text(&name);
                match owner_slots.find(hash, |&s| owner_name(&owners, s) == name) {
                    Some(&slot) => slot,
                    None => {
                        let slot = owners.len() as u32;
                        owners.push(OwnerKey::Named(name.into_owned()));
                        owner_slots.insert_unique(hash, slot, |&s| hash_text(owner_name(&owners, s)));
                        slot
                    }
                }
            } else {
                owners.push(OwnerKey::UnitItself(id.clone()));
                owners.len() as u32 - 1
            };
            units.push(Unit {
                id,
                building: rec.building.map(Cow::into_owned),
                area,
                status: rec.status,
                owner,
            });
        }
        Ok(Register {
            owner_of: units.iter().map(|u| u.owner).collect(),
            area_of: units.iter().map(|u| u.area).collect(),
            units,
            owners,
            index,
            total_area,
        })
    }

    /// Parses a JSON array of unit records (or `{"units": [...]}`) and validates it.
    pub fn from_json(json: &str) -> Result<Register> {
        let records: RegisterRecords = crate::wire::parse_json(json, "register")?;
        Register::new(records.units())
    }

    /// The units, in register order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Each unit's owner slot, in register order.
    pub(crate) fn owner_of(&self) -> &[u32] {
        &self.owner_of
    }

    /// Each unit's area, in register order.
    pub(crate) fn area_of(&self) -> &[Area] {
        &self.area_of
    }

    /// The headcount slots; [`Unit::owner`] indexes into this.
    pub fn owners(&self) -> &[OwnerKey] {
        &self.owners
    }

    /// The position of a unit by id.
    pub fn position(&self, unit_id: &str) -> Option<usize> {
        self.index.find(unit_id).map(|u| u as usize)
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
            if self.units.is_empty() {
                return Err(empty());
            }
            return Ok(ScopeSet {
                members: None,
                totals: Counts {
                    units: self.units.len() as u64,
                    owners: self.owners.len() as u64,
                    area: self.total_area,
                },
            });
        }
        let mut members = vec![false; self.units.len()];
        match scope {
            Scope::Estate => {}
            Scope::Buildings(buildings) => {
                check_scope_len(buildings.len())?;
                let wanted: rustc_hash::FxHashSet<&str> = buildings.iter().map(String::as_str).collect();
                let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
                for (i, unit) in self.units.iter().enumerate() {
                    if let Some(b) = unit.building.as_deref() {
                        if wanted.contains(b) {
                            members[i] = true;
                            seen.insert(b);
                        }
                    }
                }
                if let Some(missing) = buildings.iter().find(|b| !seen.contains(b.as_str())) {
                    return Err(Error::UnknownScope {
                        kind: "building",
                        id: missing.clone(),
                    });
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
        let mut owner_seen = vec![false; self.owners.len()];
        let mut totals = Counts::default();
        for (unit, _) in self.units.iter().zip(&members).filter(|(_, m)| **m) {
            totals.units += 1;
            totals.area += unit.area;
            let seen = &mut owner_seen[unit.owner as usize];
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

fn check_scope_len(len: usize) -> Result<()> {
    if len > MAX_SCOPE_ENTRIES {
        return Err(Error::limit("scope entries", MAX_SCOPE_ENTRIES, len));
    }
    Ok(())
}

/// Checks an id: non-empty, at most [`MAX_ID_BYTES`] bytes.
/// The hash of an id or owner name in the register's tables.
fn hash_text(text: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(text)
}

/// The units' ids again, end to end in one string, and a hash table of
/// positions over them: a lookup compares against these bytes, which stay in
/// cache, rather than chase each unit's own string.
#[derive(Debug, Clone)]
struct IdIndex {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<u32>,
    table: HashTable<u32>,
}

impl IdIndex {
    fn with_capacity(units: usize) -> IdIndex {
        IdIndex {
            text: String::with_capacity(units * 8),
            ends: Vec::with_capacity(units),
            table: HashTable::with_capacity(units),
        }
    }

    /// The position of the unit with this id.
    fn find(&self, id: &str) -> Option<u32> {
        let (text, ends) = (&self.text, &self.ends);
        self.table.find(hash_text(id), |&u| id_at(text, ends, u) == id).copied()
    }

    /// Adds the next unit's id; if a unit has it already, its position.
    fn insert(&mut self, id: &str) -> Option<u32> {
        let hash = hash_text(id);
        let (text, ends) = (&self.text, &self.ends);
        if let Some(&first) = self.table.find(hash, |&u| id_at(text, ends, u) == id) {
            return Some(first);
        }
        let position = self.ends.len() as u32;
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32); // within u32: asserted below
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .insert_unique(hash, position, |&u| hash_text(id_at(text, ends, u)));
        None
    }
}

/// At most MAX_UNITS ids of at most MAX_ID_BYTES each: their text's length fits a `u32`.
const _: () = assert!(MAX_UNITS * MAX_ID_BYTES <= u32::MAX as usize);

/// Id number `u` of an [`IdIndex`]'s text.
fn id_at<'t>(text: &'t str, ends: &[u32], u: u32) -> &'t str {
    let u = u as usize;
    let start = u.checked_sub(1).and_then(|p| ends.get(p)).map_or(0, |&e| e as usize);
    let end = ends.get(u).map_or(start, |&e| e as usize);
    text.get(start..end).unwrap_or("")
}

/// The name in an owner slot (only named slots are hashed).
fn owner_name(owners: &[OwnerKey], slot: u32) -> &str {
    match owners.get(slot as usize) {
        Some(OwnerKey::Named(name)) => name,
        _ => "",
    }
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

impl<'de> Deserialize<'de> for RegisterRecords {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RegisterRecords;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"a list of units or {"units": [...]}"#)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> std::result::Result<RegisterRecords, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(RegisterRecords)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<RegisterRecords, A::Error> {
                let mut units = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "units" {
                        return Err(serde::de::Error::unknown_field(&key, &["units"]));
                    }
                    if units.is_some() {
                        return Err(serde::de::Error::duplicate_field("units"));
                    }
                    units = Some(map.next_value::<Vec<UnitRecord>>()?);
                }
                units
                    .map(RegisterRecords)
                    .ok_or_else(|| serde::de::Error::missing_field("units"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Which units a decision concerns (e.g. one building's lift repair).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    fn named_owner_and_unit_id_do_not_collide() {
        let r = reg(r#"[{"id": "x", "area": "1"}, {"id": "y", "area": "1", "owner": "x"}]"#).unwrap();
        assert_eq!(r.owners().len(), 2);
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
