"""One landed file → its validation: read, find the table, check every row. Run in the parsing
child (:mod:`ingestion.parsing.isolation`); pure apart from reading the file it is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.weeks import IsoWeek
from ingestion.contract import warnings as warning_codes
from ingestion.contract.columns import REPORT
from ingestion.contract.limits import Limits
from ingestion.contract.rejections import Rejection
from ingestion.outcomes import FileStatus
from ingestion.read.documents import read_document
from ingestion.read.readers import Book, read_book
from ingestion.table.headers import Table, locate_table
from ingestion.table.structure import SubtotalMismatch
from ingestion.validate.report_items import report_items, sections_found
from ingestion.validate.rules import Validation, validate


@dataclass
class Parsed:
    """What the pipeline keeps of one file: its validation, the sender's column headers, the
    warnings told to the province (``ingestion.contract.warnings`` codes), and what the table
    layer found (the sheet read, the other sheets holding the header, the rows skipped as
    structure, the subtotals that do not add up), which the file's feedback tells; for a report,
    the sections found (``ingestion.contract.report_sections``)."""

    validation: Validation
    sender_columns: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    sheet_name: str | None = None
    other_sheets: tuple[str, ...] = ()
    rows_skipped: int = 0
    subtotals: tuple[SubtotalMismatch, ...] = ()
    sections: tuple[str, ...] = ()


def whole_file(rejections: list[Rejection], rows_total: int = 0) -> Parsed:
    """A file rejected whole for the first of ``rejections``."""
    code = rejections[0].code
    return Parsed(Validation([], rejections, rows_total, 0, 0, FileStatus.REJECTED, code))


def parse_bytes(
    data: bytes, file_name: str, kind: str, province_code: str, week: IsoWeek, limits: Limits
) -> Parsed:
    """Everything between a file's bytes and its staged rows."""
    if kind == REPORT:
        return parse_report(data, file_name, province_code, limits)
    book = read_book(data, file_name, limits)
    if isinstance(book, Rejection):
        return whole_file([book])
    return parse_book(book, file_name, kind, province_code, week, limits)


def parse_report(data: bytes, file_name: str, province_code: str, limits: Limits) -> Parsed:
    """A seconded official's report: its sections and items (SPEC §2b)."""
    blocks = read_document(data, file_name, limits)
    if isinstance(blocks, Rejection):
        return whole_file([blocks])
    validation = report_items(blocks, file_name, province_code)
    return Parsed(validation, sections=sections_found(validation))


def parse_book(
    book: Book, file_name: str, kind: str, province_code: str, week: IsoWeek, limits: Limits
) -> Parsed:
    """Everything between a file's sheets and its staged rows: the table, its rows checked."""
    table = locate_table(book, kind, file_name, limits)
    if isinstance(table, list):
        parsed = whole_file(table)
        parsed.warnings = book.warnings
        return parsed
    validation = validate(table, kind, province_code, week, file_name, limits)
    warnings = tuple(dict.fromkeys(book.warnings + _table_warnings(table) + validation.warnings))
    return Parsed(
        validation,
        table.sender_columns,
        warnings,
        table.sheet_name,
        table.other_sheets,
        table.rows_skipped,
        table.subtotals,
    )


def _table_warnings(table: Table) -> tuple[str, ...]:
    found = (warning_codes.OTHER_SHEET_HAS_HEADER,) * bool(table.other_sheets)
    return found + (warning_codes.SUBTOTAL_MISMATCH,) * bool(table.subtotals)


def parse_path(
    path: str, file_name: str, kind: str, province_code: str, week: IsoWeek, limits: Limits
) -> Parsed:
    """:func:`parse_bytes` of the file at ``path`` (a landed copy, within the size limit)."""
    return parse_bytes(Path(path).read_bytes(), file_name, kind, province_code, week, limits)
