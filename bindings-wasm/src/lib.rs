//! The npm package `yeweihui`: the engine compiled to WebAssembly.
//!
//! Gated to wasm targets so `cargo test --workspace` stays native. It
//! converts strings and errors, nothing else: every computation is in the
//! `yeweihui` crate, reached through its wire operations, so JavaScript gets
//! the same bytes as Rust and Python. Built twice: the whole engine, and
//! with the feature `quorum` the small module for quorum pages (the core's
//! quorum operations only). The TypeScript section below declares
//! the wire shapes; the package's tests type-check every conformance
//! vector's real input and output against it, so it cannot drift unseen.
#![cfg(target_family = "wasm")]
// No `unwrap`, `expect` or `panic!` in library code (a bad input is an error); tests may.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use wasm_bindgen::prelude::*;

/// Builds a JS `Error` carrying the stable `.code` of a library error.
fn to_js_error(e: &yeweihui::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("YeweihuiError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().as_str().into());
    err.into()
}

/// Runs a wire operation on JSON text, given as its UTF-8 bytes, and
/// returns JSON text; throws an `Error` with `.code` on failure. (The JS
/// layer encodes the text with `TextEncoder`, natively, and the bytes are
/// copied into WebAssembly memory at once, where a JS string argument would
/// be copied character by character.)
#[wasm_bindgen(js_name = runJson)]
pub fn run_json(operation: &str, input: &[u8]) -> Result<String, JsValue> {
    let input = text(input, "input")?;
    #[cfg(not(feature = "quorum"))]
    let output = yeweihui::wire::run(operation, input);
    #[cfg(feature = "quorum")]
    let output = yeweihui::wire::run_quorum(operation, input);
    output.map_err(|e| to_js_error(&e))
}

/// Tallies one vote whose register and ballots are CSV text (the formats of
/// the `csv` operation), read in place with no records made
/// (`yeweihui::wire::tally_csv`): `input` is the tally's JSON input without
/// them. Each argument is UTF-8 bytes, as for [`run_json`]. Returns the
/// outcome as JSON text, the bytes `runJson("tally", ...)` gives for the
/// records the `csv` operation reads from the same text.
#[wasm_bindgen(js_name = tallyCsv)]
pub fn tally_csv(input: &[u8], units: &[u8], ballots: &[u8]) -> Result<String, JsValue> {
    yeweihui::wire::tally_csv(text(input, "input")?, text(units, "units")?, text(ballots, "ballots")?)
        .map_err(|e| to_js_error(&e))
}

/// UTF-8 bytes as text; anything else is `invalid_input` at `what`.
fn text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, JsValue> {
    std::str::from_utf8(bytes)
        .map_err(|e| to_js_error(&yeweihui::Error::invalid_input(what, format!("not UTF-8 text: {e}"))))
}

/// The operations this module runs: all of them, or the quorum module's.
#[wasm_bindgen]
pub fn operations() -> Vec<String> {
    #[cfg(not(feature = "quorum"))]
    let operations = yeweihui::wire::OPERATIONS.as_slice();
    #[cfg(feature = "quorum")]
    let operations = yeweihui::wire::QUORUM_OPERATIONS.as_slice();
    operations.iter().map(|&op| op.to_owned()).collect()
}

/// Every stable error code, in catalogue order.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    yeweihui::ErrorCode::ALL.iter().map(|c| c.as_str().to_owned()).collect()
}

/// The library's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[wasm_bindgen(typescript_custom_section)]
const WIRE_TYPES: &'static str = r#"
/** A decimal in plain notation, e.g. "89.5" (never a JS number). */
export type Decimal = string;
/** A date, YYYY-MM-DD. */
export type IsoDate = string;
/** A ratio n/d in lowest terms, e.g. "2/3". */
export type RatioText = string;
export type Matter = "amend_assembly_rules" | "amend_management_covenant" | "elect_committee" | "hire_or_dismiss_manager" | "use_maintenance_fund" | "raise_maintenance_fund" | "rebuild" | "change_common_use" | "other_major";
export type ErrorCode = "invalid_input" | "unknown_operation" | "unknown_rulebook" | "invalid_rulebook" | "rulebook_violates_law" | "unknown_matter" | "no_law_in_force" | "policy_not_allowed" | "invalid_area" | "invalid_amount" | "duplicate_unit" | "unknown_scope" | "empty_scope" | "invalid_date" | "calendar_year_not_covered" | "limit_exceeded";
export type RejectionCode = "unknown_unit" | "out_of_scope" | "before_open" | "after_close" | "missing_cast_at" | "invalid_cast_at" | "owner_conflict" | "proxy_without_authorization" | "invalid_choice" | "invalid_channel" | "over_voted" | "unknown_candidate" | "duplicate_candidate";
export interface Text { zh: string; en: string }
export type Threshold = { at_least: RatioText } | { more_than: RatioText };

export interface UnitRecord { id: string; area: Decimal | number; building?: string; owner?: string; status?: "owned" | "developer_unsold" | "undelivered" }
export interface BallotRecord { unit: string; choice: string; channel?: string; cast_at?: string; authorization?: string }
export type Scope = "estate" | { buildings: string[] } | { units: string[] };
export interface Voting { opens_at?: string; closes_at?: string; duplicates?: "latest_wins" | "first_wins" | "paper_prevails" | "online_prevails"; non_response?: string }

export interface Participation { area: Threshold; owners: Threshold; citation: Text }
export interface Approval { base: "participating" | "total"; area: Threshold; owners: Threshold; citation: Text }
export interface Requirement { participation?: Participation; approval: Approval }
export type Trigger = { after: { event: string; days?: number } } | { before: { event: string; days: number } } | { every: { months?: number; within_days?: number } };
export interface Obligation { id: string; name: Text; trigger: Trigger; posted_for_days?: number; citation: Text }
export interface Procedure { assembly_notice?: { days: number; citation: Text }; requisition?: { owners: Threshold; citation: Text } }
export interface ThresholdRule { threshold: Threshold; citation: Text }
export interface CommitteeRules {
  meeting_quorum?: ThresholdRule; decision?: ThresholdRule; meeting_notice?: { days: number; citation: Text };
  size?: { min: number; max?: number; odd: boolean; small_estate?: { households_at_most?: number; area_at_most?: Decimal; min: number }; citation: Text }; term_years?: { years: number; min_years?: number; citation: Text };
  first_meeting?: { days: number; citation: Text }; filing?: { days: number; citation: Text };
  term_limit?: { consecutive_terms: number; citation: Text }; re_election?: { months: number; citation: Text }; handover?: { days: number; citation: Text };
  disqualifications?: { flag: string; name: Text; citation: Text }[];
  removal?: { members?: Threshold; owners?: Threshold; citation: Text }; min_in_office?: ThresholdRule;
  tie?: { method: "run_off" | "lot"; citation: Text };
}
export interface FundRules { routes?: { fund: Fund; action?: "use" | "raise"; matter: Matter; citation: Text }[]; committee_limits?: { fund: Fund; amount: Decimal; citation: Text }[]; emergency?: { situations: { id: string; name: Text }[]; reviewed_by: Text; confirmed_by: Text; afterwards: Text[]; citation: Text } }
export interface RulebookVersion { id: string; effective_from: IsoDate; effective_to?: IsoDate; law?: Text; voting?: { non_response: string[]; citation: Text }; assembly?: Partial<Record<Matter, Requirement>>; procedure?: Procedure; disclosure?: Obligation[]; committee?: CommitteeRules; funds?: FundRules; guidance?: { sections: ("committee" | "disclosure")[]; citation: Text }; not_included?: Text }
export interface Rulebook { id: string; name?: Text; level?: RulebookLevel; extends?: string | Rulebook; versions: RulebookVersion[] }
export type RulebookLevel = "national" | "local" | "estate";

export interface TallyInput { rulebook: string | Rulebook; decided_on: IsoDate; matter: Matter; register: { units: UnitRecord[] } | UnitRecord[]; ballots?: BallotRecord[]; scope?: Scope; voting?: Voting }
export interface Counts { units: number; owners: number; area: Decimal }
export interface Check<Q> { met: boolean; measured: Q; base: Q; required: Threshold; shortfall: Q; reachable: boolean; citation: string; citation_en: string }
export interface Checks { "participation.area"?: Check<Decimal>; "participation.owners"?: Check<number>; "approval.area": Check<Decimal>; "approval.owners": Check<number> }
export interface Layer { rulebook: string; version: string }
export interface Law { rulebook: string; version: string; citation: string; citation_en: string; layers: Layer[] }
export interface Rejection { index: number; unit: string; code: RejectionCode; reason: string; reason_en: string }
export interface Supersession { index: number; unit: string; by: number }
export interface Outcome {
  passed: boolean; matter: Matter; decided_on: IsoDate; scope: Scope; law: Law;
  base: Counts; participation: Counts; votes: { agree: Counts; against: Counts; abstain: Counts };
  checks: Checks; ballots: { received: number; counted: number; superseded: number; rejected: number };
  rejected: Rejection[]; superseded: Supersession[];
}

export interface VoteInput { id: string; matter: Matter; decided_on: IsoDate; scope?: Scope; voting?: Voting; estate?: string }
export interface VoteBallot extends BallotRecord { vote: string }
export interface TallyManyInput { rulebook: string | Rulebook; register?: { units: UnitRecord[] } | UnitRecord[]; registers?: Record<string, { units: UnitRecord[] } | UnitRecord[]>; votes: VoteInput[]; ballots?: VoteBallot[]; format?: "outcomes" | "rows" }
export type OutcomeRow = Record<string, boolean | number | string | null>;
export type TallyManyOutput = { votes: { id: string; outcome: Outcome }[] } | { rows: OutcomeRow[] };

export interface TotalsRecord { owners: number; area: Decimal | number }
export interface TotalsInput { rulebook: string | Rulebook; decided_on: IsoDate; matter: Matter; base: TotalsRecord; participation: TotalsRecord; agree: TotalsRecord }
export interface TotalsOutcome { passed: boolean; matter: Matter; decided_on: IsoDate; law: Law; checks: Checks }

export interface ExplainInput { outcome: Outcome; lang?: "zh" | "en" }
export interface ExplainOutput { lang: "zh" | "en"; text: string }

export type Period = { days: number } | { months: number } | { years: number } | { working_days: number };
export interface Holiday { name: Text; from: IsoDate; to: IsoDate }
export interface YearSchedule { year: number; source: Text; holidays: Holiday[]; working_days?: IsoDate[] }
export interface DeadlineInput { start: IsoDate; period: Period; calendar?: { years: YearSchedule[] } }
export interface DeadlineOutput { start: IsoDate; period: Period; nominal_end: IsoDate; due: IsoDate; skipped: { date: IsoDate; holiday: Text | null }[]; citation: string; citation_en: string; explanation: Text }

export interface CsvInput { kind: "units" | "ballots"; text: string }
export type CsvOutput = { units: (UnitRecord & { area: Decimal; status: "owned" | "developer_unsold" | "undelivered" })[] } | { ballots: BallotRecord[] };
export interface RulebooksOutput { library_version: string; presets: { id: string; name: Text | null; level: RulebookLevel | null; extends: string | null; versions: { id: string; effective_from: IsoDate; effective_to: IsoDate | null }[]; error?: string }[]; matters: { id: Matter; item: number; zh: string; en: string }[] }

export interface NoticeInput { rulebook: string | Rulebook; meeting_on: IsoDate; notice_published_on?: IsoDate }
export interface Notice { meeting_on: IsoDate; notice_days: number; latest_notice_on: IsoDate; published_on?: IsoDate; check?: { met: boolean; measured: number; required: number; shortfall: number }; citation: string; citation_en: string; layers: Layer[] }
export interface RequisitionInput { rulebook: string | Rulebook; decided_on: IsoDate; register: { units: UnitRecord[] } | UnitRecord[]; scope?: Scope; proposers: string[] }
export interface Requisition { met: boolean; owners: Check<number>; rejected: { index: number; unit: string; code: "unknown_unit" | "out_of_scope" | "same_owner" }[]; layers: Layer[] }
export interface DisclosureEvent { event: string; on: IsoDate; ref: string }
export interface PublicationRecord { obligation: string; ref?: string; period_end?: IsoDate; published_on: IsoDate; removed_on?: IsoDate }
export interface ScheduleInput { rulebook: string | Rulebook; from: IsoDate; to: IsoDate; events?: DisclosureEvent[]; calendar?: { years: YearSchedule[] } }
export interface AuditInput { rulebook: string | Rulebook; from: IsoDate; as_of: IsoDate; events?: DisclosureEvent[]; publications?: PublicationRecord[]; calendar?: { years: YearSchedule[] } }
export interface DueItem { obligation: string; name: Text; ref?: string; period_end?: IsoDate; due: IsoDate | null; moved_by?: string[]; posted_for_days?: number; citation: string; citation_en: string }
export interface Unscheduled { obligation: string; reason: string; reason_en: string }
export interface Schedule { items: DueItem[]; unscheduled: Unscheduled[]; unmatched_events: string[]; layers: Layer[] }
export type DisclosureStatus = "on_time" | "late" | "missing" | "not_yet_due" | "published" | "unpublished";
export interface AuditItem extends DueItem { status: DisclosureStatus; published_on?: IsoDate; days_late?: number; days_left?: number; posted_long_enough?: boolean }
export interface Audit { as_of: IsoDate; items: AuditItem[]; summary: Partial<Record<DisclosureStatus, number>>; unmatched_publications: { index: number; code: "unknown_obligation" | "no_such_instance" | "repeat" }[]; unscheduled: Unscheduled[]; unmatched_events: string[]; layers: Layer[] }

export type Choice = "agree" | "against" | "abstain";
export interface CommitteeMeetingInput { rulebook: string | Rulebook; decided_on: IsoDate; members: string[]; present?: string[]; votes?: { member: string; choice: Choice }[]; interested?: string[]; notice_published_on?: IsoDate; meeting_on?: IsoDate }
export interface DaysCheck { met: boolean; measured: number; required: number; shortfall: number }
export interface MeetingOutcome { valid: boolean; passed: boolean; checks: { quorum: Check<number>; decision: Check<number>; notice?: DaysCheck & { citation: string; citation_en: string } }; rejected: { list: "votes" | "present"; index: number; member: string; code: "not_a_member" | "not_present" | "conflict_of_interest" | "repeat" }[]; layers: Layer[] }
export type Fund = "maintenance_fund" | "public_revenue" | "working_budget";
export interface SpendingRequestInput { fund: Fund; action?: "use" | "raise"; purpose: string; amount: Decimal | number; scope?: Scope; emergency?: string }
export interface SpendingRequest { fund: Fund; action: "use" | "raise"; purpose: string; amount: Decimal; scope: Scope; emergency?: string }
export interface Step { what: Text; citation: string; citation_en: string }
export interface Route { approver: "assembly" | "committee" | "emergency"; request: SpendingRequest; matter?: Matter; requirement?: Requirement; committee_limit?: Decimal; steps: Step[]; afterwards: Step[]; notes: Text[]; layers: Layer[] }
export interface FundRouteInput { rulebook: string | Rulebook; decided_on: IsoDate; request: SpendingRequestInput }
export interface FundApprovalInput extends FundRouteInput { evidence?: { assembly?: Outcome; committee?: MeetingOutcome; confirmed_by?: string } }
export interface FundApproval { approved: boolean; missing: Text[]; route: Route }
export interface CostSplitInput { amount: Decimal | number; register: { units: UnitRecord[] } | UnitRecord[]; scope?: Scope; basis?: "area" | "unit"; balances?: Record<string, Decimal | number> }
export interface Share { unit: string; owner: string; share: Decimal; balance_before?: Decimal; balance_after?: Decimal; top_up?: Decimal }
export interface CostSplit { total: Decimal; basis: "area" | "unit"; shares: Share[]; by_owner: { owner: string; units: number; share: Decimal }[]; citation: string; citation_en: string }
export interface RevenueInput { entries: { date: IsoDate; kind: "income" | "cost"; amount: Decimal | number; description: string }[]; allocations?: { to: string; amount: Decimal | number }[] }
export interface RevenueSummary { income: Decimal; costs: Decimal; net: Decimal; deficit: Decimal; allocated: Decimal; unallocated: Decimal; allocation_within_net: boolean; entries: number; citation: string; citation_en: string }

export interface Candidate { id: string; unit: string; name?: string; flags?: string[] }
export interface ElectionBallot { unit: string; choices: string[]; channel?: string; cast_at?: string; authorization?: string }
export interface ElectionInput { rulebook: string | Rulebook; decided_on: IsoDate; register: { units: UnitRecord[] } | UnitRecord[]; scope?: Scope; seats: number; alternates?: number; candidates: Candidate[]; ballots?: ElectionBallot[]; voting?: Voting }
export interface CandidateResult { id: string; unit: string; result: "elected" | "alternate" | "tied" | "not_elected" | "not_qualified" | "ineligible"; ineligible?: string; ineligible_en?: string; votes: Counts; "approval.area": Check<Decimal>; "approval.owners": Check<number>; rank?: number }
export interface ElectionOutcome {
  valid: boolean; decided_on: IsoDate; law: Law;
  composition: { met: boolean; seats: number; min: number; max?: number; odd: boolean; citation: string; citation_en: string };
  base: Counts; participation: Counts; "participation.area"?: Check<Decimal>; "participation.owners"?: Check<number>;
  candidates: CandidateResult[]; elected: string[]; alternates: string[];
  ties: { places: "seats" | "alternates"; open: number; candidates: string[]; resolution: "run_off" | "lot"; citation?: string; citation_en?: string }[];
  ballots: { received: number; counted: number; superseded: number; rejected: number }; rejected: Rejection[]; superseded: Supersession[];
}
export interface TermInput { rulebook: string | Rulebook; elected_on: IsoDate; consecutive_terms_served?: number; calendar?: { years: YearSchedule[] } }
export interface RuleDate { date: IsoDate; moved_from?: IsoDate; citation: string; citation_en: string }
export interface Term {
  term_start: IsoDate; term_years: number; term_end: IsoDate; term_end_is_rest_day: boolean | null; term_citation: Text;
  first_meeting_by?: RuleDate; filing_by?: RuleDate; re_election_start_by?: RuleDate; handover_by?: RuleDate;
  may_stand_again?: { allowed: boolean; served: number; limit?: number; citation: string; citation_en: string };
  not_set: string[]; not_computed: { name: string; reason: string; reason_en: string }[]; layers: Layer[];
}

export interface RemovalInput { rulebook: string | Rulebook; decided_on: IsoDate; members: string[]; member: string; proposing_members?: string[]; register?: { units: UnitRecord[] } | UnitRecord[]; proposing_units?: string[] }
export interface Removal { met: boolean; members?: Check<number>; owners?: Check<number>; layers: Layer[] }
export interface VacancyInput { rulebook: string | Rulebook; decided_on: IsoDate; seats: number; members: string[]; alternates?: string[]; leaving: { member: string; reason: "not_an_owner" | "lost_capacity" | "resigned" | "removed" | "died" | "other" }[] }
export interface Vacancies { in_office: string[]; filled: { seat_of: string; by: string }[]; alternates_left: string[]; vacancies: number; by_election_required: boolean; reasons: string[]; reasons_en: string[]; layers: Layer[] }

export interface RulesInForceInput { rulebook: string | Rulebook; on: IsoDate }
export interface RulesInForceOutput { on: IsoDate; layers: Layer[]; rules: { rule: string; value: string; value_en: string; layer: Layer; citation: string; citation_en: string }[] }
export interface ParseRulebookInput { format?: "toml" | "json"; text: string }

export type Office = "chair" | "vice_chair";
export interface OfficesInput { rulebook: string | Rulebook; decided_on: IsoDate; members: string[]; present?: string[]; nominations: { office: Office; candidate: string; votes: { member: string; choice: Choice }[] }[] }
export interface Offices { valid: boolean; quorum: Check<number>; chair: string | null; vice_chairs: string[]; contested: Office[]; nominations: { office: Office; candidate: string; passed: boolean; decision: Check<number>; rejected: MeetingOutcome["rejected"] }[]; layers: Layer[] }

/** The operations of `run` with their input and output types. */
export interface Operations {
  tally: [TallyInput, Outcome];
  tally_many: [TallyManyInput, TallyManyOutput];
  tally_totals: [TotalsInput, TotalsOutcome];
  explain: [ExplainInput, ExplainOutput];
  deadline: [DeadlineInput, DeadlineOutput];
  assembly_notice: [NoticeInput, Notice];
  requisition: [RequisitionInput, Requisition];
  disclosure_schedule: [ScheduleInput, Schedule];
  disclosure_audit: [AuditInput, Audit];
  committee_meeting: [CommitteeMeetingInput, MeetingOutcome];
  fund_route: [FundRouteInput, Route];
  fund_approval: [FundApprovalInput, FundApproval];
  cost_split: [CostSplitInput, CostSplit];
  public_revenue: [RevenueInput, RevenueSummary];
  election: [ElectionInput, ElectionOutcome];
  term: [TermInput, Term];
  removal: [RemovalInput, Removal];
  vacancy: [VacancyInput, Vacancies];
  offices: [OfficesInput, Offices];
  rules_in_force: [RulesInForceInput, RulesInForceOutput];
  parse_rulebook: [ParseRulebookInput, Rulebook];
  csv: [CsvInput, CsvOutput];
  rulebooks: [Record<string, never>, RulebooksOutput];
}

/** Errors thrown by the library: a JS Error with the stable code. */
export interface YeweihuiError extends Error { code: ErrorCode }
"#;
