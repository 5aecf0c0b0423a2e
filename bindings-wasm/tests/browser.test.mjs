// The quorum calculator page in headless Chromium (Debian's chromium driven
// by playwright-core): the sample estate, a hand-typed boundary case, a
// malformed CSV row, English, a phone-width screen. Screenshots go to
// test-output/web/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import yw from "../js/node.js";
import { startPage } from "./page.mjs";
import { ROOT } from "./vectors.mjs";

const SHOTS = join(ROOT, "test-output", "web");

let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await startPage();
});

after(async () => {
  await browser?.close();
});

const openPage = (viewport) => browser.open(viewport);

async function shownChecks(page) {
  return page.$$eval("#checks li", (lis) => Object.fromEntries(lis.map((li) => [li.dataset.check, { met: li.dataset.met === "true", measured: li.dataset.measured, base: li.dataset.base, shortfall: li.dataset.shortfall }])));
}

const window_ = { opens_at: "2026-04-01T00:00:00+08:00", closes_at: "2026-04-30T23:59:59+08:00" };

test("the sample estate: the page shows the engine's answer", async () => {
  const { page, errors } = await openPage();
  await page.setInputFiles("#units-file", join(ROOT, "examples/data/units.csv"));
  await page.setInputFiles("#ballots-file", join(ROOT, "examples/data/ballots.csv"));
  await page.selectOption("#matter", "hire_or_dismiss_manager");
  await page.fill("#decided-on", "2026-04-30");
  await page.fill("#opens-at", "2026-04-01T00:00:00");
  await page.fill("#closes-at", "2026-04-30T23:59:59");
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");

  const units = yw.parseCsv("units", readFileSync(join(ROOT, "examples/data/units.csv"), "utf8")).units;
  const ballots = yw.parseCsv("ballots", readFileSync(join(ROOT, "examples/data/ballots.csv"), "utf8")).ballots;
  const expected = yw.tally({ rulebook: "cn-national", decided_on: "2026-04-30", matter: "hire_or_dismiss_manager", register: { units }, ballots, voting: { ...window_, duplicates: "latest_wins" } });

  assert.equal(await page.getAttribute("#result", "data-passed"), String(expected.passed));
  const checks = await shownChecks(page);
  for (const [name, c] of Object.entries(expected.checks)) {
    assert.deepEqual(checks[name], { met: c.met, measured: String(c.measured), base: String(c.base), shortfall: String(c.shortfall) }, name);
  }
  const codes = await page.$$eval("#rejected tbody tr", (rows) => rows.map((r) => r.dataset.code));
  assert.deepEqual(codes, expected.rejected.map((r) => r.code));
  assert.equal(await page.textContent("#explanation"), yw.explain(expected, "zh"));
  assert.match(await page.textContent("#verdict"), /表决通过/);
  await page.screenshot({ path: join(SHOTS, "sample-estate.png"), fullPage: true });

  await page.click("[data-lang=en]");
  assert.match(await page.textContent("#verdict"), /Resolution passed/);
  assert.equal(await page.textContent("#explanation"), yw.explain(expected, "en"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("hand-typed totals: exactly two thirds of the area takes part", async () => {
  const { page } = await openPage({ width: 390, height: 844 });
  await page.click("#tab-totals");
  await page.selectOption("#matter", "other_major");
  await page.fill("#decided-on", "2026-05-01");
  for (const [id, v] of [["base-owners", "3"], ["base-area", "300"], ["part-owners", "2"], ["part-area", "200"], ["agree-owners", "2"], ["agree-area", "200"]]) {
    await page.fill(`#${id}`, v);
  }
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");
  assert.equal(await page.getAttribute("#result", "data-passed"), "true");
  assert.deepEqual((await shownChecks(page))["participation.area"], { met: true, measured: "200", base: "300", shortfall: "0" });
  await page.screenshot({ path: join(SHOTS, "totals-two-thirds-phone.png"), fullPage: true });

  await page.fill("#part-area", "199.99");
  await page.fill("#agree-area", "199.99");
  await page.click("#compute");
  await page.waitForFunction(() => document.querySelector("#result").dataset.passed === "false");
  const pa = (await shownChecks(page))["participation.area"];
  assert.deepEqual(pa, { met: false, measured: "199.99", base: "300", shortfall: "0.01" });
  assert.match(await page.textContent("[data-check='participation.area'] .detail"), /^199\.99 m²，基数 300 m²；.*还差 0\.01 m²（未表决的业主足以补足）。/);
  await page.fill("#part-owners", "1");
  await page.fill("#agree-owners", "1");
  await page.click("#compute");
  await page.waitForFunction(() => document.querySelector("[data-check='participation.owners']").dataset.met === "false");
  assert.match(await page.textContent("[data-check='participation.owners'] .detail"), /^1 人，基数 3 人；.*还差 1 名业主（未表决的业主足以补足）。/);
  await page.click("[data-lang=en]");
  assert.match(await page.textContent("[data-check='participation.owners'] .detail"), /^1 of 3; .*needs 1 more owner \(owners who have not voted could supply it\)\. Rule: /);
  await page.close();
});

test("one unit and one owner are counted in the singular in English", async () => {
  const { page } = await openPage();
  await page.fill("#units-text", "id,area\n1-101,89.5\n");
  await page.fill("#ballots-text", "unit,choice\n1-101,agree\n");
  await page.click("[data-lang=en]");
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");
  assert.equal(await page.textContent("#totals-line"), "1 unit, 1 owner, 89.5 m² in total");
  await page.close();
});

test("a malformed CSV row is named: which row, which field", async () => {
  const { page } = await openPage();
  await page.fill("#units-text", "id,area\n1-101,89.5\n1-102\n");
  await page.click("#compute");
  await page.waitForSelector("#error:not([hidden])");
  const text = await page.textContent("#error");
  assert.match(text, /\[invalid_input\]/);
  assert.match(text, /units row 3/);
  await page.fill("#units-text", "id,area\n1-101,89.5\n1-102,-3\n");
  await page.click("#compute");
  await page.waitForFunction(() => /invalid_area/.test(document.querySelector("#error").textContent));
  assert.match(await page.textContent("#error"), /1-102/);
  assert.equal(await page.isHidden("#result"), true);
  await page.screenshot({ path: join(SHOTS, "malformed-row.png") });
  await page.close();
});

test("an estate's own rulebook file changes the rule applied", async () => {
  const { page, fetched } = await openPage();
  const modules = () => fetched.filter((p) => p.endsWith(".wasm")).map((p) => p.split("/").pop());
  // the page needs only the quorum module, until a rules file is given
  assert.deepEqual(modules(), ["yeweihui_quorum_bg.wasm"]);
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#units-text").value.length > 1000);
  await page.selectOption("#matter", "rebuild");
  await page.setInputFiles("#rulebook-file", join(ROOT, "examples/data/cuihu-rules.toml"));
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");
  const detail = await page.textContent("[data-check='approval.owners'] .detail");
  assert.match(detail, /≥ 4\/5/);
  assert.match(detail, /翠湖苑业主大会议事规则 第十二条/);
  assert.match(await page.textContent("#law"), /cuihu-rules/);
  assert.deepEqual(modules(), ["yeweihui_quorum_bg.wasm", "yeweihui_wasm_bg.wasm"]);
  await page.setInputFiles("#rulebook-file", { name: "bad.toml", mimeType: "application/toml", buffer: Buffer.from("id = ") });
  await page.click("#compute");
  await page.waitForFunction(() => /invalid_rulebook/.test(document.querySelector("#error").textContent));
  await page.close();
});

test("a city's regulation can be chosen as the law applied", async () => {
  const { page } = await openPage();
  const options = await page.$$eval("#preset option", (os) => os.map((o) => o.value));
  assert.deepEqual(options, ["cn-national", "cn-beijing", "cn-shanghai", "cn-hangzhou"]);
  assert.match(await page.textContent("#preset option[value='cn-beijing']"), /北京市物业管理条例/);
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#units-text").value.length > 1000);
  await page.selectOption("#preset", "cn-beijing");
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");
  assert.match(await page.textContent("#law"), /cn-beijing/);
  await page.close();
});

test("the sample button loads the bundled estate", async () => {
  const { page } = await openPage();
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#units-text").value.length > 1000);
  await page.click("#compute");
  await page.waitForSelector("#result:not([hidden])");
  assert.equal(await page.getAttribute("#result", "data-passed"), "true");
  await page.close();
});
