"""Exceptions: one class per family, each carrying the stable ``code`` that
Rust (``Error::code``) and JavaScript (``error.code``) give for the same input."""

from __future__ import annotations


class YeweihuiError(Exception):
    """Any failure of the library. ``code`` is the stable snake_case error code."""

    code: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {str(self)!r})"


class InputError(YeweihuiError, ValueError):
    """Malformed input: JSON, types, fields, areas, dates, duplicate units, limits."""


class RulebookError(YeweihuiError):
    """The rules: unknown or invalid rulebooks, no law in force, disallowed policies."""


class ScopeError(YeweihuiError, ValueError):
    """A scope naming unknown buildings or units, or covering nothing."""


class CalendarError(YeweihuiError):
    """A date the holiday calendar does not cover."""


_FAMILIES: dict[str, type[YeweihuiError]] = {
    "invalid_input": InputError,
    "unknown_operation": InputError,
    "unknown_matter": InputError,
    "invalid_area": InputError,
    "duplicate_unit": InputError,
    "invalid_date": InputError,
    "limit_exceeded": InputError,
    "invalid_amount": InputError,
    "unknown_rulebook": RulebookError,
    "invalid_rulebook": RulebookError,
    "rulebook_violates_law": RulebookError,
    "no_law_in_force": RulebookError,
    "policy_not_allowed": RulebookError,
    "unknown_scope": ScopeError,
    "empty_scope": ScopeError,
    "calendar_year_not_covered": CalendarError,
}


def error_for_code(code: str, message: str) -> YeweihuiError:
    """The exception for an error code (used by the native module)."""
    return _FAMILIES.get(code, YeweihuiError)(code, message)
