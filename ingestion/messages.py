"""Per reason code: a Vietnamese message telling a clerk what to fix, and English for logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingestion.contract import column_label

# Each template may use {column} (Vietnamese column label), {value} and the reason's own context.
_VI: dict[str, str] = {
    "unreadable_file": (
        "Không đọc được tệp {file}. Hãy lưu lại tệp đúng định dạng Excel (.xlsx) hoặc CSV "
        "(mã UTF-8) rồi gửi lại."
    ),
    "empty_file": (
        "Tệp {file} không có dòng số liệu nào. Hãy điền số liệu dưới dòng tiêu đề cột rồi gửi lại."
    ),
    "file_too_large": (
        "Tệp {file} có dung lượng {size_mb} MB, vượt quá mức cho phép {limit_mb} MB. "
        "Hãy xóa các trang tính, hình ảnh không cần thiết rồi gửi lại."
    ),
    "invalid_file_name": (
        "Tên tệp «{file}» không đúng quy định. Đặt tên theo mẫu <loại>_<năm>-W<tuần>.xlsx, "
        "ví dụ bien_che_2025-W35.xlsx, biet_phai_2025-W35.csv, vuong_mac_2025-W35_v2.xlsx "
        "(loại: bien_che, biet_phai, vuong_mac; tuần theo lịch ISO)."
    ),
    "wrong_province_file": (
        "{owner_rows} trên {rows_total} dòng của tệp ghi mã xã thuộc {owner}, không thuộc "
        "{province}: có thể đã gửi nhầm tệp của {owner}. Hãy kiểm tra và gửi đúng tệp của "
        "tỉnh mình."
    ),
    "missing_column": (
        "Thiếu cột «{column}» (tên cột chấp nhận: {accepted}). Hãy thêm cột này vào dòng tiêu đề "
        "rồi gửi lại tệp."
    ),
    "unknown_commune": (
        "Mã «{value}» ở cột «{column}» không có trong danh mục đơn vị hành chính "
        "(Quyết định 19/2025/QĐ-TTg). Ghi mã xã gồm 5 chữ số, ví dụ 00004."
    ),
    "commune_not_in_province": (
        "Mã «{value}» ở cột «{column}» thuộc {other}, không thuộc {province}. "
        "Kiểm tra lại mã đơn vị hoặc bỏ dòng này."
    ),
    "unknown_code": (
        "Giá trị «{value}» ở cột «{column}» không có trong danh mục. Ghi một trong các mã hoặc "
        "tên sau: {allowed}."
    ),
    "invalid_number": (
        "Giá trị «{value}» ở cột «{column}» không phải số nguyên. Ghi số người là số nguyên, "
        "không để trống, ví dụ 12 hoặc 1.234."
    ),
    "negative_count": "Số «{value}» ở cột «{column}» bị âm. Số người phải từ 0 trở lên.",
    "invalid_date": (
        "Ngày «{value}» ở cột «{column}» không hợp lệ hoặc bị để trống. Ghi ngày có thật theo "
        "dạng ngày/tháng/năm, ví dụ 20/8/2025."
    ),
    "date_out_of_range": (
        "Ngày «{value}» ở cột «{column}» nằm ngoài kỳ báo cáo {week} ({week_start} – {week_end}). "
        "Kiểm tra lại ngày hoặc tuần trong tên tệp."
    ),
    "end_before_start": (
        "Ngày kết thúc «{value}» trước ngày bắt đầu {start}. Kiểm tra lại hai ngày này."
    ),
    "resolved_without_date": (
        "Vướng mắc có trạng thái «Đã tháo gỡ» nhưng chưa ghi «Ngày tháo gỡ». Ghi ngày tháo gỡ "
        "hoặc sửa lại trạng thái."
    ),
    "resolved_before_raised": (
        "Ngày tháo gỡ «{value}» trước ngày phát sinh {raised}. Kiểm tra lại hai ngày này."
    ),
    "duplicate_key": (
        "Trùng {key_label} «{key_text}» ở các dòng {rows}. Mỗi {key_label} chỉ được ghi trên một "
        "dòng: giữ lại dòng đúng, xóa các dòng còn lại rồi gửi lại cả tệp."
    ),
    "unknown_code:blank_id": (
        "Cột «{column}» bị để trống. Mỗi dòng phải có mã riêng, không trùng với dòng khác."
    ),
    "unknown_commune:blank": (
        "Cột «{column}» bị để trống. Ghi mã đơn vị hành chính, ví dụ mã xã 5 chữ số 00004."
    ),
}

_EN: dict[str, str] = {
    "unreadable_file": "cannot read {file}: {detail}",
    "empty_file": "{file} has no data rows",
    "file_too_large": "{file} is {size_mb} MB, over the {limit_mb} MB limit",
    "invalid_file_name": "file name {file!r} is not <kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx>",
    "wrong_province_file": (
        "{owner_rows} of {rows_total} rows name communes of {owner_code}, not {province_code}"
    ),
    "missing_column": "column {column_name} is missing (accepted headers: {accepted})",
    "unknown_commune": "{column_name}={value!r} is not a known code",
    "commune_not_in_province": (
        "{column_name}={value!r} belongs to {other_code}, not {province_code}"
    ),
    "unknown_code": "{column_name}={value!r} is not in its code list",
    "invalid_number": "{column_name}={value!r} is not a whole number",
    "negative_count": "{column_name}={value!r} is negative",
    "invalid_date": "{column_name}={value!r} is not a valid date",
    "date_out_of_range": "{column_name}={value!r} is outside {week}",
    "end_before_start": "end_date {value!r} is before start_date {start}",
    "resolved_without_date": "status da_thao_go without resolved_date",
    "resolved_before_raised": "resolved_date {value!r} is before raised_date {raised}",
    "duplicate_key": "key {key_text!r} repeats on rows {rows}",
    "unknown_code:blank_id": "{column_name} is blank",
    "unknown_commune:blank": "{column_name} is blank",
}


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _context(column: str | None, value: str | None, context: Mapping[str, Any]) -> _Defaults:
    filled = _Defaults(context)
    filled.setdefault("column_name", column or "")
    filled.setdefault("column", context.get("sender_column") or column_label(column or ""))
    filled.setdefault("value", "" if value is None else value)
    return filled


def _template(table: dict[str, str], code: str, variant: str | None) -> str:
    return table.get(f"{code}:{variant}", table[code]) if variant else table[code]


def message_vi(
    code: str,
    column: str | None = None,
    value: str | None = None,
    variant: str | None = None,
    **context: Any,
) -> str:
    """What the clerk must fix, in Vietnamese; ``variant`` picks a more specific wording."""
    return _template(_VI, code, variant).format_map(_context(column, value, context))


def message_en(
    code: str,
    column: str | None = None,
    value: str | None = None,
    variant: str | None = None,
    **context: Any,
) -> str:
    """The same rejection in English, for logs."""
    return _template(_EN, code, variant).format_map(_context(column, value, context))


REASON_CODES = tuple(code for code in _VI if ":" not in code)

# Warnings: the file was processed, but the province should know. Ingestion writes these codes,
# ";"-separated, into the registry's ``warnings`` column; feedback and weekly summaries show the
# Vietnamese text.
WARNINGS_VI: dict[str, str] = {
    "mixed_encoding": (
        "Tệp CSV lẫn hai bảng mã (UTF-8 và Windows-1258); đã đọc được, nhưng lần sau hãy lưu tệp "
        "với mã UTF-8 để chữ tiếng Việt không bị lỗi."
    ),
    "legacy_font": (
        "Tệp dùng phông chữ cũ (TCVN3 hoặc VNI); chữ đã được chuyển sang Unicode. Hãy kiểm tra "
        "lại tên, nội dung và lần sau dùng phông Unicode (ví dụ Times New Roman, Arial)."
    ),
    "personal_data_masked": (
        "Tệp có thông tin cá nhân (số điện thoại, số căn cước) ở cột không cần; thông tin này đã "
        "được che trước khi lưu. Không ghi thông tin cá nhân vào báo cáo."
    ),
}


def warning_vi(code: str) -> str:
    """The Vietnamese text of a warning code (the code itself when it has none)."""
    return WARNINGS_VI.get(code, code)
