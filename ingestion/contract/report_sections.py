"""The SPEC §2b sections of a seconded official's weekly report, by their headings: numbered
"I.", "1.", "A.", "Phần I", "Phần thứ nhất" or not at all, matched case- and
diacritic-insensitively, with the usual variants of wording, after "Những" or "Các" or not. Pure."""

from __future__ import annotations

import re

from core.vietnamese import plain_words, unaccented

SITUATION = "situation"
RESULTS = "results"
OBSTACLES = "obstacles"
PROPOSALS = "proposals"
NEXT_WEEK = "next_week"
SECTIONS = (SITUATION, RESULTS, OBSTACLES, PROPOSALS, NEXT_WEEK)
SECTION_LABELS = {
    SITUATION: "Tình hình chung",
    RESULTS: "Kết quả thực hiện nhiệm vụ",
    OBSTACLES: "Khó khăn, vướng mắc",
    PROPOSALS: "Đề xuất, kiến nghị",
    NEXT_WEEK: "Kế hoạch tuần tới",
}

# Folded (plain_words) openings of each section's heading.
_HEADINGS: dict[str, tuple[str, ...]] = {
    SITUATION: (
        "tinh hinh chung",
        "tinh hinh van hanh",
        "khai quat tinh hinh",
        "tinh hinh thuc te",
    ),
    RESULTS: (
        "ket qua thuc hien",
        "ket qua cong tac",
        "ket qua dat duoc",
        "cong viec da thuc hien",
        "viec da lam",
    ),
    OBSTACLES: ("kho khan", "vuong mac", "ton tai", "han che"),
    PROPOSALS: ("de xuat", "kien nghi"),
    NEXT_WEEK: (
        "ke hoach tuan toi",
        "ke hoach tuan sau",
        "nhiem vu tuan toi",
        "nhiem vu trong tam tuan toi",
        "phuong huong",
        "nhiem vu thoi gian toi",
    ),
}
MAX_HEADING_WORDS = 14  # a longer line is a sentence that happens to start like a heading
_ORDINALS = "nhat|hai|ba|tu|nam|sau"  # "Phần thứ nhất" … "Phần thứ sáu", unaccented
# A part's number, on the unaccented text: "Phần I", "Phần 2", "Phần thứ nhất", "PHẦN THỨ II".
_PART = re.compile(
    rf"^\s*phan\s+(?:thu\s+(?:{_ORDINALS})|(?:thu\s+)?(?:[ivx]{{1,5}}|[0-9]{{1,2}}))\b"
)
# A section's number, on the text as written ("Vì" is a word, "vi" unaccented would be VI):
# roman or arabic, or a capital letter with its mark ("A.", "B)", "Đ.": the alphabetical
# numbering of administrative documents).
_LETTER = r"(?-i:[A-ZĐ])[.)]"
_NUMBERING = re.compile(
    rf"^\s*(?:(?:[IVX]{{1,5}}|[0-9]{{1,2}})\s*[.)/:-]?|{_LETTER})\s+", re.IGNORECASE
)
_LETTERED = re.compile(rf"^\s*{_LETTER}\s+\S")
_LEADING = re.compile(r"^(?:nhung|cac)\s+")  # "Những khó khăn", "Các kiến nghị"
_BULLET = re.compile(r"^\s*[-+•–*]")
# The mark of a list entry ("1.", "1.2.", "a)", "-", "+", "•"): not part of the item's text.
LIST_MARK = re.compile(r"^\s*(?:[-+•–*]|[a-zđ]\)|[0-9]{1,2}(?:\.[0-9]{1,2})*[.)](?!\d))\s*")
_ROMAN = re.compile(r"^\s*(?:[IVX]{1,5})\s*[.)/]\s+\S")
_RECIPIENTS = ("noi nhan",)
_SIGNATURE = ("nguoi bao cao", "ky ghi ro ho ten", "ky ten", "can bo biet phai", "thu truong")


def _unnumbered(text: str) -> str:
    """The words (plain_words) after a part's or a section's number."""
    folded = unaccented(text)
    if part := _PART.match(folded):
        return plain_words(folded[part.end() :])
    return plain_words(_NUMBERING.sub("", text, count=1))


def _heading_words(text: str) -> str | None:
    """The words after the number when ``text`` may be a heading; None for a list entry or a
    sentence (by its end or its length)."""
    if _BULLET.match(text) or text.rstrip().endswith((".", ";", "!", "?")):
        return None
    words = _unnumbered(text)
    return words if len(words.split()) <= MAX_HEADING_WORDS else None


def heading_section(text: str) -> str | None:
    """The section whose heading ``text`` is, or None (an ordinary paragraph)."""
    words = _LEADING.sub("", _heading_words(text) or "", count=1)
    for section, openings in _HEADINGS.items():
        for opening in openings:
            # a heading is its opening words and a few more ("… tại xã, phường")
            if words.startswith(opening) and len(words.split()) <= len(opening.split()) + 6:
                return section
    return None


def is_other_heading(text: str) -> bool:
    """A roman-numbered heading, a part ("Phần thứ hai" alone, its title on the next line) or a
    lettered heading ("E. Ý kiến khác") that is none of the five sections ("III. Ý kiến khác"):
    it closes the section before it."""
    numbered = bool(_PART.match(unaccented(text)) or _LETTERED.match(text))
    headed = numbered and _heading_words(text) is not None
    return (bool(_ROMAN.match(text)) or headed) and heading_section(text) is None


def ends_report(text: str) -> bool:
    """ "Nơi nhận:" or a signature line: nothing after it is an item."""
    words = plain_words(text)
    return words.startswith(_RECIPIENTS) or any(words.startswith(s) for s in _SIGNATURE)
