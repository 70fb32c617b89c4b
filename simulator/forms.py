"""Excel workbooks as provinces fill them: government report forms, or plain header-and-rows."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import xlsxwriter

from core.reference import Province
from core.weeks import IsoWeek

TITLES = {
    "staffing": "BIỂU TỔNG HỢP BIÊN CHẾ VÀ SỐ CÓ MẶT THEO LĨNH VỰC CỦA CẤP XÃ",
    "secondments": "DANH SÁCH CÁN BỘ, CÔNG CHỨC BIỆT PHÁI VỀ CẤP XÃ",
    "obstacles": "TỔNG HỢP KHÓ KHĂN, VƯỚNG MẮC CỦA CẤP XÃ VÀ KẾT QUẢ THÁO GỠ",
}


def unit_name(province: Province) -> str:
    """``UBND tỉnh Cao Bằng`` / ``UBND Thành phố Hà Nội``."""
    if province.name.startswith("Thành phố"):
        return f"UBND {province.name}"
    return f"UBND tỉnh {province.name}"


def _d(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def xlsx_bytes(
    kind: str,
    header: list[str],
    rows: list[list[object]],
    *,
    form: bool,
    province: Province,
    week: IsoWeek,
    signed_on: date,
    sum_columns: tuple[int, ...] = (),
    people: tuple[str, str] = ("", ""),
) -> tuple[bytes, int]:
    """The workbook's bytes and the Excel row number (1-based) of the first data row.

    ``rows`` hold typed cells: int, date, str or None (blank). In a form, a ``STT`` column comes
    first, the column-number row follows the header, and ``sum_columns`` (indexes into a row) are
    totalled on the ``Tổng cộng`` row.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # a fixed creation time keeps the bytes reproducible (xlsxwriter stamps "now" otherwise)
    book.set_properties(
        {"created": datetime.combine(signed_on, time(9, 0)), "author": unit_name(province)}
    )
    sheet = book.add_worksheet("Biểu 01" if form else "Sheet1")
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True})
    head_fmt = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
    center = book.add_format({"align": "center", "bold": True})
    italic = book.add_format({"italic": True, "align": "center"})
    offset = 1 if form else 0
    width = len(header) + offset
    last_col = width - 1
    r = 0
    if form:
        split = min(2, last_col - 1)
        unit = unit_name(province)
        sheet.merge_range(r, 0, r, split, unit.upper(), center)
        sheet.merge_range(r, split + 1, r, last_col, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center)
        r += 1
        sheet.merge_range(r, 0, r, split, f"Đơn vị báo cáo: {unit}", bold)
        sheet.merge_range(r, split + 1, r, last_col, "Độc lập - Tự do - Hạnh phúc", center)
        r += 1
        if week.week % 2:
            sheet.write_string(r, 0, "Đơn vị nhận báo cáo: Bộ Nội vụ")
            r += 1
        r += 1
        sheet.merge_range(r, 0, r, last_col, TITLES[kind], center)
        r += 1
        sheet.merge_range(
            r,
            0,
            r,
            last_col,
            f"(Tuần {week.week} năm {week.year}: "
            f"từ ngày {_d(week.monday)} đến ngày {_d(week.sunday)})",
            italic,
        )
        r += 2
        sheet.write_string(r, 0, "STT", head_fmt)
    for c, text in enumerate(header):
        sheet.write_string(r, c + offset, text, head_fmt)
    r += 1
    if form:
        for c in range(width):
            sheet.write_number(r, c, c + 1, italic)
        r += 1
    first_data_row = r + 1
    totals = dict.fromkeys(sum_columns, 0)
    write_number, write_string, write_datetime = (
        sheet.write_number,
        sheet.write_string,
        sheet.write_datetime,
    )
    for i, row in enumerate(rows):
        if form:
            write_number(r, 0, i + 1)
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c + offset, value)
            elif isinstance(value, date):
                write_datetime(r, c + offset, value, date_fmt)
            else:
                write_number(r, c + offset, value)
                if c in totals:
                    totals[c] += value
        r += 1
    if form:
        sheet.write_string(r, 0, "Tổng cộng", bold)
        for c, total in totals.items():
            sheet.write_number(r, c + offset, total, bold)
        r += 2
        place = province.name.removeprefix("Thành phố ")
        signed = f"{place}, ngày {signed_on.day} tháng {signed_on.month} năm {signed_on.year}"
        right = max(2, last_col - 2)
        sheet.write_string(r, right, signed, italic)
        r += 1
        sheet.write_string(r, 1, "Người lập biểu", center)
        sheet.write_string(r, right, "Thủ trưởng đơn vị", center)
        r += 1
        sheet.write_string(r, 1, "(Ký, ghi rõ họ tên)", italic)
        sheet.write_string(r, right, "(Ký tên, đóng dấu)", italic)
        r += 4
        sheet.write_string(r, 1, people[0], center)
        sheet.write_string(r, right, people[1], center)
        sheet.set_column(0, 0, 5)
        sheet.set_column(1, last_col, 16)
    book.close()
    return buffer.getvalue(), first_data_row
