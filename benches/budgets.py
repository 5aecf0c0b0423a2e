"""Checks the native tally's instruction counts (`benches/instructions`)
against their budgets (`budgets.json`): prints each count against its
budget, and exits 1 when one is over, or when a budgeted case was not
counted. Instruction counts do not drift as wall times do on a shared
machine, so this is a check that can fail a test run.

    python benches/budgets.py <instructions.jsonl>
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BUDGETS = Path(__file__).with_name("budgets.json")


def check(rows: list[dict[str, Any]]) -> tuple[list[str], bool]:
    """A table of each budgeted case's count against its budget, and
    whether every one was counted and is within it."""
    spec = json.loads(BUDGETS.read_text(encoding="utf-8"))
    size = spec["size"]
    counted = {r["case"]: r["instructions"] for r in rows if "instructions" in r and r["size"] == size}
    table = [f"| case ({size:,} units) | instructions | budget | |", "|---|---:|---:|---|"]
    ok = True
    for case, budget in spec["budgets"].items():
        count = counted.get(case)
        if count is None:
            table.append(f"| {case} | not counted | {budget:,} | **missing** |")
            ok = False
            continue
        within = count <= budget
        ok &= within
        margin = f"{(budget - count) / budget:.1%} under" if within else f"**{(count - budget) / budget:.1%} over**"
        table.append(f"| {case} | {count:,} | {budget:,} | {margin} |")
    return table, ok


def main() -> None:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    table, ok = check(rows)
    print("\n".join(table))
    if not ok:
        sys.exit(f"instruction budgets: a case is over its budget or was not counted (budgets: {BUDGETS})")


if __name__ == "__main__":
    main()
