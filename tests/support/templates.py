"""Filling a province's form (``moha templates``) as a clerk would: only the unlocked cells, codes
picked from the form's own drop-down lists."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from core import reference
from core.weeks import IsoWeek
from ingestion.feedback.templates import CODES_SHEET, SHEET

PP = "15"  # Lào Cai
WEEK = IsoWeek.parse("2025-W40")


def header_columns(sheet, row: int) -> dict[str, int]:
    return {sheet.cell(row, c).value: c for c in range(1, sheet.max_column + 1)}


def options(book, sheet, column: int) -> list[str]:
    """The values of the drop-down list over ``column`` (the range it names on the codes sheet)."""
    letter = openpyxl.utils.get_column_letter(column)
    [validation] = [
        v
        for v in sheet.data_validations.dataValidation
        if v.type == "list" and any(r.min_col == column for r in v.sqref.ranges)
    ]
    assert f"'{CODES_SHEET}'!${letter}$1" in validation.formula1
    codes = book[CODES_SHEET]
    return [c.value for c in codes[letter] if c.value is not None]


def fill_template(template, friday: datetime) -> int:
    """Type values into the input cells of the form; returns the number of data rows."""
    book = openpyxl.load_workbook(template.path)
    sheet = book[SHEET]
    head = header_columns(sheet, template.header_row)
    first = template.first_input_row

    def pick(label: str, i: int) -> str:
        listed = options(book, sheet, head[label])
        return listed[i % len(listed)]

    if template.kind == "staffing":
        for r in range(first, first + template.rows_prefilled):
            assert sheet.cell(r, head["Mã xã"]).protection.locked  # prefilled keys are locked
            sheet.cell(r, head["Biên chế được giao"]).value = 3 + r % 4
            sheet.cell(r, head["Số có mặt"]).value = 2 + r % 3
            sheet.cell(r, head["Ngày báo cáo"]).value = friday
        count = template.rows_prefilled
    elif template.kind == "secondments":
        count = 7
        destinations = options(book, sheet, head["Nơi đến"])
        assert destinations == [PP, *reference.communes_of(PP)]
        for i in range(count):
            r = first + i
            origin = pick("Cấp cử đi", i)  # the ministry sends to the province, others to communes
            for label, value in {
                "Mã biệt phái": f"BP{i:03d}",
                "Mã cán bộ": f"CB{i:05d}",
                "Họ và tên": f"Nguyễn Văn {i}",
                "Đơn vị cử đi": "Sở Nội vụ",
                "Cấp cử đi": origin,
                "Nơi đến": PP if origin == "Bộ" else destinations[1 + i],
                "Lĩnh vực": pick("Lĩnh vực", i),
                "Ngày bắt đầu": friday,
                "Ngày kết thúc": datetime(2026, 3, 31),
                "Trạng thái": "Đang biệt phái",
            }.items():
                assert not sheet.cell(r, head[label]).protection.locked, label
                sheet.cell(r, head[label]).value = value
    else:
        count = 5
        for i in range(count):
            r = first + i
            for label, value in {
                "Mã vướng mắc": f"VM{i:02d}",
                "Mã xã": pick("Mã xã", i),
                "Nhóm vướng mắc": pick("Nhóm vướng mắc", i),
                "Nội dung": "Thiếu công chức địa chính",
                "Ngày phát sinh": friday,
                "Cấp xử lý": pick("Cấp xử lý", i),
                "Trạng thái": "Đang xử lý",
            }.items():
                sheet.cell(r, head[label]).value = value
    book.save(template.path)
    return count
