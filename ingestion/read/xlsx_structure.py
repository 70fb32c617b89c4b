"""An Excel (.xlsx) workbook's structure from its own parts: its sheets in workbook order (name,
shown or hidden, worksheet or not, the part holding it), the sheet it opens on, and the cells
whose formula failed (``<c t="e"><v>#REF!</v></c>``), which calamine hands over as blanks."""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from dataclasses import dataclass

from ingestion.read import xml_stream
from ingestion.read.cell_facts import UNKNOWN_ERROR, ErrorCells

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # ISO strict
)
_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_RID_NAMES = {(namespace, "id") for namespace in _RELATIONSHIPS}  # r:id, whatever its prefix
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# t="e" (or t='e'), found by a byte search far cheaper than parsing the part; a false hit
# (text that happens to read t="e") only costs a parse that finds nothing.
_ERROR_MARK = re.compile(rb"""t=["']e["']""")
_MARK_BYTES = 5
_REFERENCE = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,7})$")


@dataclass(frozen=True)
class XlsxSheet:
    """One ``<sheet>`` of workbook.xml."""

    name: str
    state: str  # visible, hidden, veryHidden
    worksheet: bool  # not a chart, dialog or macro sheet
    member: str | None  # the zip member holding it

    @property
    def shown(self) -> bool:
        """A sheet that is read: a worksheet that is not hidden."""
        return self.worksheet and self.state == "visible"


@dataclass(frozen=True)
class XlsxStructure:
    """The sheets of workbook.xml, in order, and the one the workbook opens on."""

    sheets: list[XlsxSheet]
    active: int  # workbookView activeTab: an index into ``sheets`` (0 when absent)


def _local(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def _relationships(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Id → (type's last word, zip member) of xl/_rels/workbook.xml.rels."""
    found: dict[str, tuple[str, str]] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        if name != f"{_PACKAGE_RELS} Relationship":
            return
        target = attributes.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        kind = attributes.get("Type", "").rpartition("/")[2]
        found[attributes.get("Id", "")] = (kind, posixpath.normpath(member))

    expat = xml_stream.parser(namespaces=True)
    expat.StartElementHandler = start
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        xml_stream.feed(expat, archive, "xl/_rels/workbook.xml.rels")
    return found


def read_structure(archive: zipfile.ZipFile) -> XlsxStructure:
    """The sheets and the active tab of an .xlsx; MalformedPart when workbook.xml or its
    relationships are not XML, KeyError when there is no xl/workbook.xml."""
    relationships = _relationships(archive)
    listed: list[tuple[str, str, str]] = []  # name, state, relationship id
    active = [0]
    views = [0]

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, local = _local(name)
        if namespace not in _MAIN:
            return
        if local == "sheet":
            rid = next((v for k, v in attributes.items() if _local(k) in _RID_NAMES), "")
            listed.append((attributes.get("name", ""), attributes.get("state", "visible"), rid))
        elif local == "workbookView":
            views[0] += 1
            tab = attributes.get("activeTab", "0")
            if views[0] == 1 and tab.isdigit():
                active[0] = int(tab)

    expat = xml_stream.parser(namespaces=True)
    expat.StartElementHandler = start
    if "xl/workbook.xml" not in archive.namelist():
        raise KeyError("xl/workbook.xml")
    xml_stream.feed(expat, archive, "xl/workbook.xml")
    names = set(archive.namelist())
    sheets = []
    for name, state, rid in listed:
        kind, member = relationships.get(rid, ("", ""))
        sheets.append(
            XlsxSheet(name, state, kind == "worksheet", member if member in names else None)
        )
    return XlsxStructure(sheets, active[0])


def _has_error_cells(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether the sheet XML holds a cell typed as an error, searched in the inflated bytes."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(xml_stream.CHUNK_BYTES):
            if _ERROR_MARK.search(chunk) or _ERROR_MARK.search(tail + chunk[:_MARK_BYTES]):
                return True
            tail = chunk[-_MARK_BYTES:]
    return False


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def formula_errors(archive: zipfile.ZipFile, member: str) -> list[ErrorCells]:
    """The cells of a sheet whose formula failed, with the text Excel shows (0-based row and
    column: a ``<row>`` or ``<c>`` without ``r`` follows the one before it), up to where the
    part breaks off when it is not well-formed."""
    if not _has_error_cells(archive, member):
        return []
    found: list[ErrorCells] = []
    position = [-1, -1]  # row, column of the current cell
    cell: list[str] | None = None  # the text of an error cell's <v>
    in_value = [False]

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal cell
        namespace, local = _local(name)
        if namespace not in _MAIN:
            return
        if local == "row":
            number = attributes.get("r", "")
            position[0] = int(number) - 1 if number.isdigit() else position[0] + 1
            position[1] = -1
        elif local == "c":
            match = _REFERENCE.match(attributes.get("r", ""))
            if match:
                position[0] = int(match.group(2)) - 1
                position[1] = _column_index(match.group(1))
            else:
                position[1] += 1
            cell = [] if attributes.get("t") == "e" else None
        elif local == "v":
            in_value[0] = True

    def text(data: str) -> None:
        if cell is not None and in_value[0]:
            cell.append(data)

    def end(name: str) -> None:
        nonlocal cell
        namespace, local = _local(name)
        if namespace not in _MAIN:
            return
        if local == "v":
            in_value[0] = False
        elif local == "c" and cell is not None:
            found.append(
                ErrorCells(position[0], position[1], "".join(cell).strip() or UNKNOWN_ERROR)
            )
            cell = None

    expat = xml_stream.parser(namespaces=True)
    expat.StartElementHandler, expat.EndElementHandler = start, end
    expat.CharacterDataHandler = text
    # A part broken after its last error cell is what calamine reads too: keep what was found.
    with contextlib.suppress(xml_stream.MalformedPart):
        xml_stream.feed(expat, archive, member)
    return found
