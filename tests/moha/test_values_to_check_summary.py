"""After a build, a province's weekly summary lists the values the warehouse asks to check again
("4. Đề nghị kiểm tra lại") with the finding's values; a province without findings gets no such
section, and a second pass over the same findings rewrites nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from python_calamine import CalamineWorkbook

from ingestion.feedback import delivery
from ingestion.feedback.weekly_summary import CHECK_SECTION, summary_paths
from ingestion.province import process_province
from moha.values_to_check import rewrite_summaries
from tests.support import forms, render
from tests.support.feedback_files import summary_sections
from tests.support.values_to_check import outlier, over_approved, plant

WEEK = "2025-W36"
FLAGGED, CLEAN = "15", "01"  # Lào Cai gets a planted finding, Hà Nội none
ON_TIME = datetime(2025, 9, 5, 3, 0, tzinfo=UTC)
REPORTED = "5/9/2025"
FINDINGS = [outlier(WEEK, FLAGGED), over_approved(WEEK, FLAGGED)]


def staffing_sent(settings, province: str) -> None:
    data = forms.csv_bytes(forms.STAFFING_HEADER, forms.staffing_rows(3, province, REPORTED))
    forms.drop(settings, province, f"bien_che_{WEEK}.csv", data, ON_TIME)
    process_province(settings, province)


def grid(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_the_summary_lists_the_values_to_check_and_only_where_there_are_some(settings):
    for province in (FLAGGED, CLEAN):
        staffing_sent(settings, province)
    flagged, _ = summary_paths(settings, FLAGGED, WEEK)
    clean, _ = summary_paths(settings, CLEAN, WEEK)
    clean_before = clean.read_bytes()
    delivery.deliver(settings, FLAGGED)
    plant(settings, FINDINGS)

    assert rewrite_summaries(settings) == [flagged]
    rows = summary_sections(flagged)[CHECK_SECTION]
    assert rows[1][:8] == [
        "Nội dung cần kiểm tra", "", "Xã, phường; lĩnh vực, chỉ tiêu", "", "Giá trị",
        "Thường gặp", "Các tuần gần nhất (cũ → mới)", "",
    ]  # fmt: skip
    lines = rows[2:]
    assert [line[0] for line in lines] == [f["rule_label_vi"] for f in FINDINGS]
    where = ["Xã Bát Xát; Văn phòng - Hành chính: số có mặt", "", "52"]
    assert [line[2:7] for line in lines] == [
        [*where, "9,5 – 14,5", "12; 12; 13; 12 (2025-W32–2025-W35)"],
        [*where, "đến 45", "—"],
    ]
    note = summary_sections(flagged)[CHECK_SECTION][0][0]
    assert "không phải lỗi bị từ chối" in note and "gửi lại cả tệp" in note
    outline = next(row[2] for row in grid(flagged) if row[0] == "Tình hình")
    assert "đề nghị kiểm tra lại 2 số liệu" in outline
    assert not any("từ chối" in str(cell) for line in lines for cell in line)
    # the clean province: untouched, no such section
    assert clean.read_bytes() == clean_before
    assert CHECK_SECTION not in summary_sections(clean)
    # the rewritten summary is delivered into the province's drop at once
    assert delivery.pending(settings, FLAGGED) == []
    drop = settings.inbox / FLAGGED / delivery.FOLDER / WEEK / flagged.name
    assert drop.read_bytes() == flagged.read_bytes()

    # the same findings again: nothing rewritten, the same bytes
    before = flagged.read_bytes()
    assert rewrite_summaries(settings) == []
    assert flagged.read_bytes() == before

    # a file landing later keeps the section (the last build's findings)
    forms.drop(settings, FLAGGED, f"bien_che_{WEEK}.csv", forms.csv_bytes(
        forms.STAFFING_HEADER, forms.staffing_rows(4, FLAGGED, REPORTED)), ON_TIME)  # fmt: skip
    process_province(settings, FLAGGED)
    assert len(summary_sections(flagged)[CHECK_SECTION]) == 2 + len(FINDINGS)

    # the values corrected: the next build finds nothing and the section goes
    plant(settings, [])
    assert rewrite_summaries(settings) == [flagged]
    assert CHECK_SECTION not in summary_sections(flagged)


def test_a_summary_with_eight_values_to_check_prints_on_one_page(settings, tmp_path):
    """The three kinds sent and eight values to check (five communes gone, the outliers, the
    obstacles): one A4 page, no text cut."""
    staffing_sent(settings, FLAGGED)
    forms.drop(settings, FLAGGED, f"biet_phai_{WEEK}.csv", forms.csv_bytes(
        forms.SECONDMENT_HEADER, forms.secondment_rows(3, FLAGGED)), ON_TIME)  # fmt: skip
    forms.drop(settings, FLAGGED, f"vuong_mac_{WEEK}.csv", forms.csv_bytes(
        forms.OBSTACLE_HEADER, forms.obstacle_rows(3, FLAGGED)), ON_TIME)  # fmt: skip
    process_province(settings, FLAGGED)
    missing = {
        **FINDINGS[0],
        "rule_order": 1,
        "rule_label_vi": "Xã có trong tệp biên chế tuần trước nhưng không có trong tệp tuần này",
        "field_code": None,
        "measure": "commune",
        "value": None,
        "expected_low": None,
        "expected_high": None,
        "history": "có trong tệp 2025-W35",
    }
    obstacles = {
        **FINDINGS[0],
        "rule_order": 7,
        "rule_label_vi": "Số vướng mắc tồn đọng giảm mà không có vướng mắc nào được tháo gỡ",
        "commune_name": None,
        "field_code": None,
        "measure": "obstacles_open",
        "value": 0.0,
        "expected_low": 26.0,
        "expected_high": None,
        "history": "26.0 (2025-W35)",
        "finding_key": "obstacles",
    }
    communes = ["Xã Bản Xèo", "Xã Mường Hum", "Xã Trịnh Tường", "Xã Y Tý", "Xã A Mú Sung"]
    plant(
        settings,
        [
            *({**missing, "commune_name": name, "finding_key": name} for name in communes),
            *FINDINGS,
            obstacles,
        ],
    )
    (xlsx,) = rewrite_summaries(settings)
    pdf = render.to_pdf(xlsx, tmp_path / "pdf")
    assert render.page_count(pdf) == 1
    assert render.overprinted(pdf) == []
    (text,) = render.page_texts(pdf)
    assert "Đề nghị kiểm tra lại" in text and "9,5 – 14,5" in text
    gone = summary_sections(xlsx)[CHECK_SECTION][2]  # the communes gone: one line, key order
    assert gone[2] == ", ".join(sorted(communes)) and gone[6] == "có trong tệp 2025-W35"
