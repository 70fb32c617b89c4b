"""Test helpers: province files as clerks really send them (government-form xlsx, CSV encodings)."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from core.reference import communes_of
from core.settings import Settings
from core.weeks import IsoWeek
from ingestion.outcomes import FileOutcome, ProvinceOutcome

WEEK = IsoWeek(2025, 35)  # 25/08/2025 – 31/08/2025
PP = "01"  # Hà Nội
OTHER_PP = "79"  # Hồ Chí Minh

STAFFING_HEADER = [
    "STT",
    "Mã xã",
    "Tên xã",
    "Lĩnh vực",
    "Biên chế được giao",
    "Số có mặt",
    "Ngày báo cáo",
]
SECONDMENT_HEADER = [
    "STT",
    "Mã biệt phái",
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị cử đi",
    "Cấp cử đi",
    "Nơi đến",
    "Lĩnh vực",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Trạng thái",
]
OBSTACLE_HEADER = [
    "STT",
    "Mã vướng mắc",
    "Mã xã",
    "Nhóm vướng mắc",
    "Nội dung",
    "Ngày phát sinh",
    "Cấp xử lý",
    "Trạng thái",
    "Ngày tháo gỡ",
]
FIELDS = ["van_phong", "tu_phap", "cntt_chuyen_doi_so", "tai_chinh_ke_toan", "dat_dai"]


def staffing_rows(n: int, province: str = PP, report: Any = "29/8/2025") -> list[list[Any]]:
    """``n`` valid staffing rows (STT first) over real communes of ``province``."""
    communes = communes_of(province)
    rows = []
    for i in range(n):
        commune = communes[(i // len(FIELDS)) % len(communes)]
        field = FIELDS[i % len(FIELDS)]
        rows.append([i + 1, commune, f"Xã {i}", field, 5 + i % 3, 4 + i % 4, report])
    return rows


def secondment_rows(n: int, province: str = PP) -> list[list[Any]]:
    communes = communes_of(province)
    return [
        [
            i + 1,
            f"BP{i:04d}",
            f"CB{i:05d}",
            f"Nguyễn Văn {i}",
            "Sở Nội vụ",
            "tinh",
            communes[i % len(communes)],
            "cntt_chuyen_doi_so",
            "20/8/2025",
            "20/2/2026",
            "dang_biet_phai",
        ]
        for i in range(n)
    ]


def obstacle_rows(n: int, province: str = PP) -> list[list[Any]]:
    communes = communes_of(province)
    return [
        [
            i + 1,
            f"VM{i:03d}",
            communes[i % len(communes)],
            "nhan_su",
            "Thiếu công chức địa chính",
            "20/8/2025",
            "tinh",
            "dang_xu_ly",
            "",
        ]
        for i in range(n)
    ]


@dataclass(frozen=True)
class Form:
    data: bytes
    header_row: int  # Excel row number of the header
    first_data_row: int


def government_xlsx(
    header: list[str],
    rows: list[list[Any]],
    *,
    leading_blank_rows: int = 0,
    column_numbers: bool = True,
    total: bool = True,
    signature: bool = True,
) -> Form:
    """A sheet laid out like a Vietnamese administrative report form."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Báo cáo")
    bold = book.add_format({"bold": True, "align": "center"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    width = len(header)
    r = leading_blank_rows
    sheet.merge_range(r, 0, r, 2, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", bold)
    sheet.merge_range(r, 3, r, width - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    sheet.merge_range(r + 1, 0, r + 1, 2, "SỞ NỘI VỤ", bold)
    sheet.merge_range(r + 1, 3, r + 1, width - 1, "Độc lập - Tự do - Hạnh phúc", bold)
    sheet.merge_range(r + 3, 0, r + 3, width - 1, "BÁO CÁO TÌNH HÌNH CẤP XÃ TUẦN 35", bold)
    sheet.write(r + 4, 0, "Đơn vị báo cáo: Sở Nội vụ thành phố Hà Nội")
    sheet.write(r + 5, 0, "Đơn vị nhận báo cáo: Bộ Nội vụ")
    r += 7
    header_row = r + 1
    sheet.write_row(r, 0, header, bold)
    r += 1
    if column_numbers:
        sheet.write_row(r, 0, [f"({i})" for i in range(1, width + 1)])
        r += 1
    first = r + 1
    for values in rows:
        for c, value in enumerate(values):
            if isinstance(value, datetime | date):
                sheet.write_datetime(
                    r,
                    c,
                    value
                    if isinstance(value, datetime)
                    else datetime(value.year, value.month, value.day),
                    day,
                )
            elif value is None or value == "":
                continue
            else:
                sheet.write(r, c, value)
        r += 1
    if total:  # the sum of the fifth column's figures, as a clerk's SUM() gives it
        sheet.merge_range(r, 0, r, 2, "Tổng cộng", bold)
        sheet.write(r, 4, sum(v for row in rows if isinstance(v := row[4], int | float)))
        r += 1
    if signature:
        r += 1
        sheet.write(r, width - 3, "Hà Nội, ngày 29 tháng 8 năm 2025")
        sheet.write(r + 1, 0, "Người lập biểu")
        sheet.write(r + 1, width - 3, "Thủ trưởng đơn vị")
        sheet.write(r + 2, 0, "(Ký, ghi rõ họ tên)")
        sheet.write(r + 2, width - 3, "(Ký tên, đóng dấu)")
        sheet.write(r + 6, 0, "Nguyễn Thị Lập")
        sheet.write(r + 6, width - 3, "Trần Văn Trưởng")
    book.close()
    return Form(buffer.getvalue(), header_row, first)


def csv_bytes(
    header: list[str],
    rows: list[list[Any]],
    encoding: str = "utf-8",
    bom: bool = False,
    delimiter: str = ",",
) -> bytes:
    """A CSV (header on line 1) in ``encoding``; ``bom`` adds the UTF-8 byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    text = buffer.getvalue()
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: the letter with its vowel mark where the code
    page has it (â, ă, ơ, đ…), the tone as a separate combining mark (ấ = â + U+0301)."""
    out = bytearray()
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        whole = unicodedata.normalize("NFC", cluster)
        if _encodable(whole):
            out += whole.encode("cp1258")
            continue
        tone = [ch for ch in cluster if unicodedata.combining(ch) and ch not in _VOWEL_MARKS]
        vowel = "".join(ch for ch in cluster if ch not in tone)
        tones = "".join(tone)
        out += unicodedata.normalize("NFC", vowel).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}


def _encodable(char: str) -> bool:
    try:
        char.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def drop(
    settings: Settings, province: str, name: str, data: bytes, received: datetime | None = None
) -> Path:
    """Put a file in a province's inbox, its modification time set to when it was 'sent'."""
    path = settings.inbox / province / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if received is not None:
        stamp = received.timestamp()
        os.utime(path, (stamp, stamp))
    return path


@dataclass
class Ingested:
    """One file pushed through ``process_province``: its outcome and what was staged for it."""

    outcome: ProvinceOutcome
    file: FileOutcome
    registry: dict[str, Any] | None
    rejections: list[dict[str, Any]]
    rows: list[dict[str, Any]] | None

    def rows_by_number(self) -> dict[int, dict[str, Any]]:
        return {row["source_row"]: row for row in self.rows or []}


def staged_frames(settings: Settings, province: str, file: FileOutcome) -> tuple:
    import pyarrow.parquet as pq

    from ingestion.stage import staging

    sha = file.file_id
    registry_path = staging.registry_path(settings, province, sha)
    registry = pq.read_table(registry_path).to_pylist()[0] if registry_path.exists() else None
    rejections_path = staging.rejections_path(settings, province, sha)
    rejections = pq.read_table(rejections_path).to_pylist() if rejections_path.exists() else []
    rows = None
    if file.kind:
        rows = pq.read_table(staging.rows_path(settings, file.kind, province, sha)).to_pylist()
    return registry, rejections, rows


def ingest(settings: Settings, name: str, data: bytes, province: str = PP) -> Ingested:
    """Drop one file and process the province; returns what happened to that file."""
    from ingestion.province import process_province

    drop(settings, province, name, data)
    outcome = process_province(settings, province)
    file = next(f for f in outcome.files if f.file_name == name)
    registry, rejections, rows = staged_frames(settings, province, file)
    return Ingested(outcome, file, registry, rejections, rows)
