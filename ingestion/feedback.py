"""Per-file feedback in Vietnamese for the sending clerk: summary, accepted rows, what to fix."""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import xlsxwriter

from core import reference
from core.settings import Settings
from core.weeks import VN_TZ, IsoWeek
from ingestion.contract import KEYS, column_label
from ingestion.rejections import Rejection
from ingestion.rules import ACCEPTED, PARTLY_ACCEPTED
from ingestion.staging import RegistryRow

STATUS_VI = {ACCEPTED: "Chấp nhận", PARTLY_ACCEPTED: "Chấp nhận một phần"}
KIND_VI = {"staffing": "Biên chế, nhân sự", "secondments": "Biệt phái", "obstacles": "Vướng mắc"}
REJECTED_HEADERS = ("Dòng", "Cột", "Giá trị", "Mã lỗi", "Lỗi", "Cần sửa")
DETAIL_HEADERS = ("Kết quả", "Dòng", "Khóa", "Cột", "Giá trị", "Mã lỗi", "Lỗi", "Cần sửa")


@dataclass(frozen=True)
class FeedbackFiles:
    xlsx: Path
    csv: Path


def feedback_paths(settings: Settings, registry: RegistryRow) -> FeedbackFiles:
    stem = PurePosixPath(registry.file_name).stem
    folder = settings.feedback / registry.province_code / registry.filed_week
    return FeedbackFiles(folder / f"{stem}.phan_hoi.xlsx", folder / f"{stem}.phan_hoi.csv")


def _reason_label(code: str) -> str:
    return reference.code_list(reference.REASON_CODES).get(code, code)


def summary_rows(registry: RegistryRow, rejections: Sequence[Rejection]) -> list[tuple[str, Any]]:
    """(label, value) lines of the summary block."""
    received = registry.received_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    province = reference.provinces()[registry.province_code].name
    rows: list[tuple[str, Any]] = [
        ("Tên tệp", registry.file_name),
        ("Tỉnh, thành phố", f"{province} ({registry.province_code})"),
        ("Loại báo cáo", KIND_VI.get(registry.kind or "", "Không xác định (tên tệp sai)")),
    ]
    if registry.week:
        week = IsoWeek.parse(registry.week)
        rows.append(
            (
                "Tuần báo cáo",
                f"{registry.week} (từ {week.monday:%d/%m/%Y} đến {week.sunday:%d/%m/%Y})",
            )
        )
        rows.append(("Phiên bản", registry.version))
    rows += [
        ("Thời điểm nhận", f"{received} (giờ Việt Nam)"),
        ("Trạng thái", STATUS_VI.get(registry.status, "Từ chối")),
        ("Số dòng số liệu", registry.rows_total),
        ("Số dòng chấp nhận", registry.rows_accepted),
        ("Số dòng bị từ chối", registry.rows_rejected),
    ]
    if registry.file_reason_code:
        rows.append(("Lý do từ chối cả tệp", _reason_label(registry.file_reason_code)))
        for rejection in rejections:
            if rejection.row is None:
                rows.append(("Cần sửa", rejection.message_vi))
        if registry.rows_total and registry.status not in STATUS_VI:
            rows.append(
                (
                    "Ghi chú",
                    "Hơn một nửa số dòng bị lỗi nên cả tệp không được nhận. "
                    "Sửa các dòng dưới đây rồi gửi lại tệp với _v2 trong tên.",
                )
            )
    rows.append(("Mã kiểm tra tệp (SHA-256)", registry.file_sha256))
    return rows


def _column(rejection: Rejection, sender_columns: dict[str, str]) -> str:
    if rejection.column is None:
        return ""
    return sender_columns.get(rejection.column) or column_label(rejection.column)


def rejected_rows(rejections: Sequence[Rejection], sender_columns: dict[str, str]) -> list[tuple]:
    """One line per rejection, in row order: row, column as the sender named it, value, fix."""
    ordered = sorted(rejections, key=lambda r: (r.row is not None, r.row or 0))
    return [
        (
            r.row if r.row is not None else "Cả tệp",
            _column(r, sender_columns),
            r.value or "",
            r.code,
            _reason_label(r.code),
            r.message_vi,
        )
        for r in ordered
    ]


def accepted_rows(kind: str | None, records: Sequence[dict[str, Any]]) -> list[tuple]:
    """(row, key) of every accepted row."""
    if kind is None:
        return []
    keys = KEYS[kind]
    return [
        (record["source_row"], " + ".join(str(record[key]) for key in keys)) for record in records
    ]


def _write_xlsx(
    path: Path,
    summary: list[tuple[str, Any]],
    rejected: list[tuple],
    accepted: list[tuple],
    key_header: str,
) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    bold = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})

    sheet = workbook.add_worksheet("Tóm tắt")
    sheet.write(0, 0, "PHẢN HỒI KẾT QUẢ TIẾP NHẬN TỆP BÁO CÁO", title)
    for index, (label, value) in enumerate(summary, start=2):
        sheet.write(index, 0, label, bold)
        sheet.write(index, 1, value, wrap)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 90)

    sheet = workbook.add_worksheet("Dòng bị từ chối")
    sheet.write_row(0, 0, REJECTED_HEADERS, bold)
    for index, row in enumerate(rejected, start=1):
        sheet.write_row(index, 0, row, wrap)
    for column, width in enumerate((8, 22, 20, 22, 30, 90)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)

    sheet = workbook.add_worksheet("Dòng được chấp nhận")
    sheet.write_row(0, 0, ("Dòng", key_header), bold)
    for index, row in enumerate(accepted, start=1):
        sheet.write_row(index, 0, row)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 40)
    sheet.freeze_panes(1, 0)
    workbook.close()


def _csv_text(summary: list[tuple[str, Any]], rejected: list[tuple], accepted: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("Mục", "Nội dung"))
    writer.writerows(summary)
    writer.writerow(())
    writer.writerow(DETAIL_HEADERS)
    for row, column, value, code, label, fix in rejected:
        writer.writerow(("Từ chối", row, "", column, value, code, label, fix))
    for row, key in accepted:
        writer.writerow(("Chấp nhận", row, key, "", "", "", "", ""))
    return buffer.getvalue()


def _replace_into(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_feedback(
    settings: Settings,
    registry: RegistryRow,
    records: Sequence[dict[str, Any]],
    rejections: Sequence[Rejection],
    sender_columns: dict[str, str] | None = None,
) -> FeedbackFiles:
    """Write the xlsx and the CSV (UTF-8 with BOM) for one landed file; returns their paths."""
    sender_columns = sender_columns or {}
    paths = feedback_paths(settings, registry)
    summary = summary_rows(registry, rejections)
    rejected = rejected_rows(rejections, sender_columns)
    accepted = accepted_rows(registry.kind, records)
    key_header = (
        " + ".join(
            sender_columns.get(key) or column_label(key)
            for key in KEYS.get(registry.kind or "", ())
        )
        or "Khóa"
    )
    _replace_into(paths.xlsx, lambda tmp: _write_xlsx(tmp, summary, rejected, accepted, key_header))
    text = _csv_text(summary, rejected, accepted)
    _replace_into(paths.csv, lambda tmp: tmp.write_text(text, encoding="utf-8-sig", newline=""))
    return paths
