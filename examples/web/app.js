// The quorum calculator: reads the form, asks the engine (Rust compiled to
// WebAssembly, running in this page), and shows its answer. Every figure and
// verdict shown comes from the engine; the page only formats it. It loads
// the engine's small quorum module; the whole engine, which also reads
// rulebook files, is fetched only when an estate's rules file is given.
import { load } from "./yeweihui/js/quorum.js";

const $ = (id) => document.getElementById(id);
// A count and its English noun, singular for one ("1 owner", "3 owners").
const counted = (n, one, many) => `${n} ${Number(n) === 1 ? one : many}`;

const T = {
  zh: {
    lead: "按法定规则精确计算参与表决与同意的比例，逐项给出依据。数据只在本机浏览器中计算，不会上传。",
    matterLegend: "表决事项", matter: "事项（民法典第二百七十八条）", decidedOn: "表决决定日（适用当日有效的法律）",
    preset: "适用的法律法规（全国或所在城市）",
    rulebookFile: "本小区议事规则文件（可选，TOML 或 JSON；留空则只适用上面选择的法律法规）",
    tabFiles: "名册与选票", tabTotals: "只填合计",
    registerLegend: "专有部分名册（CSV：id, building, area, owner, status）", ballotsLegend: "选票（CSV：unit, choice, channel, cast_at, authorization）",
    chooseFile: "选择文件", orPaste: "或粘贴 CSV", scopeLegend: "表决范围与期间（可选）", scopeBuildings: "楼栋（逗号分隔，留空为整个小区）",
    opensAt: "投票开始（北京时间）", closesAt: "投票截止（北京时间）", duplicates: "同一专有部分多张选票",
    latestWins: "以最后一次为准", firstWins: "以第一次为准", paperPrevails: "纸质票优先", onlinePrevails: "线上票优先",
    loadSample: "载入示例小区（翠湖苑）", totalsLegend: "合计（面积单位 m²）",
    baseOwners: "业主总人数", baseArea: "专有部分总面积", partOwners: "参与表决人数", partArea: "参与表决面积", agreeOwners: "同意人数", agreeArea: "同意面积",
    compute: "计算", loading: "正在载入计算引擎…", ready: "计算引擎已就绪（本地运行）。", computing: "计算中…",
    thIndex: "序号", thUnit: "专有部分", thReason: "原因", explanation: "说明",
    footer: "yeweihui：开放的业委会规则引擎。计算依据：民法典第二百七十八条（2021年1月1日起）、物权法第七十六条（此前），区分所有权解释第八条、第九条。",
    passed: "表决通过", failed: "表决未通过", met: "达到", unmet: "未达到",
    checks: { "participation.area": "参与表决的专有部分面积", "participation.owners": "参与表决人数", "approval.area": "同意的专有部分面积", "approval.owners": "同意人数" },
    ofBase: "基数", required: "要求", atLeast: "以上（含本数）", moreThan: "超过（不含本数）",
    needsOwners: (n) => `还差 ${n} 名业主`, needsArea: (a) => `还差 ${a} m²`, reachable: "未表决的业主足以补足", unreachable: "未表决的业主不足以补足",
    totalsLine: (b) => `专有部分 ${b.units} 个，业主 ${b.owners} 人，总面积 ${b.area} m²`, totalsLineQuick: (b) => `业主 ${b.owners} 人，总面积 ${b.area} m²`,
    rejectedSummary: (s) => `选票：收到 ${s.received} 张，计入 ${s.counted} 张，被替代 ${s.superseded} 张，不予计入 ${s.rejected} 张`,
    lawLine: (l) => `适用：${l.citation}（${l.rulebook} / ${l.version}）`,
    needRegister: "请提供专有部分名册（选择 CSV 文件或粘贴）。", needNumbers: "请填写全部合计数：人数为非负整数，面积为数字。",
    unexpected: "计算引擎意外出错，请刷新页面后重试",
  },
  en: {
    lead: "Exact participation and approval shares under the statutory rules, each with its citation. Your data stays in this browser.",
    matterLegend: "Matter", matter: "Matter (Civil Code Art. 278)", decidedOn: "Decision date (the law in force that day applies)",
    preset: "The law that applies (national, or your city's regulation)",
    rulebookFile: "The estate's own rules (optional, TOML or JSON; empty: the law chosen above alone)",
    tabFiles: "Register and ballots", tabTotals: "Totals only",
    registerLegend: "Register of units (CSV: id, building, area, owner, status)", ballotsLegend: "Ballots (CSV: unit, choice, channel, cast_at, authorization)",
    chooseFile: "Choose a file", orPaste: "or paste CSV", scopeLegend: "Scope and voting window (optional)", scopeBuildings: "Buildings (comma-separated; empty for the whole estate)",
    opensAt: "Voting opens (Beijing time)", closesAt: "Voting closes (Beijing time)", duplicates: "Several ballots for one unit",
    latestWins: "latest counts", firstWins: "first counts", paperPrevails: "paper prevails", onlinePrevails: "online prevails",
    loadSample: "Load the sample estate (Cuihu Garden)", totalsLegend: "Totals (areas in m²)",
    baseOwners: "Owners in total", baseArea: "Total area", partOwners: "Owners taking part", partArea: "Area taking part", agreeOwners: "Owners agreeing", agreeArea: "Area agreeing",
    compute: "Calculate", loading: "Loading the engine…", ready: "Engine ready (runs locally).", computing: "Calculating…",
    thIndex: "#", thUnit: "Unit", thReason: "Reason", explanation: "Explanation",
    footer: "yeweihui: the open rules engine for owners' committees. Rules: Civil Code Art. 278 (from 2021-01-01), Property Law Art. 76 (before); SPC Interpretation on Condominium Ownership Arts. 8-9.",
    passed: "Resolution passed", failed: "Resolution not passed", met: "met", unmet: "not met",
    checks: { "participation.area": "Participation by area", "participation.owners": "Participation by owners", "approval.area": "Approval by area", "approval.owners": "Approval by owners" },
    ofBase: "of", required: "required", atLeast: "at least (inclusive)", moreThan: "more than (exclusive)",
    needsOwners: (n) => `needs ${counted(n, "more owner", "more owners")}`, needsArea: (a) => `needs ${a} m² more`, reachable: "owners who have not voted could supply it", unreachable: "more than the owners who have not voted hold",
    totalsLine: (b) => `${counted(b.units, "unit", "units")}, ${counted(b.owners, "owner", "owners")}, ${b.area} m² in total`,
    totalsLineQuick: (b) => `${counted(b.owners, "owner", "owners")}, ${b.area} m² in total`,
    rejectedSummary: (s) => `Ballots: ${s.received} received, ${s.counted} counted, ${s.superseded} superseded, ${s.rejected} rejected`,
    lawLine: (l) => `Law applied: ${l.citation_en} (${l.rulebook} / ${l.version})`,
    needRegister: "Please give the register of units (choose a CSV file or paste it).", needNumbers: "Please fill in every total: owners as whole numbers, areas as numbers.",
    unexpected: "The engine failed unexpectedly; please reload the page",
  },
};

let yw = null;
let lang = "zh";
let mode = "files";
let last = null;
let matters = [];
let presets = [];

const t = (key) => T[lang][key];

function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const v = T[lang][el.dataset.i18n];
    if (typeof v === "string") el.textContent = v;
  }
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  fillMatters();
  $("status").textContent = yw ? t("ready") : t("loading");
  if (last) render();
}

/** Refills a select with options, keeping its choice. */
function fillSelect(select, entries) {
  const current = select.value;
  select.replaceChildren(
    ...entries.map(([value, text]) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    }),
  );
  if (current) select.value = current;
}

function fillMatters() {
  fillSelect($("matter"), matters.map((m) => [m.id, `${m.item}. ${lang === "zh" ? m.zh : m.en}`]));
  fillSelect($("preset"), presets.map((p) => [p.id, p.name ? (lang === "zh" ? p.name.zh : p.name.en) : p.id]));
}

/** Shows a failure: the engine's errors carry a stable code and name the record. */
function showError(e) {
  const box = $("error");
  box.hidden = false;
  box.textContent = e.code ? `[${e.code}] ${e.message}` : e.page ? e.message : `${t("unexpected")}: ${e.message}`;
  $("result").hidden = true;
}

function pageError(key) {
  const e = new Error(t(key));
  e.page = true;
  return e;
}

async function textOf(fileInput, textarea) {
  const file = fileInput.files[0];
  return file ? file.text() : textarea.value;
}

/** The estate's rulebook file, parsed and checked by the whole engine, or the chosen preset. */
async function rulebook() {
  const file = $("rulebook-file").files[0];
  if (!file) return $("preset").value;
  const engine = await (await import("./yeweihui/js/web.js")).load();
  return engine.parseRulebook(await file.text(), file.name.toLowerCase().endsWith(".json") ? "json" : "toml");
}

const instant = (v) => (v ? `${v.length === 16 ? `${v}:00` : v}+08:00` : undefined);

async function compute(event) {
  event.preventDefault();
  $("error").hidden = true;
  $("status").textContent = t("computing");
  try {
    const common = { rulebook: await rulebook(), decided_on: $("decided-on").value, matter: $("matter").value };
    if (mode === "files") {
      const unitsText = await textOf($("units-file"), $("units-text"));
      if (!unitsText.trim()) throw pageError("needRegister");
      const ballotsText = await textOf($("ballots-file"), $("ballots-text"));
      const buildings = $("scope-buildings").value.split(/[,，、\s]+/).filter(Boolean);
      const voting = { duplicates: $("duplicates").value };
      if ($("opens-at").value) voting.opens_at = instant($("opens-at").value);
      if ($("closes-at").value) voting.closes_at = instant($("closes-at").value);
      const input = { ...common, voting };
      if (buildings.length) input.scope = { buildings };
      // the CSV text goes to the engine as it is (no ballots given: a table of none)
      const ballots = ballotsText.trim() ? ballotsText : "unit,choice\n";
      last = { kind: "tally", outcome: yw.tallyCsv(input, unitsText, ballots) };
    } else {
      const owners = (id) => {
        const v = $(id).value.trim();
        if (!/^\d+$/.test(v)) throw pageError("needNumbers");
        return Number(v);
      };
      const area = (id) => {
        const v = $(id).value.trim();
        if (!v) throw pageError("needNumbers");
        return v; // exact decimal text: the engine parses it
      };
      const totals = (o, a) => ({ owners: owners(o), area: area(a) });
      last = {
        kind: "totals",
        outcome: yw.tallyTotals({
          ...common,
          base: totals("base-owners", "base-area"),
          participation: totals("part-owners", "part-area"),
          agree: totals("agree-owners", "agree-area"),
        }),
      };
    }
    render();
  } catch (e) {
    showError(e);
  } finally {
    $("status").textContent = t("ready");
  }
}

/** A multiple of 0.01 m² as text with two decimals ("803.4" -> "803.40"), without floats. */
function twoDecimals(text) {
  const [i, f = ""] = text.split(".");
  return `${i}.${(f + "00").slice(0, 2)}`;
}

function thresholdText(req) {
  const [cmp, ratio] = Object.entries(req)[0];
  return `${cmp === "at_least" ? "≥" : ">"} ${ratio} · ${cmp === "at_least" ? t("atLeast") : t("moreThan")}`;
}

function renderCheck(name, c) {
  const li = document.createElement("li");
  Object.assign(li.dataset, { check: name, met: String(c.met), measured: String(c.measured), base: String(c.base), shortfall: String(c.shortfall) });
  const area = name.endsWith(".area");
  const unit = area ? " m²" : lang === "zh" ? " 人" : "";
  const [, ratio] = Object.entries(c.required)[0];
  const [n, d] = ratio.split("/").map(Number);
  // Display only: the verdict above comes from the engine's exact comparison.
  const share = Number(c.base) > 0 ? Math.min(100, (100 * Number(c.measured)) / Number(c.base)) : 0;
  const head = document.createElement("div");
  head.className = "head";
  const label = document.createElement("span");
  label.textContent = T[lang].checks[name];
  const state = document.createElement("span");
  state.className = c.met ? "met" : "unmet";
  state.textContent = `${c.met ? "✔" : "✘"} ${c.met ? t("met") : t("unmet")}`;
  head.append(label, state);
  const bar = document.createElement("div");
  bar.className = "bar";
  bar.setAttribute("role", "img");
  bar.setAttribute("aria-label", `${c.measured}${unit} / ${c.base}${unit}, ${thresholdText(c.required)}`);
  const fill = document.createElement("div");
  fill.className = `fill${c.met ? " met" : ""}`;
  fill.style.width = `${share}%`;
  const mark = document.createElement("div");
  mark.className = "mark";
  mark.style.left = `${(100 * n) / d}%`;
  bar.append(fill, mark);
  const detail = document.createElement("div");
  detail.className = "detail";
  const [open, close] = lang === "zh" ? ["（", "）"] : [" (", ")"];
  const needs = c.met ? "" : ` — ${area ? T[lang].needsArea(twoDecimals(c.shortfall)) : T[lang].needsOwners(String(c.shortfall))}${open}${c.reachable ? t("reachable") : t("unreachable")}${close}`;
  const [comma, sep, stop] = lang === "zh" ? ["，", "；", "。"] : [" ", "; ", ". "];
  detail.textContent = `${c.measured}${unit}${comma}${t("ofBase")} ${c.base}${unit}${sep}${t("required")} ${thresholdText(c.required)}${needs}${stop}${lang === "zh" ? `依据：${c.citation}` : `Rule: ${c.citation_en}`}`;
  li.append(head, bar, detail);
  return li;
}

function render() {
  const o = last.outcome;
  const verdict = $("verdict");
  verdict.textContent = o.passed ? `✔ ${t("passed")}` : `✘ ${t("failed")}`;
  verdict.className = o.passed ? "passed" : "failed";
  $("result").dataset.passed = String(o.passed);
  $("law").textContent = T[lang].lawLine(o.law);
  $("totals-line").textContent = last.kind === "tally" ? T[lang].totalsLine(o.base) : "";
  $("checks").replaceChildren(...Object.entries(o.checks).map(([name, c]) => renderCheck(name, c)));
  const tallied = last.kind === "tally";
  $("rejected-box").hidden = !tallied;
  $("explain-box").hidden = !tallied;
  if (tallied) {
    $("rejected-summary").textContent = T[lang].rejectedSummary(o.ballots);
    $("rejected").tBodies[0].replaceChildren(
      ...o.rejected.map((r) => {
        const tr = document.createElement("tr");
        tr.dataset.code = r.code;
        for (const v of [String(r.index + 1), r.unit, lang === "zh" ? r.reason : r.reason_en]) {
          const td = document.createElement("td");
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      }),
    );
    $("explanation").textContent = yw.explain(o, lang);
  }
  $("result").hidden = false;
}

function selectTab(which) {
  mode = which;
  for (const [tab, panel] of [["tab-files", "panel-files"], ["tab-totals", "panel-totals"]]) {
    const on = tab === `tab-${which}`;
    $(tab).setAttribute("aria-selected", String(on));
    $(panel).hidden = !on;
  }
}

async function loadSample() {
  const [u, b] = await Promise.all(["sample/units.csv", "sample/ballots.csv"].map((p) => fetch(p).then((r) => r.text())));
  $("units-text").value = u;
  $("ballots-text").value = b;
  $("units-file").value = "";
  $("ballots-file").value = "";
  $("matter").value = "hire_or_dismiss_manager";
  $("decided-on").value = "2026-04-30";
  $("opens-at").value = "2026-04-01T00:00:00";
  $("closes-at").value = "2026-04-30T23:59:59";
}

for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => { lang = b.dataset.lang; applyLang(); });
$("tab-files").addEventListener("click", () => selectTab("files"));
$("tab-totals").addEventListener("click", () => selectTab("totals"));
$("load-sample").addEventListener("click", () => loadSample().catch(showError));
$("form").addEventListener("submit", compute);
window.addEventListener("error", (e) => showError(e.error ?? new Error(e.message)));
window.addEventListener("unhandledrejection", (e) => showError(e.reason instanceof Error ? e.reason : new Error(String(e.reason))));

load()
  .then((api) => {
    yw = api;
    const listing = yw.rulebooks();
    matters = listing.matters;
    presets = listing.presets;
    applyLang();
    $("compute").disabled = false;
    document.body.dataset.ready = "true";
  })
  .catch(showError);
