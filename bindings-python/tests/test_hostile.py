"""Hostile and malformed input through the Python surface: every case is a
typed error carrying the same code as on the other surfaces, names what is
wrong, and gives no partial result. (The wire-level cases all three surfaces
share are vectors in conformance/hostile/.)"""

from __future__ import annotations

import errno
import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import yeweihui
from yeweihui import InputError, RulebookError, YeweihuiError

UNITS = [{"id": "a", "area": "100", "owner": "p"}, {"id": "b", "area": "100", "owner": "q"}]
BALLOTS = [{"unit": "a", "choice": "agree"}]


def tally(register: Any = UNITS, ballots: Any = BALLOTS, **kw: Any) -> Any:
    return yeweihui.tally(register, ballots, matter="other_major", decided_on=kw.pop("decided_on", "2026-04-30"), **kw)


def raises(code: str, fn: Callable[[], Any], *, names: str = "") -> YeweihuiError:
    with pytest.raises(YeweihuiError) as info:
        fn()
    assert info.value.code == code, info.value
    assert names in str(info.value), info.value
    return info.value


@pytest.mark.parametrize(
    "area, code",
    [
        (100.25, "invalid_area"),  # a float may already be rounded
        (math.inf, "invalid_area"),
        (Decimal("NaN"), "invalid_area"),
        (Decimal("Infinity"), "invalid_area"),
        (Decimal("-1"), "invalid_area"),
        ("１００", "invalid_area"),  # full-width digits
        (10**30, "invalid_area"),
        (True, "invalid_input"),
    ],
)
def test_areas_that_are_not_decimals(area: Any, code: str) -> None:
    raises(code, lambda: tally([{"id": "a", "area": area}, UNITS[1]]), names="0")


def test_nan_area_is_a_missing_area_naming_the_unit() -> None:
    # NaN is pandas' marker for a missing cell: the required area is missing
    raises("invalid_input", lambda: tally([{"id": "a", "area": math.nan}]), names="'area': row 0")
    frame = pd.DataFrame({"id": ["a", "b"], "area": [100.0, np.nan]})
    raises("invalid_input", lambda: tally(frame), names="'area': row 1")


def test_float_columns_of_a_data_frame_are_refused() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "area": [89.5, 100.0]})
    raises("invalid_area", lambda: tally(frame), names="units[0]")


def test_lone_surrogates_are_invalid_input_not_a_unicode_crash() -> None:
    raises("invalid_input", lambda: tally([{"id": "\ud800", "area": "1"}]), names="register column 'id' row 0: not valid Unicode text")
    raises("invalid_input", lambda: yeweihui.run("tally", '{"x": "\ud800"}'))
    votes = [{"id": "v", "matter": "other_major", "decided_on": "2026-04-30"}]
    ballots = {"vote": ["v"], "unit": ["\udfff"], "choice": ["agree"]}
    raises("invalid_input", lambda: yeweihui.tally_many(UNITS, ballots, votes))


def test_a_cell_that_is_no_text_is_named_by_column_and_row() -> None:
    units: list[dict[str, Any]] = [UNITS[0], {"id": "b", "area": "100", "owner": ["q"]}]
    raises("invalid_input", lambda: tally(units), names="register column 'owner' row 1: expected text, got ['q']")
    frame = pd.DataFrame({"unit": ["a", "b"], "choice": np.array(["agree", {"x": 1}], dtype=object)})
    raises("invalid_input", lambda: tally(ballots=frame), names="ballots column 'choice' row 1: expected text, got {'x': 1}")


def test_bytes_that_are_not_utf8() -> None:
    raises("invalid_input", lambda: yeweihui.run("tally", b'{"rulebook": "\xff"}'), names="byte 14")


def test_csv_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("id,area\na,100\n".encode() + "b,１００\n".encode("gbk"))
    raises("invalid_input", lambda: yeweihui.read_units_csv(path), names="line 3")
    # by path to tally: the same error, naming the file, whichever of the two it is
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("unit,choice\na,agree\n", encoding="utf-8")
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    raises("invalid_input", lambda: yeweihui.tally(path, ballots, **args), names=f"{path}: line 3 is not UTF-8 text (byte 16)")
    raises("invalid_input", lambda: yeweihui.tally(ballots, path, **args), names=f"{path}: line 3")


def test_files_that_cannot_be_read_raise_what_open_raises(tmp_path: Path) -> None:
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("unit,choice\na,agree\n", encoding="utf-8")
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    missing = tmp_path / "missing.csv"
    for call in (lambda: yeweihui.tally(missing, ballots, **args), lambda: yeweihui.read_units_csv(str(missing))):
        with pytest.raises(FileNotFoundError) as info:
            call()
        assert info.value.errno == errno.ENOENT and os.fspath(info.value.filename) == os.fspath(missing)
    with pytest.raises(IsADirectoryError) as directory:
        yeweihui.tally(ballots, tmp_path, **args)
    assert directory.value.filename == tmp_path


def test_a_file_over_the_csv_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "units.csv"
    with open(big, "wb") as f:  # sparse: nothing is written, and nothing need be read
        f.truncate(2_147_483_648 + 1)
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("unit,choice\na,agree\n", encoding="utf-8")
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    over = f"{big} bytes is 2147483649, the limit is 2147483648"
    raises("limit_exceeded", lambda: yeweihui.tally(big, ballots, **args), names=over)
    raises("limit_exceeded", lambda: yeweihui.tally(ballots, big, **args), names=over)
    raises("limit_exceeded", lambda: yeweihui.read_units_csv(big), names=over)


def test_csv_with_bom_and_full_width_digits(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("\ufeffid,area\r\na,100\r\nb,１００\r\n", encoding="utf-8")
    units = yeweihui.read_units_csv(path)
    assert [u["id"] for u in units] == ["a", "b"]  # the BOM is not part of "id"
    raises("invalid_area", lambda: tally(units), names='"b"')


def test_impossible_dates() -> None:
    for day in ["2026-02-30", "2026-13-01", "2026-4-30", "30/04/2026", ""]:
        raises("invalid_date", lambda: tally(decided_on=day), names="decided_on")


def test_wrong_types_and_unknown_fields() -> None:
    # a number where a choice belongs is read as text and the ballot rejected, with its reason
    out = tally(ballots=[{"unit": "a", "choice": 1}])
    assert [(r.unit, r.code) for r in out.rejected] == [("a", "invalid_choice")]
    raises("invalid_input", lambda: tally(ballots=[{"unit": "a", "choice": "agree", "weight": 2}]), names="weight")
    raises("invalid_input", lambda: tally(register=42), names="register")
    raises("invalid_input", lambda: tally(ballots=[("a", "agree")]), names="ballots[0]")


def test_huge_and_negative_counts() -> None:
    base: dict[str, Any] = {"candidates": [], "ballots": [], "decided_on": "2026-04-30"}
    raises("invalid_input", lambda: yeweihui.election(UNITS, seats=2**70, **base), names="seats")
    raises("invalid_input", lambda: yeweihui.election(UNITS, seats=-1, **base), names="seats")


def test_duplicate_keys_in_raw_json() -> None:
    text = '{"amount": "100", "register": [{"id": "a", "area": "1"}], "balances": {"a": "1", "a": "2"}}'
    raises("invalid_input", lambda: yeweihui.run("cost_split", text), names="duplicate key")
    raises("invalid_input", lambda: yeweihui.run("tally", '{"matter": "rebuild", "matter": "other_major"}'), names="duplicate")


def test_rulebook_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b'id = "\xb1\xbe"\n')
    raises("invalid_input", lambda: yeweihui.read_rulebook(path), names="line 1")


def test_a_looser_rulebook_is_a_rulebook_error() -> None:
    estate = {
        "id": "e",
        "extends": "cn-shanghai",
        "versions": [{"id": "1", "effective_from": "2025-01-01", "committee": {"term_years": {"years": 2, "citation": {"zh": "甲 第一条", "en": "A Art. 1"}}}}],
    }
    e = raises("rulebook_violates_law", lambda: yeweihui.rules_in_force("2026-01-01", rulebook=estate))
    assert isinstance(e, RulebookError)
    assert "上海市住宅物业管理规定 第二十条第一款" in str(e)


def test_no_partial_result_on_error() -> None:
    # one bad unit among many: an error, never an outcome computed from the rest
    units = [{"id": f"u{i}", "area": "100"} for i in range(1000)] + [{"id": "bad", "area": "-1"}]
    with pytest.raises(InputError):
        tally(units, [{"unit": "u1", "choice": "agree"}])
