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

/**
 * Encodes the JSON text passed to the native module: natively, and the
 * bytes then reach WebAssembly memory in one copy (a string argument is
 * copied there character by character, a third of a 20,000-unit tally).
 */
const utf8 = new TextEncoder();

/** Text for the engine: a lone surrogate has no UTF-8 form (it would be replaced silently). */
function wellFormed(text) {
  if (!text.isWellFormed()) throw inputError("the text contains a lone surrogate (not valid Unicode)");
  return text;
}

/** A CSV table given as text, for `tallyCsv`. */
function csvText(text, what) {
  if (typeof text !== "string") throw inputError(`${what}: CSV text expected, got ${text === null ? "null" : typeof text}`);
  return wellFormed(text);
}

/**
 * Whether `value` is plain data, which JSON.stringify writes as it is, so
 * that `strict` need not see it: text, booleans, finite numbers, null, and
 * arrays and objects of them (at most 64 deep; an object's undefined values
 * are left out, as `strict` allows). Anything else, `strict` checks.
 */
function plain(value, depth) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
        return true;
      }
      if (typeof value.toJSON === "function" || value instanceof Map || value instanceof Set) return false;
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v !== undefined && !plain(v, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Input as JSON text; what JSON cannot carry (BigInt, cycles, NaN) is the
 * library's error. A replacer costs JSON.stringify about four times its own
 * time, so plain data (checked first, in a fraction of that) is written without one.
 */
function encode(input) {
  if (typeof input === "string") return wellFormed(input);
  try {
    return plain(input, 0) ? JSON.stringify(input) : JSON.stringify(input, strict);
  } catch (cause) {
    throw cause.code ? cause : inputError(cause.message);
  }
}

/**
 * Each method of the API: the wire operation it runs, how its arguments
 * become the operation's input (default: the one argument), and what of the
 * output it returns (default: all of it).
 */
const METHODS = {
  tally: ["tally"],
  tallyMany: ["tally_many"],
  tallyTotals: ["tally_totals"],
  explain: ["explain", (outcome, lang = "zh") => ({ outcome, lang }), (out) => out.text],
  deadline: ["deadline"],
  assemblyNotice: ["assembly_notice"],
  requisition: ["requisition"],
  disclosureSchedule: ["disclosure_schedule"],
  disclosureAudit: ["disclosure_audit"],
  committeeMeeting: ["committee_meeting"],
  fundRoute: ["fund_route"],
  fundApproval: ["fund_approval"],
  costSplit: ["cost_split"],
  publicRevenue: ["public_revenue"],
  election: ["election"],
  term: ["term"],
  removal: ["removal"],
  vacancy: ["vacancy"],
  offices: ["offices"],
  rulesInForce: ["rules_in_force"],
  parseRulebook: ["parse_rulebook", (text, format = "toml") => ({ format, text })],
  parseCsv: ["csv", (kind, text) => ({ kind, text })],
  rulebooks: ["rulebooks", () => ({})],
};

/**
 * Binds the API to a loaded wasm-bindgen module (Node or web build): the
 * methods of the operations that module runs (all of them, or the quorum
 * module's).
 */
export function bind(native) {
  // the native module takes JSON text as UTF-8 bytes (see utf8)
  const runJson = (operation, text) => native.runJson(operation, utf8.encode(text));
  const run = (operation, input) => JSON.parse(runJson(operation, encode(input)));
  const operations = native.operations();
  const api = {
    run,
    runJson: (operation, text) => runJson(operation, wellFormed(text)),
    operations: () => [...operations],
    errorCodes: () => native.errorCodes(),
    version: native.version(),
  };
  for (const [method, [operation, input = (x) => x, output = (x) => x]] of Object.entries(METHODS)) {
    if (operations.includes(operation)) api[method] = (...args) => output(run(operation, input(...args)));
  }
  // the register and the ballots as CSV text, read in place by the engine:
  // no records are made, in WebAssembly or in JavaScript
  api.tallyCsv = (input, unitsCsv, ballotsCsv) => {
    const [units, ballots] = [csvText(unitsCsv, "units"), csvText(ballotsCsv, "ballots")];
    return JSON.parse(native.tallyCsv(utf8.encode(encode(input)), utf8.encode(units), utf8.encode(ballots)));
  };
  return Object.freeze(api);
}

/** A browser entry point's `load`: instantiates a web build once (the .wasm next to it, or the URL / bytes given). */
export function loader(init, native) {
  let loaded;
  return (moduleOrPath) => {
    loaded ??= init(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(() => bind(native));
    return loaded;
  };
}
