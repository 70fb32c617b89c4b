"""File shapes provinces use (format, encoding, headers, dates, codes) and how cells are written."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from core import reference

EXCEL_EPOCH = date(1899, 12, 30)

COLUMNS = {
    "staffing": ("commune_code", "field_code", "approved_posts", "filled_posts", "report_date"),
    "secondments": (
        "assignment_id",
        "official_id",
        "full_name",
        "origin_unit",
        "origin_level",
        "destination_code",
        "field_code",
        "start_date",
        "end_date",
        "status",
    ),
    "obstacles": (
        "obstacle_id",
        "commune_code",
        "category_code",
        "description",
        "raised_date",
        "resolution_level",
        "status",
        "resolved_date",
    ),
}
KEY_COLUMN = {
    "staffing": "commune_code",
    "secondments": "assignment_id",
    "obstacles": "obstacle_id",
}

# Vietnamese header aliases per canonical column (SPEC §2); the first is the usual one.
VI_HEADERS = {
    "commune_code": ("Mã xã", "Mã ĐVHC"),
    "field_code": ("Lĩnh vực", "Mã lĩnh vực"),
    "approved_posts": ("Biên chế được giao",),
    "filled_posts": ("Số có mặt", "Số hiện có"),
    "report_date": ("Ngày báo cáo",),
    "assignment_id": ("Mã biệt phái",),
    "official_id": ("Mã cán bộ",),
    "full_name": ("Họ và tên",),
    "origin_unit": ("Đơn vị cử đi",),
    "origin_level": ("Cấp cử đi",),
    "destination_code": ("Nơi đến",),
    "start_date": ("Ngày bắt đầu",),
    "end_date": ("Ngày kết thúc",),
    "status": ("Trạng thái",),
    "obstacle_id": ("Mã vướng mắc",),
    "category_code": ("Nhóm vướng mắc",),
    "description": ("Nội dung",),
    "raised_date": ("Ngày phát sinh",),
    "resolution_level": ("Cấp xử lý",),
    "resolved_date": ("Ngày tháo gỡ",),
}
DATE_COLUMNS = frozenset({"report_date", "start_date", "end_date", "raised_date", "resolved_date"})
COUNT_COLUMNS = frozenset({"approved_posts", "filled_posts"})
COMMUNE_COLUMNS = frozenset({"commune_code", "destination_code"})


def code_list_of(kind: str, column: str) -> str | None:
    """Which SPEC code list a column's cells come from, if any."""
    if column == "field_code":
        return reference.FIELDS
    if column == "category_code":
        return reference.OBSTACLE_CATEGORIES
    if column in ("origin_level", "resolution_level"):
        return reference.LEVELS
    if column == "status":
        return (
            reference.SECONDMENT_STATUSES if kind == "secondments" else reference.OBSTACLE_STATUSES
        )
    return None


_ALL_KINDS = ("staffing", "secondments", "obstacles")


@dataclass(frozen=True)
class Shape:
    """How one file is written."""

    name: str
    format: str  # csv | xlsx
    encoding: str  # utf-8 | utf-8-sig | cp1258 | "" (xlsx)
    form: bool  # xlsx government form (title, merged cells, column numbers, total, signature)
    headers: str  # vi | en
    dates: str  # excel | dmy | iso | serial
    codes: str  # code | label | loose | alt
    zeros_lost: bool  # commune codes as integers (4 for 00004)
    nfd: bool  # text decomposed (NFD)
    # table: one row per record; template: instructions and a hidden code-list sheet before the
    # form; merged: commune code and report date merged over their runs; grouped: group titles
    # and subtotals around commune blocks; wide: staffing as one row per commune
    layout: str = "table"
    kinds: tuple[str, ...] = _ALL_KINDS


SHAPES = (
    Shape("xlsx_form_labels", "xlsx", "", True, "vi", "excel", "label", False, False),
    Shape("xlsx_form_int_codes", "xlsx", "", True, "vi", "excel", "code", True, False),
    Shape("xlsx_plain_english", "xlsx", "", False, "en", "excel", "code", False, False),
    Shape("csv_utf8_english_iso", "csv", "utf-8", False, "en", "iso", "code", False, False),
    Shape("csv_bom_vi_dmy_labels", "csv", "utf-8-sig", False, "vi", "dmy", "label", False, False),
    Shape("csv_cp1258_vi_labels", "csv", "cp1258", False, "vi", "dmy", "label", True, False),
    Shape("csv_utf8_nfd_loose", "csv", "utf-8", False, "vi", "dmy", "loose", False, True),
    Shape("csv_bom_english_serial", "csv", "utf-8-sig", False, "en", "serial", "code", True, False),
    Shape("xlsx_form_text_dates_nfd", "xlsx", "", True, "vi", "dmy", "alt", False, True),
    Shape("csv_cp1258_english_alt", "csv", "cp1258", False, "en", "iso", "alt", False, False),
    *(
        Shape(name, "xlsx", "", True, "vi", dates, codes, zeros, False, layout, kinds)
        for name, dates, codes, zeros, layout, kinds in (
            ("xlsx_template_sheets", "excel", "label", False, "template", _ALL_KINDS),
            ("xlsx_merged_communes", "excel", "label", False, "merged", ("staffing",)),
            ("xlsx_groups_subtotals", "dmy", "code", True, "grouped", ("staffing",)),
            ("xlsx_wide_staffing", "excel", "label", False, "wide", ("staffing",)),
        )
    ),
)


def shapes_for(kind: str) -> tuple[Shape, ...]:
    """The shapes a kind's files take (merged, grouped and wide forms are staffing's)."""
    return tuple(shape for shape in SHAPES if kind in shape.kinds)


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as given (planted faults: ``31/02/2025``, ``không rõ``)."""

    text: str


_OLD_TONES = (
    ("óa", "oá"),
    ("òa", "oà"),
    ("ỏa", "oả"),
    ("õa", "oã"),
    ("ọa", "oạ"),
    ("úy", "uý"),
    ("ùy", "uỳ"),
    ("ủy", "uỷ"),
    ("ũy", "uỹ"),
    ("ụy", "uỵ"),
)


def old_style_tones(text: str) -> str:
    """``hóa`` → ``hoá``, ``Hủy`` → ``Huỷ``: the older tone placement many clerks still type."""
    for new, old in _OLD_TONES:
        text = text.replace(new, old)
    return text


def fold(text: str) -> str:
    """No case, diacritics or punctuation: ``Văn hóa - Thông tin`` → ``van hoa thong tin``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def header_texts(kind: str, columns: list[str], shape: Shape, rng: random.Random) -> list[str]:
    """Header cells for a file: canonical names or Vietnamese aliases, in one of a few casings."""
    if shape.headers == "en":
        upper = rng.random() < 0.2
        return [c.upper() if upper else c for c in columns]
    variant = rng.choice(("as_is", "as_is", "upper", "ascii", "colon"))
    out = []
    for column in columns:
        text = rng.choice(VI_HEADERS[column])
        if variant == "upper":
            text = text.upper()
        elif variant == "ascii":
            text = fold(text).capitalize()
        elif variant == "colon":
            text = f" {text}:"
        out.append(text)
    return out


def date_text(day: date, shape: Shape, padded: bool) -> str:
    if shape.dates == "iso" or shape.dates == "serial":
        return day.isoformat()
    if padded:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day}/{day.month}/{day.year}"


def excel_serial(day: date) -> int:
    return (day - EXCEL_EPOCH).days


class CellWriter:
    """Turns one canonical value into what a province's file holds, for one file's shape."""

    def __init__(self, kind: str, shape: Shape, rng: random.Random) -> None:
        self.kind = kind
        self.shape = shape
        self.rng = rng
        self.padded = rng.random() < 0.3
        self.typed = shape.format == "xlsx"

    def text(self, value: str) -> str:
        return unicodedata.normalize("NFD", value) if self.shape.nfd else value

    def cell(self, column: str, value: object) -> object:
        """Typed for xlsx (int, date, str, None), str for CSV."""
        if isinstance(value, Raw):
            return self.text(value.text)
        if value is None:
            return None if self.typed else ""
        if column in DATE_COLUMNS:
            return self._date(value)
        if column in COUNT_COLUMNS:
            return value if self.typed else str(value)
        if column in COMMUNE_COLUMNS and self.shape.zeros_lost:
            return int(value) if self.typed else str(int(value))
        list_name = code_list_of(self.kind, column)
        if list_name is not None:
            return self.text(self._code(list_name, value))
        return self.text(str(value))

    def _date(self, day: date) -> object:
        if self.shape.dates == "excel":
            return day if self.typed else day.isoformat()
        if self.shape.dates == "serial" and self.rng.random() < 0.2:
            return str(excel_serial(day))
        return date_text(day, self.shape, self.padded)

    def _code(self, list_name: str, code: str) -> str:
        style = self.shape.codes
        if style == "code" or self.rng.random() < 0.15:
            return code
        label = reference.code_list(list_name)[code]
        if style == "loose":
            return fold(label)
        if style == "alt":
            return old_style_tones(label)
        return label
