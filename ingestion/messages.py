"""Per reason code: a Vietnamese message telling a clerk what to fix, and English for logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingestion.contract import column_label

# Each template may use {column} (Vietnamese column label), {value} and the reason's own context.
_VI: dict[str, str] = {
    "unreadable_file": (
        "Không đọc được tệp {file}. Hãy lưu lại tệp đúng định dạng Excel (.xlsx, .xls), "
        "LibreOffice (.ods) hoặc CSV (mã UTF-8) rồi gửi lại."
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
        "(loại: bien_che, biet_phai, vuong_mac; tuần theo lịch ISO; chỉ dùng chữ số thường 0-9; "
        "đuôi tệp .xlsx, .xls, .ods hoặc .csv)."
    ),
    "invalid_file_name:outside_window": (
        "Tuần {week} trong tên tệp «{file}» nằm ngoài kỳ báo cáo (từ tuần {first} đến tuần "
        "{last}). Kiểm tra lại năm và số tuần trong tên tệp, ví dụ bien_che_{last}.xlsx."
    ),
    "file_too_complex": (
        "Trang tính đầu tiên của tệp {file} khai báo vùng dữ liệu {dimension} ({cells} ô), vượt "
        "quá mức cho phép {limit} ô. Hãy xóa các dòng, cột thừa (kể cả ô chỉ có định dạng) hoặc "
        "chép bảng số liệu sang tệp mới rồi gửi lại."
    ),
    "file_too_complex:uncompressed": (
        "Tệp {file} khi giải nén có dung lượng {size_mb} MB, vượt quá mức cho phép {limit_mb} MB. "
        "Hãy xóa các trang tính, hình ảnh không cần thiết rồi gửi lại."
    ),
    "file_too_complex:ratio": (
        "Tệp {file} giải nén từ {packed_kb} KB thành {size_mb} MB (tỉ lệ {ratio}:1, mức cho phép "
        "{limit}:1). Tệp có thể bị hỏng hoặc chứa dữ liệu bất thường: hãy chép bảng số liệu sang "
        "tệp mới rồi gửi lại."
    ),
    "file_too_complex:memory": (
        "Đọc tệp {file} cần hơn {limit_mb} MB bộ nhớ, vượt quá mức cho phép. Hãy xóa các dòng, "
        "cột, trang tính thừa hoặc chép bảng số liệu sang tệp mới rồi gửi lại."
    ),
    "file_too_complex:timeout": (
        "Đọc tệp {file} mất hơn {seconds} giây, vượt quá mức cho phép. Hãy xóa các dòng, cột, "
        "trang tính thừa hoặc chép bảng số liệu sang tệp mới rồi gửi lại."
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
        "Giá trị «{value}» ở cột «{column}» không phải số nguyên. Ghi số người là số nguyên "
        "(chữ số thường 0-9), ví dụ 12 hoặc 1.234."
    ),
    "invalid_number:too_big": (
        "Số «{value}» ở cột «{column}» vượt quá giới hạn {limit} người cho một xã và một lĩnh "
        "vực. Kiểm tra lại số liệu."
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
        "Trùng {key_label} «{key_text}» với {rows}. Mỗi {key_label} chỉ được ghi trên một "
        "dòng: giữ lại dòng đúng, xóa các dòng còn lại rồi gửi lại cả tệp."
    ),
    "value_too_long": (
        "Ô ở cột «{column}» dài {length} ký tự, vượt quá mức cho phép {limit} ký tự (phần đầu: "
        "«{value}»). Hãy rút gọn nội dung rồi gửi lại."
    ),
    "missing_value": (
        "Cột «{column}» bị để trống. Dòng có số liệu phải ghi đủ cột này; nếu dòng không phải "
        "số liệu (tiêu đề nhóm, ghi chú), hãy xóa dòng hoặc chuyển xuống dưới bảng."
    ),
    "missing_value:key": (
        "Cột «{column}» bị để trống. Mỗi dòng số liệu phải có mã riêng, không trùng với dòng "
        "khác; nếu dòng không phải số liệu (tiêu đề nhóm, ghi chú, chữ ký), hãy xóa dòng hoặc "
        "chuyển xuống dưới bảng."
    ),
}

_EN: dict[str, str] = {
    "unreadable_file": "cannot read {file}: {detail}",
    "empty_file": "{file} has no data rows",
    "file_too_large": "{file} is {size_mb} MB, over the {limit_mb} MB limit",
    "invalid_file_name": (
        "file name {file!r} is not <kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx|xls|ods> (ASCII digits)"
    ),
    "invalid_file_name:outside_window": (
        "file name {file!r}: week {week} is outside the reporting window {first}..{last}"
    ),
    "file_too_complex": (
        "{file}: first sheet declares {dimension} ({cells} cells), over the {limit}-cell limit"
    ),
    "file_too_complex:uncompressed": (
        "{file}: {size_mb} MB uncompressed, over the {limit_mb} MB limit"
    ),
    "file_too_complex:ratio": (
        "{file}: compression ratio {ratio}:1 ({packed_kb} KB to {size_mb} MB), over {limit}:1"
    ),
    "file_too_complex:memory": "{file}: parsing needs more than {limit_mb} MB of memory ({detail})",
    "file_too_complex:timeout": "{file}: parsing took more than {seconds} s ({detail})",
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
    "invalid_number:too_big": "{column_name}={value!r} is over the {limit} limit",
    "negative_count": "{column_name}={value!r} is negative",
    "invalid_date": "{column_name}={value!r} is not a valid date",
    "date_out_of_range": "{column_name}={value!r} is outside {week}",
    "end_before_start": "end_date {value!r} is before start_date {start}",
    "resolved_without_date": "status da_thao_go without resolved_date",
    "resolved_before_raised": "resolved_date {value!r} is before raised_date {raised}",
    "duplicate_key": "key {key_text!r} repeats on {rows_en}",
    "value_too_long": "{column_name} is {length} characters long, over the {limit} limit",
    "missing_value": "{column_name} is blank",
    "missing_value:key": "{column_name} (the row's key) is blank",
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


def vn_number(number: int | float) -> str:
    """A figure as Vietnamese readers write it: ``2.990``, ``1.234.567``, ``12,5``."""
    if isinstance(number, float) and not number.is_integer():
        whole, _, fraction = f"{number:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(number):,}".replace(",", ".")


def templates() -> dict[str, tuple[str, str]]:
    """Every message template, ``code`` or ``code:variant`` → (Vietnamese, English): what the
    contract pages in docs/ are generated from (``tools/docs_tables.py``)."""
    return {key: (_VI[key], _EN[key]) for key in _VI}
