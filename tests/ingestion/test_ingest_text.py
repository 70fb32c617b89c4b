"""Text as provinces really type it: mixed encodings, legacy fonts, personal numbers, digits."""

from __future__ import annotations

import pytest

from ingestion.contract import warnings
from ingestion.read.readers import decode_csv
from ingestion.validate.textscan import MASK, legacy_font_encoding, mask_person_numbers
from tests.support.forms import (
    OBSTACLE_HEADER,
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    encode_cp1258,
    ingest,
    obstacle_rows,
    secondment_rows,
    staffing_rows,
)


def test_a_csv_mixing_utf8_and_1258_lines_is_decoded_line_by_line(settings):
    rows = staffing_rows(8)
    for row in rows:
        row[2] = "Xã Hòa Bình"
        row[3] = "Văn phòng - Hành chính" if row[3] == "van_phong" else row[3]
    head = csv_bytes(STAFFING_HEADER, rows[:4])
    tail = csv_bytes(STAFFING_HEADER, rows[4:], encoding="cp1258").split(b"\r\n", 1)[1]
    decoded = decode_csv(head + tail)
    assert decoded.mixed and "Xã Hòa Bình" in decoded.text.splitlines()[-1]
    result = ingest(settings, "bien_che_2025-W35.csv", head + tail)
    assert result.rejections == [] and result.registry["rows_accepted"] == 8
    assert result.registry["warnings"] == warnings.MIXED_ENCODING


def test_a_whole_1258_file_is_not_mixed():
    data = encode_cp1258("Mã xã,Lĩnh vực\n4,Văn phòng\n")
    assert not decode_csv(data).mixed


@pytest.mark.parametrize(
    ("text", "legacy"),
    [
        ("V¨n phßng - Hµnh chÝnh", True),  # TCVN3 (ABC)
        ("ThiÕu c¸n bé ®Þa chÝnh", True),
        ("Vaên phoøng - Haønh chính", True),  # VNI
        ("ñaát ñai", True),
        ("Văn phòng - Hành chính", False),
        ("Xã Hòa Bình", False),
        ("Müller", False),
        ("plain ascii", False),
    ],
)
def test_legacy_font_encodings_are_recognised(text, legacy):
    assert legacy_font_encoding(text) is legacy


def test_legacy_font_text_is_warned(settings):
    rows = staffing_rows(10)
    rows[1][3] = rows[4][3] = "Vaên phoøng - Haønh chính"
    result = ingest(settings, "bien_che_2025-W35.csv", csv_bytes(STAFFING_HEADER, rows))
    assert {r["reason_code"] for r in result.rejections} == {"unknown_code"}
    assert result.registry["warnings"] == warnings.LEGACY_FONT_ENCODING
    assert "TCVN3" in warnings.message_vi(warnings.LEGACY_FONT_ENCODING)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Sở Nội vụ, ông A, CCCD 001085012345", f"Sở Nội vụ, ông A, CCCD {MASK}"),
        ("CMND 123456789 cấp 2010", f"CMND {MASK} cấp 2010"),
        ("gọi 0912 345 678 hoặc 0912.345.678", f"gọi {MASK} hoặc {MASK}"),
        ("+84 912345678", MASK),
        ("Quyết định 19/2025/QĐ-TTg ngày 29/8/2025", None),
        ("1.234.567.890 đồng", None),
        ("năm 2025, 15 người", None),
    ],
)
def test_person_numbers_are_masked(text, masked):
    assert mask_person_numbers(text) == (masked or text, masked is not None)


def test_person_numbers_never_reach_the_staged_rows(settings):
    rows = secondment_rows(3)
    rows[0][4] = "Sở Nội vụ - ông Nguyễn Văn Tám, CCCD 001085012345"
    result = ingest(settings, "biet_phai_2025-W35.csv", csv_bytes(SECONDMENT_HEADER, rows))
    staged = result.rows_by_number()[2]
    assert staged["origin_unit"] == f"Sở Nội vụ - ông Nguyễn Văn Tám, CCCD {MASK}"
    assert result.registry["warnings"] == warnings.PERSONAL_DATA_MASKED

    rows = obstacle_rows(3)
    rows[2][4] = "Liên hệ 0912 345 678"
    result = ingest(settings, "vuong_mac_2025-W35.csv", csv_bytes(OBSTACLE_HEADER, rows))
    assert result.rows_by_number()[4]["description"] == f"Liên hệ {MASK}"


def test_warning_codes_join_in_a_fixed_order():
    both = [warnings.PERSONAL_DATA_MASKED, warnings.MIXED_ENCODING]
    assert warnings.join(both) == "mixed_encoding;personal_data_masked"
    assert warnings.split("mixed_encoding;personal_data_masked") == sorted(both)
    assert warnings.join([]) is None
    with pytest.raises(ValueError, match="unknown"):
        warnings.join(["nope"])
