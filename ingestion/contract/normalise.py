"""Pure cell normalisers: NFC text, match keys, dates, counts, zero-padded codes, code lists.

Only ASCII digits are digits here: ``２０`` (full-width) or ``٢٠`` are text, never a number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from core.vietnamese import unaccented


class FormulaError(str):
    """A cell whose formula failed, as the sender's program shows it (``#REF!``, ``#DIV/0!``,
    ``#VALUE!``, ``#N/A``, ``#NAME?``…): never a value and never a blank; its row is rejected
    with the error shown."""

    __slots__ = ()


Cell = str | int | float | bool | date | datetime | None  # a FormulaError is a str

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's phantom 29/02/1900
_MAX_SERIAL = 2958465  # 9999-12-31
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + "$", re.ASCII)
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME + "$", re.ASCII)
_SERIAL = re.compile(r"^\d{1,7}(?:[.,]\d+)?$", re.ASCII)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$", re.ASCII)
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$", re.ASCII)
_CODE_DIGITS = re.compile(r"^\d+(?:\.0+)?$", re.ASCII)


class InvalidValue(ValueError):
    """A cell that cannot be normalised; ``reason`` is a SPEC §2 reason code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def nfc(text: str) -> str:
    """Unicode NFC, so NFD text from some keyboards compares equal to NFC text."""
    return unicodedata.normalize("NFC", text)


def is_blank(value: Cell) -> bool:
    if isinstance(value, str):  # the commonest cell first: this runs for every cell of a file
        return not value or value.isspace()
    if value is None:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_text(value: Cell) -> str | None:
    """The cell as the sender would read it: NFC, trimmed, integral floats without ``.0``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return value.isoformat(sep=" ")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return nfc(str(value)).strip()


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """ASCII letters and digits only: ignores case, spaces, punctuation, diacritics (đ→d)."""
    return _NON_ALNUM.sub("", unaccented(text))


def _serial_to_date(serial: float) -> date:
    if not 1 <= serial <= _MAX_SERIAL:
        raise InvalidValue("invalid_date", f"Excel serial out of range: {serial}")
    return EXCEL_EPOCH + timedelta(days=math.floor(serial))


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise InvalidValue("invalid_date", str(error)) from None


def parse_date(value: Cell) -> date | None:
    """d/m/y (``20/8/2025``), ISO (``2025-08-20``), Excel serials, date cells → date; blank → None.

    Impossible dates (``31/02/2025``) and anything else raise :class:`InvalidValue`
    ``invalid_date``.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue("invalid_date", "boolean")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _serial_to_date(float(value))
    text = nfc(str(value)).strip()
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        return _make_date(year, month, day)
    if match := _YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day)
    if _SERIAL.match(text):
        return _serial_to_date(float(text.replace(",", ".")))
    raise InvalidValue("invalid_date", f"not a date: {text!r}")


def parse_count(value: Cell) -> int:
    """A head count: ``12``, ``12.0`` (Excel), ``1.234`` / ``1,234`` / ``1 234`` (thousands) → int.

    Blank, text, fractions (``2.5``) → ``invalid_number``; below zero → ``negative_count``.
    """
    if is_blank(value) or isinstance(value, bool | date):
        raise InvalidValue("invalid_number", "blank or not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InvalidValue("invalid_number", f"not a whole number: {value}")
        number = int(value)
    else:
        text = nfc(str(value)).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if _GROUPED.match(text):
            number = int(re.sub(r"[.,\s]", "", text))
        elif _DECIMAL.match(text.replace(" ", "")):
            parsed = float(text.replace(" ", "").replace(",", "."))
            if not parsed.is_integer():
                raise InvalidValue("invalid_number", f"not a whole number: {text!r}")
            number = int(parsed)
        else:
            raise InvalidValue("invalid_number", f"not a number: {text!r}")
    if number < 0:
        raise InvalidValue("negative_count", f"negative: {number}")
    return number


def pad_code(value: Cell, width: int) -> str | None:
    """Digits zero-padded to ``width`` (``4``, ``4.0``, ``'0004'`` → ``00004``); blank → None.

    Anything that is not a whole non-negative number comes back trimmed but unpadded, so the caller
    reports it as an unknown code with the sender's own text.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:0{width}d}" if value >= 0 else str(value)
    if isinstance(value, float):
        if value.is_integer() and value >= 0:
            return f"{int(value):0{width}d}"
        return str(value)
    text = nfc(str(value)).strip().lstrip("'").strip()
    if _CODE_DIGITS.match(text):
        return f"{int(text.split('.')[0]):0{width}d}"
    return text


def _lookup(codes: Mapping[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in codes.items():
        table.setdefault(match_key(code), code)
        table.setdefault(match_key(label), code)
    return table


@cache
def _lookup_cached(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return _lookup(dict(items))


def resolve_code(value: Cell, codes: Mapping[str, str]) -> str | None:
    """A code or its Vietnamese label (any case, spacing, punctuation, diacritics) → the code.

    Blank → None; raises ``unknown_code`` when nothing in the list matches.
    """
    text = as_text(value)
    if text is None:
        return None
    code = _lookup_cached(tuple(codes.items())).get(match_key(text))
    if code is None:
        raise InvalidValue("unknown_code", f"not in the list: {text!r}")
    return code
