"""What an ingest run shows in Airflow's grid beyond success and failure: each province task
labelled with its rejected files (and undelivered answers), and a run-level message naming
every file rejected whole."""

from __future__ import annotations

from collections.abc import Sequence

from ingestion.outcomes import ProvinceOutcome, WarningCode


def province_label(name: str, outcome: ProvinceOutcome) -> str:
    """The province task's label in the grid: its name, plus how many files it rejected and
    whether its answers could not be delivered into its drop."""
    count = len(outcome.rejected_files)
    notes = [f"{count} rejected"] if count else []
    if any(w.code == WarningCode.FEEDBACK_NOT_DELIVERED for w in outcome.warnings):
        notes.append("feedback not delivered")
    return f"{name} ({', '.join(notes)})" if notes else name


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
