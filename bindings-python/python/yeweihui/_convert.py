"""Input conversion: lists of dicts, dicts of columns and pandas DataFrames
into the wire shape. Conversion only: every check is made by the Rust core,
so a float area is rejected there with the same code as on every surface."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar, Union

from . import _native
from ._errors import InputError

_T = TypeVar("_T")

#: Tables accepted: a list of row dicts, a dict of columns, or a pandas DataFrame.
Table = Union[Sequence[Mapping[str, Any]], Mapping[str, Sequence[Any]], Any]


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:  # pandas.NA / NaT
        import pandas as pd

        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover - pandas is optional
        return False


def scalar(v: Any) -> Any:
    """One cell in its wire form: ``Decimal`` as plain text, ids as text, dates ISO."""
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    item = getattr(v, "item", None)  # numpy scalars
    if callable(item) and type(v).__module__ == "numpy":
        return scalar(item())
    iso = getattr(v, "isoformat", None)  # pandas.Timestamp
    if callable(iso):
        return iso()
    return v


def _is_dataframe(t: Any) -> bool:
    return hasattr(t, "to_dict") and hasattr(t, "columns") and hasattr(t, "dtypes")


def records(table: Table, what: str) -> list[dict[str, Any]]:
    """Rows of a table as wire records; missing cells (None, NaN) are left out."""
    if _is_dataframe(table):
        frame: Any = table
        rows: Iterable[Mapping[str, Any]] = frame.to_dict("records")
    elif isinstance(table, Mapping):
        columns = {str(k): list(v) for k, v in table.items()}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise InputError("invalid_input", f"{what}: columns of different lengths {sorted(lengths)}")
        n = lengths.pop() if lengths else 0
        rows = ({k: v[i] for k, v in columns.items()} for i in range(n))
    elif isinstance(table, (list, tuple)):
        rows = table
    else:
        raise InputError("invalid_input", f"{what}: expected a list of dicts, a dict of columns or a DataFrame, got {type(table).__name__}")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InputError("invalid_input", f"{what}[{i}]: expected a dict, got {type(row).__name__}")
        for k, v in row.items():
            if isinstance(v, float) and math.isinf(v):
                raise InputError("invalid_input", f"{what}[{i}].{k}: {v} is not a finite number")
        out.append({str(k): scalar(v) for k, v in row.items() if not _is_missing(v)})
    return out


#: A column of Arrow text as it crosses: UTF-8 bytes, the cells' int64
#: offsets into them, a byte per cell (non-zero: missing) or None.
ArrowText = tuple[bytes, bytes, Optional[bytes]]


def column(values: Any) -> Union[list[Any], ArrowText, Any]:
    """One column for the columnar calls: Arrow-backed text as its buffers, a
    pandas column of Python objects as its NumPy array (both read in place
    by the native module), anything else as a list of cells.
    ``str`` cells cross as they are; the native module hands any other cell to
    :func:`cell` (float cells stay floats: an area given as a float is refused
    by the core)."""
    arrow = _arrow_text(values)
    if arrow is not None:
        return arrow
    if hasattr(values, "isna") and hasattr(values, "astype"):  # pandas Series
        import pandas as pd

        if values.dtype == object or values.dtype.kind in "fc" or isinstance(values.dtype, pd.StringDtype):
            # str cells; missing ones are NaN or NA, seen by cell(). Through NumPy:
            # half the time of Series.tolist() on pandas' string arrays.
            objects = values.to_numpy()
            if objects.dtype == object and objects.ndim == 1 and objects.flags.c_contiguous:
                return objects
            cells: list[Any] = objects.tolist()
            return cells
        mask = values.isna()  # other extension dtypes (Int64, ...): missing cells as None
        texts = values.astype(str).tolist()
        return [None if missing else v for v, missing in zip(texts, mask.tolist())] if mask.any() else texts
    if hasattr(values, "tolist"):  # numpy array
        values = values.tolist()
    return list(values)


def _arrow_text(values: Any) -> Optional[ArrowText]:
    """A pandas column of text kept in Arrow buffers (pandas' default string
    storage when pyarrow is installed) as those buffers; None for any other."""
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "storage", None) != "pyarrow" and not str(dtype).startswith(("string[pyarrow", "large_string[pyarrow")):
        return None
    import importlib

    import numpy as np

    pa = importlib.import_module("pyarrow")  # installed: pandas keeps this column in it

    arr = pa.array(values.array)
    if isinstance(arr, pa.ChunkedArray):  # one array: no copy when the column is one chunk
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) or pa.types.is_string_view(arr.type)):
        return None
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    if n == 0:
        return (b"", np.zeros(1, dtype="<i8").tobytes(), None)
    _, offsets, data = arr.buffers()
    ends = np.frombuffer(offsets, dtype="<i8", count=n + 1, offset=8 * arr.offset)
    nulls = arr.is_null().to_numpy(zero_copy_only=False).view(np.uint8).tobytes() if arr.null_count else None
    return (data.to_pybytes() if data is not None else b"", ends.tobytes(), nulls)


def cell(v: Any, name: str, optional: bool, what: str, row: int) -> Any:
    """A cell that is not ``str`` in its wire form, ``None`` where missing;
    called by the native module. A missing required cell is an :class:`InputError`."""
    if _is_missing(v):
        if not optional:
            raise InputError("invalid_input", f"{what} column {name!r}: row {row} is empty")
        return None
    return scalar(v)


def _unwrapped(table: Any, what: str) -> Any:
    """A register given as ``{"units": [...]}`` as its list of units."""
    if isinstance(table, Mapping) and what == "register" and set(table) == {"units"}:
        return table["units"]
    return table


def rows_or_columns(table: Any, names: Sequence[str], required: Sequence[str], what: str) -> Any:
    """A table for the columnar calls: a list of row dicts as it is, with the
    columns it must have (the native module reads plain rows in place and
    gives ``None`` back for any others); anything else as :func:`columns`."""
    table = _unwrapped(table, what)
    if type(table) is list:
        return (table, list(required))
    return columns(table, names, required, what)


def columns(table: Any, names: Sequence[str], required: Sequence[str], what: str) -> dict[str, Any]:
    """A table (list of dicts, dict of columns, DataFrame) as converted columns
    (see :func:`column`); an unknown or missing column is an :class:`InputError`."""
    table = _unwrapped(table, what)
    if isinstance(table, (list, tuple)):
        rows = table if type(table) is list else list(table)
        split = _native.columns_of_rows(rows, list(names))  # fresh lists, read in one pass in C
        if split is None:  # a row that is not a dict: mappings are copied, anything else refused
            for i, row in enumerate(rows):
                if not isinstance(row, Mapping):
                    raise InputError("invalid_input", f"{what}[{i}]: expected a dict, got {type(row).__name__}")
            split = _native.columns_of_rows([dict(row) for row in rows], list(names))
        fresh, others = split or ({}, [])
        keys = set(fresh) | {str(k) for k in others}
        raw: dict[str, Any] = fresh
    elif _is_dataframe(table) or isinstance(table, Mapping):
        keys = {str(c) for c in (table.columns if _is_dataframe(table) else table.keys())}
        raw = {c: table[c] for c in names if c in keys}
    else:
        raise InputError("invalid_input", f"{what}: expected a list of dicts, a dict of columns or a DataFrame, got {type(table).__name__}")
    unknown = sorted(keys - set(names))
    if unknown:
        raise InputError("invalid_input", f"{what}: unknown columns {unknown} (expected some of {list(names)})")
    missing = [c for c in required if c not in raw]
    if missing and isinstance(table, (list, tuple)) and not table:
        raw = {c: [] for c in required}  # no rows: no columns to name
    elif missing:
        raise InputError("invalid_input", f"{what}: missing columns {missing}")
    if isinstance(table, (list, tuple)):
        return raw  # lists of their own already
    return {c: column(v) for c, v in raw.items()}


def native(fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Calls the native module; text with a lone surrogate (no UTF-8 form) is
    an :class:`InputError`, like any other malformed input."""
    try:
        return fn(*args, **kwargs)
    except UnicodeEncodeError as e:
        raise InputError("invalid_input", f"input: not valid Unicode text ({e.reason})") from None


def dumps(value: Any) -> str:
    """Compact JSON text with cells converted."""
    return json.dumps(value, ensure_ascii=False, default=scalar)
