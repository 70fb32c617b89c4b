"""CSV bytes as provinces save them: UTF-8, UTF-8 with BOM, Windows-1258 with combining tones."""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import cache

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below


@cache
def _cp1258_char(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        pass
    parts = unicodedata.normalize("NFD", ch)
    tones = "".join(m for m in parts[1:] if m in _TONES)
    base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
    try:
        return base.encode("cp1258") + tones.encode("cp1258")
    except UnicodeEncodeError:  # not in the code page at all (a full-width digit): Excel's "?"
        return b"?"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows writes it: base letters precomposed, tones combining.

    A character Windows-1258 cannot hold at all becomes "?", as Excel writes it when it saves
    a CSV in the ANSI code page.
    """
    text = unicodedata.normalize("NFC", text)
    return b"".join(_cp1258_char(ch) for ch in text)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "cp1258":
        return encode_cp1258(text)
    return text.encode(encoding)


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    """A CSV file, header on line 1, CRLF line ends like Excel, in the given encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return encode(buffer.getvalue(), encoding)
