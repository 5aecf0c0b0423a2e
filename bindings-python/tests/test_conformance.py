"""Every conformance vector, through the wire ``run()`` and through the idiomatic API."""

from __future__ import annotations

import json
from typing import Any

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
