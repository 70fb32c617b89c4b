"""How a report's paragraph is told to be a section heading (SPEC §2b): the numberings officials
write ("I.", "1.", "Phần I", "Phần thứ nhất"), the wordings with a leading "Những"/"Các", in
any case and with or without diacritics; and the body sentences that start like a heading but
stay items."""

from __future__ import annotations

import pytest

from ingestion.contract.report_sections import heading_section, is_other_heading


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("Phần thứ nhất. TÌNH HÌNH CHUNG", "situation"),
        ("Phần thứ hai: KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "results"),
        ("PHẦN THỨ BA – KHÓ KHĂN, VƯỚNG MẮC", "obstacles"),
        ("Phần thứ tư. Đề xuất, kiến nghị", "proposals"),
        ("PHẦN THỨ NĂM: KẾ HOẠCH TUẦN TỚI", "next_week"),
        ("Phần thứ sáu - Phương hướng nhiệm vụ tuần tới", "next_week"),
        ("Phan thu nhat. Tinh hinh chung", "situation"),
        ("PHAN THU TU - DE XUAT, KIEN NGHI", "proposals"),
        ("Phần thứ II. Kết quả công tác", "results"),
        ("Phần I. TÌNH HÌNH CHUNG", "situation"),
        ("Phần 1. Tình hình chung", "situation"),
        ("3. Những khó khăn, vướng mắc", "obstacles"),
        ("II. Các kiến nghị, đề xuất", "proposals"),
        ("Những kết quả đạt được", "results"),
        ("NHỮNG TỒN TẠI, HẠN CHẾ", "obstacles"),
        ("Cac nhiem vu tuan toi", "next_week"),
        ("Các việc đã làm trong tuần", "results"),
        ("Những việc đã làm trong tuần", "results"),
        ("Phần thứ ba. Những khó khăn, vướng mắc", "obstacles"),
        # lettered, as administrative documents number their parts
        ("A. TÌNH HÌNH CHUNG", "situation"),
        ("B) Kết quả thực hiện", "results"),
        ("C. KHÓ KHĂN, VƯỚNG MẮC", "obstacles"),
        ("D. ĐỀ XUẤT, KIẾN NGHỊ", "proposals"),
        ("Đ. PHƯƠNG HƯỚNG NHIỆM VỤ TUẦN TỚI", "next_week"),
    ],
)
def test_a_heading_names_its_section(text, section):
    assert heading_section(text) == section


@pytest.mark.parametrize(
    "text",
    [
        # long sentences of a paragraph that start with the section words
        "Các xã, phường trên địa bàn đã bố trí đủ công chức tiếp nhận hồ sơ tại bộ phận một cửa",
        "Những khó khăn về đường truyền tại các xã vùng cao đã được Sở Khoa học và Công nghệ "
        "khắc phục trong tuần",
        "Các kiến nghị của cơ sở về chế độ phụ cấp cho người hoạt động không chuyên trách đã "
        "được tổng hợp gửi Sở Nội vụ",
        # a short one that ends like a sentence
        "Những khó khăn về trụ sở đã được tháo gỡ.",
        # a list entry
        "- Những khó khăn, vướng mắc",
        # "Vì" is a word, not the roman VI
        "Vì khó khăn về kinh phí",
        # "Phần" that numbers nothing
        "Phần lớn các xã đã ổn định bộ máy",
        "Phần thứ hai",
        # a list entry lettered in lower case, and a capital that numbers nothing
        "a) Khó khăn về trụ sở",
        "A Lưới cam kết tình hình chung",
    ],
)
def test_a_sentence_that_starts_like_a_heading_is_not_one(text):
    assert heading_section(text) is None


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Phần thứ hai", True),  # the part's title on the next line: it closes the section before
        ("PHẦN THỨ BA. Ý KIẾN KHÁC", True),
        ("Phần II", True),
        ("III. Ý kiến khác", True),
        ("E. Ý KIẾN KHÁC", True),
        ("E. Đề nghị các xã rà soát lại hồ sơ trong tuần.", False),  # a sentence
        ("Phần thứ nhất. TÌNH HÌNH CHUNG", False),  # a section's heading, not another one
        ("Phần lớn các xã đã ổn định bộ máy", False),
        ("Các xã đã ổn định bộ máy", False),
    ],
)
def test_a_part_number_alone_is_another_heading(text, other):
    assert is_other_heading(text) is other
