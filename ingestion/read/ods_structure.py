"""An OpenDocument spreadsheet's structure from its own parts: password protection (the
manifest), the sheet it opens on (settings.xml), and, in one streamed pass over content.xml,
each table's merged ranges, formula errors and the cells a reader would fill, stopping as soon
as a table is over the limit (the ``.ods`` dimension bomb: a few bytes repeated a billion times).

Elements are matched by the names LibreOffice writes (``table:table-cell``), as calamine does.
"""

from __future__ import annotations

import bisect
import contextlib
import html
import re
import zipfile
from dataclasses import dataclass, field

from ingestion.contract.limits import Limits
from ingestion.read import xml_stream
from ingestion.read.cell_facts import (
    MAX_MERGES,
    UNKNOWN_ERROR,
    ErrorCells,
    SheetFacts,
    is_error_text,
)
from ingestion.read.preflight import Finding, over_dimension, too_many_merges

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTION = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")
_MANIFEST_BYTES = 4 * 1024 * 1024


def is_encrypted(archive: zipfile.ZipFile) -> bool:
    """Saved with a password: the manifest lists how its parts were encrypted."""
    try:
        with archive.open("META-INF/manifest.xml") as manifest:
            return bool(_ENCRYPTION.search(manifest.read(_MANIFEST_BYTES)))
    except KeyError:
        return False


class _Stop(Exception):
    """Raised by a handler to end the walk of settings.xml once the active table is found."""


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


# content.xml is walked at the grain that matters: a table's start tag, or a row and all in it.
_END_OF_NAME = rb"(?=[\s/>])"
_CELL = re.compile(rb"<table:(table-cell|covered-table-cell)" + _END_OF_NAME + rb"([^>]*?)(/?)>")
_CELL_END = b"</table:table-cell>"
_COMMENT = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")
_CONTENT = (b"office:value-type", b"table:formula")  # what makes a reader fill a cell
_ROW_END = b"</table:table-row>"
# What sends a row to the cell-by-cell walk (one literal each: an alternation searches slowly).
_SPECIAL = (re.compile(rb"spanned"), re.compile(rb"table:formula"))
_ENDS = frozenset((b" ", b"\t", b"\n", b"\r", b">", b"/"))  # what may follow an element's name
_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)""")
_READ_BYTES = 1024 * 1024
_ATTRIBUTES = {
    name: re.compile(rb"\s" + name + rb"""\s*=\s*["']([^"']*)""")
    for name in (
        b"table:name",
        b"table:number-rows-repeated",
        b"table:number-columns-repeated",
        b"table:number-rows-spanned",
        b"table:number-columns-spanned",
        b"calcext:value-type",
    )
}


def _attribute(tag: bytes, name: bytes) -> bytes | None:
    match = _ATTRIBUTES[name].search(tag)
    return match.group(1) if match else None


def _count(tag: bytes, name: bytes) -> int:
    """A repeat or span count of a tag (1 when absent or not a positive whole number)."""
    value = _attribute(tag, name)
    return max(int(value), 1) if value is not None and value.isdigit() else 1


def _text(inner: bytes) -> str:
    """A cell's shown text: its paragraphs without their markup or its comment."""
    return html.unescape(_TAG.sub(b"", _COMMENT.sub(b"", inner)).decode("utf-8", "replace"))


@dataclass
class _Walk:
    """The pass over content.xml, one row at a time; cells are walked one by one only in rows
    that span cells or hold formulas."""

    limits: Limits
    tables: list[SheetFacts] = field(default_factory=list)
    name: str = ""
    row: int = 0  # 0-based index of the current row's first repetition
    last_row: int = 0  # 1-based extent of the current table (rows, columns holding content)
    last_column: int = 0

    def scan(self, text: bytes) -> tuple[int, Finding | None]:
        """Walk every complete table start and row of ``text``: how far it got (a row whose end
        is not in ``text`` yet waits for more), and the finding that stopped it. Rows are read
        in place, with a few byte searches, unless they span cells or hold formulas."""
        position, find, limit = 0, text.find, self.limits.max_sheet_cells
        special = sorted(  # where rows need the cell-by-cell walk
            match.start() for marker in _SPECIAL for match in marker.finditer(text)
        )
        while (start := find(b"<table:table", position)) >= 0:
            row = text.startswith(b"-row", start + 12) and text[start + 16 : start + 17] in _ENDS
            if not row and text[start + 12 : start + 13] not in _ENDS:
                position = start + 12  # a column, a group of rows: nothing to count
                continue
            tag_end = find(b">", start)
            if tag_end < 0:
                return start, None
            if not row:
                self._table(text[start:tag_end])
                position = tag_end + 1
                continue
            body_end = tag_end if text[tag_end - 1] == ord("/") else find(_ROW_END, tag_end)
            if body_end < 0:
                return start, None
            position = body_end + (1 if body_end == tag_end else len(_ROW_END))
            if not self.tables:
                continue  # a row outside any table
            repeat = 1
            if find(b"repeated", start, tag_end) >= 0:
                repeat = _count(text[start:tag_end], b"table:number-rows-repeated")
            index = bisect.bisect_left(special, tag_end)
            if index < len(special) and special[index] < body_end:
                width = self._cells(text[tag_end + 1 : body_end], repeat)
                if isinstance(width, Finding):
                    return position, width
            elif (last := text.rfind(b"office:value-type", tag_end, body_end)) < 0:
                width = 0
            else:  # cells up to the last one holding content, repeated ones counted as many
                head_end = find(b">", last, body_end)
                width = text.count(b"<table:", tag_end, head_end)  # cells, covered or not
                if find(b"columns-repeated", tag_end, head_end) >= 0:
                    for count in _REPEATED.findall(text, tag_end, head_end):
                        width += max(int(count), 1) - 1
            self.row += repeat
            if not width:  # no content: a reader fills nothing for it unless content follows
                continue
            self.last_row = self.row
            self.last_column = max(self.last_column, width)
            if self.last_row * self.last_column > limit:
                return position, over_dimension(
                    self.name, self.last_row, self.last_column, self.limits
                )
        return len(text), None

    def _table(self, tag: bytes) -> None:
        self.tables.append(SheetFacts())
        self.name = html.unescape((_attribute(tag, b"table:name") or b"").decode())
        self.row = self.last_row = self.last_column = 0

    def _cells(self, body: bytes, repeat: int) -> int | Finding:
        """Walk a row's cells: its merged ranges and formula errors; the columns it fills."""
        facts = self.tables[-1]
        column = width = 0
        for match in _CELL.finditer(body):
            kind, tag, closed = match.groups()
            columns = _count(tag, b"table:number-columns-repeated")
            first, column = column, column + columns
            if not any(marker in tag for marker in _CONTENT):
                continue
            span_columns = _count(tag, b"table:number-columns-spanned")
            span_rows = _count(tag, b"table:number-rows-spanned")
            width = max(width, column, first + span_columns)
            if kind == b"table-cell" and (span_rows > 1 or span_columns > 1):
                if len(facts.merges) + repeat > MAX_MERGES:
                    return too_many_merges(self.name, len(facts.merges) + repeat)
                facts.merges += [
                    (row, first, row + span_rows - 1, first + span_columns - 1)
                    for row in range(self.row, self.row + repeat)
                ]
            if b"table:formula" in tag:  # LibreOffice types results; other writers show text
                typed = _attribute(tag, b"calcext:value-type")
                inner = b"" if closed else body[match.end() : body.find(_CELL_END, match.end())]
                text = _text(inner).strip()
                if typed == b"error" or (typed is None and is_error_text(text)):
                    error = ErrorCells(self.row, first, text or UNKNOWN_ERROR, repeat, columns)
                    facts.errors.append(error)
        return width


def tables(archive: zipfile.ZipFile, limits: Limits) -> list[SheetFacts] | Finding:
    """Per table of content.xml, in order: its merged ranges and formula errors; or the first
    limit a table is over (the cells a reader would fill, from A1 to the last row and column
    holding content, or its merged ranges). Read a megabyte at a time; a row is taken whole."""
    walk = _Walk(limits)
    pending, size = b"", _READ_BYTES
    with archive.open("content.xml") as stream:
        while chunk := stream.read(size):
            pending += chunk
            done, finding = walk.scan(pending)
            if finding is not None:
                return finding
            # A row longer than what was read: read twice as much before looking again, so a
            # huge row is searched a few times, not once a megabyte.
            size = size * 2 if done == 0 else _READ_BYTES
            pending = pending[done:]
    return walk.tables
