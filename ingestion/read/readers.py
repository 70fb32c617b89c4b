"""Bytes → a book of sheets, rows numbered as the sender sees them: CSV (UTF-8, UTF-8-BOM,
Windows-1258, or a mix of them line by line; one sheet) or a workbook (.xlsx, .xls, .ods: every
visible worksheet, the one it opens on marked, merged ranges and formula errors kept), judged
before it is opened (:mod:`ingestion.read.workbook_open`)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from python_calamine import CalamineSheet, PasswordError, SheetTypeEnum, SheetVisibleEnum

from ingestion.contract import warnings
from ingestion.contract.limits import Limits
from ingestion.contract.normalise import Cell, FormulaError, is_blank
from ingestion.contract.rejections import Rejection, reject
from ingestion.read.cell_facts import SheetFacts
from ingestion.read.workbook_open import OLE, ZIP, open_workbook, protected

_BOM = b"\xef\xbb\xbf"
WORKBOOK_EXTENSIONS = (".xlsx", ".xls", ".ods")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters but tab, CR, LF
MAX_COLUMNS = 1024  # cells kept per row: no form is wider, and a row of a million commas is no row


class SourceRow(NamedTuple):
    """One row: its number in the sender's program (Excel row, CSV line with the header on 1)."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Merge:
    """A merged range as the sender sees it: Excel row numbers (``SourceRow.number``) and 0-based
    column indexes into ``SourceRow.cells``, both ends included. Its value is in its first cell."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet (a CSV file is one sheet), its merged ranges, its name (None for
    CSV) and the warnings reading it raised (``ingestion.contract.warnings`` codes)."""

    rows: list[SourceRow]
    warnings: tuple[str, ...] = ()
    name: str | None = None
    merged: tuple[Merge, ...] = ()


@dataclass(frozen=True)
class Book:
    """Every sheet of a file that may be read: the visible worksheets in workbook order (hidden
    sheets are never read), and the index of the one the workbook opens on (None when that one
    is hidden or cannot be told). A CSV file is a book of one sheet, active."""

    sheets: tuple[Sheet, ...]
    active: int | None = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decoded:
    text: str
    mixed: bool  # some lines were UTF-8 and others Windows-1258


def decode_csv(data: bytes) -> Decoded:
    """UTF-8 (BOM or not) when every byte fits, else each line on its own: UTF-8 if it is valid
    UTF-8, else Windows-1258. Always NFC. Raises UnicodeDecodeError when a line fits neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(unicodedata.normalize("NFC", data.decode("utf-16")), False)
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    try:
        return Decoded(unicodedata.normalize("NFC", body.decode("utf-8")), False)
    except UnicodeDecodeError:
        pass
    parts, utf8_lines, legacy_lines = [], 0, 0
    for line in body.splitlines(keepends=True):
        try:
            text = line.decode("utf-8")
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1258")
            legacy_lines += 1
        parts.append(text)
    return Decoded(unicodedata.normalize("NFC", "".join(parts)), bool(utf8_lines and legacy_lines))


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100


def _delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for candidate in (",", ";", "\t"):
        score = sum(1 for line in lines if candidate in line)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(data: bytes, file_name: str) -> Sheet | Rejection:
    """CSV records numbered from 1 (a blank line still counts, as it does in Excel)."""
    try:
        decoded = decode_csv(data)
    except UnicodeDecodeError as error:
        return reject("unreadable_file", file_name, detail=f"not UTF-8 or Windows-1258: {error}")
    text = decoded.text
    if _looks_binary(text):
        return reject("unreadable_file", file_name, detail="binary content in a CSV file")
    # A cell may be as long as the file: long cells are refused per row (value_too_long).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        return reject("unreadable_file", file_name, detail=f"malformed CSV: {error}")
    rows = [
        SourceRow(number, tuple(record[:MAX_COLUMNS]))
        for number, record in enumerate(records, start=1)
    ]
    return Sheet(rows, (warnings.MIXED_ENCODING,) if decoded.mixed else ())


def read_workbook(data: bytes, file_name: str, limits: Limits) -> Book | Rejection:
    """Every visible worksheet of a workbook (:func:`ingestion.read.workbook_open.open_workbook`
    judged it readable and within the limits), each row numbered as Excel shows it (leading
    blank rows counted), merged ranges and formula errors as the file holds them."""
    try:
        opened = open_workbook(data, file_name, limits)
        if isinstance(opened, Rejection):
            return opened
        workbook = opened.workbook
        sheets: list[Sheet] = []
        active = None
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue  # hidden sheets, charts and macro sheets are never read
            if index == opened.active:
                active = len(sheets)
            sheets.append(_sheet(workbook.get_sheet_by_index(index), opened.facts(index)))
    except PasswordError as error:
        return protected(file_name, f"{type(error).__name__}: {error}")
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise  # over the memory limit: the isolation layer answers file_too_complex
    except BaseException as error:  # corrupt workbooks: calamine errors, even Rust panics
        return reject("unreadable_file", file_name, detail=f"{type(error).__name__}: {error}")
    if not sheets:
        return reject("empty_file", file_name)
    return Book(tuple(sheets), active)


def _sheet(sheet: CalamineSheet, facts: SheetFacts) -> Sheet:
    """One calamine sheet as rows from A1, its formula errors put in their cells."""
    grid = sheet.to_python(skip_empty_area=False)
    for block in facts.errors:
        error = FormulaError(block.text)
        for cells in grid[block.row : block.row + block.rows]:
            last = min(block.column + block.columns, len(cells))
            cells[block.column : last] = [error] * max(last - block.column, 0)
    nfc = unicodedata.normalize
    rows = [
        SourceRow(
            number,
            # ASCII text is NFC already: only other text is normalised (most cells are codes)
            tuple(
                [
                    nfc("NFC", cell) if isinstance(cell, str) and not cell.isascii() else cell
                    for cell in (cells if len(cells) <= MAX_COLUMNS else cells[:MAX_COLUMNS])
                ]
            ),
        )
        for number, cells in enumerate(grid, start=1)
    ]
    ranges = sheet.merged_cell_ranges
    if ranges is None:  # calamine reads the merges of .xlsx and .xls only
        ranges = [((r0, c0), (r1, c1)) for r0, c0, r1, c1 in facts.merges]
    merged = tuple(Merge(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in ranges)
    return Sheet(rows, name=sheet.name, merged=merged)


def read_book(data: bytes, file_name: str, limits: Limits | None = None) -> Book | Rejection:
    """The sheets of a CSV or workbook file (format told by the bytes); ``empty_file`` if no
    sheet has data."""
    if data.startswith((ZIP, OLE)):
        book = read_workbook(data, file_name, limits or Limits())
    elif file_name.lower().endswith(WORKBOOK_EXTENSIONS) and data.strip():
        book = reject("unreadable_file", file_name, detail="not a workbook")
    else:
        sheet = read_csv(data, file_name)
        book = sheet if isinstance(sheet, Rejection) else Book((sheet,), 0, sheet.warnings)
    if isinstance(book, Rejection):
        return book
    if not any(
        not is_blank(cell) for sheet in book.sheets for row in sheet.rows for cell in row.cells
    ):
        return reject("empty_file", file_name)
    return book
