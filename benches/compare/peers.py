"""What an analyst would write instead of using yeweihui: the same four checks
of a 民法典 Art. 278 vote (participation by area and by owners, approval by
area and by owners, for a matter of item 5: at least 2/3 take part, more than
1/2 of them agree), with the same ballot rules as the library on the
benchmark data:

- a ballot for a unit not in the register, a proxy without written
  authorization, a ballot outside the voting window, or an unknown choice is
  rejected;
- of several admitted ballots for one unit the latest stands (ties: the later
  in the file);
- an owner counts once (区分所有权解释 Art. 9): all units of one named owner
  are one person, the developer's unsold or undelivered units are one person;
  an owner whose standing ballots disagree is rejected whole;
- abstaining owners take part.

Each returns ``Checks``: measured values (areas as exact ``Fraction``) and
whether each check is met. ``bench.py`` verifies them against the library
before timing anything.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

OPENS = datetime.fromisoformat("2026-04-01T00:00:00+08:00")
CLOSES = datetime.fromisoformat("2026-04-30T23:59:59+08:00")
CHOICES = ("agree", "against", "abstain")
DEVELOPER = ("developer_unsold", "undelivered")


@dataclass(frozen=True)
class Checks:
    participation_area: Fraction
    participation_owners: int
    agree_area: Fraction
    agree_owners: int
    total_area: Fraction
    total_owners: int

    def met(self) -> tuple[bool, bool, bool, bool]:
        return (
            3 * self.participation_area >= 2 * self.total_area,
            3 * self.participation_owners >= 2 * self.total_owners,
            2 * self.agree_area > self.participation_area,
            2 * self.agree_owners > self.participation_owners,
        )


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- pure Python with fractions.Fraction -------------------------------------


def pure(units: list[dict[str, str]], ballots: list[dict[str, str]]) -> Checks:
    area: dict[str, Fraction] = {}
    owner: dict[str, str] = {}
    for u in units:
        area[u["id"]] = Fraction(u["area"])
        owner[u["id"]] = "\x00developer" if u["status"] in DEVELOPER else (u["owner"] or "\x00unit " + u["id"])
    standing: dict[str, tuple[datetime, str]] = {}
    for b in ballots:
        unit = b["unit"]
        if unit not in area or b["choice"] not in CHOICES:
            continue
        if b["channel"] == "proxy" and not b["authorization"]:
            continue
        cast = datetime.fromisoformat(b["cast_at"])
        if cast < OPENS or cast > CLOSES:
            continue
        prev = standing.get(unit)
        if prev is None or cast >= prev[0]:
            standing[unit] = (cast, b["choice"])
    minds: dict[str, str] = {}
    for unit, (_, choice) in standing.items():
        o = owner[unit]
        minds[o] = choice if minds.get(o, choice) == choice else "\x00conflict"
    part_area = agree_area = Fraction(0)
    for unit, (_, choice) in standing.items():
        if minds[owner[unit]] != "\x00conflict":
            part_area += area[unit]
            if choice == "agree":
                agree_area += area[unit]
    counted = [m for m in minds.values() if m != "\x00conflict"]
    return Checks(
        part_area,
        len(counted),
        agree_area,
        sum(1 for m in counted if m == "agree"),
        sum(area.values(), Fraction(0)),
        len(set(owner.values())),
    )


# --- pandas ------------------------------------------------------------------


def _ten_thousandths(texts: Any) -> Any:
    """Exact areas as integer ten-thousandths of m² (the register has at most 4 decimals)."""
    parts = texts.str.split(".", n=1, expand=True)
    frac = parts[1].fillna("").str.ljust(4, "0") if parts.shape[1] > 1 else "0000"
    return parts[0].astype("int64") * 10_000 + (frac.astype("int64") if not isinstance(frac, str) else 0)


def pandas_peer(units: Any, ballots: Any) -> Checks:
    import pandas as pd

    u = pd.DataFrame(
        {
            "unit": units["id"],
            "area": _ten_thousandths(units["area"]),
            "owner": units["owner"].where(~units["status"].isin(DEVELOPER), "\x00developer").fillna("\x00unit " + units["id"]),
        }
    )
    b = ballots.copy()
    b["cast"] = pd.to_datetime(b["cast_at"], format="ISO8601", utc=True)
    ok = b["unit"].isin(u["unit"]) & b["choice"].isin(CHOICES)
    ok &= ~((b["channel"] == "proxy") & b["authorization"].isna())
    ok &= (b["cast"] >= pd.Timestamp(OPENS)) & (b["cast"] <= pd.Timestamp(CLOSES))
    b = b[ok]
    b = b.assign(order=range(len(b))).sort_values(["unit", "cast", "order"]).drop_duplicates("unit", keep="last")
    b = b.merge(u, on="unit")
    minds = b.groupby("owner")["choice"].agg(["nunique", "first"])
    good = minds[minds["nunique"] == 1]
    b = b[b["owner"].isin(good.index)]
    agree = b["choice"] == "agree"
    return Checks(
        Fraction(int(b["area"].sum()), 10_000),
        len(good),
        Fraction(int(b.loc[agree, "area"].sum()), 10_000),
        int((good["first"] == "agree").sum()),
        Fraction(int(u["area"].sum()), 10_000),
        u["owner"].nunique(),
    )


# --- polars ------------------------------------------------------------------


def polars_peer(units: Any, ballots: Any) -> Checks:
    import polars as pl

    parts = pl.col("area").str.split_exact(".", 1)
    u = units.select(
        pl.col("id").alias("unit"),
        (
            parts.struct.field("field_0").cast(pl.Int64) * 10_000
            + parts.struct.field("field_1").fill_null("").str.pad_end(4, "0").cast(pl.Int64)
        ).alias("area"),
        pl.when(pl.col("status").is_in(DEVELOPER))
        .then(pl.lit("\x00developer"))
        .otherwise(pl.coalesce(pl.col("owner"), pl.lit("\x00unit ") + pl.col("id")))
        .alias("owner"),
    )
    b = (
        ballots.with_row_index("order")
        .with_columns(pl.col("cast_at").str.to_datetime(format="%Y-%m-%dT%H:%M:%S%:z", time_zone="UTC").alias("cast"))
        .filter(
            pl.col("unit").is_in(u["unit"].implode())
            & pl.col("choice").is_in(CHOICES)
            & ~((pl.col("channel") == "proxy") & pl.col("authorization").is_null())
            & pl.col("cast").is_between(pl.lit(OPENS).dt.convert_time_zone("UTC"), pl.lit(CLOSES).dt.convert_time_zone("UTC"))
        )
        .sort(["unit", "cast", "order"])
        .unique(subset="unit", keep="last", maintain_order=True)
        .join(u, on="unit")
    )
    minds = b.group_by("owner").agg(pl.col("choice").n_unique().alias("n"), pl.col("choice").first().alias("first")).filter(pl.col("n") == 1)
    b = b.filter(pl.col("owner").is_in(minds["owner"].implode()))
    return Checks(
        Fraction(int(b["area"].sum()), 10_000),
        minds.height,
        Fraction(int(b.filter(pl.col("choice") == "agree")["area"].sum()), 10_000),
        minds.filter(pl.col("first") == "agree").height,
        Fraction(int(u["area"].sum()), 10_000),
        u["owner"].n_unique(),
    )
