"""Workbooks built the way offices build them: sheets as grids of cells (merged ranges, hidden
sheets, the tab the workbook opens on, formula-error cells) written with xlsxwriter, converted by
LibreOffice in one batch, and the containers a clerk sends by mistake (.xlsm, .xlsb, .numbers…)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import xlsxwriter

from tests.support.render import convert_many

CREATED = datetime(2025, 8, 29, 9, 0)  # a fixed creation time: the same bytes every run


@dataclass(frozen=True)
class ErrorCell:
    """A formula whose cached result is an Excel error (``#DIV/0!``, ``#REF!``…)."""

    formula: str
    error: str


@dataclass
class Grid:
    """One sheet as written: rows of cells from A1 (None: blank), merged ranges (0-based first
    row, first column, last row, last column; the value is the first cell's), hidden or not."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    widths: dict[int, float] = field(default_factory=dict)


def xlsx(sheets: list[Grid], active: int) -> bytes:
    """The workbook of ``sheets`` in order, opening on sheet ``active`` (a visible one)."""
    assert not sheets[active].hidden, "Excel never opens on a hidden sheet"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": CREATED, "author": "Sở Nội vụ"})
    day = book.add_format({"num_format": "dd/mm/yyyy", "border": 1, "valign": "vcenter"})
    plain = book.add_format({"border": 1, "valign": "vcenter"})
    for grid in sheets:
        sheet = book.add_worksheet(grid.name)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # as wide as the page, as long as it takes
        for column, width in grid.widths.items():
            sheet.set_column(column, column, width)
        covered = set()
        for r1, c1, r2, c2 in grid.merges:
            sheet.merge_range(r1, c1, r2, c2, "", plain)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
        for r, values in enumerate(grid.rows):
            for c, value in enumerate(values):
                if value is None or (r, c) in covered:
                    continue
                _write(sheet, r, c, value, day, plain)
        if grid.hidden:
            sheet.hide()
    book.worksheets()[active].activate()
    book.close()
    return buffer.getvalue()


def _write(sheet, r: int, c: int, value: Any, day, plain) -> None:
    if isinstance(value, ErrorCell):
        sheet.write_formula(r, c, value.formula, plain, value.error)
    elif isinstance(value, str):
        sheet.write_string(r, c, value, plain)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(r, c, datetime.combine(value, time()), day)
    else:
        sheet.write_number(r, c, value, plain)


def convert_all(sources: dict[str, bytes], target: str, workdir: Path) -> dict[str, bytes]:
    """Each workbook of ``sources`` (file name → bytes) saved by LibreOffice headless as
    ``target`` (xls, ods…), in one ``soffice`` call; file name (new suffix) → bytes."""
    source_dir = workdir / f"to_{target}_in"
    source_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in sources.items():
        path = source_dir / name
        path.write_bytes(data)
        paths.append(path)
    converted = convert_many(paths, workdir / f"to_{target}", target)
    return {path.name: path.read_bytes() for path in converted}


# ---- containers a clerk sends by mistake --------------------------------------------------------

_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CONTENT_TYPES = {
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
}


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The zip ``data`` with members replaced, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def as_office_type(workbook: bytes, suffix: str) -> bytes:
    """An .xlsx saved as ``suffix`` (xlsm, xltx, xltm): the same parts, the main part's content
    type the one Excel writes for that type (a macro workbook with no macro yet, a template)."""
    types = zipfile.ZipFile(io.BytesIO(workbook)).read("[Content_Types].xml")
    assert _MAIN_TYPE.encode() in types
    return rezip(
        workbook,
        {"[Content_Types].xml": types.replace(_MAIN_TYPE.encode(), CONTENT_TYPES[suffix].encode())},
    )


def xlsb_container() -> bytes:
    """An Excel binary workbook's package: the parts and content types of an .xlsb (its records
    are binary, which no reader of this project opens)."""
    return _package(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="bin" '
                'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>'
            ),
            # BrtBeginBook, BrtFileVersion… as record type/size varints: enough to be binary
            "xl/workbook.bin": bytes.fromhex("8301 00 8001 1a") + b"\x00" * 26 + b"\x84\x01\x00",
            "xl/worksheets/sheet1.bin": bytes.fromhex("8101 00 9301 00 8201 00"),
        }
    )


def numbers_container() -> bytes:
    """An Apple Numbers document's package: ``Index/*.iwa`` (Snappy-framed protobuf) and its
    metadata, as Numbers saves it."""
    return _package(
        {
            "Index/Document.iwa": b"\x00\x1c\x00\x00" + b"\x08\x01\x12\x04Tab1" * 3,
            "Index/Metadata.iwa": b"\x00\x0c\x00\x00\x08\x01\x12\x06Numbers",
            "Metadata/Properties.plist": (
                '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>'
                "<key>fileFormatVersion</key><string>13.2</string></dict></plist>"
            ),
            "Metadata/DocumentIdentifier": "5D1C6B52-7A0E-4D0A-9C3B-2E1F0A9B8C7D",
        }
    )


def _package(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 8, 29, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def ods_dimension_bomb(rows: int = 1_048_576, columns: int = 1024) -> bytes:
    """A few KB of .ods whose one sheet declares ``rows`` × ``columns`` cells holding a value
    (row and column repeats, as LibreOffice itself writes a filled block)."""
    cell = (
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:spreadsheet>"
        '<table:table table:name="Biểu 01">'
        f'<table:table-column table:number-columns-repeated="{columns}"/>'
        "<table:table-row><table:table-cell><text:p>Mã xã</text:p></table:table-cell>"
        "<table:table-cell><text:p>Lĩnh vực</text:p></table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows - 1}">{cell}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        stored = zipfile.ZipInfo("mimetype", date_time=(2025, 8, 29, 9, 0, 0))
        target.writestr(stored, "application/vnd.oasis.opendocument.spreadsheet")
        for name, text in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, date_time=(2025, 8, 29, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, text)
    return out.getvalue()
