"""Exceptions raised when a weekly package must not be published."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class GateFailed(RuntimeError):
    """The gate blocked publishing; ``report_dir`` holds gate_report.json/.md and Data Docs."""

    def __init__(
        self,
        week: str,
        failed_checks: list[str],
        report_dir: Path,
        gate: dict[str, Any] | None = None,
    ) -> None:
        self.week = week
        self.failed_checks = failed_checks
        self.report_dir = report_dir
        self.gate = gate or {}
        super().__init__(
            f"quality gate blocked publishing of {week}: {', '.join(failed_checks)} "
            f"(report: {report_dir / 'gate_report.md'})"
        )


class PersonalDataError(ValueError):
    """A table about to be published carries a column that looks like names or official ids."""
