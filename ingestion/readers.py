"""Bytes → rows numbered as the sender sees them: CSV (UTF-8, UTF-8-BOM, Windows-1258) or Excel."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from ingestion.normalise import Cell, is_blank
from ingestion.rejections import Rejection, reject

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, which calamine also reads


@dataclass(frozen=True)
class SourceRow:
    """One row: its number in the sender's program (Excel row, CSV line with the header on 1)."""

    number: int
    cells: tuple[Cell, ...]


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) when the bytes are valid UTF-8, else Windows-1258; always NFC.

    Raises UnicodeDecodeError when neither fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258")
    return unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 100


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for candidate in (",", ";", "\t"):
        score = sum(1 for line in lines if candidate in line)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(data: bytes, file_name: str) -> list[SourceRow] | Rejection:
    """CSV records numbered from 1 (a blank line still counts, as it does in Excel)."""
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        return reject("unreadable_file", file_name, detail=f"not UTF-8 or Windows-1258: {error}")
    if _looks_binary(text):
        return reject("unreadable_file", file_name, detail="binary content in a CSV file")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        return reject("unreadable_file", file_name, detail=f"malformed CSV: {error}")
    return [SourceRow(number, tuple(record)) for number, record in enumerate(records, start=1)]


def read_excel(data: bytes, file_name: str) -> list[SourceRow] | Rejection:
    """The first sheet, each row numbered as Excel shows it (leading blank rows counted)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            return reject("empty_file", file_name)
        sheet = workbook.get_sheet_by_index(0)
        grid = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several types for corrupt workbooks
        return reject("unreadable_file", file_name, detail=f"{type(error).__name__}: {error}")
    rows = []
    for index, cells in enumerate(grid):
        normalised = tuple(
            unicodedata.normalize("NFC", cell) if isinstance(cell, str) else cell for cell in cells
        )
        rows.append(SourceRow(index + 1, normalised))
    return rows


def read_rows(data: bytes, file_name: str) -> list[SourceRow] | Rejection:
    """Rows of a CSV or Excel file (format told by the bytes); ``empty_file`` if none has data."""
    if data.startswith((_ZIP, _OLE)):
        rows = read_excel(data, file_name)
    elif file_name.lower().endswith((".xlsx", ".xls")) and data.strip():
        rows = reject("unreadable_file", file_name, detail="not an Excel workbook")
    else:
        rows = read_csv(data, file_name)
    if isinstance(rows, Rejection):
        return rows
    if not any(not is_blank(cell) for row in rows for cell in row.cells):
        return reject("empty_file", file_name)
    return rows
