// The quorum-calculator page in headless Chromium: time from the data being
// in the form (register and ballots pasted) to the result shown, for each
// size; the shown figures are checked against the npm package in Node.
// Prints JSON lines: surface, case, size, median_ns, runs.
//   node benches/compare/browser.mjs <data dir> [sizes...]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yw from "../../bindings-wasm/js/node.js";
import { startPage } from "../../bindings-wasm/tests/page.mjs";

const [dir, ...sizes] = process.argv.slice(2);
const browser = await startPage();
try {
  const { page } = await browser.open();
  for (const n of sizes.length ? sizes.map(Number) : [300, 2000, 20000]) {
    // the data is loaded into the form directly (typing 700 KB would measure the typing)
    await page.evaluate(
      ([units, ballots]) => {
        document.querySelector("#units-text").value = units;
        document.querySelector("#ballots-text").value = ballots;
      },
      [readFileSync(join(dir, `units-${n}.csv`), "utf8"), readFileSync(join(dir, `ballots-${n}.csv`), "utf8")],
    );
    await page.selectOption("#matter", "use_maintenance_fund");
    await page.fill("#decided-on", "2026-04-30");
    await page.fill("#opens-at", "2026-04-01T00:00:00");
    await page.fill("#closes-at", "2026-04-30T23:59:59");
    const times = [];
    for (let i = 0; i < 7; i++) {
      times.push(
        await page.evaluate(
          () =>
            new Promise((done) => {
              const result = document.querySelector("#result");
              result.hidden = true;
              const t = performance.now();
              new MutationObserver((_, observer) => {
                if (!result.hidden) {
                  observer.disconnect();
                  requestAnimationFrame(() => done(performance.now() - t));
                }
              }).observe(result, { attributes: true });
              document.querySelector("#compute").click();
            }),
        ),
      );
    }
    const input = JSON.parse(readFileSync(join(dir, `tally-${n}.json`), "utf8"));
    const expected = yw.tally(input).checks["participation.area"].measured;
    const shown = await page.getAttribute("[data-check='participation.area']", "data-measured");
    if (shown !== expected) throw new Error(`the page shows ${shown}, the engine says ${expected}`);
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ surface: "browser", case: "page_compute_to_result", size: n, median_ns: Math.round(times[3] * 1e6), runs: times.length }));
  }
} finally {
  await browser.close();
}
