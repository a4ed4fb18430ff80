"""Cells of every spreadsheet export (CSV, XLSX): text that a spreadsheet could run as a formula is escaped.

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip before those) is
written with a leading apostrophe, so that "=HYPERLINK(...)" from a user or an import stays text. A text
that already starts with an apostrophe followed by such a character gets one more, so that the escape can
be undone exactly (`unescape_formula`; the registry importer does so, making export → import lossless).
Numbers, dates and booleans are written as they are: only text can carry a formula.
"""
from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["FORMULA_START", "is_formula", "escape_formula", "unescape_formula", "safe_cell"]


def is_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def escape_formula(value: str) -> str:
    """A text value as a spreadsheet must receive it (a leading apostrophe when it could be a formula)."""
    if is_formula(value) or (value.startswith("'") and is_formula(value[1:])):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The inverse of `escape_formula`."""
    if value.startswith("'") and (is_formula(value[1:]) or value[1:].startswith("'")):
        return value[1:]
    return value


def safe_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: text escaped, anything else (numbers, dates, None) as it is."""
    if isinstance(value, str):
        return escape_formula(value)
    return value
