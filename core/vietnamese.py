"""Vietnamese wording shared by the gate and the ministry package: number formats, metric labels.

Numbers are grouped with "." and decimals use "," (112.890; 12,8 %), as Vietnamese documents do.
"""

from __future__ import annotations

import math
import re
import unicodedata

MINUS = "−"  # U+2212: a real minus sign, never read as a formula or a hyphen

# The published metrics (and the coverage columns after them) as a ministry reader names them.
METRIC_LABELS: dict[str, str] = {
    "approved_posts": "Biên chế được giao",
    "filled_posts": "Số có mặt",
    "vacancies": "Số thiếu",
    "surplus": "Số thừa",
    "communes_short": "Số xã thiếu người",
    "active_secondments": "Đang biệt phái",
    "active_secondments_bo": "Biệt phái từ Bộ",
    "active_secondments_tinh": "Biệt phái từ Tỉnh",
    "secondments_started": "Biệt phái mới trong tuần",
    "obstacles_raised": "Vướng mắc phát sinh",
    "obstacles_resolved": "Vướng mắc đã tháo gỡ",
    "obstacles_open": "Vướng mắc chưa tháo gỡ",
    "obstacles_escalated": "Kiến nghị cấp trên",
    "median_days_to_resolve": "Số ngày tháo gỡ (trung vị)",
    "files_received": "Số báo cáo đã nhận",
    "on_time": "Số tỉnh nộp đủ, đúng hạn",
}

# Which report kind each published metric comes from (files_received and on_time: all three).
METRIC_KIND: dict[str, str] = {
    **dict.fromkeys(
        ("approved_posts", "filled_posts", "vacancies", "surplus", "communes_short"), "staffing"
    ),
    **dict.fromkeys(
        (
            "active_secondments",
            "active_secondments_bo",
            "active_secondments_tinh",
            "secondments_started",
        ),
        "secondments",
    ),
    **dict.fromkeys(
        (
            "obstacles_raised",
            "obstacles_resolved",
            "obstacles_open",
            "obstacles_escalated",
            "median_days_to_resolve",
        ),
        "obstacles",
    ),
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def unaccented(text: str) -> str:
    """Lower case without diacritics, đ folded to d: "Đất đai" → "dat dai"."""
    lowered = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain_words(text: str) -> str:
    """ASCII words separated by single spaces, ignoring case, punctuation and diacritics (đ→d):
    what headings, keywords and searches are matched on."""
    return " ".join(_NON_ALNUM.sub(" ", unaccented(text)).split())


KIND_LABELS = {"staffing": "biên chế", "secondments": "biệt phái", "obstacles": "vướng mắc"}


def nil_return(kind: str) -> str:
    """What a province's nil return says (a secondments or obstacles file with the header and
    no data row): "không có biệt phái trong tuần"."""
    return f"không có {KIND_LABELS[kind]} trong tuần"


def number(value: float | int | None, decimals: int = 0, signed: bool = False) -> str:
    """``112.890``, ``15,5``, ``+1.234`` / ``−1.234`` when signed; "" for null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if value < 0 and text.strip("0,.") != "":
        return MINUS + text
    if signed and value > 0 and text.strip("0,.") != "":
        return "+" + text
    return text


def percent(share: float | None, decimals: int = 1, signed: bool = False) -> str:
    """A share (0.128) as ``12,8 %``; ``+12,8 %`` / ``−12,8 %`` when signed; "" for null."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    return number(share * 100, decimals, signed) + " %"


def sort_key(name: str) -> tuple:
    """Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …), tones after letters;
    a leading "Thành phố " / "Tỉnh " is ignored, so Hà Nội sorts under H."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    key = []
    for char in unicodedata.normalize("NFD", name.lower()):
        if unicodedata.category(char) != "Mn" or char in "\u0306\u0302\u031b":
            key.append(char)
    base = unicodedata.normalize("NFC", "".join(key))
    return (
        tuple(
            letters.index(c) if c in letters else (-1 if c == " " else 100 + ord(c)) for c in base
        ),
        unicodedata.normalize("NFC", name),
    )
