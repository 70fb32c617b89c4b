"""A one-sheet, print-ready .xlsx written directly as SpreadsheetML: what the files sent back to
provinces need (text and numbers, merged cells, row heights, a fixed set of looks, A4 landscape
one page wide) and nothing else.

Why not a general writer: ingest answers every file with a feedback workbook and every province
with a weekly summary, about 140 workbooks for a national week. xlsxwriter spends ~2 ms on each
whatever its size (styles, theme, document properties, shared strings, ten compressed parts);
this writes five parts from templates in a tenth of that. The text is never a formula (cells are
inline strings, no ``<f>`` is ever written) and the bytes depend only on the content (fixed zip
times), so a rerun rewrites the same file.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ingestion.read.cell_facts import column_name

FONT_NAME = "Arial"  # metric-compatible Liberation Sans on Linux
FONT_POINTS = 10
DEFAULT_ROW_POINTS = 15.0
MAX_CELL_CHARS = 32767  # Excel's limit: a longer cell makes it call the file damaged

# The looks a cell can have, in the order of their ``cellXfs`` entries (0 is the default).
STYLES = ("default", "title", "section", "label", "text", "strong", "header", "plain")
_STYLE_INDEX = {name: index for index, name in enumerate(STYLES)}

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _font(points: float, bold: bool) -> str:
    return (
        f'<font>{"<b/>" if bold else ""}<sz val="{points:g}"/><color rgb="FF000000"/>'
        f'<name val="{FONT_NAME}"/><family val="2"/></font>'
    )


def _solid(rgb: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/></patternFill></fill>'


_SIDES = ("left", "right", "top", "bottom")
_THIN = "".join(f'<{side} style="thin"><color auto="1"/></{side}>' for side in _SIDES)


def _xf(
    font: int, fill: int = 0, border: int = 0, *, wrap: bool = True, center: bool = False
) -> str:
    """One look: font (0 regular, 1 title, 2 bold), fill (2 grey, 3 blue), border (1 thin)."""
    align = ' horizontal="center"' if center else ""
    alignment = f'<alignment{align} vertical="top" wrapText="1"/>' if wrap else ""
    return (
        f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0" '
        f'applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">{alignment}</xf>'
    )


_XFS = {
    "default": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    "title": _xf(1, wrap=False),
    "section": _xf(2),
    "label": _xf(2, fill=2, border=1),
    "text": _xf(0, border=1),
    "strong": _xf(2, border=1),
    "header": _xf(2, fill=3, border=1, center=True),
    "plain": _xf(0),
}
_STYLES_XML = (
    _DECLARATION
    + f"<styleSheet {_NS}>"
    + f'<fonts count="3">{_font(FONT_POINTS, False)}{_font(13, True)}{_font(FONT_POINTS, True)}'
    "</fonts>"
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    f"{_solid('EDEDED')}{_solid('DDEBF7')}</fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    f"<border>{_THIN}<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(STYLES)}">{"".join(_XFS[name] for name in STYLES)}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# XML 1.0 cannot hold C0 controls (but tab, LF, CR): Excel writes them as _xHHHH_, and a literal
# "_xHHHH_" as "_x005F_xHHHH_" so it reads back unchanged. Surrogates and U+FFFE/U+FFFF are no
# text at all: they become U+FFFD.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_NOT_TEXT = re.compile("[\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _excel_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_text(text: str) -> str:
    """``text`` as XML character data Excel reads back as ``text``."""
    text = _NOT_TEXT.sub("\ufffd", text)
    return _CONTROLS.sub(_excel_escape, text).translate(_ESCAPES)


_NUMBER_CELL = '<c r="{ref}" s="{style}"><v>{value}</v></c>'
_TEXT_CELL = (
    '<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
)


def stored_width(characters: float) -> float:
    """A column ``characters`` digits wide as Excel stores it (the digit plus 5 pixels of padding,
    in 1/256 of a digit, for a 7-pixel digit)."""
    pixels = int(characters * 7 + 0.5) + 5 if characters > 1 else int(characters * 12 + 0.5)
    return int(pixels / 7 * 256) / 256


class Worksheet:
    """The one sheet of a workbook: cells by (row, column), merged ranges, row heights, and the
    page set-up (A4 landscape, one page wide, centred, a footer, optionally a repeated row)."""

    def __init__(self, name: str, widths: Sequence[float]) -> None:
        self.name = name[:31]
        self.widths = list(widths)
        self.cells: dict[int, dict[int, str]] = {}  # row → column → <c> element
        self.heights: dict[int, float] = {}
        self.merges: list[str] = []
        self.footer = ""
        self.repeat_row: int | None = None

    def write(self, row: int, column: int, value: str | float, style: str) -> None:
        """A number, or text (an inline string, cut at Excel's 32,767 characters a cell); a
        non-finite number is written as its text."""
        ref = f"{column_name(column)}{row + 1}"
        s = _STYLE_INDEX[style]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and math.isfinite(value):
            cell = _NUMBER_CELL.format(ref=ref, style=s, value=repr(value))
        else:
            cell = _TEXT_CELL.format(ref=ref, style=s, text=xml_text(str(value)[:MAX_CELL_CHARS]))
        self.cells.setdefault(row, {})[column] = cell

    def merge(self, row: int, first: int, last: int, value: str | float, style: str) -> None:
        """``value`` over columns ``first``..``last``; the covered cells carry its look."""
        self.write(row, first, value, style)
        s = _STYLE_INDEX[style]
        cells = self.cells[row]
        for column in range(first + 1, last + 1):
            cells[column] = f'<c r="{column_name(column)}{row + 1}" s="{s}"/>'
        self.merges.append(f"{column_name(first)}{row + 1}:{column_name(last)}{row + 1}")

    def height(self, row: int, points: float) -> None:
        """The row's height, rounded to whole pixels (at 96 dpi) as Excel keeps it."""
        self.heights[row] = int(points * 4 / 3 + 0.5) * 0.75

    def _sheet_xml(self) -> str:
        rows = sorted(set(self.cells) | set(self.heights))
        last_column = len(self.widths) - 1
        last_row = rows[-1] + 1 if rows else 1
        parts = [
            _DECLARATION,
            f"<worksheet {_NS} {_NS_R}>",
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="A1:{column_name(max(last_column, 0))}{last_row}"/>',
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>',
            f'<sheetFormatPr defaultRowHeight="{DEFAULT_ROW_POINTS:g}"/>',
        ]
        if self.widths:
            parts.append("<cols>")
            parts += [
                f'<col min="{i + 1}" max="{i + 1}" width="{stored_width(w)!r}" customWidth="1"/>'
                for i, w in enumerate(self.widths)
            ]
            parts.append("</cols>")
        parts.append("<sheetData>")
        for row in rows:
            height = self.heights.get(row)
            custom = f' ht="{height:g}" customHeight="1"' if height is not None else ""
            cells = self.cells.get(row, {})
            parts.append(f'<row r="{row + 1}"{custom}>')
            parts += [cells[column] for column in sorted(cells)]
            parts.append("</row>")
        parts.append("</sheetData>")
        if self.merges:
            parts.append(f'<mergeCells count="{len(self.merges)}">')
            parts += [f'<mergeCell ref="{ref}"/>' for ref in self.merges]
            parts.append("</mergeCells>")
        parts += [
            '<printOptions horizontalCentered="1"/>',
            '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" '
            'footer="0.3"/>',
            '<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>',
        ]
        if self.footer:
            parts.append(f"<headerFooter><oddFooter>{xml_text(self.footer)}</oddFooter>")
            parts.append("</headerFooter>")
        parts.append("</worksheet>")
        return "".join(parts)

    def _workbook_xml(self) -> str:
        titles = ""
        if self.repeat_row is not None:
            quoted = self.name.replace("'", "''")
            row = self.repeat_row + 1
            reference = xml_text(f"'{quoted}'!${row}:${row}")
            titles = (
                '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
                f"{reference}</definedName></definedNames>"
            )
        return (
            f"{_DECLARATION}<workbook {_NS} {_NS_R}><bookViews><workbookView/></bookViews>"
            f'<sheets><sheet name="{xml_text(self.name)}" sheetId="1" r:id="rId1"/></sheets>'
            f"{titles}</workbook>"
        )

    def to_bytes(self) -> bytes:
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _ROOT_RELS,
            "xl/workbook.xml": self._workbook_xml(),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/styles.xml": _STYLES_XML,
            "xl/worksheets/sheet1.xml": self._sheet_xml(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            for name, text in parts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(info, text.encode("utf-8"))
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        Path(path).write_bytes(self.to_bytes())
