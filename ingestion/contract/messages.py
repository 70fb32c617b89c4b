"""Per reason code: a Vietnamese message telling a clerk what to fix, and English for logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingestion.contract.columns import column_label

# Each template may use {column} (Vietnamese column label), {value} and the reason's own context.
_VI: dict[str, str] = {
    "unreadable_file": (
        "Không đọc được tệp {file}. Hãy lưu lại tệp đúng định dạng Excel (.xlsx, .xls), "
        "LibreOffice (.ods) hoặc CSV (mã UTF-8) rồi gửi lại."
    ),
    "unreadable_file:protected": (
        "Tệp {file} được bảo vệ bằng mật khẩu nên Bộ không mở được. Hãy gỡ mật khẩu rồi gửi "
        "lại: trong Excel, chọn Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, "
        "xóa mật khẩu rồi lưu; trong LibreOffice, chọn Tệp › Lưu thành…, bỏ chọn «Lưu với "
        "mật khẩu» rồi lưu."
    ),
    "unreadable_file:binary": (
        "Tệp {file} là sổ làm việc Excel nhị phân (.xlsb) dù mang đuôi khác. Hãy mở tệp bằng "
        "Excel, chọn Tệp › Lưu thành, chọn kiểu «Sổ làm việc Excel (*.xlsx)» (Excel Workbook) "
        "rồi gửi lại tệp mới lưu."
    ),
    "unreadable_file:save_as": (
        "Tệp {file} là {format}, Bộ không nhận định dạng này (chỉ nhận .xlsx, .xls, .ods, "
        ".csv). Hãy mở tệp, {how}, đặt tên «{next_name}» rồi gửi lại tệp mới này. Chỉ đổi "
        "đuôi tên tệp thì không được: phải lưu lại thành .xlsx."
    ),
    "unreadable_file:ambiguous_sheets": (
        "Tệp {file} có nhiều trang tính cùng có dòng tiêu đề của báo cáo: {sheets}, và tệp không "
        "mở ở trang nào trong số đó, nên không biết trang nào là số liệu tuần này. Hãy chỉ giữ "
        "lại trang tính của tuần này (xóa các trang kia hoặc chép chúng sang tệp khác), hoặc mở "
        "tệp ở đúng trang đó rồi lưu lại, sau đó gửi lại."
    ),
    "unreadable_file:send_docx": (
        "Không đọc được báo cáo {file}. Bộ nhận báo cáo tuần dạng Word (.docx) hoặc PDF có "
        "chữ: hãy mở tệp bằng Word, chọn Tệp › Lưu thành (File › Save As), chọn kiểu «Tài liệu "
        "Word (*.docx)», đặt tên «{next_name}» rồi gửi lại (tệp .doc, .docm hoặc có macro không "
        "được nhận)."
    ),
    "unreadable_file:scanned": (
        "Báo cáo {file} là bản quét (ảnh), không có chữ nên Bộ không đọc được nội dung. Hãy gửi "
        "tệp Word (.docx) của báo cáo, đặt tên «{next_name}»."
    ),
    "unreadable_file:pdf_script": (
        "Báo cáo {file} có chứa mã lệnh (JavaScript) nên Bộ không mở. Hãy gửi tệp Word (.docx) "
        "của báo cáo, đặt tên «{next_name}», hoặc xuất lại PDF từ Word."
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
        "Trang tính «{sheet}» của tệp {file} có vùng dữ liệu {dimension} ({cells} ô), vượt "
        "quá mức cho phép {limit} ô. Hãy xóa các dòng, cột thừa (kể cả ô chỉ có định dạng) hoặc "
        "chép bảng số liệu sang tệp mới rồi gửi lại."
    ),
    "file_too_complex:merges": (
        "Trang tính «{sheet}» của tệp {file} có {merges} vùng ô gộp, vượt quá mức cho phép "
        "{limit}. Hãy bỏ gộp các ô thừa hoặc chép bảng số liệu sang tệp mới rồi gửi lại."
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
    "file_too_complex:pdf_pages": (
        "Báo cáo {file} có {pages} trang, vượt quá mức cho phép {limit} trang. Hãy gửi đúng báo "
        "cáo tuần (tệp Word .docx hoặc PDF xuất từ Word)."
    ),
    "file_too_complex:document_chars": (
        "Báo cáo {file} có {chars} ký tự, vượt quá mức cho phép {limit}. Hãy gửi đúng báo cáo "
        "tuần, bỏ các phụ lục dài sang tệp khác."
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
    "missing_column:sheet": (
        "Thiếu cột «{column}» trên trang tính «{sheet}» (tên cột chấp nhận: {accepted}). Hãy "
        "thêm cột này vào dòng tiêu đề rồi gửi lại tệp."
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
    "unknown_code:group": (
        "Nhóm cột «{value}» không phải lĩnh vực trong danh mục. Tiêu đề mỗi nhóm cột «Biên chế "
        "được giao» / «Số có mặt» phải là một trong các mã hoặc tên sau: {allowed}."
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
    "formula_error": (
        "Ô ở cột «{column}» có lỗi công thức {value}: Excel không tính được công thức của ô này "
        "nên không có số liệu. Hãy sửa công thức hoặc ghi số, chữ trực tiếp vào ô rồi gửi lại."
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
    "missing_section": (
        "Báo cáo {file} không có mục nào Bộ đọc được. Mỗi báo cáo tuần cần có các mục, mỗi mục "
        "một dòng tiêu đề riêng (đánh số I., II., A., B. hoặc 1., 2.): {sections}. Hãy đặt tiêu "
        "đề các mục như trên rồi gửi lại."
    ),
}

_EN: dict[str, str] = {
    "unreadable_file": "cannot read {file}: {detail}",
    "unreadable_file:protected": "cannot read {file}: protected by a password ({detail})",
    "unreadable_file:binary": "cannot read {file}: a binary workbook (.xlsb) ({detail})",
    "unreadable_file:save_as": (
        "{file} is {format_en}: not read; to be saved as .xlsx and sent as {next_name}"
    ),
    "unreadable_file:ambiguous_sheets": "{file}: {detail}",
    "unreadable_file:send_docx": "cannot read report {file}: {detail}; to be sent as .docx",
    "unreadable_file:scanned": "{file}: a PDF without a text layer (a scan); to be sent as .docx",
    "unreadable_file:pdf_script": "{file}: a PDF with a script ({detail}); not read",
    "empty_file": "{file} has no data rows",
    "file_too_large": "{file} is {size_mb} MB, over the {limit_mb} MB limit",
    "invalid_file_name": (
        "file name {file!r} is not <kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx|xls|ods> (ASCII digits)"
    ),
    "invalid_file_name:outside_window": (
        "file name {file!r}: week {week} is outside the reporting window {first}..{last}"
    ),
    "file_too_complex": (
        "{file}: sheet {sheet!r} spans {dimension} ({cells} cells), over the {limit}-cell limit"
    ),
    "file_too_complex:merges": (
        "{file}: sheet {sheet!r} has {merges} merged ranges, over the limit of {limit}"
    ),
    "file_too_complex:uncompressed": (
        "{file}: {size_mb} MB uncompressed, over the {limit_mb} MB limit"
    ),
    "file_too_complex:ratio": (
        "{file}: compression ratio {ratio}:1 ({packed_kb} KB to {size_mb} MB), over {limit}:1"
    ),
    "file_too_complex:memory": "{file}: parsing needs more than {limit_mb} MB of memory ({detail})",
    "file_too_complex:pdf_pages": "{file}: {pages} pages, over the {limit}-page limit",
    "file_too_complex:document_chars": "{file}: {chars} characters, over the {limit} limit",
    "file_too_complex:timeout": "{file}: parsing took more than {seconds} s ({detail})",
    "wrong_province_file": (
        "{owner_rows} of {rows_total} rows name communes of {owner_code}, not {province_code}"
    ),
    "missing_column": "column {column_name} is missing (accepted headers: {accepted})",
    "missing_column:sheet": (
        "column {column_name} is missing on sheet {sheet!r} (accepted headers: {accepted})"
    ),
    "unknown_commune": "{column_name}={value!r} is not a known code",
    "commune_not_in_province": (
        "{column_name}={value!r} belongs to {other_code}, not {province_code}"
    ),
    "unknown_code": "{column_name}={value!r} is not in its code list",
    "unknown_code:group": "column group {value!r} is not a field",
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
    "formula_error": "{column_name} holds the formula error {value}",
    "missing_value": "{column_name} is blank",
    "missing_value:key": "{column_name} (the row's key) is blank",
    "missing_section": "{file}: none of the report's sections was found ({detail})",
}


_EXCEL_SAVE_AS = (
    "chọn Tệp › Lưu thành (File › Save As), chọn kiểu «Sổ làm việc Excel (*.xlsx)» (Excel Workbook)"
)
_CALC_SAVE_AS = "chọn Tệp › Lưu thành… (File › Save As), chọn kiểu «Excel 2007-365 (.xlsx)»"
# Spreadsheet formats that are not read, by extension: (what the clerk is told the file is,
# how to save it as .xlsx, the format in English).
SAVE_AS_FORMATS: dict[str, tuple[str, str, str]] = {
    "xlsm": ("sổ làm việc có macro .xlsm", _EXCEL_SAVE_AS, "a macro-enabled workbook (.xlsm)"),
    "xlsb": ("sổ làm việc Excel nhị phân .xlsb", _EXCEL_SAVE_AS, "a binary workbook (.xlsb)"),
    "xltx": ("mẫu Excel .xltx", _EXCEL_SAVE_AS, "an Excel template (.xltx)"),
    "xltm": ("mẫu Excel có macro .xltm", _EXCEL_SAVE_AS, "a macro-enabled template (.xltm)"),
    "xlt": ("mẫu Excel 97-2003 .xlt", _EXCEL_SAVE_AS, "an Excel 97-2003 template (.xlt)"),
    "numbers": (
        "bảng tính Apple Numbers (.numbers)",
        "trong Numbers chọn Tệp › Xuất sang › Excel… (File › Export To › Excel…)",
        "an Apple Numbers spreadsheet",
    ),
    "ots": ("mẫu bảng tính LibreOffice .ots", _CALC_SAVE_AS, "a LibreOffice template (.ots)"),
    "fods": (
        "bảng tính LibreOffice dạng XML phẳng .fods",
        _CALC_SAVE_AS,
        "a flat XML spreadsheet (.fods)",
    ),
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
