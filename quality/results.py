"""The gate's result values: one record per check, JSON-safe, shared by GX and computed checks."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

MAX_FAILING_ROWS = 200

ERROR = "error"  # blocks publishing
WARNING = "warning"  # shown in manifest and report, never blocks


def json_safe(value: Any) -> Any:
    """Plain JSON types for numpy/pandas scalars, NaN/NA as None, containers recursively."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        items = [json_safe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set) else items
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, int | float):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, int):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class CheckResult:
    """Outcome of one check on one table; ``failing_rows`` name the rows by their keys."""

    name: str  # "<table>.<check>", stable across runs
    table: str
    kind: str  # GX expectation type, or "computed"
    severity: str  # ERROR or WARNING
    success: bool
    description_vi: str = ""
    failing_count: int = 0
    failing_rows: list[dict[str, Any]] = field(default_factory=list)
    observed: Any = None
    error: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR and not self.success

    def reported_rows(self) -> Any:
        """The failing rows a report names (the first ``MAX_FAILING_ROWS``), JSON-safe."""
        return json_safe(self.failing_rows[:MAX_FAILING_ROWS])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failing_rows"] = self.reported_rows()
        data["observed"] = json_safe(self.observed)
        return data


@dataclass
class GateResult:
    """All checks of one gate run; ``success`` is False when any error-severity check failed."""

    week: str
    checks: list[CheckResult]
    data_docs_index: Path | None = None
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.blocking]

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if c.severity == WARNING and not c.success]

    @property
    def passed(self) -> int:
        return sum(c.success for c in self.checks)

    def check(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def summary(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "checks": len(self.checks),
            "passed": self.passed,
            "failed": [c.name for c in self.failures],
            "warnings": [c.name for c in self.warnings],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            **self.summary(),
            "seconds": round(self.seconds, 2),
            "data_docs_index": str(self.data_docs_index) if self.data_docs_index else None,
            "results": [c.to_dict() for c in self.checks],
        }
