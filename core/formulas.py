"""Spreadsheet formula injection: text that Excel or LibreOffice would run, made inert.

One rule for everything people open in a spreadsheet: the ministry package and the feedback
files sent back to provinces.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """Text a spreadsheet would read as a formula gets a leading apostrophe; the rest unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
