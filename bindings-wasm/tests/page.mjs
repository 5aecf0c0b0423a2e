// Serves examples/web on a loopback port and opens it in headless Chromium
// (Debian's chromium driven by playwright-core): shared by the browser tests
// and the browser benchmark.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "./vectors.mjs";

const PAGE = join(ROOT, "examples", "web");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".csv": "text/csv; charset=utf-8", ".json": "application/json" };
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Starts the server and the browser; `open()` gives a page with the engine loaded (and the paths it has fetched). */
export async function startPage() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(PAGE, path.endsWith("/") ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "yeweihui-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    async open(viewport = { width: 1100, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const errors = [];
      const fetched = [];
      page.on("pageerror", (e) => errors.push(e));
      page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
      await page.goto(url);
      await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
      return { page, errors, fetched };
    },
    async close() {
      await context.close();
      server.close();
    },
  };
}
