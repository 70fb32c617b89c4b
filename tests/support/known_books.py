"""Small workbooks whose every fact is known by construction (sheet names, which are hidden,
the one the workbook opens on, merged ranges, cells whose formula failed), for the reading
layer's tests; .xls and .ods versions are LibreOffice's saves of these."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import xlsxwriter

# The sheets of the template a clerk fills, in workbook order: (name, state).
SHEETS = (
    ("Hướng dẫn", "visible"),  # the template's instructions
    ("Danh mục", "hidden"),  # its code lists
    ("Tuần 34", "visible"),  # last week's sheet, kept
    ("Tuần 35", "visible"),  # this week's: the workbook opens on it
    ("Ẩn hẳn", "veryHidden"),
)
ACTIVE = "Tuần 35"
VISIBLE = ("Hướng dẫn", "Tuần 34", "Tuần 35")

# "Tuần 35" from A1, as the clerk sees it (None: an empty cell). Row 1 is blank; the commune
# code 00004 is merged over rows 3-5 of column A, the title over D2:F2; C3:C5 hold formulas
# that failed, shown as their errors.
THIS_WEEK_ROWS = (
    (),
    ("Mã xã", "Lĩnh vực", "Ghi chú", "Báo cáo tuần 35"),
    ("00004", "van_phong", "#DIV/0!"),
    (None, "tu_phap", "#REF!"),
    (None, "noi_vu", "#N/A"),
)
THIS_WEEK_MERGES = ((3, 0, 5, 0), (2, 3, 2, 5))  # Excel rows, 0-based columns, ends included
THIS_WEEK_ERRORS = {(3, 2): "#DIV/0!", (4, 2): "#REF!", (5, 2): "#N/A"}  # (Excel row, column)
_FORMULAS = {"#DIV/0!": "=1/0", "#REF!": "=#REF!+1", "#N/A": "=NA()"}


@dataclass(frozen=True)
class Cell:
    row: int  # 0-based
    column: int
    value: str


def _cells() -> list[Cell]:
    return [
        Cell(row, column, value)
        for row, values in enumerate(THIS_WEEK_ROWS)
        for column, value in enumerate(values)
        if value is not None and (row, column) != (1, 3)
    ]


def template_xlsxwriter() -> bytes:
    """The template saved by xlsxwriter, formulas with their cached errors (as Excel saves)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheets = {name: book.add_worksheet(name) for name, _ in SHEETS}
    for name, state in SHEETS:
        if name != ACTIVE:
            sheets[name].write_string(0, 0, f"trang {name}")
        if state == "hidden":
            sheets[name].hide()
        elif state == "veryHidden":
            sheets[name].very_hidden()
    sheet = sheets[ACTIVE]
    for cell in _cells():
        if cell.value in _FORMULAS:
            sheet.write_formula(cell.row, cell.column, _FORMULAS[cell.value], None, cell.value)
        elif (cell.row, cell.column) != (2, 0):  # the merged code: merge_range writes it
            sheet.write_string(cell.row, cell.column, cell.value)
    sheet.merge_range(2, 0, 4, 0, "00004")
    sheet.merge_range(1, 3, 1, 5, "Báo cáo tuần 35")
    sheet.activate()
    book.close()
    return buffer.getvalue()


def template_openpyxl() -> bytes:
    """The same template saved by openpyxl: the errors as error constants (``t="e"`` without
    a formula, as a clerk's pasted values keep them)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, state in SHEETS:
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        if name != ACTIVE:
            sheet["A1"] = f"trang {name}"
    sheet = book[ACTIVE]
    for cell in _cells():
        sheet.cell(cell.row + 1, cell.column + 1, cell.value)
    sheet["D2"] = "Báo cáo tuần 35"
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("D2:F2")
    book.active = [name for name, _ in SHEETS].index(ACTIVE)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
