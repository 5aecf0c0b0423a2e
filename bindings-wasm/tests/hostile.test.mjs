// Hostile and malformed input through the JavaScript surface: every case is
// a typed error with the same code as on the other surfaces, and no partial
// result. (The wire-level cases all surfaces share are vectors in
// conformance/hostile/.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import yw, { costSplit, election, parseCsv, rulesInForce, tally } from "../js/node.js";

const units = [{ id: "a", area: "100", owner: "p" }, { id: "b", area: "100", owner: "q" }];
const base = { rulebook: "cn-national", decided_on: "2026-04-30", matter: "other_major", register: { units }, ballots: [{ unit: "a", choice: "agree" }] };

const throwsCode = (fn, code, names = "") =>
  assert.throws(fn, (e) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, "YeweihuiError");
    assert.ok(e.message.includes(names), e.message);
    return true;
  });

test("numbers JSON cannot carry are refused, not turned into null", () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    throwsCode(() => tally({ ...base, register: { units: [{ id: "a", area: bad }] } }), "invalid_input", '"area"');
    // an optional field would otherwise silently fall back to its default
    throwsCode(() => election({ ...base, seats: 5, alternates: bad, candidates: [] }), "invalid_input", '"alternates"');
  }
});

test("floats, exponents, full-width digits and huge areas are invalid areas", () => {
  for (const area of [89.5, "1e3", "１００", "100000000000000000000000000000", "-1", true]) {
    assert.throws(() => tally({ ...base, register: { units: [{ id: "a", area }] } }), (e) => ["invalid_area", "invalid_input"].includes(e.code) && e.message.includes("units[0]"));
  }
  throwsCode(() => tally({ ...base, register: { units: [{ id: "a", area: 89.5 }] } }), "invalid_area");
});

test("BigInt, functions, symbols, Maps and undefined list items are refused", () => {
  throwsCode(() => election({ ...base, seats: 5n, candidates: [] }), "invalid_input");
  throwsCode(() => tally({ ...base, ballots: [{ unit: "a", choice: () => "agree" }] }), "invalid_input", '"choice"');
  throwsCode(() => tally({ ...base, ballots: [{ unit: "a", choice: Symbol("agree") }] }), "invalid_input", '"choice"');
  throwsCode(() => tally({ ...base, register: new Map([["units", units]]) }), "invalid_input", '"register"');
  throwsCode(() => tally({ ...base, ballots: [undefined] }), "invalid_input", "undefined in a list");
  const cyclic = { ...base };
  cyclic.self = cyclic;
  throwsCode(() => tally(cyclic), "invalid_input");
});

test("input is written as JSON.stringify writes it, plain or not, and checked all the same", () => {
  // plain data
  assert.deepEqual(tally(base), JSON.parse(yw.runJson("tally", JSON.stringify(base))));
  // an undefined object value is left out; a Date is its text (a time, not a day)
  assert.deepEqual(tally({ ...base, scope: undefined }), tally(base));
  throwsCode(() => tally({ ...base, decided_on: new Date("2026-04-30T00:00:00Z") }), "invalid_date", "2026-04-30T00:00:00.000Z");
  // nesting deeper than the plain-data walk goes is written and checked too
  const deep = {};
  let inner = deep;
  for (let i = 0; i < 100; i++) inner = inner.next = {};
  throwsCode(() => tally({ ...base, extra: deep }), "invalid_input", "extra");
  inner.x = NaN;
  throwsCode(() => tally({ ...base, extra: deep }), "invalid_input", '"x": NaN is not a finite number');
});

test("lone surrogates are refused, not replaced with U+FFFD", () => {
  throwsCode(() => tally({ ...base, register: { units: [{ id: "\ud800", area: "1" }] } }), "invalid_input");
  throwsCode(() => yw.runJson("tally", '{"x": "\udfff"}'), "invalid_input", "lone surrogate");
  throwsCode(() => yw.run("tally", '{"x": "\ud800"}'), "invalid_input", "lone surrogate");
});

test("the native module refuses input bytes that are not UTF-8 (the API gives it only encoded text)", () => {
  const native = createRequire(import.meta.url)("../pkg/node/yeweihui_wasm.js");
  throwsCode(() => native.runJson("tally", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])), "invalid_input", "not UTF-8");
  const [spec, units, ballots] = ['{"rulebook": "cn-national", "decided_on": "2026-05-01", "matter": "rebuild"}', "id,area\n1,1\n", "unit,choice\n"].map((t) => new TextEncoder().encode(t));
  const notUtf8 = new Uint8Array([0x69, 0x64, 0xc3]);
  throwsCode(() => native.tallyCsv(spec, notUtf8, ballots), "invalid_input", "units: not UTF-8");
  throwsCode(() => native.tallyCsv(spec, units, notUtf8), "invalid_input", "ballots: not UTF-8");
  assert.equal(JSON.parse(native.tallyCsv(spec, units, ballots)).ballots.received, 0);
  // text with characters beyond ASCII goes through whole
  const named = JSON.parse(yw.runJson("tally", JSON.stringify({ ...base, register: { units: [{ id: "甲栋-101", area: "100" }] }, ballots: [{ unit: "甲栋-101", choice: "agree" }, { unit: "乙", choice: "agree" }] })));
  assert.equal(named.rejected[0].unit, "乙");
});

test("impossible dates", () => {
  for (const day of ["2026-02-30", "2026-13-01", "2026-4-30", "30/04/2026", ""]) {
    throwsCode(() => tally({ ...base, decided_on: day }), "invalid_date", "decided_on");
  }
});

test("wrong types, unknown fields and duplicate keys", () => {
  throwsCode(() => tally({ ...base, ballots: [{ unit: "a", choice: 1 }] }), "invalid_input", "ballots[0].choice");
  throwsCode(() => tally({ ...base, ballots: [{ unit: "a", choice: "agree", weight: 2 }] }), "invalid_input", "weight");
  throwsCode(() => tally({ ...base, ballots: { unit: "a" } }), "invalid_input", "ballots");
  throwsCode(() => yw.runJson("cost_split", '{"amount": "1", "register": [{"id": "a", "area": "1"}], "balances": {"a": "1", "a": "2"}}'), "invalid_input", "duplicate key");
  throwsCode(() => yw.runJson("tally", '{"matter": "rebuild", "matter": "other_major"}'), "invalid_input", "duplicate");
  throwsCode(() => costSplit({ amount: 100.5, register: { units } }), "invalid_amount");
});

test("huge and negative counts", () => {
  throwsCode(() => election({ ...base, seats: 2 ** 40, candidates: [] }), "invalid_input", "seats");
  throwsCode(() => election({ ...base, seats: -1, candidates: [] }), "invalid_input", "seats");
});

test("CSV with a BOM and Windows line ends is read; full-width digits fail at the register", () => {
  const { units: read } = parseCsv("units", "\ufeffid,area\r\na,100\r\nb,１００\r\n");
  assert.deepEqual(read.map((u) => u.id), ["a", "b"]);
  throwsCode(() => tally({ ...base, register: { units: read } }), "invalid_area", '"b"');
});

test("a looser estate under a city is refused with the city's article", () => {
  const estate = { id: "e", extends: "cn-shanghai", versions: [{ id: "1", effective_from: "2025-01-01", committee: { term_years: { years: 2, citation: { zh: "甲 第一条", en: "A Art. 1" } } } }] };
  throwsCode(() => rulesInForce({ rulebook: estate, on: "2026-01-01" }), "rulebook_violates_law", "上海市住宅物业管理规定 第二十条第一款");
});
