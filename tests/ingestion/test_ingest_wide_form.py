"""Staffing as a wide form: one row per commune, a column pair per field under the field's title,
read as the same commune × field rows; truth computed from the figures the form was built from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.reference import communes_of
from ingestion.contract import warnings
from tests.support.books import parse, sheet
from tests.support.forms import PP, ingest
from tests.support.hostile import xlsx_grid

COMMUNES = communes_of(PP)[:4]
# Group titles as clerks write them: labels in any spelling, or codes.
TITLES = {
    "van_phong": "Văn phòng - Hành chính",
    "tu_phap": "tu_phap",
    "van_hoa_thong_tin": "VĂN HOÁ - THÔNG TIN",
    "y_te": "Y tế (người)",
}
APPROVED, FILLED = "Biên chế được giao", "Số có mặt"


def figures(communes=COMMUNES, fields=tuple(TITLES)) -> dict[tuple[str, str], tuple[Any, Any]]:
    """(commune, field) → (approved, filled): the truth the forms below are built from."""
    return {
        (commune, field): (3 + (c + f) % 4, 2 + (c * f) % 3)
        for c, commune in enumerate(communes)
        for f, field in enumerate(fields)
    }


def wide_grid(
    values: dict[tuple[str, str], tuple[Any, Any]],
    titles: dict[str, str] = TITLES,
    date_column: bool = True,
    above: list[list] = (),
    total_row: dict[str, tuple[int, int]] | None = None,
) -> tuple[list[list], list[tuple], int]:
    """A wide form: ``above`` lines, a header of group titles (a "Tổng số" pair first) over
    "Biên chế được giao" / "Số có mặt", a column-number row, one row per commune, and a total
    row when ``total_row`` (field → its two figures) is given. Returns the grid, its merges
    (Excel rows, 0-based columns) and the Excel row of the first commune."""
    communes = list(dict.fromkeys(commune for commune, _ in values))
    fields = list(titles)
    top = ["STT", "Mã xã", "Tên xã", "Tổng số", None]
    sub = [None, None, None, APPROVED, FILLED]
    for field in fields:
        top += [titles[field], None]
        sub += [APPROVED, FILLED]
    if date_column:
        top.append("Ngày báo cáo")
        sub.append(None)
    grid: list[list] = [["BÁO CÁO BIÊN CHẾ CẤP XÃ (MẪU NGANG)"], *above, top, sub]
    header = len(grid) - 1  # Excel row of the titles
    merges = [(header, c, header + 1, c) for c in (0, 1, 2)]
    merges += [(header, c, header, c + 1) for c in range(3, 3 + 2 * (len(fields) + 1), 2)]
    if date_column:
        merges.append((header, len(top) - 1, header + 1, len(top) - 1))
    grid.append(["A", "B", "C", *[str(i) for i in range(1, len(top) - 2)]])
    first = len(grid) + 1
    for c, commune in enumerate(communes):
        pairs = [values.get((commune, field), (None, None)) for field in fields]
        total = [sum(v for v in (p[i] for p in pairs) if isinstance(v, int)) for i in (0, 1)]
        line = [c + 1, commune, f"Xã {c}", *total, *[v for pair in pairs for v in pair]]
        grid.append(line + (["29/8/2025"] if date_column else []))
    if total_row is not None:
        grid.append(
            ["Tổng cộng", None, None, None, None, *[v for f in fields for v in total_row[f]]]
        )
    return grid, merges, first


def staged(records: list[dict]) -> set[tuple]:
    return {
        (
            r["source_row"],
            r["commune_code"],
            r["field_code"],
            r["approved_posts"],
            r["filled_posts"],
        )
        for r in records
    }


def truth(values: dict, first: int, communes=COMMUNES) -> set[tuple]:
    return {
        (first + communes.index(commune), commune, field, approved, filled)
        for (commune, field), (approved, filled) in values.items()
        if approved is not None or filled is not None
    }


def test_a_wide_form_reads_as_commune_by_field_rows():
    values = figures()
    grid, merges, first = wide_grid(values)
    parsed = parse(sheet(grid, merged=merges), "staffing")
    result = parsed.validation
    assert (result.status, result.rejections) == ("accepted", [])
    assert staged(result.records) == truth(values, first)
    assert {r["report_date"] for r in result.records} == {date(2025, 8, 29)}
    assert parsed.rows_skipped == 1  # the column-number row; the "Tổng số" pair is no field


def test_a_wide_form_sent_as_xlsx_lands_its_rows(settings):
    values = figures()
    grid, merges, first = wide_grid(values)
    data = xlsx_grid(grid, [(r - 1, c0, r2 - 1, c1, grid[r - 1][c0]) for r, c0, r2, c1 in merges])
    result = ingest(settings, "bien_che_2025-W35.xlsx", data)
    assert result.rejections == [] and result.registry["status"] == "accepted"
    assert staged(result.rows) == truth(values, first)
    assert result.registry["rows_total"] == len(values)


def test_a_field_left_blank_is_not_reported_and_half_a_pair_is_missing_value():
    values = figures()
    values[(COMMUNES[1], "tu_phap")] = (None, None)
    values[(COMMUNES[2], "y_te")] = (4, None)
    grid, merges, first = wide_grid(values)
    result = parse(sheet(grid, merged=merges), "staffing").validation
    assert len(result.records) == len(values) - 2
    (rejection,) = result.rejections
    assert (rejection.row, rejection.code) == (first + 2, "missing_value")
    assert rejection.sender_column == "Y tế (người) / Số có mặt"
    assert "«Y tế (người) / Số có mặt»" in rejection.message_vi
    assert rejection.key_value == f"{COMMUNES[2]} + y_te"


@pytest.mark.parametrize(
    "line",
    [
        "Ngày báo cáo: 29/8/2025",
        "(Số liệu tính đến ngày 29/8/2025)",
        "Tính đến ngày 29 tháng 8 năm 2025",
    ],
)
def test_the_report_date_may_be_a_line_above_the_header(line):
    values = figures()
    grid, merges, first = wide_grid(values, date_column=False, above=[[None, line], []])
    result = parse(sheet(grid, merged=merges), "staffing").validation
    assert result.rejections == [] and staged(result.records) == truth(values, first)
    assert {r["report_date"] for r in result.records} == {date(2025, 8, 29)}


def test_a_date_line_outside_the_week_names_the_line():
    grid, merges, _ = wide_grid(figures(), date_column=False, above=[["Ngày báo cáo: 5/9/2025"]])
    result = parse(sheet(grid, merged=merges), "staffing").validation
    assert result.status == "rejected" and result.file_reason_code == "date_out_of_range"
    assert {r.sender_column for r in result.rejections} == {"Ngày báo cáo: 5/9/2025 (dòng 2)"}


def test_without_a_date_column_or_line_the_report_date_is_missing():
    grid, merges, _ = wide_grid(figures(), date_column=False)
    parsed = parse(sheet(grid, merged=merges), "staffing")
    assert [(r.code, r.column) for r in parsed.validation.rejections] == [
        ("missing_column", "report_date")
    ]


def test_a_group_title_that_is_no_field_is_refused_per_row_naming_it():
    titles = {**TITLES, "quoc_phong": "Quốc phòng"}
    values = {**figures(), (COMMUNES[0], "quoc_phong"): (2, 2)}
    grid, merges, first = wide_grid(values, titles)
    result = parse(sheet(grid, merged=merges), "staffing").validation
    (rejection,) = result.rejections
    assert (rejection.row, rejection.code, rejection.value) == (first, "unknown_code", "Quốc phòng")
    assert rejection.message_vi.startswith("Nhóm cột «Quốc phòng» không phải lĩnh vực")
    assert "van_phong (Văn phòng - Hành chính)" in rejection.message_vi
    assert result.rows_accepted == len(values) - 1


def test_a_wide_total_row_is_checked_pair_by_pair():
    values = figures()
    sums = {
        field: tuple(sum(values[(c, field)][i] for c in COMMUNES) for i in (0, 1))
        for field in TITLES
    }
    sums["tu_phap"] = (sums["tu_phap"][0] + 1, sums["tu_phap"][1])
    grid, merges, _ = wide_grid(values, total_row=sums)
    parsed = parse(sheet(grid, merged=merges), "staffing")
    assert parsed.validation.rejections == []
    assert warnings.SUBTOTAL_MISMATCH in parsed.warnings
    ((column, stated, computed),) = {(m.column, m.stated, m.computed) for m in parsed.subtotals}
    assert column == "tu_phap / Biên chế được giao"
    assert stated == computed + 1
