"""Nil returns (a secondments or obstacles file with the header and no data row: accepted, the kind
received), and what the clerk reads about the table: the sheet read, the rows skipped, the
subtotals that do not add up."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
from python_calamine import CalamineWorkbook

from ingestion.contract import warnings
from ingestion.province import process_province
from ingestion.stage import staging
from tests.support import forms
from tests.support.feedback_files import header_of, summary_sections
from tests.support.hostile import xlsx_grid

PP = "15"  # Lào Cai
WEEK = "2025-W36"
ON_TIME = datetime(2025, 9, 5, 3, 0, tzinfo=UTC)  # Friday of W36, 10:00 in Vietnam
LATE = datetime(2025, 9, 9, 2, 0, tzinfo=UTC)  # Tuesday after the Monday-noon deadline


def header_only(header: list[str]) -> bytes:
    """A CSV holding the header and no row."""
    return forms.csv_bytes(header, [])


def feedback_path(settings, name: str):
    return settings.feedback / PP / WEEK / f"{name}.phan_hoi.xlsx"


def test_a_header_only_secondments_file_is_accepted_as_nothing_to_report(settings):
    result = forms.ingest(
        settings, "biet_phai_2025-W36.csv", header_only(forms.SECONDMENT_HEADER), PP
    )
    registry = result.registry
    assert (registry["status"], registry["rows_total"], registry["rows_accepted"]) == (
        "accepted",
        0,
        0,
    )
    assert registry["file_reason_code"] is None and result.rejections == []
    assert result.rows == []
    block = header_of(feedback_path(settings, "biet_phai_2025-W36.csv"))
    assert block["Kết quả"] == "Chấp nhận: không có biệt phái trong tuần"
    assert "không có dòng số liệu nào" in block["Số dòng"]
    assert block["Cần làm"] == "Không cần làm gì thêm."


def test_an_obstacles_form_with_its_total_row_and_signature_but_no_row_is_a_nil_return(settings):
    form = forms.government_xlsx(forms.OBSTACLE_HEADER, [])
    result = forms.ingest(settings, "vuong_mac_2025-W36.xlsx", form.data, PP)
    registry = result.registry
    assert (registry["status"], registry["rows_total"]) == ("accepted", 0)
    assert registry["rows_skipped"] == 2  # the column-number row and "Tổng cộng"
    assert registry["sheet_name"] == "Báo cáo"


def test_a_staffing_file_without_data_rows_is_still_empty(settings):
    result = forms.ingest(settings, "bien_che_2025-W36.csv", header_only(forms.STAFFING_HEADER), PP)
    assert result.registry["status"] == "rejected"
    assert result.registry["file_reason_code"] == "empty_file"


def test_the_weekly_summary_says_nothing_to_report_and_keeps_the_time(settings):
    forms.drop(
        settings, PP, "biet_phai_2025-W36.csv", header_only(forms.SECONDMENT_HEADER), ON_TIME
    )
    forms.drop(settings, PP, "vuong_mac_2025-W36.csv", header_only(forms.OBSTACLE_HEADER), LATE)
    process_province(settings, PP)
    path = settings.feedback / PP / WEEK / f"tong_hop_tuan_{WEEK}.xlsx"
    sections = summary_sections(path)
    kinds = {row[0]: row for row in sections["1. Ba loại báo cáo của tuần"][1:]}
    assert kinds["Biệt phái"][1] == "Đúng hạn: không có biệt phái trong tuần"
    assert kinds["Vướng mắc"][1] == "Nộp muộn (21 giờ): không có vướng mắc trong tuần"
    assert kinds["Biên chế, nhân sự"][1] == "Chưa nộp"
    header = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    outline = next(row for row in header if row[0] == "Tình hình")
    assert "Đã nộp 2/3 loại báo cáo (không có biệt phái trong tuần; không có vướng mắc" in (
        " ".join(str(cell) for cell in outline)
    )
    files = {row[0]: row for row in sections["2. Các tệp đã nhận cho tuần này"][1:]}
    assert files["biet_phai_2025-W36.csv"][3] == "Chấp nhận: không có biệt phái trong tuần"


def test_a_nil_return_v2_supersedes_a_list_with_rows(settings):
    forms.drop(
        settings,
        PP,
        "biet_phai_2025-W36.csv",
        forms.csv_bytes(forms.SECONDMENT_HEADER, forms.secondment_rows(3, PP)),
    )
    process_province(settings, PP)
    result = forms.ingest(
        settings, "biet_phai_2025-W36_v2.csv", header_only(forms.SECONDMENT_HEADER), PP
    )
    assert result.registry["status"] == "accepted" and result.registry["version"] == 2
    block = header_of(feedback_path(settings, "biet_phai_2025-W36_v2.csv"))
    assert block["Bản có hiệu lực"].startswith("Tệp này là bản đang có hiệu lực")


def subtotal_section(path) -> list[list]:
    """The feedback's table of subtotals that do not add up (header row first)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    start = next(i for i, row in enumerate(grid) if str(row[0]).startswith("DÒNG CỘNG"))
    end = next(i for i in range(start, len(grid)) if not any(cell != "" for cell in grid[i]))
    return grid[start + 1 : end]


def test_the_feedback_names_the_sheet_the_rows_skipped_and_a_wrong_subtotal(settings):
    rows = forms.staffing_rows(4, PP, report="5/9/2025")
    grid = [
        ["BÁO CÁO BIÊN CHẾ"],
        forms.STAFFING_HEADER,
        ["I. PHƯỜNG"],
        *rows[:2],
        ["Cộng", None, None, None, rows[0][4] + rows[1][4] + 1, rows[0][5] + rows[1][5]],
        ["II. XÃ"],
        *rows[2:],
    ]
    result = forms.ingest(settings, "bien_che_2025-W36.xlsx", xlsx_grid(grid), PP)
    assert result.registry["status"] == "accepted" and result.rejections == []
    assert result.registry["warnings"] == warnings.SUBTOTAL_MISMATCH
    assert result.registry["rows_skipped"] == 3
    path = feedback_path(settings, "bien_che_2025-W36.xlsx")
    block = header_of(path)
    assert block["Trang tính đã đọc"] == "«Báo cáo»"
    assert block["Dòng tiêu đề nhóm / dòng cộng, không tính"] == "3"
    assert block["Lưu ý"].startswith("Có dòng cộng")
    header, line = subtotal_section(path)
    assert header[:5] == ["Dòng", "Cột", "Dòng cộng", "Số ghi trên dòng cộng", "Tổng các dòng"]
    stated = rows[0][4] + rows[1][4] + 1
    assert line[:5] == [6, "Biên chế được giao", "Cộng", stated, stated - 1]
    assert "Các dòng 4–5" in line[5]
    csv = path.with_name("bien_che_2025-W36.xlsx.phan_hoi.csv").read_text(encoding="utf-8-sig")
    assert "DÒNG CỘNG KHÔNG KHỚP" in csv and "Trang tính đã đọc" in csv


def test_the_registry_row_carries_the_sheet_and_the_rows_skipped(settings):
    form = forms.government_xlsx(
        forms.STAFFING_HEADER, forms.staffing_rows(5, PP, report="5/9/2025")
    )
    forms.drop(settings, PP, "bien_che_2025-W36.xlsx", form.data)
    outcome = process_province(settings, PP)
    (file,) = outcome.files
    row = pq.read_table(staging.registry_path(settings, PP, file.file_id)).to_pylist()[0]
    assert (row["sheet_name"], row["rows_skipped"], row["warnings"]) == ("Báo cáo", 2, None)
