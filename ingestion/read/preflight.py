"""Judge a zip-based workbook (.xlsx, .ods) from its directory before any cell is decompressed.

A 5 KB workbook can declare a sheet of 17 billion cells (``<dimension ref="A1:XFD1048576"/>``)
and a 66 KB one can inflate to a 64 MB string; readers size their grids and strings from those.
The zip central directory gives every member's sizes without decompressing anything, and the
declared dimension sits in the first bytes of each sheet's XML, so only those are inflated (an
.ods declares nothing: :mod:`ingestion.read.ods_structure` counts its cells with
:func:`over_dimension`). Pure apart from reading the bytes it is given.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from ingestion.contract.limits import Limits
from ingestion.contract.messages import vn_number
from ingestion.read.cell_facts import MAX_MERGES, column_name
from ingestion.read.xlsx_structure import XlsxSheet

RATIO_FLOOR_BYTES = 8 * 1024 * 1024  # small archives cannot hurt, whatever their ratio
_HEAD_BYTES = 64 * 1024  # of the sheet XML: the dimension comes before any cell
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?\""
)


@dataclass(frozen=True)
class Finding:
    """A limit a workbook is over: the ``file_too_complex`` message variant and its figures."""

    variant: str | None  # None: a sheet's dimension; "uncompressed"; "ratio"; "merges"
    context: dict[str, str]
    detail: str


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _read_head(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except KeyError:
        return None


def over_dimension(sheet: str, rows: int, columns: int, limits: Limits) -> Finding | None:
    """The dimension finding when a sheet spanning A1 to (``rows``, ``columns``) is over the
    cell limit (readers fill the grid from A1), else None."""
    cells = rows * columns
    if cells <= limits.max_sheet_cells:
        return None
    dimension = f"A1:{column_name(columns - 1)}{rows}"
    return _dimension_finding(sheet, dimension, cells, limits)


def _dimension_finding(sheet: str, dimension: str, cells: int, limits: Limits) -> Finding:
    return Finding(
        None,
        {
            "sheet": sheet,
            "dimension": dimension,
            "cells": vn_number(cells),
            "limit": vn_number(limits.max_sheet_cells),
        },
        f"sheet {sheet!r}: dimension {dimension} = {cells} cells",
    )


def too_many_merges(sheet: str, merges: int) -> Finding:
    """A sheet with more merged ranges than :data:`ingestion.read.cell_facts.MAX_MERGES`."""
    return Finding(
        "merges",
        {"sheet": sheet, "merges": vn_number(merges), "limit": vn_number(MAX_MERGES)},
        f"sheet {sheet!r}: {merges} merged ranges, over {MAX_MERGES}",
    )


def check_archive(archive: zipfile.ZipFile, packed_bytes: int, limits: Limits) -> Finding | None:
    """The uncompressed size or compression ratio of a zip, when over its limit."""
    inflated = sum(member.file_size for member in archive.infolist())
    if inflated > limits.max_uncompressed_bytes:
        return Finding(
            "uncompressed",
            {
                "size_mb": vn_number(round(inflated / 1024 / 1024, 1)),
                "limit_mb": vn_number(limits.max_uncompressed_bytes // 1024 // 1024),
            },
            f"{inflated} bytes uncompressed",
        )
    ratio = inflated / max(packed_bytes, 1)
    if inflated > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
        return Finding(
            "ratio",
            {
                "ratio": vn_number(round(ratio)),
                "limit": vn_number(round(limits.max_compression_ratio)),
                "packed_kb": vn_number(round(packed_bytes / 1024)),
                "size_mb": vn_number(round(inflated / 1024 / 1024, 1)),
            },
            f"ratio {ratio:.0f}:1 ({packed_bytes} → {inflated} bytes)",
        )
    return None


def _declared_dimension(
    archive: zipfile.ZipFile, sheet: XlsxSheet, limits: Limits
) -> Finding | None:
    """The dimension an .xlsx sheet declares, when over the cell limit."""
    if sheet.member is None:
        return None
    head = _read_head(archive, sheet.member, _HEAD_BYTES)
    match = _DIMENSION.search(head or b"")
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    columns = _column_number(last_col or first_col)
    rows = int(last_row or first_row)
    cells = columns * rows  # readers fill the grid from A1
    if cells <= limits.max_sheet_cells:
        return None
    dimension = (first_col + first_row).decode()
    if last_col:
        dimension += ":" + (last_col + last_row).decode()
    return _dimension_finding(sheet.name, dimension.upper(), cells, limits)


def check_sheets(
    archive: zipfile.ZipFile, sheets: list[XlsxSheet], limits: Limits
) -> Finding | None:
    """The first shown sheet of an .xlsx (a visible worksheet: the ones read) whose declared
    dimension is over the cell limit."""
    for sheet in sheets:
        if sheet.shown and (finding := _declared_dimension(archive, sheet, limits)):
            return finding
    return None
