"""Every reason code of the file contract, triggered by a real file dropped in a province inbox."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from core.reference import communes_of
from tests.support.forms import (
    OBSTACLE_HEADER,
    OTHER_PP,
    PP,
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    government_xlsx,
    ingest,
    obstacle_rows,
    secondment_rows,
    staffing_rows,
)


def reasons(result) -> list[tuple]:
    return sorted(
        ((r["source_row"], r["column_name"], r["reason_code"]) for r in result.rejections),
        key=lambda item: (item[0] or 0, item[1] or "", item[2]),
    )


def csv_line(index: int) -> int:
    """CSV line of data row ``index`` (0-based), the header being on line 1."""
    return index + 2


# ---- whole-file rejections -------------------------------------------------------------------


def test_unreadable_xlsx(settings):
    result = ingest(settings, "bien_che_2025-W35.xlsx", b"PK\x03\x04 this is not a workbook")
    assert result.registry["status"] == "rejected"
    assert result.registry["file_reason_code"] == "unreadable_file"
    assert reasons(result) == [(None, None, "unreadable_file")]
    assert result.rejections[0]["message_vi"].startswith("Không đọc được tệp")


def test_unreadable_binary_csv(settings):
    result = ingest(settings, "staffing_2025-W35.csv", bytes(range(256)) * 4)
    assert reasons(result) == [(None, None, "unreadable_file")]


def test_xlsx_that_is_not_a_workbook(settings):
    result = ingest(settings, "staffing_2025-W35.xlsx", "Mã xã,Lĩnh vực\n".encode())
    assert reasons(result) == [(None, None, "unreadable_file")]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n,,,\r\n"])
def test_empty_csv(settings, data):
    result = ingest(settings, "staffing_2025-W35.csv", data)
    assert reasons(result) == [(None, None, "empty_file")]
    assert result.registry["rows_total"] == 0


def test_header_without_rows_is_empty(settings):
    form = government_xlsx(STAFFING_HEADER, [], total=False)
    result = ingest(settings, "staffing_2025-W35.xlsx", form.data)
    assert reasons(result) == [(None, None, "empty_file")]


def test_file_too_large_is_not_parsed_but_landed(settings):
    small = dataclasses.replace(settings, max_file_bytes=200)
    data = csv_bytes(STAFFING_HEADER, staffing_rows(20))
    result = ingest(small, "staffing_2025-W35.csv", data)
    assert reasons(result) == [(None, None, "file_too_large")]
    assert result.registry["bytes"] == len(data)
    assert (small.data_dir / result.registry["landing_path"]).read_bytes() == data


@pytest.mark.parametrize(
    "name", ["tong_hop_2025-W35.xlsx", "staffing_2025-W54.csv", "staffing_2025-W35.txt"]
)
def test_invalid_file_name(settings, name):
    result = ingest(settings, name, csv_bytes(STAFFING_HEADER, staffing_rows(3)))
    assert reasons(result) == [(None, None, "invalid_file_name")]
    assert result.registry["kind"] is None and result.registry["week"] is None
    assert result.rows is None
    assert result.registry["landing_path"].startswith(f"landing/{PP}/no_week/")


def test_wrong_province_file(settings):
    rows = staffing_rows(10, province=OTHER_PP)
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, rows))
    assert reasons(result) == [(None, None, "wrong_province_file")]
    assert result.registry["file_reason_code"] == "wrong_province_file"
    assert result.registry["rows_total"] == 10
    assert result.registry["rows_accepted"] == 0
    assert len(result.rows) == 0


def test_more_than_half_failing_rejects_the_file_but_keeps_row_reasons(settings):
    rows = staffing_rows(5)
    for row in rows[:3]:
        row[4] = "nhiều"
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, rows))
    assert result.registry["status"] == "rejected"
    assert result.registry["file_reason_code"] == "invalid_number"
    assert result.registry["rows_rejected"] == 5  # every row: the file is rejected whole
    assert len(result.rows) == 0
    assert reasons(result) == [(csv_line(i), "approved_posts", "invalid_number") for i in range(3)]


def test_exactly_half_failing_still_loads(settings):
    rows = staffing_rows(4)
    rows[0][4] = rows[1][4] = "x"
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, rows))
    assert result.registry["status"] == "partly_accepted"
    assert len(result.rows) == 2


def test_missing_column_one_rejection_per_column(settings):
    header = [h for h in STAFFING_HEADER if h not in ("Số có mặt", "Ngày báo cáo")]
    rows = [[v for i, v in enumerate(r) if i not in (5, 6)] for r in staffing_rows(3)]
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(header, rows))
    assert reasons(result) == [
        (None, "filled_posts", "missing_column"),
        (None, "report_date", "missing_column"),
    ]
    assert result.registry["status"] == "rejected"
    assert result.registry["file_reason_code"] == "missing_column"
    assert "«Số có mặt»" in result.rejections[0]["message_vi"]


# ---- row rejections: a bad row is quarantined and the rest loads -----------------------------


def staffing_case(settings, column: int, value, *, rows: int = 10):
    data = staffing_rows(rows)
    data[3][column] = value
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, data))
    assert result.registry["status"] == "partly_accepted"
    assert len(result.rows) == rows - 1
    assert csv_line(3) not in result.rows_by_number()
    return result


@pytest.mark.parametrize(
    ("column", "value", "canonical", "reason"),
    [
        (1, "99999", "commune_code", "unknown_commune"),
        (1, "xã A", "commune_code", "unknown_commune"),
        (1, "", "commune_code", "missing_value"),
        (1, communes_of(OTHER_PP)[0], "commune_code", "commune_not_in_province"),
        (3, "Bảo vệ", "field_code", "unknown_code"),
        (4, "abc", "approved_posts", "invalid_number"),
        (4, "2.5", "approved_posts", "invalid_number"),
        (5, "", "filled_posts", "missing_value"),
        (5, "100001", "filled_posts", "invalid_number"),  # over the 100,000 bound
        (5, "3000000000", "filled_posts", "invalid_number"),  # over int32: never staged
        (5, "１２", "filled_posts", "invalid_number"),  # full-width digits are not digits
        (3, "", "field_code", "missing_value"),
        (5, "-1", "filled_posts", "negative_count"),
        (6, "31/02/2025", "report_date", "invalid_date"),
        (6, "", "report_date", "missing_value"),
        (6, "1/9/2025", "report_date", "date_out_of_range"),
        (6, "24/8/2025", "report_date", "date_out_of_range"),
    ],
)
def test_staffing_row_rules(settings, column, value, canonical, reason):
    result = staffing_case(settings, column, value)
    assert reasons(result) == [(csv_line(3), canonical, reason)]
    rejection = result.rejections[0]
    assert rejection["file_name"] == "staffing_2025-W35.csv"
    assert rejection["kind"] == "staffing" and rejection["week"] == "2025-W35"
    assert rejection["value"] == (value or None)
    assert rejection["message_vi"] and rejection["message_en"]


def test_a_row_collects_one_rejection_per_column(settings):
    data = staffing_rows(10)
    data[2][3], data[2][4], data[2][6] = "khác", "-5", "32/8/2025"
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, data))
    assert reasons(result) == [
        (4, "approved_posts", "negative_count"),
        (4, "field_code", "unknown_code"),
        (4, "report_date", "invalid_date"),
    ]
    assert result.registry["rows_rejected"] == 1


def test_duplicate_keys_reject_every_row_sharing_the_key(settings):
    data = staffing_rows(10)
    data[7][1], data[7][3] = data[2][1], data[2][3]
    data[9][1], data[9][3] = (
        int(data[2][1]),
        "Văn phòng - Hành chính" if data[2][3] == "van_phong" else data[2][3],
    )
    result = ingest(settings, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, data))
    assert reasons(result) == [(csv_line(i), "commune_code", "duplicate_key") for i in (2, 7, 9)]
    assert "với các dòng 9 và 11." in result.rejections[0]["message_vi"]
    assert "với các dòng 4 và 11." in result.rejections[1]["message_vi"]
    assert len(result.rows) == 7


def test_secondment_rules(settings):
    data = secondment_rows(20)
    data[0][9] = "19/8/2025"  # ends before it starts
    data[1][5], data[1][6] = "bo", "1"  # ministry → Hà Nội itself: fine
    data[2][5], data[2][6] = "Bộ", OTHER_PP  # ministry → another province
    data[3][5], data[3][6] = "bo", "99"  # not a province
    data[4][5] = "chinh_phu"  # not an origin level
    data[5][10] = "tạm dừng"
    data[6][1] = data[7][1] = "BP-DUP"
    data[8][8] = ""
    data[9][9] = ""  # open-ended: fine
    result = ingest(settings, "biet_phai_2025-W35.csv", csv_bytes(SECONDMENT_HEADER, data))
    assert reasons(result) == [
        (csv_line(0), "end_date", "end_before_start"),
        (csv_line(2), "destination_code", "commune_not_in_province"),
        (csv_line(3), "destination_code", "unknown_commune"),
        (csv_line(4), "origin_level", "unknown_code"),
        (csv_line(5), "status", "unknown_code"),
        (csv_line(6), "assignment_id", "duplicate_key"),
        (csv_line(7), "assignment_id", "duplicate_key"),
        (csv_line(8), "start_date", "missing_value"),
    ]
    rows = result.rows_by_number()
    assert rows[csv_line(1)]["destination_code"] == PP
    assert rows[csv_line(1)]["origin_level"] == "bo"
    assert rows[csv_line(9)]["end_date"] is None
    assert len(rows) == 12


def test_obstacle_rules(settings):
    data = obstacle_rows(20)
    data[0][7], data[0][8] = "da_thao_go", ""  # resolved without a date
    data[1][7], data[1][8] = "Đã tháo gỡ", "19/8/2025"  # resolved before raised (20/8)
    data[2][7], data[2][8] = "da_thao_go", "1/9/2025"  # resolved after the week
    data[3][5] = "1/9/2025"  # raised after the week
    data[4][3] = "linh tinh"
    data[5][6] = "huyen"
    data[6][2] = communes_of(OTHER_PP)[1]
    data[7][1] = data[8][1] = "VM-DUP"
    data[9][7], data[9][8] = "da_thao_go", "2025-08-28"  # fine
    data[10][7] = "Kiến nghị cấp trên"  # label: fine
    result = ingest(settings, "vuong_mac_2025-W35.csv", csv_bytes(OBSTACLE_HEADER, data))
    assert reasons(result) == [
        (csv_line(0), "resolved_date", "resolved_without_date"),
        (csv_line(1), "resolved_date", "resolved_before_raised"),
        (csv_line(2), "resolved_date", "date_out_of_range"),
        (csv_line(3), "raised_date", "date_out_of_range"),
        (csv_line(4), "category_code", "unknown_code"),
        (csv_line(5), "resolution_level", "unknown_code"),
        (csv_line(6), "commune_code", "commune_not_in_province"),
        (csv_line(7), "obstacle_id", "duplicate_key"),
        (csv_line(8), "obstacle_id", "duplicate_key"),
    ]
    rows = result.rows_by_number()
    assert rows[csv_line(9)]["resolved_date"] == date(2025, 8, 28)
    assert rows[csv_line(10)]["status"] == "kien_nghi"
    assert len(rows) == 11


def test_every_reason_code_has_messages():
    from core.reference import code_list
    from ingestion.contract.messages import REASON_CODES

    assert set(REASON_CODES) == set(code_list("reason_codes"))
