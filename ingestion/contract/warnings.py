"""Warnings told to a province about a file that was still processed (not rejections).

The registry's ``warnings`` column holds their codes, ";"-separated in a fixed order; the
feedback and the weekly summary show :func:`message_vi` for each.
"""

from __future__ import annotations

from collections.abc import Iterable

MIXED_ENCODING = "mixed_encoding"
LEGACY_FONT_ENCODING = "legacy_font_encoding"
PERSONAL_DATA_MASKED = "personal_data_masked"
OTHER_SHEET_HAS_HEADER = "other_sheet_has_header"
SUBTOTAL_MISMATCH = "subtotal_mismatch"

_TEXTS: dict[str, tuple[str, str]] = {
    MIXED_ENCODING: (
        "Tệp CSV có dòng lưu bằng mã UTF-8 lẫn dòng lưu bằng mã Windows-1258; hệ thống đã đọc "
        "từng dòng theo mã của dòng đó. Lần sau hãy lưu cả tệp bằng một mã (CSV UTF-8).",
        "the CSV mixes UTF-8 and Windows-1258 lines; each line was decoded on its own",
    ),
    LEGACY_FONT_ENCODING: (
        "Một số ô được gõ bằng bảng mã cũ (TCVN3/ABC hoặc VNI) nên dấu tiếng Việt bị sai và "
        "tên, mã trong các ô đó không nhận ra được. Hãy chuyển tệp sang Unicode (ví dụ Unikey: "
        "Công cụ chuyển mã, từ TCVN3 hoặc VNI sang Unicode) rồi gửi lại.",
        "some cells look typed in a legacy Vietnamese font encoding (TCVN3/ABC or VNI); "
        "they were not converted",
    ),
    PERSONAL_DATA_MASKED: (
        "Cột «Đơn vị cử đi» hoặc «Nội dung» có số giống số CMND/CCCD, số định danh cá nhân hoặc "
        "số điện thoại; hệ thống đã ẩn các số này trước khi lưu. Không ghi thông tin cá nhân "
        "vào các cột này.",
        "person-id or phone-number patterns in origin_unit or description were masked",
    ),
    OTHER_SHEET_HAS_HEADER: (
        "Tệp có trang tính khác cũng có dòng tiêu đề của loại báo cáo này; hệ thống chỉ đọc trang "
        "tính đang mở khi tệp được lưu (trang «Trang tính đã đọc»). Nếu số liệu tuần này ở trang "
        "khác, hãy xóa các trang cũ, hoặc mở tệp ở đúng trang rồi lưu lại, và gửi lại tệp.",
        "another visible sheet also holds the header; the sheet the workbook opens on was read",
    ),
    SUBTOTAL_MISMATCH: (
        "Có dòng cộng (Cộng, Tổng số, Tổng cộng) không bằng tổng các dòng số liệu mà nó cộng; "
        "dòng cộng không được tính, số liệu lấy từ các dòng chi tiết. Đề nghị kiểm tra lại các "
        "dòng chi tiết hoặc dòng cộng.",
        "a subtotal row differs from the sum of the rows it covers (rows were kept as sent)",
    ),
}
WARNING_CODES = tuple(_TEXTS)


def message_vi(code: str) -> str:
    """What the province is told, in Vietnamese."""
    return _TEXTS[code][0]


def message_en(code: str) -> str:
    return _TEXTS[code][1]


def join(codes: Iterable[str]) -> str | None:
    """The registry's ``warnings`` value: known codes in :data:`WARNING_CODES` order, or None."""
    present = set(codes)
    unknown = present - set(_TEXTS)
    if unknown:
        raise ValueError(f"unknown warning codes {sorted(unknown)}")
    return ";".join(code for code in WARNING_CODES if code in present) or None


def split(value: str | None) -> list[str]:
    """The codes of a registry ``warnings`` value."""
    return [code for code in (value or "").split(";") if code]
