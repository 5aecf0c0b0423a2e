// The typed face of the engine: plain objects in, plain objects out. It only
// converts (JSON text across the boundary) and passes errors through; every
// answer is computed by the Rust core compiled to WebAssembly.

/** Throws the library's error shape for input JSON cannot carry (BigInt, cycles). */
function encode(input) {
  if (typeof input === "string") return input;
  try {
    return JSON.stringify(input);
  } catch (cause) {
    const err = new Error(`invalid input: ${cause.message}`);
    err.name = "YeweihuiError";
    err.code = "invalid_input";
    throw err;
  }
}

/** Binds the API to a loaded wasm-bindgen module (Node or web build). */
export function bind(native) {
  const run = (operation, input) => JSON.parse(native.runJson(operation, encode(input)));
  return Object.freeze({
    run,
    runJson: (operation, text) => native.runJson(operation, text),
    tally: (input) => run("tally", input),
    tallyMany: (input) => run("tally_many", input),
    tallyTotals: (input) => run("tally_totals", input),
    explain: (outcome, lang = "zh") => run("explain", { outcome, lang }).text,
    deadline: (input) => run("deadline", input),
    assemblyNotice: (input) => run("assembly_notice", input),
    requisition: (input) => run("requisition", input),
    disclosureSchedule: (input) => run("disclosure_schedule", input),
    disclosureAudit: (input) => run("disclosure_audit", input),
    committeeMeeting: (input) => run("committee_meeting", input),
    fundRoute: (input) => run("fund_route", input),
    fundApproval: (input) => run("fund_approval", input),
    costSplit: (input) => run("cost_split", input),
    publicRevenue: (input) => run("public_revenue", input),
    election: (input) => run("election", input),
    term: (input) => run("term", input),
    removal: (input) => run("removal", input),
    vacancy: (input) => run("vacancy", input),
    offices: (input) => run("offices", input),
    rulesInForce: (input) => run("rules_in_force", input),
    parseRulebook: (text, format = "toml") => run("parse_rulebook", { format, text }),
    parseCsv: (kind, text) => run("csv", { kind, text }),
    rulebooks: () => run("rulebooks", {}),
    errorCodes: () => native.errorCodes(),
    version: native.version(),
  });
}
