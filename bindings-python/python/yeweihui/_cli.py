"""The ``yeweihui`` command: check a vote from spreadsheet files, no programming needed.

Exit codes: 0 the resolution passed, 1 it did not pass, 2 invalid input.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional, Sequence, Union

from . import InputError, Outcome, Readable, YeweihuiError, rules_in_force, tally

MATTERS = [
    "amend_assembly_rules",
    "amend_management_covenant",
    "elect_committee",
    "hire_or_dismiss_manager",
    "use_maintenance_fund",
    "raise_maintenance_fund",
    "rebuild",
    "change_common_use",
    "other_major",
]


def _read_table(path: str) -> Union[str, Readable, list[dict[str, Any]]]:
    """A CSV file by its path, or ``-`` for standard input (the core reads
    either in place), or an Excel sheet's rows."""
    if path == "-":
        return sys.stdin.buffer
    if path.lower().endswith((".xlsx", ".xlsm", ".xls")):
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise YeweihuiError("invalid_input", f"reading {path} needs pandas and openpyxl: {e}") from e
        frame = pd.read_excel(path, dtype=str)
        rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items() if isinstance(v, str)} for r in frame.to_dict("records")]
        return rows
    return path


def _table(outcome: Outcome, lang: str) -> str:
    zh = lang == "zh"
    header = ("检查", "实测", "基数", "要求", "结果", "差额") if zh else ("check", "measured", "base", "required", "met", "shortfall")
    rows = [header]
    for name, c in outcome.checks.items():
        rows.append((name, str(c.measured), str(c.base), str(c.required), "✔" if c.met else "✘", str(c.shortfall)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def _tally(args: argparse.Namespace) -> int:
    scope: Optional[dict[str, list[str]]] = None
    if args.scope_building:
        scope = {"buildings": args.scope_building}
    elif args.scope_unit:
        scope = {"units": args.scope_unit}
    voting = {k: v for k, v in (("opens_at", args.opens_at), ("closes_at", args.closes_at), ("duplicates", args.duplicates)) if v}
    if args.register == args.ballots == "-":
        raise InputError("invalid_input", "--register and --ballots: only one of them can be read from standard input (-)")
    outcome = tally(
        _read_table(args.register),
        _read_table(args.ballots),
        matter=args.matter,
        decided_on=args.decided_on,
        rulebook=args.rulebook,
        scope=scope,
        voting=voting or None,
    )
    if args.json:
        print(outcome.to_json())
    else:
        print(_table(outcome, args.lang))
        print()
        print(outcome.explain(args.lang), end="")
    return 0 if outcome.passed else 1


def _rules(args: argparse.Namespace) -> int:
    listing = rules_in_force(args.on, rulebook=args.rulebook)
    if args.json:
        import json

        print(json.dumps(listing, ensure_ascii=False))
        return 0
    zh = args.lang == "zh"
    layers = " → ".join(f"{layer['rulebook']} ({layer['version']})" for layer in listing["layers"])
    print(f"{'施行中的规则' if zh else 'Rules in force on'} {listing['on']}: {layers}")
    width = max(len(r["rule"]) for r in listing["rules"])
    for r in listing["rules"]:
        value, citation = (r["value"], r["citation"]) if zh else (r["value_en"], r["citation_en"])
        print(f"{r['rule']:<{width}}  {value}  [{r['layer']['rulebook']}] {citation}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yeweihui", description="业委会 rules engine: check owners' votes exactly, with citations.")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("tally", help="tally a vote from register and ballot files (CSV or Excel)")
    t.add_argument("--register", required=True, help="units file: id, building, area, owner, status (- for standard input)")
    t.add_argument("--ballots", required=True, help="ballots file: unit, choice, channel, cast_at, authorization (- for standard input)")
    t.add_argument("--matter", required=True, choices=MATTERS)
    t.add_argument("--decided-on", required=True, help="YYYY-MM-DD: the date whose law applies")
    t.add_argument("--rulebook", default="cn-national", help="preset id or a rulebook file (.toml or .json)")
    t.add_argument("--scope-building", action="append", metavar="B", help="limit to a building (repeatable)")
    t.add_argument("--scope-unit", action="append", metavar="U", help="limit to a unit (repeatable)")
    t.add_argument("--opens-at", help="voting opens (RFC 3339, e.g. 2026-04-01T00:00:00+08:00)")
    t.add_argument("--closes-at", help="voting closes (RFC 3339)")
    t.add_argument("--duplicates", choices=["latest_wins", "first_wins", "paper_prevails", "online_prevails"])
    t.add_argument("--json", action="store_true", help="print the outcome as JSON")
    t.add_argument("--lang", choices=["zh", "en"], default="zh")
    t.set_defaults(func=_tally)
    r = sub.add_parser("rules", help="list every rule in force on a date, with its layer and citation")
    r.add_argument("--rulebook", default="cn-national", help="preset id or a rulebook file (.toml or .json)")
    r.add_argument("--on", required=True, help="YYYY-MM-DD")
    r.add_argument("--json", action="store_true", help="print the listing as JSON")
    r.add_argument("--lang", choices=["zh", "en"], default="zh")
    r.set_defaults(func=_rules)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except YeweihuiError as e:
        print(f"yeweihui: error [{e.code}]: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed early: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        print(f"yeweihui: error [io]: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
