"""The one-sheet xlsx writer behind feedback and weekly summaries: what it writes reads back the
same in calamine and openpyxl, with its looks, merges and print set-up, and the bytes depend only
on the content. (How LibreOffice prints it: tests/ingestion/test_feedback_print.py.)"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from python_calamine import CalamineWorkbook

from ingestion.feedback.xlsx_sheet import Worksheet, stored_width
from ingestion.read.cell_facts import column_name

AWKWARD = 'a\x01b _x0041_ & <x> "q" 😀\nsecond line\ufffe'


def sample() -> Worksheet:
    sheet = Worksheet("Phản hồi", [8, 18, 22])
    sheet.write(0, 0, AWKWARD, "text")
    sheet.write(1, 0, 5, "text")
    sheet.write(1, 1, 2.5, "strong")
    sheet.write(1, 2, float("inf"), "plain")
    sheet.merge(2, 0, 2, "Cần sửa", "header")
    sheet.height(2, 41.25)
    sheet.footer = "&L&8Phản hồi tệp a&&b.csv&R&8Trang &P/&N"
    sheet.repeat_row = 2
    return sheet


def test_text_and_numbers_read_back_unchanged():
    grid = CalamineWorkbook.from_filelike(io.BytesIO(sample().to_bytes()))
    rows = grid.get_sheet_by_index(0).to_python()
    written = AWKWARD.replace("\ufffe", "\ufffd")  # a non-character is no text: replaced
    assert rows == [[written, "", ""], [5.0, 2.5, "inf"], ["Cần sửa", "", ""]]


def test_no_cell_is_a_formula_and_the_parts_are_the_minimal_package():
    data = sample().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert sorted(package.namelist()) == [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ]
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_looks_merges_and_print_setup_as_openpyxl_reads_them():
    book = openpyxl.load_workbook(io.BytesIO(sample().to_bytes()))
    sheet = book.active
    assert sheet.title == "Phản hồi"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A3:C3"]
    header = sheet["A3"]
    assert header.font.b and header.font.name == "Arial"
    assert header.fill.fgColor.rgb == "FFDDEBF7"
    assert (header.alignment.horizontal, header.alignment.vertical) == ("center", "top")
    assert header.alignment.wrap_text and sheet["C3"].border.right.style == "thin"
    assert sheet["B2"].font.b and not sheet["A2"].font.b
    assert sheet.row_dimensions[3].height == 41.25
    assert sheet.column_dimensions["B"].width == stored_width(18) == 18.7109375
    assert sheet.print_title_rows == "$3:$3"
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToHeight) == (9, "landscape", 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.left.text == "Phản hồi tệp a&&b.csv"


def test_a_cell_holds_at_most_excels_32767_characters():
    sheet = Worksheet("s", [10])
    sheet.write(0, 0, "x" * 40_000, "text")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(sheet.to_bytes())).get_sheet_by_index(0)
    assert rows.to_python() == [["x" * 32_767]]


def test_row_heights_are_whole_pixels_as_excel_keeps_them():
    sheet = Worksheet("s", [10])
    sheet.height(0, 20.0)  # 26.7 px → 27 px
    assert sheet.heights[0] == 20.25


def test_the_same_content_gives_the_same_bytes():
    assert sample().to_bytes() == sample().to_bytes()


def test_column_names():
    assert [column_name(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
