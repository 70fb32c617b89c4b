"""Print geometry of the workbook: how wide a text is in Arial 10 and how an A4 landscape page fits.

The workbook is set in Arial (Liberation Sans, metric-compatible, where LibreOffice renders it),
so a text's width is known from the font's advance widths: column widths are set from the cells'
texts, and a test checks every cell against them ("no cut text"). Vietnamese letters have the
advance width of their base letter (diacritics stack, they do not widen).
"""

from __future__ import annotations

import math
import unicodedata

FONT_NAME = "Arial"
FONT_SIZE = 10  # points
UNITS_PER_EM = 2048
# Advance widths (font units) of Arial / Liberation Sans for printable ASCII, regular and bold.
_ASCII = "".join(chr(c) for c in range(32, 127))
_REGULAR = (
    569, 569, 727, 1139, 1139, 1821, 1366, 391, 682, 682, 797, 1196, 569, 682, 569, 569, 1139,
    1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 569, 569, 1196, 1196, 1196, 1139, 2079,
    1366, 1366, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1024, 1366, 1139, 1706, 1479, 1593,
    1366, 1593, 1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 569, 569, 569, 961, 1139,
    682, 1139, 1139, 1024, 1139, 1139, 569, 1139, 1139, 455, 455, 1024, 455, 1706, 1139, 1139,
    1139, 1139, 682, 1024, 569, 1139, 1024, 1479, 1024, 1024, 1024, 684, 532, 684, 1196,
)  # fmt: skip
_BOLD = (
    569, 682, 971, 1139, 1139, 1821, 1479, 487, 682, 682, 797, 1196, 569, 682, 569, 569, 1139,
    1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 682, 682, 1196, 1196, 1196, 1251, 1997,
    1479, 1479, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1139, 1479, 1251, 1706, 1479, 1593,
    1366, 1593, 1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 682, 569, 682, 1196, 1139,
    682, 1139, 1251, 1139, 1251, 1139, 682, 1251, 1251, 569, 569, 1139, 569, 1821, 1251, 1251,
    1251, 1251, 797, 1139, 682, 1251, 1139, 1593, 1139, 1139, 1024, 797, 573, 797, 1196,
)  # fmt: skip
_WIDTHS = {
    False: dict(zip(_ASCII, _REGULAR, strict=True)),
    True: dict(zip(_ASCII, _BOLD, strict=True)),
}
_SPECIAL = {"–": 1139, "—": 2048, "−": 1196, "→": 2048, "×": 1196, "÷": 1124, "…": 2048}
_BASE = {"đ": "d", "Đ": "D"}
SAFETY = 1.06  # LibreOffice and Excel round glyph positions: keep a little slack

# A4 landscape, margins in inches; column widths in Excel character units (Arial 10: 7 px each).
PAGE_WIDTH_IN, PAGE_HEIGHT_IN = 11.69, 8.27
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = 0.4, 0.55, 0.55
PRINT_WIDTH_PT = (PAGE_WIDTH_IN - 2 * MARGIN_LR) * 72
PRINT_HEIGHT_PT = (PAGE_HEIGHT_IN - MARGIN_TOP - MARGIN_BOTTOM) * 72 - 6
DIGIT_PX = 7  # max digit width of Arial 10 at 96 dpi, hinted: one Excel column-width unit
CELL_PADDING_PX = 5  # Excel adds 5 px to every column
# LibreOffice takes the stored width (width + 5/7) in unhinted digit widths (7.41 px): its
# columns print ~6 % wider than Excel's. Measured with LibreOffice 7.4: width 10 → 59.4 pt.
PRINT_PT_PER_UNIT = 7.41 * 0.75
PRINT_PT_PER_COLUMN = 5 / 7 * PRINT_PT_PER_UNIT
PRINT_SLACK = 0.98  # never fill a page to the last point
TEXT_PADDING_PX = 6  # room left and right of the text inside a cell
ROW_HEIGHT_PT = 13.5
LINE_HEIGHT_PT = 12.0


def _advance(char: str, bold: bool) -> int:
    if char in _SPECIAL:
        return _SPECIAL[char]
    table = _WIDTHS[bold]
    if char in table:
        return table[char]
    base = _BASE.get(char) or unicodedata.normalize("NFD", char)[:1]
    return table.get(base, 1139)


def text_px(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """Rendered width of ``text`` in pixels (96 dpi) at ``size`` points."""
    em = sum(_advance(c, bold) for c in text) / UNITS_PER_EM
    return em * size * 96 / 72 * SAFETY


def column_px(width: float) -> int:
    """Pixel width of an Excel column of ``width`` character units (as Excel and xlsxwriter)."""
    return int(width * DIGIT_PX + 0.5) + CELL_PADDING_PX


def width_for(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """The narrowest column width (character units) that shows ``text`` whole."""
    needed = text_px(text, bold, size) + TEXT_PADDING_PX
    return max(math.ceil((needed - CELL_PADDING_PX) / DIGIT_PX * 4) / 4, 1.0)


def fits(text: str, width_px: float, bold: bool = False, size: float = FONT_SIZE) -> bool:
    """Whether ``text`` shows whole, on one line, in a cell ``width_px`` wide."""
    return text_px(text, bold, size) + TEXT_PADDING_PX <= width_px


def wrap(text: str, width_px: float, bold: bool = False, size: float = FONT_SIZE) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width_px`` (a long word alone)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and not fits(candidate, width_px, bold, size):
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def points(width_units: float) -> float:
    """Printed width (points) of a column of ``width_units`` at 100 %: the wider of Excel's and
    LibreOffice's renderings (measured: LibreOffice 7.4 prints a width-10 column 59.4 pt wide)."""
    return max(column_px(width_units) * 0.75, width_units * PRINT_PT_PER_UNIT + PRINT_PT_PER_COLUMN)


def print_scale(widths: list[float], heights_pt: list[float]) -> int:
    """The largest print scale (10–100 %) at which the columns fit one page wide and each block
    of rows (``heights_pt``: one total per page) fits one page high."""
    width_pt = sum(points(w) for w in widths)
    tallest = max(heights_pt, default=0.0)
    scale = min(1.0, PRINT_SLACK * PRINT_WIDTH_PT / width_pt if width_pt else 1.0)
    if tallest:
        scale = min(scale, PRINT_SLACK * PRINT_HEIGHT_PT / tallest)
    return max(10, math.floor(scale * 100))
