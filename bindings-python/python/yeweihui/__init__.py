"""yeweihui (业委会): exact, cited rules for homeowners' assemblies (业主大会)
and owners' committees (业主委员会) in mainland China.

Every answer is computed by the Rust core; this package converts inputs
(lists of dicts, dicts of columns, pandas DataFrames, ``Decimal`` areas) and
outputs (typed :class:`Outcome`, DataFrames) and nothing else, so it gives the
same result, byte for byte, as the Rust crate and the npm package.

>>> import yeweihui
>>> units = [{"id": "1-101", "area": "89.5"}, {"id": "1-102", "area": "120"}, {"id": "1-201", "area": "95"}]
>>> ballots = [{"unit": "1-101", "choice": "agree"}, {"unit": "1-102", "choice": "agree"}]
>>> outcome = yeweihui.tally(units, ballots, matter="use_maintenance_fund", decided_on="2026-05-01")
>>> outcome.passed
True
>>> outcome.checks["participation.area"].measured
Decimal('209.5')
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Literal, Mapping, Optional, Protocol, Sequence, TypeGuard, Union

from . import _native
from ._convert import Table
from ._convert import columns as _columns
from ._convert import dumps as _dumps
from ._convert import native as _native_call
from ._convert import records as _records
from ._convert import rows_or_columns as _rows_or_columns
from ._convert import scalar as _scalar
from ._errors import CalendarError, InputError, RulebookError, ScopeError, YeweihuiError
from ._outcome import BallotSummary, Check, Counts, Deadline, Law, Outcome, Rejection, Supersession, Threshold, Votes

__version__: str = _native.__version__

#: A rulebook: a preset id (``"cn-national"``), a rulebook dict, or the path of a TOML or JSON rulebook file.
RulebookArg = Union[str, "os.PathLike[str]", Mapping[str, Any]]
#: A scope: ``{"buildings": [...]}``, ``{"units": [...]}`` or ``None`` for the whole estate.
ScopeArg = Optional[Mapping[str, Sequence[str]]]

_BALLOT_COLUMNS = ("vote", "unit", "choice", "channel", "cast_at", "authorization")
_UNIT_COLUMNS = ("estate", "id", "building", "area", "owner", "status")


def run(operation: str, input: Union[str, bytes, Mapping[str, Any]]) -> Any:
    """Runs a wire operation (see ``conformance/README.md``):
    a dict or JSON text in, a dict out. Raises :class:`YeweihuiError` with ``.code``."""
    if isinstance(input, bytes):
        try:
            text = input.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError("invalid_input", f"input: not UTF-8 ({e.reason} at byte {e.start})") from None
    elif isinstance(input, str):
        text = input
    else:
        text = _dumps(input)
    return json.loads(_native_call(_native.run, operation, text))


def _call(operation: str, wire: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """Adds the optional fields that are given, runs the operation, returns its output."""
    for key, value in optional.items():
        if value is None:
            continue
        wire[key] = {"years": [dict(y) for y in value]} if key == "calendar" else value if isinstance(value, int) else _scalar(value)
    result: dict[str, Any] = run(operation, wire)
    return result


def _rulebook(rulebook: RulebookArg) -> Any:
    if isinstance(rulebook, Mapping):
        return dict(rulebook)
    text = os.fspath(rulebook)
    if text.endswith((".json", ".toml")) or os.sep in text:
        return read_rulebook(text)
    return text


def read_rulebook(path: Union[str, "os.PathLike[str]"]) -> dict[str, Any]:
    """Reads and validates a rulebook file (TOML, or JSON by its ``.json`` suffix) with the
    core's parser: a malformed file is a :class:`RulebookError` naming the line and field."""
    name = os.fspath(path)
    text = _native.read_text(name, "rulebook")
    book: dict[str, Any] = run("parse_rulebook", {"format": "json" if name.endswith(".json") else "toml", "text": text})
    return book


def rules_in_force(on: Union[str, date], *, rulebook: RulebookArg = "cn-national") -> dict[str, Any]:
    """Every rule in force on a date through the rulebook chain (national law, local rules,
    the estate's own), each with the layer it comes from and its citation."""
    result: dict[str, Any] = run("rules_in_force", {"rulebook": _rulebook(rulebook), "on": _scalar(on)})
    return result


def _register(register: Table) -> dict[str, Any]:
    if isinstance(register, Mapping) and set(register) == {"units"}:
        return {"units": _records(register["units"], "register")}
    return {"units": _records(register, "register")}


def _motion(matter: str, decided_on: Union[str, date], scope: ScopeArg, voting: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"matter": matter, "decided_on": _scalar(decided_on)}
    if scope is not None:
        out["scope"] = {k: [_scalar(x) for x in v] for k, v in scope.items()}
    if voting is not None:
        out["voting"] = {k: _scalar(v) for k, v in voting.items()}
    return out


class Readable(Protocol):
    """An open file, or anything with ``read()`` giving its whole text
    (``str``) or its UTF-8 bytes: ``io.StringIO(text)``, ``io.BytesIO(data)``,
    an uploaded file."""

    def read(self) -> Union[str, bytes]: ...


#: A CSV file (``read_units_csv`` / ``read_ballots_csv`` formats): its path,
#: or the file open (see :class:`Readable`).
CsvSource = Union[str, "os.PathLike[str]", Readable]


def tally(
    register: Union[Table, CsvSource],
    ballots: Union[Table, CsvSource],
    *,
    matter: str,
    decided_on: Union[str, date],
    rulebook: RulebookArg = "cn-national",
    scope: ScopeArg = None,
    voting: Optional[Mapping[str, Any]] = None,
) -> Outcome:
    """Tallies one vote.

    ``register`` and ``ballots`` are lists of dicts, dicts of columns or pandas
    DataFrames with the wire column names (units: ``id, building, area, owner,
    status``; ballots: ``unit, choice, channel, cast_at, authorization``), or
    CSV files with those columns, by path or open (``io.StringIO(text)``, an
    upload: see :class:`Readable`): their text is parsed by the core in
    place, the fastest way to an outcome, with the GIL released.
    Areas are ``Decimal``, strings or ints; a float area is rejected
    (``invalid_area``) because it cannot carry a registry area exactly.
    Tables are read in place (lists of plain row dicts, lists, Arrow buffers,
    NumPy arrays of text), holding the GIL for the milliseconds a tally
    takes.
    """
    spec = {"rulebook": _rulebook(rulebook)}
    spec.update(_motion(matter, decided_on, scope, voting))
    if _is_csv(register) and _is_csv(ballots):
        files = _source(register, "units"), _source(ballots, "ballots")
        return Outcome.from_json(_native_call(_native.tally_csv, _dumps(spec), *files))
    if _is_csv(register):
        register = read_units_csv(register)
    if _is_csv(ballots):
        ballots = read_ballots_csv(ballots)
    return Outcome.from_json(_columnar(_native.tally_columns, _dumps(spec), register, ballots, ("unit", "choice")))


def _columnar(
    fn: Callable[[str, Any, Any], Optional[str]], spec: str, register: Table, ballots: Table, ballot_columns: Sequence[str]
) -> str:
    """Calls a columnar native function on the register and the ballots.
    Lists of plain row dicts are read in place by it; when some rows are not
    plain (other mappings, keys that are not ``str`` or name no column, a
    column missing), they are converted and checked here, naming what is
    wrong, and the call made again on columns."""
    unit_columns = ("id", "area")
    out = _native_call(fn, spec, _rows_or_columns(register, _UNIT_COLUMNS, unit_columns, "register"), _rows_or_columns(ballots, _BALLOT_COLUMNS, ballot_columns, "ballots"))
    if out is None:
        units = _columns(register, _UNIT_COLUMNS, unit_columns, "register")
        out = _native_call(fn, spec, units, _columns(ballots, _BALLOT_COLUMNS, ballot_columns, "ballots"))
    if out is None:  # never: columns are not refused as rows may be
        raise InputError("invalid_input", "tables: not readable as columns")
    return out


def _is_csv(table: Any) -> TypeGuard[CsvSource]:
    """Whether a table is a CSV file: a path, or an open file."""
    return isinstance(table, (str, os.PathLike)) or callable(getattr(table, "read", None))


def _source(source: CsvSource, what: str) -> Union[str, "os.PathLike[str]", bytes]:
    """A CSV file for the extension: its path (the extension reads the
    file), or the UTF-8 bytes of what the open file's ``read()`` gives."""
    if isinstance(source, (str, os.PathLike)):
        return source
    data = source.read()
    if isinstance(data, bytes):
        return data
    if not isinstance(data, str):
        raise InputError("invalid_input", f"{what}: read() gave {type(data).__name__}, not text or bytes")
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError("invalid_input", f"{what}: not valid Unicode text ({e.reason})") from None


def tally_many(
    register: Table,
    ballots: Table,
    votes: Table,
    *,
    rulebook: RulebookArg = "cn-national",
    as_frame: Optional[bool] = None,
) -> Any:
    """Tallies many votes in one call across the native boundary: a batch of
    one estate, or a city's batch of many.

    ``register`` is the units table; with an ``estate`` column it holds many
    estates, and each vote names its ``estate``. ``ballots`` is one long table
    with a ``vote`` column naming each ballot's vote; ``votes`` is a table of
    ``id, matter, decided_on`` and optional ``estate``, ``scope`` (a dict) and
    ``voting`` (a dict). Returns a pandas DataFrame with
    one row per vote (``passed``, totals, votes, each check's met / measured /
    base / required / shortfall / reachable), or a list of dicts when pandas
    is not installed or ``as_frame=False``. Areas come back as ``Decimal``.
    The GIL is released for the tally when the tables are lists of row dicts
    (whose text the extension copies) or hold Arrow text (pandas' strings
    with pyarrow); Python strings in lists and NumPy arrays are read in
    place with the GIL held, as :func:`tally` reads them.
    """
    spec = {"rulebook": _rulebook(rulebook), "votes": [_vote(v) for v in _records(votes, "votes")], "format": "rows"}
    out = json.loads(_columnar(_native.tally_many_columns, _dumps(spec), register, ballots, ("vote", "unit", "choice")))
    rows: list[dict[str, Any]] = out["rows"]
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str) and _is_area_column(key):
                row[key] = Decimal(value)
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise
        return rows
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else None)
    for name in frame.columns:  # counts stay integers where the law has no such check
        values = [v for v in (r[name] for r in rows) if v is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[name] = frame[name].astype("Int64")
    return frame


def _vote(v: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v[k] for k in v if k not in ("matter", "decided_on", "scope", "voting")}
    out.update(_motion(v.get("matter", ""), v.get("decided_on", ""), v.get("scope"), v.get("voting")))
    return out


def _is_area_column(name: str) -> bool:
    """Columns holding areas: totals (``base.area``) and the area checks' figures."""
    if name.endswith(".area"):
        return True
    return name.startswith(("participation.area.", "approval.area.")) and not name.endswith(".required")


def explain(outcome: Union[Outcome, Mapping[str, Any]], lang: Literal["zh", "en"] = "zh") -> str:
    """The explanation of an outcome in Chinese (``zh``) or English (``en``)."""
    wire = outcome.to_dict() if isinstance(outcome, Outcome) else dict(outcome)
    return str(run("explain", {"outcome": wire, "lang": lang})["text"])


def deadline(
    start: Union[str, date],
    *,
    days: Optional[int] = None,
    months: Optional[int] = None,
    years: Optional[int] = None,
    working_days: Optional[int] = None,
    calendar: Optional[Sequence[Mapping[str, Any]]] = None,
) -> Deadline:
    """The last day of a legal period from ``start`` (not counted), moved past rest days
    per the PRC holiday calendar. Give exactly one of ``days``, ``months``, ``years``,
    ``working_days``; ``calendar`` adds year schedules published after this release."""
    given = {"days": days, "months": months, "years": years, "working_days": working_days}
    wire: dict[str, Any] = {"start": _scalar(start), "period": {k: v for k, v in given.items() if v is not None}}
    return Deadline.from_wire(_call("deadline", wire, calendar=calendar))


def assembly_notice(
    meeting_on: Union[str, date],
    *,
    published_on: Union[str, date, None] = None,
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """The latest day to notify owners of an assembly meeting (物业管理条例 Art. 14 or the
    rulebook's period) and, given ``published_on``, whether the notice was on time."""
    return _call("assembly_notice", {"rulebook": _rulebook(rulebook), "meeting_on": _scalar(meeting_on)}, notice_published_on=published_on)


def requisition(
    register: Table,
    proposers: Sequence[str],
    *,
    decided_on: Union[str, date],
    scope: ScopeArg = None,
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Whether the owners of the proposing units reach the requisition threshold for an
    extraordinary meeting (物业管理条例 Art. 13: 20% of owners), one owner counted once."""
    wire: dict[str, Any] = {
        "rulebook": _rulebook(rulebook),
        "decided_on": _scalar(decided_on),
        "register": _register(register),
        "proposers": [_scalar(p) for p in proposers],
    }
    if scope is not None:
        wire["scope"] = {k: [_scalar(x) for x in v] for k, v in scope.items()}
    result: dict[str, Any] = run("requisition", wire)
    return result


def disclosure_schedule(
    start: Union[str, date],
    end: Union[str, date],
    *,
    events: Sequence[Mapping[str, Any]] = (),
    rulebook: RulebookArg = "cn-national",
    calendar: Optional[Sequence[Mapping[str, Any]]] = None,
) -> dict[str, Any]:
    """Every publication due from ``start`` to ``end``: recurring ones, and those the
    ``events`` (``{"event", "on", "ref"}``) trigger, holidays respected."""
    wire: dict[str, Any] = {"rulebook": _rulebook(rulebook), "from": _scalar(start), "to": _scalar(end), "events": _records(list(events), "events")}
    return _call("disclosure_schedule", wire, calendar=calendar)


def disclosure_audit(
    start: Union[str, date],
    as_of: Union[str, date],
    *,
    events: Sequence[Mapping[str, Any]] = (),
    publications: Table = (),
    rulebook: RulebookArg = "cn-national",
    calendar: Optional[Sequence[Mapping[str, Any]]] = None,
) -> dict[str, Any]:
    """Audits a publication log (``obligation, ref | period_end, published_on, removed_on``):
    each due publication on time, late by N days, missing, or not yet due."""
    wire: dict[str, Any] = {
        "rulebook": _rulebook(rulebook),
        "from": _scalar(start),
        "as_of": _scalar(as_of),
        "events": _records(list(events), "events"),
        "publications": _records(publications, "publications"),
    }
    return _call("disclosure_audit", wire, calendar=calendar)


def committee_meeting(
    members: Sequence[str],
    present: Sequence[str],
    votes: Sequence[Mapping[str, str]],
    *,
    decided_on: Union[str, date],
    interested: Sequence[str] = (),
    notice_published_on: Union[str, date, None] = None,
    meeting_on: Union[str, date, None] = None,
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Checks a committee meeting (指导规则 Arts. 38-39): quorum of members present,
    decision by at least half of ALL members, notice; ``votes`` are ``{"member", "choice"}``."""
    wire: dict[str, Any] = {
        "rulebook": _rulebook(rulebook),
        "decided_on": _scalar(decided_on),
        "members": list(members),
        "present": list(present),
        "votes": [dict(v) for v in votes],
        "interested": list(interested),
    }
    return _call("committee_meeting", wire, notice_published_on=notice_published_on, meeting_on=meeting_on)


def fund_route(request: Mapping[str, Any], *, decided_on: Union[str, date], rulebook: RulebookArg = "cn-national") -> dict[str, Any]:
    """Who must approve a spending request (``fund, action, purpose, amount, scope, emergency``)
    and by what rule: the owners, the committee within its limit, or the emergency procedure."""
    result: dict[str, Any] = run("fund_route", {"rulebook": _rulebook(rulebook), "decided_on": _scalar(decided_on), "request": {k: _scalar(v) for k, v in request.items()}})
    return result


def fund_approval(
    request: Mapping[str, Any],
    *,
    decided_on: Union[str, date],
    assembly: Union[Outcome, Mapping[str, Any], None] = None,
    committee: Optional[Mapping[str, Any]] = None,
    confirmed_by: Optional[str] = None,
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Whether the evidence (an assembly ``tally`` outcome, a ``committee_meeting`` outcome,
    an emergency confirmation) approves the request, and what is missing."""
    evidence: dict[str, Any] = {}
    if assembly is not None:
        evidence["assembly"] = assembly.to_dict() if isinstance(assembly, Outcome) else dict(assembly)
    if committee is not None:
        evidence["committee"] = dict(committee)
    if confirmed_by is not None:
        evidence["confirmed_by"] = confirmed_by
    wire = {"rulebook": _rulebook(rulebook), "decided_on": _scalar(decided_on), "request": {k: _scalar(v) for k, v in request.items()}, "evidence": evidence}
    result: dict[str, Any] = run("fund_approval", wire)
    return result


def cost_split(
    amount: Union[str, int, Decimal],
    register: Table,
    *,
    scope: ScopeArg = None,
    basis: Literal["area", "unit"] = "area",
    balances: Optional[Mapping[str, Union[str, int, Decimal]]] = None,
) -> dict[str, Any]:
    """Splits an amount over the units in scope (民法典 Art. 283), in whole fen, by the
    largest-remainder rule: the shares add up to the amount exactly."""
    wire: dict[str, Any] = {"amount": _scalar(amount), "register": _register(register), "basis": basis}
    if scope is not None:
        wire["scope"] = {k: [_scalar(x) for x in v] for k, v in scope.items()}
    if balances is not None:
        wire["balances"] = {str(k): _scalar(v) for k, v in balances.items()}
    result: dict[str, Any] = run("cost_split", wire)
    return result


def public_revenue(entries: Table, allocations: Table = ()) -> dict[str, Any]:
    """Sums the public revenue ledger (``date, kind, amount, description``): income, costs,
    the net that belongs to the owners (民法典 Art. 282) and its allocation."""
    result: dict[str, Any] = run("public_revenue", {"entries": _records(entries, "entries"), "allocations": _records(allocations, "allocations")})
    return result


def election(
    register: Table,
    candidates: Sequence[Mapping[str, Any]],
    ballots: Sequence[Mapping[str, Any]],
    *,
    seats: int,
    decided_on: Union[str, date],
    alternates: int = 0,
    scope: ScopeArg = None,
    voting: Optional[Mapping[str, Any]] = None,
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Elects the owners' committee: ``candidates`` are ``{"id", "unit", "flags"?}``, ``ballots``
    ``{"unit", "choices": [candidate ids], ...}``. Returns who is elected and why, ties included."""
    wire: dict[str, Any] = {
        "rulebook": _rulebook(rulebook),
        "decided_on": _scalar(decided_on),
        "register": _register(register),
        "seats": seats,
        "alternates": alternates,
        "candidates": [dict(c) for c in candidates],
        "ballots": [{k: (list(v) if k == "choices" else _scalar(v)) for k, v in b.items()} for b in ballots],
    }
    wire.update({k: v for k, v in _motion("", "", scope, voting).items() if k in ("scope", "voting")})
    result: dict[str, Any] = run("election", wire)
    return result


def term(
    elected_on: Union[str, date],
    *,
    consecutive_terms_served: Optional[int] = None,
    rulebook: RulebookArg = "cn-national",
    calendar: Optional[Sequence[Mapping[str, Any]]] = None,
) -> dict[str, Any]:
    """A committee term from its election: end date, first meeting, filing, 换届 start,
    handover, and whether a member may stand again under the rules in force."""
    wire: dict[str, Any] = {"rulebook": _rulebook(rulebook), "elected_on": _scalar(elected_on)}
    return _call("term", wire, consecutive_terms_served=consecutive_terms_served, calendar=calendar)


def offices(
    members: Sequence[str],
    present: Sequence[str],
    nominations: Sequence[Mapping[str, Any]],
    *,
    decided_on: Union[str, date],
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """The committee's chair and vice-chairs (指导规则 Art. 32): each nomination
    ``{"office": "chair" | "vice_chair", "candidate", "votes"}`` is a committee decision."""
    wire = {"rulebook": _rulebook(rulebook), "decided_on": _scalar(decided_on), "members": list(members), "present": list(present), "nominations": [dict(n) for n in nominations]}
    return _call("offices", wire)


def removal(
    members: Sequence[str],
    member: str,
    *,
    decided_on: Union[str, date],
    proposing_members: Sequence[str] = (),
    register: Optional[Table] = None,
    proposing_units: Sequence[str] = (),
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Whether a proposal to remove ``member`` reaches the rules' threshold (members' or
    owners' side; the thresholds come from local or estate rules)."""
    wire: dict[str, Any] = {
        "rulebook": _rulebook(rulebook),
        "decided_on": _scalar(decided_on),
        "members": list(members),
        "member": member,
        "proposing_members": list(proposing_members),
        "proposing_units": [_scalar(u) for u in proposing_units],
    }
    if register is not None:
        wire["register"] = _register(register)
    result: dict[str, Any] = run("removal", wire)
    return result


def vacancy(
    seats: int,
    members: Sequence[str],
    leaving: Sequence[Mapping[str, str]],
    *,
    decided_on: Union[str, date],
    alternates: Sequence[str] = (),
    rulebook: RulebookArg = "cn-national",
) -> dict[str, Any]:
    """Fills the seats of leaving members (``{"member", "reason"}``) from the alternates in
    rank order and says whether a by-election is required."""
    wire = {"rulebook": _rulebook(rulebook), "decided_on": _scalar(decided_on), "seats": seats, "members": list(members), "alternates": list(alternates), "leaving": [dict(x) for x in leaving]}
    result: dict[str, Any] = run("vacancy", wire)
    return result


def rulebooks() -> dict[str, Any]:
    """The rulebook presets shipped, with their versions and effective dates."""
    result: dict[str, Any] = run("rulebooks", {})
    return result


def read_units_csv(source: CsvSource) -> list[dict[str, Any]]:
    """Reads a register CSV (``id, building, area, owner, status``), by path or open,
    with the core's parser: a malformed row is an :class:`InputError` naming its row and column."""
    units: list[dict[str, Any]] = run("csv", {"kind": "units", "text": _text(source, "units")})["units"]
    return units


def read_ballots_csv(source: CsvSource) -> list[dict[str, Any]]:
    """Reads a ballots CSV (``unit, choice, channel, cast_at, authorization``), by path or open,
    with the core's parser."""
    ballots: list[dict[str, Any]] = run("csv", {"kind": "ballots", "text": _text(source, "ballots")})["ballots"]
    return ballots


def _text(source: CsvSource, what: str) -> str:
    """A CSV file's text, read as UTF-8 by the core (a byte-order mark dropped)."""
    return _native.read_text(_source(source, what), what)


def error_codes() -> list[str]:
    """Every stable error code the library can raise."""
    return _native.error_codes()


__all__ = [
    "BallotSummary",
    "CalendarError",
    "Check",
    "Counts",
    "Deadline",
    "InputError",
    "Law",
    "Outcome",
    "Readable",
    "Rejection",
    "RulebookError",
    "ScopeError",
    "Supersession",
    "Threshold",
    "Votes",
    "YeweihuiError",
    "__version__",
    "assembly_notice",
    "committee_meeting",
    "cost_split",
    "deadline",
    "disclosure_audit",
    "disclosure_schedule",
    "election",
    "error_codes",
    "explain",
    "fund_approval",
    "fund_route",
    "offices",
    "public_revenue",
    "read_ballots_csv",
    "read_rulebook",
    "read_units_csv",
    "removal",
    "requisition",
    "rulebooks",
    "rules_in_force",
    "run",
    "tally",
    "tally_many",
    "term",
    "vacancy",
]
