"""A week's status per province and why it is short, read from the warehouse marts
``province_week_status``, ``province_week_findings``, ``submission_status``, ``file_registry``
and ``data_quality_findings`` (the values to check again, counted): the same SQL on DuckDB and
PostgreSQL, through :mod:`warehouse.read`; this module only selects and lays out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.settings import Settings
from core.vietnamese import nil_return
from core.weeks import VN_TZ, IsoWeek

STATUS_SQL = """
select
    s.week, s.province_code, s.province_name, s.status, s.status_label_vi, s.kinds_received,
    s.kinds_missing, s.kinds_late, s.is_on_time, s.files_received, s.files_accepted,
    s.files_rejected, s.files_misnamed, s.rows_accepted, s.rows_rejected, s.findings,
    s.ingest_status, s.ingest_finished_at, s.ingest_error,
    coalesce(q.values_to_check, 0) as values_to_check
from main.province_week_status as s
left join (
    select province_code, count(*) as values_to_check
    from main.data_quality_findings
    where week = :week
    group by province_code
) as q on s.province_code = q.province_code
where s.week = :week and (:province = '' or s.province_code = :province)
"""

FINDINGS_SQL = """
select
    province_code, finding_order, finding, kind, kind_label_vi, kind_order, file_name,
    reason_code, reason_label_vi, files, rows_rejected, occurred_at, deadline_at,
    suggested_name, detail_vi
from main.province_week_findings
where week = :week and (:province = '' or province_code = :province)
"""

KINDS_SQL = """
select
    s.province_code, s.kind, s.kind_label_vi, s.kind_order, s.status, s.status_label_vi,
    s.file_name, s.version, s.first_received_at, s.deadline_at, s.accepted_files,
    s.rejected_files, s.rows_accepted, s.rows_rejected, s.is_nil_return, f.sheet_name,
    f.rows_skipped
from main.submission_status as s
left join main.file_registry as f on s.file_id = f.file_id
where s.week = :week and s.province_code = :province
"""


class WeekNotBuilt(LookupError):
    """The warehouse holds nothing for the week (or no warehouse was built yet)."""


@dataclass
class ProvinceStatus:
    """One province's week: the status row, its findings, and (for one province) its kinds."""

    row: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    kinds: list[dict[str, Any]] = field(default_factory=list)


def _finding_key(finding: dict[str, Any]) -> tuple:
    # Python string order (code points) on both warehouses, whatever their collation.
    return (
        finding["finding_order"],
        finding["kind_order"] or 0,
        finding["file_name"] or "",
        finding["reason_code"] or "",
    )


def week_status(
    settings: Settings, week: IsoWeek, province: str | None = None
) -> list[ProvinceStatus]:
    """Per province (or the one ``province``): status, findings and, for one province, kinds.
    Raises :class:`WeekNotBuilt` when the warehouse has no row for the week."""
    from warehouse.read import connect, fetch_rows

    params = {"week": str(week), "province": province or ""}
    try:
        with connect(settings) as con:
            rows = fetch_rows(con, STATUS_SQL, params)
            findings = fetch_rows(con, FINDINGS_SQL, params)
            kinds = fetch_rows(con, KINDS_SQL, params) if province else []
    except FileNotFoundError as error:
        raise WeekNotBuilt(str(error)) from error
    if not rows:
        raise WeekNotBuilt(
            f"{week} is not built yet" + (f" for province {province}" if province else "")
        )
    by_province = {row["province_code"]: ProvinceStatus(row) for row in rows}
    for finding in sorted(findings, key=_finding_key):
        by_province[finding["province_code"]].findings.append(finding)
    for kind in sorted(kinds, key=lambda k: k["kind_order"]):
        by_province[kind["province_code"]].kinds.append(kind)
    return [by_province[code] for code in sorted(by_province)]


def when(moment: datetime | None) -> str:
    """Vietnam time, minutes; '-' for none."""
    return "-" if moment is None else moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def finding_text(finding: dict[str, Any], full: bool = False) -> str:
    """One line saying what is wrong and why, with the reason code to grep for; ``full`` adds
    the Vietnamese explanation (and does not cut an ingest error)."""
    kind = finding["kind"] or ""
    reason = finding["reason_code"]
    label = finding["reason_label_vi"] or reason
    match finding["finding"]:
        case "ingest_failed":
            text = f"ingest_failed: {finding['detail_vi']}"
            return text if full else text[:160]
        case "kind_missing":
            rejected = f" ({finding['files']} file(s) rejected)" if finding["files"] else ""
            return f"missing: {kind}{rejected}"
        case "kind_late":
            return (
                f"late: {kind} {finding['file_name']} received {when(finding['occurred_at'])}, "
                f"deadline {when(finding['deadline_at'])}"
            )
        case "file_rejected":
            text = f"rejected: {finding['file_name']} {reason} ({label})"
            return text + (f": {finding['detail_vi']}" if full else "")
        case "invalid_file_name":
            rename = finding["suggested_name"]
            return f"invalid_file_name: {finding['file_name']}" + (
                f" → rename to {rename}" if rename else " (kind or week unreadable)"
            )
        case _:
            text = f"rows rejected: {reason} ×{finding['rows_rejected']} ({kind})"
            return text + (f": {label}, {finding['detail_vi']}" if full else "")


def kind_status(kind: dict[str, Any]) -> str:
    """A kind's status as the table shows it; a nil return says the province had nothing."""
    text = f"{kind['status']} ({kind['status_label_vi']})"
    return text + (f": {nil_return(kind['kind'])}" if kind["is_nil_return"] else "")


def file_in_effect(kind: dict[str, Any]) -> str:
    """The file in effect, the sheet read from it and the structural rows it skipped."""
    if not kind["file_name"]:
        return "-"
    lines = [f"{kind['file_name']} (v{kind['version']})"]
    if kind["sheet_name"] is not None:
        lines.append(f"sheet «{kind['sheet_name']}»")
    if kind["rows_skipped"]:
        lines.append(f"{kind['rows_skipped']} group/subtotal rows skipped")
    return "\n".join(lines)


def why_lines(findings: list[dict[str, Any]]) -> list[str]:
    """The findings as short lines, kinds missing without any file sent on one line."""
    unsent = [f["kind"] for f in findings if f["finding"] == "kind_missing" and not f["files"]]
    lines = [f"missing: {', '.join(unsent)}"] if unsent else []
    for finding in findings:
        if finding["finding"] == "kind_missing" and not finding["files"]:
            continue
        lines.append(finding_text(finding))
    return lines


def to_json(statuses: list[ProvinceStatus]) -> list[dict[str, Any]]:
    """The same content as the tables, JSON-safe (timestamps ISO 8601 UTC): each province's
    status row, ``why`` (its findings, each with the line the table shows) and, for one
    province, ``kinds``."""

    def plain(record: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
            for key, value in record.items()
        }

    out = []
    for status in statuses:
        item = plain(status.row)
        item["why"] = [{**plain(f), "text": finding_text(f, full=True)} for f in status.findings]
        if status.kinds:
            item["kinds"] = [plain(k) for k in status.kinds]
        out.append(item)
    return out
