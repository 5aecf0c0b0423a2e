// The quorum module (`yeweihui/quorum`), loaded in Node from its bytes: every
// conformance vector of its operations gives the whole engine's bytes (or
// its error code); every other operation is `unknown_operation`; the API has
// exactly the methods of its operations (and tallyCsv); the declared QuorumOperation type
// names them; it stays within its size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import yw from "../js/node.js";
import { load } from "../js/quorum.js";
import { ROOT, inputText, loadVectors } from "./vectors.mjs";

const bytes = readFileSync(join(ROOT, "bindings-wasm/pkg/quorum/yeweihui_quorum_bg.wasm"));
const quorum = await load(bytes);
const operations = quorum.operations();

/** The output text, or the error code. */
function outcome(engine, v) {
  try {
    return engine.runJson(v.operation, inputText(v));
  } catch (e) {
    return `error ${e.code}`;
  }
}

test("the quorum operations are a part of the engine's", () => {
  assert.deepEqual(operations, ["tally", "tally_totals", "explain", "csv", "rulebooks"]);
  for (const op of operations) assert.ok(yw.operations().includes(op), op);
});

test("each vector of a quorum operation gives the whole engine's answer; others are unknown here", () => {
  let n = 0;
  for (const v of loadVectors()) {
    if (operations.includes(v.operation)) {
      assert.equal(outcome(quorum, v), outcome(yw, v), v.name);
      n += 1;
    } else {
      assert.equal(outcome(quorum, v), "error unknown_operation", v.name);
    }
  }
  assert.ok(n >= 40, `${n} vectors of quorum operations`);
});

test("the API has the methods of the module's operations, and they work", () => {
  const methods = ["tally", "tallyCsv", "tallyTotals", "explain", "parseCsv", "rulebooks", "run", "runJson", "operations", "errorCodes", "version"];
  assert.deepEqual(Object.keys(quorum).sort(), methods.sort());
  assert.deepEqual(quorum.errorCodes(), yw.errorCodes());
  assert.equal(quorum.version, yw.version);
  const units = quorum.parseCsv("units", "id,area\n1,60\n2,40\n").units;
  const outcome = quorum.tally({ rulebook: "cn-national", decided_on: "2026-05-01", matter: "other_major", register: units, ballots: [{ unit: "1", choice: "agree" }] });
  assert.equal(outcome.passed, false);
  assert.equal(quorum.explain(outcome, "en"), yw.explain(outcome, "en"));
  const spec = { rulebook: "cn-national", decided_on: "2026-05-01", matter: "other_major" };
  assert.deepEqual(quorum.tallyCsv(spec, "id,area\n1,60\n2,40\n", "unit,choice\n1,agree\n"), outcome);
  assert.throws(() => quorum.run("deadline", { start: "2026-01-01", period: { days: 1 } }), (e) => e.code === "unknown_operation");
});

test("the declared QuorumOperation type names exactly the module's operations", () => {
  const declared = readFileSync(join(ROOT, "bindings-wasm/js/types.d.ts"), "utf8").match(/export type QuorumOperation = ([^;]+);/);
  assert.ok(declared, "QuorumOperation is declared");
  assert.deepEqual(declared[1].split("|").map((s) => JSON.parse(s.trim())), operations);
});

test("the quorum module stays within 150 KB gzip (the size a quorum page loads)", () => {
  // deterministic for a given build: a regression here is code the quorum operations pulled in
  const size = gzipSync(bytes, { level: 9 }).length;
  assert.ok(size <= 150_000, `${size} bytes gzip`);
});
