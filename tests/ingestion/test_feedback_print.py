"""Feedback and weekly summaries as LibreOffice prints them: pages counted and text positions read
back from the PDF (a few rejections on one page, no text printed over other text, the table
header on every page of a long list)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingestion.province import process_province
from tests.support.forms import (
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    government_xlsx,
    secondment_rows,
    staffing_rows,
)
from tests.support.render import overprinted, page_count, page_texts, to_pdf

pytestmark = [pytest.mark.slow]

PP = "15"
RECEIVED = datetime(2025, 9, 5, 3, 0, tzinfo=UTC)


def test_four_rejections_among_974_accepted_rows_print_on_one_page(settings, tmp_path):
    rows = secondment_rows(978, PP)
    rows[10][10] = "đang làm"  # unknown status
    rows[200][8] = "31/02/2025"  # impossible date
    rows[500][9] = "01/01/2025"  # ends before it starts
    rows[900][7] = "khoa học"  # unknown field
    drop(settings, PP, "biet_phai_2025-W36_v2.csv", csv_bytes(SECONDMENT_HEADER, rows), RECEIVED)
    process_province(settings, PP)
    xlsx = settings.feedback / PP / "2025-W36" / "biet_phai_2025-W36_v2.csv.phan_hoi.xlsx"

    pdf = to_pdf(xlsx, tmp_path / "pdf")
    assert page_count(pdf) == 1
    assert overprinted(pdf) == []
    (text,) = page_texts(pdf)
    assert "974 dòng được chấp nhận, 4 dòng bị từ chối" in text
    assert "CÁC DÒNG BỊ TỪ CHỐI (4 lỗi)" in text
    assert "Cần sửa" in text and "biet_phai_2025-W36_v3.csv" in text


def test_a_long_list_repeats_the_table_header_on_every_page(settings, tmp_path):
    rows = staffing_rows(200, province=PP, report="5/9/2025")
    for row in rows[:90]:
        row[5] = "không rõ số người"  # 90 of 200 rows refused: the file is partly accepted
    form = government_xlsx(STAFFING_HEADER, rows)
    drop(settings, PP, "bien_che_2025-W36.xlsx", form.data, RECEIVED)
    process_province(settings, PP)
    xlsx = settings.feedback / PP / "2025-W36" / "bien_che_2025-W36.xlsx.phan_hoi.xlsx"

    pdf = to_pdf(xlsx, tmp_path / "pdf")
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all("Dòng" in page and "Cần sửa" in page for page in pages)
    assert overprinted(pdf) == []


def test_the_weekly_summary_prints_on_one_page(settings, tmp_path):
    form = government_xlsx(STAFFING_HEADER, staffing_rows(30, province=PP, report="5/9/2025"))
    drop(settings, PP, "bien_che_2025-W36.xlsx", form.data, RECEIVED)
    late = datetime(2025, 9, 9, 2, 0, tzinfo=UTC)
    drop(
        settings,
        PP,
        "biet_phai_2025-W36.csv",
        csv_bytes(SECONDMENT_HEADER, secondment_rows(5, PP)),
        late,
    )
    drop(settings, PP, "vuong_mac_2025-W36.xlsx", b"PK\x03\x04 broken", RECEIVED)
    drop(settings, PP, "vuong mac tuan 36 nam 2025.xlsx", b"x", late)
    process_province(settings, PP)
    xlsx = settings.feedback / PP / "2025-W36" / "tong_hop_tuan_2025-W36.xlsx"

    pdf = to_pdf(xlsx, tmp_path / "pdf")
    assert page_count(pdf) == 1
    assert overprinted(pdf) == []
    (text,) = page_texts(pdf)
    assert "Chưa nộp" in text and "Nộp muộn" in text and "vuong_mac_2025-W36_v2.xlsx" in text
