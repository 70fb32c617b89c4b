"""Computed checks that GX cannot express on one frame: national = Σ provinces, cross-table sums."""

from __future__ import annotations

import pandas as pd

from core import vietnamese
from core.metrics import ADDITIVE_METRICS, STOCK_METRICS
from quality.results import ERROR, WARNING, CheckResult


def _num(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _computed(
    name: str, severity: str, description_vi: str, failing: list[dict], error: str | None = None
) -> CheckResult:
    """A computed check's result on the table its name starts with: it passes when no row fails
    and nothing stopped it."""
    return CheckResult(
        name=name,
        table=name.split(".", 1)[0],
        kind="computed",
        severity=severity,
        success=not failing and error is None,
        description_vi=description_vi,
        failing_count=len(failing),
        failing_rows=failing,
        error=error,
    )


def national_equals_provinces(national: pd.DataFrame, provinces: pd.DataFrame) -> CheckResult:
    """Each national metric equals the sum of the 34 province rows; on_time counts provinces."""
    name = "national_weekly.equals_sum_of_provinces"
    about = "Số liệu toàn quốc phải bằng tổng của các tỉnh"
    if len(national) != 1:
        return _computed(
            name, ERROR, about, [], error=f"national_weekly has {len(national)} rows, expected 1"
        )
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
    return _computed(name, ERROR, about, failing)


def fields_sum_to_province(by_field: pd.DataFrame, provinces: pd.DataFrame) -> CheckResult:
    """Per province, the field rows of vacancies_by_field add up to the province_weekly row."""
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
    return _computed(
        "vacancies_by_field.sums_match_province_weekly",
        ERROR,
        "Tổng theo lĩnh vực phải bằng số liệu của tỉnh",
        failing,
    )


def commune_coverage_fell(current: pd.DataFrame, previous: pd.DataFrame | None) -> CheckResult:
    """A warning (never a block) for each province whose staffing file covers fewer communes than
    its file of the previous week (SPEC §3b); the communes that went missing are named in the
    province's data-quality findings (mart data_quality_findings)."""
    name = "province_weekly.commune_coverage_not_fallen"
    about = "Số xã trong tệp biên chế không giảm so với tuần trước"
    if previous is None or previous.empty or "communes_reported" not in current.columns:
        return _computed(name, WARNING, about, [])
    before = previous.set_index("province_code")["communes_reported"]
    failing = []
    for row in current.itertuples():
        was = before.get(row.province_code)
        if pd.isna(row.communes_reported) or was is None or pd.isna(was):
            continue
        if int(row.communes_reported) < int(was):
            failing.append(
                {
                    "province_code": row.province_code,
                    "week": row.week,
                    "communes_reported": int(row.communes_reported),
                    "previous_communes_reported": int(was),
                    "communes_total": int(row.communes_total),
                }
            )
    return _computed(name, WARNING, about, failing)


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


def _names(frame: pd.DataFrame, codes: list[str]) -> str:
    """Province names in Vietnamese alphabetical order."""
    names = dict(zip(frame["province_code"], frame["province_name"], strict=True))
    return ", ".join(sorted((names.get(code) or code for code in codes), key=vietnamese.sort_key))


def _explain(row: dict, dropped: list[str], added: list[str], current, previous) -> str:
    """The move in Vietnamese, split into the part due to coverage and the like-for-like part."""
    kind = vietnamese.KIND_LABELS[vietnamese.METRIC_KIND[row["metric"]]]
    change = vietnamese.percent(row["change_share_signed"], signed=True)
    text = (
        f"{row['metric_label_vi']}: {vietnamese.number(row['previous'])} → "
        f"{vietnamese.number(row['current'])} ({change})."
    )
    parts = []
    if dropped or added:
        reasons = []
        if dropped:
            reasons.append(
                f"{len(dropped)} tỉnh có báo cáo {kind} tuần trước nhưng không có tuần này "
                f"({_names(current, dropped)})"
            )
        if added:
            reasons.append(
                f"{len(added)} tỉnh có báo cáo {kind} tuần này nhưng không có tuần trước "
                f"({_names(current, added)})"
            )
        parts.append(
            f"{vietnamese.number(row['coverage_points'] * 100, 1, signed=True)} điểm % do số tỉnh "
            f"báo cáo thay đổi: " + "; ".join(reasons)
        )
    parts.append(
        f"{vietnamese.number(row['like_for_like_points'] * 100, 1, signed=True)} điểm % là thay "
        f"đổi ở {row['provinces_in_both_weeks']} tỉnh có báo cáo cả hai tuần"
    )
    return text + " Trong đó " + "; ".join(parts) + "."


def national_week_over_week_frame(
    current: pd.DataFrame, previous: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per national stock figure: this week vs the previous, and how much of the move is
    coverage (provinces that reported the kind in one week only) vs like-for-like change (the
    provinces that reported it in both weeks).

    ``change_share`` = |now − before| / before (1.0 when moving away from 0; null when either week
    has no figure, never flagged); ``coverage_points`` + ``like_for_like_points`` =
    ``change_share_signed``. Input: the two weeks' province_weekly rows.
    """
    columns = [
        "metric",
        "metric_label_vi",
        "week",
        "previous_week",
        "previous",
        "current",
        "change_share",
        "change_share_signed",
        "coverage_points",
        "like_for_like_points",
        "provinces_in_both_weeks",
        "provinces_dropped",
        "provinces_added",
        "explanation_vi",
    ]
    week = str(current["week"].iloc[0]) if len(current) else None
    rows = []
    if previous is not None and not previous.empty and len(current):
        before = previous.set_index("province_code")
        now = current.set_index("province_code")
        for metric in STOCK_METRICS:
            had = set(before.index[before[metric].notna()])
            has = set(now.index[now[metric].notna()])
            if not had or not has:
                continue
            both = sorted(had & has)
            old_total = float(before.loc[sorted(had), metric].sum())
            new_total = float(now.loc[sorted(has), metric].sum())
            like = float(now.loc[both, metric].sum() - before.loc[both, metric].sum())
            if old_total == 0:
                signed = 0.0 if new_total == 0 else 1.0
                like_points = coverage_points = None
            else:
                signed = (new_total - old_total) / old_total
                like_points = like / old_total
                coverage_points = signed - like_points
            row = {
                "metric": metric,
                "metric_label_vi": vietnamese.METRIC_LABELS[metric],
                "week": week,
                "previous_week": str(previous["week"].iloc[0]),
                "previous": old_total,
                "current": new_total,
                "change_share": abs(signed),
                "change_share_signed": signed,
                "coverage_points": coverage_points,
                "like_for_like_points": like_points,
                "provinces_in_both_weeks": len(both),
                "provinces_dropped": len(had - has),
                "provinces_added": len(has - had),
            }
            row["explanation_vi"] = (
                _explain(row, sorted(had - has), sorted(has - had), current, previous)
                if coverage_points is not None
                else f"{row['metric_label_vi']}: 0 → {vietnamese.number(new_total)}."
            )
            rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("previous", "current"):
        frame[column] = frame[column].astype("Float64")
    for column in (
        "change_share",
        "change_share_signed",
        "coverage_points",
        "like_for_like_points",
    ):
        frame[column] = frame[column].astype("Float64")
    for column in ("provinces_in_both_weeks", "provinces_dropped", "provinces_added"):
        frame[column] = frame[column].astype("Int64")
    return frame
