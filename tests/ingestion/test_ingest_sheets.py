"""Which sheet of a workbook is read, merged cells inside the table, and cells holding a formula's
error: Books built cell by cell, as the reader gives them."""

from __future__ import annotations

import pytest

from core.reference import communes_of
from ingestion.contract import warnings
from ingestion.contract.normalise import FormulaError
from tests.support.books import book, parse, sheet
from tests.support.forms import (
    FIELDS,
    PP,
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    secondment_rows,
    staffing_rows,
)

TITLE = ["BÁO CÁO BIÊN CHẾ CẤP XÃ TUẦN 35 NĂM 2025"]
INSTRUCTIONS = sheet(
    [["HƯỚNG DẪN ĐIỀN BIỂU MẪU"], ["Cột «Mã xã»: mã 5 chữ số"], ["Cột «Lĩnh vực»: mã hoặc tên"]],
    "Hướng dẫn",
)


def staffing_sheet(name: str, n: int = 6, report: str = "29/8/2025", header=STAFFING_HEADER):
    """A staffing sheet: title, blank, header on row 3, ``n`` rows from row 4."""
    return sheet([TITLE, [], header, *staffing_rows(n, report=report)], name)


def test_the_active_sheet_is_read_and_the_instructions_before_it_are_not():
    parsed = parse(book(INSTRUCTIONS, staffing_sheet("Tuần 35"), active=1), "staffing")
    assert parsed.validation.status == "accepted" and parsed.validation.rows_accepted == 6
    assert parsed.sheet_name == "Tuần 35" and parsed.other_sheets == ()
    assert warnings.OTHER_SHEET_HAS_HEADER not in parsed.warnings


def test_a_workbook_saved_on_its_instructions_reads_the_one_sheet_holding_the_header():
    parsed = parse(book(INSTRUCTIONS, staffing_sheet("Số liệu"), active=0), "staffing")
    assert parsed.validation.rows_accepted == 6 and parsed.sheet_name == "Số liệu"


def test_last_weeks_sheet_kept_beside_this_weeks_is_named_in_a_warning():
    last_week = staffing_sheet("Tuần 34", n=9, report="22/8/2025")  # W34: out of range for W35
    parsed = parse(book(last_week, staffing_sheet("Tuần 35"), active=1), "staffing")
    result = parsed.validation
    assert (result.status, result.rows_accepted, result.rejections) == ("accepted", 6, [])
    assert [r["source_row"] for r in result.records] == list(range(4, 10))
    assert parsed.sheet_name == "Tuần 35" and parsed.other_sheets == ("Tuần 34",)
    assert warnings.OTHER_SHEET_HAS_HEADER in parsed.warnings


@pytest.mark.parametrize("active", [0, None])
def test_two_sheets_with_the_header_and_the_active_one_without_is_refused_naming_them(active):
    sheets = (INSTRUCTIONS, staffing_sheet("Tuần 34"), staffing_sheet("Tuần 35"))
    parsed = parse(book(*sheets, active=active), "staffing")
    (rejection,) = parsed.validation.rejections
    assert rejection.code == "unreadable_file" and parsed.validation.status == "rejected"
    assert "«Tuần 34», «Tuần 35»" in rejection.message_vi
    assert "chỉ giữ lại trang tính của tuần này" in rejection.message_vi
    assert "Tuần 34" in rejection.message_en and "active" in rejection.message_en


def test_no_sheet_with_the_header_names_the_sheet_that_comes_closest():
    partial = [TITLE, [], STAFFING_HEADER[:6], *[row[:6] for row in staffing_rows(3)]]
    sheets = (INSTRUCTIONS, sheet(partial, "Biên chế"))
    parsed = parse(book(*sheets, active=0), "staffing")
    (rejection,) = parsed.validation.rejections
    assert (rejection.code, rejection.column) == ("missing_column", "report_date")
    assert "trên trang tính «Biên chế»" in rejection.message_vi


def test_on_a_tie_the_missing_columns_are_those_of_the_active_sheet():
    fewer_a = sheet([["Mã xã", "Lĩnh vực", "Ngày báo cáo"]], "A")
    fewer_b = sheet([["Mã xã", "Biên chế được giao", "Số có mặt"]], "B")
    parsed = parse(book(fewer_a, fewer_b, active=1), "staffing")
    missing = {r.column for r in parsed.validation.rejections}
    assert missing == {"field_code", "report_date"}
    assert all("«B»" in r.message_vi for r in parsed.validation.rejections)


def test_a_one_sheet_book_names_no_sheet_in_its_missing_columns():
    parsed = parse(sheet([STAFFING_HEADER[:6], *[r[:6] for r in staffing_rows(2)]]), "staffing")
    (rejection,) = parsed.validation.rejections
    assert rejection.column == "report_date" and "trang tính" not in rejection.message_vi


# ---- merged cells --------------------------------------------------------------------------


def merged_blocks(communes: list[str], fields: list[str]) -> tuple[list[list], list[tuple]]:
    """A staffing table (header on row 1) whose commune code and name are merged down over the
    rows of its fields, as most provincial templates are; and the merged ranges."""
    grid: list[list] = [STAFFING_HEADER]
    merges = []
    for c, commune in enumerate(communes):
        first = len(grid) + 1
        for f, field in enumerate(fields):
            top = f == 0
            grid.append(
                [
                    c + 1 if top else None,
                    commune if top else None,
                    f"Xã {c}" if top else None,
                    field,
                    5 + f,
                    4 + (c + f) % 3,
                    "29/8/2025",
                ]
            )
        last = len(grid)
        merges += [(first, column, last, column) for column in (0, 1, 2)]
    return grid, merges


def test_a_commune_code_merged_over_its_fields_stands_for_every_row_it_spans():
    communes = communes_of(PP)[:4]
    grid, merges = merged_blocks(communes, FIELDS)
    result = parse(sheet(grid, merged=merges), "staffing").validation
    assert (result.status, result.rejections) == ("accepted", [])
    got = [(r["commune_code"], r["field_code"], r["approved_posts"]) for r in result.records]
    assert got == [(c, f, 5 + i) for c in communes for i, f in enumerate(FIELDS)]


def test_a_date_merged_down_the_table_fills_every_row():
    rows = staffing_rows(5)
    for row in rows[1:]:
        row[6] = None
    merged = sheet([STAFFING_HEADER, *rows], merged=[(2, 6, 6, 6)])
    result = parse(merged, "staffing").validation
    assert result.rows_accepted == 5
    assert {str(r["report_date"]) for r in result.records} == {"2025-08-29"}


def test_a_merged_count_fills_only_its_first_row():
    rows = staffing_rows(4)
    rows[1][4] = None  # approved posts merged over rows 2 and 3 of the sheet: 5 stated once
    result = parse(sheet([STAFFING_HEADER, *rows], merged=[(2, 4, 3, 4)]), "staffing").validation
    assert [r["approved_posts"] for r in result.records] == [rows[0][4], rows[2][4], rows[3][4]]
    ((row, column, code),) = {(r.row, r.column, r.code) for r in result.rejections}
    assert (row, column, code) == (3, "approved_posts", "missing_value")


def test_a_merge_above_the_header_or_across_a_row_copies_nothing_into_the_table():
    rows = staffing_rows(3)
    grid = [["ỦY BAN NHÂN DÂN"], [], STAFFING_HEADER, ["I. PHƯỜNG"], *rows]
    merges = [(1, 0, 2, 6), (4, 0, 4, 6)]  # the title block; the group title across the row
    parsed = parse(sheet(grid, merged=merges), "staffing")
    assert parsed.validation.rows_accepted == 3 and parsed.rows_skipped == 1


# ---- formula errors ------------------------------------------------------------------------


def test_a_formula_error_in_a_count_rejects_its_row_showing_the_error():
    rows = staffing_rows(6)
    rows[2][5] = FormulaError("#DIV/0!")
    result = parse(sheet([STAFFING_HEADER, *rows]), "staffing").validation
    assert result.rows_accepted == 5
    (rejection,) = result.rejections
    assert (rejection.row, rejection.column, rejection.code) == (4, "filled_posts", "formula_error")
    assert rejection.value == "#DIV/0!"
    assert "Ô ở cột «Số có mặt» có lỗi công thức #DIV/0!" in rejection.message_vi
    assert "sửa công thức hoặc ghi số" in rejection.message_vi
    assert "#DIV/0!" in rejection.message_en


@pytest.mark.parametrize("column", [1, 4, 8])  # the key, a free text, a date
def test_a_formula_error_in_any_contract_column_rejects_its_row(column):
    rows = secondment_rows(4)
    rows[1][column] = FormulaError("#REF!")
    result = parse(sheet([SECONDMENT_HEADER, *rows]), "secondments").validation
    assert result.rows_accepted == 3
    assert [(r.row, r.code, r.value) for r in result.rejections] == [(3, "formula_error", "#REF!")]


def test_a_sheet_of_error_cells_is_data_not_an_empty_file():
    rows = [[i + 1, *[FormulaError("#REF!")] * 6] for i in range(8)]
    result = parse(sheet([STAFFING_HEADER, *rows]), "staffing").validation
    assert (result.status, result.rows_total) == ("rejected", 8)
    assert result.file_reason_code == "formula_error"
    assert {r.code for r in result.rejections} == {"formula_error"}
