"""The fourth kind, the seconded officials' weekly reports (SPEC §2b): a .docx or text PDF is
landed, versioned and read into sections and items in the parsing child; each way a report
cannot be read is rejected with its reason code and a Vietnamese cause the clerk can act on."""

from __future__ import annotations

import pytest

from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.intake.filenames import FileName, parse_file_name, refuse_format
from ingestion.parsing.parse import parse_bytes
from simulator.report_documents import Section, javascript_pdf
from tests.support import report_files
from tests.support.feedback_files import header_of
from tests.support.forms import ingest

WEEK = IsoWeek(2025, 35)
DEFAULT_LIMITS = Limits()


def _parse(data: bytes, name: str = "bao_cao_2025-W35.docx", limits: Limits = DEFAULT_LIMITS):
    return parse_bytes(data, name, "bao_cao", "01", WEEK, limits)


def _items(parsed) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for record in parsed.validation.records:
        if record["item_ordinal"]:
            found.setdefault(record["section"], []).append(record["item_text"])
    return found


@pytest.mark.parametrize("alias", ["bao_cao", "report", "BAO_CAO"])
@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_the_report_names_give_the_kind(alias, extension):
    name = parse_file_name(f"{alias}_2025-W35_v2.{extension}")
    assert isinstance(name, FileName)
    assert (name.kind, name.week, name.version) == ("bao_cao", WEEK, 2)
    assert refuse_format(name, "bao_cao_2025-W35_v3.docx") is None


def test_sections_and_items_equal_what_was_planted():
    parsed = _parse(report_files.good_docx())
    assert parsed.validation.status == "accepted"
    assert parsed.sections == ("situation", "results", "obstacles", "proposals")
    assert _items(parsed) == report_files.PLANTED
    # the header block, "Nơi nhận" and the signature are not items
    texts = " ".join(str(r["item_text"]) for r in parsed.validation.records)
    for outside in ("Kính gửi", "BÁO CÁO", "Nơi nhận", "Nguyễn Văn An", "Như trên", "Số: 1"):
        assert outside not in texts
    assert parsed.validation.rows_total == sum(map(len, report_files.PLANTED.values()))


def test_communes_are_named_by_code_or_name_within_the_province():
    records = [r for r in _parse(report_files.good_docx()).validation.records if r["item_text"]]
    by_text = {r["item_text"]: r["commune_codes"] for r in records}
    assert by_text[report_files.PLANTED["situation"][0]] == "00004;00008"
    assert by_text[report_files.PLANTED["results"][0]] == "00025"
    assert by_text[report_files.PLANTED["obstacles"][0]] is None


def test_a_text_pdf_is_read():
    parsed = _parse(report_files.text_pdf(), "bao_cao_2025-W35.pdf")
    assert parsed.sections == ("situation", "obstacles")
    assert _items(parsed)["obstacles"] == ["Thieu tru so lam viec cho cong chuc xa."]


def test_a_hand_written_report_is_read_by_its_part_and_those_headings():
    """ "Phần thứ nhất. …", "Phần thứ hai: Những …", "3. Những …", "PHẦN THỨ BA – CÁC …": each
    opens its section; the long sentences starting "Các xã" and "Những khó khăn" stay items."""
    parsed = _parse(report_files.good_docx(report_files.HAND_WRITTEN))
    assert parsed.validation.status == "accepted"
    assert parsed.sections == ("situation", "results", "obstacles", "proposals")
    assert _items(parsed) == report_files.HAND_WRITTEN_PLANTED
    headings = {r["section"]: r["section_heading"] for r in parsed.validation.records}
    assert headings["obstacles"] == "3. Những khó khăn, vướng mắc"


def test_a_report_lettered_a_b_c_is_read():
    """Sections numbered "A.", "B)", "Đ." (how administrative documents letter their parts); an
    "E." heading of no section closes the one before it."""
    lettered = [
        Section("A. TÌNH HÌNH CHUNG", ("Bộ máy cấp xã vận hành ổn định.",)),
        Section("B) Kết quả thực hiện", ("Rà soát biên chế công chức 12 xã.",)),
        Section("C. KHÓ KHĂN, VƯỚNG MẮC", ("Thiếu công chức công nghệ thông tin.",)),
        Section("E. Ý KIẾN KHÁC", ("Không có.",)),
        Section("Đ. PHƯƠNG HƯỚNG NHIỆM VỤ TUẦN TỚI", ("Theo dõi các xã miền núi.",)),
    ]
    parsed = _parse(report_files.good_docx(lettered))
    assert parsed.validation.status == "accepted"
    assert parsed.sections == ("situation", "results", "obstacles", "next_week")
    assert _items(parsed) == {
        "situation": ["Bộ máy cấp xã vận hành ổn định."],
        "results": ["Rà soát biên chế công chức 12 xã."],
        "obstacles": ["Thiếu công chức công nghệ thông tin."],
        "next_week": ["Theo dõi các xã miền núi."],
    }


def test_a_text_pdf_numbered_by_part_is_read():
    parsed = _parse(report_files.hand_written_pdf(), "bao_cao_2025-W35.pdf")
    assert parsed.sections == ("situation", "obstacles")
    assert _items(parsed) == {
        "situation": ["Chinh quyen dia phuong hai cap van hanh on dinh."],
        "obstacles": ["Thieu tru so lam viec cho cong chuc xa."],
    }


def _rejection(parsed):
    assert parsed.validation.status == "rejected"
    (rejection,) = parsed.validation.rejections
    return rejection


def test_no_recognisable_section_is_missing_section():
    rejection = _rejection(_parse(report_files.no_section_docx()))
    assert rejection.code == "missing_section"
    assert (
        "không có mục nào" in rejection.message_vi and "Đề xuất, kiến nghị" in rejection.message_vi
    )


def test_a_scanned_pdf_is_told_to_send_the_docx():
    rejection = _rejection(_parse(report_files.scanned_pdf(), "bao_cao_2025-W35.pdf"))
    assert rejection.code == "unreadable_file"
    assert (
        "bản quét" in rejection.message_vi and "«bao_cao_2025-W35_v2.docx»" in rejection.message_vi
    )


def test_a_pdf_with_a_script_is_not_read():
    rejection = _rejection(_parse(javascript_pdf(), "bao_cao_2025-W35.pdf"))
    assert rejection.code == "unreadable_file" and "JavaScript" in rejection.message_vi


def test_a_pdf_over_the_page_limit_is_refused_before_its_text():
    rejection = _rejection(_parse(report_files.many_pages_pdf(), "bao_cao_2025-W35.pdf"))
    assert rejection.code == "file_too_complex"
    assert "10.000 trang" in rejection.message_vi and "200 trang" in rejection.message_vi


def test_text_over_the_character_limit_is_refused():
    rejection = _rejection(_parse(report_files.good_docx(), limits=Limits(max_document_chars=100)))
    assert rejection.code == "file_too_complex" and "ký tự" in rejection.message_vi


def test_a_docx_zip_bomb_and_a_huge_image_are_refused_from_the_zip_directory():
    bomb = _rejection(_parse(report_files.zip_bomb_docx()))
    assert bomb.code == "file_too_complex" and "giải nén" in bomb.message_vi
    image = _rejection(_parse(report_files.big_image_docx()))
    assert image.code == "file_too_complex" and "100,8 MB" in image.message_vi


def test_a_docx_with_macros_is_told_to_send_a_plain_docx():
    rejection = _rejection(_parse(report_files.macro_docx()))
    assert rejection.code == "unreadable_file" and "Tài liệu Word (*.docx)" in rejection.message_vi


@pytest.mark.parametrize("extension", ["doc", "docm", "xlsx"])
def test_a_doc_docm_or_workbook_report_is_refused_by_its_name(extension):
    name = parse_file_name(f"bao_cao_2025-W35.{extension}")
    rejection = refuse_format(name, "bao_cao_2025-W35_v2.docx")
    assert rejection.code == "unreadable_file"
    assert "«bao_cao_2025-W35_v2.docx»" in rejection.message_vi and ".doc" in rejection.message_vi


def test_a_document_for_a_table_kind_is_refused():
    name = parse_file_name("bien_che_2025-W35.docx")
    assert refuse_format(name, "bien_che_2025-W35_v2.xlsx").code == "unreadable_file"


def test_a_report_lands_is_versioned_and_its_feedback_names_the_sections(settings):
    first = ingest(settings, "bao_cao_2025-W35.docx", report_files.good_docx())
    registry = first.registry
    items = sum(map(len, report_files.PLANTED.values()))
    assert (registry["kind"], registry["status"], registry["rows_accepted"]) == (
        "bao_cao",
        "accepted",
        items,
    )
    assert len(first.rows) == items + 4  # the items and one row per section heading
    block = header_of(settings.feedback / "01" / "2025-W35" / "bao_cao_2025-W35.docx.phan_hoi.xlsx")
    assert block["Các mục đã đọc"] == (
        "Tình hình chung; Kết quả thực hiện nhiệm vụ; Khó khăn, vướng mắc; Đề xuất, kiến nghị"
    )
    assert block["Các mục còn thiếu"] == "Kế hoạch tuần tới"
    assert block["Số ý đã đọc"].startswith(f"{items} ý")
    doc = ingest(settings, "bao_cao_2025-W35_v2.doc", b"\xd0\xcf\x11\xe0" + bytes(600))
    assert doc.registry["status"] == "rejected"
    assert "«bao_cao_2025-W35_v3.docx»" in doc.rejections[0]["message_vi"]
