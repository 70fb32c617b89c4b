"""The national week-over-week frame: a move split into coverage and like-for-like points."""

from __future__ import annotations

import pandas as pd

from core.metrics import STOCK_METRICS
from quality.checks import national_week_over_week_frame


def _week(week: str, approved: dict[str, int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": week,
            "province_code": list(approved),
            "province_name": [f"Tỉnh {c}" for c in approved],
            "approved_posts": pd.array(list(approved.values()), dtype="Int64"),
            **{
                m: pd.array([1] * len(approved), dtype="Int64")
                for m in STOCK_METRICS
                if m != "approved_posts"
            },
        }
    )


def test_a_fall_from_a_missing_province_is_coverage_not_change() -> None:
    before = _week("2025-W35", {"01": 100, "02": 100, "04": 200})
    now = _week("2025-W36", {"01": 102, "02": 100, "04": None})  # 04 sent no staffing file
    frame = national_week_over_week_frame(now, before).set_index("metric")
    row = frame.loc["approved_posts"]
    assert (row["previous"], row["current"]) == (400, 202)
    assert abs(row["change_share_signed"] - (-0.495)) < 1e-9
    assert abs(row["coverage_points"] - (-0.5)) < 1e-9  # 04's 200 of 400
    assert abs(row["like_for_like_points"] - 0.005) < 1e-9  # 01: +2 of 400
    assert row["provinces_dropped"] == 1 and row["provinces_in_both_weeks"] == 2
    assert "Tỉnh 04" in row["explanation_vi"] and "−50,0 điểm %" in row["explanation_vi"]
    assert frame.loc["vacancies", "change_share"] == 0  # 1 + 1 + 1 → 1 + 1 + 1


def test_first_week_and_empty_weeks_are_not_compared() -> None:
    now = _week("2025-W36", {"01": 102})
    assert national_week_over_week_frame(now, None).empty
    nothing = _week("2025-W35", {"01": None})
    frame = national_week_over_week_frame(now, nothing)
    assert "approved_posts" not in set(frame["metric"])
