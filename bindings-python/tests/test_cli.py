"""The command-line tool: tables, explanations, exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from yeweihui._cli import main

from .conftest import DATA

BASE = ["tally", "--register", str(DATA / "units.csv"), "--ballots", str(DATA / "ballots.csv"), "--decided-on", "2026-04-30"]


def test_passed_vote_exits_0_with_table_and_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE + ["--matter", "hire_or_dismiss_manager"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["检查", "实测", "基数", "要求", "结果", "差额"]
    assert "participation.area" in out and "结论：通过" in out


def test_failed_vote_exits_1_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE + ["--matter", "rebuild", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Result: NOT PASSED" in out and "at_least 3/4" in out and "needs" in out


def test_json_output_is_the_wire_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE + ["--matter", "use_maintenance_fund", "--scope-building", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scope"] == {"buildings": ["3"]} and out["base"]["units"] == 72


def test_window_options_reject_ballots(capsys: pytest.CaptureFixture[str]) -> None:
    args = BASE + ["--matter", "hire_or_dismiss_manager", "--opens-at", "2026-04-01T00:00:00+08:00", "--closes-at", "2026-04-30T23:59:59+08:00", "--json"]
    assert main(args) == 0
    codes = {r["code"] for r in json.loads(capsys.readouterr().out)["rejected"]}
    assert {"before_open", "after_close"} <= codes


def test_invalid_input_exits_2_naming_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("id,area\n1-101,-5\n", encoding="utf-8")
    args = ["tally", "--register", str(bad), "--ballots", str(DATA / "ballots.csv"), "--decided-on", "2026-04-30", "--matter", "rebuild"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "[invalid_area]" in err and "1-101" in err


def test_standard_input_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE + ["--matter", "use_maintenance_fund", "--json"]) == 0
    by_path = capsys.readouterr().out
    for flag, table in (("--ballots", DATA / "ballots.csv"), ("--register", DATA / "units.csv")):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(table.read_bytes())))
        args = BASE.copy()
        args[args.index(flag) + 1] = "-"
        assert main(args + ["--matter", "use_maintenance_fund", "--json"]) == 0
        assert capsys.readouterr().out == by_path
    assert main(["tally", "--register", "-", "--ballots", "-", "--decided-on", "2026-04-30", "--matter", "rebuild"]) == 2
    assert "[invalid_input]" in capsys.readouterr().err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", "--register", "nope.csv", "--ballots", "nope.csv", "--decided-on", "2026-04-30", "--matter", "rebuild"]) == 2
    assert "[io]" in capsys.readouterr().err


def test_excel_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = pd.read_csv(DATA / "units.csv", dtype=str)
    ballots = pd.read_csv(DATA / "ballots.csv", dtype=str)
    units.to_excel(tmp_path / "units.xlsx", index=False)
    ballots.to_excel(tmp_path / "ballots.xlsx", index=False)
    args = ["tally", "--register", str(tmp_path / "units.xlsx"), "--ballots", str(tmp_path / "ballots.xlsx"), "--decided-on", "2026-04-30", "--matter", "hire_or_dismiss_manager", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["base"]["units"] == 332


def test_installed_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("yeweihui")
    r = subprocess.run([str(exe), "tally", "--help"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "--register" in r.stdout
    r = subprocess.run([sys.executable, "-m", "yeweihui", "tally"], capture_output=True, text=True, check=False)
    assert r.returncode == 2 and "required" in r.stderr


def test_rules_listing_of_the_sample_estate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--rulebook", str(DATA / "cuihu-rules.toml"), "--on", "2026-05-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "cn-national (civil-code-2021) → cuihu-rules (2024)" in out
    line = next(x for x in out.splitlines() if x.startswith("committee.size"))
    assert "7 to 9 members" in line and "[cuihu-rules]" in line and "Cuihu Garden assembly rules Art. 20" in line


def test_rules_of_a_city_preset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--rulebook", "cn-shanghai", "--on", "2026-05-01"]) == 0
    out = capsys.readouterr().out
    assert "cn-national (civil-code-2021) → cn-shanghai (amended-2020)" in out
    line = next(x for x in out.splitlines() if x.startswith("committee.term_years"))
    # in Chinese by default: what the rule says, and its citation
    assert "每届任期 3 至 5 年" in line and "[cn-shanghai]" in line and "上海市住宅物业管理规定 第二十条第一款" in line


def test_tally_with_a_toml_rulebook(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BASE + ["--matter", "rebuild", "--rulebook", str(DATA / "cuihu-rules.toml"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["checks"]["approval.owners"]["required"] == {"at_least": "4/5"}


def test_malformed_rulebook_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n[[versions]]\nid = \n', encoding="utf-8")
    assert main(["rules", "--rulebook", str(bad), "--on", "2026-05-01"]) == 2
    assert "[invalid_rulebook]" in capsys.readouterr().err


def test_output_piped_into_a_closed_reader_is_not_an_error() -> None:
    exe = Path(sys.executable).with_name("yeweihui")
    r = subprocess.run(f"'{exe}' rules --on 2026-05-01 | head -1", shell=True, capture_output=True, text=True, check=False)
    assert r.stdout.startswith("施行中的规则") and "Broken pipe" not in r.stderr
