"""Typed views of the engine's outputs. They only re-shape what the Rust core
computed (areas become ``decimal.Decimal``, ratios ``fractions.Fraction``);
``to_dict()`` gives back the exact wire output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal, Optional, Union

from . import _native

Quantity = Union[Decimal, int]


@dataclass(frozen=True)
class Threshold:
    """A legal threshold: ``at_least`` (以上, inclusive) or ``more_than`` (超过/过半数, exclusive) a ratio."""

    comparator: Literal["at_least", "more_than"]
    ratio: Fraction

    def __str__(self) -> str:
        return f"{self.comparator} {self.ratio}"


@dataclass(frozen=True)
class Check:
    """One check of a tally: measured against base, the threshold, and what was missing."""

    met: bool
    measured: Quantity
    base: Quantity
    required: Threshold
    shortfall: Quantity
    reachable: bool
    citation: str
    citation_en: str


@dataclass(frozen=True)
class Counts:
    """Units, owners (headcount) and area."""

    units: int
    owners: int
    area: Decimal


@dataclass(frozen=True)
class Votes:
    """Counted votes by choice."""

    agree: Counts
    against: Counts
    abstain: Counts


@dataclass(frozen=True)
class BallotSummary:
    """How the ballots were accounted for: received = counted + superseded + rejected."""

    received: int
    counted: int
    superseded: int
    rejected: int


@dataclass(frozen=True)
class Rejection:
    """A rejected ballot: its input position, unit and reason code."""

    index: int
    unit: str
    code: str


@dataclass(frozen=True)
class Supersession:
    """A superseded ballot and the ballot that stands instead."""

    index: int
    unit: str
    by: int


@dataclass(frozen=True)
class Law:
    """The law applied: rulebook, version, governing law and every layer."""

    rulebook: str
    version: str
    citation: str
    citation_en: str
    layers: list[tuple[str, str]]


def _counts(d: dict[str, Any]) -> Counts:
    return Counts(units=d["units"], owners=d["owners"], area=Decimal(d["area"]))


def _threshold(d: dict[str, str]) -> Threshold:
    ((comparator, ratio),) = d.items()
    if comparator not in ("at_least", "more_than"):
        raise ValueError(f"unknown comparator {comparator!r}")
    return Threshold("at_least" if comparator == "at_least" else "more_than", Fraction(ratio))


def _quantity(v: Any) -> Quantity:
    return Decimal(v) if isinstance(v, str) else int(v)


def _check(d: dict[str, Any]) -> Check:
    return Check(
        met=d["met"],
        measured=_quantity(d["measured"]),
        base=_quantity(d["base"]),
        required=_threshold(d["required"]),
        shortfall=_quantity(d["shortfall"]),
        reachable=d["reachable"],
        citation=d["citation"],
        citation_en=d["citation_en"],
    )


class Outcome:
    """The result of a tally: whether it passed, each check, the votes, and every ballot's fate."""

    passed: bool
    matter: str
    decided_on: date
    law: Law
    base: Counts
    participation: Counts
    votes: Votes
    checks: dict[str, Check]
    ballots: BallotSummary

    def __init__(self, wire: dict[str, Any]) -> None:
        """An outcome from the wire output as a dict (see :meth:`from_json` for its text)."""
        self._text: Optional[str] = None
        self.__dict__["_wire"] = wire
        self._read(wire)

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        """An outcome from the wire output as JSON text, kept as given. Only the
        summary is parsed here; the per-ballot ``rejected`` and ``superseded``
        lists (most of the text for a large estate) are parsed on first use."""
        outcome = cls.__new__(cls)
        outcome._text = text
        # The lists are the last two members. A string in JSON text never holds
        # an unescaped quote, so this can only match the key itself.
        split = text.rfind(',"rejected":[')
        outcome._read(json.loads(text[:split] + "}") if split > 0 else outcome._wire)
        return outcome

    def _read(self, wire: dict[str, Any]) -> None:
        self.passed = wire["passed"]
        self.matter = wire["matter"]
        self.decided_on = date.fromisoformat(wire["decided_on"])
        law = wire["law"]
        self.law = Law(
            rulebook=law["rulebook"],
            version=law["version"],
            citation=law["citation"],
            citation_en=law["citation_en"],
            layers=[(layer["rulebook"], layer["version"]) for layer in law["layers"]],
        )
        self.base = _counts(wire["base"])
        self.participation = _counts(wire["participation"])
        v = wire["votes"]
        self.votes = Votes(agree=_counts(v["agree"]), against=_counts(v["against"]), abstain=_counts(v["abstain"]))
        self.checks = {name: _check(c) for name, c in wire["checks"].items()}
        b = wire["ballots"]
        self.ballots = BallotSummary(b["received"], b["counted"], b["superseded"], b["rejected"])

    @cached_property
    def _wire(self) -> dict[str, Any]:
        """The whole wire output, parsed from the text on first use."""
        return json.loads(self._text or "{}")  # type: ignore[no-any-return]

    @cached_property
    def rejected(self) -> list[Rejection]:
        """Each rejected ballot (row index, unit, reason code); built on first use."""
        return [Rejection(r["index"], r["unit"], r["code"]) for r in self._wire["rejected"]]

    @cached_property
    def superseded(self) -> list[Supersession]:
        """Each superseded ballot (row index, unit, superseding row); built on first use."""
        return [Supersession(s["index"], s["unit"], s["by"]) for s in self._wire["superseded"]]

    def to_dict(self) -> dict[str, Any]:
        """The wire output, exactly as Rust and JavaScript give it (decimals as strings)."""
        return json.loads(self.to_json())  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """The wire output as compact JSON text: the native text itself when the
        outcome came from the engine, so byte for byte what Rust and JavaScript give."""
        if self._text is not None:
            return self._text
        return json.dumps(self._wire, ensure_ascii=False, separators=(",", ":"))

    def explain(self, lang: Literal["zh", "en"] = "zh") -> str:
        """The explanation: verdict, law, each check with its figures and citation, rejected ballots."""
        out = json.loads(_native.run("explain", f'{{"outcome":{self.to_json()},"lang":{json.dumps(lang)}}}'))
        return str(out["text"])

    def __repr__(self) -> str:
        failed = [name for name, c in self.checks.items() if not c.met]
        return (
            f"<Outcome {'PASSED' if self.passed else 'NOT PASSED'} {self.matter} on {self.decided_on.isoformat()}"
            f" ({self.law.version}): {self.participation.owners}/{self.base.owners} owners,"
            f" {self.participation.area}/{self.base.area} m² took part"
            + (f"; failed: {', '.join(failed)}" if failed else "")
            + f"; ballots {self.ballots.counted} counted, {self.ballots.superseded} superseded, {self.ballots.rejected} rejected>"
        )


@dataclass(frozen=True)
class Deadline:
    """The end of a legal period (民法典 Arts. 201-203): ``due`` is the last day."""

    start: date
    nominal_end: date
    due: date
    skipped: list[tuple[date, Optional[str]]]
    citation: str
    citation_en: str
    explanation_zh: str
    explanation_en: str

    @classmethod
    def from_wire(cls, d: dict[str, Any]) -> Deadline:
        return cls(
            start=date.fromisoformat(d["start"]),
            nominal_end=date.fromisoformat(d["nominal_end"]),
            due=date.fromisoformat(d["due"]),
            skipped=[(date.fromisoformat(s["date"]), s["holiday"]["zh"] if s["holiday"] else None) for s in d["skipped"]],
            citation=d["citation"],
            citation_en=d["citation_en"],
            explanation_zh=d["explanation"]["zh"],
            explanation_en=d["explanation"]["en"],
        )
