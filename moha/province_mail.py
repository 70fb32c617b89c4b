"""Mail to the provinces (Vietnamese, plain text and HTML): the weekly summary after an ingest
that changed it, and the Monday-morning reminder of the kinds of last week still missing, with
the exact file names to send. Addresses come from contacts.yml (:mod:`moha.contacts`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from core import reference
from core.settings import Settings
from core.weeks import IsoWeek
from ingestion.contract.columns import KINDS
from ingestion.feedback.delivery import FOLDER as PHAN_HOI
from ingestion.feedback.per_file import KIND_VI, deadline_vi, week_vi
from ingestion.feedback.templates import FOLDER as TEMPLATES
from ingestion.feedback.weekly_summary import WeeklySummary, summary_of, summary_paths
from ingestion.stage.province_files import ProvinceFiles, in_effect, next_name
from moha.contacts import load_contacts
from moha.mailer import Mail, digest, send_once, sent

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)
"""Summaries rewritten longer ago than this are not mailed (a first deployment does not mail
every past week)."""
FOOTER = (
    "Thư này do hệ thống tiếp nhận báo cáo của Bộ Nội vụ gửi tự động; xin không trả lời thư này."
)


@dataclass(frozen=True)
class Missing:
    kind: str
    file_name: str  # the exact name to send


def _html(
    title: str, paragraphs: list[str], table: list[list[str]] | None = None, after: str = ""
) -> str:
    """A small self-contained HTML mail: a title, paragraphs (already escaped), a table, and a
    last paragraph ``after`` it."""
    cell = "border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top"
    rows = ""
    if table:
        head, *body = table
        rows = (
            '<table style="border-collapse:collapse;font-size:14px;margin:8px 0">'
            + "<tr>"
            + "".join(f'<th style="{cell};background:#DDEBF7">{escape(h)}</th>' for h in head)
            + "</tr>"
            + "".join(
                "<tr>" + "".join(f'<td style="{cell}">{escape(v)}</td>' for v in row) + "</tr>"
                for row in body
            )
            + "</table>"
        )
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    rows += f"<p>{after}</p>" if after else ""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#222;'
        'max-width:760px">'
        f'<h2 style="color:#1F4E79;font-size:18px">{escape(title)}</h2>{text}{rows}'
        f'<p style="color:#777;font-size:12px">{escape(FOOTER)}</p></body></html>'
    )


# --- the weekly summary, after a change ---------------------------------------------------------

SUMMARY_COLUMNS = ("Loại báo cáo", "Tình trạng", "Tệp đang có hiệu lực", "Cần làm")


def _summary_table(summary: WeeklySummary) -> list[list[str]]:
    # KindLine.cells: label, status, received, in effect, accepted, rejected, reasons, to do
    return [list(SUMMARY_COLUMNS)] + [
        [str(line.cells[0]), str(line.cells[1]), str(line.cells[3]), str(line.cells[7])]
        for line in summary.kinds
    ]


def summary_mail(to: tuple[str, ...], summaries: list[WeeklySummary], files: list[Path]) -> Mail:
    """One mail to a province about the weeks whose summary changed, their summaries attached."""
    code = summaries[0].province_code
    province = reference.provinces()[code].name
    weeks = ", ".join(s.week for s in summaries)
    subject = f"[Bộ Nội vụ] Tổng hợp tiếp nhận báo cáo tuần {weeks} — {province}"
    greeting = f"Kính gửi Sở Nội vụ {province},"
    opening = f"Bộ Nội vụ đã cập nhật bảng tổng hợp tiếp nhận báo cáo tuần {weeks} của Sở."
    where = (
        f"Bảng tổng hợp đầy đủ được đính kèm; phản hồi chi tiết của từng tệp nằm trong thư mục "
        f"{PHAN_HOI}/<tuần>/ tại nơi Sở gửi tệp."
    )
    text = [greeting, "", opening, ""]
    html_parts: list[str] = [escape(greeting), escape(opening)]
    tables = []
    for summary in summaries:
        header = dict(summary.header)
        week = IsoWeek.parse(summary.week)
        situation = f"Tuần {week_vi(week)}: {header['Tình hình']}"
        text += [situation, f"Hạn nộp: {deadline_vi(week)}."]
        for row in _summary_table(summary)[1:]:
            text.append(f"- {row[0]}: {row[1]}; tệp có hiệu lực: {row[2]}; cần làm: {row[3]}")
        check = _to_check(summary)
        text += [check, ""] if check else [""]
        html_parts.append(
            f"<b>{escape(situation)}</b><br>Hạn nộp: {escape(deadline_vi(week))}."
            + (f"<br>{escape(check)}" if check else "")
        )
        tables.append(_summary_table(summary))
    text += [where, "", FOOTER]
    title = subject.removeprefix("[Bộ Nội vụ] ")
    html = _html(title, html_parts, _merged(tables, summaries), escape(where))
    return Mail(to, subject, "\n".join(text), html, tuple(files))


def _to_check(summary: WeeklySummary) -> str:
    """The values to check again, pointed to (the attached summary lists them)."""
    if not summary.to_check:
        return ""
    return (
        "Đề nghị kiểm tra lại các số liệu khác thường ở mục 4 của bảng tổng hợp đính kèm "
        "(số liệu vẫn được nhận)."
    )


def _merged(tables: list[list[list[str]]], summaries: list[WeeklySummary]) -> list[list[str]]:
    """One table for every week mailed (a week column when there are several)."""
    if len(tables) == 1:
        return tables[0]
    head = ["Tuần", *tables[0][0]]
    return [head] + [
        [s.week, *row] for s, table in zip(summaries, tables, strict=True) for row in table[1:]
    ]


def _changed(settings: Settings, code: str, now: datetime) -> list[tuple[str, Path, Path, str]]:
    """(week, xlsx, csv, digest) of the province's summaries rewritten recently whose content
    differs from what it was last mailed."""
    record = sent(settings)
    root = settings.feedback / code
    changed = []
    for csv in sorted(root.glob("*/tong_hop_tuan_*.csv")):
        week = csv.parent.name
        xlsx, _ = summary_paths(settings, code, week)
        if now - datetime.fromtimestamp(csv.stat().st_mtime, UTC) > RECENT or not xlsx.exists():
            continue
        about = digest(csv.read_bytes())
        if record.get(f"summary:{code}:{week}", {}).get("digest") != about:
            changed.append((week, xlsx, csv, about))
    return changed


def _last_summary_mail(settings: Settings, code: str) -> datetime | None:
    times = [
        datetime.fromisoformat(entry["sent_at"])
        for key, entry in sent(settings).items()
        if key.startswith(f"summary:{code}:")
    ]
    return max(times, default=None)


@dataclass(frozen=True)
class SummaryMailing:
    mailed: tuple[str, ...]  # province codes
    failed: tuple[str, ...]  # "<code>: <error>", mailed by a later run


def mail_summaries(settings: Settings, now: datetime | None = None) -> SummaryMailing:
    """Mail each province with contacts whose weekly summary changed since it was last mailed:
    one mail per province (every changed week in it), at most one per province in
    MOHA_MAIL_MIN_INTERVAL_MINUTES (a change within it waits for a later run). A mail that
    cannot go is reported and tried again by the next run."""
    now = now or datetime.now(UTC)
    mailed, failed = [], []
    for code, to in load_contacts(settings).provinces.items():
        try:
            if _mail_summary(settings, code, to, now):
                mailed.append(code)
        except Exception as error:
            log.warning("province %s: summary not mailed: %s", code, error)
            failed.append(f"{code}: {type(error).__name__}: {error}")
    return SummaryMailing(tuple(mailed), tuple(failed))


def _mail_summary(settings: Settings, code: str, to: tuple[str, ...], now: datetime) -> bool:
    """Mail one province's changed summaries; False when none changed or it must wait."""
    changed = _changed(settings, code, now)
    if not changed:
        return False
    last = _last_summary_mail(settings, code)
    if last is not None and now - last < timedelta(minutes=settings.mail.min_interval_minutes):
        log.info("province %s: summary changed; mailed %s, the next mail waits", code, last)
        return False
    files = ProvinceFiles(settings, code)
    summaries = [summary_of(files, week) for week, *_ in changed]
    mail = summary_mail(to, summaries, [xlsx for _, xlsx, _, _ in changed])
    keys = {f"summary:{code}:{week}": about for week, *_, about in changed}
    return send_once(settings, keys, mail)


# --- the Monday reminder --------------------------------------------------------------------


def missing_kinds(settings: Settings, code: str, week: IsoWeek) -> list[Missing]:
    """The kinds of ``week`` with no file in effect for the province, and the name to send."""
    files = ProvinceFiles(settings, code)
    missing = []
    for kind in KINDS:
        versions = files.versions(kind, str(week))
        if in_effect(versions) is None:
            missing.append(Missing(kind, next_name(versions, kind, str(week), like=None)))
    return missing


def reminder_mail(
    to: tuple[str, ...],
    code: str,
    week: IsoWeek,
    missing: list[Missing],
    summary: Path | None,
    templates: bool = False,
) -> Mail:
    """The reminder of the kinds still missing; ``templates``: the province was given forms."""
    province = reference.provinces()[code].name
    subject = (
        f"[Bộ Nội vụ] Nhắc nộp báo cáo tuần {week} trước 12:00 thứ Hai "
        f"{week.deadline:%d/%m/%Y} — {province}"
    )
    greeting = f"Kính gửi Sở Nội vụ {province},"
    opening = (
        f"Đến 08:00 sáng nay, Bộ Nội vụ chưa nhận được báo cáo sau của tuần {week_vi(week)}. "
        f"Hạn nộp: {deadline_vi(week)}."
    )
    how = "Xin gửi các tệp với đúng tên dưới đây vào thư mục nộp báo cáo của Sở."
    if templates:
        how += f" Mẫu biểu có sẵn trong thư mục {PHAN_HOI}/{TEMPLATES}/ tại nơi Sở gửi tệp."
    table = [["Loại báo cáo", "Tên tệp cần gửi"]] + [
        [KIND_VI[m.kind], m.file_name] for m in missing
    ]
    attached = "Bảng tổng hợp tiếp nhận của tuần được đính kèm." if summary else ""
    lines = [greeting, "", opening, "", how, ""]
    lines += [f"- {KIND_VI[m.kind]}: {m.file_name}" for m in missing]
    lines += ["", attached, "", FOOTER] if attached else ["", FOOTER]
    html = _html(
        subject.removeprefix("[Bộ Nội vụ] "),
        [escape(p) for p in (greeting, opening, how)] + ([escape(attached)] if attached else []),
        table,
    )
    return Mail(to, subject, "\n".join(lines), html, (summary,) if summary else ())


def remind_provinces(settings: Settings, week: IsoWeek) -> dict[str, list[str]]:
    """Mail every province with contacts still missing a kind of ``week`` (once per province,
    week and set of missing files, however often it runs); nothing to complete provinces.
    Returns province code → the file names it was reminded of (this run)."""
    contacts = load_contacts(settings)
    reminded = {}
    for code in reference.provinces():
        missing = missing_kinds(settings, code, week)
        if not missing:
            continue
        to = contacts.of(code)
        if not to:
            log.info("province %s misses %d kind(s) of %s: no contact", code, len(missing), week)
            continue
        xlsx, _ = summary_paths(settings, code, str(week))
        given = (settings.feedback / code / TEMPLATES).is_dir()
        mail = reminder_mail(to, code, week, missing, xlsx if xlsx.exists() else None, given)
        names = [m.file_name for m in missing]
        if send_once(settings, {f"reminder:{code}:{week}": digest(*names)}, mail):
            reminded[code] = names
    return reminded
