"""A small layout engine for printable sheets: blocks of tables and text placed in stacks.

A sheet is one or more stacks (columns of blocks) side by side; a block is a table (header,
rows, merged spans such as "Chưa nộp báo cáo biên chế") or a paragraph. Column widths come from
the texts (publishing.layout), headers wrap over their numbers, the print scale makes every page
one A4 landscape page wide and each page-block one page high. Same input → same bytes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from core import vietnamese
from core.formulas import neutralise_text
from publishing import layout

# Number formats: Vietnamese grouping (locale 042A) whatever the reader's locale in LibreOffice.
NUMBER_FORMATS = {
    "int": "[$-42A]#,##0",
    "signed": '[$-42A]+#,##0;"−"#,##0;0',
    "rate": "[$-42A]0.0%",
    "signed_pct": '[$-42A]+0.0%;"−"0.0%;0.0%',
    "signed_points": '[$-42A]+0.0" điểm";"−"0.0" điểm";0.0" điểm"',
    "days": "[$-42A]0.0",
    "signed_days": '[$-42A]+0.0" ngày";"−"0.0" ngày";0.0" ngày"',
}
HEADER_BG = "#DDEBF7"
INDENT_UNITS = 2.5  # one xlsxwriter indent level, in character units
MUTED = "#7F7F7F"


def display(value: Any, fmt: str) -> str:
    """The text a cell shows: what the number formats above render, as Vietnamese text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str) or fmt == "text":
        return str(value)
    number = float(value)
    if fmt == "int":
        return vietnamese.number(number)
    if fmt == "signed":
        return vietnamese.number(number, signed=True)
    if fmt == "rate":
        return vietnamese.number(number * 100, 1) + "%"
    if fmt == "signed_pct":
        return vietnamese.number(number * 100, 1, signed=True) + "%"
    if fmt == "signed_points":
        return vietnamese.number(number, 1, signed=True) + " điểm"
    if fmt == "days":
        return vietnamese.number(number, 1)
    if fmt == "signed_days":
        return vietnamese.number(number, 1, signed=True) + " ngày"
    raise ValueError(f"unknown format {fmt!r}")


@dataclass(frozen=True)
class Col:
    header: str
    fmt: str = "text"  # a key of NUMBER_FORMATS, or "text"
    wrap_at: float | None = None  # body text wraps at this width (character units)
    align: str | None = None  # text cells: "center" / "right"; numbers are always right
    stretch: bool = False  # takes the extra width when the sheet asks for a minimum width


@dataclass
class Table:
    columns: list[Col]
    rows: list[list[Any]]
    title: str | None = None
    groups: list[tuple[int, int, str]] = field(default_factory=list)  # header row above
    spans: list[tuple[int, int, int, str]] = field(default_factory=list)  # row, first, last, text
    bold_rows: set[int] = field(default_factory=set)
    muted_rows: set[int] = field(default_factory=set)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → format
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → background
    indent_rows: set[int] = field(default_factory=set)
    wrap_header: bool = True  # False: every header on one line (rows shared with other stacks)
    page_break: bool = False

    @property
    def width(self) -> int:
        return len(self.columns)

    def fmt(self, row: int, col: int) -> str:
        return self.formats.get((row, col), self.columns[col].fmt)


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    size: float = layout.FONT_SIZE
    colour: str | None = None
    page_break: bool = False


Block = Table | Paragraph


@dataclass
class Sheet:
    name: str
    stacks: list[list[Block]]
    header: list[Paragraph] = field(default_factory=list)  # across every stack
    footer_label: str = ""
    min_width: float = 0.0  # character units; the stretch column of the first stack widens


class Formats:
    """One xlsxwriter format per distinct look, created on first use."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.cache: dict[tuple, Any] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            spec = {"font_name": layout.FONT_NAME, "font_size": layout.FONT_SIZE, **props}
            fmt = spec.pop("fmt", None)
            if fmt in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[fmt]
            self.cache[key] = self.book.add_format(spec)
        return self.cache[key]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value)


def _cell_text(value: Any, fmt: str) -> str:
    return display(value, fmt if _is_number(value) else "text")


def _spanned(table: Table) -> set[tuple[int, int]]:
    return {(r, c) for r, first, last, _ in table.spans for c in range(first, last + 1)}


MAX_HEADER_LINES = 3


def _header_width(header: str, wrap: bool) -> float:
    """The narrowest width showing ``header`` whole: on one line, or in at most 3 lines with
    no word cut."""
    if not wrap:
        return layout.width_for(header, bold=True)
    width = max(layout.width_for(w, bold=True) for w in header.replace("\n", " ").split(" "))
    while len(layout.wrap(header, layout.column_px(width), bold=True)) > MAX_HEADER_LINES:
        width += 0.5
    return width


def _widen(widths: list[float], first: int, last: int, need_px: float) -> None:
    """Widen columns first..last evenly until together they are ``need_px`` wide."""
    total = sum(layout.column_px(widths[c]) for c in range(first, last + 1))
    if need_px <= total:
        return
    extra = math.ceil((need_px - total) / layout.DIGIT_PX / (last - first + 1) * 4) / 4
    for c in range(first, last + 1):
        widths[c] += extra


def column_widths(stack: list[Block], min_width: float = 0.0) -> list[float]:
    """Widths (character units) of a stack's columns from every cell they show."""
    tables = [b for b in stack if isinstance(b, Table)]
    count = max((t.width for t in tables), default=1)
    widths = [3.0] * count
    for table in tables:
        spanned = _spanned(table)
        for j, col in enumerate(table.columns):
            widths[j] = max(widths[j], _header_width(col.header, table.wrap_header))
            for i, row in enumerate(table.rows):
                if (i, j) in spanned:
                    continue
                text = _cell_text(row[j], table.fmt(i, j))
                need = layout.width_for(text, bold=i in table.bold_rows) if text else 1.0
                if i in table.indent_rows:
                    need += INDENT_UNITS
                if col.wrap_at is not None:
                    need = min(need, col.wrap_at)
                widths[j] = max(widths[j], need)
    for table in tables:
        for i, first, last, text in table.spans:
            need = layout.text_px(text, bold=i in table.bold_rows) + layout.TEXT_PADDING_PX
            _widen(widths, first, last, need)
        for first, last, text in table.groups:
            _widen(widths, first, last, layout.text_px(text, bold=True) + layout.TEXT_PADDING_PX)
    if min_width > sum(widths):
        stretch = [j for t in tables for j, c in enumerate(t.columns) if c.stretch] or [count - 1]
        widths[stretch[0]] += min_width - sum(widths)
    return widths


def _lines(text: str, width_px: float, bold: bool = False, size: float = layout.FONT_SIZE) -> int:
    return len(layout.wrap(text, width_px, bold, size))


def _height(lines: int, size: float = layout.FONT_SIZE) -> float:
    ratio = size / layout.FONT_SIZE
    return layout.ROW_HEIGHT_PT * ratio + (lines - 1) * layout.LINE_HEIGHT_PT * ratio


class SheetWriter:
    """Writes one :class:`Sheet` into an xlsxwriter worksheet and sets its print layout."""

    def __init__(self, book: Any, formats: Formats, sheet: Sheet) -> None:
        self.ws = book.add_worksheet(sheet.name)
        self.formats = formats
        self.sheet = sheet
        self.heights: dict[int, float] = {}
        self.breaks: list[int] = []

    def _set_height(self, row: int, height: float) -> None:
        self.heights[row] = max(self.heights.get(row, layout.ROW_HEIGHT_PT), height)

    def write(self) -> None:
        sheet, ws = self.sheet, self.ws
        stack_widths = [
            column_widths(stack, sheet.min_width if k == 0 else 0.0)
            for k, stack in enumerate(sheet.stacks)
        ]
        offsets, col = [], 0
        for widths in stack_widths:
            offsets.append(col)
            col += len(widths) + 1
        all_widths: list[float] = []
        for k, widths in enumerate(stack_widths):
            all_widths += widths
            if k < len(stack_widths) - 1:
                all_widths.append(2.0)
        for j, width in enumerate(all_widths):
            ws.set_column(j, j, width)
        ws.set_default_row(layout.ROW_HEIGHT_PT)
        total_px = sum(layout.column_px(w) for w in all_widths)

        row = 0
        for paragraph in sheet.header:
            row = self._paragraph(paragraph, row, 0, len(all_widths) - 1, total_px)
        top = row
        page_starts = [0]
        ends = []
        for stack, offset, widths in zip(sheet.stacks, offsets, stack_widths, strict=True):
            row = top
            width_px = sum(layout.column_px(w) for w in widths)
            for block in stack:
                if block.page_break and row > 0:
                    self.breaks.append(row)
                    page_starts.append(row)
                if isinstance(block, Paragraph):
                    row = self._paragraph(block, row, offset, offset + len(widths) - 1, width_px)
                else:
                    row = self._table(block, row, offset, widths)
                row += 1
            ends.append(row)
        last_row = max(ends) - 1
        for r, height in self.heights.items():
            ws.set_row(r, height)

        pages = [*sorted(set(page_starts)), last_row + 1]
        heights = [
            sum(self.heights.get(r, layout.ROW_HEIGHT_PT) for r in range(a, b))
            for a, b in itertools.pairwise(pages)
        ]
        self._print_setup(all_widths, heights, last_row)

    def _paragraph(self, p: Paragraph, row: int, first: int, last: int, width_px: float) -> int:
        props: dict[str, Any] = {"text_wrap": True, "valign": "top", "bold": p.bold}
        if p.size != layout.FONT_SIZE:
            props["font_size"] = p.size
        if p.colour:
            props["font_color"] = p.colour
        fmt = self.formats.get(**props)
        text = str(neutralise_text(p.text))
        if first == last:
            self.ws.write_string(row, first, text, fmt)
        else:
            self.ws.merge_range(row, first, row, last, text, fmt)
        self._set_height(row, _height(_lines(p.text, width_px, p.bold, p.size), p.size))
        return row + 1

    def _table(self, t: Table, row: int, offset: int, widths: list[float]) -> int:
        ws, f = self.ws, self.formats
        width_px = sum(layout.column_px(widths[j]) for j in range(t.width))
        if t.title:
            row = self._paragraph(
                Paragraph(t.title, bold=True), row, offset, offset + t.width - 1, width_px
            )
        header = f.get(
            bold=True,
            text_wrap=True,
            align="center",
            valign="vcenter",
            bg_color=HEADER_BG,
            border=1,
        )
        if t.groups:
            grouped = {c for first, last, _ in t.groups for c in range(first, last + 1)}
            for first, last, text in t.groups:
                if first == last:
                    ws.write_string(row, offset + first, text, header)
                else:
                    ws.merge_range(row, offset + first, row, offset + last, text, header)
            for j in range(t.width):
                if j not in grouped:  # a column without a group: its header spans both rows
                    ws.merge_range(
                        row, offset + j, row + 1, offset + j, t.columns[j].header, header
                    )
            row += 1
        lines = 1
        for j, col in enumerate(t.columns):
            if t.groups and j not in {c for a, b, _ in t.groups for c in range(a, b + 1)}:
                continue
            ws.write_string(row, offset + j, col.header, header)
            lines = max(lines, _lines(col.header, layout.column_px(widths[j]), bold=True))
        self._set_height(row, _height(lines))
        row += 1
        spans = {(r, first): (last, text) for r, first, last, text in t.spans}
        spanned = _spanned(t)
        for i, values in enumerate(t.rows):
            bold = i in t.bold_rows
            line_count = 1
            for j, col in enumerate(t.columns):
                if (i, j) in spans:
                    last, text = spans[(i, j)]
                    fmt = f.get(border=1, italic=True, font_color=MUTED, align="center", bold=bold)
                    if last == j:
                        ws.write_string(row, offset + j, text, fmt)
                    else:
                        ws.merge_range(row, offset + j, row, offset + last, text, fmt)
                    continue
                if (i, j) in spanned:
                    continue
                value = values[j]
                props: dict[str, Any] = {"border": 1, "bold": bold, "valign": "top"}
                if (i, j) in t.fills:
                    props["bg_color"] = t.fills[(i, j)]
                if i in t.muted_rows:
                    props["font_color"] = MUTED
                if _is_number(value):
                    ws.write_number(row, offset + j, float(value), f.get(fmt=t.fmt(i, j), **props))
                elif value is None or value == "":
                    ws.write_blank(row, offset + j, None, f.get(**props))
                else:
                    text = display(value, "text")
                    if col.wrap_at is not None:
                        props["text_wrap"] = True
                        line_count = max(
                            line_count, _lines(text, layout.column_px(widths[j]), bold)
                        )
                    if col.align:
                        props["align"] = col.align
                    elif col.fmt != "text":  # text standing in a number column: over the numbers
                        props["align"] = "right"
                    if i in t.indent_rows and j == 0:
                        props |= {"indent": 1, "align": "left"}
                    if text == "Chưa nộp":
                        props |= {"italic": True, "font_color": MUTED, "align": "center"}
                    ws.write_string(row, offset + j, str(neutralise_text(text)), f.get(**props))
            if line_count > 1:
                self._set_height(row, _height(line_count))
            row += 1
        return row

    def _print_setup(self, widths: list[float], heights: list[float], last_row: int) -> None:
        ws = self.ws
        a4_landscape(ws, self.sheet.name, self.sheet.footer_label)
        ws.print_area(0, 0, last_row, len(widths) - 1)
        ws.set_print_scale(layout.print_scale(widths, heights))
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks)
        ws.hide_gridlines(2)  # tables carry their own borders


def a4_landscape(ws, name: str, footer_label: str) -> None:
    """A4 landscape with the workbook's margins, the sheet's name above and "Trang i/n" below."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(
        left=layout.MARGIN_LR,
        right=layout.MARGIN_LR,
        top=layout.MARGIN_TOP,
        bottom=layout.MARGIN_BOTTOM,
    )
    ws.set_header(f'&L&"Arial"&8{name}', {"margin": 0.25})
    ws.set_footer(f'&L&"Arial"&8{footer_label}&R&"Arial"&8Trang &P/&N', {"margin": 0.25})
