"""Report documents for tests: a good .docx in the administrative layout, its sections as
planted, and the hostile ones (a zip bomb, a 100 MB image, a 10,000-page PDF, a PDF with a
script, a .docm, a scan), built by code in well under a second each."""

from __future__ import annotations

from datetime import date

from simulator.report_documents import (
    PLAIN_REPORT_LINES,
    ReportLayout,
    Section,
    pages_pdf,
    report_docx,
)
from tests.support.zips import rezip

LAYOUT = ReportLayout("Thành phố Hà Nội", "35/2025", date(2025, 8, 29))
SECTIONS = [
    Section(
        "I. TÌNH HÌNH CHUNG",
        ("Chính quyền địa phương 2 cấp vận hành ổn định tại Phường Ba Đình và xã 00008.",),
    ),
    Section(
        "2. Công việc đã thực hiện",
        ("- Hướng dẫn Phường Giảng Võ sắp xếp bộ phận một cửa.", "+ Liên hệ: 0912 345 678."),
        (("Nội dung", "Kết quả"), ("Rà soát hồ sơ đất đai", "Đã xong 80%")),
    ),
    Section(
        "III. Tồn tại, hạn chế",
        ("a) Thiếu trụ sở làm việc cho công chức.", "b) Số lượng cấp phó vượt quy định."),
    ),
    Section(
        "IV- KIẾN NGHỊ, ĐỀ XUẤT",
        ("1. Đề nghị Bộ hướng dẫn số lượng cấp phó.", "2. Bổ sung kinh phí trang thiết bị."),
    ),
]
# section → item texts as the pipeline must read them (marks stripped, phone masked)
PLANTED = {
    "situation": ["Chính quyền địa phương 2 cấp vận hành ổn định tại Phường Ba Đình và xã 00008."],
    "results": [
        "Hướng dẫn Phường Giảng Võ sắp xếp bộ phận một cửa.",
        "Liên hệ: [đã ẩn].",
        "Rà soát hồ sơ đất đai | Đã xong 80%",
    ],
    "obstacles": ["Thiếu trụ sở làm việc cho công chức.", "Số lượng cấp phó vượt quy định."],
    "proposals": ["Đề nghị Bộ hướng dẫn số lượng cấp phó.", "Bổ sung kinh phí trang thiết bị."],
}


# A report as an official writes it by hand: parts numbered "Phần thứ …", sections worded with
# "Những"/"Các", and body sentences that start with the same words but are items.
HAND_WRITTEN = [
    Section(
        "Phần thứ nhất. TÌNH HÌNH CHUNG",
        (
            "Chính quyền địa phương 2 cấp tại Phường Ba Đình vận hành ổn định.",
            "Các xã, phường trên địa bàn đã bố trí đủ công chức tiếp nhận hồ sơ tại bộ phận một "
            "cửa và không để tồn đọng hồ sơ",
        ),
    ),
    Section(
        "Phần thứ hai: Những kết quả đạt được",
        (
            "- Hướng dẫn Phường Giảng Võ sắp xếp bộ phận một cửa.",
            "Những khó khăn về đường truyền tại các xã vùng cao đã được Sở Khoa học và Công nghệ "
            "khắc phục trong tuần",
        ),
    ),
    Section("3. Những khó khăn, vướng mắc", ("a) Thiếu trụ sở làm việc cho công chức.",)),
    Section("PHẦN THỨ BA – CÁC KIẾN NGHỊ, ĐỀ XUẤT", ("1. Đề nghị Bộ hướng dẫn số lượng cấp phó.",)),
]
HAND_WRITTEN_PLANTED = {
    "situation": [
        "Chính quyền địa phương 2 cấp tại Phường Ba Đình vận hành ổn định.",
        "Các xã, phường trên địa bàn đã bố trí đủ công chức tiếp nhận hồ sơ tại bộ phận một cửa "
        "và không để tồn đọng hồ sơ",
    ],
    "results": [
        "Hướng dẫn Phường Giảng Võ sắp xếp bộ phận một cửa.",
        "Những khó khăn về đường truyền tại các xã vùng cao đã được Sở Khoa học và Công nghệ "
        "khắc phục trong tuần",
    ],
    "obstacles": ["Thiếu trụ sở làm việc cho công chức."],
    "proposals": ["Đề nghị Bộ hướng dẫn số lượng cấp phó."],
}
HAND_WRITTEN_PDF_LINES = (
    "BAO CAO",
    "Ket qua cong tac tuan",
    "Kinh gui: Bo truong Bo Noi vu",
    "Phan thu nhat. TINH HINH CHUNG",
    "Chinh quyen dia phuong hai cap van hanh on dinh.",
    "PHAN THU HAI - NHUNG KHO KHAN, VUONG MAC",
    "- Thieu tru so lam viec cho cong chuc xa.",
)


def good_docx(sections: list[Section] = SECTIONS) -> bytes:
    return report_docx(LAYOUT, sections)


def no_section_docx() -> bytes:
    return report_docx(LAYOUT, [Section("Một số ý kiến", ("Tuần này không có gì mới.",))])


def zip_bomb_docx(megabytes: int = 300) -> bytes:
    """A .docx whose extra part inflates to ``megabytes`` (over the uncompressed limit)."""
    return rezip(good_docx(), {}, {"word/padding.xml": b" " * (megabytes << 20)})


def big_image_docx(megabytes: int = 100) -> bytes:
    """A .docx carrying a 100 MB image part (a PNG signature, then zeros: it packs to ~100 KB)."""
    image = b"\x89PNG\r\n\x1a\n" + bytes(megabytes << 20)
    return rezip(good_docx(), {}, {"word/media/image1.png": image})


def macro_docx() -> bytes:
    """A .docx (or .docm) with a VBA project inside."""
    return rezip(good_docx(), {}, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)})


def many_pages_pdf(pages: int = 10_000) -> bytes:
    return pages_pdf(pages)


def scanned_pdf() -> bytes:
    """A PDF whose pages carry no text (what a scanner makes, minus the image)."""
    return pages_pdf(2)


def hand_written_pdf() -> bytes:
    """A small text PDF (ASCII text) numbered "Phan thu …", one section worded with "Nhung"."""
    return pages_pdf(1, HAND_WRITTEN_PDF_LINES)


def text_pdf() -> bytes:
    """A small text PDF (ASCII text) with two sections."""
    return pages_pdf(1, PLAIN_REPORT_LINES)
