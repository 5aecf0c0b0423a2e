// The typed API: errors with .code, decimals as strings, explanations,
// deadlines, CSV, the rulebooks shipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yw, { deadline, errorCodes, explain, parseCsv, rulebooks, tally, tallyCsv, tallyTotals } from "../js/node.js";
import { ROOT } from "./vectors.mjs";

const units = [{ id: "1", area: "100" }, { id: "2", area: "99.99" }, { id: "3", area: "100.01" }];
const base = { rulebook: "cn-national", decided_on: "2026-03-01", matter: "other_major", register: { units } };

const throwsCode = (fn, code) =>
  assert.throws(fn, (e) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, "YeweihuiError");
    return true;
  });

test("decimals stay exact strings in and out", () => {
  const out = tally({ ...base, register: { units: [{ id: "1", area: "89.50" }, { id: "2", area: 90 }] }, ballots: [{ unit: "1", choice: "agree" }] });
  assert.equal(out.base.area, "179.5");
  assert.equal(out.participation.area, "89.5");
  assert.equal(typeof out.checks["participation.area"].shortfall, "string");
  assert.equal(out.checks["participation.area"].shortfall, "30.17");
});

test("a JS number with a fraction is rejected as an area", () => {
  throwsCode(() => tally({ ...base, register: { units: [{ id: "3-101", area: 89.5 }] } }), "invalid_area");
});

test("every error family carries its code", () => {
  throwsCode(() => tally({ ...base, matter: "buy_a_boat" }), "unknown_matter");
  throwsCode(() => tally({ ...base, rulebook: "cn-atlantis" }), "unknown_rulebook");
  throwsCode(() => tally({ ...base, decided_on: "2007-09-30" }), "no_law_in_force");
  throwsCode(() => tally({ ...base, scope: { buildings: ["Z"] } }), "unknown_scope");
  throwsCode(() => tally({ ...base, register: { units: [...units, units[0]] } }), "duplicate_unit");
  throwsCode(() => yw.run("vote", {}), "unknown_operation");
  throwsCode(() => yw.runJson("tally", "{"), "invalid_input");
  throwsCode(() => tally({ ...base, extra: 1 }), "invalid_input");
  throwsCode(() => tally({ ...base, register: { units: [{ id: "1", area: 10n }] } }), "invalid_input");
  throwsCode(() => deadline({ start: "2026-12-20", period: { days: 15 } }), "calendar_year_not_covered");
});

test("error codes are the Rust catalogue", () => {
  assert.deepEqual(errorCodes(), [
    "invalid_input", "unknown_operation", "unknown_rulebook", "invalid_rulebook", "rulebook_violates_law", "unknown_matter",
    "no_law_in_force", "policy_not_allowed", "invalid_area", "invalid_amount", "duplicate_unit", "unknown_scope", "empty_scope", "invalid_date",
    "calendar_year_not_covered", "limit_exceeded",
  ]);
});

test("the sample estate: tally, explanation, reasons", () => {
  const u = parseCsv("units", readFileSync(join(ROOT, "examples/data/units.csv"), "utf8")).units;
  const b = parseCsv("ballots", readFileSync(join(ROOT, "examples/data/ballots.csv"), "utf8")).ballots;
  const out = tally({ rulebook: "cn-national", decided_on: "2026-04-30", matter: "hire_or_dismiss_manager", register: { units: u }, ballots: b });
  assert.equal(out.passed, true);
  assert.equal(out.ballots.received, out.ballots.counted + out.ballots.superseded + out.ballots.rejected);
  assert.ok(out.rejected.some((r) => r.code === "proxy_without_authorization" && r.reason_en.includes("authorization")));
  assert.match(explain(out, "zh"), /民法典 第二百七十八条第二款/);
  assert.match(explain(out, "en"), /Result: PASSED/);
});

test("tallyCsv: the outcome, byte for byte, of tally over the records parseCsv reads from the same text", () => {
  const unitsCsv = readFileSync(join(ROOT, "examples/data/units.csv"), "utf8");
  const ballotsCsv = readFileSync(join(ROOT, "examples/data/ballots.csv"), "utf8");
  const voting = { opens_at: "2026-04-01T00:00:00+08:00", closes_at: "2026-04-20T23:59:59+08:00", duplicates: "first_wins" };
  const specs = [
    { rulebook: "cn-national", decided_on: "2026-04-30", matter: "hire_or_dismiss_manager" },
    { rulebook: "cn-beijing", decided_on: "2026-04-30", matter: "use_maintenance_fund", voting, scope: { buildings: ["1"] } },
    { rulebook: "cn-national", decided_on: "2020-12-31", matter: "rebuild" },
  ];
  for (const spec of specs) {
    const records = { ...spec, register: parseCsv("units", unitsCsv).units, ballots: parseCsv("ballots", ballotsCsv).ballots };
    assert.equal(JSON.stringify(tallyCsv(spec, unitsCsv, ballotsCsv)), yw.runJson("tally", JSON.stringify(records)), spec.matter);
  }
  // a table of no ballots is its header
  const none = tallyCsv(specs[0], unitsCsv, "unit,choice\n");
  assert.deepEqual([none.ballots.received, none.passed], [0, false]);
});

test("tallyCsv: errors name the row or the unit, with the codes of every other surface", () => {
  const spec = { rulebook: "cn-national", decided_on: "2026-05-01", matter: "other_major" };
  const ballots = "unit,choice\n1,agree\n";
  throwsCode(() => tallyCsv(spec, "id,area\n1,60\n2\n", ballots), "invalid_input");
  assert.throws(() => tallyCsv(spec, "id,area\n1,60\n2\n", ballots), /units row 3/);
  assert.throws(() => tallyCsv(spec, "id,area\n1,60\n2,-3\n", ballots), (e) => e.code === "invalid_area" && /"2"/.test(e.message));
  throwsCode(() => tallyCsv(spec, "id,area\n1,60\n1,40\n", ballots), "duplicate_unit");
  assert.throws(() => tallyCsv(spec, "id,area\n1,60\n", ""), (e) => e.code === "invalid_input" && /ballots row 1/.test(e.message));
  throwsCode(() => tallyCsv({ ...spec, matter: "buy_a_boat" }, "id,area\n1,60\n", ballots), "unknown_matter");
  // the register and the ballots come as CSV, never in the input too
  for (const given of [{ register: { units: [{ id: "1", area: "60" }] } }, { register: { units: [] } }, { ballots: [] }]) {
    assert.throws(() => tallyCsv({ ...spec, ...given }, "id,area\n1,60\n", ballots), (e) => e.code === "invalid_input" && /input\.(register|ballots)/.test(e.message));
  }
  // what is not text, or has no UTF-8 form, never reaches the engine
  for (const bad of [undefined, null, 7, ["id,area"]]) throwsCode(() => tallyCsv(spec, bad, ballots), "invalid_input");
  throwsCode(() => tallyCsv(spec, "id,area\n1,60\n", "unit,choice\n\ud800,agree\n"), "invalid_input");
  throwsCode(() => tallyCsv({ ...spec, decided_on: 1n }, "id,area\n1,60\n", ballots), "invalid_input");
});

test("quick check from totals at exactly two thirds", () => {
  const t = (owners, area) => ({ owners, area });
  const out = tallyTotals({ rulebook: "cn-national", decided_on: "2026-05-01", matter: "other_major", base: t(3, "300"), participation: t(2, "200"), agree: t(2, "200") });
  assert.equal(out.passed, true);
  assert.equal(out.checks["participation.area"].measured, "200");
});

test("deadline and rulebooks", () => {
  const d = deadline({ start: "2025-09-20", period: { days: 15 } });
  assert.equal(d.due, "2025-10-09");
  assert.match(d.explanation.zh, /国庆节/);
  const r = rulebooks();
  assert.equal(r.library_version, yw.version);
  assert.deepEqual(r.presets.map((p) => p.id), ["cn-national", "cn-beijing", "cn-shanghai", "cn-hangzhou"]);
  assert.deepEqual(r.presets.map((p) => p.level), ["national", "local", "local", "local"]);
});

test("assembly notice, requisition, disclosure", () => {
  assert.equal(yw.assemblyNotice({ rulebook: "cn-national", meeting_on: "2026-06-20" }).latest_notice_on, "2026-06-05");
  const units = Array.from({ length: 10 }, (_, i) => ({ id: `U${i}`, area: "100" }));
  assert.equal(yw.requisition({ rulebook: "cn-national", decided_on: "2026-03-01", register: { units }, proposers: ["U0"] }).met, false);
  const events = [{ event: "committee_decision", on: "2026-07-06", ref: "A" }];
  assert.equal(yw.disclosureSchedule({ rulebook: "cn-national", from: "2026-07-01", to: "2026-07-31", events }).items[0].due, "2026-07-09");
  const audit = yw.disclosureAudit({ rulebook: "cn-national", from: "2026-07-01", as_of: "2026-07-31", events, publications: [{ obligation: "committee_decision", ref: "A", published_on: "2026-07-09" }] });
  assert.equal(audit.items[0].status, "on_time");
});

test("money and committee operations", () => {
  const split = yw.costSplit({ amount: "10000", register: { units: [{ id: "1", area: "90" }, { id: "2", area: "90" }, { id: "3", area: "90" }] } });
  assert.deepEqual(split.shares.map((s) => s.share), ["3333.34", "3333.33", "3333.33"]);
  throwsCode(() => yw.costSplit({ amount: 100.5, register: { units: [{ id: "1", area: "90" }] } }), "invalid_amount");
  const members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"];
  const meeting = yw.committeeMeeting({ rulebook: "cn-national", decided_on: "2026-03-10", members, present: members.slice(0, 3), votes: [] });
  assert.equal(meeting.valid, false);
  const route = yw.fundRoute({ rulebook: "cn-national", decided_on: "2026-05-01", request: { fund: "maintenance_fund", purpose: "电梯", amount: "86000" } });
  assert.equal(route.matter, "use_maintenance_fund");
  assert.equal(yw.publicRevenue({ entries: [{ date: "2026-01-31", kind: "income", amount: "100", description: "广告" }] }).net, "100");
});

test("election and term", () => {
  const units = Array.from({ length: 7 }, (_, i) => ({ id: `U${i + 1}`, area: "100" }));
  const candidates = units.slice(0, 5).map((u, i) => ({ id: `c${i + 1}`, unit: u.id }));
  const ballots = units.slice(0, 6).map((u) => ({ unit: u.id, choices: ["c1", "c2", "c3", "c4", "c5"] }));
  const out = yw.election({ rulebook: "cn-national", decided_on: "2026-06-28", register: { units }, seats: 5, candidates, ballots });
  assert.deepEqual(out.elected, ["c1", "c2", "c3", "c4", "c5"]);
  assert.equal(yw.term({ rulebook: "cn-national", elected_on: "2021-06-15" }).term_end, "2026-06-15");
});

test("a TOML rulebook and the rules in force", () => {
  const book = yw.parseRulebook(readFileSync(join(ROOT, "examples/data/cuihu-rules.toml"), "utf8"));
  assert.equal(book.versions[0].effective_from, "2024-01-01");
  const listing = yw.rulesInForce({ rulebook: book, on: "2026-05-01" });
  assert.equal(listing.rules.find((r) => r.rule === "committee.size").layer.rulebook, "cuihu-rules");
  throwsCode(() => yw.parseRulebook("id = "), "invalid_rulebook");
});
