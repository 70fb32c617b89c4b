"""Books built cell by cell, as the reader gives them (visible sheets, the active one, merged
ranges, formula errors), and parsed the way the parsing child parses a file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.parsing.parse import Parsed, parse_book
from ingestion.read.readers import Book, Merge, Sheet, SourceRow
from tests.support.forms import PP, WEEK


def sheet(grid: Sequence[Sequence[Any]], name: str = "Báo cáo", merged: Sequence = ()) -> Sheet:
    """A sheet holding ``grid`` from A1 (Excel row numbers from 1); ``merged``: (first row, first
    column, last row, last column) with Excel row numbers and 0-based columns."""
    rows = [SourceRow(number, tuple(cells)) for number, cells in enumerate(grid, start=1)]
    return Sheet(rows, name=name, merged=tuple(Merge(*m) for m in merged))


def book(*sheets: Sheet, active: int | None = 0) -> Book:
    return Book(tuple(sheets), active)


def parse(
    source: Book | Sheet,
    kind: str,
    file_name: str = "f.xlsx",
    province: str = PP,
    week: IsoWeek = WEEK,
) -> Parsed:
    """``source`` parsed as the parsing child parses a file (a sheet alone is a book of one)."""
    books = source if isinstance(source, Book) else book(source)
    return parse_book(books, file_name, kind, province, week, Limits())
