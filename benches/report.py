"""Assembles the results of scripts/bench into one table and the targets of
issue 10, prints them and writes benches/RESULTS.md with the machine.

    python benches/report.py <results dir> <quorum .wasm> <web .wasm> <RESULTS.md>
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import budgets


def load(dir: Path) -> tuple[list[dict], list[float]]:
    """The results, where a case timed in several runs gets the median of
    their medians; and the ratios Node / native of the wire call's pairs
    timed back to back."""
    rows = []
    for f in sorted(dir.glob("*.jsonl")):
        rows += [json.loads(line) for line in f.read_text().splitlines() if line.strip()]
    pairs: dict[int, dict[str, int]] = {}
    for r in rows:
        if "pair" in r:
            pairs.setdefault(r["pair"], {})[r["surface"]] = r["median_ns"]
    ratios = sorted(p["node"] / p["rust"] for p in pairs.values() if "node" in p and "rust" in p)
    runs: dict[tuple, list[dict]] = {}
    for r in rows:
        if "pair" in r:
            continue
        runs.setdefault((r["surface"], r["case"], r["size"], "median_ns" in r), []).append(r)
    merged = []
    for same in runs.values():
        same.sort(key=lambda r: r.get("median_ns", 0))
        merged.append(same[len(same) // 2])
    return merged, ratios


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        # from where three digits round up to it: 999.6 ms is 1 s, not "1e+03 ms"
        if ns >= scale * 0.9995:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.0f} ns"


def cmd(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "not found"


def machine(results: Path) -> list[str]:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "0")
    c = json.loads((results / "cores.json").read_text())
    one, two = c["one_thread_ns"], c["two_threads_ns"]
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {int(mem) // 1024 // 1024} GiB; {platform.system()} {platform.release()}",
        f"- {cmd('rustc', '--version')}; Python {platform.python_version()}; Node {cmd('node', '--version')}; {cmd('/usr/bin/chromium', '--version')}",
        f"- a second thread here (`bench-native cores`): {human(one)} of arithmetic on one thread takes {human(two)}"
        f" in two halves on two ({one / two:.2f}× as fast; 2× at best), a thread started for the second half and joined"
        f" as the engine does; starting and joining a thread alone takes {human(c['thread_ns'])}",
    ]


def main() -> None:
    results, quorum_wasm, web_wasm, md = (Path(a) for a in sys.argv[1:5])
    rows, wire_ratios = load(results)
    instructions = {(r["case"], r["size"]): r["instructions"] for r in rows if "instructions" in r}
    timed = [r for r in rows if "median_ns" in r]
    best_peer = {}
    for r in timed:
        if r["surface"] == "peer":
            best_peer[r["size"]] = min(best_peer.get(r["size"], float("inf")), r["median_ns"])

    table = ["| surface | case | size | median | vs best peer | instructions |", "|---|---|---:|---:|---:|---:|"]
    for r in sorted(timed, key=lambda r: (r["size"], r["surface"], r["case"])):
        peer = best_peer.get(r["size"])
        versus = "" if not peer or r["surface"] == "peer" and r["median_ns"] == peer else (
            f"{peer / r['median_ns']:.2f}× faster" if r["median_ns"] <= peer else f"{r['median_ns'] / peer:.2f}× slower"
        )
        ir = instructions.get((r["case"], r["size"])) if r["surface"] == "rust" else None
        table.append(f"| {r['surface']} | {r['case']} | {r['size']:,} | {human(r['median_ns'])} | {versus} | {f'{ir:,}' if ir else ''} |")

    get = lambda surface, case, size: next((r for r in timed if (r["surface"], r["case"], r["size"]) == (surface, case, size)), None)
    gz = {w: len(gzip.compress(w.read_bytes(), 9)) if w.exists() else 0 for w in (quorum_wasm, web_wasm)}
    native = get("rust", "tally", 20_000)
    py_df, py_lists = get("python", "tally_dataframe", 20_000), get("python", "tally_lists", 20_000)
    pandas, pure = get("peer", "peer_pandas", 20_000), get("peer", "peer_pure_fraction", 20_000)
    city = next((r for r in rows if r["case"] == "tally_many_city"), None)

    def check(name: str, value: str, met: bool) -> str:
        return f"| {name} | {value} | {'met' if met else '**missed**'} |"

    targets = ["| target | measured | |", "|---|---|---|"]
    if native:
        targets.append(check("native tally, 20,000 units ≤ 200 µs (from ballot records)", human(native["median_ns"]), native["median_ns"] <= 200_000))
    typed = get("rust", "tally_typed", 20_000)
    if typed:
        targets.append(check("native tally, 20,000 units ≤ 200 µs (from typed ballots, `tally`)", human(typed["median_ns"]), typed["median_ns"] <= 200_000))
    shuffled = get("rust", "tally_typed_shuffled", 20_000)
    if shuffled:
        targets.append(check("native tally, 20,000 units ≤ 200 µs (from typed ballots in an order not the register's, `tally`)", human(shuffled["median_ns"]), shuffled["median_ns"] <= 200_000))
    prepared = get("rust", "tally_prepared", 20_000)
    if prepared:
        targets.append(check("native tally, 20,000 units ≤ 200 µs (over prepared ballots)", human(prepared["median_ns"]), prepared["median_ns"] <= 200_000))
    if wire_ratios:
        ratio = wire_ratios[len(wire_ratios) // 2]
        targets.append(check(
            f"WASM in Node ≤ 3× native (the same wire call, JSON in and out; median of {len(wire_ratios)} pairs timed back to back)",
            f"{ratio:.2f}× (pairs: {', '.join(f'{r:.2f}' for r in wire_ratios)})",
            ratio <= 3,
        ))
    if py_df and pandas:
        ratio = pandas["median_ns"] / py_df["median_ns"]
        targets.append(check("Python tally ≥ 10× the pandas peer (20,000 units, from DataFrames of Python strings)", f"{ratio:.2f}×", ratio >= 10))
    py_pa, pandas_pa = get("python", "tally_dataframe_pyarrow", 20_000), get("peer", "peer_pandas_pyarrow", 20_000)
    if py_pa and pandas_pa:
        ratio = pandas_pa["median_ns"] / py_pa["median_ns"]
        targets.append(check("Python tally ≥ 10× the pandas peer (20,000 units, from DataFrames of pyarrow strings, pandas' default with pyarrow installed)", f"{ratio:.2f}×", ratio >= 10))
    if py_lists and pure:
        ratio = pure["median_ns"] / py_lists["median_ns"]
        targets.append(check("Python tally ≥ 50× pure Python (20,000 units, both from lists of dicts)", f"{ratio:.2f}×", ratio >= 50))
    py_files, pure_files = get("python", "tally_files", 20_000), get("peer", "peer_pure_fraction_files", 20_000)
    if py_files and pure_files:
        ratio = pure_files["median_ns"] / py_files["median_ns"]
        targets.append(check("Python tally ≥ 50× pure Python (20,000 units, both from the same CSV files: `tally(path, path)` against `csv.DictReader`)", f"{ratio:.2f}×", ratio >= 50))
    if city:
        first = ""
        if "first_ns" in city:
            kernel = f", {human(city['first_system_ns'])} of it in the kernel" if "first_system_ns" in city else ""
            first = f" (first call in the process: {human(city['first_ns'])}{kernel})"
        targets.append(check(f"city batch ({city['size']:,} ballots, {city['votes']:,} votes) from DataFrames ≤ 1 s", human(city["median_ns"]) + first, city["median_ns"] <= 1e9))
        ratio = city["peak_rss_bytes"] / city["input_bytes"]
        targets.append(check("city batch peak RSS ≤ 3× the input DataFrames", f"{city['peak_rss_bytes'] / 2**20:,.0f} MiB = {ratio:.2f}× {city['input_bytes'] / 2**20:,.0f} MiB", ratio <= 3))
    targets.append(check(".wasm ≤ 150 KB gzip: the quorum module a quorum page loads (`yeweihui/quorum`)", f"{gz[quorum_wasm] / 1000:.0f} KB", 0 < gz[quorum_wasm] <= 150_000))
    targets.append(f"| (no target) the whole engine for the web (`yeweihui/web`), which a page loads only for what else it runs | {gz[web_wasm] / 1000:.0f} KB | |")

    budget_table, _ = budgets.check(rows)
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `scripts/bench` (do not edit by hand). Wall times are medians of",
            "repeated runs on the machine below, comparable within one run; instruction",
            "counts (`valgrind --tool=callgrind`, the native tally alone) are the stable",
            "figure. Every peer was verified to give the library's four checks on the",
            "same data before it was timed. Large inputs use a second thread (CSV texts",
            "of 64 KiB and more, columns of 2,000 rows and more, ballot records of",
            "8,000 and more, batches of 2,000 units and ballots and more; see",
            "`benches/README.md`); the peers use one.",
            "",
            "## Machine",
            "",
            *machine(results),
            "",
            "## Targets (issue 10)",
            "",
            *targets,
            "",
            "## Instruction budgets (`benches/budgets.json`, checked by `scripts/test`)",
            "",
            *budget_table,
            "",
            "## All figures",
            "",
            *table,
            "",
        ]
    )
    md.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
