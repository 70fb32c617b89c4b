"""Staffing as a wide form: one row per commune and, per field, a group title (the field's label
or code) over the sub-headers "Biên chế được giao" / "Số có mặt"; read as commune × field rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core import reference
from core.vietnamese import plain_words
from ingestion.contract.columns import STAFFING
from ingestion.contract.normalise import (
    Cell,
    InvalidValue,
    as_text,
    is_blank,
    resolve_code,
)
from ingestion.read.readers import SourceRow
from ingestion.table.header_match import HEADER_TEXT_CHARS, column_of
from ingestion.table.structure import total_text

SEARCH_ROWS = 60
_COUNTS = ("approved_posts", "filled_posts")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEADING_NUMBER = re.compile(r"^\s*(?:[IVXLC]{1,6}|[0-9]{1,2})[.)]\s*")
_DMY = re.compile(r"\b([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})\b")
_WORDED = re.compile(r"\bngay ([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})\b")
_DATE_WORDS = ("ngay bao cao", "den ngay")


@dataclass(frozen=True)
class Pair:
    """One field's column pair under its group title (``field`` None: the title is no field)."""

    title: str
    field: str | None
    approved: int
    filled: int
    approved_text: str
    filled_text: str

    @property
    def names(self) -> tuple[str, str]:
        """The pair's two cells as the table walk names them."""
        return f"{self.approved}:approved_posts", f"{self.filled}:filled_posts"

    @property
    def sender_names(self) -> tuple[str, str]:
        """The pair's two columns as the sender wrote them: "<title> / <sub-header>"."""
        return f"{self.title} / {self.approved_text}", f"{self.title} / {self.filled_text}"


@dataclass(frozen=True)
class DateLine:
    """A report date written above the header ("Ngày báo cáo: 29/8/2025")."""

    value: Cell
    text: str  # the line as the sender wrote it
    row: int


@dataclass(frozen=True)
class WideHeader:
    """A wide staffing header: the group-title row (index into the sheet's rows), the commune
    and report-date columns (None when absent), the field pairs, and a date line above."""

    start: int
    commune: int | None
    commune_text: str
    report_date: int | None
    report_date_text: str
    pairs: tuple[Pair, ...]
    date_line: DateLine | None

    @property
    def found(self) -> frozenset[str]:
        """The contract columns this header gives (field and counts come from the pairs)."""
        names = {"field_code", *_COUNTS}
        if self.commune is not None:
            names.add("commune_code")
        if self.report_date is not None or self.date_line is not None:
            names.add("report_date")
        return frozenset(names)

    @property
    def columns(self) -> dict[str, int]:
        """The sheet's columns the table walk reads, by name: the commune, the report date and
        both cells of every pair."""
        columns = {} if self.commune is None else {"commune_code": self.commune}
        if self.report_date is not None:
            columns["report_date"] = self.report_date
        for pair in self.pairs:
            approved, filled = pair.names
            columns[approved], columns[filled] = pair.approved, pair.filled
        return columns

    @property
    def counts(self) -> dict[str, str]:
        """Every count cell's name → its column as the sender wrote it (title / sub-header)."""
        return {
            name: sender
            for pair in self.pairs
            for name, sender in zip(pair.names, pair.sender_names, strict=True)
        }

    @property
    def partners(self) -> dict[str, str]:
        """Every count cell's name → the name of the other cell of its pair."""
        names = [pair.names for pair in self.pairs]
        return {**dict(names), **{filled: approved for approved, filled in names}}

    def sender_columns(self) -> dict[str, str]:
        first = self.pairs[0]
        return {
            "commune_code": self.commune_text,
            "field_code": "Lĩnh vực (tiêu đề nhóm cột)",
            "approved_posts": first.approved_text,
            "filled_posts": first.filled_text,
            "report_date": self.report_date_text
            if self.date_line is None
            else f"{self.date_line.text} (dòng {self.date_line.row})",
        }

    def explode(self, values: dict[str, Cell]) -> list[tuple[dict[str, Cell], dict[str, str]]]:
        """One commune row → its field rows, each with its columns as the sender named them; a
        field whose two cells are both blank is left out (the commune does not report it)."""
        report_date = values.get("report_date") if self.date_line is None else self.date_line.value
        out = []
        for pair in self.pairs:
            approved_name, filled_name = pair.names
            approved, filled = values.get(approved_name), values.get(filled_name)
            if is_blank(approved) and is_blank(filled):
                continue
            row = {
                "commune_code": values.get("commune_code"),
                "field_code": pair.field or pair.title,
                "approved_posts": approved,
                "filled_posts": filled,
                "report_date": report_date,
            }
            approved_column, filled_column = pair.sender_names
            columns = {
                "field_code": pair.title,
                "approved_posts": approved_column,
                "filled_posts": filled_column,
            }
            out.append((row, columns))
        return out


def field_of(title: str) -> str | None:
    """The field a group title names (its code or label, any spelling; a number before it or a
    note in parentheses after it allowed), None when it names none."""
    fields = reference.code_list(reference.FIELDS)
    for text in (title, _PARENTHESES.sub(" ", title), _LEADING_NUMBER.sub("", title)):
        try:
            code = resolve_code(text, fields)
        except InvalidValue:
            continue
        if code is not None:
            return code
    return None


def _pairs(top: tuple[Cell, ...], sub: tuple[Cell, ...], skip: set[int]) -> list[Pair]:
    """The column pairs under group titles: a title stands over the columns from its own to the
    next title (a merged title keeps its text in its first column); a group with both
    sub-headers is a pair; a total group ("Tổng số", "Cộng") is none."""
    groups: list[tuple[str, dict[str, tuple[int, str]]]] = []
    for index in range(max(len(top), len(sub))):
        if index in skip:
            groups.append(("", {}))
            continue
        title = as_text(top[index]) if index < len(top) else None
        if title is not None:
            groups.append((title[:HEADER_TEXT_CHARS], {}))
        column = column_of(sub[index], STAFFING) if index < len(sub) else None
        if column in _COUNTS and groups and groups[-1][0]:
            groups[-1][1].setdefault(column, (index, as_text(sub[index]) or column))
    pairs = []
    for title, cells in groups:
        if len(cells) < 2 or total_text([title]) is not None:
            continue
        (approved, approved_text), (filled, filled_text) = (cells[c] for c in _COUNTS)
        pairs.append(Pair(title, field_of(title), approved, filled, approved_text, filled_text))
    return pairs


def _date_in(row: SourceRow) -> Cell | None:
    """The date a report-date line gives: a date cell on it, else one written in its text."""
    for cell in row.cells:
        if isinstance(cell, date):
            return cell
    text = " ".join(as_text(cell) or "" for cell in row.cells)[:HEADER_TEXT_CHARS]
    if match := _DMY.search(text):
        return "/".join(match.groups())
    if match := _WORDED.search(plain_words(text)):
        return "/".join(match.groups())
    return None


def date_line(rows: list[SourceRow]) -> DateLine | None:
    """The nearest line above the header that gives the report date ("Ngày báo cáo: 29/8/2025",
    "(Số liệu tính đến ngày 29/8/2025)")."""
    for row in reversed(rows):
        text = " ".join(as_text(cell) or "" for cell in row.cells if not is_blank(cell))
        words = plain_words(text[:HEADER_TEXT_CHARS])
        if not any(phrase in words for phrase in _DATE_WORDS):
            continue
        value = _date_in(row)
        if value is not None:
            return DateLine(value, text[:HEADER_TEXT_CHARS], row.number)
    return None


def _find_column(rows: list[SourceRow], name: str) -> tuple[int, str] | None:
    """The column whose header on ``rows`` is exactly an accepted header of ``name`` (a line
    such as "Ngày báo cáo: 29/8/2025" is no header)."""
    for row in rows:
        for index, cell in enumerate(row.cells):
            if column_of(cell, STAFFING, exact=True) == name:
                return index, as_text(cell) or name
    return None


def find_wide_header(rows: list[SourceRow]) -> WideHeader | None:
    """The first wide header among the first rows: a row of group titles over a row of
    sub-headers with at least one field's pair; the commune and report-date columns found on
    those rows or the row above (a title merged down keeps its text in its top cell)."""
    for index in range(min(len(rows) - 1, SEARCH_ROWS)):
        sub = rows[index + 1].cells
        if not any(column_of(cell, STAFFING) in _COUNTS for cell in sub):
            continue
        around = rows[max(index - 1, 0) : index + 2]
        commune = _find_column(around, "commune_code")
        report_date = _find_column(around, "report_date")
        skip = {found[0] for found in (commune, report_date) if found is not None}
        pairs = _pairs(rows[index].cells, sub, skip)
        if not any(pair.field is not None for pair in pairs):
            continue
        return WideHeader(
            start=index,
            commune=commune[0] if commune else None,
            commune_text=commune[1] if commune else "Mã xã",
            report_date=report_date[0] if report_date else None,
            report_date_text=report_date[1] if report_date else "Ngày báo cáo",
            pairs=tuple(pairs),
            date_line=None if report_date else date_line(rows[:index]),
        )
    return None
