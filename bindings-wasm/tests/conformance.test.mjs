// Every conformance vector through run() and, for tallies, through tally().
import { test } from "node:test";
import assert from "node:assert/strict";
import yw from "../js/node.js";
import { contains, csvTables, inputText, loadVectors } from "./vectors.mjs";

const vectors = loadVectors();

test("there are vectors", () => assert.ok(vectors.length >= 40, `${vectors.length} vectors`));

test("most tallies go from CSV too", () => {
  const fromCsv = vectors.filter((v) => v.operation === "tally" && "output" in v.expect && csvTables(v.input) !== null);
  assert.ok(fromCsv.length >= 40, `${fromCsv.length} tallies`);
});

for (const v of vectors) {
  test(`vector ${v.name}`, () => {
    if ("error" in v.expect) {
      assert.throws(() => yw.run(v.operation, inputText(v)), (e) => {
        assert.equal(e.code, v.expect.error, e.message);
        assert.ok(e instanceof Error);
        return true;
      });
      return;
    }
    const text = yw.runJson(v.operation, inputText(v));
    contains(JSON.parse(text), v.expect.output);
    if (v.operation === "tally" && typeof v.input === "object") {
      // the typed face gives exactly what the wire gives
      assert.equal(JSON.stringify(yw.tally(v.input)), text);
      // and so do the register and the ballots as CSV text, where CSV can carry them
      const tables = csvTables(v.input);
      if (tables !== null) assert.equal(JSON.stringify(yw.tallyCsv(...tables)), text);
    }
  });
}
