"""Where the table ends and what its header is: found from the rows, never guessed from words."""

from __future__ import annotations

import pytest

from core.reference import communes_of
from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.parsing.parse import parse_bytes
from ingestion.read.readers import read_book
from ingestion.table.headers import locate_table, looks_like_data
from tests.support.forms import (
    OBSTACLE_HEADER,
    PP,
    STAFFING_HEADER,
    csv_bytes,
    government_xlsx,
    ingest,
    obstacle_rows,
    staffing_rows,
)
from tests.support.hostile import (
    blank_key_row,
    obstacles_with,
    staffing_form,
    two_row_header_rows,
    xlsx_grid,
)

# Signature blocks real forms put under the table, in the layouts clerks use (the key column is
# the first one in these forms, so a title there sits where a commune code would).
SIGNATURES = {
    "title in the first column": [
        ["Người lập bảng", None, None, None, "Thủ trưởng đơn vị"],
        ["(Ký, ghi rõ họ tên)", None, None, None, "(Ký tên, đóng dấu)"],
        [],
        ["Nguyễn Thị Lập", None, None, None, "Trần Văn Trưởng"],
    ],
    "title in the middle column": [[None, None, "Người lập biểu"], [None, None, "Lê Văn Ba"]],
    "two rows and a date line": [
        [None, None, None, "Hà Nội, ngày 29 tháng 8 năm 2025"],
        ["NGƯỜI LẬP BẢNG", None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        ["(Ký và ghi rõ họ tên)", None, None, "(Ký, đóng dấu)"],
        [],
        ["Phạm Thu", None, None, "Đỗ Minh"],
    ],
    "date line in the first column": [
        ["Cao Bằng, ngày 29 tháng 8 năm 2025"],
        ["Người lập biểu"],
        ["Vũ Hà"],
    ],
    "date line split over cells": [["Hà Nội, ngày", 29, "tháng 8 năm 2025"], ["Người lập"]],
    "nơi nhận and KT. giám đốc": [
        ["Nơi nhận:", None, None, "KT. GIÁM ĐỐC"],
        ["- Bộ Nội vụ (để b/c);", None, None, "PHÓ GIÁM ĐỐC"],
        ["- Lưu: VT, TCBC."],
        [],
        [None, None, None, "Hoàng Văn Năm"],
    ],
    "TM. and KT. chủ tịch": [
        [None, None, "TM. ỦY BAN NHÂN DÂN"],
        [None, None, "KT. CHỦ TỊCH"],
        [None, None, "PHÓ CHỦ TỊCH"],
        [None, None, "Lý Sáu"],
    ],
    "three titles in a row": [
        ["Người lập biểu", None, "Kế toán trưởng", None, "Thủ trưởng đơn vị"],
        ["Đinh A", None, "Mai B", None, "Tạ C"],
    ],
    "total row then notes": [
        ["Tổng cộng", None, None, 36, 31],
        [],
        ["Ghi chú: số liệu tính đến ngày 29/8/2025"],
        ["Người lập bảng"],
        ["Trịnh D"],
    ],
}


def parsed(data: bytes, name: str, kind: str):
    """The file's validation, as the parsing child computes it (pure, in this process)."""
    return parse_bytes(data, name, kind, PP, IsoWeek(2025, 35), Limits()).validation


@pytest.mark.parametrize("layout", list(SIGNATURES))
def test_signature_layouts_give_no_rejection_and_lose_no_row(layout):
    result = parsed(
        staffing_form(PP, SIGNATURES[layout], n=6, key_first=True), "f.xlsx", "staffing"
    )
    assert result.rejections == []
    assert (result.status, result.rows_accepted) == ("accepted", 6)


def test_a_signature_block_end_to_end(settings):
    data = staffing_form(PP, SIGNATURES["title in the first column"], n=6, key_first=True)
    result = ingest(settings, "bien_che_2025-W35.xlsx", data)
    assert result.rejections == [] and result.registry["rows_accepted"] == 6


@pytest.mark.parametrize(
    "text",
    [
        "Chủ tịch UBND xã kiêm nhiệm",
        "Ghi chú: xã sáp nhập",
        "Giám đốc Sở đã duyệt",
        "Hà Nội, ngày 5 tháng 8 năm 2025",
        "Người lập biểu",
    ],
)
def test_a_blank_key_row_inside_the_table_is_rejected_and_the_rows_after_it_read(text):
    rows = obstacles_with(PP, 12, {6: blank_key_row(text)})
    form = government_xlsx(OBSTACLE_HEADER, rows)
    result = parsed(form.data, "f.xlsx", "obstacles")
    assert (result.rows_accepted, result.rows_rejected) == (12, 1)
    blank_row = form.first_data_row + 6
    assert {(r.row, r.code) for r in result.rejections} == {(blank_row, "missing_value")}
    key = next(r for r in result.rejections if r.column == "obstacle_id")
    assert "mã riêng" in key.message_vi
    assert max(r["source_row"] for r in result.records) == form.first_data_row + 12


def test_a_trailing_row_with_only_a_key_is_rejected_not_dropped():
    rows = [*staffing_rows(5), ["", communes_of(PP)[0]]]
    result = parsed(csv_bytes(STAFFING_HEADER, rows), "f.csv", "staffing")
    assert (result.rows_accepted, result.rows_rejected) == (5, 1)
    assert {r.code for r in result.rejections} == {"missing_value"}


def test_a_units_row_under_the_header_is_not_data():
    rows = [["", "", "", "", "(người)", "(người)", ""], *staffing_rows(4)]
    result = parsed(csv_bytes(STAFFING_HEADER, rows), "f.csv", "staffing")
    assert result.rejections == [] and result.rows_accepted == 4


def test_a_description_starting_with_a_title_on_the_last_row_is_data():
    rows = obstacle_rows(3)
    rows[-1][4] = "Chủ tịch xã chưa được bổ nhiệm"
    result = parsed(government_xlsx(OBSTACLE_HEADER, rows).data, "f.xlsx", "obstacles")
    assert result.rows_accepted == 3


def test_looks_like_data():
    key = "obstacle_id"
    assert looks_like_data({key: "VM001", "description": "Chủ tịch xã"}, key)
    assert looks_like_data({key: None, "commune_code": "00004", "raised_date": "1/8/2025"}, key)
    assert not looks_like_data({key: "Người lập bảng", "status": "Thủ trưởng đơn vị"}, key)
    assert not looks_like_data(
        {key: "Hà Nội, ngày", "commune_code": 29, "status": "tháng 8 năm"}, key
    )
    assert not looks_like_data({key: "Nguyễn Văn A", "status": "Trần Thị B"}, key)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_two_row_header_is_read(fmt):
    rows, merges = two_row_header_rows(PP, 7)
    if fmt == "xlsx":
        data = xlsx_grid(rows, merges)
    else:
        texts = [["" if v is None else v for v in row] for row in rows]
        data = csv_bytes(texts[0], texts[1:])
    result = parsed(data, f"f.{fmt}", "staffing")
    assert result.rejections == [] and result.rows_accepted == 7
    table = locate_table(read_book(data, f"f.{fmt}"), "staffing", "f")
    assert table.sender_columns["approved_posts"] == "Biên chế / Được giao"
    assert table.sender_columns["filled_posts"] == "Số có mặt"
    assert table.rows[0][0] == 3  # data starts under the second header row
