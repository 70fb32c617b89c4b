"""An OpenDocument spreadsheet's structure from its own parts: password protection (the
manifest), the sheet it opens on (settings.xml), and, in one streamed pass over content.xml,
each table's merged ranges, formula errors and the cells a reader would fill, stopping as soon
as a table is over the limit (the ``.ods`` dimension bomb: a few bytes repeated a billion times).

Elements are matched by the names LibreOffice writes (``table:table-cell``), as calamine does.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from dataclasses import dataclass, field

from ingestion import xml_stream
from ingestion.cell_facts import MAX_MERGES, UNKNOWN_ERROR, ErrorCells, SheetFacts, is_error_text
from ingestion.limits import Limits
from ingestion.preflight import Finding, over_dimension, too_many_merges

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTION = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")
_MANIFEST_BYTES = 4 * 1024 * 1024
_CELLS = ("table:table-cell", "table:covered-table-cell")


def is_encrypted(archive: zipfile.ZipFile) -> bool:
    """Saved with a password: the manifest lists how its parts were encrypted."""
    try:
        with archive.open("META-INF/manifest.xml") as manifest:
            return bool(_ENCRYPTION.search(manifest.read(_MANIFEST_BYTES)))
    except KeyError:
        return False


class _Stop(Exception):
    """Raised by a handler to end a walk early (found what it looked for, or over a limit)."""


def active_table(archive: zipfile.ZipFile) -> str | None:
    """The name of the table the document opens on (``ActiveTable`` of its first view), or
    None when settings.xml does not say."""
    if "settings.xml" not in archive.namelist():
        return None
    expat = xml_stream.parser()
    found: list[str] = []
    collecting: list[str] | None = None

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal collecting
        if name == "config:config-item" and attributes.get("config:name") == "ActiveTable":
            collecting = []

    def text(data: str) -> None:
        if collecting is not None:
            collecting.append(data)

    def end(name: str) -> None:
        if collecting is not None and name == "config:config-item":
            found.append("".join(collecting))
            raise _Stop

    expat.StartElementHandler, expat.CharacterDataHandler = start, text
    expat.EndElementHandler = end
    with contextlib.suppress(_Stop):
        xml_stream.feed(expat, archive, "settings.xml")
    return found[0] if found else None


@dataclass
class _Walk:
    """The state of the pass over content.xml."""

    limits: Limits
    tables: list[SheetFacts] = field(default_factory=list)
    name: str = ""
    row: int = 0  # 0-based index of the current row's first repetition
    repeat: int = 1  # how many times the current row stands
    column: int = 0
    last_row: int = 0  # 1-based extent of the current table (rows, columns holding content)
    last_column: int = 0
    row_last_column: int = 0
    error: tuple[int, int, str | None, list[str]] | None = None  # a formula cell, its text kept
    comments: int = 0  # depth in a cell's comment (office:annotation), whose text is not shown
    finding: Finding | None = None

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name in _CELLS:
            self._cell(name, attributes)
        elif name == "table:table-row":
            self.repeat = _count(attributes.get("table:number-rows-repeated"))
            self.column = self.row_last_column = 0
        elif name == "office:annotation":
            self.comments += 1
        elif name == "table:table":
            self.tables.append(SheetFacts())
            self.name = attributes.get("table:name", "")
            self.row = self.last_row = self.last_column = 0

    def _cell(self, name: str, attributes: dict[str, str]) -> None:
        columns = _count(attributes.get("table:number-columns-repeated"))
        column = self.column
        self.column += columns
        formula = "table:formula" in attributes
        if not formula and "office:value-type" not in attributes:
            return  # an empty cell: a reader fills nothing for it unless content follows
        span_columns = _count(attributes.get("table:number-columns-spanned"))
        span_rows = _count(attributes.get("table:number-rows-spanned"))
        self.row_last_column = max(self.row_last_column, self.column, column + span_columns)
        if name == "table:table-cell" and (span_rows > 1 or span_columns > 1):
            merges = self.tables[-1].merges
            if len(merges) + self.repeat > MAX_MERGES:
                self.finding = too_many_merges(self.name, len(merges) + self.repeat)
                raise _Stop
            for row in range(self.row, self.row + self.repeat):
                merges.append((row, column, row + span_rows - 1, column + span_columns - 1))
        if formula:  # LibreOffice types its results (calcext); other writers only show text
            self.error = (column, columns, attributes.get("calcext:value-type"), [])

    def text(self, data: str) -> None:
        if self.error is not None and not self.comments:
            self.error[3].append(data)

    def end(self, name: str) -> None:
        if name == "office:annotation":
            self.comments -= 1
        elif name in _CELLS and self.error is not None:
            column, columns, typed, parts = self.error
            self.error = None
            text = "".join(parts).strip()
            if typed == "error" or (typed is None and is_error_text(text)):
                self.tables[-1].errors.append(
                    ErrorCells(self.row, column, text or UNKNOWN_ERROR, self.repeat, columns)
                )
        elif name == "table:table-row":
            if self.row_last_column:
                self.last_row = self.row + self.repeat
                self.last_column = max(self.last_column, self.row_last_column)
                finding = over_dimension(self.name, self.last_row, self.last_column, self.limits)
                if finding is not None:
                    self.finding = finding
                    raise _Stop
            self.row += self.repeat


def _count(value: str | None) -> int:
    """A repeat or span count (1 when absent or not a positive whole number)."""
    if value is None or not value.isdigit():
        return 1
    return max(int(value), 1)


def tables(archive: zipfile.ZipFile, limits: Limits) -> list[SheetFacts] | Finding:
    """Per table of content.xml, in order: its merged ranges and formula errors; or the first
    limit a table is over (the cells a reader would fill, from A1 to the last row and column
    holding content, or its merged ranges)."""
    walk = _Walk(limits)
    expat = xml_stream.parser()
    expat.StartElementHandler, expat.EndElementHandler = walk.start, walk.end
    expat.CharacterDataHandler = walk.text
    try:
        xml_stream.feed(expat, archive, "content.xml")
    except _Stop:
        return walk.finding
    return walk.tables
