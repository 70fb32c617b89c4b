"""Feedback and weekly summaries as LibreOffice prints them: pages counted and text positions read
back from the PDF (a few rejections on one page, no text printed over other text, the table
header on every page of a long list, the rows skipped and the subtotals that do not add up, a
nil return)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.reference import communes_of
from core.weeks import IsoWeek
from ingestion.contract import warnings
from ingestion.feedback.per_file import write_feedback
from ingestion.province import process_province
from ingestion.stage.province_files import ProvinceFiles
from ingestion.stage.staging import RegistryRow
from tests.support.books import book, parse, sheet
from tests.support.forms import (
    OBSTACLE_HEADER,
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


def one_page(xlsx, tmp_path) -> str:
    """The text of ``xlsx`` as LibreOffice prints it, asserted to fit one page with no text
    printed over other text."""
    pdf = to_pdf(xlsx, tmp_path / "pdf")
    assert page_count(pdf) == 1
    assert overprinted(pdf) == []
    (text,) = page_texts(pdf)
    return text


def test_four_rejections_among_974_accepted_rows_print_on_one_page(settings, tmp_path):
    rows = secondment_rows(978, PP)
    rows[10][10] = "đang làm"  # unknown status
    rows[200][8] = "31/02/2025"  # impossible date
    rows[500][9] = "01/01/2025"  # ends before it starts
    rows[900][7] = "khoa học"  # unknown field
    drop(settings, PP, "biet_phai_2025-W36_v2.csv", csv_bytes(SECONDMENT_HEADER, rows), RECEIVED)
    process_province(settings, PP)
    xlsx = settings.feedback / PP / "2025-W36" / "biet_phai_2025-W36_v2.csv.phan_hoi.xlsx"

    text = one_page(xlsx, tmp_path)
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


def test_a_form_with_merged_codes_skipped_rows_and_a_wrong_subtotal_prints_whole(
    settings, tmp_path
):
    """A form whose commune codes are merged over their fields, with group titles, commune
    subtotals (one of them wrong) and a grand total: its feedback names the sheet, counts the
    rows skipped and lists the wrong subtotal, on one page."""
    communes = communes_of(PP)[:3]
    fields = ["van_phong", "tu_phap", "dat_dai"]
    grid = [["BÁO CÁO BIÊN CHẾ CẤP XÃ TUẦN 36"], STAFFING_HEADER, ["A", "B", "C", 1, 2, 3, 4]]
    grid.append(["I. PHƯỜNG"])
    merges = []
    for c, commune in enumerate(communes):
        first = len(grid) + 1
        for f, field in enumerate(fields):
            top = f == 0
            code = commune if top else None
            grid.append(
                [c + 1 if top else None, code, f"Phường {c}", field, 5, 4 + f % 2, "5/9/2025"]
            )
        merges.append((first, 1, len(grid), 1))
        wrong = 1 if c == 1 else 0
        grid.append([f"Cộng phường {c}", None, None, None, 15 + wrong, 13])
    grid.append(["Tổng cộng", None, None, None, 45, 39])
    parsed = parse(
        book(sheet([["Hướng dẫn"]], "Hướng dẫn"), sheet(grid, "Tuần 36", merges), active=1),
        "staffing",
        "bien_che_2025-W36.xlsx",
        PP,
        IsoWeek(2025, 36),
    )
    result = parsed.validation
    assert (result.status, result.rows_accepted, parsed.rows_skipped) == ("accepted", 9, 6)
    registry = RegistryRow(
        file_id="f" * 32,
        file_sha256="a" * 64,
        province_code=PP,
        file_name="bien_che_2025-W36.xlsx",
        kind="staffing",
        week="2025-W36",
        week_start=IsoWeek(2025, 36).monday,
        version=1,
        bytes=1000,
        received_at=RECEIVED,
        landed_at=RECEIVED,
        landing_path="landing/x",
        status=result.status,
        rows_total=result.rows_total,
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected,
        file_reason_code=None,
        filed_week="2025-W36",
        warnings=warnings.join(parsed.warnings),
        sheet_name=parsed.sheet_name,
        rows_skipped=parsed.rows_skipped,
    )
    standing = ProvinceFiles(settings, PP).standing(registry)
    paths = write_feedback(settings, registry, result.rejections, standing, parsed)

    text = one_page(paths.xlsx, tmp_path)
    assert "«Tuần 36»" in text and "không tính 6" in " ".join(text.split())
    assert "DÒNG CỘNG KHÔNG KHỚP VỚI CÁC DÒNG CHI TIẾT (1)" in text
    assert "Cộng phường 1" in text


def test_the_weekly_summary_of_a_nil_return_prints_on_one_page(settings, tmp_path):
    form = government_xlsx(STAFFING_HEADER, staffing_rows(30, province=PP, report="5/9/2025"))
    drop(settings, PP, "bien_che_2025-W36.xlsx", form.data, RECEIVED)
    drop(settings, PP, "biet_phai_2025-W36.csv", csv_bytes(SECONDMENT_HEADER, []), RECEIVED)
    drop(settings, PP, "vuong_mac_2025-W36.xlsx", government_xlsx(OBSTACLE_HEADER, []).data)
    process_province(settings, PP)
    xlsx = settings.feedback / PP / "2025-W36" / "tong_hop_tuan_2025-W36.xlsx"

    text = one_page(xlsx, tmp_path)
    assert "Đúng hạn: không có" in text and "biệt phái trong tuần" in text  # a wrapped cell
    assert "Chấp nhận: không có vướng" in text
