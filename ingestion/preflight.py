"""Judge a zip-based workbook (.xlsx, .ods) from its directory before any cell is decompressed.

A 5 KB workbook can declare a sheet of 17 billion cells (``<dimension ref="A1:XFD1048576"/>``)
and a 66 KB one can inflate to a 64 MB string; readers size their grids and strings from those.
The zip central directory gives every member's sizes without decompressing anything, and the
declared dimension sits in the first bytes of the sheet's XML, so only those are inflated.
Pure apart from reading the bytes it is given.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ingestion.limits import Limits
from ingestion.messages import vn_number

RATIO_FLOOR_BYTES = 8 * 1024 * 1024  # small archives cannot hurt, whatever their ratio
_HEAD_BYTES = 64 * 1024  # of the sheet XML: the dimension comes before any cell
_WORKBOOK_BYTES = 1024 * 1024  # workbook.xml and its relationships: a sheet list, never large
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?\""
)
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br(?:elationships)?:id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"(\w+)=\"([^\"]*)\"")


@dataclass(frozen=True)
class Finding:
    """A limit a workbook is over: the ``file_too_complex`` message variant and its figures."""

    variant: str | None  # None: the declared dimension; "uncompressed"; "ratio"
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


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The member holding the first sheet of an .xlsx (the one readers open first)."""
    names = set(archive.namelist())
    workbook = _read_head(archive, "xl/workbook.xml", _WORKBOOK_BYTES)
    rels = _read_head(archive, "xl/_rels/workbook.xml.rels", _WORKBOOK_BYTES)
    if workbook and rels and (match := _FIRST_SHEET.search(workbook)):
        for element in _RELATIONSHIP.findall(rels):
            attributes = dict(_ATTRIBUTE.findall(element))
            if attributes.get(b"Id") == match.group(1):
                target = attributes.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
                candidate = target if target.startswith("xl/") else f"xl/{target}"
                if candidate in names:
                    return candidate
    return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else None


def check_workbook(data: bytes, limits: Limits) -> Finding | None:
    """The first limit a zip-based workbook is over, or None (also None when ``data`` is not a
    readable zip: the reader then says why it cannot be read)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    with archive:
        inflated = sum(member.file_size for member in members)
        if inflated > limits.max_uncompressed_bytes:
            return Finding(
                "uncompressed",
                {
                    "size_mb": vn_number(round(inflated / 1024 / 1024, 1)),
                    "limit_mb": vn_number(limits.max_uncompressed_bytes // 1024 // 1024),
                },
                f"{inflated} bytes uncompressed",
            )
        ratio = inflated / max(len(data), 1)
        if inflated > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            return Finding(
                "ratio",
                {
                    "ratio": vn_number(round(ratio)),
                    "limit": vn_number(round(limits.max_compression_ratio)),
                    "packed_kb": vn_number(round(len(data) / 1024)),
                    "size_mb": vn_number(round(inflated / 1024 / 1024, 1)),
                },
                f"ratio {ratio:.0f}:1 ({len(data)} → {inflated} bytes)",
            )
        try:
            sheet = _first_sheet(archive)
            head = _read_head(archive, sheet, _HEAD_BYTES) if sheet else None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return None  # a corrupt member: the reader will say the file cannot be read
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
    return Finding(
        None,
        {
            "dimension": dimension.upper(),
            "cells": vn_number(cells),
            "limit": vn_number(limits.max_sheet_cells),
        },
        f"declared dimension {dimension.upper()} = {cells} cells",
    )
