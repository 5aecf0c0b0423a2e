// The API of both entry points; the wire types come from the Rust crate's
// TypeScript section, emitted by wasm-bindgen into pkg/*/yeweihui_wasm.d.ts.
import type * as W from "../pkg/node/yeweihui_wasm.js";

export type * from "../pkg/node/yeweihui_wasm.js";

export interface Api {
  /** Runs a wire operation: an object (or JSON text) in, an object out. */
  run<K extends keyof W.Operations>(operation: K, input: W.Operations[K][0] | string): W.Operations[K][1];
  /** Runs a wire operation on JSON text, returning JSON text (byte-identical on every surface). */
  runJson(operation: string, input: string): string;
  tally(input: W.TallyInput): W.Outcome;
  /**
   * Tallies one vote whose register and ballots are CSV text (the formats of
   * `parseCsv`), read in place by the engine: the outcome `tally` gives for
   * the records `parseCsv` reads from the same text, without making them.
   */
  tallyCsv(input: Omit<W.TallyInput, "register" | "ballots">, unitsCsv: string, ballotsCsv: string): W.Outcome;
  tallyMany(input: W.TallyManyInput): W.TallyManyOutput;
  tallyTotals(input: W.TotalsInput): W.TotalsOutcome;
  explain(outcome: W.Outcome, lang?: "zh" | "en"): string;
  deadline(input: W.DeadlineInput): W.DeadlineOutput;
  assemblyNotice(input: W.NoticeInput): W.Notice;
  requisition(input: W.RequisitionInput): W.Requisition;
  disclosureSchedule(input: W.ScheduleInput): W.Schedule;
  disclosureAudit(input: W.AuditInput): W.Audit;
  committeeMeeting(input: W.CommitteeMeetingInput): W.MeetingOutcome;
  fundRoute(input: W.FundRouteInput): W.Route;
  fundApproval(input: W.FundApprovalInput): W.FundApproval;
  costSplit(input: W.CostSplitInput): W.CostSplit;
  publicRevenue(input: W.RevenueInput): W.RevenueSummary;
  election(input: W.ElectionInput): W.ElectionOutcome;
  term(input: W.TermInput): W.Term;
  removal(input: W.RemovalInput): W.Removal;
  vacancy(input: W.VacancyInput): W.Vacancies;
  offices(input: W.OfficesInput): W.Offices;
  rulesInForce(input: W.RulesInForceInput): W.RulesInForceOutput;
  parseRulebook(text: string, format?: "toml" | "json"): W.Rulebook;
  parseCsv(kind: "units" | "ballots", text: string): W.CsvOutput;
  rulebooks(): W.RulebooksOutput;
  /** The operations this module runs. */
  operations(): (keyof W.Operations)[];
  errorCodes(): W.ErrorCode[];
  readonly version: string;
}

/** The operations of the quorum module (`yeweihui/quorum`). */
export type QuorumOperation = "tally" | "tally_totals" | "explain" | "csv" | "rulebooks";

/** The API of the quorum module: the methods of its operations. */
export interface QuorumApi
  extends Pick<Api, "runJson" | "tally" | "tallyCsv" | "tallyTotals" | "explain" | "parseCsv" | "rulebooks" | "errorCodes" | "version"> {
  /** Runs one of the module's operations: an object (or JSON text) in, an object out. */
  run<K extends QuorumOperation>(operation: K, input: W.Operations[K][0] | string): W.Operations[K][1];
  /** The operations this module runs. */
  operations(): QuorumOperation[];
}
