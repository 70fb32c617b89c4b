"""What ingestion tells the rest of the platform, declared once: the verdict on a file, what a
province task did with each file it found, the province task's outcome and the run's summary.

They cross Airflow's XCom as JSON: ``to_json`` in the task that returns one, ``from_json`` in
the task that reads it (:mod:`core.records`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.records import JsonRecord
from core.reference import provinces

log = logging.getLogger(__name__)


class FileStatus(StrEnum):
    """The verdict on a landed file: the registry row's ``status``."""

    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"


class FileHandling(StrEnum):
    """What a province task did with a file it found in the province's drop."""

    LANDED = "landed"  # landed, staged and answered (its status says how)
    SKIPPED = "skipped"  # these bytes under this name were staged by an earlier run
    FILTERED = "filtered"  # named for another week than the one the run asked for
    ERROR = "error"  # could not be read from the source or stored: the next run retries it


class TaskStatus(StrEnum):
    """How a province task ended: the ``ingest_outcomes`` row's ``status``."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome(JsonRecord):
    """One file a province task found: what it did with it and, when it landed, the verdict."""

    file_name: str
    handling: FileHandling
    file_id: str | None = None  # landed or skipped
    file_sha256: str | None = None  # landed or skipped
    kind: str | None = None  # the rest: landed only
    week: str | None = None
    version: int | None = None
    status: FileStatus | None = None
    file_reason_code: str | None = None
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    warnings: str | None = None  # the registry's ";"-separated warning codes
    error: str | None = None  # handling ERROR: why

    @property
    def rejected_whole(self) -> bool:
        return self.status == FileStatus.REJECTED

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileOutcome:
        status = data.get("status")
        return cls(
            **{
                **data,
                "handling": FileHandling(data["handling"]),
                "status": FileStatus(status) if status else None,
            }
        )


class WarningCode(StrEnum):
    """Something a province task could not do that does not fail it."""

    FEEDBACK_NOT_DELIVERED = "feedback_not_delivered"  # its drop's phan_hoi/ not writable


@dataclass(frozen=True)
class ProvinceWarning:
    """A warning of one province task: what (``code``) and the one-line detail."""

    code: WarningCode
    message: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProvinceWarning:
        return cls(WarningCode(data["code"]), data["message"])


@dataclass(frozen=True)
class ProvinceOutcome(JsonRecord):
    """One province task's run: every file it found, in the order it found them, how the task
    ended, and the counts the ``ingest_outcomes`` row stages (computed from the files)."""

    province_code: str
    province_name: str
    run_id: str
    source_url: str  # without credentials
    week_filter: str | None  # only files named for this ISO week (or range A:B) were processed
    started_at: datetime
    finished_at: datetime
    status: TaskStatus
    error: str | None
    files: tuple[FileOutcome, ...]
    warnings: tuple[ProvinceWarning, ...] = ()
    files_seen: int = field(init=False)
    files_landed: int = field(init=False)
    files_skipped: int = field(init=False)  # staged by an earlier run
    files_filtered: int = field(init=False)  # named for another week
    files_failed: int = field(init=False)  # handling ERROR
    files_rejected: int = field(init=False)  # landed and rejected whole
    rows_accepted: int = field(init=False)
    rows_rejected: int = field(init=False)

    def __post_init__(self) -> None:
        handled = Counter(f.handling for f in self.files)
        counts = {
            "files_seen": len(self.files),
            "files_landed": handled[FileHandling.LANDED],
            "files_skipped": handled[FileHandling.SKIPPED],
            "files_filtered": handled[FileHandling.FILTERED],
            "files_failed": handled[FileHandling.ERROR],
            "files_rejected": len(self.rejected_files),
            "rows_accepted": sum(f.rows_accepted for f in self.files),
            "rows_rejected": sum(f.rows_rejected for f in self.files),
        }
        for name, value in counts.items():
            object.__setattr__(self, name, value)  # frozen: set once, here

    @property
    def rejected_files(self) -> tuple[FileOutcome, ...]:
        """The files that landed and were rejected whole."""
        return tuple(f for f in self.files if f.rejected_whole)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProvinceOutcome:
        values = {f.name: data[f.name] for f in fields(cls) if f.init and f.name in data}
        return cls(
            **{
                **values,
                "started_at": datetime.fromisoformat(data["started_at"]),
                "finished_at": datetime.fromisoformat(data["finished_at"]),
                "status": TaskStatus(data["status"]),
                "files": tuple(FileOutcome.from_json(f) for f in data["files"]),
                "warnings": tuple(ProvinceWarning.from_json(w) for w in data.get("warnings", ())),
            }
        )


@dataclass(frozen=True)
class RunSummary(JsonRecord):
    """One ingest run across provinces: which province tasks failed, and whether that fails it."""

    succeeded: tuple[str, ...]
    failed: tuple[str, ...]
    max_failed: int
    files_landed: int
    rows_accepted: int
    rows_rejected: int

    @property
    def too_many_failed(self) -> bool:
        return len(self.failed) > self.max_failed

    def failure_message(self) -> str:
        names = ", ".join(f"{code} {provinces()[code].name}" for code in self.failed)
        return (
            f"{len(self.failed)} provinces failed to ingest (allowed: {self.max_failed}): {names}"
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunSummary:
        return cls(
            **{**data, "succeeded": tuple(data["succeeded"]), "failed": tuple(data["failed"])}
        )


def summarise_run(
    expected: list[str], outcomes: list[ProvinceOutcome | None], max_failed: int
) -> RunSummary:
    """Provinces with no outcome are the ones whose mapped task failed."""
    done = [o for o in outcomes if o is not None]
    succeeded = tuple(sorted(o.province_code for o in done))
    failed = tuple(sorted(set(expected) - set(succeeded)))
    summary = RunSummary(
        succeeded=succeeded,
        failed=failed,
        max_failed=max_failed,
        files_landed=sum(o.files_landed for o in done),
        rows_accepted=sum(o.rows_accepted for o in done),
        rows_rejected=sum(o.rows_rejected for o in done),
    )
    if failed:
        log.warning(summary.failure_message())
    return summary
