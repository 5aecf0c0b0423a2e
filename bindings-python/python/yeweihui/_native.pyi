"""Native module (Rust, pyo3). Use the typed API of :mod:`yeweihui` instead."""

import os
from typing import Any, Optional, Union

#: A column: a list of cells, Arrow text (UTF-8 bytes, int64 offsets, a
#: null byte per cell or None), or a NumPy array of objects.
_Column = Union[list[Any], tuple[bytes, bytes, Optional[bytes]], Any]
#: A table: a dict of columns, or a list of row dicts with the names of the
#: columns it must have (``None`` comes back when the rows are not plain).
_Table = Union[dict[str, _Column], tuple[list[Any], list[str]]]
#: A file: its path (the extension reads it), or its bytes.
_Source = Union[str, os.PathLike[str], bytes]

__all__ = ["run", "error_codes", "tally_columns", "tally_csv", "read_text", "tally_many_columns", "columns_of_rows", "__version__"]

__version__: str

def run(operation: str, input: str) -> str: ...
def error_codes() -> list[str]: ...
def tally_columns(spec: str, units: _Table, ballots: _Table) -> Optional[str]: ...
def tally_csv(spec: str, units: _Source, ballots: _Source) -> str: ...
def read_text(source: _Source, what: str) -> str: ...
def tally_many_columns(spec: str, units: _Table, ballots: _Table) -> Optional[str]: ...
def columns_of_rows(rows: list[Any], names: list[str]) -> Optional[tuple[dict[str, list[Any]], list[Any]]]: ...
