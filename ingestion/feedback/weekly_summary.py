"""The weekly summary a province gets back (``tong_hop_tuan_<YYYY>-W<ww>.xlsx`` and ``.csv``): each
kind received or missing, on time or late, the file in effect, rows and rejections by reason, every
file of the week, the misnamed files with what to rename them to, and the values the last
warehouse build asks to check again ("Đề nghị kiểm tra lại", :mod:`ingestion.feedback.to_check`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import reference
from core.settings import Settings
from core.values_to_check import ValueToCheck
from core.vietnamese import nil_return
from core.weeks import IsoWeek
from ingestion.contract import warnings
from ingestion.contract.columns import KINDS, REPORT
from ingestion.feedback.per_file import (
    KIND_VI,
    RESULT_VI,
    SHEET_LABEL,
    SKIPPED_LABEL,
    deadline_vi,
    duration_vi,
    effect,
    number_vi,
    reason_vi,
    week_vi,
    when_vi,
)
from ingestion.feedback.printable import PrintSheet, replace_into, write_csv
from ingestion.feedback.to_check import HEADERS as CHECK_HEADERS
from ingestion.feedback.to_check import SPANS as CHECK_SPANS
from ingestion.feedback.to_check import check_lines, read_checks
from ingestion.intake.renaming import rename_advice
from ingestion.outcomes import FileStatus
from ingestion.stage.province_files import (
    ProvinceFiles,
    first_accepted,
    in_effect,
    next_name,
    standing,
)
from ingestion.stage.staging import RegistryRow

WIDTHS = (26, 16, 17, 24, 9, 9, 30, 34)
LABEL_COLUMNS = 2
KIND_HEADERS = (
    "Loại báo cáo",
    "Tình trạng",
    "Nhận lúc (bản được nhận đầu tiên)",
    "Tệp đang có hiệu lực",
    "Dòng được nhận",
    "Dòng bị từ chối",
    "Lỗi theo loại",
    "Cần làm",
)
FILE_HEADERS = (
    "Tệp",
    "Loại",
    "Nhận lúc",
    "Kết quả",
    "Dòng được nhận",
    "Dòng bị từ chối",
    "Lỗi theo loại",
    "Hiệu lực, lưu ý",
)
MISNAMED_HEADERS = ("Tệp có tên không đúng quy định", "Nhận lúc", "Đổi tên thành", "Cần làm")
MISNAMED_SPANS = ((0, 1), (2, 2), (3, 5), (6, 7))
CHECK_SECTION = "4. Đề nghị kiểm tra lại (số liệu vẫn được nhận)"
CHECK_NOTE = (
    "Số liệu khác thường so với các tuần trước của tỉnh, không phải lỗi bị từ chối. Nếu sai, "
    "gửi lại cả tệp với tên phiên bản mới; nếu đúng, không cần làm gì."
)


@dataclass(frozen=True)
class KindLine:
    """One kind's line: ``status`` is on_time, late or missing (as submission_status)."""

    kind: str
    status: str
    cells: tuple  # KIND_HEADERS


@dataclass(frozen=True)
class WeeklySummary:
    """What one province's week summary says, before any layout."""

    province_code: str
    week: str
    header: list[tuple[str, str]]
    kinds: list[KindLine]
    files: list[tuple]  # one line per file with a valid name, FILE_HEADERS
    misnamed: list[tuple]  # one line per misnamed file, MISNAMED_HEADERS
    to_check: list[tuple]  # one line per value to check again, CHECK_HEADERS


def summary_paths(settings: Settings, province_code: str, week: str) -> tuple[Path, Path]:
    folder = settings.feedback / province_code / week
    stem = f"tong_hop_tuan_{week}"
    return folder / f"{stem}.xlsx", folder / f"{stem}.csv"


def reasons_vi(reasons: Mapping[str, int]) -> str:
    """``invalid_number: 3`` → ``Số không hợp lệ (invalid_number): 3 dòng``, most rows first;
    a whole-file cause (0 rows) reads ``cả tệp``."""
    if not reasons:
        return "—"
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(
        f"{reason_vi(code)} ({code}): " + (f"{number_vi(n)} dòng" if n else "cả tệp")
        for code, n in ordered
    )


def _kind_line(
    kind: str, versions: list[RegistryRow], week: IsoWeek, reasons: Mapping[str, Mapping]
) -> KindLine:
    current = in_effect(versions)
    first = first_accepted(versions)
    rejected = [r for r in versions if r.status == FileStatus.REJECTED]
    following = next_name(versions, kind, str(week), like=None)
    label = KIND_VI[kind]
    if current is None or first is None:
        status = "Chưa nộp"
        if rejected:
            status += f" ({len(rejected)} tệp bị từ chối)"
        cells = (label, status, "—", "—", "—", "—", "—", f"Gửi tệp «{following}».")
        return KindLine(kind, "missing", cells)
    late_by = first.received_at - week.deadline
    on_time = late_by.total_seconds() <= 0
    status = "Đúng hạn" if on_time else f"Nộp muộn ({duration_vi(late_by)})"
    if current.is_nil_return:
        status += f": {nil_return(kind)}"
    rows_rejected = current.rows_rejected
    action = "Không cần làm gì thêm."
    if rows_rejected:
        action = (
            f"Sửa {number_vi(rows_rejected)} dòng bị từ chối (xem tệp phản hồi của "
            f"{current.file_name}) rồi gửi lại cả tệp với tên «{following}»."
        )
    cells = (
        label,
        status,
        when_vi(first.received_at),
        f"{current.file_name} (phiên bản {current.version})",
        current.rows_accepted,
        rows_rejected,
        reasons_vi(reasons[current.file_id]),
        action,
    )
    return KindLine(kind, "on_time" if on_time else "late", cells)


def _file_line(row: RegistryRow, versions: list[RegistryRow], reasons: Mapping[str, int]) -> tuple:
    week = IsoWeek.parse(row.week)
    late_by = row.received_at - week.deadline
    timing = "đúng hạn" if late_by.total_seconds() <= 0 else f"muộn {duration_vi(late_by)}"
    result = RESULT_VI.get(row.status) or f"Từ chối cả tệp: {reason_vi(row.file_reason_code)}"
    if row.is_nil_return:
        result = f"Chấp nhận: {nil_return(row.kind)}"
    notes = [effect(row, standing(versions, row))]
    if row.sheet_name is not None:
        notes.append(f"{SHEET_LABEL}: «{row.sheet_name}».")
    if row.rows_skipped:
        notes.append(f"{SKIPPED_LABEL}: {number_vi(row.rows_skipped)}.")
    notes += [warnings.message_vi(code) for code in warnings.split(row.warnings)]
    return (
        row.file_name,
        f"{KIND_VI[row.kind]}, phiên bản {row.version}",
        f"{when_vi(row.received_at)} ({timing})",
        result,
        row.rows_accepted,
        row.rows_rejected,
        reasons_vi(reasons),
        "\n".join(notes),
    )


def _misnamed_line(row: RegistryRow, files: ProvinceFiles) -> tuple:
    # The rename is worked out again: versions may have landed since the file did.
    suggested = files.suggested_name(row.file_name, row.received_at)
    advice = rename_advice(row.file_name, row.received_at, row.filed_week, suggested)
    return (
        row.file_name,
        when_vi(row.received_at),
        advice.rename_to,
        f"{advice.problem} {advice.action}",
    )


def build_summary(
    files: ProvinceFiles,
    week: str,
    reasons: Mapping[str, Mapping[str, int]],
    checks: Sequence[ValueToCheck] = (),
) -> WeeklySummary:
    """The summary of ``week`` from the province's files (``reasons``: rows refused per reason
    code of each file filed under the week; ``checks``: the values to check again)."""
    iso = IsoWeek.parse(week)
    code = files.province_code
    filed = files.filed_under(week)
    tables = [_kind_line(kind, files.versions(kind, week), iso, reasons) for kind in KINDS]
    report = files.versions(REPORT, week)  # told when one came (a wave's gaps: the ministry's)
    kinds = tables + [_kind_line(REPORT, report, iso, reasons)] * bool(report)
    named = [r for r in filed if r.kind is not None and r.week == week]
    missing = [KIND_VI[line.kind].lower() for line in tables if line.status == "missing"]
    late = [KIND_VI[line.kind].lower() for line in tables if line.status == "late"]
    nothing = [
        nil_return(kind)
        for kind in KINDS
        if (current := in_effect(files.versions(kind, week))) is not None and current.is_nil_return
    ]
    outline = f"Đã nộp {3 - len(missing)}/3 loại báo cáo"
    if nothing:
        outline += f" ({'; '.join(nothing)})"
    if late:
        outline += f"; nộp muộn: {', '.join(late)}"
    if missing:
        outline += f"; chưa nộp: {', '.join(missing)}"
    misnamed = [r for r in filed if r.kind is None]
    if misnamed:
        outline += f"; {len(misnamed)} tệp có tên không đúng quy định"
    if checks:
        outline += f"; đề nghị kiểm tra lại {len(checks)} số liệu (mục 4)"
    province = reference.provinces()[code].name
    header = [
        ("Tỉnh, thành phố", f"{province} ({code})"),
        ("Tuần báo cáo", week_vi(iso)),
        ("Hạn nộp", deadline_vi(iso)),
        ("Tình hình", outline + "."),
    ]
    if filed:
        newest = max(r.landed_at for r in filed)
        header.append(("Cập nhật lúc", f"{when_vi(newest)} (giờ Việt Nam)"))
    return WeeklySummary(
        province_code=code,
        week=week,
        header=header,
        kinds=kinds,
        files=[
            _file_line(r, files.versions(r.kind, r.week), reasons[r.file_id])
            for r in sorted(
                named, key=lambda r: ((*KINDS, REPORT).index(r.kind), r.version, r.received_at)
            )
        ],
        misnamed=[_misnamed_line(r, files) for r in misnamed],
        to_check=check_lines(list(checks)),
    )


def _title(summary: WeeklySummary) -> str:
    return f"TỔNG HỢP TIẾP NHẬN BÁO CÁO TUẦN {summary.week} — BỘ NỘI VỤ"


def write_xlsx(path: Path, summary: WeeklySummary) -> None:
    sheet = PrintSheet("Tổng hợp tuần", WIDTHS)
    last = len(WIDTHS) - 1
    sheet.title(_title(summary))
    for label, text in summary.header:
        sheet.pair(label, text, LABEL_COLUMNS, "strong" if label == "Tình hình" else "text")
    sheet.blank()
    sheet.line(["1. Ba loại báo cáo của tuần"], [(0, last)], "section")
    sheet.line(KIND_HEADERS, styles="header")
    for line in summary.kinds:
        sheet.line(line.cells, styles=["strong", *["text"] * (len(line.cells) - 1)])
    sheet.blank()
    sheet.line(["2. Các tệp đã nhận cho tuần này"], [(0, last)], "section")
    if summary.files:
        sheet.line(FILE_HEADERS, styles="header")
        for line in summary.files:
            sheet.line(line)
    else:
        sheet.line(["Chưa nhận tệp nào có tên đúng quy định cho tuần này."], [(0, last)], "plain")
    sheet.blank()
    sheet.line(["3. Tệp có tên không đúng quy định (xếp vào tuần này)"], [(0, last)], "section")
    if summary.misnamed:
        sheet.line(MISNAMED_HEADERS, MISNAMED_SPANS, "header")
        for line in summary.misnamed:
            sheet.line(line, MISNAMED_SPANS)
    else:
        sheet.line(["Không có."], [(0, last)], "plain")
    if summary.to_check:
        sheet.blank()
        sheet.line([CHECK_SECTION], [(0, last)], "section")
        sheet.line([CHECK_NOTE], [(0, last)], "plain")
        sheet.line(CHECK_HEADERS, CHECK_SPANS, "header")
        for line in summary.to_check:
            sheet.line(line, CHECK_SPANS)
    province = reference.provinces()[summary.province_code].name
    sheet.page_setup(f"Tổng hợp tuần {summary.week} — {province}")
    sheet.save(path)


def csv_rows(summary: WeeklySummary) -> list[tuple]:
    rows: list[tuple] = [(_title(summary),), ("Mục", "Nội dung"), *summary.header, ()]
    rows += [("1. Ba loại báo cáo của tuần",), KIND_HEADERS]
    rows += [*(line.cells for line in summary.kinds), ()]
    rows += [("2. Các tệp đã nhận cho tuần này",), FILE_HEADERS, *summary.files, ()]
    rows += [("3. Tệp có tên không đúng quy định (xếp vào tuần này)",), MISNAMED_HEADERS]
    rows += summary.misnamed
    if summary.to_check:
        rows += [(), (CHECK_SECTION,), (CHECK_NOTE,), CHECK_HEADERS, *summary.to_check]
    return rows


def summary_of(files: ProvinceFiles, week: str) -> WeeklySummary:
    """The summary of one province and week, from its registry rows and rejections."""
    reasons = {r.file_id: files.reasons(r.file_id) for r in files.filed_under(week)}
    checks = read_checks(files.settings, files.province_code, week)
    return build_summary(files, week, reasons, checks)


def write_summary(settings: Settings, files: ProvinceFiles, week: str) -> Path:
    """Rewrite the summary of one province and week; returns the xlsx path."""
    summary = summary_of(files, week)
    xlsx, csv = summary_paths(settings, files.province_code, week)
    replace_into(xlsx, lambda tmp: write_xlsx(tmp, summary))
    write_csv(csv, csv_rows(summary))
    return xlsx


def due_weeks(settings: Settings, files: ProvinceFiles) -> list[str]:
    """Weeks whose summary is missing or older than the newest file filed under them (a file
    landed since, or an earlier task stopped before writing it)."""
    due = []
    for week in sorted(files.weeks()):
        xlsx, _ = summary_paths(settings, files.province_code, week)
        newest: datetime = max(r.landed_at for r in files.filed_under(week))
        if not xlsx.exists() or xlsx.stat().st_mtime < newest.timestamp():
            due.append(week)
    return due


def summaries_mark(settings: Settings, province_code: str) -> Path:
    """Touched after every complete pass over a province's summaries."""
    return settings.staged / "summaries" / f"{province_code}.written"


def write_due_summaries(settings: Settings, files: ProvinceFiles) -> list[Path]:
    """Write the summary of every week that got a file since its summary was written. A task
    that staged nothing, when no registry row was added since the last complete pass (the
    registry folder is not newer than the mark), reads and writes nothing."""
    mark = summaries_mark(settings, files.province_code)
    if not files.added and (
        not files.registry_dir.exists()
        or (mark.exists() and files.registry_dir.stat().st_mtime_ns <= mark.stat().st_mtime_ns)
    ):
        return []
    written = [write_summary(settings, files, week) for week in due_weeks(settings, files)]
    mark.parent.mkdir(parents=True, exist_ok=True)
    mark.touch()
    return written
