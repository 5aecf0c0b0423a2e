//! The JSON operations shared by every surface: `run(operation, json)`.
//!
//! The Python and JavaScript bindings call [`run`] (and the typed inputs
//! here) and nothing else, so the same input gives byte-identical output on
//! all three surfaces. Input and output shapes are documented in
//! `conformance/README.md`; errors come back as `{"error": code, "message": ...}`
//! through [`run_to_json`].
//!
//! ```
//! let out = yeweihui::wire::run("tally", r#"{
//!   "rulebook": "cn-national", "decided_on": "2026-03-01", "matter": "other_major",
//!   "register": {"units": [{"id": "1", "area": "50"}, {"id": "2", "area": "50"}]},
//!   "ballots": [{"unit": "1", "choice": "agree"}, {"unit": "2", "choice": "agree"}]
//! }"#)?;
//! assert!(out.starts_with(r#"{"passed":true"#));
//! let err = yeweihui::wire::run_to_json("tally", "{");
//! assert!(err.starts_with(r#"{"error":"invalid_input""#));
//! # Ok::<(), yeweihui::Error>(())
//! ```

use crate::assembly::{assembly_notice, requisition, Notice, Requisition};
use crate::ballot::{BallotRecord, VotingRecord};
use crate::calendar::{format_date, parse_date, Date, Deadline, HolidayCalendar, Instants, Period, YearSchedule};
use crate::committee::election::{election, Candidate, ElectionBallot, ElectionInput, ElectionOutcome};
use crate::committee::term::{term, Term};
use crate::committee::vacancy::{removal, vacancies, Leaving, Removal, Vacancies};
use crate::committee::{committee_meeting, offices, MeetingInput, MeetingOutcome, MemberVote, Nomination, Offices};
use crate::disclosure::{audit, schedule, Audit, Event, Publication, Schedule};
use crate::error::{Error, Result};
use crate::explain::Lang;
use crate::funds::{
    approve, cost_split, revenue_summary, route, Allocation, Approval, Basis, CostSplit, EntryKind, Evidence,
    LedgerEntry, RevenueSummary, Route, SpendingRequest,
};
use crate::json::{FromJson, ToJson};
use crate::matter::Matter;
use crate::quantity::{DecimalCell, DecimalText, Money};
use crate::register::{area_of_cell, area_of_text, Register, RegisterRecords, Scope, UnitRecord, UnitRow, UnitStatus};
use crate::rulebook::{Fund, FundAction, Layer, Level, RuleInForce, Rulebook, RulebookRef, RulesInForce, Text};
use crate::tally::{
    check_ballot_count, tally_by_estate, tally_records, tally_totals, tally_views, Batch, Motion, Outcome, Totals,
    TotalsOutcome, View, Views,
};

/// The operations [`run`] knows.
pub const OPERATIONS: [&str; 23] = [
    "tally",
    "tally_many",
    "tally_totals",
    "explain",
    "rulebooks",
    "csv",
    "deadline",
    "assembly_notice",
    "requisition",
    "disclosure_schedule",
    "disclosure_audit",
    "committee_meeting",
    "fund_route",
    "fund_approval",
    "cost_split",
    "public_revenue",
    "election",
    "term",
    "removal",
    "vacancy",
    "rules_in_force",
    "parse_rulebook",
    "offices",
];

/// Parses JSON input; errors are `invalid_input` with a path under `what`.
pub(crate) fn parse_json<T: FromJson>(json: &str, what: &str) -> Result<T> {
    crate::json::from_str(json).map_err(|e| {
        let path = match e.path().as_str() {
            "." => what.to_owned(),
            path if path.starts_with('[') => format!("{what}{path}"),
            path => format!("{what}.{path}"),
        };
        Error::invalid_input(path, e.message_with_position())
    })
}

/// Runs a wire operation on JSON text and returns JSON text.
pub fn run(operation: &str, input: &str) -> Result<String> {
    match operation {
        "tally_many" => operate(input, TallyManyInput::run),
        "deadline" => operate(input, DeadlineInput::run),
        "assembly_notice" => operate(input, NoticeInput::run),
        "requisition" => operate(input, RequisitionInput::run),
        "disclosure_schedule" => operate(input, ScheduleInput::run),
        "disclosure_audit" => operate(input, AuditInput::run),
        "committee_meeting" => operate(input, CommitteeMeetingInput::run),
        "fund_route" => operate(input, FundRouteInput::run),
        "fund_approval" => operate(input, FundApprovalInput::run),
        "cost_split" => operate(input, CostSplitInput::run),
        "public_revenue" => operate(input, RevenueInput::run),
        "election" => operate(input, ElectionWireInput::run),
        "term" => operate(input, TermInput::run),
        "removal" => operate(input, RemovalInput::run),
        "vacancy" => operate(input, VacancyInput::run),
        "rules_in_force" => operate(input, RulesInForceInput::run),
        "parse_rulebook" => operate(input, ParseRulebookInput::run),
        "offices" => operate(input, OfficesInput::run),
        _ => run_quorum(operation, input),
    }
}

/// The operations a quorum calculator needs: tally a vote (or totals),
/// explain the outcome, read CSV, list the presets. [`run_quorum`] runs just
/// these, so a program built on it (the npm package's small web module for
/// quorum pages) carries only their code.
pub const QUORUM_OPERATIONS: [&str; 5] = ["tally", "tally_totals", "explain", "csv", "rulebooks"];

/// Runs one of the [`QUORUM_OPERATIONS`] as [`run`] does; any other
/// operation is `unknown_operation`.
pub fn run_quorum(operation: &str, input: &str) -> Result<String> {
    match operation {
        "tally" => tally_json(input),
        "tally_totals" => operate(input, TotalsInput::run),
        "explain" => operate(input, ExplainInput::run),
        "csv" => operate(input, CsvInput::run),
        "rulebooks" => operate(input, |_: &Empty| Ok(rulebooks())),
        other => Err(Error::UnknownOperation(other.to_owned())),
    }
}

/// Reads an operation's input, runs it, writes its output.
fn operate<I: FromJson, O: ToJson>(input: &str, run: impl FnOnce(&I) -> Result<O>) -> Result<String> {
    Ok(to_json(&run(&parse_json::<I>(input, "input")?)?))
}

/// Like [`run`], but an error becomes `{"error": code, "message": ...}`.
pub fn run_to_json(operation: &str, input: &str) -> String {
    run(operation, input).unwrap_or_else(|e| error_to_json(&e))
}

/// The JSON form of an error: `{"error": code, "message": ...}`.
pub fn error_to_json(e: &Error) -> String {
    to_json(&ErrorOutput {
        error: e.code().as_str(),
        message: e.to_string(),
    })
}

#[derive(ToJson)]
struct ErrorOutput<'a> {
    error: &'a str,
    message: String,
}

fn to_json<T: ToJson>(value: &T) -> String {
    crate::json::to_string(value)
}

#[derive(FromJson)]
#[json(deny_unknown_fields)]
struct Empty {}

/// A rulebook in the input: a preset id or an inline rulebook.
pub type RulebookInput = RulebookRef;

/// Input of the `tally` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct TallyInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// `YYYY-MM-DD`: the date whose law applies.
    pub decided_on: String,
    /// Matter name.
    pub matter: String,
    /// Scope (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// `{"units": [...]}` or a list of units.
    #[json(default)]
    register: RegisterRecords,
    /// Ballots.
    #[json(default)]
    pub ballots: Vec<BallotRecord>,
    /// Window and policies.
    #[json(default)]
    pub voting: Option<VotingRecord>,
}

impl TallyInput {
    /// The register rows as given.
    pub fn units(&self) -> &[UnitRecord] {
        self.register.units()
    }

    /// Validates the input and tallies it.
    pub fn run(&self) -> Result<Outcome> {
        let register = Register::new(self.register.units())?;
        let (rulebook, motion) = self.rules_and_motion()?;
        tally_records(rulebook, &register, &motion, &self.ballots)
    }

    /// The rulebook and the motion of the input.
    fn rules_and_motion(&self) -> Result<(&Rulebook, Motion)> {
        let rulebook = self.rulebook.rulebook()?;
        Ok((
            rulebook,
            motion(&self.matter, &self.decided_on, &self.scope, &self.voting)?,
        ))
    }
}

/// Builds a motion from its wire fields.
fn motion(matter: &str, decided_on: &str, scope: &Option<Scope>, voting: &Option<VotingRecord>) -> Result<Motion> {
    let matter: Matter = matter.parse()?;
    let decided_on = parse_date("decided_on", decided_on)?;
    let voting = voting.clone().unwrap_or_default().parse()?;
    Ok(Motion::new(matter, decided_on)
        .with_scope(scope.clone().unwrap_or_default())
        .with_voting(voting))
}

/// One vote of a `tally_many` input.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct VoteInput {
    /// The vote's id, which ballots name in their `vote` field.
    pub id: String,
    /// Matter name.
    pub matter: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    /// Scope (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// Window and policies.
    #[json(default)]
    pub voting: Option<VotingRecord>,
    /// The estate whose register applies, when the input has several.
    #[json(default)]
    pub estate: Option<String>,
}

/// A ballot of a `tally_many` input: a ballot record with its vote id.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct VoteBallot {
    /// The vote's id.
    pub vote: String,
    /// Unit id.
    pub unit: String,
    /// `agree`, `against` or `abstain`.
    pub choice: String,
    /// `online`, `paper` or `proxy`.
    #[json(default)]
    pub channel: Option<String>,
    /// RFC 3339 instant.
    #[json(default)]
    pub cast_at: Option<String>,
    /// Written authorization reference.
    #[json(default)]
    pub authorization: Option<String>,
}

/// The ballot table as columns of borrowed text (what bindings pass from
/// data frames, without copying); optional columns may be absent, and cells
/// may be null.
#[derive(Debug, Clone, Default)]
pub struct BallotColumns<'a> {
    /// Vote id of each ballot (a batch); empty for a single vote.
    pub vote: Vec<&'a str>,
    /// Unit id.
    pub unit: Vec<&'a str>,
    /// Choice.
    pub choice: Vec<&'a str>,
    /// Channel.
    pub channel: Option<Vec<Option<&'a str>>>,
    /// Time cast.
    pub cast_at: Option<Vec<Option<&'a str>>>,
    /// Authorization reference.
    pub authorization: Option<Vec<Option<&'a str>>>,
}

impl<'a> BallotColumns<'a> {
    /// The number of ballots, after checking every column has one value per ballot.
    fn len(&self) -> Result<usize> {
        let n = self.unit.len();
        check_lengths(
            "ballots",
            "unit",
            n,
            [
                ("choice", Some(self.choice.len())),
                ("channel", self.channel.as_ref().map(Vec::len)),
                ("cast_at", self.cast_at.as_ref().map(Vec::len)),
                ("authorization", self.authorization.as_ref().map(Vec::len)),
            ],
        )?;
        Ok(n)
    }

    /// Ballot `row` as the ballot rules see it, its time read by `instants`.
    fn view(&self, row: usize, instants: &mut Instants) -> View<'a> {
        View::of_cells(
            self.unit[row],
            self.choice[row],
            cell(&self.channel, row),
            cell(&self.cast_at, row),
            cell(&self.authorization, row),
            instants,
        )
    }
}

/// A cell of an optional column: null when the column is not given.
fn cell<'a>(column: &Option<Vec<Option<&'a str>>>, row: usize) -> Option<&'a str> {
    column.as_ref().and_then(|c| c.get(row).copied().flatten())
}

/// Every column given has `n` values, as the `first` column does.
fn check_lengths<const K: usize>(table: &str, first: &str, n: usize, others: [(&str, Option<usize>); K]) -> Result<()> {
    for (name, len) in others {
        if let Some(len) = len.filter(|&len| len != n) {
            return Err(Error::invalid_input(
                format!("{table}.{name}"),
                format!("{len} values, the {first} column has {n}"),
            ));
        }
    }
    Ok(())
}

/// The register table as columns of borrowed text (what bindings pass
/// from data frames), with an `estate` column when the table holds several
/// estates (a city's batch: each vote then names its estate).
#[derive(Debug, Clone, Default)]
pub struct UnitColumns<'a> {
    /// Estate id of each unit, for a table of several estates.
    pub estate: Option<Vec<&'a str>>,
    /// Unit id.
    pub id: Vec<&'a str>,
    /// Area: decimal text (a float is kept as such, to be refused).
    pub area: Vec<DecimalCell<'a>>,
    /// Building id.
    pub building: Option<Vec<Option<&'a str>>>,
    /// Owner id.
    pub owner: Option<Vec<Option<&'a str>>>,
    /// `owned` (default), `developer_unsold` or `undelivered`.
    pub status: Option<Vec<Option<&'a str>>>,
}

impl<'a> UnitColumns<'a> {
    /// The number of units, after checking every column has one value per unit.
    fn len(&self) -> Result<usize> {
        let n = self.id.len();
        check_lengths(
            "register",
            "id",
            n,
            [
                ("estate", self.estate.as_ref().map(Vec::len)),
                ("area", Some(self.area.len())),
                ("building", self.building.as_ref().map(Vec::len)),
                ("owner", self.owner.as_ref().map(Vec::len)),
                ("status", self.status.as_ref().map(Vec::len)),
            ],
        )?;
        Ok(n)
    }

    /// The register of these rows of the table.
    fn register(&self, rows: impl ExactSizeIterator<Item = usize>) -> Result<Register> {
        Register::build(
            rows.len(),
            rows.map(|row| {
                Ok(UnitRow::of_cells(
                    self.id[row],
                    cell(&self.building, row),
                    area_of_cell(self.area[row]),
                    cell(&self.owner, row),
                    UnitStatus::from_cell(cell(&self.status, row), || format!("register.status[{row}]"))?,
                ))
            }),
        )
    }
}

/// The register table's rows grouped by estate, the estates in id order
/// (see [`EstateRows::of`]).
struct EstateRows<'a> {
    /// The estates' ids, in order.
    ids: Vec<&'a str>,
    /// Estate `e`'s rows, in table order: `rows[start[e]..start[e + 1]]`.
    rows: Vec<u32>,
    start: Vec<usize>,
}

impl<'a> EstateRows<'a> {
    /// The rows of each estate of the table's `estate` column (of at most
    /// [`MAX_BATCH_UNITS`](crate::limits::MAX_BATCH_UNITS) rows). A table's
    /// rows come estate by estate, so an estate is looked up only when it
    /// changes.
    fn of(estate: &[&'a str]) -> EstateRows<'a> {
        let mut index: crate::keyed::KeyedMap<&str, u32> = Default::default();
        let mut ids: Vec<&str> = Vec::new();
        let mut last: Option<(&str, u32)> = None;
        // each row's estate, numbered as first seen
        let mut seen_of: Vec<u32> = estate
            .iter()
            .map(|&e| match last {
                Some((l, seen)) if l == e => seen,
                _ => {
                    let seen = *index.entry(e).or_insert_with(|| {
                        ids.push(e);
                        ids.len() as u32 - 1
                    });
                    last = Some((e, seen));
                    seen
                }
            })
            .collect();
        // numbered again in id order
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_unstable_by_key(|&seen| ids[seen as usize]);
        let mut number = vec![0u32; ids.len()];
        for (e, &seen) in order.iter().enumerate() {
            number[seen as usize] = e as u32;
        }
        seen_of.iter_mut().for_each(|e| *e = number[*e as usize]);
        let (rows, start) = crate::tally::group(&seen_of, ids.len());
        EstateRows {
            ids: order.iter().map(|&seen| ids[seen as usize]).collect(),
            rows,
            start,
        }
    }

    /// Estate `e`'s rows, in table order.
    fn of_estate(&self, e: usize) -> &[u32] {
        &self.rows[self.start[e]..self.start[e + 1]]
    }
}

/// The registers of a `tally_many`, each built only when its votes are
/// tallied (see [`tally_by_estate`]).
enum Registers<'a> {
    /// One estate's, in the input.
    One(&'a RegisterRecords),
    /// Each estate's, in the input, by estate id.
    ByEstate(Vec<(&'a str, &'a RegisterRecords)>),
    /// The register table: one estate's (`None`), or each estate's rows.
    Columns(UnitColumns<'a>, Option<EstateRows<'a>>),
}

impl Registers<'_> {
    /// The estates' ids in order, or `None` for one estate's register.
    fn estates(&self) -> Option<Vec<&str>> {
        match self {
            Registers::One(_) | Registers::Columns(_, None) => None,
            Registers::ByEstate(by_estate) => Some(by_estate.iter().map(|(e, _)| *e).collect()),
            Registers::Columns(_, Some(estates)) => Some(estates.ids.clone()),
        }
    }

    /// The number of units of each estate.
    fn units(&self) -> Vec<usize> {
        match self {
            Registers::One(one) => vec![one.units().len()],
            Registers::ByEstate(by_estate) => by_estate.iter().map(|(_, r)| r.units().len()).collect(),
            Registers::Columns(columns, None) => vec![columns.id.len()],
            Registers::Columns(_, Some(estates)) => estates.start.windows(2).map(|w| w[1] - w[0]).collect(),
        }
    }

    /// Estate `e`'s register (`e` below the number of [`units`](Self::units)),
    /// built: an error names the row at fault.
    fn build(&self, e: usize) -> Result<Register> {
        match self {
            Registers::One(one) => Register::new(one.units()),
            Registers::ByEstate(by_estate) => Register::new(by_estate[e].1.units()),
            Registers::Columns(columns, None) => columns.register(0..columns.id.len()),
            Registers::Columns(columns, Some(estates)) => {
                columns.register(estates.of_estate(e).iter().map(|&row| row as usize))
            }
        }
    }
}

/// Input of the `tally_many` operation: many votes over one register, or
/// over several estates' registers (each vote naming its `estate`).
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct TallyManyInput {
    /// Preset id or inline rulebook, for every vote.
    pub rulebook: RulebookInput,
    /// The register, when every vote is in one estate.
    #[json(default)]
    register: Option<RegisterRecords>,
    /// The registers by estate id, for votes in several estates.
    #[json(default)]
    registers: std::collections::BTreeMap<String, RegisterRecords>,
    /// The votes.
    pub votes: Vec<VoteInput>,
    /// The ballots of all votes, each naming its vote.
    #[json(default)]
    pub ballots: Vec<VoteBallot>,
    /// `outcomes` (default: full outcomes) or `rows` (flat rows).
    #[json(default)]
    pub format: Option<String>,
}

/// Output of `tally_many`.
#[derive(Debug, Clone, ToJson)]
#[json(untagged)]
pub enum TallyManyOutput {
    /// Full outcomes, one per vote, in input order.
    Outcomes {
        /// Each vote's id and outcome.
        votes: Vec<VoteOutcome>,
    },
    /// Flat rows, one per vote, in input order; the first column is `vote`.
    Rows {
        /// The rows.
        rows: Vec<crate::tally::OutcomeRow>,
    },
}

/// One vote's outcome in [`TallyManyOutput::Outcomes`].
#[derive(Debug, Clone, ToJson)]
pub struct VoteOutcome {
    /// The vote's id.
    pub id: String,
    /// Its outcome.
    pub outcome: Outcome,
}

impl TallyManyInput {
    fn vote_numbers<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<Vec<u32>> {
        let mut index = crate::keyed::KeyedMap::default();
        for (k, v) in self.votes.iter().enumerate() {
            if index.insert(v.id.as_str(), k as u32).is_some() {
                return Err(Error::invalid_input(
                    format!("votes[{k}].id"),
                    format!("vote id {:?} appears twice", v.id),
                ));
            }
        }
        // ballots mostly come vote by vote: the vote of the row before is
        // known without a lookup
        let mut last: Option<(&str, u32)> = None;
        ids.enumerate()
            .map(|(row, id)| {
                if let Some((_, k)) = last.filter(|&(seen, _)| seen == id) {
                    return Ok(k);
                }
                let k = index.get(id).copied().ok_or_else(|| {
                    Error::invalid_input(format!("ballots[{row}].vote"), format!("no vote has id {id:?}"))
                })?;
                last = Some((id, k));
                Ok(k)
            })
            .collect()
    }

    /// The registers (one, or one per estate), from the input or from the
    /// register given as columns, to be built as the votes are tallied:
    /// here only what is wrong with them as a whole (given twice, or not
    /// at all; columns of different lengths; too many units).
    fn registers<'a>(&'a self, units: Option<UnitColumns<'a>>) -> Result<Registers<'a>> {
        if units.is_some() && (self.register.is_some() || !self.registers.is_empty()) {
            return Err(Error::invalid_input(
                "register",
                "give the register either in the input or as columns",
            ));
        }
        Ok(match (units, &self.register) {
            (Some(columns), _) => {
                let n = columns.len()?;
                match &columns.estate {
                    Some(estate) => {
                        if n > crate::limits::MAX_BATCH_UNITS {
                            return Err(Error::limit("register", crate::limits::MAX_BATCH_UNITS, n));
                        }
                        let estates = EstateRows::of(estate);
                        Registers::Columns(columns, Some(estates))
                    }
                    None => Registers::Columns(columns, None),
                }
            }
            (None, Some(one)) if self.registers.is_empty() => Registers::One(one),
            (None, None) if !self.registers.is_empty() => {
                let total: usize = self.registers.values().map(|r| r.units().len()).sum();
                if total > crate::limits::MAX_BATCH_UNITS {
                    return Err(Error::limit("registers", crate::limits::MAX_BATCH_UNITS, total));
                }
                Registers::ByEstate(self.registers.iter().map(|(e, r)| (e.as_str(), r)).collect())
            }
            _ => {
                return Err(Error::invalid_input(
                    "register",
                    "give exactly one of register (one estate) or registers (by estate)",
                ))
            }
        })
    }

    /// Each vote's estate (a number of `registers`), and its motion.
    fn votes(&self, registers: &Registers) -> Result<(Vec<u32>, Vec<Motion>)> {
        let estates = registers.estates();
        let estate_of = self
            .votes
            .iter()
            .enumerate()
            .map(|(k, v)| match (&estates, &v.estate) {
                (None, None) => Ok(0),
                (None, Some(_)) => Err(Error::invalid_input(
                    format!("votes[{k}].estate"),
                    "the register holds one estate: leave estate out",
                )),
                (Some(estates), Some(e)) => estates.binary_search(&e.as_str()).map(|i| i as u32).map_err(|_| {
                    Error::invalid_input(format!("votes[{k}].estate"), format!("no register for estate {e:?}"))
                }),
                (Some(_), None) => Err(Error::invalid_input(
                    format!("votes[{k}].estate"),
                    "the registers are by estate: name the vote's estate",
                )),
            })
            .collect::<Result<Vec<_>>>()?;
        let motions = self
            .votes
            .iter()
            .map(|v| motion(&v.matter, &v.decided_on, &v.scope, &v.voting))
            .collect::<Result<Vec<_>>>()?;
        Ok((estate_of, motions))
    }

    /// Tallies every vote over the input's register(s) and ballots.
    pub fn run(&self) -> Result<TallyManyOutput> {
        let vote_of = self.vote_numbers(self.ballots.iter().map(|b| b.vote.as_str()))?;
        self.run_views(None, &vote_of, |row, instants| {
            let b = &self.ballots[row];
            View::of_cells(
                &b.unit,
                &b.choice,
                b.channel.as_deref(),
                b.cast_at.as_deref(),
                b.authorization.as_deref(),
                instants,
            )
        })
    }

    /// Tallies every vote over ballots given as columns, and the register
    /// too when `units` is given.
    pub fn run_columns(&self, units: Option<UnitColumns>, ballots: BallotColumns) -> Result<TallyManyOutput> {
        if !self.ballots.is_empty() {
            return Err(Error::invalid_input(
                "ballots",
                "give the ballots either as records or as columns",
            ));
        }
        let n = ballots.len()?;
        if ballots.vote.len() != n {
            return Err(Error::invalid_input(
                "ballots.vote",
                format!("{} values, the unit column has {n}", ballots.vote.len()),
            ));
        }
        let vote_of = self.vote_numbers(ballots.vote.iter().copied())?;
        self.run_views(units, &vote_of, |row, instants| ballots.view(row, instants))
    }

    fn run_views<'b>(
        &self,
        units: Option<UnitColumns>,
        vote_of: &[u32],
        view: impl Fn(usize, &mut Instants) -> View<'b> + Sync,
    ) -> Result<TallyManyOutput> {
        let rulebook = self.rulebook.rulebook()?;
        let registers = self.registers(units)?;
        let votes = self.votes(&registers);
        let batch = match &votes {
            Ok((estate_of, motions)) => Ok(Batch {
                rulebook,
                motions,
                estate_of,
                vote_of,
            }),
            Err(e) => Err(e.clone()),
        };
        let outcomes = tally_by_estate(&registers.units(), |e| registers.build(e), batch, view)?;
        let ids = self.votes.iter().map(|v| v.id.clone());
        match self.format.as_deref().unwrap_or("outcomes") {
            "outcomes" => Ok(TallyManyOutput::Outcomes {
                votes: ids
                    .zip(outcomes)
                    .map(|(id, outcome)| VoteOutcome { id, outcome })
                    .collect(),
            }),
            "rows" => Ok(TallyManyOutput::Rows {
                rows: ids
                    .zip(&outcomes)
                    .map(|(id, o)| {
                        let mut row = o.row();
                        row.0.insert(0, ("vote".into(), crate::tally::Cell::Text(id)));
                        row
                    })
                    .collect(),
            }),
            other => Err(Error::invalid_input(
                "format",
                format!("{other:?} is not \"outcomes\" or \"rows\""),
            )),
        }
    }
}

/// Runs `tally_many` with the ballots, and optionally the register, as
/// columns: `spec` is the JSON input without them. This is how bindings pass
/// data frames across once. Each estate's register is built from its rows
/// when its votes are tallied, and dropped after them, the estates in two
/// parts on two threads from 2,000 units and ballots (see
/// [`crate::tally::tally_many_estates`]): a city's batch holds three
/// registers at a time at most, and builds each once.
pub fn tally_many_columns(spec: &str, units: Option<UnitColumns>, ballots: BallotColumns) -> Result<String> {
    Ok(to_json(
        &parse_json::<TallyManyInput>(spec, "input")?.run_columns(units, ballots)?,
    ))
}

/// Runs `tally` with the register and the ballots as columns: `spec` is the
/// JSON input without them. When both have 2,000 rows and more, the register
/// and the ballots are read on two threads (except in WebAssembly).
pub fn tally_columns(spec: &str, units: UnitColumns, ballots: BallotColumns) -> Result<String> {
    tally_input_columns(&table_spec(spec)?, units, ballots)
}

/// Runs `tally` on the input less its register and ballots, and those as columns.
fn tally_input_columns(input: &TallyInput, units: UnitColumns, ballots: BallotColumns) -> Result<String> {
    single_tally_ballots(&ballots)?;
    let n = single_tally_units(&units)?;
    tally_units(input, n, RegisterFrom::Build(|| units.register(0..n)), ballots)
}

/// The ballot columns' own error in a single tally: a vote column.
fn single_tally_ballots(ballots: &BallotColumns) -> Result<()> {
    match ballots.vote.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid_input(
            "ballots.vote",
            "a single tally has no vote column",
        )),
    }
}

/// The number of units of a single tally's register columns, or their own
/// error (lengths that differ, an estate column).
fn single_tally_units(units: &UnitColumns) -> Result<usize> {
    let n = units.len()?;
    if units.estate.is_some() {
        return Err(Error::invalid_input(
            "register.estate",
            "a single tally is over one estate",
        ));
    }
    Ok(n)
}

/// [`tally_columns`] for a caller that reads the ballots from its own
/// objects, the register being built from `units` meanwhile (on a second
/// thread for 2,000 units and more, except in WebAssembly): `read_ballots`
/// reads them and hands them as columns to the [`BallotsTally`] it is
/// given, and what it returns comes back. An error in `spec` is `Err`, and
/// `read_ballots` does not run; every other error is the tally's, exactly
/// as [`tally_columns`] gives it.
///
/// ```
/// use yeweihui::quantity::DecimalCell;
/// use yeweihui::wire::{tally_columns_meanwhile, BallotColumns, UnitColumns};
/// let spec = r#"{"rulebook": "cn-national", "matter": "other_major", "decided_on": "2026-05-01"}"#;
/// let units = UnitColumns {
///     id: vec!["1", "2"],
///     area: vec![DecimalCell::Text("60"), DecimalCell::Text("40")],
///     ..UnitColumns::default()
/// };
/// let outcome = tally_columns_meanwhile(spec, units, |tally| {
///     // read from wherever the caller keeps them, while the register is built
///     let ballots = BallotColumns { unit: vec!["1", "2"], choice: vec!["agree", "agree"], ..BallotColumns::default() };
///     tally.tally(ballots)
/// })??;
/// assert!(outcome.contains(r#""passed":true"#));
/// # Ok::<(), yeweihui::Error>(())
/// ```
pub fn tally_columns_meanwhile<T>(
    spec: &str,
    units: UnitColumns<'_>,
    read_ballots: impl FnOnce(BallotsTally<'_>) -> T,
) -> Result<T> {
    let input = table_spec(spec)?;
    let n = single_tally_units(&units);
    let len = n.as_ref().map_or(0, |&n| n);
    let build = || units.register(0..len);
    Ok(crate::parallel::meanwhile(
        len >= crate::parallel::MIN_ROWS_FOR_A_THREAD,
        build,
        |register| {
            read_ballots(BallotsTally {
                input: &input,
                units: n,
                register: Box::new(|| register.result()),
            })
        },
    ))
}

/// The tally that [`tally_columns_meanwhile`] hands the reading of the
/// ballots, its register under way.
pub struct BallotsTally<'a> {
    input: &'a TallyInput,
    /// The number of units, or the register columns' own error.
    units: Result<usize>,
    register: Box<dyn FnOnce() -> Result<Register> + 'a>,
}

impl BallotsTally<'_> {
    /// Tallies these ballots over the register: the outcome (or the error)
    /// of [`tally_columns`] with the same columns.
    pub fn tally(self, ballots: BallotColumns) -> Result<String> {
        single_tally_ballots(&ballots)?;
        tally_units(self.input, self.units?, RegisterFrom::UnderWay(self.register), ballots)
    }
}

/// How [`tally_units`] has its register: from a function that builds it
/// or finishes it.
enum RegisterFrom<F> {
    /// Built by the function, the ballots' views made meanwhile (on a
    /// second thread when both tables are large).
    Build(F),
    /// Under way already (on another thread when large): the function
    /// waits for it, once the ballots' views are made here.
    UnderWay(F),
}

/// Runs `tally` on the input less its register and ballots, with the
/// register of its `n` units and the ballots as columns.
fn tally_units(
    input: &TallyInput,
    n: usize,
    register: RegisterFrom<impl FnOnce() -> Result<Register>>,
    ballots: BallotColumns,
) -> Result<String> {
    // the ballots are read only if their columns agree and are not too
    // long; the register's errors, then the rulebook's, come first
    let count = ballots
        .len()
        .and_then(|count| check_ballot_count(count).map(|()| count));
    let views = || match &count {
        Ok(count) => {
            let mut instants = Instants::default();
            (0..*count)
                .map(|row| ballots.view(row, &mut instants))
                .collect::<Views>()
        }
        Err(_) => Views::default(),
    };
    let (register, views) = match register {
        RegisterFrom::Build(build) => {
            let two_threads = count
                .as_ref()
                .is_ok_and(|&count| n.min(count) >= crate::parallel::MIN_ROWS_FOR_A_THREAD);
            crate::parallel::join(two_threads, build, views)
        }
        // made here while the register is finished elsewhere: on a thread
        // of their own they would only wait with this one
        RegisterFrom::UnderWay(finish) => {
            let views = views();
            (finish(), views)
        }
    };
    let register = register?;
    let (rulebook, motion) = input.rules_and_motion()?;
    count?;
    let views = views.look_up(&register);
    Ok(to_json(&tally_views(rulebook, &motion, &views)?))
}

/// `tally` on JSON text. Its register and ballots are read in place, as
/// tables are: the fields' text is borrowed from the input, and no record
/// is made (making and dropping a record per row took most of the time).
/// An input that cannot be read that way (a string with an escape, a field
/// of a type the records refuse) and any error go the way of every other
/// operation, so the output and the errors are exactly [`TallyInput::run`]'s.
fn tally_json(input: &str) -> Result<String> {
    match tally_in_place(input) {
        Some(Ok(out)) => Ok(out),
        _ => operate(input, TallyInput::run),
    }
}

/// The fields of a [`TallyInput`], in the order of its definition.
const TALLY_FIELDS: [&str; 7] = [
    "rulebook",
    "decided_on",
    "matter",
    "scope",
    "register",
    "ballots",
    "voting",
];

/// [`tally_json`]'s reading in place; `None` where the records would be
/// needed to say what is wrong.
fn tally_in_place(input: &str) -> Option<Result<String>> {
    use crate::json::{Document, Value};
    /// A string without escapes, borrowed from the text.
    fn text<'a>(value: Value<'a>) -> Option<&'a str> {
        match value.str().ok()? {
            std::borrow::Cow::Borrowed(text) => Some(text),
            std::borrow::Cow::Owned(_) => None,
        }
    }
    /// An optional field: absent or null is `None`.
    fn optional<'a>(value: Option<Value<'a>>) -> Option<Option<&'a str>> {
        match value {
            Some(v) if !v.is_null() => text(v).map(Some),
            _ => Some(None),
        }
    }
    /// Each record of a list, its fields (`names`) in their slots.
    fn records<'a, const N: usize>(
        list: Value<'a>,
        names: &'static [&'static str; N],
        mut record: impl FnMut([Option<Value<'a>>; N]) -> Option<()>,
    ) -> Option<()> {
        for element in list.elements().ok()? {
            let mut fields = [None; N];
            element.fields(names, true, &mut fields).ok()?;
            record(fields)?;
        }
        Some(())
    }
    let document = Document::parse(input).ok()?;
    let mut slots = [None; TALLY_FIELDS.len()];
    let fields = document.root().fields(&TALLY_FIELDS, true, &mut slots).ok()?;
    let spec = TallyInput {
        rulebook: fields.get(0).ok()?,
        decided_on: fields.get(1).ok()?,
        matter: fields.get(2).ok()?,
        scope: fields.get_or_default(3).ok()?,
        register: RegisterRecords::default(),
        ballots: Vec::new(),
        voting: fields.get_or_default(6).ok()?,
    };
    // the register: a list of units, or {"units": [...]}; areas are text
    // (as written, for a number), so no float is ever formatted
    let (mut ids, mut areas) = (Vec::new(), Vec::new());
    let [mut building, mut owner, mut status] = [(); 3].map(|()| Vec::new());
    if let Some(register) = slots[4] {
        let list = match register.elements() {
            Ok(_) => register,
            Err(_) => {
                let mut slot = [None];
                register.fields(&["units"], true, &mut slot).ok()?;
                slot[0]?
            }
        };
        records(list, &crate::register::UNIT_FIELDS, |f| {
            ids.push(text(f[0]?)?);
            building.push(optional(f[1])?);
            // a number as written, if an integer (a fraction is a float the records keep as given)
            let area = f[2]?;
            areas.push(match area.number() {
                Some((written, true)) => written,
                Some((_, false)) => return None,
                None => text(area)?,
            });
            owner.push(optional(f[3])?);
            // a status, when given, is a string (null is no status)
            status.push(match f[4] {
                Some(given) => Some(text(given)?),
                None => None,
            });
            Some(())
        })?;
    }
    let mut ballots = BallotColumns::default();
    if let Some(given) = slots[5] {
        let (channel, cast_at, authorization) = (
            ballots.channel.insert(Vec::new()),
            ballots.cast_at.insert(Vec::new()),
            ballots.authorization.insert(Vec::new()),
        );
        records(given, &crate::ballot::BALLOT_FIELDS, |f| {
            ballots.unit.push(text(f[0]?)?);
            ballots.choice.push(text(f[1]?)?);
            channel.push(optional(f[2])?);
            cast_at.push(optional(f[3])?);
            authorization.push(optional(f[4])?);
            Some(())
        })?;
    }
    let n = ids.len();
    let register = || {
        let row = |row: usize| {
            let status = UnitStatus::from_cell(status[row], || format!("register.status[{row}]"))?;
            Ok(UnitRow::of_cells(
                ids[row],
                building[row],
                area_of_text(areas[row]),
                owner[row],
                status,
            ))
        };
        Register::build(n, (0..n).map(row))
    };
    Some(tally_units(&spec, n, RegisterFrom::Build(register), ballots))
}

/// The input of a tally whose register and ballots come as tables: the
/// JSON input without them.
fn table_spec(spec: &str) -> Result<TallyInput> {
    parse_json::<TableSpec>(spec, "input").map(|spec| spec.0)
}

/// A tally input whose register and ballots come as tables apart: one that
/// names either (even empty) is refused, as a table given twice.
struct TableSpec(TallyInput);

impl FromJson for TableSpec {
    fn from_json(value: crate::json::Value<'_>) -> std::result::Result<TableSpec, crate::json::Error> {
        if let Ok(mut members) = value.members() {
            if let Some((key, given)) = members.find(|(key, _)| key == "register" || key == "ballots") {
                let message = "give the register and the ballots as tables, not in the input too";
                return Err(given.error(message).in_member(&key));
            }
        }
        TallyInput::from_json(value).map(TableSpec)
    }
}

/// Runs `tally` with the register and the ballots as CSV text (the formats
/// of [`crate::csv`]): `spec` is the JSON input without them. The cells are
/// read in place, straight into the register and the ballots' views: the
/// fastest way from files to an outcome. When both texts are large (64 KiB
/// and more), the register and the ballots are read on two threads, except
/// in WebAssembly.
pub fn tally_csv(spec: &str, units_csv: &str, ballots_csv: &str) -> Result<String> {
    let two_threads = units_csv.len().min(ballots_csv.len()) >= crate::parallel::MIN_BYTES_FOR_A_THREAD;
    let (units, ballots) = crate::parallel::join(
        two_threads,
        || crate::csv::Table::units(units_csv),
        || crate::csv::Table::ballots(ballots_csv),
    );
    let (units, ballots) = (units?, ballots?);
    // The tables' cells are checked only when something fails: a bad cell
    // is then the error, as if they had been checked first (so it is the
    // error `csv::units_from_csv` and `ballots_from_csv` report).
    tally_tables(spec, &units, &ballots, two_threads).map_err(|e| {
        match units.check_units().and_then(|_| ballots.check_ballots()) {
            Err(first) => first,
            Ok(()) => e,
        }
    })
}

/// [`tally_csv`] over the tables, with their cells not checked first.
fn tally_tables(
    spec: &str,
    units: &crate::csv::Table,
    ballots: &crate::csv::Table,
    two_threads: bool,
) -> Result<String> {
    let input = table_spec(spec)?;
    let rows = units.unit_cells().map(|u| {
        let status = u.status()?;
        Ok(UnitRow::of_cells(
            u.id,
            u.building,
            area_of_text(u.area),
            u.owner,
            status,
        ))
    });
    // the ballots' views, and whether a unit or choice is missing
    let views = || {
        let (mut missing, mut instants) = (false, Instants::default());
        // no more than MAX_BALLOTS views: the ballots table's schema limits its rows
        let views: Views = ballots
            .ballot_cells()
            .map(|b| {
                missing |= b.unit.is_empty() | b.choice.is_empty();
                View::of_cells(b.unit, b.choice, b.channel, b.cast_at, b.authorization, &mut instants)
            })
            .collect();
        (views, missing)
    };
    let (register, (views, missing)) = crate::parallel::join(two_threads, || Register::build(units.len(), rows), views);
    let register = register?;
    let (rulebook, motion) = input.rules_and_motion()?;
    if missing {
        ballots.check_ballots()?;
    }
    let views = views.look_up(&register);
    Ok(to_json(&tally_views(rulebook, &motion, &views)?))
}

/// Checks the length of a file a surface is about to read (a register or
/// ballot file, a rulebook): one of more than [`MAX_CSV_BYTES`] bytes is
/// `limit_exceeded` naming the file, before any of it is read.
///
/// [`MAX_CSV_BYTES`]: crate::limits::MAX_CSV_BYTES
///
/// ```
/// use yeweihui::limits::MAX_CSV_BYTES;
/// assert!(yeweihui::wire::check_file_len("a.csv", MAX_CSV_BYTES as u64).is_ok());
/// let err = yeweihui::wire::check_file_len("a.csv", MAX_CSV_BYTES as u64 + 1).unwrap_err();
/// assert_eq!(err.code().as_str(), "limit_exceeded");
/// ```
pub fn check_file_len(name: &str, len: u64) -> Result<()> {
    let limit = crate::limits::MAX_CSV_BYTES as u64;
    if len > limit {
        return Err(Error::LimitExceeded {
            what: format!("{name} bytes"),
            limit,
            actual: len,
        });
    }
    Ok(())
}

/// The text of a file's bytes, for the surfaces that read files: UTF-8, with
/// a byte-order mark dropped. Other bytes are `invalid_input` naming the file
/// (`name`), the line and the byte (0-based, in the file).
/// More bytes than [`check_file_len`] allows are `limit_exceeded`.
///
/// ```
/// assert_eq!(yeweihui::wire::file_text("a.csv", b"\xEF\xBB\xBFid,area\n")?, "id,area\n");
/// let err = yeweihui::wire::file_text("a.csv", b"id,area\n1-101,\xFF\n").unwrap_err();
/// assert_eq!(err.to_string(), "invalid input at a.csv: line 2 is not UTF-8 text (byte 14)");
/// # Ok::<(), yeweihui::Error>(())
/// ```
pub fn file_text<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    check_file_len(name, bytes.len() as u64)?;
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let skip = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    std::str::from_utf8(&bytes[skip..]).map_err(|e| {
        let byte = skip + e.valid_up_to();
        let line = bytes[..byte].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::invalid_input(name, format!("line {line} is not UTF-8 text (byte {byte})"))
    })
}

/// Input of the `deadline` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct DeadlineInput {
    /// `YYYY-MM-DD`: the start day (not counted).
    pub start: String,
    /// Exactly one of `days`, `months`, `years`, `working_days`.
    pub period: Period,
    /// Extra years of holiday schedules (e.g. one published after this release).
    #[json(default)]
    pub calendar: Option<CalendarInput>,
}

/// Extra holiday schedules given with an operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct CalendarInput {
    /// The schedules, one per year; a year already shipped is replaced.
    pub years: Vec<YearSchedule>,
}

impl CalendarInput {
    /// The shipped calendar with these years added.
    pub fn calendar(&self) -> Result<HolidayCalendar> {
        self.years
            .iter()
            .cloned()
            .try_fold(HolidayCalendar::china().clone(), HolidayCalendar::with_year)
    }
}

/// Output of the `deadline` operation.
#[derive(Debug, Clone, ToJson)]
pub struct DeadlineOutput {
    /// The computation.
    #[json(flatten)]
    pub deadline: Deadline,
    /// The rules applied, in Chinese.
    pub citation: String,
    /// The rules applied, in English.
    pub citation_en: String,
    /// What moved the date and why.
    pub explanation: Text,
}

impl DeadlineInput {
    /// Computes the deadline.
    pub fn run(&self) -> Result<DeadlineOutput> {
        let start = parse_date("start", &self.start)?;
        let deadline = calendar_of(&self.calendar)?.deadline(start, self.period)?;
        let citation = deadline.citation();
        Ok(DeadlineOutput {
            explanation: deadline.explain(),
            citation: citation.zh,
            citation_en: citation.en,
            deadline,
        })
    }
}

/// The rules of a rulebook input on a date given as text.
fn rules_on(rulebook: &RulebookInput, field: &str, date: &str) -> Result<(Date, RulesInForce)> {
    let date = parse_date(field, date)?;
    Ok((date, rulebook.rulebook()?.in_force(date)?))
}

/// The shipped calendar, or it with the input's extra years.
fn calendar_of(extra: &Option<CalendarInput>) -> Result<std::borrow::Cow<'static, HolidayCalendar>> {
    match extra {
        Some(c) => c.calendar().map(std::borrow::Cow::Owned),
        None => Ok(std::borrow::Cow::Borrowed(HolidayCalendar::china())),
    }
}

/// Input of the `assembly_notice` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct NoticeInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The meeting date (the rules in force that day apply).
    pub meeting_on: String,
    /// When the notice was published, to check it.
    #[json(default)]
    pub notice_published_on: Option<String>,
}

impl NoticeInput {
    /// Computes the latest notice date and checks the notice.
    pub fn run(&self) -> Result<Notice> {
        let (meeting_on, rules) = rules_on(&self.rulebook, "meeting_on", &self.meeting_on)?;
        let published = self
            .notice_published_on
            .as_deref()
            .map(|p| parse_date("notice_published_on", p))
            .transpose()?;
        assembly_notice(&rules, meeting_on, published)
    }
}

/// Input of the `requisition` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct RequisitionInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date of the proposal (the rules in force that day apply).
    pub decided_on: String,
    /// The register.
    register: RegisterRecords,
    /// Scope (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// The units of the proposing owners.
    pub proposers: Vec<String>,
}

impl RequisitionInput {
    /// Counts the proposing owners.
    pub fn run(&self) -> Result<Requisition> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        let register = Register::new(self.register.units())?;
        requisition(
            &rules,
            &register,
            &self.scope.clone().unwrap_or_default(),
            &self.proposers,
        )
    }
}

/// Input of the `disclosure_schedule` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct ScheduleInput {
    /// Preset id or inline rulebook (the rules in force on `to` apply).
    pub rulebook: RulebookInput,
    /// First day of the span.
    pub from: String,
    /// Last day of the span.
    pub to: String,
    /// Events in the span that trigger obligations.
    #[json(default)]
    pub events: Vec<Event>,
    /// Extra holiday schedules.
    #[json(default)]
    pub calendar: Option<CalendarInput>,
}

impl ScheduleInput {
    /// Lists every due publication.
    pub fn run(&self) -> Result<Schedule> {
        let from = parse_date("from", &self.from)?;
        let (to, rules) = rules_on(&self.rulebook, "to", &self.to)?;
        schedule(&rules, &*calendar_of(&self.calendar)?, from, to, &self.events)
    }
}

/// Input of the `disclosure_audit` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct AuditInput {
    /// Preset id or inline rulebook (the rules in force on `as_of` apply).
    pub rulebook: RulebookInput,
    /// First day audited.
    pub from: String,
    /// The audit date.
    pub as_of: String,
    /// Events that trigger obligations.
    #[json(default)]
    pub events: Vec<Event>,
    /// The publication log.
    #[json(default)]
    pub publications: Vec<Publication>,
    /// Extra holiday schedules.
    #[json(default)]
    pub calendar: Option<CalendarInput>,
}

impl AuditInput {
    /// Audits the log.
    pub fn run(&self) -> Result<Audit> {
        let from = parse_date("from", &self.from)?;
        let (as_of, rules) = rules_on(&self.rulebook, "as_of", &self.as_of)?;
        audit(
            &rules,
            &*calendar_of(&self.calendar)?,
            from,
            as_of,
            &self.events,
            &self.publications,
        )
    }
}

/// Money as given: `invalid_amount` naming the field when it is not whole fen.
fn money(field: &str, t: &DecimalText) -> Result<Money> {
    Money::from_text(t).map_err(|e| Error::InvalidAmount {
        record: field.to_owned(),
        value: t.as_given(),
        reason: e.to_string(),
    })
}

fn optional_date(field: &str, d: &Option<String>) -> Result<Option<Date>> {
    d.as_deref().map(|s| parse_date(field, s)).transpose()
}

/// Input of the `committee_meeting` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct CommitteeMeetingInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply.
    pub decided_on: String,
    /// All current members.
    pub members: Vec<String>,
    /// Members present.
    #[json(default)]
    pub present: Vec<String>,
    /// Votes cast.
    #[json(default)]
    pub votes: Vec<MemberVote>,
    /// Members with an interest in the matter (they may not vote).
    #[json(default)]
    pub interested: Vec<String>,
    /// When the content and agenda were published.
    #[json(default)]
    pub notice_published_on: Option<String>,
    /// When the meeting took place.
    #[json(default)]
    pub meeting_on: Option<String>,
}

impl CommitteeMeetingInput {
    /// Checks the meeting.
    pub fn run(&self) -> Result<MeetingOutcome> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        committee_meeting(
            &rules,
            &MeetingInput {
                members: self.members.clone(),
                present: self.present.clone(),
                votes: self.votes.clone(),
                interested: self.interested.clone(),
                notice_published_on: optional_date("notice_published_on", &self.notice_published_on)?,
                meeting_on: optional_date("meeting_on", &self.meeting_on)?,
            },
        )
    }
}

/// A spending request as given.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct RequestRecord {
    /// `maintenance_fund`, `public_revenue` or `working_budget`.
    pub fund: Fund,
    /// `use` (default) or `raise`.
    #[json(default)]
    pub action: FundAction,
    /// What for.
    pub purpose: String,
    /// How much, in yuan (a decimal string, whole fen).
    pub amount: DecimalText,
    /// The units that share the cost (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// The emergency situation claimed, by id.
    #[json(default)]
    pub emergency: Option<String>,
}

impl RequestRecord {
    fn parse(&self) -> Result<SpendingRequest> {
        Ok(SpendingRequest {
            fund: self.fund,
            action: self.action,
            purpose: self.purpose.clone(),
            amount: money("request.amount", &self.amount)?,
            scope: self.scope.clone().unwrap_or_default(),
            emergency: self.emergency.clone(),
        })
    }
}

/// Input of the `fund_route` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct FundRouteInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply.
    pub decided_on: String,
    /// The request.
    pub request: RequestRecord,
}

impl FundRouteInput {
    /// Routes the request.
    pub fn run(&self) -> Result<Route> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        route(&rules, &self.request.parse()?)
    }
}

/// Input of the `fund_approval` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct FundApprovalInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply.
    pub decided_on: String,
    /// The request.
    pub request: RequestRecord,
    /// The evidence: an assembly tally outcome, a committee meeting outcome, a confirmation.
    #[json(default)]
    pub evidence: Evidence,
}

impl FundApprovalInput {
    /// Checks the evidence.
    pub fn run(&self) -> Result<Approval> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        approve(&rules, &self.request.parse()?, &self.evidence)
    }
}

/// Input of the `cost_split` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct CostSplitInput {
    /// The amount, in yuan.
    pub amount: DecimalText,
    /// The register.
    register: RegisterRecords,
    /// The units that share it (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// `area` (default) or `unit`.
    #[json(default)]
    pub basis: Basis,
    /// Each unit's fund balance, to show the effect.
    #[json(default)]
    pub balances: std::collections::BTreeMap<String, DecimalText>,
}

impl CostSplitInput {
    /// Splits the amount.
    pub fn run(&self) -> Result<CostSplit> {
        let amount = money("amount", &self.amount)?;
        let register = Register::new(self.register.units())?;
        let balances = self
            .balances
            .iter()
            .map(|(u, b)| Ok((u.clone(), money(&format!("balances[{u:?}]"), b)?)))
            .collect::<Result<Vec<_>>>()?;
        cost_split(
            amount,
            &register,
            &self.scope.clone().unwrap_or_default(),
            self.basis,
            &balances,
        )
    }
}

/// A ledger line as given.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct EntryRecord {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `income` or `cost`.
    pub kind: EntryKind,
    /// The amount, in yuan.
    pub amount: DecimalText,
    /// What it was.
    pub description: String,
}

/// An allocation as given.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct AllocationRecord {
    /// What it goes to.
    pub to: String,
    /// The amount, in yuan.
    pub amount: DecimalText,
}

/// Input of the `public_revenue` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct RevenueInput {
    /// The ledger.
    pub entries: Vec<EntryRecord>,
    /// How the assembly decided to use the net.
    #[json(default)]
    pub allocations: Vec<AllocationRecord>,
}

impl RevenueInput {
    /// Summarises the ledger.
    pub fn run(&self) -> Result<RevenueSummary> {
        let entries = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                Ok(LedgerEntry {
                    date: e.date.clone(),
                    kind: e.kind,
                    amount: money(&format!("entries[{i}].amount"), &e.amount)?,
                    description: e.description.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let allocations = self
            .allocations
            .iter()
            .enumerate()
            .map(|(i, a)| {
                Ok(Allocation {
                    to: a.to.clone(),
                    amount: money(&format!("allocations[{i}].amount"), &a.amount)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        revenue_summary(&entries, &allocations)
    }
}

/// Input of the `election` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct ElectionWireInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose law applies.
    pub decided_on: String,
    /// The register.
    register: RegisterRecords,
    /// Who votes (default: the whole estate).
    #[json(default)]
    pub scope: Option<Scope>,
    /// Committee seats.
    pub seats: u32,
    /// Alternates to elect.
    #[json(default)]
    pub alternates: u32,
    /// The candidates.
    pub candidates: Vec<Candidate>,
    /// The ballots.
    #[json(default)]
    pub ballots: Vec<ElectionBallot>,
    /// Window and policies.
    #[json(default)]
    pub voting: Option<VotingRecord>,
}

impl ElectionWireInput {
    /// Runs the election.
    pub fn run(&self) -> Result<ElectionOutcome> {
        let rulebook = self.rulebook.rulebook()?;
        let register = Register::new(self.register.units())?;
        crate::tally::check_ballot_count(self.ballots.len())?;
        let input = ElectionInput {
            decided_on: parse_date("decided_on", &self.decided_on)?,
            scope: self.scope.clone().unwrap_or_default(),
            seats: self.seats,
            alternates: self.alternates,
            candidates: self.candidates.clone(),
            ballots: self.ballots.clone(),
            voting: self.voting.clone().unwrap_or_default().parse()?,
        };
        election(rulebook, &register, &input)
    }
}

/// Input of the `term` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct TermInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The election date (the rules in force that day apply).
    pub elected_on: String,
    /// Consecutive terms the member will have served with this one.
    #[json(default)]
    pub consecutive_terms_served: Option<u32>,
    /// Extra holiday schedules.
    #[json(default)]
    pub calendar: Option<CalendarInput>,
}

impl TermInput {
    /// Computes the term and its dates.
    pub fn run(&self) -> Result<Term> {
        let (elected_on, rules) = rules_on(&self.rulebook, "elected_on", &self.elected_on)?;
        term(
            &rules,
            &*calendar_of(&self.calendar)?,
            elected_on,
            self.consecutive_terms_served,
        )
    }
}

/// Input of the `offices` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct OfficesInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply (the first meeting).
    pub decided_on: String,
    /// All members.
    pub members: Vec<String>,
    /// Members present.
    #[json(default)]
    pub present: Vec<String>,
    /// Nominations and their votes.
    pub nominations: Vec<Nomination>,
}

impl OfficesInput {
    /// Decides the offices.
    pub fn run(&self) -> Result<Offices> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        offices(&rules, &self.members, &self.present, &self.nominations)
    }
}

/// Input of the `removal` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct RemovalInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply.
    pub decided_on: String,
    /// All current members.
    pub members: Vec<String>,
    /// The member whose removal is proposed.
    pub member: String,
    /// Members proposing.
    #[json(default)]
    pub proposing_members: Vec<String>,
    /// The register, for the owners' side.
    #[json(default)]
    register: Option<RegisterRecords>,
    /// Units of the owners proposing.
    #[json(default)]
    pub proposing_units: Vec<String>,
}

impl RemovalInput {
    /// Counts the proposal.
    pub fn run(&self) -> Result<Removal> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        let register = self.register.as_ref().map(|r| Register::new(r.units())).transpose()?;
        removal(
            &rules,
            &self.members,
            &self.member,
            &self.proposing_members,
            register.as_ref(),
            &self.proposing_units,
        )
    }
}

/// Input of the `vacancy` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct VacancyInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date whose rules apply.
    pub decided_on: String,
    /// Committee seats.
    pub seats: u32,
    /// Current members.
    pub members: Vec<String>,
    /// Alternates in rank order.
    #[json(default)]
    pub alternates: Vec<String>,
    /// Members leaving, and why.
    pub leaving: Vec<Leaving>,
}

impl VacancyInput {
    /// Fills the seats and checks for a by-election.
    pub fn run(&self) -> Result<Vacancies> {
        let (_, rules) = rules_on(&self.rulebook, "decided_on", &self.decided_on)?;
        vacancies(&rules, self.seats, &self.members, &self.alternates, &self.leaving)
    }
}

/// Input of the `rules_in_force` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct RulesInForceInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// The date.
    pub on: String,
}

/// Output of the `rules_in_force` operation.
#[derive(Debug, Clone, ToJson)]
pub struct RulesInForceOutput {
    /// The date.
    pub on: String,
    /// The layers in force, national law first.
    pub layers: Vec<Layer>,
    /// Every rule, with its layer and citation.
    pub rules: Vec<RuleInForce>,
}

impl RulesInForceInput {
    /// Lists the rules.
    pub fn run(&self) -> Result<RulesInForceOutput> {
        let (on, rules) = rules_on(&self.rulebook, "on", &self.on)?;
        Ok(RulesInForceOutput {
            on: format_date(on),
            layers: rules.layers().to_vec(),
            rules: self.rulebook.rulebook()?.rules_in_force(on)?,
        })
    }
}

/// Input of the `parse_rulebook` operation: a rulebook file's text.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct ParseRulebookInput {
    /// `toml` (default) or `json`.
    #[json(default)]
    pub format: Option<String>,
    /// The file's text.
    pub text: String,
}

impl ParseRulebookInput {
    /// Parses and validates the rulebook; the output is its wire form.
    pub fn run(&self) -> Result<Rulebook> {
        match self.format.as_deref().unwrap_or("toml") {
            "toml" => Rulebook::from_toml(&self.text),
            "json" => Rulebook::from_json(&self.text),
            other => Err(Error::invalid_input(
                "format",
                format!("{other:?} is not \"toml\" or \"json\""),
            )),
        }
    }
}

/// Input of the `csv` operation: CSV text of a register or a ballot table.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct CsvInput {
    /// `units` or `ballots`.
    pub kind: String,
    /// The CSV text.
    pub text: String,
}

/// Output of the `csv` operation: the records, in the wire shape.
#[derive(Debug, Clone, ToJson)]
#[json(rename_all = "snake_case")]
pub enum CsvOutput {
    /// Register rows: `{"units": [...]}`.
    Units(Vec<UnitRecord>),
    /// Ballots: `{"ballots": [...]}`.
    Ballots(Vec<BallotRecord>),
}

impl CsvInput {
    /// Parses the CSV text.
    pub fn run(&self) -> Result<CsvOutput> {
        match self.kind.as_str() {
            "units" => crate::csv::units_from_csv(&self.text).map(CsvOutput::Units),
            "ballots" => crate::csv::ballots_from_csv(&self.text).map(CsvOutput::Ballots),
            other => Err(Error::invalid_input(
                "kind",
                format!("{other:?} is not \"units\" or \"ballots\""),
            )),
        }
    }
}

/// Input of the `tally_totals` operation: a quick check from totals.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct TotalsInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    /// Matter name.
    pub matter: String,
    /// The scope's owners and area.
    pub base: TotalsRecord,
    /// Owners and area taking part.
    pub participation: TotalsRecord,
    /// Owners and area agreeing.
    pub agree: TotalsRecord,
}

/// Owners and area as given.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct TotalsRecord {
    /// Owners (headcount).
    pub owners: u64,
    /// Area, a decimal string.
    pub area: DecimalText,
}

impl TotalsRecord {
    fn parse(&self, what: &str) -> Result<Totals> {
        let area = self.area.to_area().map_err(|e| Error::InvalidArea {
            record: what.to_owned(),
            value: self.area.as_given(),
            reason: e.to_string(),
        })?;
        Ok(Totals {
            owners: self.owners,
            area,
        })
    }
}

impl TotalsInput {
    /// Runs the quick check.
    pub fn run(&self) -> Result<TotalsOutcome> {
        let rulebook = self.rulebook.rulebook()?;
        let matter: Matter = self.matter.parse()?;
        let decided_on = parse_date("decided_on", &self.decided_on)?;
        let base = self.base.parse("base")?;
        let participation = self.participation.parse("participation")?;
        let agree = self.agree.parse("agree")?;
        tally_totals(rulebook, matter, decided_on, base, participation, agree)
    }
}

/// Input of the `explain` operation.
#[derive(Debug, Clone, FromJson)]
#[json(deny_unknown_fields)]
pub struct ExplainInput {
    /// An outcome as `tally` returned it.
    pub outcome: Outcome,
    /// `zh` (default) or `en`.
    #[json(default)]
    pub lang: Option<String>,
}

/// Output of the `explain` operation.
#[derive(Debug, Clone, ToJson)]
pub struct ExplainOutput {
    /// The language used.
    pub lang: Lang,
    /// The explanation.
    pub text: String,
}

impl ExplainInput {
    /// Explains the outcome.
    pub fn run(&self) -> Result<ExplainOutput> {
        let lang: Lang = self.lang.as_deref().unwrap_or("zh").parse()?;
        Ok(ExplainOutput {
            lang,
            text: self.outcome.explain(lang),
        })
    }
}

/// Output of the `rulebooks` operation: the presets shipped.
#[derive(Debug, Clone, ToJson)]
pub struct RulebooksOutput {
    /// The library's version.
    pub library_version: &'static str,
    /// Each preset with its versions.
    pub presets: Vec<PresetSummary>,
    /// The matters, in statutory order (民法典 Art. 278 ¶1).
    pub matters: Vec<MatterSummary>,
}

/// One matter in [`RulebooksOutput`].
#[derive(Debug, Clone, ToJson)]
pub struct MatterSummary {
    /// Wire name.
    pub id: Matter,
    /// Item number in 民法典 Art. 278 ¶1.
    pub item: u8,
    /// Statutory wording.
    pub zh: &'static str,
    /// English rendering.
    pub en: &'static str,
}

/// One preset in [`RulebooksOutput`].
#[derive(Debug, Clone, ToJson)]
pub struct PresetSummary {
    /// Preset id.
    pub id: String,
    /// Its name: the law or regulation it holds.
    pub name: Option<Text>,
    /// Its rank: `national` or `local`.
    pub level: Option<Level>,
    /// The preset it builds on.
    pub extends: Option<String>,
    /// Its versions: id, first and last day in force.
    pub versions: Vec<VersionSummary>,
    /// Set when the preset fails to load (a packaging bug).
    #[json(skip_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One version in [`PresetSummary`].
#[derive(Debug, Clone, ToJson)]
pub struct VersionSummary {
    /// Version id.
    pub id: String,
    /// First day in force.
    pub effective_from: String,
    /// Last day in force, if any.
    pub effective_to: Option<String>,
}

/// Lists the presets shipped and their versions.
pub fn rulebooks() -> RulebooksOutput {
    let presets = Rulebook::preset_ids()
        .map(|id| match Rulebook::preset(id) {
            Ok(book) => PresetSummary {
                id: id.to_owned(),
                name: book.name.clone(),
                level: Some(book.level),
                extends: match &book.extends {
                    Some(RulebookRef::Preset(parent)) => Some(parent.clone()),
                    _ => None,
                },
                versions: book
                    .versions
                    .iter()
                    .map(|v| VersionSummary {
                        id: v.id.clone(),
                        effective_from: format_date(v.effective_from),
                        effective_to: v.effective_to.map(format_date),
                    })
                    .collect(),
                error: None,
            },
            Err(e) => PresetSummary {
                id: id.to_owned(),
                name: None,
                level: None,
                extends: None,
                versions: Vec::new(),
                error: Some(e.to_string()),
            },
        })
        .collect();
    RulebooksOutput {
        library_version: env!("CARGO_PKG_VERSION"),
        presets,
        matters: Matter::ALL
            .into_iter()
            .map(|m| MatterSummary {
                id: m,
                item: m.item(),
                zh: m.name_zh(),
                en: m.name_en(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_codes_and_paths() {
        let e = run("tally", r#"{"rulebook": "cn-national"}"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
        let e = run("vote", "{}").unwrap_err();
        assert_eq!(e.code().as_str(), "unknown_operation");
        let e = run("tally", r#"{"rulebook": "cn-national", "decided_on": "2026-01-01", "matter": "x", "register": {"units": [{"id": "a", "area": "1", "flat": 1}]}}"#).unwrap_err();
        assert!(e.to_string().contains("register.units[0]"), "{e}");
        let e = run("tally", r#"{"rulebook": "cn-national", "rulebook": "cn-national"}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate"), "{e}");
        let e = run("rulebooks", "{} x").unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
    }

    #[test]
    fn csv_tables_report_the_first_bad_cell_as_the_records_readers_do() {
        const SPEC: &str = r#"{"rulebook":"cn-national","decided_on":"2026-04-30","matter":"other_major"}"#;
        const UNITS: &str = "id,area,status\nu1,60,\nu2,40,owned\n";
        const BALLOTS: &str = "unit,choice\nu1,agree\nu2,against\n";
        let error = |spec: &str, units: &str, ballots: &str| tally_csv(spec, units, ballots).unwrap_err().to_string();
        let records = |units: &str, ballots: &str| {
            crate::csv::units_from_csv(units)
                .and_then(|_| crate::csv::ballots_from_csv(ballots))
                .unwrap_err()
                .to_string()
        };
        // statuses first, then ids, then areas, then the ballots' units and choices
        let units = "id,area,status\n,60,\nu2,40,sold\n";
        assert_eq!(error(SPEC, units, BALLOTS), records(units, BALLOTS));
        assert!(error(SPEC, units, BALLOTS).contains("units row 3, column status"));
        let units = "id,area\nu1,\n,40\n";
        assert_eq!(
            error(SPEC, units, BALLOTS),
            "invalid input at units row 3, column id: is empty"
        );
        let ballots = "unit,choice\nu1,agree\nu2,\n";
        assert_eq!(error(SPEC, UNITS, ballots), records(UNITS, ballots));
        // a cell error comes before any other: a malformed area, a bad input, a rulebook
        let units = "id,area\nu1,6O\nu2,40\n";
        assert_eq!(
            error(SPEC, units, ballots),
            "invalid input at ballots row 3, column choice: is empty"
        );
        assert_eq!(
            error("{", UNITS, ballots),
            "invalid input at ballots row 3, column choice: is empty"
        );
        let unknown = SPEC.replace("cn-national", "cn-nowhere");
        assert_eq!(
            error(&unknown, UNITS, ballots),
            "invalid input at ballots row 3, column choice: is empty"
        );
        // and without one, those errors are the tally's
        assert_eq!(
            tally_csv(SPEC, units, BALLOTS).unwrap_err().code().as_str(),
            "invalid_area"
        );
        assert_eq!(
            tally_csv(&unknown, UNITS, BALLOTS).unwrap_err().code().as_str(),
            "unknown_rulebook"
        );
        assert!(tally_csv(SPEC, UNITS, BALLOTS).unwrap().starts_with(r#"{"passed":"#));
        // the tables come apart: an input naming either, even empty, is refused
        for (table, given) in [("register", r#"{"units":[]}"#), ("register", "[]"), ("ballots", "[]")] {
            let spec = SPEC.replace('}', &format!(r#","{table}":{given}}}"#));
            let e = tally_csv(&spec, UNITS, BALLOTS).unwrap_err();
            assert_eq!(e.code().as_str(), "invalid_input");
            assert!(e.to_string().contains(&format!("input.{table}")), "{e}");
        }
    }

    /// A register of `n` units over ten buildings (owners of two units,
    /// unsold units, quoted ids) and ballots for most of them: some
    /// superseded, some for no unit, some by proxy without authorization.
    fn estate_csv(n: usize) -> (String, String) {
        let mut units = String::from("id,building,area,owner,status\n");
        let mut ballots = String::from("unit,choice,channel,cast_at,authorization\n");
        for i in 0..n {
            let status = if i % 37 == 0 { "developer_unsold" } else { "" };
            let id = format!("{}-{i}", i % 10);
            let cell = if i % 11 == 0 { format!("\"{id}\"") } else { id.clone() };
            let owner = i / 2;
            units.push_str(&format!(
                "{cell},{},{}.{:02},p{owner},{status}\n",
                i % 10,
                60 + i % 90,
                i % 100
            ));
            let unit = if i % 53 == 0 { "nowhere" } else { &id };
            let (choice, channel, day) = (
                ["agree", "against", "abstain", "agree"][i % 4],
                ["online", "paper", "proxy"][i % 3],
                1 + i % 28,
            );
            ballots.push_str(&format!("{unit},{choice},{channel},2026-04-{day:02}T09:00:00+08:00,\n"));
            if i % 7 == 0 {
                ballots.push_str(&format!(
                    "{unit},against,paper,2026-04-{day:02}T10:00:00+08:00,ref-{i}\n"
                ));
            }
        }
        (units, ballots)
    }

    #[test]
    fn a_large_csv_estate_reads_as_its_records_do() {
        const SPEC: &str = r#""rulebook":"cn-national","decided_on":"2026-04-30","matter":"use_maintenance_fund",
            "voting":{"opens_at":"2026-04-03T00:00:00+08:00","closes_at":"2026-04-25T23:59:59+08:00"}"#;
        let by_records = |units: &str, ballots: &str| {
            let units = crate::csv::units_from_csv(units)?;
            let ballots = crate::csv::ballots_from_csv(ballots)?;
            let register = crate::json::to_string(&units);
            run(
                "tally",
                &format!(
                    r#"{{{SPEC},"register":{register},"ballots":{}}}"#,
                    crate::json::to_string(&ballots)
                ),
            )
        };
        let both = |units: &str, ballots: &str| {
            let in_place = tally_csv(&format!("{{{SPEC}}}"), units, ballots).map_err(|e| e.to_string());
            assert_eq!(in_place, by_records(units, ballots).map_err(|e| e.to_string()));
            in_place
        };
        let (units, ballots) = estate_csv(4000);
        // large enough to be read on two threads (the small cases above read on one)
        assert!(units.len().min(ballots.len()) >= crate::parallel::MIN_BYTES_FOR_A_THREAD);
        let outcome = both(&units, &ballots).unwrap();
        for fate in [
            r#""code":"unknown_unit""#,
            r#""code":"proxy_without_authorization""#,
            r#""superseded":[{"#,
        ] {
            assert!(outcome.contains(fate), "{fate}");
        }
        // the first bad cell, a malformed row, a repeated unit
        let bad = |text: &str, from: &str, to: &str| text.replacen(from, to, 1);
        let cases = [
            (
                bad(&units, "p1999,", "p1999,sold"),
                ballots.clone(),
                "units row 4000, column status",
            ),
            (
                units.clone(),
                bad(&ballots, "1-1,against", "1-1,"),
                "ballots row 4, column choice: is empty",
            ),
            (
                bad(&units, ",65.05,", ",65.0.5,"),
                bad(&ballots, "2-2,abstain", "2-2,"),
                "ballots row 5, column choice",
            ),
            (bad(&units, ",65.05,", ",65.0.5,"), ballots.clone(), "65.0.5"),
            (
                units.clone(),
                bad(&ballots, "3-3,", "3-\"3,"),
                "a quote inside an unquoted field",
            ),
            (bad(&units, "\"0-0\"", "1-1"), ballots.clone(), "1-1"),
            (
                units.clone(),
                bad(&ballots, "\n1-1,", "\n1-1,x,"),
                "6 fields, the header has 5",
            ),
        ];
        for (units, ballots, names) in &cases {
            let error = both(units, ballots).unwrap_err();
            assert!(error.contains(names), "{error} (expected {names})");
        }
    }

    /// Each unit's area as given, for [`unit_columns`] to borrow.
    fn areas(units: &[UnitRecord]) -> Vec<String> {
        units.iter().map(|u| u.area.as_given()).collect()
    }

    /// Unit records as columns (`areas` from [`areas`]).
    fn unit_columns<'a>(units: &'a [UnitRecord], areas: &'a [String], estate: Option<Vec<&'a str>>) -> UnitColumns<'a> {
        UnitColumns {
            estate,
            id: units.iter().map(|u| u.id.as_str()).collect(),
            area: areas.iter().map(|a| DecimalCell::Text(a)).collect(),
            building: Some(units.iter().map(|u| u.building.as_deref()).collect()),
            owner: Some(units.iter().map(|u| u.owner.as_deref()).collect()),
            status: Some(units.iter().map(|u| Some(u.status.as_str())).collect()),
        }
    }

    /// Ballot records as columns.
    fn ballot_columns<'a>(ballots: &'a [BallotRecord], vote: Vec<&'a str>) -> BallotColumns<'a> {
        BallotColumns {
            vote,
            unit: ballots.iter().map(|b| b.unit.as_str()).collect(),
            choice: ballots.iter().map(|b| b.choice.as_str()).collect(),
            channel: Some(ballots.iter().map(|b| b.channel.as_deref()).collect()),
            cast_at: Some(ballots.iter().map(|b| b.cast_at.as_deref()).collect()),
            authorization: Some(ballots.iter().map(|b| b.authorization.as_deref()).collect()),
        }
    }

    #[test]
    fn a_large_estate_as_columns_reads_as_its_records_do() {
        const SPEC: &str = r#"{"rulebook":"cn-national","decided_on":"2026-04-30","matter":"use_maintenance_fund",
            "voting":{"opens_at":"2026-04-03T00:00:00+08:00","closes_at":"2026-04-25T23:59:59+08:00"}}"#;
        let (units, ballots) = estate_csv(4000);
        let (units, ballots) = (
            crate::csv::units_from_csv(&units).unwrap(),
            crate::csv::ballots_from_csv(&ballots).unwrap(),
        );
        // large enough to be read on two threads
        assert!(units.len().min(ballots.len()) >= crate::parallel::MIN_ROWS_FOR_A_THREAD);
        let by_records = |units: &[UnitRecord]| {
            let input = format!(
                r#"{},"register":{},"ballots":{}}}"#,
                &SPEC[..SPEC.len() - 1],
                crate::json::to_string(&units),
                crate::json::to_string(&ballots)
            );
            run("tally", &input).map_err(|e| e.to_string())
        };
        // the same through tally_columns_meanwhile: the ballots read while the register is built
        let both_ways = |units: UnitColumns, ballots: BallotColumns| {
            let (units_too, ballots_too) = (units.clone(), ballots.clone());
            let meanwhile = tally_columns_meanwhile(SPEC, units_too, |tally| tally.tally(ballots_too)).and_then(|r| r);
            let outcome = tally_columns(SPEC, units, ballots).map_err(|e| e.to_string());
            assert_eq!(meanwhile.map_err(|e| e.to_string()), outcome);
            outcome
        };
        let by_columns = |units: &[UnitRecord]| {
            let areas = areas(units);
            let columns = unit_columns(units, &areas, None);
            both_ways(columns, ballot_columns(&ballots, Vec::new()))
        };
        let outcome = by_columns(&units);
        assert!(outcome.as_ref().is_ok_and(|o| o.contains(r#""superseded":[{"#)));
        assert_eq!(outcome, by_records(&units));
        // a register error is the register's, the ballots read alongside
        let mut repeated = units.clone();
        repeated[2999].id = repeated[5].id.clone();
        let error = by_columns(&repeated);
        assert_eq!(
            error.as_ref().map_err(String::as_str),
            Err(r#"duplicate unit id "5-5" (register.units[5] and register.units[2999])"#)
        );
        assert_eq!(error, by_records(&repeated));
        // and comes before the ballots' columns disagreeing in length
        let short = || {
            let mut short = ballot_columns(&ballots, Vec::new());
            short.choice.pop();
            short
        };
        let (unit_areas, repeated_areas) = (areas(&units), areas(&repeated));
        let both_bad = both_ways(unit_columns(&repeated, &repeated_areas, None), short());
        assert_eq!(both_bad, error);
        let ballots_bad = both_ways(unit_columns(&units, &unit_areas, None), short()).unwrap_err();
        assert!(ballots_bad.contains("ballots.choice"), "{ballots_bad}");
    }

    #[test]
    fn ballots_read_meanwhile_meet_the_errors_of_columns_in_their_order() {
        use crate::quantity::DecimalCell;
        const SPEC: &str = r#"{"rulebook":"cn-national","decided_on":"2026-04-30","matter":"other_major"}"#;
        let units = |estate: bool| UnitColumns {
            estate: estate.then(|| vec!["e", "e"]),
            id: vec!["1", "2"],
            area: vec![DecimalCell::Text("60"), DecimalCell::Text("40")],
            ..UnitColumns::default()
        };
        let ballots = |vote: bool| BallotColumns {
            vote: if vote { vec!["v", "v"] } else { Vec::new() },
            unit: vec!["1", "2"],
            choice: vec!["agree", "against"],
            ..BallotColumns::default()
        };
        // a vote column, then an estate column, then the tally
        for (estate, vote) in [(true, true), (true, false), (false, true), (false, false)] {
            let meanwhile = tally_columns_meanwhile(SPEC, units(estate), |tally| tally.tally(ballots(vote)));
            let columns = tally_columns(SPEC, units(estate), ballots(vote)).map_err(|e| e.to_string());
            assert_eq!(meanwhile.and_then(|r| r).map_err(|e| e.to_string()), columns);
        }
        // a spec in error: the ballots are not read
        let mut read = false;
        let error = tally_columns_meanwhile("{", units(false), |_| read = true).unwrap_err();
        assert!(
            !read
                && error.to_string()
                    == tally_columns("{", units(false), ballots(false))
                        .unwrap_err()
                        .to_string()
        );
    }

    #[test]
    fn a_large_batch_tallies_each_vote_as_if_alone() {
        use crate::tally::{as_if_alone, tally_many_estates, Motion};
        // three estates and four votes, the ballots of all mixed in one table:
        // large enough to be tallied in two parts on two threads
        let estates = [700, 1100, 1500].map(|n| {
            let (units, ballots) = estate_csv(n);
            let units = crate::csv::units_from_csv(&units).unwrap();
            (units, crate::csv::ballots_from_csv(&ballots).unwrap())
        });
        let estate_of = [0u32, 1, 2, 1];
        let (mut ballots, mut vote_of) = (Vec::new(), Vec::new());
        for i in 0..estates[2].1.len() {
            for (e, (_, own)) in estates.iter().enumerate() {
                if let Some(b) = own.get(i) {
                    // vote 3 takes the ballots of some units of estate 1
                    vote_of.push(if e == 1 && b.unit.len() % 2 == 1 { 3 } else { e as u32 });
                    ballots.push(b.clone());
                }
            }
        }
        assert!(ballots.len() >= crate::parallel::MIN_ROWS_FOR_A_THREAD);
        let days = ["2026-04-30", "2026-04-28", "2026-04-30", "2026-05-06"];
        let motions: Vec<Motion> = days
            .map(|day| {
                Motion::new(
                    Matter::UseMaintenanceFund,
                    crate::calendar::parse_date("d", day).unwrap(),
                )
            })
            .into();
        let rulebook = Rulebook::preset("cn-national").unwrap();
        let registers = estates.each_ref().map(|(units, _)| Register::new(units).unwrap());
        let outcomes = tally_many_estates(rulebook, &registers, &estate_of, &motions, &ballots, &vote_of).unwrap();
        for (k, outcome) in outcomes.iter().enumerate() {
            let register = &registers[estate_of[k] as usize];
            let alone = as_if_alone(rulebook, register, &motions[k], (&ballots, &vote_of), k);
            assert!(!alone.rejected.is_empty() && !alone.superseded.is_empty());
            assert_eq!(*outcome, alone, "vote {k}");
        }
        // the same as columns, the estates' registers in one table (built
        // in two parts), its rows not estate by estate nor in estate order:
        // half of e2's, e0's, e1's, the rest of e2's
        let half = estates[2].0.len() / 2;
        let (e2_first, e2_rest) = estates[2].0.split_at(half);
        let parts = [
            (2, e2_first),
            (0, &estates[0].0[..]),
            (1, &estates[1].0[..]),
            (2, e2_rest),
        ];
        let units: Vec<UnitRecord> = parts.iter().flat_map(|(_, units)| units.iter().cloned()).collect();
        let estate = parts
            .iter()
            .flat_map(|&(e, units)| units.iter().map(move |_| ["e0", "e1", "e2"][e]));
        let areas = areas(&units);
        let vote = vote_of.iter().map(|&k| ["v0", "v1", "v2", "v3"][k as usize]).collect();
        let votes: Vec<String> = (0..4)
            .map(|k| {
                format!(
                    r#"{{"id":"v{k}","estate":"e{}","matter":"use_maintenance_fund","decided_on":"{}"}}"#,
                    estate_of[k], days[k]
                )
            })
            .collect();
        let output = tally_many_columns(
            &format!(r#"{{"rulebook":"cn-national","votes":[{}]}}"#, votes.join(",")),
            Some(unit_columns(&units, &areas, Some(estate.collect()))),
            ballot_columns(&ballots, vote),
        )
        .unwrap();
        for (k, outcome) in outcomes.iter().enumerate() {
            let vote = format!(r#"{{"id":"v{k}","outcome":{}}}"#, crate::json::to_string(outcome));
            assert!(output.contains(&vote), "vote {k}");
        }
    }

    #[test]
    fn file_text_drops_a_bom_and_names_the_line_and_byte_of_other_bytes() {
        assert_eq!(file_text("f", b"").unwrap(), "");
        assert_eq!(file_text("f", b"\xEF\xBB\xBF").unwrap(), "");
        // only a leading mark is dropped; one further on is text (U+FEFF)
        assert_eq!(file_text("f", "a\u{feff}\n".as_bytes()).unwrap(), "a\u{feff}\n");
        assert_eq!(file_text("f", "单元,面积\r\n".as_bytes()).unwrap(), "单元,面积\r\n");
        let message = |bytes: &[u8]| file_text("units.csv", bytes).unwrap_err().to_string();
        assert_eq!(
            message(b"\xFF"),
            "invalid input at units.csv: line 1 is not UTF-8 text (byte 0)"
        );
        // bytes are counted in the file, the mark included
        assert_eq!(
            message(b"\xEF\xBB\xBFid\r\na\n\xE5\xA5"),
            "invalid input at units.csv: line 3 is not UTF-8 text (byte 9)"
        );
        // a mark cut short is not a mark
        assert_eq!(
            message(b"\xEF\xBB"),
            "invalid input at units.csv: line 1 is not UTF-8 text (byte 0)"
        );
        assert_eq!(
            file_text("units.csv", b"\xC0\x80").unwrap_err().code(),
            crate::error::ErrorCode::InvalidInput
        );
    }

    #[test]
    fn a_file_is_read_up_to_the_csv_limit_and_not_a_byte_more() {
        use crate::limits::MAX_CSV_BYTES;
        let limit = MAX_CSV_BYTES as u64;
        assert!(check_file_len("units.csv", limit - 1).is_ok());
        assert!(check_file_len("units.csv", limit).is_ok());
        let over = check_file_len("units.csv", limit + 1).unwrap_err();
        assert_eq!(over.code(), crate::error::ErrorCode::LimitExceeded);
        assert_eq!(
            over.to_string(),
            format!("limit exceeded: units.csv bytes is {}, the limit is {limit}", limit + 1)
        );
        // a length beyond any usize (a 32-bit surface) is named as it is
        assert!(check_file_len("units.csv", u64::MAX)
            .unwrap_err()
            .to_string()
            .contains(&u64::MAX.to_string()));
    }

    #[test]
    fn the_quorum_operations_run_alone_and_as_run_does() {
        let input = r#"{"rulebook": "cn-national", "decided_on": "2026-01-01", "matter": "other_major",
            "base": {"owners": 3, "area": "300"}, "participation": {"owners": 2, "area": "200"},
            "agree": {"owners": 2, "area": "200"}}"#;
        assert_eq!(
            run_quorum("tally_totals", input).unwrap(),
            run("tally_totals", input).unwrap()
        );
        assert_eq!(run_quorum("rulebooks", "{}").unwrap(), run("rulebooks", "{}").unwrap());
        for op in OPERATIONS {
            let code = run_quorum(op, "{}").err().map(|e| e.code().as_str());
            let quorum = QUORUM_OPERATIONS.contains(&op);
            assert_eq!(code == Some("unknown_operation"), !quorum, "{op}");
            assert_ne!(
                run(op, "{}").err().map(|e| e.code().as_str()),
                Some("unknown_operation"),
                "{op}"
            );
        }
    }

    #[test]
    fn rulebooks_lists_the_national_preset() {
        let out = run("rulebooks", "{}").unwrap();
        assert!(
            out.contains(r#""id":"civil-code-2021","effective_from":"2021-01-01","effective_to":null"#),
            "{out}"
        );
    }

    #[test]
    fn a_tally_read_in_place_gives_what_its_records_give() {
        // a small xorshift: the same cases each run
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        // each field: mostly what a tally reads, sometimes what records refuse
        // or read another way (escapes, numbers, nulls, unknown values)
        let fields = |next: &mut dyn FnMut(usize) -> usize, cases: &[(&str, &[&str])], required: usize| {
            let mut members: Vec<String> = Vec::new();
            for (i, (name, values)) in cases.iter().enumerate() {
                if i < required && next(40) != 0 || i >= required && next(3) != 0 {
                    let value = values[if next(30) != 0 { 0 } else { next(values.len()) }];
                    members.push(format!("\"{name}\": {value}"));
                }
            }
            if next(40) == 0 {
                members.push(r#""colour": "red""#.to_owned());
            }
            if next(40) == 0 && !members.is_empty() {
                members.push(members[0].clone());
            }
            // any order
            for i in (1..members.len()).rev() {
                members.swap(i, next(i + 1));
            }
            format!("{{{}}}", members.join(", "))
        };
        let ids = ["\"U0\"", "\"U1\"", "\"U2\"", "\"U3\"", "\"U4\"", "\"U5\""];
        let (mut in_place, mut cases) = (0, 0);
        for _ in 0..3000 {
            let mut units = Vec::new();
            for u in 0..1 + next(6) {
                let id = format!("\"U{u}\"");
                let area = [
                    "\"60.25\"",
                    "40",
                    "\"12.5\"",
                    "12.5",
                    "\"-1\"",
                    "null",
                    "\"1E2\"",
                    "\"\\u0033\"",
                ];
                let unit: [(&str, &[&str]); 5] = [
                    ("id", &[&id, &id, "\"U\\u0030\"", "7", "null"]),
                    ("area", &area),
                    ("building", &["\"B1\"", "\"B2\"", "null", "3", "\"B\\u0031\""]),
                    ("owner", &["\"o1\"", "\"o2\"", "null", "5", "\"o\\u0031\""]),
                    (
                        "status",
                        &[
                            "\"owned\"",
                            "\"developer_unsold\"",
                            "\"undelivered\"",
                            "null",
                            "\"sold\"",
                            "1",
                        ],
                    ),
                ];
                units.push(fields(&mut next, &unit, 2));
            }
            let mut ballots = Vec::new();
            for _ in 0..next(8) {
                let ballot: [(&str, &[&str]); 5] = [
                    ("unit", &[ids[next(ids.len())], "\"U9\"", "\"U\\u0031\"", "1", "null"]),
                    (
                        "choice",
                        &["\"agree\"", "\"against\"", "\"abstain\"", "\"maybe\"", "null", "2"],
                    ),
                    (
                        "channel",
                        &["\"paper\"", "\"online\"", "\"proxy\"", "\"fax\"", "null", "0"],
                    ),
                    (
                        "cast_at",
                        &[
                            "\"2026-04-10T10:00:00+08:00\"",
                            "\"2026-05-10T10:00:00Z\"",
                            "\"yesterday\"",
                            "null",
                            "1",
                        ],
                    ),
                    ("authorization", &["\"POA-1\"", "null", "\"POA\\n1\"", "3"]),
                ];
                ballots.push(fields(&mut next, &ballot, 2));
            }
            let units = units.join(",");
            let register = [
                format!("[{units}]"),
                format!("{{\"units\": [{units}]}}"),
                "null".to_owned(),
                format!("{{\"units\": [{units}], \"x\": 1}}"),
            ];
            let register = register[if next(10) < 8 { next(2) } else { next(4) }].clone();
            let ballots = format!("[{}]", ballots.join(","));
            let input: [(&str, &[&str]); 7] = [
                ("rulebook", &["\"cn-national\"", "\"nowhere\""]),
                ("decided_on", &["\"2026-04-30\"", "\"2026-02-30\""]),
                ("matter", &["\"other_major\"", "\"use_maintenance_fund\"", "\"x\""]),
                ("scope", &[r#""estate""#, r#"{"buildings": ["B1"]}"#, "null"]),
                ("register", &[&register, "[]", "7"]),
                ("ballots", &[&ballots, "null", "{}"]),
                (
                    "voting",
                    &[
                        r#"{"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-04-30T23:59:59+08:00", "duplicates": "first_wins"}"#,
                        r#"{"duplicates": "paper_prevails"}"#,
                        "null",
                    ],
                ),
            ];
            let input = fields(&mut next, &input, 5);
            let records = operate(&input, TallyInput::run).map_err(|e| (e.code(), e.to_string()));
            let read = tally_json(&input).map_err(|e| (e.code(), e.to_string()));
            assert_eq!(read, records, "{input}");
            cases += 1;
            in_place += usize::from(matches!(tally_in_place(&input), Some(Ok(_))));
        }
        // about a third of these tallies are read in place (most others are refused)
        assert!(in_place > cases / 5 && in_place < cases, "{in_place} of {cases}");
    }
}
