"""Native module (Rust, pyo3). Use the typed API of :mod:`yeweihui` instead."""

from typing import Any, Optional

__all__ = ["run", "error_codes", "tally_many_columns", "__version__"]

__version__: str

def run(operation: str, input: str) -> str: ...
def error_codes() -> list[str]: ...
def tally_many_columns(
    spec: str,
    vote: Any,
    unit: Any,
    choice: Any,
    channel: Optional[Any] = None,
    cast_at: Optional[Any] = None,
    authorization: Optional[Any] = None,
) -> str: ...
