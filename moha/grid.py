"""What an ingest run shows in Airflow's grid beyond success and failure: each province task
labelled with its code, name and what it rejected (files and rows) or could not deliver, and a
run-level message naming every file rejected whole."""

from __future__ import annotations

from collections.abc import Sequence

from core.reference import Province
from ingestion.outcomes import ProvinceOutcome, WarningCode


def province_label(province: Province, outcome: ProvinceOutcome | None = None) -> str:
    """The province task's label in the grid: its code and short name, plus what it rejected,
    files whole and rows ("79 Hồ Chí Minh · 2 tệp, 6 dòng bị từ chối"), and whether its answers
    could not be delivered into its drop."""
    label = f"{province.code} {province.short_name}"
    if outcome is None:
        return label
    parts = []
    if files := len(outcome.rejected_files):
        parts.append(f"{files} tệp")
    if rows := outcome.rows_rejected:
        parts.append(f"{rows} dòng")
    if parts:
        label = f"{label} · {', '.join(parts)} bị từ chối"
    if any(w.code == WarningCode.FEEDBACK_NOT_DELIVERED for w in outcome.warnings):
        label = f"{label} · chưa gửi được phản hồi"
    return label


def rejected_files_message(outcomes: Sequence[ProvinceOutcome | None]) -> str | None:
    """None when no file was rejected whole; else one line naming each, with its reason code."""
    lines = [
        f"{o.province_code} {o.province_name}: {f.file_name} ({f.file_reason_code})"
        for o in outcomes
        if o is not None
        for f in o.rejected_files
    ]
    if not lines:
        return None
    rows = sum(o.rows_rejected for o in outcomes if o is not None)
    return (
        f"{len(lines)} file(s) rejected whole (the run still succeeded; the provinces have "
        f"their feedback; `moha status --week` says why); {rows} row(s) rejected in all: "
        + "; ".join(lines)
    )
