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
