"""Real files that must load: forms, encodings, date and number shapes, exact row numbers."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from ingestion.read.readers import decode_csv, read_book
from ingestion.table.headers import locate_table
from tests.support.forms import (
    PP,
    STAFFING_HEADER,
    csv_bytes,
    government_xlsx,
    ingest,
    staffing_rows,
)

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


def odd_shapes() -> list[list]:
    """Ten staffing rows each valid, in the shapes provinces really send."""
    return [
        [1, 4, "", "van_phong", 5, 4, "29/8/2025"],  # commune lost its zeros (int)
        [2, "4", "", NFD("Tư pháp - Hộ tịch"), "1.234", "1.200", "2025-08-29"],  # label, NFD
        [3, "00004", "", "CÔNG NGHỆ THÔNG TIN – CHUYỂN ĐỔI SỐ", 12.0, 0, 45898],  # serial int
        [4, "4.0", "", "Văn hoá - Thông tin", "12", " 3 ", "29/08/2025"],
        [5, 8, "", "dat dai dia chinh", 7, 7, datetime(2025, 8, 25)],
        [6, 8, "", "Nội vụ", 7, 7, date(2025, 8, 31)],
        [7, 8, "", "y_te", 7, 7, "31.08.2025"],
        [8, 25, "", "Giáo dục", 7, 7, "45898"],  # serial as text
        [9, 25, "", "tai_chinh_ke_toan", 7, 7, "29/8/25"],
        [10, 25, "", "Phục vụ hành chính công", 7, 7, "2025-08-29 00:00:00"],
    ]


EXPECTED = {
    1: ("00004", "van_phong", 5, 4),
    2: ("00004", "tu_phap", 1234, 1200),
    3: ("00004", "cntt_chuyen_doi_so", 12, 0),
    4: ("00004", "van_hoa_thong_tin", 12, 3),
    5: ("00008", "dat_dai", 7, 7),
    6: ("00008", "noi_vu", 7, 7),
    7: ("00008", "y_te", 7, 7),
    8: ("00025", "giao_duc", 7, 7),
    9: ("00025", "tai_chinh_ke_toan", 7, 7),
    10: ("00025", "hanh_chinh_cong", 7, 7),
}


def check_loaded(result, row_of) -> None:
    assert result.registry["status"] == "accepted", result.rejections
    rows = result.rows_by_number()
    assert len(rows) == len(EXPECTED)
    for stt, (commune, field, approved, filled) in EXPECTED.items():
        row = rows[row_of(stt)]
        assert (
            row["commune_code"],
            row["field_code"],
            row["approved_posts"],
            row["filled_posts"],
        ) == (commune, field, approved, filled)
        assert result.registry["week"] == "2025-W35"
        assert date(2025, 8, 25) <= row["report_date"] <= date(2025, 8, 31)
        assert row["province_code"] == PP and row["week"] == "2025-W35"


@pytest.mark.parametrize("leading", [0, 3])
def test_government_form_xlsx_loads_every_shape(settings, leading):
    form = government_xlsx(STAFFING_HEADER, odd_shapes(), leading_blank_rows=leading)
    result = ingest(settings, "bien_che_2025-W35.xlsx", form.data)
    check_loaded(result, lambda stt: form.first_data_row + stt - 1)
    assert form.first_data_row == 10 + leading  # title block, header on 8, numbers on 9


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", False, ","),
        ("utf-8", True, ","),
        ("cp1258", False, ","),
        ("utf-8", True, ";"),
        ("cp1258", False, "\t"),
    ],
)
def test_csv_encodings_load_every_shape(settings, encoding, bom, delimiter):
    rows = [
        [value.isoformat() if isinstance(value, date) else value for value in row]
        for row in odd_shapes()
    ]
    data = csv_bytes(
        [NFD(h) for h in STAFFING_HEADER], rows, encoding=encoding, bom=bom, delimiter=delimiter
    )
    result = ingest(settings, "nhan_su_2025-W35.csv", data)
    check_loaded(result, lambda stt: stt + 1)


def test_cp1258_is_detected_from_the_bytes_and_made_nfc():
    from tests.support.forms import encode_cp1258

    text = "Mã xã,Lĩnh vực,Biên chế được giao,Số có mặt,Ngày báo cáo\n"
    decoded = decode_csv(encode_cp1258(text))
    assert decoded.text == unicodedata.normalize("NFC", text) and not decoded.mixed
    assert decode_csv(b"\xef\xbb\xbf" + text.encode()).text == text


def test_excel_row_numbers_are_exact_on_a_form(settings):
    rows = staffing_rows(10)
    rows[0][4] = "mười"
    rows[9][5] = -2
    form = government_xlsx(STAFFING_HEADER, rows, leading_blank_rows=4)
    result = ingest(settings, "bien_che_2025-W35.xlsx", form.data)
    found = sorted((r["source_row"], r["reason_code"]) for r in result.rejections)
    assert found == [
        (form.first_data_row, "invalid_number"),
        (form.first_data_row + 9, "negative_count"),
    ]
    assert found[0][0] == 14  # rows 1-4 blank, 5-10 title block, 11 blank, 12 header, 13 numbers


def test_header_aliases_and_extra_columns():
    header = [
        "TT",
        "Tên đơn vị",
        "MÃ ĐVHC",
        "Mã lĩnh vực",
        "Biên chế được giao (người)",
        "Số hiện có",
        "Ngày báo cáo (dd/mm/yyyy)",
        "Ghi chú",
    ]
    data = csv_bytes(header, [[1, "Phường Ba Đình", 4, "noi_vu", 3, 2, "29/8/2025", "x"]])
    table = locate_table(
        read_book(data, "staffing_2025-W35.csv"), "staffing", "staffing_2025-W35.csv"
    )
    assert table.header_row == 1
    assert table.sender_columns == {
        "commune_code": "MÃ ĐVHC",
        "field_code": "Mã lĩnh vực",
        "approved_posts": "Biên chế được giao (người)",
        "filled_posts": "Số hiện có",
        "report_date": "Ngày báo cáo (dd/mm/yyyy)",
    }
    assert [number for number, _ in table.rows] == [2]


def test_canonical_headers_are_accepted():
    header = ["commune_code", "field_code", "approved_posts", "filled_posts", "report_date"]
    data = csv_bytes(header, [["00004", "noi_vu", 3, 2, "2025-08-29"]])
    table = locate_table(read_book(data, "f.csv"), "staffing", "f.csv")
    assert len(table.rows) == 1


def test_footer_text_inside_a_data_row_is_kept():
    from tests.support.forms import OBSTACLE_HEADER, obstacle_rows

    rows = obstacle_rows(3)
    rows[1][4] = "Theo công văn ngày 5 tháng 8 năm 2025, người lập biểu chưa rõ"
    form = government_xlsx(OBSTACLE_HEADER, rows)
    table = locate_table(read_book(form.data, "f.xlsx"), "obstacles", "f.xlsx")
    assert [number for number, _ in table.rows] == [form.first_data_row + i for i in range(3)]
