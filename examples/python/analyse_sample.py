"""An analyst's starting point: load the sample estate, check a vote, export.

Run: .venv/bin/python examples/python/analyse_sample.py [output-dir]

1. Reads the register and the ballots (CSV, as committees keep them).
2. Tallies the April 2026 vote on hiring a property manager and prints the
   four checks and the explanation.
3. Asks what the same ballots would have decided for other matters and under
   the old law, in one batch call, and writes the table to CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import yeweihui

DATA = Path(__file__).resolve().parents[1] / "data"


def main(out_dir: Path) -> None:
    units = pd.read_csv(DATA / "units.csv", dtype=str, keep_default_na=False)
    units = units.replace("", None)
    ballots = pd.DataFrame(yeweihui.read_ballots_csv(DATA / "ballots.csv"))

    outcome = yeweihui.tally(
        units,
        ballots,
        matter="hire_or_dismiss_manager",
        decided_on="2026-04-30",
        voting={"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-04-30T23:59:59+08:00"},
    )
    print(repr(outcome))
    for name, check in outcome.checks.items():
        status = "met" if check.met else f"short by {check.shortfall}"
        print(f"  {name:22} {check.measured} of {check.base}, required {check.required}: {status}")
    print(outcome.explain("en"))

    matters = ["hire_or_dismiss_manager", "use_maintenance_fund", "rebuild", "change_common_use"]
    votes = [{"id": f"{m}@{d}", "matter": m, "decided_on": d} for m in matters for d in ("2020-12-31", "2026-04-30")]
    batch = pd.concat([ballots.assign(vote=v["id"]) for v in votes], ignore_index=True)
    table = yeweihui.tally_many(units, batch, votes)
    print(table[["vote", "passed", "law_version", "approval.owners.measured", "approval.owners.base", "approval.owners.required"]])
    out_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_dir / "what-if.csv", index=False)
    print(f"wrote {out_dir / 'what-if.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("test-output"))
