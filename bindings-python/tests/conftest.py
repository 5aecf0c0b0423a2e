"""Shared helpers: the conformance vectors and the subset matcher of FORMAT.md."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


def _files(d: Path) -> Iterator[Path]:
    yield from sorted(p for p in d.rglob("*.json") if p.is_file())


def load_vectors() -> list[dict[str, Any]]:
    dirs = [ROOT / "conformance"] + [Path(p) for p in os.environ.get("YEWEIHUI_EXTRA_VECTORS", "").split(":") if p]
    seen: dict[str, dict[str, Any]] = {}
    for d in dirs:
        for f in _files(d):
            data = json.loads(f.read_text(encoding="utf-8"))
            for v in data if isinstance(data, list) else [data]:
                prev = seen.setdefault(v["name"], v)
                assert prev == v, f"two different vectors named {v['name']}"
    return list(seen.values())


VECTORS = load_vectors()


def contains(actual: Any, expected: Any, path: str = "output") -> None:
    """Asserts ``actual`` contains ``expected``: objects by key, arrays by element with equal length."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{path}.{k}: missing"
            contains(actual[k], v, f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: got {actual!r}, expected {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            contains(a, e, f"{path}[{i}]")
    else:
        assert type(actual) is type(expected) and actual == expected, f"{path}: got {actual!r}, expected {expected!r}"


@pytest.fixture
def sample_units() -> list[dict[str, Any]]:
    import yeweihui

    return yeweihui.read_units_csv(DATA / "units.csv")


@pytest.fixture
def sample_ballots() -> list[dict[str, Any]]:
    import yeweihui

    return yeweihui.read_ballots_csv(DATA / "ballots.csv")
