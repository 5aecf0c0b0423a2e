"""The Python surface against the peers an analyst would use instead, on the
datasets of ``bench-data``. Every peer's four checks are first verified to
equal the library's on the same data; only then is anything timed. Prints
JSON lines: surface, case, size, median_ns, runs.

    python benches/compare/bench.py <data dir> [sizes...]
    python benches/compare/bench.py <data dir> --city     (the city batch, in its own process)
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from fractions import Fraction
from typing import Any, Callable

import pandas as pd
import polars as pl

import yeweihui
from peers import Checks, pandas_peer, polars_peer, pure, read_csv

VOTING = {"opens_at": "2026-04-01T00:00:00+08:00", "closes_at": "2026-04-30T23:59:59+08:00", "duplicates": "latest_wins"}


BUDGET_S = float(os.environ.get("BENCH_BUDGET_S", "2"))
CITY_RUNS = int(os.environ.get("BENCH_CITY_RUNS", "5"))


Case = tuple[str, str]  # surface, case


def interleaved(cases: dict[Case, Callable[[], Any]], budget: float = BUDGET_S) -> dict[Case, tuple[int, int]]:
    """The median time of each case, the cases timed in rounds (each once a
    round, at least five rounds, about `budget` seconds a case): a shared
    machine that speeds up or slows down during the run moves every case
    alike, so their ratios hold."""
    for fn in cases.values():
        fn()
    times: dict[Case, list[int]] = {case: [] for case in cases}
    started = time.perf_counter()
    rounds = 0
    while rounds < 5 or (time.perf_counter() - started < budget * len(cases) and rounds < 2000):
        for case, fn in cases.items():
            t = time.perf_counter_ns()
            fn()
            times[case].append(time.perf_counter_ns() - t)
        rounds += 1
    return {case: (sorted(t)[len(t) // 2], len(t)) for case, t in times.items()}


def emit(case: str, size: int, timing: tuple[int, int], surface: str = "python", **extra: Any) -> None:
    print(json.dumps({"surface": surface, "case": case, "size": size, "median_ns": timing[0], "runs": timing[1], **extra}), flush=True)


def library(units: Any, ballots: Any) -> yeweihui.Outcome:
    return yeweihui.tally(units, ballots, matter="use_maintenance_fund", decided_on="2026-04-30", voting=VOTING)


def as_checks(o: yeweihui.Outcome) -> Checks:
    c = o.checks
    return Checks(
        Fraction(c["participation.area"].measured),
        int(c["participation.owners"].measured),
        Fraction(c["approval.area"].measured),
        int(c["approval.owners"].measured),
        Fraction(o.base.area),
        o.base.owners,
    )


def verify(name: str, got: Checks, want: Checks, outcome: yeweihui.Outcome) -> None:
    met = tuple(outcome.checks[k].met for k in ("participation.area", "participation.owners", "approval.area", "approval.owners"))
    if got != want or got.met() != met:
        sys.exit(f"{name} disagrees with the library:\n  peer    {got} {got.met()}\n  library {want} {met}")


def frame(path: str, storage: str) -> pd.DataFrame:
    """A CSV as a DataFrame of text columns kept in `storage` ("python" or "pyarrow")."""
    dtype = pd.StringDtype(storage, na_value=float("nan"))
    return pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""])


def estate(dir: str, n: int) -> None:
    units_rows, ballot_rows = read_csv(f"{dir}/units-{n}.csv"), read_csv(f"{dir}/ballots-{n}.csv")
    # pandas 3 keeps text in Python objects, or in Arrow buffers when pyarrow
    # is installed (its default then): both, each for the library and the peer
    units_pd, ballots_pd = (frame(f"{dir}/{t}-{n}.csv", "python") for t in ("units", "ballots"))
    units_pa, ballots_pa = (frame(f"{dir}/{t}-{n}.csv", "pyarrow") for t in ("units", "ballots"))
    units_pl = pl.read_csv(f"{dir}/units-{n}.csv", infer_schema=False)
    ballots_pl = pl.read_csv(f"{dir}/ballots-{n}.csv", infer_schema=False)

    units_csv, ballots_csv = f"{dir}/units-{n}.csv", f"{dir}/ballots-{n}.csv"
    outcome = library(units_pd, ballots_pd)
    want = as_checks(outcome)
    verify("library from lists", as_checks(library(units_rows, ballot_rows)), want, outcome)
    verify("library from CSV files", as_checks(library(units_csv, ballots_csv)), want, outcome)
    verify("pure Python", pure(units_rows, ballot_rows), want, outcome)
    verify("pandas", pandas_peer(units_pd, ballots_pd), want, outcome)
    verify("library from pyarrow strings", as_checks(library(units_pa, ballots_pa)), want, outcome)
    verify("pandas on pyarrow strings", pandas_peer(units_pa, ballots_pa), want, outcome)
    verify("polars", polars_peer(units_pl, ballots_pl), want, outcome)

    timings = interleaved(
        {
            ("python", "tally_dataframe"): lambda: library(units_pd, ballots_pd),
            ("python", "tally_lists"): lambda: library(units_rows, ballot_rows),
            ("peer", "peer_pure_fraction"): lambda: pure(units_rows, ballot_rows),
            # both from the same CSV files: the files read and parsed each time
            ("python", "tally_files"): lambda: library(units_csv, ballots_csv),
            ("peer", "peer_pure_fraction_files"): lambda: pure(read_csv(units_csv), read_csv(ballots_csv)),
            ("peer", "peer_pandas"): lambda: pandas_peer(units_pd, ballots_pd),
            ("python", "tally_dataframe_pyarrow"): lambda: library(units_pa, ballots_pa),
            ("peer", "peer_pandas_pyarrow"): lambda: pandas_peer(units_pa, ballots_pa),
            ("peer", "peer_polars"): lambda: polars_peer(units_pl, ballots_pl),
        }
    )
    for (surface, case), timing in timings.items():
        emit(case, n, timing, surface=surface)


def city(dir: str) -> None:
    units, ballots = frame(f"{dir}/city-units.csv", "python"), frame(f"{dir}/city-ballots.csv", "python")
    votes = pd.read_csv(f"{dir}/city-votes.csv", dtype=str)
    votes = [
        {"id": v.id, "estate": v.estate, "matter": v.matter, "decided_on": v.decided_on, "voting": {"opens_at": v.opens_at, "closes_at": v.closes_at}}
        for v in votes.itertuples()
    ]
    input_bytes = int(units.memory_usage(deep=True).sum() + ballots.memory_usage(deep=True).sum())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # The first call in a fresh process also pays for first-touch page faults
    # (on a VM, the host's too): reported as `first_ns`, with its time in the
    # kernel as `first_system_ns`; the median is of CITY_RUNS calls, like
    # every other figure here.
    times, usage = [], [resource.getrusage(resource.RUSAGE_SELF)]
    for _ in range(CITY_RUNS):
        t = time.perf_counter_ns()
        rows = yeweihui.tally_many(units, ballots, votes)
        times.append(time.perf_counter_ns() - t)
        usage.append(resource.getrusage(resource.RUSAGE_SELF))
        assert len(rows) == len(votes), len(rows)
        del rows
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    emit(
        "tally_many_city",
        len(ballots),
        (sorted(times)[len(times) // 2], len(times)),
        first_ns=times[0],
        first_system_ns=round((usage[1].ru_stime - usage[0].ru_stime) * 1e9),
        votes=len(votes),
        units=len(units),
        input_bytes=input_bytes,
        peak_rss_bytes=peak,
        rss_before_bytes=rss_before,
    )


if __name__ == "__main__":
    data = sys.argv[1]
    if sys.argv[2:] == ["--city"]:
        city(data)
    else:
        for size in [int(a) for a in sys.argv[2:]] or [300, 2_000, 20_000, 100_000]:
            estate(data, size)
