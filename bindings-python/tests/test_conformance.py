"""Every conformance vector, through the wire ``run()`` and through the idiomatic API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Optional, Sequence

import pytest

import yeweihui
from yeweihui import _native

from .conftest import VECTORS, contains


def _input_text(v: dict[str, Any]) -> str:
    return v["input"] if isinstance(v["input"], str) else json.dumps(v["input"], ensure_ascii=False)


def test_there_are_vectors() -> None:
    assert len(VECTORS) >= 40


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_through_run(vector: dict[str, Any]) -> None:
    expect = vector["expect"]
    if "error" in expect:
        with pytest.raises(yeweihui.YeweihuiError) as info:
            yeweihui.run(vector["operation"], _input_text(vector))
        assert info.value.code == expect["error"], str(info.value)
    else:
        contains(yeweihui.run(vector["operation"], _input_text(vector)), expect["output"])


TALLIES = [v for v in VECTORS if v["operation"] == "tally" and isinstance(v["input"], dict)]


@pytest.mark.parametrize("vector", TALLIES, ids=[v["name"] for v in TALLIES])
def test_tally_vector_through_the_idiomatic_api(vector: dict[str, Any]) -> None:
    """tally(register, ballots, ...) gives byte for byte what the wire gives."""
    i = vector["input"]
    known = {"rulebook", "decided_on", "matter", "register", "ballots", "scope", "voting"}
    if set(i) - known or not isinstance(i.get("register"), dict) or not isinstance(i.get("decided_on"), str):
        pytest.skip("malformed on purpose: only the wire form can carry it")

    def call() -> yeweihui.Outcome:
        return yeweihui.tally(
            i["register"]["units"],
            i.get("ballots", []),
            matter=i["matter"],
            decided_on=i["decided_on"],
            rulebook=i["rulebook"],
            scope=i.get("scope"),
            voting=i.get("voting"),
        )
    expect = vector["expect"]
    if "error" in expect:
        with pytest.raises(yeweihui.YeweihuiError) as info:
            call()
        assert info.value.code == expect["error"]
        return
    outcome = call()
    contains(outcome.to_dict(), expect["output"])
    assert outcome.to_json() == _native.run("tally", _input_text(vector))


UNIT_COLUMNS = ("id", "building", "area", "owner", "status")
BALLOT_COLUMNS = ("unit", "choice", "channel", "cast_at", "authorization")


def _csv_text(records: Any, names: Sequence[str]) -> Optional[str]:
    """``records`` as CSV text with those of ``names`` any record has, or
    ``None`` where CSV cannot say the same: a cell that is not text, or text
    that is empty or has spaces around it (a CSV cell is read trimmed, and an
    empty one is an absent value), or a field of another name."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return None
    for r in records:
        for key, cell in r.items():
            if key not in names or (cell is not None and (not isinstance(cell, str) or not cell or cell.strip() != cell)):
                return None
    columns = [n for n in names if any(r.get(n) is not None for r in records)] or list(names[:2])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([r.get(c) or "" for c in columns] for r in records)
    return out.getvalue()


def _csv_tables(vector: dict[str, Any]) -> Optional[tuple[str, str]]:
    """A tally vector's register and ballots as CSV text, or ``None`` where CSV cannot carry them."""
    register = vector["input"].get("register")
    if "output" not in vector["expect"] or not isinstance(register, dict):
        return None
    units = _csv_text(register.get("units"), UNIT_COLUMNS)
    ballots = _csv_text(vector["input"].get("ballots", []), BALLOT_COLUMNS)
    return None if units is None or ballots is None else (units, ballots)


TALLIES_FROM_CSV = [(v, tables) for v in TALLIES if (tables := _csv_tables(v)) is not None]


def test_most_tallies_go_from_csv_too() -> None:
    assert len(TALLIES_FROM_CSV) >= 40, len(TALLIES_FROM_CSV)


@pytest.mark.parametrize(("vector", "tables"), TALLIES_FROM_CSV, ids=[v["name"] for v, _ in TALLIES_FROM_CSV])
def test_tally_vector_from_csv(vector: dict[str, Any], tables: tuple[str, str]) -> None:
    """tally(units file, ballots file, ...), the files open, gives byte for byte what the wire gives."""
    i = vector["input"]
    units, ballots = tables
    outcome = yeweihui.tally(
        io.StringIO(units),
        io.StringIO(ballots),
        matter=i["matter"],
        decided_on=i["decided_on"],
        rulebook=i["rulebook"],
        scope=i.get("scope"),
        voting=i.get("voting"),
    )
    assert outcome.to_json() == _native.run("tally", _input_text(vector))
