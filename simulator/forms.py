"""Excel workbooks as provinces fill them: government report forms, or plain header-and-rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time

import xlsxwriter

from core import reference
from core.reference import Province
from core.weeks import IsoWeek
from simulator.layouts import BodyRow

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


@dataclass(frozen=True)
class Written:
    """A workbook's bytes, the Excel row (1-based) of each record it holds, and how many rows
    of its table only structure it (column numbers, group titles, subtotals, "Tổng cộng")."""

    data: bytes
    record_rows: dict[int, int]
    rows_skipped: int


@dataclass(frozen=True)
class Layout:
    """What surrounds and shapes a sheet's table: a second header row (a wide form's
    sub-headers under group titles), merged runs, a date line above the header, and the
    template's other sheets (instructions first, a hidden code list)."""

    sub_header: tuple[str | None, ...] | None = None
    merges: tuple[tuple[int, int, int], ...] = ()  # (first body row, last body row, column)
    date_line: str | None = None
    template: bool = False


INSTRUCTIONS = (
    "HƯỚNG DẪN ĐIỀN BIỂU",
    "",
    "1. Mỗi dòng là một bản ghi; không thêm, bớt cột của biểu.",
    "2. Mã đơn vị hành chính ghi đủ 5 chữ số theo Quyết định 19/2025/QĐ-TTg.",
    "3. Chọn giá trị trong danh mục ở các cột có danh mục.",
    "4. Gửi biểu về Bộ Nội vụ trước 12 giờ thứ Hai tuần sau.",
)


def _template_sheets(book, kind: str) -> None:
    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 90)
    for r, text in enumerate(INSTRUCTIONS):
        guide.write_string(r, 0, text)
    codes = book.add_worksheet("Danh mục")
    r = 0
    for list_name in (reference.FIELDS, reference.LEVELS, reference.OBSTACLE_CATEGORIES):
        codes.write_row(r, 0, ["Mã", "Tên"])
        for code, label in reference.code_list(list_name).items():
            r += 1
            codes.write_row(r, 0, [code, label])
        r += 2
    codes.hide()


def xlsx_bytes(
    kind: str,
    header: list[str],
    body: list[BodyRow],
    *,
    form: bool,
    province: Province,
    week: IsoWeek,
    signed_on: date,
    sum_columns: tuple[int, ...] = (),
    people: tuple[str, str] = ("", ""),
    layout: Layout = Layout(),
) -> Written:
    """The workbook and where its records are.

    ``body`` rows hold typed cells: int, date, str or None (blank). In a form, a ``STT`` column
    comes first (numbering records; a structural row's label stands in it), the column-number
    row follows the header, and ``sum_columns`` (indexes into a row) are totalled over the
    records on the ``Tổng cộng`` row.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # a fixed creation time keeps the bytes reproducible (xlsxwriter stamps "now" otherwise)
    book.set_properties(
        {"created": datetime.combine(signed_on, time(9, 0)), "author": unit_name(province)}
    )
    if layout.template:
        _template_sheets(book, kind)
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
    skipped = 0
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
        r += 1
        if layout.date_line:
            sheet.write_string(r, 0, layout.date_line, bold)
            r += 1
        r += 1
    r = _header_rows(sheet, r, header, offset, layout.sub_header, head_fmt)
    if form:
        for c in range(width):
            sheet.write_number(r, c, c + 1, italic)
        r += 1
        skipped += 1
    first_body = r
    covered = {}
    for first, last, column in layout.merges:
        sheet.merge_range(
            first_body + first, column + offset, first_body + last, column + offset, ""
        )
        covered.update(
            {(first_body + i, column + offset): None for i in range(first + 1, last + 1)}
        )
    totals = dict.fromkeys(sum_columns, 0)
    record_rows: dict[int, int] = {}
    write_number, write_string, write_datetime = (
        sheet.write_number,
        sheet.write_string,
        sheet.write_datetime,
    )
    records = 0
    for row in body:
        if row.records:
            records += 1
            if form:
                write_number(r, 0, records)
            for record in row.records:
                record_rows[record] = r + 1
        else:
            skipped += 1
            write_string(r, 0, row.label or "", bold)
        for c, value in enumerate(row.cells):
            if value is None or (r, c + offset) in covered:
                continue
            if isinstance(value, str):
                write_string(r, c + offset, value)
            elif isinstance(value, date):
                write_datetime(r, c + offset, value, date_fmt)
            else:
                write_number(r, c + offset, value)
                if c in totals and row.records:
                    totals[c] += value
        r += 1
    if form:
        sheet.write_string(r, 0, "Tổng cộng", bold)
        skipped += 1
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
    sheet.activate()
    book.close()
    return Written(buffer.getvalue(), record_rows, skipped)


def _header_rows(sheet, r: int, header, offset: int, sub, fmt) -> int:
    """The header (one row, or group titles over ``sub``-headers, merged as a clerk merges
    them: a title with nothing under it down over both rows, a group across its pair); the
    next row index."""
    texts = (["STT"] if offset else []) + list(header)
    if sub is None:
        for c, text in enumerate(texts):
            sheet.write_string(r, c, text, fmt)
        return r + 1
    under = ([None] if offset else []) + list(sub)
    c = 0
    while c < len(texts):
        if under[c] is None:
            sheet.merge_range(r, c, r + 1, c, texts[c], fmt)
            c += 1
        else:
            span = 2 if c + 1 < len(texts) and texts[c + 1] is None else 1
            if span == 2:
                sheet.merge_range(r, c, r, c + 1, texts[c], fmt)
            else:
                sheet.write_string(r, c, texts[c], fmt)
            for k in range(span):
                sheet.write_string(r + 1, c + k, under[c + k], fmt)
            c += span
    return r + 2
