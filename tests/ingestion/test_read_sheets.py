"""Reading a workbook into a Book: every visible worksheet in order (hidden, very hidden and
chart sheets never read), the one it opens on, rows numbered from A1 as Excel shows them,
merged ranges, and cells whose formula failed kept as their error, never as blanks."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from ingestion.contract.normalise import FormulaError
from ingestion.read.readers import Book, Merge, read_book
from tests.support.hostile import ODS_MANIFEST, ODS_MIMETYPE, rezip
from tests.support.known_books import (
    ACTIVE,
    THIS_WEEK_ERRORS,
    THIS_WEEK_MERGES,
    THIS_WEEK_ROWS,
    VISIBLE,
    template_openpyxl,
    template_xlsxwriter,
)


def trimmed(cells: tuple) -> tuple:
    """A row as the clerk reads it: blanks as None, no trailing blanks."""
    values = [None if cell == "" else cell for cell in cells]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def read(data: bytes, name: str = "bien_che_2025-W35.xlsx") -> Book:
    book = read_book(data, name)
    assert isinstance(book, Book), book
    return book


@pytest.mark.parametrize("build", [template_xlsxwriter, template_openpyxl])
def test_a_template_reads_as_its_visible_sheets_with_the_active_one_marked(build):
    book = read(build())
    assert [sheet.name for sheet in book.sheets] == list(VISIBLE)
    assert book.sheets[book.active].name == ACTIVE
    sheet = book.sheets[book.active]
    assert {row.number: trimmed(row.cells) for row in sheet.rows} == {
        number: trimmed(tuple("" if value is None else value for value in values))
        for number, values in enumerate(THIS_WEEK_ROWS, start=1)
    }
    assert set(sheet.merged) == {Merge(*merge) for merge in THIS_WEEK_MERGES}
    errors = {
        (row.number, column): cell
        for row in sheet.rows
        for column, cell in enumerate(row.cells)
        if isinstance(cell, FormulaError)
    }
    assert errors == THIS_WEEK_ERRORS
    assert all(sheet.name != ACTIVE for sheet in book.sheets[: book.active])


def test_rows_are_numbered_from_a1_whatever_the_first_filled_cell():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Báo cáo").write_string("C7", "Mã xã")
    book.close()
    sheet = read(buffer.getvalue()).sheets[0]
    assert [row.number for row in sheet.rows] == [1, 2, 3, 4, 5, 6, 7]
    assert sheet.rows[6].cells[2] == "Mã xã"


def test_chart_sheets_are_never_read_and_the_active_tab_counts_them():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    data = book.add_worksheet("Số liệu")
    data.write_column("A1", [1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "='Số liệu'!$A$1:$A$3"})
    book.add_chartsheet("Biểu đồ").set_chart(chart)
    form = book.add_worksheet("Biểu mẫu")
    form.write_string("A1", "Mã xã")
    form.activate()  # tab 2 of 3, the second worksheet read
    book.close()
    read_back = read(buffer.getvalue())
    assert [sheet.name for sheet in read_back.sheets] == ["Số liệu", "Biểu mẫu"]
    assert read_back.active == 1


def two_sheets(workbook_xml_edit) -> bytes:
    """Sheets "Hướng dẫn" and "Danh mục", workbook.xml edited as writers never write it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Hướng dẫn").write_string("A1", "x")
    book.add_worksheet("Danh mục").write_string("A1", "y")
    book.close()
    data = buffer.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    return rezip(data, {"xl/workbook.xml": workbook_xml_edit(xml).encode()})


def test_a_hidden_active_sheet_is_no_active_sheet():
    def hide_the_active_one(xml: str) -> str:
        xml = xml.replace("<workbookView ", '<workbookView activeTab="1" ', 1)
        return xml.replace(
            'name="Danh mục" sheetId="2"', 'name="Danh mục" sheetId="2" state="hidden"'
        )

    book = read(two_sheets(hide_the_active_one))
    assert [sheet.name for sheet in book.sheets] == ["Hướng dẫn"]
    assert book.active is None


def test_a_workbook_of_hidden_sheets_only_is_empty():
    def hide_all(xml: str) -> str:
        return xml.replace('" sheetId="', '" state="veryHidden" sheetId="')

    rejection = read_book(two_sheets(hide_all), "bien_che_2025-W35.xlsx")
    assert rejection.code == "empty_file"


def test_a_csv_file_is_a_book_of_one_active_sheet():
    book = read("Mã xã,Lĩnh vực\n00004,van_phong\n".encode(), "bien_che_2025-W35.csv")
    assert len(book.sheets) == 1 and book.active == 0 and book.sheets[0].merged == ()


def test_a_sheet_of_formula_errors_is_not_empty():
    workbook = openpyxl.Workbook()
    workbook.active["B2"] = "#REF!"  # an error constant: t="e"
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read(buffer.getvalue()).sheets[0]
    assert sheet.rows[1].cells[1] == FormulaError("#REF!")
    assert isinstance(sheet.rows[1].cells[1], FormulaError)


def test_an_ods_with_repeated_blank_rows_and_cells_lines_up_with_its_facts():
    """Row and column positions counted through repeats (the .ods walk) are calamine's too."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    blank_cells = '<table:table-cell table:number-columns-repeated="2"/>'
    rows = (
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        f"<table:table-row>{blank_cells}{cell.format('Mã xã')}{cell.format('Ghi chú')}"
        "</table:table-row><table:table-row>"
        f'{blank_cells}<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
        "<text:p>00004</text:p></table:table-cell>"
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "</table:table-cell></table:table-row><table:table-row>"
        f"{blank_cells}<table:covered-table-cell/>{cell.format('x')}</table:table-row>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        f'<office:body><office:spreadsheet><table:table table:name="Tuần 35">{rows}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", content)
    sheet = read(out.getvalue(), "bien_che_2025-W35.ods").sheets[0]
    assert {row.number: trimmed(row.cells) for row in sheet.rows} == {
        1: (),
        2: (),
        3: (),
        4: (None, None, "Mã xã", "Ghi chú"),
        5: (None, None, "00004", "#DIV/0!"),
        6: (None, None, None, "x"),
    }
    assert isinstance(sheet.rows[4].cells[3], FormulaError)
    assert sheet.merged == (Merge(5, 2, 6, 2),)
