"""SPEC §3 metrics from the simulator's own accepted rows: what the warehouse must match."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from core.weeks import IsoWeek

STAFFING_METRICS = ("approved_posts", "filled_posts", "vacancies", "surplus", "communes_short")
SECONDMENT_METRICS = (
    "active_secondments",
    "active_secondments_bo",
    "active_secondments_tinh",
    "secondments_started",
)
OBSTACLE_METRICS = (
    "obstacles_raised",
    "obstacles_resolved",
    "obstacles_open",
    "obstacles_escalated",
    "median_days_to_resolve",
)
METRICS = (*STAFFING_METRICS, *SECONDMENT_METRICS, *OBSTACLE_METRICS, "files_received", "on_time")
PROVINCE_WEEKLY = ("week", "province_code", "province_name", *METRICS)
NATIONAL_WEEKLY = ("week", *METRICS)
VACANCIES_BY_FIELD = (
    "week",
    "province_code",
    "field_code",
    "approved_posts",
    "filled_posts",
    "vacancies",
    "surplus",
)


def median(values: list[float]) -> float | None:
    """Middle value; the mean of the two middle ones for an even count; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def staffing_metrics(rows: list[dict]) -> dict:
    """Sums over commune × field rows; vacancies and surplus taken per row before summing."""
    short = set()
    out = dict.fromkeys(("approved_posts", "filled_posts", "vacancies", "surplus"), 0)
    for row in rows:
        approved, filled = row["approved_posts"], row["filled_posts"]
        out["approved_posts"] += approved
        out["filled_posts"] += filled
        out["vacancies"] += max(approved - filled, 0)
        out["surplus"] += max(filled - approved, 0)
        if approved > filled:
            short.add(row["commune_code"])
    out["communes_short"] = len(short)
    return out


def vacancies_by_field(rows: list[dict]) -> dict[str, dict]:
    """Per field: approved, filled, vacancies, surplus (per commune × field before summing)."""
    out: dict[str, dict] = {}
    for row in rows:
        field = out.setdefault(
            row["field_code"],
            {"approved_posts": 0, "filled_posts": 0, "vacancies": 0, "surplus": 0},
        )
        approved, filled = row["approved_posts"], row["filled_posts"]
        field["approved_posts"] += approved
        field["filled_posts"] += filled
        field["vacancies"] += max(approved - filled, 0)
        field["surplus"] += max(filled - approved, 0)
    return out


def secondment_metrics(rows: list[dict], week: IsoWeek) -> dict:
    active = defaultdict(int)
    started = 0
    for row in rows:
        if row["status"] == "huy":
            continue
        start, end = row["start_date"], row["end_date"]
        if start <= week.sunday and (end is None or end >= week.monday):
            active[row["origin_level"]] += 1
        if week.contains(start):
            started += 1
    return {
        "active_secondments": sum(active.values()),
        "active_secondments_bo": active["bo"],
        "active_secondments_tinh": active["tinh"],
        "secondments_started": started,
    }


def resolve_days(rows: list[dict], week: IsoWeek) -> list[int]:
    """Days from raised to resolved, for obstacles resolved in the week."""
    return [
        (row["resolved_date"] - row["raised_date"]).days
        for row in rows
        if row["status"] == "da_thao_go"
        and row["resolved_date"]
        and week.contains(row["resolved_date"])
    ]


def obstacle_metrics(rows: list[dict], week: IsoWeek) -> dict:
    sunday = week.sunday
    days = resolve_days(rows, week)
    return {
        "obstacles_raised": sum(1 for r in rows if week.contains(r["raised_date"])),
        "obstacles_resolved": len(days),
        "obstacles_open": sum(
            1
            for r in rows
            if r["raised_date"] <= sunday
            and not (
                r["status"] == "da_thao_go" and r["resolved_date"] and r["resolved_date"] <= sunday
            )
        ),
        "obstacles_escalated": sum(1 for r in rows if r["status"] == "kien_nghi"),
        "median_days_to_resolve": median(days),
    }


def province_row(
    week: IsoWeek,
    code: str,
    name: str,
    accepted: dict[str, list[dict] | None],
    received: dict[str, list[datetime]],
) -> dict:
    """One ``province_weekly`` row from the accepted rows of each kind (None = no accepted file).

    ``received`` lists, per kind, the received times of every accepted file of the week.
    """
    row: dict = {"week": str(week), "province_code": code, "province_name": name}
    row.update(dict.fromkeys(METRICS))
    if accepted.get("staffing") is not None:
        row.update(staffing_metrics(accepted["staffing"]))
    if accepted.get("secondments") is not None:
        row.update(secondment_metrics(accepted["secondments"], week))
    if accepted.get("obstacles") is not None:
        row.update(obstacle_metrics(accepted["obstacles"], week))
    kinds = ("staffing", "secondments", "obstacles")
    row["files_received"] = sum(1 for k in kinds if accepted.get(k) is not None)
    row["on_time"] = all(any(t <= week.deadline for t in received.get(k, ())) for k in kinds)
    return row


def national_row(week: IsoWeek, provinces: list[dict], resolved_days: list[int]) -> dict:
    """Sums of province rows (null when no province has the metric); median over all obstacles."""
    row: dict = {"week": str(week)}
    for metric in METRICS:
        values = [p[metric] for p in provinces if p[metric] is not None]
        if metric == "median_days_to_resolve":
            row[metric] = median(resolved_days)
        elif metric == "on_time":
            row[metric] = sum(1 for v in values if v)
        else:
            row[metric] = sum(values) if values else None
    return row


def cell(value: object) -> str:
    """CSV text of a truth value: empty for null, ``true``/``false`` for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
