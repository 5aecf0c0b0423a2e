// The typed face of the engine: plain objects in, plain objects out. It only
// converts (JSON text across the boundary) and passes errors through; every
// answer is computed by the Rust core compiled to WebAssembly.

/** The library's error shape, for input that never reaches the engine. */
function inputError(message) {
  const err = new Error(`invalid input: ${message}`);
  err.name = "YeweihuiError";
  err.code = "invalid_input";
  return err;
}

/** JSON.stringify would quietly turn these into null or drop them: refuse them instead. */
function strict(key, value) {
  const at = key === "" ? "input" : JSON.stringify(key);
  if (typeof value === "number" && !Number.isFinite(value)) throw inputError(`${at}: ${value} is not a finite number`);
  if (typeof value === "function" || typeof value === "symbol") throw inputError(`${at}: a ${typeof value} is not data`);
  if (value === undefined && Array.isArray(this)) throw inputError(`${at}: undefined in a list`);
  if (value instanceof Map || value instanceof Set) throw inputError(`${at}: use a plain object or array, not a ${value.constructor.name}`);
  return value;
}

/** Text for the engine: a lone surrogate has no UTF-8 form (it would be replaced silently). */
function wellFormed(text) {
  if (!text.isWellFormed()) throw inputError("the text contains a lone surrogate (not valid Unicode)");
  return text;
}

/** Input as JSON text; what JSON cannot carry (BigInt, cycles, NaN) is the library's error. */
function encode(input) {
  if (typeof input === "string") return wellFormed(input);
  try {
    return JSON.stringify(input, strict);
  } catch (cause) {
    throw cause.code ? cause : inputError(cause.message);
  }
}

/** Binds the API to a loaded wasm-bindgen module (Node or web build). */
export function bind(native) {
  const run = (operation, input) => JSON.parse(native.runJson(operation, encode(input)));
  return Object.freeze({
    run,
    runJson: (operation, text) => native.runJson(operation, wellFormed(text)),
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
