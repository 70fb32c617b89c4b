"""Print-ready sheets for the files sent back to provinces: A4, one page wide, wrapped text with
row heights that fit it (LibreOffice does not size the rows of a written file), nothing that can
run as a formula (:mod:`ingestion.feedback.xlsx_sheet`), and the same rows as a CSV (UTF-8 with
BOM)."""

from __future__ import annotations

import csv
import io
import math
import os
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.formulas import neutralise_text
from ingestion.feedback.xlsx_sheet import Worksheet

LINE_POINTS = 12.75  # one line of 10-pt Arial
PAD_POINTS = 3.0
TITLE_POINTS = 20.0

# Advance widths of Arial relative to the digit width Excel measures columns in; anything not
# listed counts as one digit. Deliberately generous: a row a little too tall costs white space,
# a row too short hides text.
_NARROW = frozenset(" .,:;'|!ijlftrI()[]/-")
_WIDE = frozenset("mwMW@%")


def _char_units(ch: str) -> float:
    if ch in _NARROW:
        return 0.5
    if ch in _WIDE:
        return 1.45
    return 1.2 if ch.isupper() else 0.92


_UNITS: dict[str, float] = {}


def text_units(text: str, bold: bool = False) -> float:
    """Width of ``text`` in column-width units (digits of 10-pt Arial)."""
    units = 0.0
    for ch in text:
        width = _UNITS.get(ch)
        if width is None:
            width = _UNITS[ch] = _char_units(ch)
        units += width
    return units * (1.1 if bold else 1.0)


@lru_cache(maxsize=8192)  # labels, messages and names repeat from file to file
def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` units wide (greedy word wrap; a word
    longer than the line is broken, as spreadsheets do)."""
    capacity = max(width - 1.5, 1.0)  # the cell's padding on both sides
    space = text_units(" ", bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            size = text_units(word, bold)
            if used and used + space + size <= capacity:
                used += space + size
                continue
            if used:
                lines += 1
            broken = max(math.ceil(size / capacity) - 1, 0)
            lines += broken
            used = size - broken * capacity
    return lines


def safe_text(value: Any) -> Any:
    """Numbers as they are; everything else as inert text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return value
    return neutralise_text(str(value))


def truncate(text: str | None, limit: int) -> str:
    """At most ``limit`` characters, a long value cut with an ellipsis (never echoed whole)."""
    if text is None:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PrintSheet:
    """One worksheet laid out row by row on a grid of fixed column widths (units of a digit)."""

    def __init__(self, name: str, widths: Sequence[float]):
        self.sheet = Worksheet(name, widths)
        self.row = 0

    @property
    def widths(self) -> list[float]:
        return self.sheet.widths

    def _span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first : last + 1])

    def title(self, text: str) -> None:
        last = len(self.widths) - 1
        self.sheet.merge(self.row, 0, last, safe_text(text), "title")
        self.sheet.height(self.row, TITLE_POINTS)
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def line(
        self,
        values: Sequence[Any],
        spans: Sequence[tuple[int, int]] | None = None,
        styles: Sequence[str] | str = "text",
    ) -> int:
        """Write one row; ``spans`` merges cells (first, last column) per value; the row is as
        tall as its most wrapped cell. Returns the row index."""
        spans = spans or [(i, i) for i in range(len(values))]
        styles = [styles] * len(values) if isinstance(styles, str) else list(styles)
        lines = 1
        for value, (first, last), style in zip(values, spans, styles, strict=True):
            cell = safe_text(value)
            if first == last:
                self.sheet.write(self.row, first, cell, style)
            else:
                self.sheet.merge(self.row, first, last, cell, style)
            bold = style in ("label", "strong", "header", "section")
            width = self._span_width(first, last)
            lines = max(lines, wrapped_lines(str(cell), width, bold))
        self.sheet.height(self.row, lines * LINE_POINTS + PAD_POINTS)
        self.row += 1
        return self.row - 1

    def pair(self, label: str, value: Any, split: int, style: str = "text") -> None:
        """A label over columns ``0..split-1`` and its value over the rest."""
        last = len(self.widths) - 1
        self.line([label, value], [(0, split - 1), (split, last)], ["label", style])

    def page_setup(self, footer: str, repeat_row: int | None = None) -> None:
        """The footer (the file's name, the page number) and the table header repeated on every
        page; A4 landscape, one page wide, narrow margins (:class:`Worksheet`)."""
        # Excel caps a footer at 255 characters (a long file name would drop it whole).
        footer_text = truncate(footer, 100).replace("&", "&&")
        self.sheet.footer = f"&L&8{footer_text}&R&8Trang &P/&N"
        self.sheet.repeat_row = repeat_row

    def save(self, path: Path) -> None:
        self.sheet.save(path)


def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    """CSV (CRLF) of ``rows`` with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    return buffer.getvalue()


def replace_into(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    """UTF-8 with BOM so Excel shows Vietnamese correctly."""
    text = csv_text(rows)
    replace_into(path, lambda tmp: tmp.write_text(text, encoding="utf-8-sig", newline=""))
