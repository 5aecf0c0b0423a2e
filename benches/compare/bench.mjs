// The npm package in Node against a hand-written JavaScript peer, on the
// datasets of bench-data; the peer is verified against the library first.
// Prints JSON lines: surface, case, size, median_ns, runs.
//   node benches/compare/bench.mjs <data dir> [sizes...] [--case <case>]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yw from "../../bindings-wasm/js/node.js";
import { peer } from "./peer.mjs";

/** Median times of the cases timed in rounds (each once a round): a shared machine that slows down or speeds up moves them alike. */
function interleaved(cases, budgetMs = 1000 * Number(process.env.BENCH_BUDGET_S ?? 2)) {
  for (const fn of Object.values(cases)) fn();
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const started = performance.now();
  for (let round = 0; round < 5 || (performance.now() - started < budgetMs * Object.keys(cases).length && round < 2000); round++) {
    for (const [k, fn] of Object.entries(cases)) {
      const t = process.hrtime.bigint();
      fn();
      times[k].push(Number(process.hrtime.bigint() - t));
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, [t.sort((a, b) => a - b)[t.length >> 1], t.length]]));
}

const emit = (surface, name, size, [ns, runs]) => console.log(JSON.stringify({ surface, case: name, size, median_ns: ns, runs }));
const tenThousandths = (d) => {
  const [w, f = ""] = d.split(".");
  return Number(w) * 10000 + Number(f.padEnd(4, "0"));
};

const [dir, ...rest] = process.argv.slice(2);
// `--case <case>`: that case alone (e.g. tally_json_text)
const only = rest.includes("--case") ? rest[rest.indexOf("--case") + 1] : null;
const sizes = rest.filter((a, i) => a !== "--case" && rest[i - 1] !== "--case").map(Number);
for (const n of sizes.length ? sizes : [300, 2000, 20000, 100000]) {
  const text = readFileSync(join(dir, `tally-${n}.json`), "utf8");
  const input = JSON.parse(text);
  const out = yw.tally(input);
  const c = out.checks;
  const mine = peer(input.register.units, input.ballots);
  const want = {
    participationArea: tenThousandths(c["participation.area"].measured), participationOwners: c["participation.owners"].measured,
    agreeArea: tenThousandths(c["approval.area"].measured), agreeOwners: c["approval.owners"].measured,
    met: ["participation.area", "participation.owners", "approval.area", "approval.owners"].map((k) => c[k].met),
  };
  if (JSON.stringify(mine) !== JSON.stringify(want)) {
    console.error(`the JavaScript peer disagrees with the library at ${n}:`, mine, want);
    process.exit(1);
  }
  // the same estate as CSV text, as a page holds it: the register and the ballots read in place
  const { register: _register, ballots: _ballots, ...spec } = input;
  const [unitsCsv, ballotsCsv] = ["units", "ballots"].map((t) => readFileSync(join(dir, `${t}-${n}.csv`), "utf8"));
  if (JSON.stringify(yw.tallyCsv(spec, unitsCsv, ballotsCsv)) !== yw.runJson("tally", text)) {
    console.error(`tallyCsv disagrees with the tally of the same estate at ${n}`);
    process.exit(1);
  }
  const cases = {
    "node tally_objects": () => yw.tally(input),
    "node tally_json_text": () => yw.runJson("tally", text),
    "node tally_csv_text": () => yw.tallyCsv(spec, unitsCsv, ballotsCsv),
    "peer peer_js_integers": () => peer(input.register.units, input.ballots),
  };
  const timings = interleaved(Object.fromEntries(Object.entries(cases).filter(([k]) => !only || k.endsWith(` ${only}`))));
  for (const [name, timing] of Object.entries(timings)) emit(...name.split(" "), n, timing);
}
