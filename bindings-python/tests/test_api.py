"""The idiomatic API: DataFrames, Decimals, typed outcomes, errors, the batch."""

from __future__ import annotations

import doctest
import io
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import yeweihui

UNITS = [{"id": "1", "area": "100"}, {"id": "2", "area": "99.99"}, {"id": "3", "area": "100.01"}]


def test_decimal_areas_in_and_out() -> None:
    units = [{"id": "1", "area": Decimal("100")}, {"id": "2", "area": Decimal("99.99")}, {"id": "3", "area": 100}]
    o = yeweihui.tally(units, [{"unit": "1", "choice": "agree"}, {"unit": "2", "choice": "agree"}], matter="other_major", decided_on="2026-03-01")
    pa = o.checks["participation.area"]
    assert pa.measured == Decimal("199.99") and isinstance(pa.measured, Decimal)
    assert pa.base == Decimal("299.99")
    assert pa.required == yeweihui.Threshold("at_least", Fraction(2, 3))
    assert not pa.met and pa.shortfall == Decimal("0.01")
    assert o.participation.area == Decimal("199.99")


def test_decimal_in_scientific_notation_is_written_plainly() -> None:
    o = yeweihui.tally([{"id": "1", "area": Decimal("1E+2")}], [{"unit": "1", "choice": "agree"}], matter="other_major", decided_on="2026-03-01")
    assert o.base.area == Decimal("100")


def test_float_area_is_rejected_with_the_rust_code() -> None:
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.tally([{"id": "3-101", "area": 89.5}], [], matter="other_major", decided_on="2026-03-01")
    assert info.value.code == "invalid_area"
    assert "3-101" in str(info.value) and "decimal string" in str(info.value)


def test_dataframes_with_numpy_ints_and_missing_cells() -> None:
    units = pd.DataFrame({"id": [101, 102, 103], "area": ["88.5", "90", "91.25"], "owner": ["a", None, "a"]})
    ballots = pd.DataFrame({"unit": np.array([101, 102]), "choice": ["agree", "against"], "channel": ["paper", np.nan]})
    o = yeweihui.tally(units, ballots, matter="hire_or_dismiss_manager", decided_on="2026-03-01")
    assert o.base.owners == 2  # owner "a" holds two units
    assert o.participation.owners == 2 and o.ballots.counted == 2


def test_dict_of_columns_and_date_objects() -> None:
    from datetime import date

    units = {"id": ["1", "2"], "area": ["50", "50"]}
    o = yeweihui.tally(units, {"unit": ["1", "2"], "choice": ["agree", "agree"]}, matter="other_major", decided_on=date(2020, 12, 31))
    assert o.law.version == "property-law-2007"
    assert "participation.area" not in o.checks


def test_outcome_repr_dict_and_explanations(sample_units: Any, sample_ballots: Any) -> None:
    o = yeweihui.tally(sample_units, sample_ballots, matter="hire_or_dismiss_manager", decided_on="2026-04-30")
    assert repr(o).startswith("<Outcome PASSED hire_or_dismiss_manager on 2026-04-30")
    d = o.to_dict()
    assert d["passed"] is True and isinstance(d["base"]["area"], str)
    assert json.loads(o.to_json()) == d
    zh, en = o.explain("zh"), yeweihui.explain(o, "en")
    assert "民法典 第二百七十八条第二款" in zh and "Civil Code Art. 278(2)" in en
    assert o.ballots.received == o.ballots.counted + o.ballots.superseded + o.ballots.rejected
    assert {r.code for r in o.rejected} >= {"unknown_unit", "proxy_without_authorization", "owner_conflict"}


@pytest.mark.parametrize(
    ("kwargs", "exc", "code"),
    [
        ({"matter": "buy_a_boat"}, yeweihui.InputError, "unknown_matter"),
        ({"rulebook": "cn-atlantis"}, yeweihui.RulebookError, "unknown_rulebook"),
        ({"decided_on": "2007-09-30"}, yeweihui.RulebookError, "no_law_in_force"),
        ({"decided_on": "2026-02-30"}, yeweihui.InputError, "invalid_date"),
        ({"scope": {"buildings": ["Z"]}}, yeweihui.ScopeError, "unknown_scope"),
        ({"scope": {"units": []}}, yeweihui.ScopeError, "empty_scope"),
        ({"voting": {"non_response": "count_with_majority"}}, yeweihui.RulebookError, "policy_not_allowed"),
    ],
)
def test_error_families(kwargs: dict[str, Any], exc: type[yeweihui.YeweihuiError], code: str) -> None:
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-03-01"}
    args.update(kwargs)
    with pytest.raises(exc) as info:
        yeweihui.tally(UNITS, [], **args)
    assert info.value.code == code
    assert isinstance(info.value, yeweihui.YeweihuiError)


def test_duplicate_unit_names_both_rows() -> None:
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.tally([{"id": "1", "area": "1"}, {"id": "1", "area": "2"}], [], matter="other_major", decided_on="2026-03-01")
    assert info.value.code == "duplicate_unit" and "register.units[0] and register.units[1]" in str(info.value)


def test_every_error_code_is_known_to_python() -> None:
    from yeweihui._errors import _FAMILIES

    assert set(yeweihui.error_codes()) <= set(_FAMILIES)


def test_run_accepts_dicts_text_and_bytes() -> None:
    a = yeweihui.run("rulebooks", {})
    assert a == yeweihui.run("rulebooks", "{}") == yeweihui.run("rulebooks", b"{}")
    assert a["presets"][0]["id"] == "cn-national"
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.run("tally", "{")
    assert info.value.code == "invalid_input"


def test_rulebook_from_a_json_file(tmp_path: Path) -> None:
    cite = {"zh": "议事规则 第十条", "en": "Rules Art. 10"}
    book = {
        "id": "estate",
        "extends": "cn-national",
        "versions": [{"id": "v1", "effective_from": "2022-01-01", "assembly": {"other_major": {
            "participation": {"area": {"at_least": "3/4"}, "owners": {"at_least": "3/4"}, "citation": cite},
            "approval": {"base": "participating", "area": {"more_than": "1/2"}, "owners": {"more_than": "1/2"}, "citation": cite}}}}],
    }
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    ballots = [{"unit": "1", "choice": "agree"}, {"unit": "2", "choice": "agree"}]
    o = yeweihui.tally(UNITS, ballots, matter="other_major", decided_on="2026-03-01", rulebook=path)
    assert not o.passed and o.checks["participation.owners"].citation == "议事规则 第十条"
    assert o.law.layers == [("cn-national", "civil-code-2021"), ("estate", "v1")]


def _batch(sample_ballots: Any) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    one = pd.DataFrame(sample_ballots)
    frames = []
    for vote in ("v-manager", "v-fund", "v-old"):
        f = one.copy()
        f["vote"] = vote
        frames.append(f)
    votes: list[dict[str, Any]] = [
        {"id": "v-manager", "matter": "hire_or_dismiss_manager", "decided_on": "2026-04-30"},
        {"id": "v-fund", "matter": "use_maintenance_fund", "decided_on": "2026-04-30", "scope": {"buildings": ["3"]}},
        {"id": "v-old", "matter": "other_major", "decided_on": "2020-04-30"},
    ]
    return pd.concat(frames, ignore_index=True), votes


def test_tally_many_matches_single_tallies(sample_units: Any, sample_ballots: Any) -> None:
    ballots, votes = _batch(sample_ballots)
    frame = yeweihui.tally_many(sample_units, ballots, votes)
    assert list(frame["vote"]) == ["v-manager", "v-fund", "v-old"]
    for row, vote in zip(frame.to_dict("records"), votes):
        single = yeweihui.tally(sample_units, sample_ballots, matter=vote["matter"], decided_on=vote["decided_on"], scope=vote.get("scope"))
        assert row["passed"] == single.passed
        assert row["ballots.rejected"] == single.ballots.rejected
        assert row["approval.area.measured"] == single.checks["approval.area"].measured
        assert isinstance(row["base.area"], Decimal)
    assert frame["participation.owners.measured"].dtype == "Int64"
    assert frame.loc[2, "participation.owners.met"] is None


def test_tally_many_without_pandas_output_and_numpy_columns(sample_units: Any) -> None:
    ballots = {"vote": np.array(["a", "a", "b"]), "unit": np.array(["1-101", "1-102", "1-101"]), "choice": np.array(["agree", "agree", "against"])}
    rows = yeweihui.tally_many(sample_units, ballots, [{"id": "a", "matter": "other_major", "decided_on": "2026-01-05"}, {"id": "b", "matter": "other_major", "decided_on": "2026-01-05"}], as_frame=False)
    assert [r["agree.owners"] for r in rows] == [2, 0]


@pytest.mark.parametrize(
    ("ballots", "needle"),
    [
        ({"vote": ["a"], "unit": ["1-101"], "choice": ["agree"], "colour": ["red"]}, "unknown columns"),
        ({"vote": ["a"], "unit": ["1-101"]}, "missing columns"),
        ({"vote": ["nope"], "unit": ["1-101"], "choice": ["agree"]}, "no vote has id"),
        (pd.DataFrame({"vote": ["a", None], "unit": ["1-101", "1-102"], "choice": ["agree", "agree"]}), "row 1 is empty"),
        ({"vote": ["a", "a"], "unit": ["1-101"], "choice": ["agree", "agree"]}, "values"),
    ],
)
def test_tally_many_bad_ballot_tables(sample_units: Any, ballots: Any, needle: str) -> None:
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.tally_many(sample_units, ballots, [{"id": "a", "matter": "other_major", "decided_on": "2026-01-05"}])
    assert info.value.code == "invalid_input" and needle in str(info.value)


def test_csv_reader_names_the_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("id,area\n1-101,89.5\n1-102\n", encoding="utf-8")
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.read_units_csv(path)
    assert "units row 3" in str(info.value)


def test_csv_files_by_path_give_the_outcome_of_their_records(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "examples" / "data"
    units, ballots = data / "units.csv", data / "ballots.csv"
    args: dict[str, Any] = {"matter": "hire_or_dismiss_manager", "decided_on": "2026-04-30"}
    records = yeweihui.tally(yeweihui.read_units_csv(units), yeweihui.read_ballots_csv(ballots), **args)
    assert yeweihui.tally(units, ballots, **args).to_json() == records.to_json()
    assert yeweihui.tally(str(units), yeweihui.read_ballots_csv(ballots), **args).to_json() == records.to_json()
    assert yeweihui.tally(yeweihui.read_units_csv(units), str(ballots), **args).to_json() == records.to_json()
    # quoted cells, a byte-order mark, CRLF, blank lines: read as the records reader reads them
    quirky = tmp_path / "quirky.csv"
    quirky.write_bytes(b'\xef\xbb\xbfid,area,owner\r\n"1-101","89.5","Wang, ""Lao"" Er"\r\n\r\n1-102, 90 ,\r\n')
    two = [{"unit": "1-101", "choice": "agree"}, {"unit": "1-102", "choice": "agree"}]
    ballots_file = tmp_path / "ballots.csv"
    ballots_file.write_text("unit,choice\n1-101,agree\n1-102,agree\n", encoding="utf-8")
    by_path = yeweihui.tally(quirky, ballots_file, **args)
    assert by_path.to_json() == yeweihui.tally(yeweihui.read_units_csv(quirky), two, **args).to_json()
    assert by_path.base.area == Decimal("179.5") and by_path.base.owners == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("id,area\n1-101,89.5\n1-102,\n", encoding="utf-8")
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.tally(bad, ballots_file, **args)
    assert "units row 3, column area: is empty" in str(info.value)
    with pytest.raises(FileNotFoundError):
        yeweihui.tally(tmp_path / "missing.csv", ballots_file, **args)


def test_open_csv_files_give_the_outcome_of_the_same_files_by_path() -> None:
    data = Path(__file__).resolve().parents[2] / "examples" / "data"
    units, ballots = data / "units.csv", data / "ballots.csv"
    voting = {"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-04-20T23:59:59+08:00", "duplicates": "first_wins"}
    cases: tuple[dict[str, Any], ...] = (
        {"matter": "hire_or_dismiss_manager", "decided_on": "2026-04-30"},
        {"matter": "use_maintenance_fund", "decided_on": "2026-04-30", "rulebook": "cn-beijing", "scope": {"buildings": ["1"]}, "voting": voting},
        {"matter": "rebuild", "decided_on": "2020-12-31"},
    )
    for args in cases:
        by_path = yeweihui.tally(units, ballots, **args).to_json()
        text, binary = io.StringIO(units.read_text("utf-8")), io.BytesIO(ballots.read_bytes())
        assert yeweihui.tally(text, binary, **args).to_json() == by_path
        # one open, one by path; and open files with records
        with units.open("rb") as u:
            assert yeweihui.tally(u, ballots, **args).to_json() == by_path
        with ballots.open(encoding="utf-8") as b:
            assert yeweihui.tally(yeweihui.read_units_csv(units), b, **args).to_json() == by_path
    assert yeweihui.read_units_csv(io.BytesIO(units.read_bytes())) == yeweihui.read_units_csv(units)
    assert yeweihui.read_ballots_csv(io.StringIO(ballots.read_text("utf-8"))) == yeweihui.read_ballots_csv(ballots)
    # a byte-order mark, in bytes or as a character, is dropped; a table of no ballots is its header
    none = yeweihui.tally(io.BytesIO(b"\xef\xbb\xbfid,area\n1,60\n"), io.StringIO("\ufeffunit,choice\n"), matter="other_major", decided_on="2026-05-01")
    assert (none.base.owners, none.ballots.received) == (1, 0)


class _Reads:
    """An object with ``read()`` (as an upload is), giving what it is given."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def read(self) -> Any:
        return self.data


@pytest.mark.parametrize(
    ("units", "ballots", "code", "needle"),
    [
        ("id,area\n1,60\n2\n", "unit,choice\n", "invalid_input", "units row 3"),
        ("id,area\n1,60\n2,-3\n", "unit,choice\n", "invalid_area", '"2"'),
        ("id,area\n1,60\n", "", "invalid_input", "ballots row 1"),
        (b"id,area\n1,\xff\n", "unit,choice\n", "invalid_input", "units: line 2 is not UTF-8 text (byte 10)"),
        ("id,area\n1,60\n", "unit,choice\n\ud800,agree\n", "invalid_input", "ballots: not valid Unicode text"),
        ("id,area\n1,60\n", 7, "invalid_input", "ballots: read() gave int, not text or bytes"),
    ],
)
def test_open_csv_files_errors_name_the_table_and_row(units: Any, ballots: Any, code: str, needle: str) -> None:
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.tally(_Reads(units), _Reads(ballots), matter="other_major", decided_on="2026-05-01")
    assert info.value.code == code
    assert needle in str(info.value)
    # the records readers name them alike
    if isinstance(units, bytes):
        with pytest.raises(yeweihui.InputError, match=re.escape(needle)):
            yeweihui.read_units_csv(_Reads(units))


def test_deadline_moves_past_national_day() -> None:
    from datetime import date

    d = yeweihui.deadline("2025-09-20", days=15)
    assert d.due == date(2025, 10, 9) and d.nominal_end == date(2025, 10, 5)
    assert d.skipped[0] == (date(2025, 10, 5), "国庆节、中秋节")
    assert "民法典" in d.explanation_zh and "National Day" in d.explanation_en
    assert yeweihui.deadline(date(2025, 1, 31), months=1).due == date(2025, 2, 28)


def test_deadline_errors() -> None:
    with pytest.raises(yeweihui.CalendarError) as info:
        yeweihui.deadline("2026-12-20", days=15)
    assert info.value.code == "calendar_year_not_covered"
    with pytest.raises(yeweihui.InputError):
        yeweihui.deadline("2026-03-02", days=1, months=1)
    with pytest.raises(yeweihui.InputError):
        yeweihui.deadline("2026-03-02")


def test_assembly_notice_and_requisition() -> None:
    n = yeweihui.assembly_notice("2026-06-20", published_on="2026-06-06")
    assert n["latest_notice_on"] == "2026-06-05" and n["check"]["met"] is False and n["check"]["shortfall"] == 1
    units = [{"id": f"U{i}", "area": "100"} for i in range(10)]
    r = yeweihui.requisition(units, ["U0", "U1"], decided_on="2026-03-01")
    assert r["met"] is True and r["owners"]["required"] == {"at_least": "1/5"}


def test_disclosure_schedule_and_audit() -> None:
    events = [{"event": "committee_decision", "on": "2026-07-06", "ref": "A"}]
    s = yeweihui.disclosure_schedule("2026-07-01", "2026-07-31", events=events)
    assert s["items"][0]["due"] == "2026-07-09"
    log = pd.DataFrame([{"obligation": "committee_decision", "ref": "A", "published_on": "2026-07-10"}])
    a = yeweihui.disclosure_audit("2026-07-01", "2026-07-31", events=events, publications=log)
    assert a["items"][0]["status"] == "late" and a["items"][0]["days_late"] == 1


def test_money_and_committee_operations() -> None:
    equal = [{"id": str(i), "area": "90"} for i in range(3)]
    split = yeweihui.cost_split(Decimal("10000.00"), equal)
    assert [s["share"] for s in split["shares"]] == ["3333.34", "3333.33", "3333.33"]
    assert [s["share"] for s in yeweihui.cost_split("10000", UNITS)["shares"]] == ["3333.33", "3333", "3333.67"]
    with pytest.raises(yeweihui.InputError) as info:
        yeweihui.cost_split("1.001", UNITS)
    assert info.value.code == "invalid_amount"
    members = [f"m{i}" for i in range(1, 8)]
    meeting = yeweihui.committee_meeting(members, members[:4], [{"member": m, "choice": "agree"} for m in members[:4]], decided_on="2026-03-10")
    assert meeting["valid"] and meeting["passed"]
    request = {"fund": "maintenance_fund", "purpose": "电梯维修", "amount": Decimal("86000"), "emergency": "elevator_fault"}
    assert yeweihui.fund_route(request, decided_on="2026-05-01")["approver"] == "emergency"
    approval = yeweihui.fund_approval(request, decided_on="2026-05-01", committee=meeting)
    assert approval["approved"] is False and len(approval["missing"]) == 1
    revenue = yeweihui.public_revenue([{"date": "2026-01-31", "kind": "income", "amount": "100", "description": "广告"}])
    assert revenue["net"] == "100"


def test_election_and_term() -> None:
    units = [{"id": f"U{i}", "area": "100"} for i in range(1, 8)]
    candidates = [{"id": f"c{i}", "unit": f"U{i}"} for i in range(1, 6)]
    ballots = [{"unit": f"U{i}", "choices": ["c1", "c2", "c3", "c4", "c5"]} for i in range(1, 7)]
    out = yeweihui.election(units, candidates, ballots, seats=5, decided_on="2026-06-28")
    assert out["valid"] and out["elected"] == ["c1", "c2", "c3", "c4", "c5"]
    t = yeweihui.term("2021-06-15", consecutive_terms_served=2)
    assert t["term_end"] == "2026-06-15" and t["may_stand_again"]["allowed"] is True


def test_recusal_removal_and_vacancy() -> None:
    members = [f"m{i}" for i in range(1, 8)]
    meeting = yeweihui.committee_meeting(members, members[:4], [{"member": m, "choice": "agree"} for m in members[:4]], decided_on="2026-03-10", interested=["m4"])
    assert meeting["passed"] is False and meeting["rejected"][0]["code"] == "conflict_of_interest"
    with pytest.raises(yeweihui.RulebookError) as info:
        yeweihui.removal(members, "m7", decided_on="2026-03-10", proposing_members=members[:3])
    assert info.value.code == "no_law_in_force"
    out = yeweihui.vacancy(7, members, [{"member": "m1", "reason": "resigned"}], decided_on="2026-03-10", alternates=["a1"])
    assert out["filled"] == [{"seat_of": "m1", "by": "a1"}] and out["by_election_required"] is False


def test_offices() -> None:
    members = [f"m{i}" for i in range(1, 8)]
    votes = [{"member": m, "choice": "agree"} for m in members[:4]]
    out = yeweihui.offices(members, members[:5], [{"office": "chair", "candidate": "m1", "votes": votes}], decided_on="2026-06-30")
    assert out["chair"] == "m1" and out["valid"] is True


def test_city_batch_from_frames_with_an_estate_column() -> None:
    import pandas as pd

    units = pd.DataFrame({"estate": ["E1", "E1", "E2", "E2"], "id": ["a", "b", "a", "b"], "area": ["100", "50", "80", "80"]})
    ballots = pd.DataFrame({"vote": ["v1", "v1", "v2"], "unit": ["a", "b", "a"], "choice": ["agree", "against", "agree"]})
    votes = [
        {"id": "v1", "estate": "E1", "matter": "other_major", "decided_on": "2026-04-30"},
        {"id": "v2", "estate": "E2", "matter": "other_major", "decided_on": "2026-04-30"},
    ]
    frame = yeweihui.tally_many(units, ballots, votes)
    assert list(frame["vote"]) == ["v1", "v2"]
    assert list(frame["base.area"]) == [Decimal("150"), Decimal("160")]
    assert list(frame["passed"]) == [False, False]  # v1: 1 of 2 owners agree; v2: 1 of 2 take part
    # from Arrow text, rows and cells Python code converts (the GIL released
    # for the tally) as from Python strings read in place (the GIL held)
    want = yeweihui.tally_many(units, ballots, votes, as_frame=False)
    arrow = pd.StringDtype("pyarrow", na_value=float("nan"))
    assert yeweihui.tally_many(units.astype(arrow), ballots.astype(arrow), votes, as_frame=False) == want
    assert yeweihui.tally_many(units.to_dict("records"), ballots.to_dict("records"), votes, as_frame=False) == want
    decimals = units.assign(area=pd.Series([Decimal(a) for a in units["area"]], dtype=object))
    assert yeweihui.tally_many(decimals, ballots.astype(arrow), votes, as_frame=False) == want
    with pytest.raises(yeweihui.InputError, match="estate"):
        yeweihui.tally_many(units, ballots, [{"id": "v1", "matter": "other_major", "decided_on": "2026-04-30"}, votes[1]])


def test_columns_and_records_give_the_same_outcome() -> None:
    units = [{"id": f"u{i}", "area": f"{60 + i}.25", "owner": f"p{i // 2}"} for i in range(40)]
    ballots = [{"unit": f"u{i}", "choice": "agree" if i % 3 else "against"} for i in range(0, 40, 2)]
    via_columns = yeweihui.tally(units, ballots, matter="rebuild", decided_on="2026-04-30")
    wire = {"rulebook": "cn-national", "matter": "rebuild", "decided_on": "2026-04-30", "register": units, "ballots": ballots}
    assert via_columns.to_dict() == yeweihui.run("tally", wire)


def test_outcome_keeps_the_native_text_and_reads_the_ballot_lists_on_use(sample_units: Any, sample_ballots: Any) -> None:
    o = yeweihui.tally(sample_units, sample_ballots, matter="rebuild", decided_on="2026-04-30")
    assert "rejected" not in vars(o) and "_wire" not in vars(o)  # only the summary was parsed
    assert o.to_json() == yeweihui._native.run("tally", json.dumps({
        "rulebook": "cn-national", "matter": "rebuild", "decided_on": "2026-04-30",
        "register": yeweihui._convert.records(sample_units, "register"),
        "ballots": yeweihui._convert.records(sample_ballots, "ballots"),
    }))
    assert len(o.rejected) == o.ballots.rejected and len(o.superseded) == o.ballots.superseded
    assert yeweihui.Outcome(o.to_dict()).to_dict() == o.to_dict() == json.loads(o.to_json())


def test_cells_that_are_not_text_cross_as_their_wire_form() -> None:
    # str cells are borrowed as they are; Decimal, int, NaN, None and pd.NA
    # cells are converted first, in every dtype a DataFrame may hold them in
    units = pd.DataFrame(
        {
            "id": pd.array(["a", "b", "c", "d"], dtype="string"),
            "area": [Decimal("60.25"), 70, "80.5", "90"],
            "owner": ["p", None, float("nan"), "p"],
            "building": pd.array(["1", pd.NA, "2", "2"], dtype="string"),
        }
    )
    ballots = pd.DataFrame({"unit": ["a", "b", "c"], "choice": ["agree", "agree", "against"], "authorization": [None, float("nan"), None]})
    got = yeweihui.tally(units, ballots, matter="other_major", decided_on="2026-04-30").to_dict()
    wire_units = [
        {"id": "a", "area": "60.25", "owner": "p", "building": "1"},
        {"id": "b", "area": "70"},
        {"id": "c", "area": "80.5", "building": "2"},
        {"id": "d", "area": "90", "owner": "p", "building": "2"},
    ]
    wire_ballots = [{"unit": "a", "choice": "agree"}, {"unit": "b", "choice": "agree"}, {"unit": "c", "choice": "against"}]
    want = yeweihui.run("tally", {"rulebook": "cn-national", "matter": "other_major", "decided_on": "2026-04-30", "register": wire_units, "ballots": wire_ballots})
    assert got == want
    assert got["base"] == {"units": 4, "owners": 3, "area": "300.75"}
    with pytest.raises(yeweihui.InputError, match="'unit': row 1 is empty"):
        yeweihui.tally(units, pd.DataFrame({"unit": ["a", None], "choice": ["agree", "agree"]}), matter="other_major", decided_on="2026-04-30")
    with pytest.raises(yeweihui.InputError, match="invalid_area|float"):
        yeweihui.tally(pd.DataFrame({"id": ["a"], "area": [60.5]}), ballots.iloc[:0], matter="other_major", decided_on="2026-04-30")


def test_the_examples_in_the_package_docs_run() -> None:
    result = doctest.testmod(yeweihui)
    assert result.failed == 0 and result.attempted >= 6, result


def test_the_package_readme_is_the_project_readme() -> None:
    root = Path(__file__).resolve().parents[2]
    assert (root / "bindings-python" / "README.md").read_text(encoding="utf-8") == (root / "README.md").read_text(encoding="utf-8")


def test_rows_become_columns_whatever_keys_each_row_has() -> None:
    from collections import OrderedDict

    from yeweihui._convert import columns

    names = ("id", "area", "building", "owner", "status")
    rows: list[Any] = [{"id": "a", "area": "1"}, {"area": "2", "id": "b", "owner": "p"}, {"id": "c", "area": "3"}, {"owner": "q", "id": "d", "area": 4}]
    assert columns(rows, names, ("id", "area"), "register") == {
        "id": ["a", "b", "c", "d"],
        "area": ["1", "2", "3", 4],
        "owner": [None, "p", None, "q"],
    }
    # mappings that are not dicts are read as dicts; tuples of rows as lists
    assert columns((OrderedDict(id="a", area="1"),), names, ("id", "area"), "register") == {"id": ["a"], "area": ["1"]}
    # key objects equal by value but not the same object are one column
    assert columns([{"".join(["i", "d"]): "a", "area": "1"}, {"id": "b", "area": "2"}], names, ("id",), "register")["id"] == ["a", "b"]
    with pytest.raises(yeweihui.InputError, match=r"unknown columns \['1', 'colour'\]"):
        columns([{"id": "a", "area": "1", "colour": "red"}, {"id": "b", "area": "1", 1: "x"}], names, ("id",), "register")
    with pytest.raises(yeweihui.InputError, match=r"register\[1\]: expected a dict, got list"):
        columns([{"id": "a", "area": "1"}, ["b", "1"]], names, ("id",), "register")
    with pytest.raises(yeweihui.InputError, match=r"missing columns \['area'\]"):
        columns([{"id": "a"}], names, ("id", "area"), "register")
    assert columns([], names, ("id", "area"), "register") == {"id": [], "area": []}


def test_plain_rows_are_read_in_place_as_their_columns_are() -> None:
    from collections import OrderedDict

    from yeweihui import _native
    from yeweihui._convert import columns, dumps

    spec = dumps({"rulebook": "cn-national", "matter": "other_major", "decided_on": "2026-04-30"})
    unit_names, ballot_names = yeweihui._UNIT_COLUMNS, yeweihui._BALLOT_COLUMNS

    def tally(units: Any, ballots: Any) -> tuple[Any, Any]:
        in_place = _native.tally_columns(spec, (units, ["id", "area"]), (ballots, ["unit", "choice"]))
        as_columns = _native.tally_columns(spec, columns(units, unit_names, ("id", "area"), "register"), columns(ballots, ballot_names, ("unit", "choice"), "ballots"))
        return in_place, as_columns

    # keys in any order, absent or None, fresh key objects equal by value, cells to convert
    units: list[Any] = [
        {"id": "a", "area": "60", "owner": "p"},
        {"area": Decimal("40"), "id": "b"},
        {"id": "c", "area": "1.5", "owner": None, "building": "2"},
        {"owner": "p", "".join(["i", "d"]): "d", "".join(["ar", "ea"]): 2},
    ]
    ballots: list[Any] = [{"unit": "a", "choice": "agree"}, {"choice": "against", "unit": "b", "channel": None}, {"unit": "d", "choice": "agree", "cast_at": float("nan")}]
    in_place, as_columns = tally(units, ballots)
    assert in_place is not None and in_place == as_columns
    assert json.loads(in_place)["base"] == {"units": 4, "owners": 3, "area": "103.5"}
    # rows that are not plain come back as None, for the Python layer to convert or name
    not_plain: list[list[Any]] = [
        [OrderedDict(id="a", area="1")],
        [{"id": "a", "area": "1"}, ["b", "1"]],
        [{"id": "a", "area": "1", "colour": "red"}],
        [{"id": "a", "area": "1", 1: "x"}],
        [{np.str_("id"): "a", "area": "1"}],
        [{"id": "a"}],
        [],
        # a cell to convert does not hide a later row that is not plain
        [{"id": "a", "area": Decimal("1")}, {"id": "b", "area": "1", 1: "x"}],
    ]
    for rows in not_plain:
        assert _native.tally_columns(spec, (rows, ["id", "area"]), (ballots, ["unit", "choice"])) is None, rows
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    want = yeweihui.tally([{"id": "a", "area": "1"}], [{"unit": "a", "choice": "agree"}], **args).to_json()
    assert yeweihui.tally([OrderedDict(id="a", area="1")], [OrderedDict(unit="a", choice="agree")], **args).to_json() == want
    assert yeweihui.tally([{np.str_("id"): "a", "area": "1"}], [{"unit": "a", "choice": "agree"}], **args).to_json() == want
    with pytest.raises(yeweihui.InputError, match=r"unknown columns \['colour'\]"):
        yeweihui.tally(not_plain[2], ballots, **args)
    with pytest.raises(yeweihui.InputError, match=r"missing columns \['area'\]"):
        yeweihui.tally(not_plain[5], ballots, **args)
    # a row without a needed cell is named by its column and row
    with pytest.raises(yeweihui.InputError, match="register column 'area': row 1 is empty"):
        yeweihui.tally([{"id": "a", "area": "1"}, {"id": "b"}], ballots, **args)
    # a batch reads rows as a single tally does
    votes = [{"id": "v", "matter": "other_major", "decided_on": "2026-04-30"}]
    batch = [dict(b, vote="v") for b in ballots]
    frame = yeweihui.tally_many(pd.DataFrame(units), pd.DataFrame(batch), votes, as_frame=False)
    assert yeweihui.tally_many(units, batch, votes, as_frame=False) == frame
    assert frame[0]["passed"] == json.loads(in_place)["passed"]


def test_rows_give_what_the_same_table_as_columns_gives() -> None:
    """Random tables (seeded): keys in any order or absent, cells of every
    kind (text, None, NaN, floats, ints, Decimals, a lone surrogate). Read as
    rows, each gives the outcome, or the error, of the same cells as columns."""
    import random

    rng = random.Random(20261201)
    unit_ids = ["1-101", "1-102", "2-101", "2-102", "3-101", "甲-1"]
    cells: dict[str, list[Any]] = {
        "id": unit_ids + [1, None, "\ud800"],
        "area": ["60", "40.5", "100.25", Decimal("50"), 70, None, float("nan"), 12.5, "-1"],
        "building": ["1", "2", None, float("nan"), 3],
        "owner": ["p", "q", "r", None, float("nan"), 7],
        "status": ["owned", "developer_unsold", None, "sold?"],
        "unit": unit_ids + ["9-999", None, 2],
        "choice": ["agree", "against", "abstain", "agree", None, "maybe"],
        "channel": ["online", "paper", "proxy", None, float("nan")],
        "cast_at": ["2026-04-10T10:00:00+08:00", "2026-04-11T09:30:00Z", None, float("nan"), "yesterday"],
        "authorization": ["POA-1", None, float("nan")],
    }
    # mostly cells in wire form, so that most tables get as far as a tally
    plain = {name: [c for c in given if isinstance(c, str) and c not in ("\ud800", "sold?", "maybe", "yesterday", "-1")] for name, given in cells.items()}
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}

    def table(names: list[str], required: list[str], n: int) -> list[dict[str, Any]]:
        rows = []
        for _ in range(n):
            row = {name: rng.choice(cells[name] if rng.random() < 0.05 else plain[name] or cells[name]) for name in names if rng.random() < (0.97 if name in required else 0.7)}
            items = list(row.items())
            rng.shuffle(items)
            rows.append(dict(items))
        # a required column missing from every row is refused before any cell is read
        for name in required:
            if rows and not any(name in row for row in rows):
                rows[0][name] = rng.choice(plain[name])
        return rows

    def outcome(units: Any, ballots: Any) -> tuple[str, str]:
        try:
            return ("ok", yeweihui.tally(units, ballots, **args).to_json())
        except yeweihui.YeweihuiError as e:
            return (e.code, str(e))

    def as_columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        names = [name for name in cells if any(name in row for row in rows)]
        return {name: [row.get(name) for row in rows] for name in names}

    tallied = 0
    for _ in range(300):
        units = table(["id", "area", "building", "owner", "status"], ["id", "area"], rng.randint(1, 6))
        ballots = table(["unit", "choice", "channel", "cast_at", "authorization"], ["unit", "choice"], rng.randint(0, 6))
        got = outcome(units, ballots)
        assert got == outcome(as_columns(units), as_columns(ballots) if ballots else {"unit": [], "choice": []}), (units, ballots)
        tallied += got[0] == "ok"
    assert tallied > 50  # not only errors


@pytest.mark.parametrize("n", [200, 2500])  # 2,500: the register is built on a second thread
def test_rows_are_read_again_after_python_code_converts_a_cell(n: int) -> None:
    """Converting a cell runs Python code, which may change the other table:
    cells read in place before it are not used after it."""
    units: list[dict[str, Any]] = [{"id": f"u{i}", "area": "1", "owner": f"p{i}"} for i in range(n)]

    class Renames:  # a time whose conversion renames every unit
        def isoformat(self) -> str:
            for i, unit in enumerate(units):
                unit["id"] = "".join(["v", str(i)])
            return "2026-04-10T00:00:00+08:00"

    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    ballots = [{"unit": "v1", "choice": "agree", "cast_at": Renames()}]
    outcome = yeweihui.tally(units, ballots, **args)
    assert outcome.ballots.counted == 1 and not outcome.rejected  # v1 is in the register as read after

    class Empties:
        def isoformat(self) -> str:
            units.clear()
            return "2026-04-10T00:00:00+08:00"

    with pytest.raises(yeweihui.ScopeError):
        yeweihui.tally(units, [{"unit": "v1", "choice": "agree", "cast_at": Empties()}], **args)


def test_a_large_register_of_rows_built_while_the_ballots_are_read_gives_what_columns_give() -> None:
    """From 2,000 rows the register is built on a second thread while the
    ballots are read: the outcome, and each error, are those of columns
    (read in place, converted, or Arrow text)."""
    n = 2500
    units = [{"id": f"{i // 100}-{i % 100}", "building": str(i // 100), "area": f"{50 + i % 70}.{i % 100:02d}", "owner": f"p{i % 2300}"} for i in range(n)]
    ballots = [{"unit": f"{i // 100}-{i % 100}", "choice": ("agree", "against", "abstain")[i % 3], "cast_at": f"2026-04-{1 + i % 28:02d}T10:00:00+08:00"} for i in range(0, n, 2)]
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30", "voting": {"opens_at": "2026-04-03T00:00:00+08:00"}}

    def both(units: list[dict[str, Any]], ballots: list[dict[str, Any]]) -> tuple[str, str]:
        def outcome(u: Any, b: Any) -> str:
            try:
                return yeweihui.tally(u, b, **args).to_json()
            except yeweihui.YeweihuiError as e:
                return f"{e.code}: {e}"

        as_columns = {k: [r.get(k) for r in units] for k in units[0]}, {k: [r.get(k) for r in ballots] for k in ballots[0]}
        columns = outcome(*as_columns)
        # areas that Python code converts, and Arrow text
        converted = outcome(dict(as_columns[0], area=[Decimal(str(a)) for a in as_columns[0]["area"]]), as_columns[1])
        assert converted == columns
        arrow = pd.StringDtype("pyarrow", na_value=float("nan"))
        assert outcome(pd.DataFrame(units).astype(arrow), pd.DataFrame(ballots).astype(arrow)) == columns
        return outcome(units, ballots), columns

    rows, columns = both(units, ballots)
    assert rows == columns and json.loads(rows)["ballots"]["rejected"] > 0
    # the ballots' own error (a vote column in a single tally), the register read meanwhile
    rows, columns = both(units, [dict(b, vote="v") for b in ballots])
    assert rows == columns and rows.startswith("invalid_input") and "ballots.vote" in rows
    # the register's error, found on the other thread
    repeated = units[:2400] + [dict(units[7])] + units[2401:]
    rows, columns = both(repeated, ballots)
    assert rows == columns and rows.startswith("duplicate_unit")


def test_arrow_text_crosses_as_its_buffers_and_gives_the_outcome_of_python_text() -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    from yeweihui._convert import column

    units = pd.DataFrame(
        {
            "id": ["甲-1", "甲-2", "3", "4"],
            "area": ["60", "40", "1.5", "2"],
            "owner": ["王", None, "李", "王"],
        }
    )
    ballots = pd.DataFrame({"unit": ["甲-1", "3", "甲-2"], "choice": ["agree", "against", "agree"], "channel": [None, "paper", None]})
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    want = yeweihui.tally(units.astype(object), ballots.astype(object), **args).to_json()
    for storage in (pd.StringDtype("pyarrow", na_value=float("nan")), pd.ArrowDtype(pa.string()), pd.ArrowDtype(pa.string_view())):
        u, b = units.astype(storage), ballots.astype(storage)
        assert isinstance(column(u["id"]), tuple), storage  # crosses as buffers
        assert yeweihui.tally(u, b, **args).to_json() == want, storage
        # a slice of a frame, and a column of several chunks
        assert yeweihui.tally(u.iloc[1:], b.iloc[1:], **args).to_json() == yeweihui.tally(units.iloc[1:].astype(object), ballots.iloc[1:].astype(object), **args).to_json()
    chunked = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([["甲-1", "甲-2"], ["3", "4"]])))
    data, offsets, nulls = column(chunked)
    assert data == "甲-1甲-234".encode() and nulls is None and len(offsets) == 8 * 5
    # a missing cell where every cell is needed is named by its column and row
    missing = units.astype(pd.StringDtype("pyarrow", na_value=float("nan")))
    missing.loc[2, "area"] = None
    with pytest.raises(yeweihui.InputError, match="'area': row 2 is empty"):
        yeweihui.tally(missing, ballots, **args)


def test_object_columns_read_in_place_as_lists_are() -> None:
    units = pd.DataFrame({"id": ["a", "b", "c", "d"], "area": ["60", Decimal("40"), "1.5", 2], "owner": ["p", None, float("nan"), "p"]}, dtype=object)
    ballots = pd.DataFrame({"unit": ["a", "b", "d"], "choice": ["agree", "against", "agree"]}, dtype=object)
    args: dict[str, Any] = {"matter": "other_major", "decided_on": "2026-04-30"}
    want = yeweihui.tally(units.to_dict("records"), ballots.to_dict("records"), **args).to_json()
    assert yeweihui.tally(units, ballots, **args).to_json() == want
    # a strided view, and no rows at all
    assert yeweihui.tally(units.iloc[::2], ballots.iloc[::2], **args).to_json() == yeweihui.tally(
        units.iloc[::2].to_dict("records"), ballots.iloc[::2].to_dict("records"), **args
    ).to_json()
    with pytest.raises(yeweihui.ScopeError):
        yeweihui.tally(units.iloc[:0], ballots.iloc[:0], **args)
