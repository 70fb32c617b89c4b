"""What ingestion tells the rest of the platform, declared once: the verdict on a file, what a
province task did with each file it found, the province task's outcome and the run's summary.

They cross Airflow's XCom as JSON: ``to_json`` in the task that returns one, ``from_json`` in
the task that reads it (:mod:`core.records`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.records import as_json
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
class FileOutcome:
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

    def to_json(self) -> dict[str, Any]:
        return as_json(self)

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


# The outcome row's counts (``core.raw_schema.INGEST_OUTCOMES``), each a property below.
COUNTS = (
    "files_seen",
    "files_landed",
    "files_skipped",
    "files_filtered",
    "files_failed",
    "files_rejected",
    "rows_accepted",
    "rows_rejected",
)


@dataclass(frozen=True)
class ProvinceOutcome:
    """One province task's run: every file it found, in the order it found them, and how the
    task ended; staged as one ``ingest_outcomes`` row (its counts, not its files)."""

    province_code: str
    province_name: str
    run_id: str
    source_url: str  # without credentials
    week_filter: str | None  # only files named for this ISO week were processed
    started_at: datetime
    finished_at: datetime
    status: TaskStatus
    error: str | None
    files: tuple[FileOutcome, ...]

    @property
    def landed(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.handling == FileHandling.LANDED)

    @property
    def rejected_files(self) -> tuple[FileOutcome, ...]:
        """The files that landed and were rejected whole."""
        return tuple(f for f in self.landed if f.rejected_whole)

    def _handled(self, handling: FileHandling) -> int:
        return sum(1 for f in self.files if f.handling == handling)

    @property
    def files_seen(self) -> int:
        return len(self.files)

    @property
    def files_landed(self) -> int:
        return self._handled(FileHandling.LANDED)

    @property
    def files_skipped(self) -> int:
        return self._handled(FileHandling.SKIPPED)

    @property
    def files_filtered(self) -> int:
        return self._handled(FileHandling.FILTERED)

    @property
    def files_failed(self) -> int:
        return self._handled(FileHandling.ERROR)

    @property
    def files_rejected(self) -> int:
        return len(self.rejected_files)

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.landed)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.landed)

    def counts(self) -> dict[str, int]:
        """The ``files_*`` and ``rows_*`` columns of the outcome row."""
        return {name: getattr(self, name) for name in COUNTS}

    def to_json(self) -> dict[str, Any]:
        """JSON-safe, with the counts (what the XCom shows in Airflow's UI)."""
        return {**as_json(self), **self.counts()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProvinceOutcome:
        values = {field.name: data[field.name] for field in fields(cls)}
        return cls(
            **{
                **values,
                "started_at": datetime.fromisoformat(data["started_at"]),
                "finished_at": datetime.fromisoformat(data["finished_at"]),
                "status": TaskStatus(data["status"]),
                "files": tuple(FileOutcome.from_json(f) for f in data["files"]),
            }
        )


@dataclass(frozen=True)
class RunSummary:
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

    def to_json(self) -> dict[str, Any]:
        return as_json(self)

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
