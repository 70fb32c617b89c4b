"""What the file's own parts say beyond calamine: BIFF records of an .xls (encryption, active
sheet, error cells), content.xml of an .ods (cells a reader fills, spans, error cells) and the
cells of an .xlsx typed as errors; on parts written by hand, so every fact is known."""

from __future__ import annotations

import io
import struct
import zipfile

from ingestion.contract.limits import Limits
from ingestion.read import ods_structure, xls_structure, xlsx_structure
from ingestion.read.cell_facts import MAX_MERGES, ErrorCells
from ingestion.read.preflight import Finding

# ---- .xls: BIFF records ------------------------------------------------------------------------


def record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


BOF_GLOBALS = record(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
BOF_SHEET = record(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
EOF = record(0x000A)


def boundsheet(position: int, name: bytes) -> bytes:
    return record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 0) + name)


def formula(row: int, column: int, value: bytes) -> bytes:
    return record(0x0006, struct.pack("<HHH", row, column, 15) + value + bytes(6) + b"\x00\x00")


def boolerr(row: int, column: int, value: int, is_error: int) -> bytes:
    return record(0x0205, struct.pack("<HHHBB", row, column, 15, value, is_error))


def biff(window_tab: int, sheets: list[bytes], encrypted: bool = False) -> bytes:
    """A workbook stream: globals (BOUNDSHEETs pointing at each sheet's BOF, WINDOW1), sheets."""
    window = record(0x003D, struct.pack("<HHHHHHHHH", 0, 0, 9000, 6000, 0, window_tab, 0, 1, 600))
    filepass = record(0x002F, struct.pack("<H", 1) + bytes(52)) if encrypted else b""
    names = [f"S{i}".encode() for i in range(len(sheets))]
    size = len(BOF_GLOBALS + filepass + window + EOF) + sum(
        len(boundsheet(0, name)) for name in names
    )
    positions, position = [], size
    for body in sheets:
        positions.append(position)
        position += len(BOF_SHEET + body + EOF)
    globals_ = BOF_GLOBALS + filepass + window
    globals_ += b"".join(boundsheet(p, n) for p, n in zip(positions, names, strict=True)) + EOF
    return globals_ + b"".join(BOF_SHEET + body + EOF for body in sheets)


ERROR_VALUE = b"\x02\x00\x17\x00\x00\x00\xff\xff"  # a cached #REF!
NUMBER_VALUE = struct.pack("<d", 42.0)
STRING_VALUE = b"\x00\x00\x00\x00\x00\x00\xff\xff"


def test_xls_records_give_the_active_sheet_and_every_error_cell():
    first = formula(0, 0, NUMBER_VALUE) + boolerr(1, 0, 1, 0)  # a number, TRUE: no error
    second = (
        formula(3, 2, ERROR_VALUE)
        + formula(4, 2, STRING_VALUE)
        + boolerr(5, 1, 0x2A, 1)  # a #N/A constant
        + formula(6, 3, b"\x02\x00\x07\x00\x00\x00\xff\xff")  # #DIV/0!
    )
    structure = xls_structure.read_structure(biff(1, [first, second]))
    assert not structure.encrypted
    assert structure.active == 1
    assert structure.errors == [
        [],
        [ErrorCells(3, 2, "#REF!"), ErrorCells(5, 1, "#N/A"), ErrorCells(6, 3, "#DIV/0!")],
    ]


def test_xls_records_without_errors_say_none():
    cells = formula(0, 0, NUMBER_VALUE) + formula(1, 0, STRING_VALUE) + boolerr(2, 0, 0, 0)
    structure = xls_structure.read_structure(biff(0, [cells]))
    assert structure.errors == [[]] and structure.active == 0


def test_an_xls_formula_error_alone_is_found():
    structure = xls_structure.read_structure(biff(0, [formula(7, 4, ERROR_VALUE)]))
    assert structure.errors == [[ErrorCells(7, 4, "#REF!")]]


def test_an_xls_with_filepass_is_encrypted():
    assert xls_structure.read_structure(biff(0, [b""], encrypted=True)).encrypted


# ---- .ods: content.xml -------------------------------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def content(*tables: str) -> zipfile.ZipFile:
    xml = (
        f"<office:document-content {_NS}><office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", xml)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def table(name: str, rows: str) -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def value(text: str, repeat: int = 1, extra: str = "") -> str:
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"'
        f" {extra}><text:p>{text}</text:p></table:table-cell>"
    )


EMPTY = "<table:table-cell/>"
# What LibreOffice always writes after the content: empty rows and cells to the sheet's end.
TRAILING = (
    '<table:table-row table:number-rows-repeated="1048570">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)


def row(cells: str, repeat: int = 1) -> str:
    empties = '<table:table-cell table:number-columns-repeated="16000"/>'
    return (
        f'<table:table-row table:number-rows-repeated="{repeat}">{cells}{empties}</table:table-row>'
    )


def test_libreoffices_trailing_empty_repeats_fill_nothing():
    archive = content(table("A", row(value("x") + EMPTY + value("y")) * 4 + TRAILING))
    # 4 rows × 3 columns from A1: within a 12-cell limit, over an 11-cell one
    assert isinstance(ods_structure.tables(archive, Limits(max_sheet_cells=12)), list)
    finding = ods_structure.tables(archive, Limits(max_sheet_cells=11))
    assert isinstance(finding, Finding)
    assert finding.context["dimension"] == "A1:C4" and finding.context["sheet"] == "A"


def test_spans_stand_for_every_repeated_row_and_errors_keep_their_text():
    spanned = value("00004", extra='table:number-rows-spanned="2" table:number-columns-spanned="1"')
    title = value("Báo cáo", extra='table:number-columns-spanned="3"')
    error = (
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "<office:annotation><text:p>ghi chú</text:p></office:annotation></table:table-cell>"
    )
    other_writer = (
        '<table:table-cell table:formula="of:=[.Z9]"><text:p>Err:502</text:p></table:table-cell>'
    )
    text_result = (
        '<table:table-cell table:formula="of:=&quot;#N/A&quot;" office:value-type="string" '
        'calcext:value-type="string"><text:p>#N/A</text:p></table:table-cell>'
    )
    rows = (
        row(EMPTY + title)
        + row(spanned + error + other_writer + text_result)
        + row("<table:covered-table-cell/>" + value("z"))
        + row(title, repeat=3)
        + TRAILING
    )
    facts = ods_structure.tables(content(table("B", rows), table("C", row(value("w")))), Limits())
    assert len(facts) == 2
    first = facts[0]
    assert first.merges == [(0, 1, 0, 3), (1, 0, 2, 0), (3, 0, 3, 2), (4, 0, 4, 2), (5, 0, 5, 2)]
    assert first.errors == [ErrorCells(1, 1, "#DIV/0!"), ErrorCells(1, 2, "Err:502")]
    assert facts[1].merges == [] and facts[1].errors == []


def test_merges_multiplied_by_repeats_are_capped():
    spanned = value("x", extra='table:number-columns-spanned="2"')
    finding = ods_structure.tables(
        content(table("D", row(spanned, repeat=MAX_MERGES + 1))), Limits(max_sheet_cells=10**9)
    )
    assert isinstance(finding, Finding) and finding.variant == "merges"


# ---- .xlsx: cells typed as errors ----------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_part(rows: str) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "s.xml", f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>'
        )
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_xlsx_error_cells_with_or_without_references():
    rows = (
        '<row r="2"><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C2" t="s"><v>0</v></c></row>'
        "<row><c><v>1</v></c><c t='e'><v>#NAME?</v></c></row>"  # row 3, cells A3 and B3
    )
    assert xlsx_structure.formula_errors(sheet_part(rows), "s.xml") == [
        ErrorCells(1, 1, "#DIV/0!"),
        ErrorCells(2, 1, "#NAME?"),
    ]


def test_an_xlsx_error_cell_far_into_the_part_is_found():
    rows = "<row r='9'>" + "<c t='n'><v>1</v></c>" * 20_000 + "<c t='e'><v>#N/A</v></c></row>"
    assert len(rows) > 4 * 64 * 1024  # past the first chunks the search reads
    assert xlsx_structure.formula_errors(sheet_part(rows), "s.xml") == [
        ErrorCells(8, 20_000, "#N/A")
    ]
