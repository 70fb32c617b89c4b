"""Per-file feedback in Vietnamese for the sending clerk: what happened to the file, which version
is in effect, the exact name to send next, and only the rows to fix (print-ready xlsx + CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from core import reference
from core.settings import Settings
from core.vietnamese import nil_return
from core.weeks import VN_TZ, IsoWeek
from ingestion.contract import warnings
from ingestion.contract.columns import REPORT, column_label
from ingestion.contract.rejections import Rejection
from ingestion.contract.report_sections import SECTION_LABELS
from ingestion.feedback.printable import PrintSheet, replace_into, truncate, write_csv
from ingestion.intake.filenames import safe_name
from ingestion.intake.renaming import read_name, rename_advice
from ingestion.outcomes import FileStatus
from ingestion.parsing.parse import Parsed
from ingestion.stage.province_files import Standing, is_accepted
from ingestion.stage.staging import RegistryRow

KIND_VI = {
    "staffing": "Biên chế, nhân sự",
    "secondments": "Biệt phái",
    "obstacles": "Vướng mắc",
    REPORT: "Báo cáo tuần của cán bộ biệt phái",
}
RESULT_VI = {
    FileStatus.ACCEPTED: "Chấp nhận toàn bộ",
    FileStatus.PARTLY_ACCEPTED: "Chấp nhận một phần",
}
WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

TABLE_HEADERS = ("Dòng", "Cột", "Khóa", "Giá trị", "Lỗi", "Cần sửa")
SUBTOTAL_HEADERS = ("Dòng", "Cột", "Dòng cộng", "Số ghi trên dòng cộng", "Tổng các dòng", "Cần xem")
SKIPPED_LABEL = "Dòng tiêu đề nhóm / dòng cộng, không tính"
SHEET_LABEL = "Trang tính đã đọc"
CSV_TABLE_HEADERS = ("Dòng", "Cột", "Khóa", "Giá trị", "Mã lỗi", "Lỗi", "Cần sửa")
WIDTHS = (8, 18, 22, 20, 22, 58)  # column-width units; A4 landscape at about 100%
LABEL_COLUMNS = 2  # the header block's labels span the first two columns
VALUE_ECHO = 80  # characters of a refused value shown back (long values are cut)
TEXT_ECHO = 600  # characters of any other text from the file (column names, keys, messages)


@dataclass(frozen=True)
class FeedbackFiles:
    xlsx: Path
    csv: Path


@dataclass(frozen=True)
class RejectedLine:
    row: int | str  # the row as the sender sees it, or "Cả tệp"
    column: str
    key: str
    value: str
    code: str
    label: str
    fix: str


@dataclass(frozen=True)
class Feedback:
    """Everything one feedback file says, before any layout."""

    file_name: str
    header: list[tuple[str, str]]
    strong: frozenset[str]  # header labels whose value is printed bold
    rejected: list[RejectedLine]
    subtotals: list[tuple] = field(default_factory=list)  # SUBTOTAL_HEADERS, one per mismatch


def feedback_name(file_name: str) -> str:
    """The feedback file's base name: the full sent name (extension kept, so ``x.csv`` and
    ``x.xlsx`` never share feedback) as it is stored on disk (:func:`safe_name`: an over-long
    or unsafe name becomes a hash), never hidden."""
    return safe_name(file_name).lstrip(".") or "_"


def feedback_paths(settings: Settings, registry: RegistryRow) -> FeedbackFiles:
    folder = settings.feedback / registry.province_code / registry.filed_week
    base = feedback_name(registry.file_name)
    return FeedbackFiles(folder / f"{base}.phan_hoi.xlsx", folder / f"{base}.phan_hoi.csv")


def number_vi(value: int) -> str:
    """1234 → 1.234 (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def when_vi(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def deadline_vi(week: IsoWeek) -> str:
    deadline = week.deadline
    return (
        f"12:00 {WEEKDAYS_VI[deadline.weekday()]} {deadline:%d/%m/%Y} (giờ Việt Nam), "
        f"tức trưa thứ Hai sau tuần báo cáo"
    )


def week_vi(week: IsoWeek) -> str:
    return f"{week} (từ {week.monday:%d/%m/%Y} đến {week.sunday:%d/%m/%Y})"


def duration_vi(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} ngày"] * bool(days) + [f"{hours} giờ"] * bool(hours)
    parts += [f"{minutes} phút"] * bool(minutes and not days)
    return " ".join(parts) or "dưới 1 phút"


def reason_vi(code: str) -> str:
    return reference.code_list(reference.REASON_CODES).get(code, code)


def version_vi(row: RegistryRow) -> str:
    return f"{row.file_name} (phiên bản {row.version}, nhận {when_vi(row.received_at)})"


def timeliness(registry: RegistryRow, standing: Standing) -> str:
    """On time or late, for the file and for its kind (a later correction does not make the
    kind late: the first accepted version decides)."""
    week = IsoWeek.parse(registry.week)
    late_by = registry.received_at - week.deadline
    text = "Đúng hạn." if late_by <= timedelta(0) else f"Nộp muộn: sau hạn {duration_vi(late_by)}."
    first = standing.first_accepted
    if late_by > timedelta(0) and first is not None and first.file_id != registry.file_id:
        if first.received_at <= week.deadline:
            text += (
                f" Báo cáo {KIND_VI[registry.kind].lower()} tuần này vẫn tính là đúng hạn vì "
                f"{version_vi(first)} đã được nhận trước hạn."
            )
    elif late_by <= timedelta(0) and not is_accepted(registry) and first is None:
        text += " Nhưng tệp bị từ chối nên chưa được tính là đã nộp."
    return text


def effect(registry: RegistryRow, standing: Standing) -> str:
    """Whether this file is now the version in effect, or which one stays in effect."""
    kind = KIND_VI[registry.kind].lower()
    scope = f"báo cáo {kind} tuần {registry.week}"
    current = standing.in_effect
    if standing.is_in_effect(registry):
        text = f"Tệp này là bản đang có hiệu lực của {scope}"
        if standing.replaced is not None:
            text += f", thay cho {version_vi(standing.replaced)}"
        return text + "."
    if not is_accepted(registry):
        if current is None:
            return (
                f"Tệp bị từ chối nên không được tính. Chưa có bản nào được nhận: {scope} "
                "đang được tính là CHƯA NỘP."
            )
        return (
            f"Tệp bị từ chối nên không thay thế bản trước. Bản vẫn có hiệu lực: "
            f"{version_vi(current)}."
        )
    return f"Bản đang có hiệu lực là {version_vi(current)}, phiên bản cao hơn tệp này."


def _whole_file_fixes(rejections: Sequence[Rejection]) -> list[str]:
    return [r.message_vi for r in rejections if r.row is None]


def next_step(registry: RegistryRow, rejections: Sequence[Rejection], standing: Standing) -> str:
    """What the clerk should do now, naming the exact file to send."""
    name = standing.next_name
    if registry.kind is None:
        return rename_advice(
            registry.file_name, registry.received_at, registry.filed_week, name
        ).action
    if registry.status == FileStatus.ACCEPTED:
        return "Không cần làm gì thêm."
    fixes = " ".join(_whole_file_fixes(rejections))
    rows_to_fix = sum(1 for r in rejections if r.row is not None)
    if registry.status == FileStatus.PARTLY_ACCEPTED:
        return (
            f"Sửa {number_vi(registry.rows_rejected)} dòng ở bảng dưới rồi gửi lại CẢ TỆP với tên "
            f"«{name}». Tệp mới sẽ thay thế tệp này; trong lúc chờ, các dòng đã được chấp nhận "
            "của tệp này vẫn được tính, các dòng bị từ chối thì không."
        )
    if registry.file_reason_code == "wrong_province_file":
        province = reference.provinces()[registry.province_code].name
        return f"{fixes} Gửi đúng tệp của {province} với tên «{name}»."
    if rows_to_fix and not fixes:
        return (
            "Hơn một nửa số dòng bị lỗi nên cả tệp không được nhận. Sửa các dòng ở bảng dưới "
            f"rồi gửi lại cả tệp với tên «{name}»."
        )
    return f"{fixes} Sau khi sửa, gửi lại với tên «{name}».".strip()


def _week_line(registry: RegistryRow) -> tuple[str, str]:
    if registry.week:
        return ("Tuần báo cáo", week_vi(IsoWeek.parse(registry.week)))
    filed = IsoWeek.parse(registry.filed_week)
    named = read_name(registry.file_name, registry.received_at).week is not None
    how = "đọc được từ tên tệp" if named else "tuần nhận tệp, vì không đọc được tuần từ tên tệp"
    return ("Tuần báo cáo", f"Xếp vào tuần {week_vi(filed)}: {how}.")


def header_lines(
    registry: RegistryRow,
    rejections: Sequence[Rejection],
    standing: Standing,
    parsed: Parsed | None = None,
) -> list[tuple[str, str]]:
    """(label, text) lines of the header block; ``parsed`` adds what only the parse knows (the
    other sheets holding the header)."""
    province = reference.provinces()[registry.province_code].name
    lines = [
        ("Tệp", registry.file_name),
        ("Tỉnh, thành phố", f"{province} ({registry.province_code})"),
        (
            "Loại báo cáo",
            KIND_VI.get(registry.kind or "", "Không xác định được (tên tệp không đúng quy định)"),
        ),
        _week_line(registry),
    ]
    if registry.version is not None:
        lines.append(("Phiên bản", str(registry.version)))
    if registry.kind is None:
        advice = rename_advice(
            registry.file_name, registry.received_at, registry.filed_week, registry.suggested_name
        )
        lines.append(("Tên tệp", advice.problem))
    lines.append(("Thời điểm nhận", f"{when_vi(registry.received_at)} (giờ Việt Nam)"))
    if registry.week:
        lines.append(("Hạn nộp", deadline_vi(IsoWeek.parse(registry.week))))
        lines.append(("Đúng hạn hay muộn", timeliness(registry, standing)))
    lines += _result_lines(registry)
    if registry.sheet_name is not None:
        lines.append((SHEET_LABEL, f"«{registry.sheet_name}»"))
    if registry.kind == REPORT and parsed is not None:
        lines += section_lines(parsed.sections)
    if registry.rows_skipped:
        lines.append((SKIPPED_LABEL, number_vi(registry.rows_skipped)))
    if registry.kind is not None:
        lines.append(("Bản có hiệu lực", effect(registry, standing)))
    lines.append(("Cần làm", next_step(registry, rejections, standing)))
    if standing.next_name and registry.status != FileStatus.ACCEPTED:
        label = "Đổi tên thành" if registry.kind is None else "Tên tệp gửi lại"
        lines.append((label, standing.next_name))
    for code in warnings.split(registry.warnings):
        lines.append(("Lưu ý", _warning_vi(code, parsed)))
    lines.append(("Mã kiểm tra tệp (SHA-256)", registry.file_sha256))
    return [(label, truncate(text, TEXT_ECHO)) for label, text in lines]


def section_lines(found: Sequence[str]) -> list[tuple[str, str]]:
    """Which of the report's sections were found and which are missing (SPEC §2b)."""
    missing = [label for code, label in SECTION_LABELS.items() if code not in found]
    return [
        ("Các mục đã đọc", "; ".join(SECTION_LABELS[code] for code in found) or "Không có"),
        ("Các mục còn thiếu", "; ".join(missing) or "Không thiếu mục nào"),
    ]


def _result_lines(registry: RegistryRow) -> list[tuple[str, str]]:
    """The result and the rows; a nil return says the province had nothing of the kind."""
    if registry.is_nil_return:
        nothing = nil_return(registry.kind)
        return [
            ("Kết quả", f"Chấp nhận: {nothing}"),
            (
                "Số dòng",
                f"Tệp có dòng tiêu đề và không có dòng số liệu nào: được nhận là báo cáo "
                f"«{nothing}».",
            ),
        ]
    result = RESULT_VI.get(registry.status)
    if result is None:
        result = f"Từ chối cả tệp: {reason_vi(registry.file_reason_code or 'unreadable_file')}"
    if registry.kind == REPORT:
        items = number_vi(registry.rows_accepted)
        rows = f"{items} ý (đoạn, gạch đầu dòng, dòng bảng) trong các mục." if items else ""
        return [("Kết quả", result), ("Số ý đã đọc", rows or "Không đọc được ý nào.")]
    if registry.rows_total:
        rows = (
            f"{number_vi(registry.rows_total)} dòng số liệu: "
            f"{number_vi(registry.rows_accepted)} dòng được chấp nhận, "
            f"{number_vi(registry.rows_rejected)} dòng bị từ chối."
        )
    else:
        rows = "Không đọc được dòng số liệu nào."
    return [("Kết quả", result), ("Số dòng", rows)]


def _warning_vi(code: str, parsed: Parsed | None) -> str:
    """A warning as the province reads it, with the sheets or rows it is about when known."""
    text = warnings.message_vi(code)
    if parsed is None:
        return text
    if code == warnings.OTHER_SHEET_HAS_HEADER and parsed.other_sheets:
        names = ", ".join(f"«{name}»" for name in parsed.other_sheets)
        text += f" Trang tính khác có dòng tiêu đề: {names}."
    if code == warnings.SUBTOTAL_MISMATCH and parsed.subtotals:
        text += " Các dòng cộng không khớp được liệt kê trong bảng dưới đây."
    return text


def subtotal_lines(parsed: Parsed | None) -> list[tuple]:
    """One line per subtotal that does not add up (SUBTOTAL_HEADERS)."""
    if parsed is None:
        return []
    return [
        (
            mismatch.row,
            truncate(mismatch.column, 60),
            truncate(mismatch.label, 60),
            mismatch.stated,
            mismatch.computed,
            f"Các dòng {_span(mismatch.first_row, mismatch.last_row)} cộng lại được "
            f"{number_vi(mismatch.computed)}, khác số {number_vi(mismatch.stated)} ghi trên dòng "
            "cộng. Dòng cộng không được tính (số liệu lấy từ các dòng chi tiết): đề nghị kiểm "
            "tra lại các dòng chi tiết hoặc dòng cộng.",
        )
        for mismatch in parsed.subtotals
    ]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def rejected_lines(rejections: Sequence[Rejection]) -> list[RejectedLine]:
    """One line per rejection in row order, whole-file causes first; long values cut."""
    ordered = sorted(rejections, key=lambda r: (r.row is not None, r.row or 0))
    return [
        RejectedLine(
            row=r.row if r.row is not None else "Cả tệp",
            column=truncate(r.sender_column or (column_label(r.column) if r.column else ""), 60),
            key=truncate(r.key_value, 60),
            value=truncate(r.value, VALUE_ECHO),
            code=r.code,
            label=reason_vi(r.code),
            fix=truncate(_without_long_value(r.message_vi, r.value), TEXT_ECHO),
        )
        for r in ordered
    ]


def _without_long_value(message: str, value: str | None) -> str:
    """A message quoting a long value quotes only its start."""
    if value is None or len(value) <= VALUE_ECHO:
        return message
    return message.replace(value, truncate(value, VALUE_ECHO))


def build_feedback(
    registry: RegistryRow,
    rejections: Sequence[Rejection],
    standing: Standing,
    parsed: Parsed | None = None,
) -> Feedback:
    """The feedback of one landed file (pure: the facts about other files come in ``standing``,
    what the parse found beside its rejections in ``parsed``)."""
    strong = frozenset({"Kết quả", "Cần làm", "Tên tệp gửi lại", "Đổi tên thành"})
    return Feedback(
        registry.file_name,
        header_lines(registry, rejections, standing, parsed),
        strong,
        rejected_lines(rejections),
        subtotal_lines(parsed),
    )


def _subtotal_title(feedback: Feedback) -> str:
    return (
        f"DÒNG CỘNG KHÔNG KHỚP VỚI CÁC DÒNG CHI TIẾT ({number_vi(len(feedback.subtotals))}): "
        "chỉ để kiểm tra lại, không dòng nào bị từ chối vì lý do này"
    )


def _table_title(feedback: Feedback) -> str:
    count = len(feedback.rejected)
    if not count:
        return "Không có dòng nào bị từ chối."
    return f"CÁC DÒNG BỊ TỪ CHỐI ({number_vi(count)} lỗi): sửa trong tệp gốc rồi gửi lại cả tệp"


def write_xlsx(path: Path, feedback: Feedback) -> None:
    sheet = PrintSheet("Phản hồi", WIDTHS)
    sheet.title("PHẢN HỒI KẾT QUẢ TIẾP NHẬN TỆP BÁO CÁO — BỘ NỘI VỤ")
    for label, text in feedback.header:
        sheet.pair(label, text, LABEL_COLUMNS, "strong" if label in feedback.strong else "text")
    sheet.blank()
    if feedback.subtotals:
        sheet.line([_subtotal_title(feedback)], [(0, len(WIDTHS) - 1)], "section")
        sheet.line(SUBTOTAL_HEADERS, styles="header")
        for line in feedback.subtotals:
            sheet.line(line)
        sheet.blank()
    sheet.line([_table_title(feedback)], [(0, len(WIDTHS) - 1)], "section")
    header_row = None
    if feedback.rejected:
        header_row = sheet.line(TABLE_HEADERS, styles="header")
        for line in feedback.rejected:
            sheet.line([line.row, line.column, line.key, line.value, line.label, line.fix])
    sheet.page_setup(f"Phản hồi tệp {feedback.file_name}", repeat_row=header_row)
    sheet.save(path)


def csv_rows(feedback: Feedback) -> list[tuple]:
    rows: list[tuple] = [("Mục", "Nội dung"), *feedback.header, ()]
    if feedback.subtotals:
        rows += [(_subtotal_title(feedback),), SUBTOTAL_HEADERS, *feedback.subtotals, ()]
    rows.append((_table_title(feedback),))
    if feedback.rejected:
        rows.append(CSV_TABLE_HEADERS)
        rows += [
            (line.row, line.column, line.key, line.value, line.code, line.label, line.fix)
            for line in feedback.rejected
        ]
    return rows


def write_feedback(
    settings: Settings,
    registry: RegistryRow,
    rejections: Sequence[Rejection],
    standing: Standing,
    parsed: Parsed | None = None,
) -> FeedbackFiles:
    """Write the xlsx and the CSV (UTF-8 with BOM) for one landed file; returns their paths."""
    paths = feedback_paths(settings, registry)
    feedback = build_feedback(registry, rejections, standing, parsed)
    replace_into(paths.xlsx, lambda tmp: write_xlsx(tmp, feedback))
    write_csv(paths.csv, csv_rows(feedback))
    return paths
