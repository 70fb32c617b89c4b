"""Computed checks that GX cannot express on one frame: national = Σ provinces, cross-table sums."""

from __future__ import annotations

import pandas as pd

from quality.results import ERROR, CheckResult

# Metrics whose national value is the plain sum of the province rows (SPEC §3).
ADDITIVE_METRICS = [
    "approved_posts",
    "filled_posts",
    "vacancies",
    "surplus",
    "communes_short",
    "active_secondments",
    "active_secondments_bo",
    "active_secondments_tinh",
    "secondments_started",
    "obstacles_raised",
    "obstacles_resolved",
    "obstacles_open",
    "obstacles_escalated",
    "files_received",
]


def _num(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def national_equals_provinces(national: pd.DataFrame, provinces: pd.DataFrame) -> CheckResult:
    """Each national metric equals the sum of the 34 province rows; on_time counts provinces."""
    result = CheckResult(
        name="national_weekly.equals_sum_of_provinces",
        table="national_weekly",
        kind="computed",
        severity=ERROR,
        success=True,
        description_vi="Số liệu toàn quốc phải bằng tổng của các tỉnh",
    )
    if len(national) != 1:
        result.success = False
        result.error = f"national_weekly has {len(national)} rows, expected 1"
        return result
    row = national.iloc[0]
    failing = []
    for metric in [*ADDITIVE_METRICS, "on_time"]:
        if metric not in national.columns or metric not in provinces.columns:
            failing.append(
                {
                    "metric": metric,
                    "national": None,
                    "sum_of_provinces": None,
                    "problem": "missing column",
                }
            )
            continue
        column = provinces[metric]
        if metric == "on_time":
            expected: float | None = float(column.fillna(False).astype(bool).sum())
        else:
            expected = None if column.isna().all() else float(column.sum(skipna=True))
        actual = _num(row[metric])
        if expected is None and actual is None:
            continue
        if expected is None or actual is None or abs(expected - actual) > 1e-9:
            failing.append(
                {
                    "week": row.get("week"),
                    "metric": metric,
                    "national": actual,
                    "sum_of_provinces": expected,
                }
            )
    result.success = not failing
    result.failing_rows = failing
    result.failing_count = len(failing)
    return result


def fields_sum_to_province(by_field: pd.DataFrame, provinces: pd.DataFrame) -> CheckResult:
    """Per province, the field rows of vacancies_by_field add up to the province_weekly row."""
    result = CheckResult(
        name="vacancies_by_field.sums_match_province_weekly",
        table="vacancies_by_field",
        kind="computed",
        severity=ERROR,
        success=True,
        description_vi="Tổng theo lĩnh vực phải bằng số liệu của tỉnh",
    )
    metrics = ["approved_posts", "filled_posts", "vacancies", "surplus"]
    sums = by_field.groupby("province_code")[metrics].sum() if len(by_field) else None
    failing = []
    for _, prov in provinces.iterrows():
        code = prov["province_code"]
        has_fields = sums is not None and code in sums.index
        for metric in metrics:
            value = _num(prov[metric])
            total = float(sums.loc[code, metric]) if has_fields else None
            if value is None and total is None:
                continue
            if value is None or total is None or abs(value - total) > 1e-9:
                failing.append(
                    {
                        "province_code": code,
                        "week": prov["week"],
                        "metric": metric,
                        "province_weekly": value,
                        "sum_of_fields": total,
                    }
                )
    result.success = not failing
    result.failing_rows = failing
    result.failing_count = len(failing)
    return result


def week_over_week_frame(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Approved posts of each province now and the week before, with the relative change.

    ``approved_posts_change_share`` = |now − before| / before; 1.0 when it moves away from 0;
    empty when either week has no staffing figure (nothing to compare, never flagged).
    """
    frame = current[["week", "province_code", "approved_posts"]].copy()
    if previous is None or previous.empty:
        frame["previous_week"] = pd.Series([None] * len(frame), dtype="str")
        frame["previous_approved_posts"] = pd.Series([pd.NA] * len(frame), dtype="Float64")
    else:
        prev = previous[["week", "province_code", "approved_posts"]].rename(
            columns={"week": "previous_week", "approved_posts": "previous_approved_posts"}
        )
        frame = frame.merge(prev, on="province_code", how="left")
    now = frame["approved_posts"].astype("Float64")
    before = frame["previous_approved_posts"].astype("Float64")
    share = (now - before).abs() / before
    from_zero = (before == 0).fillna(False)
    share = share.mask(from_zero & (now == 0).fillna(False), 0.0)
    share = share.mask(from_zero & (now != 0).fillna(False), 1.0)
    frame["approved_posts_change_share"] = share.astype("Float64")
    return frame.reset_index(drop=True)
