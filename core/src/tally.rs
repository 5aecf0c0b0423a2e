//! The tally: given the register, the ballots and the rules in force, did
//! the resolution pass, why, and how far was it from passing?
//!
//! Under 民法典 Art. 278 (from 2021-01-01) four checks are made: participation
//! by area and by headcount against the scope's totals, then approval by area
//! and by headcount against those participating. Under 物权法 Art. 76 (before
//! 2021) there is no participation test and approval is measured against the
//! totals. Which applies, and every threshold, comes from the rulebook.
//!
//! Every ballot comes out counted, superseded (by which ballot) or rejected
//! (with a [`RejectionCode`]): `received = counted + superseded + rejected`.
//!
//! Ballots may come in any order; the outcome is the same. Ballots in the
//! register's order (as most voting systems list them, by unit) are looked
//! up fastest: each unit is first sought among the few after the last found.
//!
//! ```
//! use yeweihui::{tally, Matter, Rulebook};
//! use yeweihui::ballot::{Ballot, Choice};
//! use yeweihui::calendar::parse_date;
//! use yeweihui::register::Register;
//! use yeweihui::tally::Motion;
//!
//! let register = Register::from_json(r#"[
//!   {"id": "1-101", "area": "100", "owner": "a"},
//!   {"id": "1-102", "area": "100", "owner": "b"},
//!   {"id": "1-201", "area": "100", "owner": "c"}
//! ]"#)?;
//! let ballots = [Ballot::new("1-101", Choice::Agree), Ballot::new("1-102", Choice::Against)];
//! let motion = Motion::new(Matter::HireOrDismissManager, parse_date("decided_on", "2026-03-01")?);
//! let outcome = tally(Rulebook::preset("cn-national")?, &register, &motion, &ballots)?;
//! // 2 of 3 owners took part (at least 2/3: met), but 1 of 2 agreeing is not more than half
//! assert!(!outcome.passed);
//! assert_eq!(outcome.checks.approval_owners.shortfall, 1);
//! # Ok::<(), yeweihui::Error>(())
//! ```

use std::borrow::Cow;

use crate::ballot::{Ballot, BallotRecord, Cast, Channel, Choice, Moment, Moments, RejectionCode, Voting};
use crate::calendar::{Date, Instants};
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::limits::MAX_BALLOTS;
use crate::matter::Matter;
use crate::quantity::{Area, Threshold};
use crate::register::{Counts, Register, Scope, UnitId, NEAR};
use crate::rulebook::{ApprovalBase, Citation, Layer, Requirement, Rulebook, RulesInForce};

/// What is being decided, when, over which units, and how votes are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motion {
    /// The matter (民法典 Art. 278 ¶1 item).
    pub matter: Matter,
    /// The date whose law applies (normally the day voting closed).
    pub decided_on: Date,
    /// The units concerned (default: the whole estate).
    pub scope: Scope,
    /// Window and policies.
    pub voting: Voting,
}

impl Motion {
    /// A motion over the whole estate with default voting policies.
    pub fn new(matter: Matter, decided_on: Date) -> Motion {
        Motion {
            matter,
            decided_on,
            scope: Scope::Estate,
            voting: Voting {
                non_response: crate::ballot::NON_RESPONSE_IGNORE.to_owned(),
                ..Voting::default()
            },
        }
    }

    /// Restricts the motion to a scope.
    pub fn with_scope(mut self, scope: Scope) -> Motion {
        self.scope = scope;
        self
    }

    /// Sets the voting window and policies.
    pub fn with_voting(mut self, voting: Voting) -> Motion {
        self.voting = voting;
        self
    }
}

/// The law applied.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Law {
    /// The rulebook asked for (top layer).
    pub rulebook: String,
    /// Its version in force.
    pub version: String,
    /// The governing law, in Chinese.
    pub citation: String,
    /// The governing law, in English.
    pub citation_en: String,
    /// Every layer in force, national law first.
    pub layers: Vec<Layer>,
}

/// One check: what was measured against what, what was required, whether it
/// was met, and what was missing.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Check<Q> {
    /// Whether the threshold is met.
    pub met: bool,
    /// The measured amount.
    pub measured: Q,
    /// The amount it is measured against.
    pub base: Q,
    /// The threshold.
    pub required: Threshold,
    /// The least amount of extra agreeing votes from owners who have not
    /// voted that would meet the check, all else equal (`0` when met; area
    /// in whole 0.01 m²).
    pub shortfall: Q,
    /// Whether the owners in scope who have not voted hold the shortfall.
    pub reachable: bool,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// The checks of a tally. Under 物权法 there are no participation checks.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Checks {
    /// Participating area of the scope's total area.
    #[json(rename = "participation.area", default, skip_if = "Option::is_none")]
    pub participation_area: Option<Check<Area>>,
    /// Participating owners of the scope's owners.
    #[json(rename = "participation.owners", default, skip_if = "Option::is_none")]
    pub participation_owners: Option<Check<u64>>,
    /// Agreeing area of the approval base.
    #[json(rename = "approval.area")]
    pub approval_area: Check<Area>,
    /// Agreeing owners of the approval base.
    #[json(rename = "approval.owners")]
    pub approval_owners: Check<u64>,
}

impl Checks {
    /// Whether every check is met.
    pub fn all_met(&self) -> bool {
        self.participation_area.as_ref().is_none_or(|c| c.met)
            && self.participation_owners.as_ref().is_none_or(|c| c.met)
            && self.approval_area.met
            && self.approval_owners.met
    }
}

/// Counted votes by choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
pub struct Votes {
    /// 同意.
    pub agree: Counts,
    /// 反对.
    pub against: Counts,
    /// 弃权.
    pub abstain: Counts,
}

impl Votes {
    fn of(&mut self, choice: Choice) -> &mut Counts {
        match choice {
            Choice::Agree => &mut self.agree,
            Choice::Against => &mut self.against,
            Choice::Abstain => &mut self.abstain,
        }
    }
}

/// How the ballots given were accounted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
pub struct BallotSummary {
    /// Ballots given.
    pub received: u64,
    /// Counted.
    pub counted: u64,
    /// Replaced by a later (or preferred) ballot for the same unit.
    pub superseded: u64,
    /// Rejected with a reason.
    pub rejected: u64,
}

/// A rejected ballot.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Rejection {
    /// Position in the input (0-based).
    pub index: u64,
    /// The unit it named.
    pub unit: UnitId,
    /// Why.
    pub code: RejectionCode,
    /// Why, in Chinese.
    pub reason: Cow<'static, str>,
    /// Why, in English.
    pub reason_en: Cow<'static, str>,
}

/// A superseded ballot.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Supersession {
    /// Position in the input (0-based).
    pub index: u64,
    /// The unit.
    pub unit: UnitId,
    /// The ballot that stands for the unit instead.
    pub by: u64,
}

/// The result of a tally.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Outcome {
    /// Whether every check is met.
    pub passed: bool,
    /// The matter decided.
    pub matter: Matter,
    /// The date whose law applied.
    pub decided_on: Date,
    /// The scope.
    pub scope: Scope,
    /// The law applied.
    pub law: Law,
    /// The scope's totals.
    pub base: Counts,
    /// Units, owners and area taking part (counted ballots).
    pub participation: Counts,
    /// Counted votes by choice.
    pub votes: Votes,
    /// The checks.
    pub checks: Checks,
    /// Ballot accounting.
    pub ballots: BallotSummary,
    /// Rejected ballots, by input position.
    pub rejected: Vec<Rejection>,
    /// Superseded ballots, by input position.
    pub superseded: Vec<Supersession>,
}

/// A cell of an [`OutcomeRow`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A flag.
    Bool(bool),
    /// A count.
    Count(u64),
    /// Text: ids, dates, areas (canonical decimals), thresholds.
    Text(String),
    /// Absent (a check the law in force does not have).
    Null,
}

/// Written as a JSON boolean, number, string or null.
impl ToJson for Cell {
    fn to_json(&self, out: &mut crate::json::Writer) {
        match self {
            Cell::Bool(b) => b.to_json(out),
            Cell::Count(n) => n.to_json(out),
            Cell::Text(t) => out.string(t),
            Cell::Null => out.null(),
        }
    }
}

/// An outcome flattened into one table row with columns in a fixed order,
/// for data frames and spreadsheets (see [`Outcome::row`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow(pub Vec<(String, Cell)>);

/// Written as an object, its columns in order.
impl ToJson for OutcomeRow {
    fn to_json(&self, out: &mut crate::json::Writer) {
        let mut object = out.object();
        for (k, v) in &self.0 {
            object.entry(k, v);
        }
        object.end();
    }
}

fn threshold_cell(t: Threshold) -> Cell {
    let word = match t.comparator() {
        crate::quantity::Comparator::AtLeast => "at_least",
        crate::quantity::Comparator::MoreThan => "more_than",
    };
    Cell::Text(format!("{word} {}", t.ratio()))
}

fn push_check<Q: Measure>(row: &mut Vec<(String, Cell)>, name: &str, check: Option<&Check<Q>>, cell: fn(Q) -> Cell) {
    let fields: [(&str, Option<Cell>); 6] = [
        ("met", check.map(|c| Cell::Bool(c.met))),
        ("measured", check.map(|c| cell(c.measured))),
        ("base", check.map(|c| cell(c.base))),
        ("required", check.map(|c| threshold_cell(c.required))),
        ("shortfall", check.map(|c| cell(c.shortfall))),
        ("reachable", check.map(|c| Cell::Bool(c.reachable))),
    ];
    for (field, value) in fields {
        row.push((format!("{name}.{field}"), value.unwrap_or(Cell::Null)));
    }
}

impl Outcome {
    /// The outcome as one flat row: verdict, law, totals, participation,
    /// votes, ballot accounting, then each check's met / measured / base /
    /// required / shortfall / reachable (null where the law has no such check).
    pub fn row(&self) -> OutcomeRow {
        let area = |a: Area| Cell::Text(a.to_string());
        let mut row: Vec<(String, Cell)> = vec![
            ("passed".into(), Cell::Bool(self.passed)),
            ("matter".into(), Cell::Text(self.matter.as_str().into())),
            (
                "decided_on".into(),
                Cell::Text(crate::calendar::format_date(self.decided_on)),
            ),
            ("law_version".into(), Cell::Text(self.law.version.clone())),
        ];
        let counts = [
            ("base", self.base),
            ("participation", self.participation),
            ("agree", self.votes.agree),
            ("against", self.votes.against),
            ("abstain", self.votes.abstain),
        ];
        for (name, c) in counts {
            row.push((format!("{name}.units"), Cell::Count(c.units)));
            row.push((format!("{name}.owners"), Cell::Count(c.owners)));
            row.push((format!("{name}.area"), area(c.area)));
        }
        let b = self.ballots;
        for (name, n) in [
            ("received", b.received),
            ("counted", b.counted),
            ("superseded", b.superseded),
            ("rejected", b.rejected),
        ] {
            row.push((format!("ballots.{name}"), Cell::Count(n)));
        }
        let c = &self.checks;
        push_check(&mut row, "participation.area", c.participation_area.as_ref(), area);
        push_check(
            &mut row,
            "participation.owners",
            c.participation_owners.as_ref(),
            Cell::Count,
        );
        push_check(&mut row, "approval.area", Some(&c.approval_area), area);
        push_check(&mut row, "approval.owners", Some(&c.approval_owners), Cell::Count);
        OutcomeRow(row)
    }
}

/// What a ballot says, as a key compared for equality: a tally's choice
/// (see [`choice_key`]) or an election's interned set of candidates.
pub(crate) type ChoiceKey = u32;

/// A ballot as the ballot rules see it: its unit, and its fields (or the
/// reason they are bad) packed as [`Marks`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct View<'a> {
    pub(crate) unit: &'a str,
    marks: Marks,
}

/// [`Marks::pos`] before the unit is looked up (positions stay below [`crate::limits::MAX_UNITS`]).
const NOT_LOOKED_UP: u32 = u32::MAX;
/// [`Marks::pos`] of a unit not in the register.
const UNKNOWN_UNIT: u32 = u32::MAX - 1;

/// A ballot's fields that can stand.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) key: ChoiceKey,
    pub(crate) cast: Cast,
    pub(crate) authorized: bool,
}

impl<'a> View<'a> {
    /// The view of a ballot for `unit`, its unit not looked up yet.
    pub(crate) fn new(unit: &'a str, fields: std::result::Result<Fields, RejectionCode>) -> View<'a> {
        View {
            unit,
            marks: Marks::of(fields),
        }
    }
}

pub(crate) fn has_authorization(a: Option<&str>) -> bool {
    a.is_some_and(|s| !s.trim().is_empty())
}

const CHOICES: [Choice; 3] = [Choice::Agree, Choice::Against, Choice::Abstain];

fn choice_key(c: Choice) -> ChoiceKey {
    match c {
        Choice::Agree => 0,
        Choice::Against => 1,
        Choice::Abstain => 2,
    }
}

impl<'a> View<'a> {
    /// The view of a typed ballot, its time made a [`Moment`] by `moments`.
    #[inline]
    fn of_ballot(b: &'a Ballot, moments: &mut Moments) -> View<'a> {
        let cast = Cast {
            channel: b.channel,
            cast_at: b.cast_at.map(|t| moments.of(t)),
        };
        View::new(
            &b.unit,
            Ok(Fields {
                key: choice_key(b.choice),
                cast,
                authorized: has_authorization(b.authorization.as_deref()),
            }),
        )
    }
}

impl<'a> View<'a> {
    /// The view of a ballot record, its time read by `instants`.
    pub(crate) fn of_record(r: &'a BallotRecord, instants: &mut Instants) -> View<'a> {
        View::of_cells(
            &r.unit,
            &r.choice,
            r.channel.as_deref(),
            r.cast_at.as_deref(),
            r.authorization.as_deref(),
            instants,
        )
    }

    /// A ballot's cells as given (a record, or a row of columns), its time
    /// read by `instants`.
    pub(crate) fn of_cells(
        unit: &'a str,
        choice: &str,
        channel: Option<&str>,
        cast_at: Option<&str>,
        authorization: Option<&str>,
        instants: &mut Instants,
    ) -> View<'a> {
        let fields = crate::ballot::parse_fields(choice, channel, cast_at, instants).map(|(choice, cast)| Fields {
            key: choice_key(choice),
            cast,
            authorized: has_authorization(authorization),
        });
        View::new(unit, fields)
    }
}

/// The ballots of a tally as the ballot rules see them, in two columns:
/// the loops over them read a ballot's 24 bytes of [`Marks`], and its unit's
/// id only when they look it up or name it. Their units are looked up
/// once, as a whole ([`Views::look_up`]), which makes them [`LookedUp`].
#[derive(Debug, Default)]
pub(crate) struct Views<'a> {
    units: Vec<&'a str>,
    marks: Vec<Marks>,
}

/// [`Views`] whose units have all been looked up in a register, which
/// they keep: each mark's position that of its unit there or
/// [`UNKNOWN_UNIT`]. What a tally reads, so that it reads the positions in
/// the register they are of (made only by [`Views::look_up`] and
/// [`Views::of_records`]).
#[derive(Debug)]
pub(crate) struct LookedUp<'a, 'r> {
    views: Views<'a>,
    register: &'r Register,
}

impl<'a> LookedUp<'a, '_> {
    /// The views again, to be cleared and filled anew (their room kept).
    pub(crate) fn into_views(self) -> Views<'a> {
        self.views
    }
}

/// A [`View`] less its unit's id, packed: its time as [`Moment::parts`]
/// (zero when it has none), then its position and fields.
#[derive(Debug, Clone, Copy)]
struct Marks {
    seconds: i64,
    nanos: u32,
    /// The unit's position in the register once looked up
    /// ([`LookedUp`]), [`UNKNOWN_UNIT`] when it is not there, and
    /// [`NOT_LOOKED_UP`] before.
    pos: u32,
    key: ChoiceKey,
    /// Why its fields cannot stand, if they cannot.
    flaw: Option<RejectionCode>,
    channel: Channel,
    timed: bool,
    authorized: bool,
}

impl Marks {
    /// The marks of a ballot's fields, its unit not looked up yet.
    fn of(fields: std::result::Result<Fields, RejectionCode>) -> Marks {
        match fields {
            Ok(f) => {
                let (seconds, nanos) = f.cast.cast_at.map_or((0, 0), Moment::parts);
                Marks {
                    seconds,
                    nanos,
                    pos: NOT_LOOKED_UP,
                    key: f.key,
                    flaw: None,
                    channel: f.cast.channel,
                    timed: f.cast.cast_at.is_some(),
                    authorized: f.authorized,
                }
            }
            // a flawed ballot's other marks are never read
            Err(flaw) => Marks {
                seconds: 0,
                nanos: 0,
                pos: NOT_LOOKED_UP,
                key: 0,
                flaw: Some(flaw),
                channel: Channel::Online,
                timed: false,
                authorized: false,
            },
        }
    }

    fn cast(&self) -> Cast {
        Cast {
            channel: self.channel,
            cast_at: self.timed.then(|| Moment::from_parts(self.seconds, self.nanos)),
        }
    }
}

impl<'a> Views<'a> {
    pub(crate) fn len(&self) -> usize {
        self.marks.len()
    }

    pub(crate) fn clear(&mut self) {
        self.units.clear();
        self.marks.clear();
    }

    /// Finds the units of the ballots in `register`: in a loop of its own,
    /// apart from the parsing and the tally, so that the lookups of several
    /// ballots (each a chain of dependent loads) are under way at once (a
    /// few percent of a tally from records).
    pub(crate) fn look_up<'r>(mut self, register: &'r Register) -> LookedUp<'a, 'r> {
        look_up(&self.units, &mut self.marks, register);
        LookedUp { views: self, register }
    }

    /// The views of `n` ballot records, record `i` as `view(i, instants)`
    /// (each half with [`Instants`] of its own), their units
    /// looked up in `register`: in two halves on two threads from
    /// [`MIN_RECORDS_FOR_A_THREAD`](crate::parallel::MIN_RECORDS_FOR_A_THREAD)
    /// (parsing and looking up are most of a tally from records).
    fn of_records<'r>(
        register: &'r Register,
        n: usize,
        view: impl Fn(usize, &mut Instants) -> View<'a> + Sync,
    ) -> LookedUp<'a, 'r> {
        // stand-ins, each overwritten: the halves are filled in place
        let mut all = Views {
            units: vec![""; n],
            marks: vec![Marks::of(Err(RejectionCode::UnknownUnit)); n],
        };
        let fill = |units: &mut [&'a str], marks: &mut [Marks], first: usize| {
            let mut instants = Instants::default();
            for (i, (unit, m)) in units.iter_mut().zip(marks.iter_mut()).enumerate() {
                let v = view(first + i, &mut instants);
                (*unit, *m) = (v.unit, v.marks);
            }
            look_up(units, marks, register);
        };
        let half = n / 2;
        let (units, second_units) = all.units.split_at_mut(half);
        let (marks, second_marks) = all.marks.split_at_mut(half);
        // the second half, taken by whichever thread fills it
        let second = std::sync::Mutex::new(Some((second_units, second_marks)));
        crate::parallel::join(
            n >= crate::parallel::MIN_RECORDS_FOR_A_THREAD,
            || fill(units, marks, 0),
            || {
                // taken once (`join` runs this once), the lock held only to take it
                let taken = second.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                if let Some((units, marks)) = taken {
                    fill(units, marks, half);
                }
            },
        );
        // each half filled and looked up
        LookedUp { views: all, register }
    }
}

/// [`Views::look_up`] over a part of the views: every mark's position set.
fn look_up(units: &[&str], marks: &mut [Marks], register: &Register) {
    // the position after the last unit found, and whether the ballots so
    // far come in the register's order (the last unit found was near
    // `next`, or the unit before it again: a unit's second ballot), so that
    // the next is likely near it: ballots in another order pay one
    // comparison a ballot for it, not `NEAR` of them
    let (mut next, mut in_order) = (0, true);
    for (m, unit) in marks.iter_mut().zip(units) {
        let near = if in_order {
            register.position_near(unit, next)
        } else {
            None
        };
        m.pos = match near.or_else(|| register.position(unit)) {
            Some(p) => {
                in_order = (p + 1).wrapping_sub(next) <= NEAR;
                next = p + 1;
                p as u32
            }
            None => UNKNOWN_UNIT,
        };
    }
}

impl<'a> Extend<View<'a>> for Views<'a> {
    fn extend<I: IntoIterator<Item = View<'a>>>(&mut self, views: I) {
        // both columns at once, as a pair: for an iterator of known length
        // (a slice's, a range's) std makes their room once and writes each
        // view without a check of its own (a fifth of a typed tally's
        // instructions went to two pushes a view)
        let mut columns = (std::mem::take(&mut self.units), std::mem::take(&mut self.marks));
        columns.extend(views.into_iter().map(|v| (v.unit, v.marks)));
        (self.units, self.marks) = columns;
    }
}

impl<'a> FromIterator<View<'a>> for Views<'a> {
    fn from_iter<I: IntoIterator<Item = View<'a>>>(views: I) -> Views<'a> {
        let mut all = Views::default();
        all.extend(views);
        all
    }
}

/// Ballots parsed and matched to a register once, to be tallied many times
/// (a live count as ballots arrive, several matters over one ballot box):
/// the fastest way to tally. A ballot that cannot stand (unknown unit,
/// malformed choice or time) is still kept, to be rejected with its reason.
///
/// ```
/// use yeweihui::ballot::BallotRecord;
/// use yeweihui::calendar::parse_date;
/// use yeweihui::register::Register;
/// use yeweihui::tally::{Motion, PreparedBallots};
/// use yeweihui::{Matter, Rulebook};
/// let register = Register::from_json(r#"[{"id": "1", "area": "60"}, {"id": "2", "area": "40"}]"#)?;
/// let ballot = |unit: &str, choice: &str| BallotRecord {
///     unit: unit.into(), choice: choice.into(), channel: None, cast_at: None, authorization: None,
/// };
/// let records = [ballot("1", "agree"), ballot("2", "against"), ballot("9", "agree")];
/// let prepared = PreparedBallots::new(&register, &records)?;
/// let motion = Motion::new(Matter::OtherMajor, parse_date("d", "2026-05-01")?);
/// let outcome = prepared.tally(Rulebook::preset("cn-national")?, &motion)?;
/// assert_eq!(outcome.ballots.rejected, 1); // unit 9 is not in the register
/// # Ok::<(), yeweihui::Error>(())
/// ```
pub struct PreparedBallots<'a> {
    views: LookedUp<'a, 'a>,
}

impl<'a> PreparedBallots<'a> {
    /// Parses the records and finds their units in the register.
    pub fn new(register: &'a Register, records: &'a [BallotRecord]) -> Result<PreparedBallots<'a>> {
        check_ballot_count(records.len())?;
        let views = Views::of_records(register, records.len(), |i, t| View::of_record(&records[i], t));
        Ok(PreparedBallots { views })
    }

    /// Tallies the ballots for a motion, exactly as [`tally_records`] would.
    pub fn tally(&self, rulebook: &Rulebook, motion: &Motion) -> Result<Outcome> {
        tally_views(rulebook, motion, &self.views)
    }
}

/// Tallies typed ballots. See the [module docs](self).
pub fn tally(rulebook: &Rulebook, register: &Register, motion: &Motion, ballots: &[Ballot]) -> Result<Outcome> {
    check_ballot_count(ballots.len())?;
    let mut moments = Moments::default();
    let views: Views = ballots.iter().map(|b| View::of_ballot(b, &mut moments)).collect();
    tally_views(rulebook, motion, &views.look_up(register))
}

/// Tallies ballots as given (wire shape): a ballot with a bad choice,
/// channel or time is rejected with its reason; the tally still runs.
pub fn tally_records(
    rulebook: &Rulebook,
    register: &Register,
    motion: &Motion,
    ballots: &[BallotRecord],
) -> Result<Outcome> {
    check_ballot_count(ballots.len())?;
    let views = Views::of_records(register, ballots.len(), |i, t| View::of_record(&ballots[i], t));
    tally_views(rulebook, motion, &views)
}

/// Tallies many votes over one register in one call (an analyst's batch):
/// `ballots[i]` belongs to `motions[vote_of[i]]`. The indices in each
/// outcome's `rejected` and `superseded` are rows of the whole ballot table.
///
/// ```
/// use yeweihui::ballot::BallotRecord;
/// use yeweihui::calendar::parse_date;
/// use yeweihui::register::Register;
/// use yeweihui::tally::{tally_many, Motion};
/// use yeweihui::{Matter, Rulebook};
/// let register = Register::from_json(r#"[{"id": "1", "area": "60"}, {"id": "2", "area": "40"}]"#)?;
/// let day = parse_date("d", "2026-05-01")?;
/// let motions = [Motion::new(Matter::OtherMajor, day), Motion::new(Matter::Rebuild, day)];
/// let ballot = |unit: &str, choice: &str| BallotRecord {
///     unit: unit.into(), choice: choice.into(), channel: None, cast_at: None, authorization: None,
/// };
/// let ballots = [ballot("1", "agree"), ballot("1", "agree"), ballot("2", "against"), ballot("2", "agree")];
/// let outcomes = tally_many(Rulebook::preset("cn-national")?, &register, &motions, &ballots, &[0, 1, 0, 1])?;
/// assert!(!outcomes[0].passed); // 1 of 2 owners agree: not more than half
/// assert!(outcomes[1].passed);
/// # Ok::<(), yeweihui::Error>(())
/// ```
pub fn tally_many(
    rulebook: &Rulebook,
    register: &Register,
    motions: &[Motion],
    ballots: &[BallotRecord],
    vote_of: &[u32],
) -> Result<Vec<Outcome>> {
    let in_the_one = vec![0; motions.len()];
    tally_many_estates(
        rulebook,
        std::slice::from_ref(register),
        &in_the_one,
        motions,
        ballots,
        vote_of,
    )
}

/// Tallies many votes over many estates in one call (a city's batch):
/// `motions[k]` is a vote in `registers[estate_of[k]]`, and `ballots[i]`
/// belongs to `motions[vote_of[i]]`. The indices in each outcome's
/// `rejected` and `superseded` are rows of the whole ballot table. A batch
/// of 2,000 units and ballots and more is tallied in two parts on two
/// threads (except in WebAssembly), estate by estate, with the same outcomes.
pub fn tally_many_estates(
    rulebook: &Rulebook,
    registers: &[Register],
    estate_of: &[u32],
    motions: &[Motion],
    ballots: &[BallotRecord],
    vote_of: &[u32],
) -> Result<Vec<Outcome>> {
    if vote_of.len() != ballots.len() {
        return Err(Error::invalid_input(
            "ballots.vote",
            format!("{} vote ids for {} ballots", vote_of.len(), ballots.len()),
        ));
    }
    let batch = Batch {
        rulebook,
        motions,
        estate_of,
        vote_of,
    };
    let units: Vec<usize> = registers.iter().map(Register::len).collect();
    tally_by_estate(
        &units,
        |e| Ok(&registers[e]),
        Ok(batch),
        |row, t| View::of_record(&ballots[row], t),
    )
}

/// The votes of a batch: `motions[k]` is a vote in estate `estate_of[k]`,
/// and ballot `row` of the whole table belongs to `motions[vote_of[row]]`.
pub(crate) struct Batch<'a> {
    pub(crate) rulebook: &'a Rulebook,
    pub(crate) motions: &'a [Motion],
    pub(crate) estate_of: &'a [u32],
    pub(crate) vote_of: &'a [u32],
}

/// Tallies every vote of `batch` over its estate's register, `register(e)`
/// for estate `e` (of `units.len()`, `units[e]` the units in each), and
/// returns the outcomes in vote order; `view(row, instants)` is ballot `row`
/// of the whole table (each part with [`Instants`] of its own). The
/// estates are taken in order in two parts of about as much work (on two
/// threads for a large batch), and each part builds an estate's register
/// when it comes to it and drops it after its last vote; the estate whose
/// votes both parts have (a one-estate batch's, or the one at the split)
/// is built once, before the parts, for both. A city's batch holds three
/// registers at a time at most, not a thousand, and builds each once. An
/// estate without votes is built all the same, to check it. For
/// [`tally_many_estates`] and the `tally_many` wire call.
///
/// The error is the first estate's whose register fails (`Err` from
/// `register`); else `batch`'s own (an `Err` given, or one found here: too
/// many ballots, an estate or a vote number out of range); else the first
/// vote's in vote order whose tally fails. Registers are still built, to
/// check them, when `batch` is an error.
pub(crate) fn tally_by_estate<'b, R: std::borrow::Borrow<Register> + Sync>(
    units: &[usize],
    register: impl Fn(usize) -> Result<R> + Sync,
    batch: Result<Batch<'_>>,
    view: impl Fn(usize, &mut Instants) -> View<'b> + Sync,
) -> Result<Vec<Outcome>> {
    let votes = batch.and_then(|batch| VotesByEstate::of(batch, units.len()));
    // each estate's votes in vote order, or the estate alone when it has none
    // (or when the batch cannot be tallied)
    let mut items: Vec<(u32, Option<u32>)> = Vec::with_capacity(units.len());
    for e in 0..units.len() {
        match votes.as_ref().map(|v| v.of_estate(e)) {
            Ok(own) if !own.is_empty() => items.extend(own.iter().map(|&k| (e as u32, Some(k)))),
            _ => items.push((e as u32, None)),
        }
    }
    // an item's work: its estate's units (its first item), and its vote's ballots
    let sizes: Vec<usize> = items
        .iter()
        .enumerate()
        .map(|(i, &(e, k))| {
            let first = i == 0 || items[i - 1].0 != e;
            let ballots = match (k, &votes) {
                (Some(k), Ok(votes)) => votes.rows(k as usize).len(),
                _ => 0,
            };
            usize::from(first) * units[e as usize] + ballots
        })
        .collect();
    // the estate whose votes both parts have (one estate's batch, or the
    // one at the split), built once, here, for both to borrow
    let shared = crate::parallel::split(&sizes)
        .filter(|&at| items[at - 1].0 == items[at].0)
        .map(|at| (items[at].0, register(items[at].0 as usize)));
    let mut tallied = crate::parallel::in_two_parts(&sizes, |part| {
        let mut out = Vec::with_capacity(part.len());
        let mut built: Option<(u32, R)> = None;
        let mut views = Views::default();
        let mut instants = Instants::default();
        for &(e, k) in &items[part] {
            // the last estate's register dropped before this one's is built
            if built.as_ref().is_some_and(|&(b, _)| b != e) {
                built = None;
            }
            let register = match (&shared, &mut built) {
                (Some((s, shared)), _) if *s == e => shared.as_ref().map_err(Error::clone)?.borrow(),
                (_, Some((_, own))) => own.borrow(),
                (_, own) => own.insert((e, register(e as usize)?)).1.borrow(),
            };
            if let (Some(k), Ok(votes)) = (k, &votes) {
                out.push((k, votes.tally(k as usize, register, &mut views, &mut instants, &view)));
            }
        }
        Ok(out)
    })?;
    votes?;
    tallied.sort_unstable_by_key(|&(k, _)| k);
    tallied.into_iter().map(|(_, outcome)| outcome).collect()
}

/// A batch's ballots grouped by vote, and its votes by estate, each group
/// in input order (counting sorts), once the batch is checked.
struct VotesByEstate<'a> {
    batch: Batch<'a>,
    /// The ballot rows of vote `k`: `rows[row_start[k]..row_start[k + 1]]`.
    rows: Vec<u32>,
    row_start: Vec<usize>,
    /// The votes of estate `e`: `votes[vote_start[e]..vote_start[e + 1]]`.
    votes: Vec<u32>,
    vote_start: Vec<usize>,
}

impl<'a> VotesByEstate<'a> {
    /// The batch, grouped, over `estates` estates; an error for too many
    /// ballots, a vote's estate or a ballot's vote out of range.
    fn of(batch: Batch<'a>, estates: usize) -> Result<VotesByEstate<'a>> {
        check_ballot_count(batch.vote_of.len())?;
        let n = batch.motions.len();
        if let Some(k) = (0..n).find(|&k| batch.estate_of.get(k).is_none_or(|&e| e as usize >= estates)) {
            return Err(Error::invalid_input(
                format!("votes[{k}].estate"),
                format!("no register for vote number {k}"),
            ));
        }
        if let Some(row) = batch.vote_of.iter().position(|&v| v as usize >= n) {
            return Err(Error::invalid_input(
                format!("ballots[{row}].vote"),
                format!("vote number {}, but there are {n} votes", batch.vote_of[row]),
            ));
        }
        let (rows, row_start) = group(batch.vote_of, n);
        let (votes, vote_start) = group(&batch.estate_of[..n], estates);
        Ok(VotesByEstate {
            batch,
            rows,
            row_start,
            votes,
            vote_start,
        })
    }

    fn rows(&self, k: usize) -> &[u32] {
        &self.rows[self.row_start[k]..self.row_start[k + 1]]
    }

    fn of_estate(&self, e: usize) -> &[u32] {
        &self.votes[self.vote_start[e]..self.vote_start[e + 1]]
    }

    /// Vote `k`'s outcome over `register`, its `rejected` and `superseded`
    /// numbered by rows of the whole table (`views` and `instants` reused
    /// between votes).
    fn tally<'b>(
        &self,
        k: usize,
        register: &Register,
        views: &mut Views<'b>,
        instants: &mut Instants,
        view: impl Fn(usize, &mut Instants) -> View<'b>,
    ) -> Result<Outcome> {
        let rows = self.rows(k);
        views.clear();
        views.extend(rows.iter().map(|&r| view(r as usize, instants)));
        let looked_up = std::mem::take(views).look_up(register);
        let outcome = tally_views(self.batch.rulebook, &self.batch.motions[k], &looked_up);
        *views = looked_up.into_views();
        let mut outcome = outcome?;
        let global = |local: u64| u64::from(rows[local as usize]);
        outcome.rejected.iter_mut().for_each(|r| r.index = global(r.index));
        outcome.superseded.iter_mut().for_each(|s| {
            s.index = global(s.index);
            s.by = global(s.by);
        });
        Ok(outcome)
    }
}

/// The positions of `of` grouped by value (each below `groups`), in order
/// within a group: the positions, and where each group starts in them (and
/// where the last ends).
pub(crate) fn group(of: &[u32], groups: usize) -> (Vec<u32>, Vec<usize>) {
    let mut start = vec![0usize; groups + 1];
    for &g in of {
        start[g as usize + 1] += 1;
    }
    for g in 1..start.len() {
        start[g] += start[g - 1];
    }
    let mut next = start.clone();
    let mut positions = vec![0u32; of.len()];
    for (at, &g) in of.iter().enumerate() {
        positions[next[g as usize]] = at as u32;
        next[g as usize] += 1;
    }
    (positions, start)
}

/// Vote `k` of a batch tallied alone from its own ballots (those of
/// `ballots` whose `vote_of` is `k`), its `rejected` and `superseded`
/// numbered by rows of the whole table: what a batch must give for it.
#[cfg(test)]
pub(crate) fn as_if_alone(
    rulebook: &Rulebook,
    register: &Register,
    motion: &Motion,
    (ballots, vote_of): (&[BallotRecord], &[u32]),
    k: usize,
) -> Outcome {
    let rows: Vec<u64> = (0..vote_of.len() as u64)
        .filter(|&r| vote_of[r as usize] == k as u32)
        .collect();
    let own: Vec<BallotRecord> = rows.iter().map(|&r| ballots[r as usize].clone()).collect();
    let mut alone = tally_records(rulebook, register, motion, &own).unwrap();
    alone.rejected.iter_mut().for_each(|r| r.index = rows[r.index as usize]);
    alone
        .superseded
        .iter_mut()
        .for_each(|s| (s.index, s.by) = (rows[s.index as usize], rows[s.by as usize]));
    alone
}

pub(crate) fn check_ballot_count(n: usize) -> Result<()> {
    if n > MAX_BALLOTS {
        return Err(Error::limit("ballots", MAX_BALLOTS, n));
    }
    Ok(())
}

const NO_BALLOT: u32 = u32::MAX;
/// The key of a unit without a standing ballot, and of an owner without
/// one; beyond every real key.
const NO_KEY: u32 = u32::MAX;
/// The state of an owner whose units' standing ballots disagree.
const OWNER_CONFLICT: u32 = u32::MAX - 1;

/// The ballots that stand after admission (unit, scope, proxy, window),
/// duplicates and the one-owner-one-choice rule, and what they add up to.
/// A ballot not named in `rejected` or `superseded` is counted.
pub(crate) struct Resolution {
    /// Per unit: the index of its standing ballot and that ballot's key,
    /// or [`NO_BALLOT`] and [`NO_KEY`] (side by side: the loop over the
    /// ballots reads and writes both).
    standing: Vec<(u32, ChoiceKey)>,
    /// What the counted ballots add up to, by key.
    by_key: Vec<Counts>,
    /// The rejected ballots and why, by index.
    rejected: Vec<(u32, RejectionCode)>,
    /// The superseded ballots and their units' positions, by index.
    superseded: Vec<(u32, u32)>,
}

/// Resolves ballots over a scope under a voting window and duplicate
/// policy; `keys` is how many keys the views' fields use (a tally's three
/// choices, an election's sets of candidates). Each ballot is visited
/// once, and the units of owners of several units once or twice; only the
/// ballots rejected or superseded are listed.
pub(crate) fn resolve_ballots(
    scope: &crate::register::ScopeSet,
    voting: &Voting,
    views: &LookedUp<'_, '_>,
    keys: usize,
) -> Resolution {
    let (register, views) = (views.register, &views.views);
    // 1. Each ballot: rejected, or admitted for its unit; the unit's standing
    //    ballot is the one that survives the duplicate policy, and its unit
    //    is counted under its key.
    let n = register.len();
    let mut standing = vec![(NO_BALLOT, NO_KEY); n];
    let mut rejected = Vec::new();
    // superseded: ballots that came after their unit's standing one, in
    // input order; replaced: standing ballots a later one replaced
    let (mut superseded, mut replaced) = (Vec::new(), Vec::new());
    let window = Window::of(voting);
    let area_of = register.area_of();
    let mut by_key = vec![Counts::default(); keys + 1];
    for (i, m) in views.marks.iter().enumerate() {
        match admit(m, scope, &window) {
            Err(code) => rejected.push((i as u32, code)),
            Ok(pos) => {
                let slot = &mut standing[pos];
                match views.marks.get(slot.0 as usize) {
                    Some(prev) if !voting.duplicates.replaces(prev.cast(), m.cast()) => {
                        superseded.push((i as u32, pos as u32));
                    }
                    incumbent => {
                        let area = area_of[pos];
                        if incumbent.is_some() {
                            replaced.push((slot.0, pos as u32));
                            let counts = &mut by_key[(slot.1 as usize).min(keys)];
                            counts.units -= 1;
                            counts.area = counts.area.saturating_sub(area);
                        }
                        *slot = (i as u32, m.key);
                        let counts = &mut by_key[(m.key as usize).min(keys)];
                        counts.units += 1;
                        counts.area += area;
                    }
                }
            }
        }
    }
    let superseded = merge_by_index(superseded, in_index_order(replaced, views.len()));

    // 2. One owner, one choice: the owner of a unit alone has its unit's
    //    key; the keys of an owner of several units are joined.
    let (shared, shared_slots) = register.shared_units();
    let mut owner_state = vec![NO_KEY; shared_slots];
    let mut shared_by_key = vec![0u64; keys + 1];
    let mut conflict = false;
    for &(u, slot) in shared {
        let key = standing[u as usize].1;
        shared_by_key[(key as usize).min(keys)] += 1;
        if let Some(state) = owner_state.get_mut(slot as usize) {
            // selects rather than branches: which way they go follows the data
            let joined = if *state == NO_KEY || *state == key {
                key
            } else {
                OWNER_CONFLICT
            };
            *state = if key == NO_KEY { *state } else { joined };
            conflict |= *state == OWNER_CONFLICT;
        }
    }
    for (counts, shared) in by_key[..keys].iter_mut().zip(shared_by_key) {
        counts.owners = counts.units - shared;
    }
    for &state in &owner_state {
        // owners without a counted choice are beyond every key
        by_key[(state as usize).min(keys)].owners += 1;
    }
    // 3. An owner whose standing ballots disagree is rejected whole: their
    //    ballots are, and their units come back out of the counts.
    if conflict {
        let mut conflicted = Vec::new();
        for &(u, slot) in shared {
            let (u, key) = (u as usize, standing[u as usize].1);
            if owner_state.get(slot as usize) == Some(&OWNER_CONFLICT) && key != NO_KEY {
                let counts = &mut by_key[(key as usize).min(keys)];
                counts.units -= 1;
                counts.area = counts.area.saturating_sub(area_of[u]);
                conflicted.push((standing[u].0, RejectionCode::OwnerConflict));
            }
        }
        rejected = merge_by_index(rejected, in_index_order(conflicted, views.len()));
    }
    by_key.truncate(keys);
    Resolution {
        standing,
        by_key,
        rejected,
        superseded,
    }
}

/// Two lists of distinct ballot indices, each in input order, as one.
fn merge_by_index<T>(a: Vec<(u32, T)>, b: Vec<(u32, T)>) -> Vec<(u32, T)> {
    if b.is_empty() {
        return a;
    }
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for item in a {
        while let Some(earlier) = b.next_if(|&(i, _)| i < item.0) {
            merged.push(earlier);
        }
        merged.push(item);
    }
    merged.extend(b);
    merged
}

/// A list of distinct ballot indices below `n`, in input order: a
/// counting sort, each item's place being how many indices of the list
/// are below its own (read from a set of the indices, a bit per ballot).
fn in_index_order<T: Copy>(mut list: Vec<(u32, T)>, n: usize) -> Vec<(u32, T)> {
    if list.is_sorted_by_key(|&(i, _)| i) {
        return list;
    }
    let mut set = vec![0u64; n.div_ceil(64)];
    for &(i, _) in &list {
        set[i as usize / 64] |= 1 << (i % 64);
    }
    // how many indices of the list are in the words before each
    let before: Vec<u32> = set
        .iter()
        .scan(0, |count, word| {
            let before = *count;
            *count += word.count_ones();
            Some(before)
        })
        .collect();
    let unordered = list.clone();
    for (i, item) in unordered {
        let (w, bit) = (i as usize / 64, i % 64);
        let below = set[w] & ((1 << bit) - 1);
        list[(before[w] + below.count_ones()) as usize] = (i, item);
    }
    list
}

impl Resolution {
    /// What the counted ballots add up to, by key: units and area of the
    /// units whose ballots count, owners whose choice counts.
    pub(crate) fn counts_by_key(&self) -> &[Counts] {
        &self.by_key
    }

    /// Every ballot accounted for: counted, superseded (by which), rejected (why).
    pub(crate) fn accounting(&self, views: &LookedUp<'_, '_>) -> (BallotSummary, Vec<Rejection>, Vec<Supersession>) {
        let (register, views) = (views.register, &views.views);
        let rejected: Vec<Rejection> = self
            .rejected
            .iter()
            .map(|&(i, code)| Rejection {
                index: u64::from(i),
                unit: UnitId::from(views.units[i as usize]),
                code,
                reason: Cow::Borrowed(code.reason_zh()),
                reason_en: Cow::Borrowed(code.reason_en()),
            })
            .collect();
        let superseded: Vec<Supersession> = self
            .superseded
            .iter()
            .map(|&(i, pos)| Supersession {
                index: u64::from(i),
                unit: UnitId::from(register.id(pos as usize)),
                by: u64::from(self.standing[pos as usize].0),
            })
            .collect();
        let received = views.len() as u64;
        let summary = BallotSummary {
            received,
            counted: received - rejected.len() as u64 - superseded.len() as u64,
            superseded: superseded.len() as u64,
            rejected: rejected.len() as u64,
        };
        (summary, rejected, superseded)
    }
}

pub(crate) fn tally_views(rulebook: &Rulebook, motion: &Motion, views: &LookedUp<'_, '_>) -> Result<Outcome> {
    let register = views.register;
    let rules = rulebook.in_force(motion.decided_on)?;
    let requirement = rules.requirement(motion.matter)?;
    rules.check_non_response(&motion.voting.non_response)?;
    let scope = register.resolve(&motion.scope)?;
    let base = scope.totals();
    if base.area == Area::ZERO {
        return Err(Error::EmptyScope(format!("{} has no area", motion.scope)));
    }
    let resolution = resolve_ballots(&scope, &motion.voting, views, CHOICES.len());
    let mut participation = Counts::default();
    let mut votes = Votes::default();
    for (choice, &counts) in CHOICES.into_iter().zip(resolution.counts_by_key()) {
        participation.units += counts.units;
        participation.owners += counts.owners;
        participation.area += counts.area;
        *votes.of(choice) = counts;
    }
    let (summary, rejected, superseded) = resolution.accounting(views);

    let checks = evaluate(requirement, base, participation, votes.agree);
    Ok(Outcome {
        passed: checks.all_met(),
        matter: motion.matter,
        decided_on: motion.decided_on,
        scope: motion.scope.clone(),
        law: Law::of(&rules),
        base,
        participation,
        votes,
        checks,
        ballots: summary,
        rejected,
        superseded,
    })
}

impl Law {
    pub(crate) fn of(rules: &RulesInForce) -> Law {
        let top = rules.layers().last().cloned().unwrap_or(Layer {
            rulebook: String::new(),
            version: String::new(),
        });
        let law = rules.law();
        Law {
            rulebook: top.rulebook,
            version: top.version,
            citation: law.map(|c| c.zh.clone()).unwrap_or_default(),
            citation_en: law.map(|c| c.en.clone()).unwrap_or_default(),
            layers: rules.layers().to_vec(),
        }
    }
}

/// The checks of a requirement, given the scope's totals, who took part and
/// who agreed.
pub(crate) fn evaluate(requirement: &Requirement, base: Counts, participation: Counts, agree: Counts) -> Checks {
    let silent_area = base.area.saturating_sub(participation.area);
    let silent_owners = base.owners.saturating_sub(participation.owners);
    let (participation_area, participation_owners) = match &requirement.participation {
        Some(p) => (
            Some(fixed_check(
                participation.area,
                base.area,
                p.area,
                silent_area,
                &p.citation,
            )),
            Some(fixed_check(
                participation.owners,
                base.owners,
                p.owners,
                silent_owners,
                &p.citation,
            )),
        ),
        None => (None, None),
    };
    let a = &requirement.approval;
    let (approval_area, approval_owners) = match a.base {
        ApprovalBase::Total => (
            fixed_check(agree.area, base.area, a.area, silent_area, &a.citation),
            fixed_check(agree.owners, base.owners, a.owners, silent_owners, &a.citation),
        ),
        ApprovalBase::Participating => (
            growing_check(agree.area, participation.area, a.area, silent_area, &a.citation),
            growing_check(agree.owners, participation.owners, a.owners, silent_owners, &a.citation),
        ),
    };
    Checks {
        participation_area,
        participation_owners,
        approval_area,
        approval_owners,
    }
}

/// Owners and area: the figures of a quick check from totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Totals {
    /// Owners (headcount).
    pub owners: u64,
    /// Area.
    pub area: Area,
}

impl From<Totals> for Counts {
    fn from(t: Totals) -> Counts {
        Counts {
            units: 0,
            owners: t.owners,
            area: t.area,
        }
    }
}

/// The result of a quick check from totals.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct TotalsOutcome {
    /// Whether every check is met.
    pub passed: bool,
    /// The matter.
    pub matter: Matter,
    /// The date whose law applied.
    pub decided_on: Date,
    /// The law applied.
    pub law: Law,
    /// The checks.
    pub checks: Checks,
}

/// A quick check from totals, when the ballots are not at hand: the scope's
/// owners and area (`base`), those who took part, and those who agreed.
/// The same checks as [`tally`], without ballot accounting.
///
/// ```
/// use yeweihui::tally::{tally_totals, Totals};
/// use yeweihui::{Matter, Rulebook};
/// let t = |owners, area: &str| Totals { owners, area: area.parse().unwrap() };
/// let day = yeweihui::calendar::parse_date("d", "2026-05-01")?;
/// let out = tally_totals(Rulebook::preset("cn-national")?, Matter::OtherMajor, day,
///                        t(3, "300"), t(2, "200"), t(2, "200"))?;
/// assert!(out.passed); // exactly 2/3 of the area took part: 以上 includes the number
/// # Ok::<(), yeweihui::Error>(())
/// ```
pub fn tally_totals(
    rulebook: &Rulebook,
    matter: Matter,
    decided_on: Date,
    base: Totals,
    participation: Totals,
    agree: Totals,
) -> Result<TotalsOutcome> {
    if base.owners == 0 || base.area == Area::ZERO {
        return Err(Error::EmptyScope("the totals have no owners or no area".into()));
    }
    for (what, part, whole) in [("participation", participation, base), ("agree", agree, participation)] {
        if part.owners > whole.owners || part.area > whole.area {
            return Err(Error::invalid_input(
                what,
                format!(
                    "{} owners / {} m² is more than the {} owners / {} m² it is part of",
                    part.owners, part.area, whole.owners, whole.area
                ),
            ));
        }
    }
    let rules = rulebook.in_force(decided_on)?;
    let checks = evaluate(
        rules.requirement(matter)?,
        base.into(),
        participation.into(),
        agree.into(),
    );
    Ok(TotalsOutcome {
        passed: checks.all_met(),
        matter,
        decided_on,
        law: Law::of(&rules),
        checks,
    })
}

/// Admits a looked-up ballot ([`LookedUp`]) to stand for its unit, or says why not.
fn admit(m: &Marks, scope: &crate::register::ScopeSet, window: &Window) -> std::result::Result<usize, RejectionCode> {
    if let Some(flaw) = m.flaw {
        return Err(flaw);
    }
    if m.pos == UNKNOWN_UNIT {
        return Err(RejectionCode::UnknownUnit);
    }
    let pos = m.pos as usize;
    if !scope.contains(pos) {
        return Err(RejectionCode::OutOfScope);
    }
    if m.channel == Channel::Proxy && !m.authorized {
        return Err(RejectionCode::ProxyWithoutAuthorization);
    }
    if window.given {
        if !m.timed {
            return Err(RejectionCode::MissingCastAt);
        }
        // a time in a second strictly between the window's ends is inside
        // it, whatever its nanoseconds: the seconds mostly decide
        if m.seconds <= window.opens.0 || m.seconds >= window.closes.0 {
            let t = (m.seconds, m.nanos);
            if t < window.opens {
                return Err(RejectionCode::BeforeOpen);
            }
            if t > window.closes {
                return Err(RejectionCode::AfterClose);
            }
        }
    }
    Ok(pos)
}

/// A vote's window as [`Moment::parts`]; an open end is the earliest or
/// latest there is.
struct Window {
    given: bool,
    opens: (i64, u32),
    closes: (i64, u32),
}

impl Window {
    fn of(voting: &Voting) -> Window {
        let parts = |t: Option<time::OffsetDateTime>| t.map(|t| Moment::from(t).parts());
        Window {
            given: voting.opens_at.is_some() || voting.closes_at.is_some(),
            opens: parts(voting.opens_at).unwrap_or((i64::MIN, 0)),
            closes: parts(voting.closes_at).unwrap_or((i64::MAX, u32::MAX)),
        }
    }
}

/// A quantity a check measures: areas (stepping by 0.01 m²) or headcounts.
pub(crate) trait Measure: Copy {
    const STEP: u128;
    fn raw(self) -> u128;
    fn from_raw(raw: u128) -> Self;
}

impl Measure for Area {
    const STEP: u128 = Area::CENTIARE.ten_thousandths() as u128;
    fn raw(self) -> u128 {
        u128::from(self.ten_thousandths())
    }
    fn from_raw(raw: u128) -> Area {
        Area::from_ten_thousandths(u64::try_from(raw).unwrap_or(u64::MAX))
    }
}

impl Measure for u64 {
    const STEP: u128 = 1;
    fn raw(self) -> u128 {
        u128::from(self)
    }
    fn from_raw(raw: u128) -> u64 {
        u64::try_from(raw).unwrap_or(u64::MAX)
    }
}

fn make_check<Q: Measure>(
    measured: Q,
    base: Q,
    required: Threshold,
    shortfall: Option<u128>,
    silent: Q,
    citation: &Citation,
) -> Check<Q> {
    let met = required.is_met(measured.raw(), base.raw());
    Check {
        met,
        measured,
        base,
        required,
        shortfall: Q::from_raw(shortfall.unwrap_or(0)),
        reachable: met || shortfall.is_some_and(|s| s <= silent.raw()),
        citation: citation.zh.clone(),
        citation_en: citation.en.clone(),
    }
}

/// A check against a fixed base (participation; approval under 物权法).
pub(crate) fn fixed_check<Q: Measure>(
    measured: Q,
    base: Q,
    required: Threshold,
    silent: Q,
    citation: &Citation,
) -> Check<Q> {
    let shortfall = required.shortfall_fixed_base(measured.raw(), base.raw(), Q::STEP);
    make_check(measured, base, required, shortfall, silent, citation)
}

/// A check against the participants, whom added votes join.
fn growing_check<Q: Measure>(measured: Q, base: Q, required: Threshold, silent: Q, citation: &Citation) -> Check<Q> {
    let shortfall = required.shortfall_growing_base(measured.raw(), base.raw(), Q::STEP);
    make_check(measured, base, required, Some(shortfall), silent, citation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_ballot_indices_come_out_in_input_order() {
        // distinct indices in a scrambled order, within and across 64-bit words
        let mut seed = 7u64;
        for n in [1usize, 2, 63, 64, 65, 200, 1_000] {
            for share in [1, 3, 10] {
                let mut list: Vec<(u32, usize)> = (0..n as u32)
                    .filter(|i| i % share == 0)
                    .map(|i| (i, i as usize * 2))
                    .collect();
                for i in (1..list.len()).rev() {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    list.swap(i, (seed >> 33) as usize % (i + 1));
                }
                let mut expected = list.clone();
                expected.sort_by_key(|&(i, _)| i);
                let ordered = in_index_order(list, n);
                assert_eq!(ordered, expected, "{n} ballots, every {share}th");
                // merged with the rest, in order
                let rest: Vec<(u32, usize)> = (0..n as u32)
                    .filter(|i| i % share != 0)
                    .map(|i| (i, i as usize * 2))
                    .collect();
                let all: Vec<(u32, usize)> = (0..n as u32).map(|i| (i, i as usize * 2)).collect();
                assert_eq!(merge_by_index(rest.clone(), ordered.clone()), all);
                assert_eq!(merge_by_index(ordered, rest), all);
            }
        }
    }

    #[test]
    fn a_batch_builds_each_register_once_when_it_comes_to_it_and_holds_one_a_part() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        /// A register lent by the test, counted while it is held.
        struct Held<'a>(&'a Register, &'a AtomicUsize);
        impl std::borrow::Borrow<Register> for Held<'_> {
            fn borrow(&self) -> &Register {
                self.0
            }
        }
        impl Drop for Held<'_> {
            fn drop(&mut self) {
                self.1.fetch_sub(1, Ordering::SeqCst);
                HERE.with(|here| here.set(here.get() - 1));
            }
        }
        thread_local! {
            /// The registers held by this thread (one part of a batch).
            static HERE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let units = |estate: usize, n: usize| {
            let units: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"id":"{i}","area":"{}.5","owner":"p{}"}}"#,
                        50 + i % 40 + estate,
                        i / 2
                    )
                })
                .collect();
            Register::from_json(&format!("[{}]", units.join(","))).unwrap()
        };
        let sizes = [400, 900, 300, 700, 500, 600];
        let registers: Vec<Register> = sizes.iter().enumerate().map(|(e, &n)| units(e, n)).collect();
        let day = crate::calendar::parse_date("d", "2026-04-30").unwrap();
        let motions: Vec<Motion> = (0..5)
            .map(|_| Motion::new(crate::matter::Matter::OtherMajor, day))
            .collect();
        // estates 3 and 4 have no vote; estate 2 has two
        let estate_of = [2u32, 0, 2, 5, 1];
        let (mut ballots, mut vote_of) = (Vec::new(), Vec::new());
        for (k, &e) in estate_of.iter().enumerate() {
            for i in (k..sizes[e as usize]).step_by(3) {
                let choice = ["agree", "against", "agree"][(i + k) % 3];
                ballots.push(BallotRecord {
                    unit: if i % 97 == 0 { "nowhere".into() } else { i.to_string() },
                    choice: choice.into(),
                    channel: None,
                    cast_at: None,
                    authorization: None,
                });
                vote_of.push(k as u32);
            }
        }
        // the ballots of the votes mixed in one table
        let mixed: Vec<usize> = (0..ballots.len()).map(|i| (i * 7919) % ballots.len()).collect();
        let (ballots, vote_of): (Vec<_>, Vec<_>) = mixed.iter().map(|&i| (ballots[i].clone(), vote_of[i])).unzip();
        assert!(sizes.iter().sum::<usize>() + ballots.len() >= crate::parallel::MIN_ROWS_FOR_A_THREAD);
        let rulebook = Rulebook::preset("cn-national").unwrap();
        let batch = || Batch {
            rulebook,
            motions: &motions,
            estate_of: &estate_of,
            vote_of: &vote_of,
        };
        let (live, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // the most held at once by this thread (the first part's, and the
        // shared register's builder) and by another (the second part's)
        let (most_main, most_other) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let main = std::thread::current().id();
        let builds: Vec<AtomicUsize> = sizes.iter().map(|_| AtomicUsize::new(0)).collect();
        let register = |bad: Option<usize>| {
            let (live, most, builds, registers) = (&live, &most, &builds, &registers);
            let (most_main, most_other) = (&most_main, &most_other);
            move |e: usize| {
                builds[e].fetch_add(1, Ordering::SeqCst);
                if bad == Some(e) {
                    return Err(Error::invalid_input(format!("estate {e}"), "bad"));
                }
                most.fetch_max(live.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                let here = HERE.with(|here| {
                    here.set(here.get() + 1);
                    here.get()
                });
                let most_here = if std::thread::current().id() == main {
                    most_main
                } else {
                    most_other
                };
                most_here.fetch_max(here, Ordering::SeqCst);
                Ok(Held(&registers[e], live))
            }
        };
        let built = || builds.iter().map(|b| b.swap(0, Ordering::SeqCst)).collect::<Vec<_>>();
        let view = |row: usize, t: &mut Instants| View::of_record(&ballots[row], t);
        let outcomes = tally_by_estate(&sizes, register(None), Ok(batch()), view).unwrap();
        for (k, outcome) in outcomes.iter().enumerate() {
            let register = &registers[estate_of[k] as usize];
            let alone = as_if_alone(rulebook, register, &motions[k], (&ballots, &vote_of), k);
            assert!(!alone.rejected.is_empty());
            assert_eq!(*outcome, alone, "vote {k}");
        }
        // every estate built once: estate 2, whose votes both parts have,
        // here before the parts start, for both
        assert_eq!(built(), vec![1; sizes.len()]);
        // each part holds one register of its own at a time (the last
        // dropped before the next is built), the first (on this thread)
        // besides the shared one; none after
        let most_here = |m: &AtomicUsize| m.load(Ordering::SeqCst);
        assert_eq!((most_here(&most_main), most_here(&most_other)), (2, 1));
        assert!((2..=3).contains(&most.load(Ordering::SeqCst)));
        assert_eq!(live.load(Ordering::SeqCst), 0);

        // one estate's batch (the ballots twice, to be worth two parts):
        // its register built once, for both parts
        let twice: Vec<BallotRecord> = ballots.iter().chain(&ballots).cloned().collect();
        let twice_vote_of: Vec<u32> = vote_of.iter().chain(&vote_of).copied().collect();
        let one_estate = Batch {
            estate_of: &[0; 5],
            vote_of: &twice_vote_of,
            ..batch()
        };
        assert!(sizes[1] + twice.len() >= crate::parallel::MIN_ROWS_FOR_A_THREAD);
        let largest = register(None);
        let outcomes = tally_by_estate(
            &[sizes[1]],
            |_| largest(1),
            Ok(one_estate),
            |row, t| View::of_record(&twice[row], t),
        )
        .unwrap();
        for (k, outcome) in outcomes.iter().enumerate() {
            let alone = as_if_alone(rulebook, &registers[1], &motions[k], (&twice, &twice_vote_of), k);
            assert_eq!(*outcome, alone, "vote {k} of one estate");
        }
        assert_eq!(built(), [0, 1, 0, 0, 0, 0]);
        assert_eq!(live.load(Ordering::SeqCst), 0);

        // a batch's own error: every register is built all the same, and
        // a register's error comes first
        let unknown = Batch {
            estate_of: &[2, 0, 2, 6, 1],
            ..batch()
        };
        let error = tally_by_estate(&sizes, register(None), Ok(unknown), view).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input at votes[3].estate: no register for vote number 3"
        );
        assert!(built().iter().all(|&c| c >= 1));
        let given = Error::invalid_input("votes[0].matter", "unknown");
        let error = tally_by_estate(&sizes, register(Some(3)), Err(given.clone()), view).unwrap_err();
        assert_eq!(error.to_string(), "invalid input at estate 3: bad");
        assert_eq!(
            tally_by_estate(&sizes, register(None), Err(given.clone()), view).unwrap_err(),
            given
        );
        built();
        // an estate's error, though it has no vote
        let error = tally_by_estate(&sizes, register(Some(4)), Ok(batch()), view).unwrap_err();
        assert_eq!(error.to_string(), "invalid input at estate 4: bad");
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }

    mod batches {
        use super::*;
        use crate::register::{UnitRecord, UnitStatus};
        use proptest::prelude::*;

        /// An estate of `n` units (ids `U0`, `U1`, ..., two to an owner).
        fn register(n: usize) -> Register {
            let units: Vec<UnitRecord> = (0..n)
                .map(|i| UnitRecord {
                    id: format!("U{i}"),
                    building: None,
                    area: crate::quantity::DecimalText::Text(format!("{}.25", 40 + i % 90)),
                    owner: Some(format!("o{}", i / 2)),
                    status: if i % 23 == 0 {
                        UnitStatus::DeveloperUnsold
                    } else {
                        UnitStatus::Owned
                    },
                })
                .collect();
            Register::new(&units).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            /// Units looked up from near the last one found are found where
            /// the register's table finds them: ballots that come in its
            /// order with units skipped, repeated, unknown or out of order,
            /// ids of every length, up to the register's last unit.
            #[test]
            fn units_looked_up_near_the_last_found_are_where_the_table_has_them(
                units in 1usize..300,
                steps in prop::collection::vec((0usize..4, 0usize..400), 0..400),
            ) {
                let register = register(units);
                let mut at = 0;
                let ids: Vec<String> = steps
                    .iter()
                    .map(|&(kind, n)| match kind {
                        // in order, up to `NEAR` and a few more ahead, or again
                        0 => {
                            at += n % (NEAR + 3);
                            format!("U{at}")
                        }
                        // anywhere, and on from there
                        1 => {
                            at = n;
                            format!("U{at}")
                        }
                        // unknown, short and long
                        2 => format!("X{n}"),
                        _ => format!("U{at}-with-a-long-suffix-{n}"),
                    })
                    .collect();
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                let mut marks = vec![Marks::of(Err(RejectionCode::UnknownUnit)); ids.len()];
                look_up(&ids, &mut marks, &register);
                for (id, m) in ids.iter().zip(&marks) {
                    let expected = register.position(id).map_or(UNKNOWN_UNIT, |p| p as u32);
                    prop_assert_eq!(m.pos, expected, "{}", id);
                }
            }

            /// Records parsed and looked up in two halves (on two threads
            /// from 8,000) give the outcome of one pass over them, and so do
            /// the same records prepared: bad choices and times, unknown
            /// units and duplicates, wherever the halves meet.
            #[test]
            fn records_in_two_halves_give_what_one_pass_gives(
                units in 1usize..3_000,
                ballots in prop_oneof![
                    prop::collection::vec((0usize..3_200, 0usize..4, 0u32..3), 0..300),
                    prop::collection::vec((0usize..3_200, 0usize..4, 0u32..3), 8_000..8_500),
                ],
            ) {
                let register = register(units);
                let day = crate::calendar::parse_date("d", "2026-04-30").unwrap();
                let mut motion = Motion::new(crate::matter::Matter::OtherMajor, day);
                motion.voting.duplicates = crate::ballot::DuplicatePolicy::LatestWins;
                let records: Vec<BallotRecord> = ballots
                    .iter()
                    .map(|&(unit, choice, hour)| BallotRecord {
                        unit: format!("U{unit}"),
                        choice: ["agree", "against", "abstain", "maybe"][choice].into(),
                        channel: None,
                        // hour 2 becomes 25 o'clock: a time to reject
                        cast_at: Some(format!("2026-04-20T1{hour}:00:00+08:00").replace("T12", "T25")),
                        authorization: None,
                    })
                    .collect();
                let rulebook = Rulebook::preset("cn-national").unwrap();
                let mut instants = Instants::default();
                let one_pass = records.iter().map(|r| View::of_record(r, &mut instants)).collect::<Views>().look_up(&register);
                let expected = tally_views(rulebook, &motion, &one_pass).unwrap();
                prop_assert_eq!(&tally_records(rulebook, &register, &motion, &records).unwrap(), &expected);
                let prepared = PreparedBallots::new(&register, &records).unwrap();
                prop_assert_eq!(&prepared.tally(rulebook, &motion).unwrap(), &expected);
            }

            /// A batch gives each vote the outcome of its own ballots
            /// tallied alone, whatever the estates (some without votes,
            /// some with several), the votes' order and the ballots'
            /// mixing; from 2,000 units and ballots it is tallied estate by
            /// estate in two parts on two threads.
            #[test]
            fn a_batch_gives_each_vote_what_it_gives_alone(
                sizes in prop::collection::vec(1usize..900, 1..6),
                votes in prop::collection::vec((any::<prop::sample::Index>(), 0usize..2), 1..7),
                ballots in prop::collection::vec((any::<prop::sample::Index>(), 0usize..1_000, 0usize..3), 0..2_500),
            ) {
                let registers: Vec<Register> = sizes.iter().map(|&n| register(n)).collect();
                let estate_of: Vec<u32> = votes.iter().map(|(e, _)| e.index(sizes.len()) as u32).collect();
                let day = crate::calendar::parse_date("d", "2026-04-30").unwrap();
                let matters = [crate::matter::Matter::OtherMajor, crate::matter::Matter::UseMaintenanceFund];
                let motions: Vec<Motion> = votes.iter().map(|&(_, m)| Motion::new(matters[m], day)).collect();
                // each ballot for a unit of its vote's estate, or (past its size) one it does not have
                let (records, vote_of): (Vec<BallotRecord>, Vec<u32>) = ballots
                    .iter()
                    .map(|(vote, unit, choice)| {
                        let record = BallotRecord {
                            unit: format!("U{unit}"),
                            choice: ["agree", "against", "abstain"][*choice].into(),
                            channel: None,
                            cast_at: None,
                            authorization: None,
                        };
                        (record, vote.index(votes.len()) as u32)
                    })
                    .unzip();
                let rulebook = Rulebook::preset("cn-national").unwrap();
                let outcomes = tally_many_estates(rulebook, &registers, &estate_of, &motions, &records, &vote_of).unwrap();
                prop_assert_eq!(outcomes.len(), motions.len());
                for (k, outcome) in outcomes.iter().enumerate() {
                    let register = &registers[estate_of[k] as usize];
                    let alone = as_if_alone(rulebook, register, &motions[k], (&records, &vote_of), k);
                    prop_assert_eq!(outcome, &alone, "vote {}", k);
                }
            }
        }
    }
}
