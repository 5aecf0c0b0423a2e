// The conformance vectors (conformance/ and YEWEIHUI_EXTRA_VECTORS) and the
// subset matcher of the vector format.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";

export const ROOT = resolve(import.meta.dirname, "../..");

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : name.endsWith(".json") ? [p] : [];
    });
}

export function loadVectors() {
  const dirs = [join(ROOT, "conformance"), ...(process.env.YEWEIHUI_EXTRA_VECTORS ?? "").split(":").filter(Boolean)];
  const seen = new Map();
  for (const dir of dirs) {
    for (const file of files(dir)) {
      const data = JSON.parse(readFileSync(file, "utf8"));
      for (const v of Array.isArray(data) ? data : [data]) {
        const prev = seen.get(v.name);
        if (prev) assert.deepEqual(prev, v, `two different vectors named ${v.name}`);
        else seen.set(v.name, v);
      }
    }
  }
  return [...seen.values()];
}

/** Asserts that `actual` contains `expected`: objects by key, arrays by element with equal length. */
export function contains(actual, expected, path = "output") {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(k in actual, `${path}.${k}: missing`);
      contains(actual[k], v, `${path}.${k}`);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    expected.forEach((e, i) => contains(actual[i], e, `${path}[${i}]`));
  } else {
    assert.strictEqual(actual, expected, `${path}`);
  }
}

export const inputText = (v) => (typeof v.input === "string" ? v.input : JSON.stringify(v.input));

const UNIT_COLUMNS = ["id", "building", "area", "owner", "status"];
const BALLOT_COLUMNS = ["unit", "choice", "channel", "cast_at", "authorization"];

/**
 * `records` as CSV text with those of `names` any record has, or null where
 * CSV cannot say the same: a cell that is not text, or text that is empty or
 * has spaces around it (a CSV cell is read trimmed, and an empty one is an
 * absent value), or a field of another name.
 */
function csvText(records, names) {
  if (!Array.isArray(records) || !records.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) return null;
  for (const r of records) {
    for (const [key, cell] of Object.entries(r)) {
      if (!names.includes(key)) return null;
      if (cell !== null && (typeof cell !== "string" || cell === "" || cell.trim() !== cell)) return null;
    }
  }
  let columns = names.filter((n) => records.some((r) => r[n] != null));
  if (columns.length === 0) columns = names.slice(0, 2);
  const cell = (text) => (text == null ? "" : /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [columns, ...records.map((r) => columns.map((c) => r[c]))].map((row) => row.map(cell).join(",") + "\n").join("");
}

/**
 * A tally vector's input as `[spec, unitsCsv, ballotsCsv]` for `tallyCsv`,
 * or null where CSV cannot carry its register or ballots (see `csvText`).
 */
export function csvTables(input) {
  if (input === null || typeof input !== "object" || input.register === null || typeof input.register !== "object") return null;
  const units = csvText(input.register.units, UNIT_COLUMNS);
  const ballots = csvText(input.ballots ?? [], BALLOT_COLUMNS);
  if (units === null || ballots === null) return null;
  const { register, ballots: _, ...spec } = input;
  return [spec, units, ballots];
}
