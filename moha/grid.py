"""What an ingest run shows in Airflow's grid beyond success and failure: each province task
labelled with its rejected files, and a run-level message naming every file rejected whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

REJECTED = "rejected"


def rejected_files(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    """The files of one province task's outcome that landed and were rejected whole."""
    return [f for f in outcome.get("files", []) if f.get("file_status") == REJECTED]


def province_label(name: str, outcome: dict[str, Any]) -> str:
    """The province task's label in the grid: its name, plus how many files it rejected."""
    count = len(rejected_files(outcome))
    return f"{name} ({count} rejected)" if count else name


def rejected_files_message(outcomes: Sequence[dict[str, Any] | None]) -> str | None:
    """None when no file was rejected whole; else one line naming each, with its reason code."""
    lines = [
        f"{o['province_code']} {o['province_name']}: {f['file_name']} ({f['file_reason_code']})"
        for o in outcomes
        if o
        for f in rejected_files(o)
    ]
    if not lines:
        return None
    rows = sum(o.get("rows_rejected", 0) for o in outcomes if o)
    return (
        f"{len(lines)} file(s) rejected whole (the run still succeeded; the provinces have "
        f"their feedback; `moha status --week` says why); {rows} row(s) rejected in all: "
        + "; ".join(lines)
    )
