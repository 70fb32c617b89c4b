"""The ministry's Excel workbook: Vietnamese sheets and headers, charts, reproducible bytes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core import reference
from core.formulas import neutralise_text
from core.weeks import IsoWeek
from publishing.safety import assert_no_personal_data

SHEETS = {
    "summary": "Tổng quan",
    "province_weekly": "Theo tỉnh",
    "vacancies_by_field": "Thiếu theo lĩnh vực",
    "secondments_by_province": "Biệt phái",
    "obstacles_by_province": "Vướng mắc",
    "submission_status": "Tình trạng nộp báo cáo",
    "quality": "Ghi chú chất lượng",
}

LABELS_VI: dict[str, str] = {
    "week": "Tuần",
    "province_code": "Mã tỉnh",
    "province_name": "Tỉnh, thành phố",
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
    "files_received": "Số loại báo cáo đã nhận",
    "on_time": "Đúng hạn",
    "field_code": "Mã lĩnh vực",
    "field_label": "Lĩnh vực",
    "origin_level": "Mã cấp cử đi",
    "origin_level_label": "Cấp cử đi",
    "category_code": "Mã nhóm",
    "category_label": "Nhóm vướng mắc",
    "resolution_level": "Mã cấp xử lý",
    "resolution_level_label": "Cấp xử lý",
    "kind": "Mã loại báo cáo",
    "kind_label": "Loại báo cáo",
    "reason_code": "Mã lý do",
    "reason_label": "Lý do từ chối",
    "rejections": "Số lỗi bị từ chối",
    "files": "Số tệp",
    "staffing_version": "Biên chế: phiên bản",
    "staffing_received_at": "Biên chế: thời điểm nhận",
    "secondments_version": "Biệt phái: phiên bản",
    "secondments_received_at": "Biệt phái: thời điểm nhận",
    "obstacles_version": "Vướng mắc: phiên bản",
    "obstacles_received_at": "Vướng mắc: thời điểm nhận",
    "missing_kinds": "Loại chưa nhận",
    "late_kinds": "Loại nộp muộn",
    "status": "Tình trạng",
    "check": "Kiểm tra",
    "table": "Bảng",
    "severity": "Mức độ",
    "success": "Kết quả",
    "failing_count": "Số dòng lỗi",
    "failing_rows": "Dòng lỗi (trích)",
    "description_vi": "Mô tả",
    "metric": "Chỉ tiêu",
    "value": "Giá trị",
}
KIND_LABELS = {"staffing": "Biên chế", "secondments": "Biệt phái", "obstacles": "Vướng mắc"}
STATUS_LABELS = {
    "on_time": "Đủ, đúng hạn",
    "late": "Nộp muộn",
    "incomplete": "Thiếu loại báo cáo",
    "missing": "Chưa nộp",
}
SEVERITY_LABELS = {"error": "Chặn công bố", "warning": "Cảnh báo"}
INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0"


def _labels(codes: pd.Series, mapping: dict[str, str]) -> pd.Series:
    return codes.map(lambda c: mapping.get(c, c) if isinstance(c, str) else None)


def _kinds(text: object) -> object:
    if not isinstance(text, str):
        return None
    return ", ".join(KIND_LABELS.get(k, k) for k in text.split(", "))


def display_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as shown in the workbook: code labels added, codes kept for tracing."""
    fields = reference.code_list(reference.FIELDS)
    levels = reference.code_list(reference.LEVELS)
    categories = reference.code_list(reference.OBSTACLE_CATEGORIES)
    reasons = reference.code_list(reference.REASON_CODES)
    out = {"province_weekly": tables["province_weekly"].copy()}

    vbf = tables["vacancies_by_field"].copy()
    vbf.insert(3, "field_label", _labels(vbf["field_code"], fields))
    names = dict(
        zip(
            tables["province_weekly"]["province_code"],
            tables["province_weekly"]["province_name"],
            strict=True,
        )
    )
    vbf.insert(2, "province_name", vbf["province_code"].map(names))
    out["vacancies_by_field"] = vbf

    sec = tables["secondments_by_province"].copy()
    sec.insert(4, "origin_level_label", _labels(sec["origin_level"], levels))
    out["secondments_by_province"] = sec

    obs = tables["obstacles_by_province"].copy()
    obs.insert(4, "category_label", _labels(obs["category_code"], categories))
    obs.insert(6, "resolution_level_label", _labels(obs["resolution_level"], levels))
    out["obstacles_by_province"] = obs

    sub = tables["submission_status"].copy()
    sub["missing_kinds"] = sub["missing_kinds"].map(_kinds)
    sub["late_kinds"] = sub["late_kinds"].map(_kinds)
    sub["status"] = _labels(sub["status"], STATUS_LABELS)
    out["submission_status"] = sub

    rej = tables["rejections_by_reason"].copy()
    rej.insert(4, "kind_label", _labels(rej["kind"], KIND_LABELS))
    rej.insert(6, "reason_label", _labels(rej["reason_code"], reasons))
    out["rejections_by_reason"] = rej

    qc = tables["quality_checks"].copy()
    qc["severity"] = _labels(qc["severity"], SEVERITY_LABELS)
    out["quality_checks"] = qc
    return out


class _Writer:
    """Thin helper over an xlsxwriter workbook: typed cells, one set of formats."""

    def __init__(self, workbook: Any) -> None:
        self.book = workbook
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})
        self.int = workbook.add_format({"num_format": INT_FORMAT})
        self.float = workbook.add_format({"num_format": FLOAT_FORMAT})
        self.text = workbook.add_format({})

    def cell(self, ws: Any, row: int, col: int, value: Any, dtype: Any = None) -> None:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            ws.write_blank(row, col, None)
        elif isinstance(value, bool) or pd.api.types.is_bool_dtype(dtype):
            ws.write_string(row, col, "Có" if bool(value) else "Không")
        elif isinstance(value, str):
            ws.write_string(row, col, str(neutralise_text(value)))
        elif pd.api.types.is_integer_dtype(dtype) or (isinstance(value, int) and dtype is None):
            ws.write_number(row, col, int(value), self.int)
        else:
            ws.write_number(row, col, float(value), self.float)

    def table(self, ws: Any, frame: pd.DataFrame, first_row: int = 0) -> tuple[int, int]:
        """Header + rows from ``first_row``; returns (first data row, last data row)."""
        widths = []
        for col, column in enumerate(frame.columns):
            label = LABELS_VI.get(column, column)
            ws.write_string(first_row, col, label, self.header)
            values = frame[column].astype("str").where(frame[column].notna(), "")
            longest = max([len(v) for v in values] + [8])
            widths.append(min(max(len(label) * 0.8, longest + 2, 10), 60))
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        for r, values in enumerate(frame.itertuples(index=False), start=first_row + 1):
            for col, value in enumerate(values):
                self.cell(ws, r, col, value, frame.dtypes.iloc[col])
        ws.set_row(first_row, 32)
        return first_row + 1, first_row + len(frame)


def write_workbook(
    path: Path,
    tables: dict[str, pd.DataFrame],
    week: IsoWeek,
    summary: dict[str, Any],
) -> Path:
    """Write ``bao_cao_tuan_<week>.xlsx``; identical inputs give identical bytes."""
    import xlsxwriter

    frames = display_frames(tables)
    assert_no_personal_data(frames)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    # fixed properties: the created/modified time is the week's Monday, never "now"
    book.set_properties(
        {
            "title": f"Báo cáo tuần {week}",
            "subject": "Biên chế, biệt phái, vướng mắc cấp xã",
            "author": "Bộ Nội vụ",
            "company": "Bộ Nội vụ",
            "created": datetime.combine(week.monday, datetime.min.time()),
        }
    )
    w = _Writer(book)
    summary_ws = book.add_worksheet(SHEETS["summary"])
    sheets = {key: book.add_worksheet(name) for key, name in SHEETS.items() if key != "summary"}

    for key in (
        "province_weekly",
        "vacancies_by_field",
        "secondments_by_province",
        "obstacles_by_province",
        "submission_status",
    ):
        w.table(sheets[key], frames[key])
        sheets[key].freeze_panes(1, 3 if key != "vacancies_by_field" else 4)
        sheets[key].autofilter(0, 0, max(len(frames[key]), 1), len(frames[key].columns) - 1)

    quality = sheets["quality"]
    w.table(quality, frames["rejections_by_reason"])
    quality.freeze_panes(1, 0)
    gap = len(frames["rejections_by_reason"]) + 3
    quality.write_string(gap - 1, 0, "Kết quả kiểm tra chất lượng (quality gate)", w.bold)
    w.table(quality, frames["quality_checks"], first_row=gap)
    quality.set_column(0, 0, 45)

    _write_summary(book, w, summary_ws, tables, frames, week, summary)
    _set_print_layout(summary_ws, header_rows=None)
    for ws in sheets.values():
        _set_print_layout(ws, header_rows=(0, 0))
    book.close()
    return path


def _set_print_layout(ws: Any, header_rows: tuple[int, int] | None) -> None:
    """A4 landscape, one page wide, header row repeated: what a printed ministry copy needs."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if header_rows:
        ws.repeat_rows(*header_rows)


def _write_summary(
    book: Any,
    w: _Writer,
    ws: Any,
    tables: dict[str, pd.DataFrame],
    frames: dict[str, pd.DataFrame],
    week: IsoWeek,
    summary: dict[str, Any],
) -> None:
    ws.write_string(
        0,
        0,
        f"Báo cáo tuần {week} ({week.monday:%d/%m/%Y} – {week.sunday:%d/%m/%Y})"
        " — tổng hợp toàn quốc",
        w.title,
    )
    national = tables["national_weekly"]
    rows = [
        (
            LABELS_VI.get(c, c) if c != "on_time" else "Số tỉnh nộp đúng hạn",
            national[c].iloc[0] if len(national) else None,
            national[c].dtype,
        )
        for c in national.columns
        if c != "week"
    ]
    rows += [
        ("Số tỉnh chưa nộp đủ báo cáo", len(summary.get("missing_provinces", [])), None),
        ("Số tỉnh nộp muộn", len(summary.get("late_provinces", [])), None),
        ("Kiểm tra chất lượng: số kiểm tra", summary.get("checks", 0), None),
        ("Kiểm tra chất lượng: cảnh báo", len(summary.get("warnings", [])), None),
    ]
    ws.write_string(2, 0, LABELS_VI["metric"], w.header)
    ws.write_string(2, 1, LABELS_VI["value"], w.header)
    for r, (label, value, dtype) in enumerate(rows, start=3):
        ws.write_string(r, 0, label)
        w.cell(ws, r, 1, value, dtype)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 14)
    ws.freeze_panes(3, 0)

    # national shortage vs surplus by field (what a reader looks at first)
    fields = reference.code_list(reference.FIELDS)
    vbf = tables["vacancies_by_field"]
    by_field = (
        vbf.groupby("field_code")[["vacancies", "surplus"]]
        .sum()
        .reindex(list(fields))
        .fillna(0)
        .astype("int64")
    )
    ws.write_string(2, 3, LABELS_VI["field_label"], w.header)
    ws.write_string(2, 4, LABELS_VI["vacancies"], w.header)
    ws.write_string(2, 5, LABELS_VI["surplus"], w.header)
    for r, (code, values) in enumerate(by_field.iterrows(), start=3):
        ws.write_string(r, 3, fields[code])
        ws.write_number(r, 4, int(values["vacancies"]), w.int)
        ws.write_number(r, 5, int(values["surplus"]), w.int)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 5, 12)
    last = 2 + len(by_field)
    sheet = SHEETS["summary"]
    chart = book.add_chart({"type": "bar"})
    for col, name in ((4, "Thiếu"), (5, "Thừa")):
        chart.add_series(
            {
                "name": name,
                "categories": [sheet, 3, 3, last, 3],
                "values": [sheet, 3, col, last, col],
                "gap": 60,
            }
        )
    chart.set_title({"name": "Thiếu và thừa biên chế theo lĩnh vực (toàn quốc)"})
    chart.set_x_axis({"name": "Số vị trí"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 460})
    ws.insert_chart(2, 7, chart)

    # obstacles raised vs resolved by province, from the "Theo tỉnh" sheet
    province = frames["province_weekly"]
    cols = list(province.columns)
    n = len(province)
    by_province = SHEETS["province_weekly"]
    name_col = cols.index("province_name")
    chart2 = book.add_chart({"type": "column"})
    for column, name in (("obstacles_raised", "Phát sinh"), ("obstacles_resolved", "Đã tháo gỡ")):
        chart2.add_series(
            {
                "name": name,
                "categories": [by_province, 1, name_col, n, name_col],
                "values": [by_province, 1, cols.index(column), n, cols.index(column)],
            }
        )
    chart2.set_title({"name": "Vướng mắc phát sinh và đã tháo gỡ theo tỉnh"})
    chart2.set_x_axis({"num_font": {"rotation": -45}})
    chart2.set_legend({"position": "bottom"})
    chart2.set_size({"width": 1100, "height": 460})
    ws.insert_chart(max(last, len(rows) + 3) + 2, 0, chart2)
