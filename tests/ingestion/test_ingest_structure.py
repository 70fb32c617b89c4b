"""Rows that structure a form (group titles, subtotals, breakdowns, column-label rows) are skipped,
counted and never summed; subtotals that do not add up are a warning, never a rejection."""

from __future__ import annotations

import pytest

from core.reference import communes_of
from ingestion.contract import warnings
from ingestion.table import headers
from ingestion.table.structure import (
    BREAKDOWN,
    COLUMN_LABELS,
    GROUP_TITLE,
    SUBTOTAL,
    structural_kind,
)
from tests.support.books import parse, sheet
from tests.support.forms import (
    OBSTACLE_HEADER,
    PP,
    STAFFING_HEADER,
    csv_bytes,
    ingest,
    obstacle_rows,
)
from tests.support.hostile import xlsx_grid

COUNTS = frozenset({"approved_posts", "filled_posts"})
NAMES = ("commune_code", "field_code", "approved_posts", "filled_posts", "report_date")
COMMUNES = communes_of(PP)


def staffing_values(cells: list) -> dict:
    """The contract cells of a row laid out as STAFFING_HEADER (STT, Mã xã, Tên xã, …)."""
    padded = [*cells, *[None] * 7][:7]
    return dict(zip(NAMES, (padded[1], padded[3], padded[4], padded[5], padded[6]), strict=True))


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["I. PHƯỜNG"], GROUP_TITLE),
        (["A. Các xã"], GROUP_TITLE),
        (["II", "XÃ"], GROUP_TITLE),
        ([None, None, "1. Phường Ba Đình"], GROUP_TITLE),
        (["B", None, "Đặc khu", None, 30, 28], GROUP_TITLE),  # a group row carrying its sums
        ([None, "XÃ"], GROUP_TITLE),
        (["Cộng xã Phú Xuân", None, None, None, 12, 11], SUBTOTAL),
        (["Cộng phường", None, None, None, 30, 28], SUBTOTAL),
        (["Cộng:", None, None, None, 30, 28], SUBTOTAL),
        (["Tổng số", None, None, None, 30, 28], SUBTOTAL),
        ([None, "TỔNG CỘNG", None, None, 30, 28], SUBTOTAL),
        (["Trong đó:"], BREAKDOWN),
        ([None, None, "- Phường", None, 20, 19], BREAKDOWN),
        ([None, None, "+ Đặc khu", None, 3, 3], BREAKDOWN),
        (["A", "B", "C", 1, 2, "3", "4=2-3"], COLUMN_LABELS),
        (["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(4)-(5)", "(7)"], COLUMN_LABELS),
        ([1, 2, 3, 4, 5, 6, 7], COLUMN_LABELS),
        # data and notes are not structure
        ([1, "00004", "Xã A", "van_phong", 5, 4, "29/8/2025"], None),
        ([None, None, None, "Công thương", 5, 4, "29/8/2025"], None),  # a field, not "Cộng"
        ([None, None, None, "van_phong", 5, 4, "29/8/2025"], None),  # a blank key: missing_value
        ([None, None, "Ghi chú: xã sáp nhập"], None),
        ([None, None, "Chủ tịch UBND xã kiêm nhiệm"], None),
        ([None, None, "1 xã chưa báo cáo"], None),
        ([3, None, "Xã C"], None),  # a number in STT is no group enumerator
        (["Người lập biểu", None, None, "Thủ trưởng đơn vị"], None),
    ],
)
def test_structural_rows_are_told_by_shape_and_words(cells, kind):
    assert structural_kind(tuple(cells), staffing_values(cells), COUNTS) == kind


def row(stt, commune, field, approved, filled):
    return [stt, commune, f"Xã {commune}", field, approved, filled, "29/8/2025"]


A, B, C = COMMUNES[:3]
# A form with every kind of structural row, the figures of its subtotals right; the data rows
# are the ``row(...)`` lines, and nothing else may be summed.
FORM = [
    ["BÁO CÁO BIÊN CHẾ CẤP XÃ"],
    [],
    STAFFING_HEADER,
    ["A", "B", "C", 1, 2, 3, "4=2-3"],
    ["Tổng số", None, None, None, 27, 22],
    ["Trong đó:"],
    [None, None, "- Phường", None, 18, 15],
    [None, None, "- Xã", None, 9, 7],
    ["I. PHƯỜNG"],
    row(1, A, "van_phong", 5, 4),
    row(2, A, "tu_phap", 6, 5),
    ["Cộng xã A", None, None, None, 11, 9],
    row(3, B, "van_phong", 7, 6),
    ["Cộng phường", None, None, None, 18, 15],
    ["II", "XÃ"],
    row(4, C, "noi_vu", 4, 3),
    row(5, C, "y_te", 5, 4),
    ["Cộng", None, None, None, 9, 7],
    ["Tổng cộng", None, None, None, 27, 22],
    [],
    ["Hà Nội, ngày 29 tháng 8 năm 2025"],
    ["1. Người lập biểu"],
    ["Nguyễn Văn A"],
]
DATA_ROWS = [10, 11, 13, 16, 17]  # their Excel row numbers
SKIPPED = 11  # rows 4-9, 12, 14-15, 18-19: everything between the header and the signature


def test_a_form_with_every_structural_row_loads_its_data_rows_and_nothing_else():
    parsed = parse(sheet(FORM), "staffing")
    result = parsed.validation
    assert (result.status, result.rejections, parsed.warnings) == ("accepted", [], ())
    assert [r["source_row"] for r in result.records] == DATA_ROWS
    assert sum(r["approved_posts"] for r in result.records) == 5 + 6 + 7 + 4 + 5
    assert parsed.rows_skipped == SKIPPED and parsed.subtotals == ()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_same_form_sent_as_a_file_is_read_the_same(settings, fmt):
    grid = [[None if v == "" else v for v in r] for r in FORM]
    if fmt == "xlsx":
        data = xlsx_grid(grid)
    else:
        texts = [["" if v is None else v for v in r] for r in grid]
        data = csv_bytes(texts[0], texts[1:])
    result = ingest(settings, f"bien_che_2025-W35.{fmt}", data)
    assert result.rejections == []
    assert [r["source_row"] for r in result.rows] == DATA_ROWS
    assert (result.registry["rows_skipped"], result.registry["warnings"]) == (SKIPPED, None)
    assert result.registry["sheet_name"] == ("Báo cáo" if fmt == "xlsx" else None)


def subtotal_form(changes: dict[tuple[int, int], object]) -> list[list]:
    """FORM with cells changed: (Excel row, 0-based column) → value."""
    grid = [list(r) for r in FORM]
    for (number, column), value in changes.items():
        grid[number - 1][column] = value
    return grid


def test_subtotals_that_do_not_add_up_are_each_reported_with_the_rows_they_cover():
    changes = {(12, 4): 12, (14, 5): 14, (19, 4): 30, (5, 5): 20}
    parsed = parse(sheet(subtotal_form(changes)), "staffing")
    assert parsed.validation.status == "accepted" and parsed.validation.rejections == []
    assert warnings.SUBTOTAL_MISMATCH in parsed.warnings
    found = {
        (m.row, m.label, m.column, m.stated, m.computed, m.first_row, m.last_row)
        for m in parsed.subtotals
    }
    assert found == {
        (12, "Cộng xã A", "Biên chế được giao", 12, 11, 10, 11),  # A's two rows
        (14, "Cộng phường", "Số có mặt", 14, 15, 10, 13),  # the group since "I. PHƯỜNG"
        (19, "Tổng cộng", "Biên chế được giao", 30, 27, 10, 17),  # every data row
        (5, "Tổng số", "Số có mặt", 20, 22, 10, 17),  # a total above the data covers them all
    }


@pytest.mark.parametrize("count", ["năm", "", 10**9])  # text, blank, over the count limit
def test_a_subtotal_over_an_unreadable_count_is_not_checked(count):
    changes = {(10, 4): count, (12, 4): 99, (14, 4): 99, (19, 4): 99, (5, 4): 99}
    parsed = parse(sheet(subtotal_form(changes)), "staffing")
    assert parsed.subtotals == () and warnings.SUBTOTAL_MISMATCH not in parsed.warnings
    assert [r.row for r in parsed.validation.rejections] == [10]


def test_group_subtotals_without_group_titles_cover_the_rows_since_the_previous_one():
    grid = [
        STAFFING_HEADER,
        row(1, A, "van_phong", 5, 4),
        row(2, A, "tu_phap", 6, 5),
        ["Cộng", None, None, None, 11, 9],
        row(3, B, "van_phong", 7, 6),
        ["Cộng", None, None, None, 8, 6],
    ]
    parsed = parse(sheet(grid), "staffing")
    assert [(m.row, m.column, m.stated, m.computed) for m in parsed.subtotals] == [
        (6, "Biên chế được giao", 8, 7)
    ]
    assert parsed.rows_skipped == 2


def test_a_blank_key_row_among_structural_rows_is_still_rejected_and_the_rest_read():
    grid = [list(r) for r in FORM]
    grid[12] = [None, None, None, "dat_dai", 2, 2, "29/8/2025"]  # row 13: no commune code
    result = parse(sheet(grid), "staffing").validation
    assert [(r.row, r.code) for r in result.rejections] == [(13, "missing_value")]
    assert [r["source_row"] for r in result.records] == [10, 11, 16, 17]


def test_obstacles_forms_skip_group_titles_too():
    rows = obstacle_rows(4)
    grid = [OBSTACLE_HEADER, ["I", "PHƯỜNG"], *rows[:2], ["II", "XÃ"], *rows[2:]]
    parsed = parse(sheet(grid), "obstacles")
    assert parsed.validation.rows_accepted == 4 and parsed.rows_skipped == 2


def test_clean_rows_take_no_structural_check(monkeypatch):
    """Once a data row was seen, a row whose key is a code is data without further checks: the
    structural checks run on the rows above the data and on rows without a code only."""
    calls = []

    def counted(cells, values, counts):
        calls.append(cells)
        return structural_kind(cells, values, counts)

    monkeypatch.setattr(headers, "structural_kind", counted)
    parsed = parse(sheet(FORM), "staffing")
    assert parsed.validation.rows_accepted == 5
    first_data = DATA_ROWS[0]
    checked = [FORM.index(list(cells)) + 1 for cells in calls]
    assert first_data in checked  # the first data row: nothing seen before it
    assert not set(DATA_ROWS[1:]) & set(checked)
