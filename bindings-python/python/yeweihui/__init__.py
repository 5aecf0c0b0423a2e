"""yeweihui (业委会): exact, cited rules for homeowners' assemblies and owners' committees."""

from __future__ import annotations

import json
from typing import Any, Union

from . import _native
from ._errors import CalendarError, InputError, RulebookError, ScopeError, YeweihuiError

__version__: str = _native.__version__

JSONInput = Union[str, bytes, "dict[str, Any]", "list[Any]"]


def run(operation: str, input: JSONInput) -> Any:
    """Runs a wire operation (see ``conformance/README.md``): a dict or JSON text in, a dict out."""
    text = input.decode("utf-8") if isinstance(input, bytes) else input if isinstance(input, str) else json.dumps(input, ensure_ascii=False)
    return json.loads(_native.run(operation, text))


__all__ = [
    "CalendarError",
    "InputError",
    "RulebookError",
    "ScopeError",
    "YeweihuiError",
    "__version__",
    "run",
]
