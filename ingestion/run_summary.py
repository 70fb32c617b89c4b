"""Run-level view of one ingest: which provinces failed, and whether that fails the run."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.reference import provinces

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSummary:
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

    def as_dict(self) -> dict:
        return {
            "succeeded": list(self.succeeded),
            "failed": list(self.failed),
            "files_landed": self.files_landed,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
        }


def summarise_run(expected: list[str], outcomes: list[dict | None], max_failed: int) -> RunSummary:
    """Provinces with no outcome are the ones whose mapped task failed."""
    done = [o for o in outcomes if o]
    succeeded = tuple(sorted(o["province_code"] for o in done))
    failed = tuple(sorted(set(expected) - set(succeeded)))
    summary = RunSummary(
        succeeded=succeeded,
        failed=failed,
        max_failed=max_failed,
        files_landed=sum(o.get("files_landed", 0) for o in done),
        rows_accepted=sum(o.get("rows_accepted", 0) for o in done),
        rows_rejected=sum(o.get("rows_rejected", 0) for o in done),
    )
    if failed:
        log.warning(summary.failure_message())
    return summary
