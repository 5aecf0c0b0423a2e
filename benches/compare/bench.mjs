// The npm package in Node against a hand-written JavaScript peer, on the
// datasets of bench-data; the peer is verified against the library first.
// Prints JSON lines: surface, case, size, median_ns, runs.
//   node benches/compare/bench.mjs <data dir> [sizes...]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yw from "../../bindings-wasm/js/node.js";
import { peer } from "./peer.mjs";

function medianNs(fn, budgetMs = 1000 * Number(process.env.BENCH_BUDGET_S ?? 2)) {
  fn();
  const times = [];
  const started = performance.now();
  while (times.length < 5 || (performance.now() - started < budgetMs && times.length < 2000)) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t));
  }
  times.sort((a, b) => a - b);
  return [times[times.length >> 1], times.length];
}

const emit = (surface, name, size, [ns, runs]) => console.log(JSON.stringify({ surface, case: name, size, median_ns: ns, runs }));
const tenThousandths = (d) => {
  const [w, f = ""] = d.split(".");
  return Number(w) * 10000 + Number(f.padEnd(4, "0"));
};

const [dir, ...sizes] = process.argv.slice(2);
for (const n of sizes.length ? sizes.map(Number) : [300, 2000, 20000, 100000]) {
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
  emit("node", "tally_objects", n, medianNs(() => yw.tally(input)));
  emit("node", "tally_json_text", n, medianNs(() => yw.runJson("tally", text)));
  emit("peer", "peer_js_integers", n, medianNs(() => peer(input.register.units, input.ballots)));
}
