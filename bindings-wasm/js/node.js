// Node entry point: the engine loads synchronously.
import { createRequire } from "node:module";
import { bind } from "./api.js";

const require = createRequire(import.meta.url);
const api = bind(require("../pkg/node/yeweihui_wasm.js"));

export const {
  run, runJson, tally, tallyCsv, tallyMany, tallyTotals, explain, deadline, assemblyNotice, requisition, disclosureSchedule, disclosureAudit, committeeMeeting, fundRoute, fundApproval, costSplit, publicRevenue, election, term, removal, vacancy, offices, rulesInForce, parseRulebook, parseCsv, rulebooks, operations, errorCodes, version,
} = api;
export default api;
