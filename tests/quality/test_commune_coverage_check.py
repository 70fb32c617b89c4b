"""The commune coverage check warns (never blocks) when a province's staffing file covers fewer
communes than its file of the week before."""

from __future__ import annotations

import pandas as pd

from quality.checks import commune_coverage_fell
from quality.results import WARNING


def _week(week: str, reported: dict[str, int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": week,
            "province_code": list(reported),
            "communes_reported": pd.array(list(reported.values()), dtype="Int64"),
            "communes_total": 100,
        }
    )


def test_a_fall_warns_with_both_weeks_and_nothing_else_does() -> None:
    previous = _week("2025-W35", {"01": 100, "04": 100, "08": None, "11": 90})
    current = _week("2025-W36", {"01": 92, "04": None, "08": 70, "11": 95})
    check = commune_coverage_fell(current, previous)
    assert check.severity == WARNING and not check.success
    assert check.failing_rows == [
        {
            "province_code": "01",
            "week": "2025-W36",
            "communes_reported": 92,
            "previous_communes_reported": 100,
            "communes_total": 100,
        }
    ]


def test_no_previous_week_is_no_warning() -> None:
    assert commune_coverage_fell(_week("2025-W36", {"01": 50}), None).success
