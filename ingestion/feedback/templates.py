"""Blank forms a province fills in (``moha templates``): per kind an .xlsx in the layout real forms
use — title block, header, column-number row, signature block — that loads with no rejection.

Staffing is prefilled with the province's communes × the 15 fields (locked: only the counts and
the report date are typed); every code column has a drop-down list (data validation) of the
contract's labels from a hidden code-list sheet (hidden sheets are never read); date columns are
formatted ``dd/mm/yyyy``; the sheet is protected except the input cells. With a week, the file is
named as the province must send it and the dates are limited to that week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from core import reference
from core.settings import Settings
from core.weeks import IsoWeek
from ingestion.contract.columns import (
    ALLOWED_CODES,
    CODE_LISTS,
    COLUMNS,
    KINDS,
    STAFFING,
    Column,
)
from ingestion.feedback.per_file import week_vi
from ingestion.feedback.printable import replace_into
from ingestion.stage.province_files import DEFAULT_ALIAS, ProvinceFiles, next_name

FOLDER = "mau_bieu"
"""Where a province's templates go, under ``feedback/<pp>/`` (and so its drop's ``phan_hoi/``)."""
BLANK_ROWS = 200  # input rows of a form without prefilled rows (secondments, obstacles)
SHEET = "Biểu mẫu"
CODES_SHEET = "Danh mục"
DATE_COLUMNS = frozenset({"report_date", "start_date", "end_date", "raised_date", "resolved_date"})
COUNT_COLUMNS = frozenset({"approved_posts", "filled_posts"})
WIDTHS = {
    "description": 48,
    "full_name": 24,
    "origin_unit": 24,
    "field_code": 30,
    "commune_name": 22,
    "category_code": 24,
}
HINT = {
    STAFFING: "Nhập các ô trắng của mọi dòng: biên chế được giao, số có mặt, ngày báo cáo "
    "(điền ô đầu rồi kéo xuống). Dòng để trống bị từ chối.",
    "secondments": "Nơi đến: mã tỉnh khi cấp cử đi là Bộ; mã xã trong các trường hợp khác. "
    "Không có ai biệt phái: gửi biểu không có dòng nào.",
    "obstacles": "Mã vướng mắc không trùng nhau trong tỉnh; trạng thái «Đã tháo gỡ» cần ngày "
    "tháo gỡ. Không có vướng mắc: gửi biểu không có dòng nào.",
}
TITLE = {
    STAFFING: "BÁO CÁO BIÊN CHẾ VÀ SỐ CÓ MẶT CỦA CẤP XÃ THEO LĨNH VỰC",
    "secondments": "BÁO CÁO DANH SÁCH CÁN BỘ BIỆT PHÁI",
    "obstacles": "BÁO CÁO VƯỚNG MẮC TRONG VẬN HÀNH CHÍNH QUYỀN CẤP XÃ",
}
FIRST_VALID_DATE = date(2000, 1, 1)
LAST_VALID_DATE = date(2100, 12, 31)


@dataclass(frozen=True)
class Template:
    kind: str
    path: Path
    rows_prefilled: int
    header_row: int  # Excel row number of the header
    first_input_row: int  # Excel row number of the first data row


def template_name(settings: Settings, province_code: str, kind: str, week: IsoWeek | None) -> str:
    """With a week: the exact name the province must send (the next version of that kind and
    week); without: ``mau_<alias>.xlsx``."""
    alias = DEFAULT_ALIAS[kind]
    if week is None:
        return f"mau_{alias}.xlsx"
    versions = ProvinceFiles(settings, province_code).versions(kind, str(week))
    return next_name(versions, kind, str(week), like=f"{alias}_{week}.xlsx")


def _options(kind: str, column: str, province_code: str) -> list[str]:
    """The drop-down values of a column: the contract's labels, or the province's codes."""
    if column in CODE_LISTS[kind]:
        codes = reference.code_list(CODE_LISTS[kind][column])
        allowed = ALLOWED_CODES.get((kind, column))
        return [label for code, label in codes.items() if allowed is None or code in allowed]
    if column == "commune_code":
        return list(reference.communes_of(province_code))
    if column == "destination_code":
        return [province_code, *reference.communes_of(province_code)]
    return []


def _prefilled(kind: str, province_code: str) -> list[dict[str, str]]:
    if kind != STAFFING:
        return []
    communes = reference.communes()
    fields = reference.code_list(reference.FIELDS)
    return [
        {"commune_code": code, "commune_name": communes[code].name, "field_code": label}
        for code in reference.communes_of(province_code)
        for label in fields.values()
    ]


def _columns(kind: str) -> list[Column]:
    """The form's columns: STT, the contract's columns, and the commune's name after its code
    in staffing (read by people, ignored by the reader)."""
    columns = [Column("stt", "STT")]
    for column in COLUMNS[kind]:
        columns.append(column)
        if kind == STAFFING and column.name == "commune_code":
            columns.append(Column("commune_name", "Tên xã"))
    return columns


def write_template(
    path: Path, settings: Settings, province_code: str, kind: str, week: IsoWeek | None
) -> Template:
    """Write one kind's form for a province to ``path`` (replaced whole)."""
    province = reference.provinces()[province_code]
    columns = _columns(kind)
    prefilled = _prefilled(kind, province_code)
    rows = len(prefilled) or BLANK_ROWS
    layout: dict[str, int] = {}

    def write(target: Path) -> None:
        book = xlsxwriter.Workbook(str(target))
        fmt = _formats(book)
        sheet = book.add_worksheet(SHEET)
        codes = book.add_worksheet(CODES_SHEET)
        codes.hide()
        width = len(columns)
        last = width - 1
        sheet.merge_range(0, 0, 0, 2, f"ỦY BAN NHÂN DÂN {province.name.upper()}", fmt["bold"])
        sheet.merge_range(0, 3, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fmt["bold"])
        sheet.merge_range(1, 0, 1, 2, "SỞ NỘI VỤ", fmt["bold"])
        sheet.merge_range(1, 3, 1, last, "Độc lập - Tự do - Hạnh phúc", fmt["bold"])
        sheet.merge_range(3, 0, 3, last, TITLE[kind], fmt["title"])
        period = (
            f"Tuần {week_vi(week)}"
            if week
            else "Tuần: ........ (từ ngày ........ đến ngày ........)"
        )
        sheet.merge_range(4, 0, 4, last, period, fmt["center"])
        sheet.write(5, 0, f"Đơn vị báo cáo: Sở Nội vụ {province.name} (mã tỉnh {province_code})")
        alias = DEFAULT_ALIAS[kind]
        send_as = (
            f"«{template_name(settings, province_code, kind, week)}»"
            if week
            else f"{alias}_<năm>-W<tuần>.xlsx (ví dụ {alias}_2025-W35.xlsx)"
        )
        sheet.write(6, 0, f"Đơn vị nhận báo cáo: Bộ Nội vụ. Gửi tệp này với tên {send_as}.")
        sheet.write(7, 0, HINT[kind], fmt["italic"])
        header = 8
        sheet.set_row(header, 32)
        sheet.write_row(header, 0, [c.label_vi for c in columns], fmt["header"])
        sheet.write_row(header + 1, 0, [f"({i})" for i in range(1, width + 1)], fmt["numbers"])
        first = header + 2
        for index, column in enumerate(columns):
            sheet.set_column(index, index, WIDTHS.get(column.name, max(10, len(column.label_vi))))
            _fill_column(sheet, fmt, kind, column.name, index, first, rows, prefilled, week)
            options = _options(kind, column.name, province_code)
            if options:
                codes.write_column(0, index, options, fmt["text"])
                source = f"='{CODES_SHEET}'!${_col(index)}$1:${_col(index)}${len(options)}"
                sheet.data_validation(
                    first,
                    index,
                    first + rows - 1,
                    index,
                    {
                        "validate": "list",
                        "source": source,
                        "error_title": "Giá trị không có trong danh mục",
                        "error_message": "Chọn một giá trị trong danh sách thả xuống.",
                    },
                )
        end = first + rows + 1
        sheet.write(end, last - 2, "……, ngày …… tháng …… năm ……", fmt["italic"])
        sheet.write(end + 1, 0, "Người lập biểu", fmt["bold_left"])
        sheet.write(end + 1, last - 2, "Thủ trưởng đơn vị", fmt["bold_left"])
        sheet.write(end + 2, 0, "(Ký, ghi rõ họ tên)", fmt["italic"])
        sheet.write(end + 2, last - 2, "(Ký tên, đóng dấu)", fmt["italic"])
        sheet.freeze_panes(first, 0)
        sheet.repeat_rows(header, header + 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.protect("", {"format_columns": True, "format_rows": True})
        sheet.activate()
        book.close()
        layout.update(header=header + 1, first=first + 1)

    replace_into(path, write)
    return Template(kind, path, len(prefilled), layout["header"], layout["first"])


def _col(index: int) -> str:
    return xl_rowcol_to_cell(0, index, col_abs=False).rstrip("0123456789")


def _formats(book) -> dict:
    border = {"border": 1, "valign": "vcenter"}
    return {
        "bold": book.add_format({"bold": True, "align": "center"}),
        "bold_left": book.add_format({"bold": True}),
        "title": book.add_format({"bold": True, "align": "center", "font_size": 13}),
        "center": book.add_format({"align": "center", "italic": True}),
        "italic": book.add_format({"italic": True}),
        "header": book.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        ),
        "numbers": book.add_format({**border, "align": "center", "italic": True}),
        "text": book.add_format({"num_format": "@"}),
        "fixed": book.add_format({**border, "num_format": "@", "bg_color": "#F2F2F2"}),
        "stt": book.add_format({**border, "align": "center", "bg_color": "#F2F2F2"}),
        "input": book.add_format({**border, "locked": False, "num_format": "@"}),
        "count": book.add_format({**border, "locked": False, "num_format": "#,##0"}),
        "date": book.add_format({**border, "locked": False, "num_format": "dd/mm/yyyy"}),
    }


def _fill_column(
    sheet,
    fmt: dict,
    kind: str,
    column: str,
    index: int,
    first: int,
    rows: int,
    prefilled: list[dict[str, str]],
    week: IsoWeek | None,
) -> None:
    """Write one column's cells: prefilled values locked, input cells unlocked and validated."""
    for offset in range(rows):
        row = first + offset
        if column == "stt" and prefilled:
            sheet.write_number(row, index, offset + 1, fmt["stt"])
        elif prefilled and column in prefilled[offset]:
            sheet.write_string(row, index, prefilled[offset][column], fmt["fixed"])
        elif column in DATE_COLUMNS:
            sheet.write_blank(row, index, None, fmt["date"])
        elif column in COUNT_COLUMNS:
            sheet.write_blank(row, index, None, fmt["count"])
        else:
            sheet.write_blank(row, index, None, fmt["input"])
    last = first + rows - 1
    if column in DATE_COLUMNS:
        low, high = (
            (week.monday, week.sunday)
            if week and column == "report_date"
            else (
                FIRST_VALID_DATE,
                LAST_VALID_DATE,
            )
        )
        sheet.data_validation(
            first,
            index,
            last,
            index,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(low.year, low.month, low.day),
                "maximum": datetime(high.year, high.month, high.day),
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng ngày/tháng/năm, từ {low:%d/%m/%Y} "
                f"đến {high:%d/%m/%Y}.",
            },
        )
    elif column in COUNT_COLUMNS:
        sheet.data_validation(
            first,
            index,
            last,
            index,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 0,
                "maximum": 100_000,
                "error_title": "Số không hợp lệ",
                "error_message": "Nhập số nguyên từ 0 đến 100.000.",
            },
        )


def write_templates(
    settings: Settings, province_code: str, week: IsoWeek | None = None
) -> list[Template]:
    """Every kind's form for a province, in ``feedback/<pp>/mau_bieu/`` (delivered with the
    feedback into its drop's ``phan_hoi/mau_bieu/``)."""
    if province_code not in reference.provinces():
        raise ValueError(f"unknown province code {province_code!r}")
    folder = settings.feedback / province_code / FOLDER / (str(week) if week else "")
    return [
        write_template(
            folder / template_name(settings, province_code, kind, week),
            settings,
            province_code,
            kind,
            week,
        )
        for kind in KINDS
    ]
