"""SPEC §3 metrics from the simulator's own accepted rows: what the warehouse must match."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from core import reference
from core.metrics import (
    COMMUNE_COVERAGE_COLUMNS,
    COVERAGE_COLUMNS,
    METRICS,
)
from core.weeks import IsoWeek


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
    staffing = accepted.get("staffing")
    row["communes_reported"] = (
        None if staffing is None else len({r["commune_code"] for r in staffing})
    )
    row["communes_total"] = len(reference.communes_of(code))
    kinds = ("staffing", "secondments", "obstacles")
    row["files_received"] = sum(1 for k in kinds if accepted.get(k) is not None)
    row["on_time"] = all(any(t <= week.deadline for t in received.get(k, ())) for k in kinds)
    return row


def national_row(week: IsoWeek, provinces: list[dict], resolved_days: list[int]) -> dict:
    """Sums of province rows (null when no province has the metric); median over all obstacles;
    then how many provinces each kind covers."""
    row: dict = {"week": str(week)}
    for metric in METRICS:
        values = [p[metric] for p in provinces if p[metric] is not None]
        if metric == "median_days_to_resolve":
            row[metric] = median(resolved_days)
        elif metric == "on_time":
            row[metric] = sum(1 for v in values if v)
        else:
            row[metric] = sum(values) if values else None
    return row | coverage(provinces)


def cell(value: object) -> str:
    """CSV text of a truth value: empty for null, ``true``/``false`` for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- the weekly package (SPEC §5): coverage, trend, ranks, submission status ------------------

# Figures of the national trend beyond national_weekly, then the ones compared week over week.
TREND_EXTRA = (
    "vacancy_rate",
    "ministry_secondments_started",
    "ministry_secondments_ended",
    "obstacles_waiting_ministry",
    "obstacles_waiting_government",
    "obstacles_listed",
    "obstacles_resolved_to_date",
    "resolution_rate",
    "provinces_late",
    "provinces_missing",
)
TREND_COMPARED = (
    "approved_posts",
    "filled_posts",
    "vacancies",
    "surplus",
    "communes_short",
    "vacancy_rate",
    "active_secondments",
    "active_secondments_bo",
    "active_secondments_tinh",
    "secondments_started",
    "obstacles_raised",
    "obstacles_resolved",
    "obstacles_open",
    "obstacles_escalated",
    "obstacles_waiting_ministry",
    "obstacles_waiting_government",
    "resolution_rate",
    "median_days_to_resolve",
    "on_time",
    *COVERAGE_COLUMNS,
)
NATIONAL_TREND = (
    "week",
    *METRICS,
    *COVERAGE_COLUMNS,
    *COMMUNE_COVERAGE_COLUMNS,
    *TREND_EXTRA,
    *(f"{prefix}_{c}" for c in TREND_COMPARED for prefix in ("prev", "change")),
)
SUBMISSION_STATUS = ("week", "province_code", "kind", "status", "version", "file_name")
PROVINCE_VACANCY_RATE = ("week", "province_code", "vacancy_rate", "vacancy_rate_rank")


def coverage(provinces: list[dict]) -> dict:
    """How many provinces each kind's national figures cover (a kind received: metrics set), and
    how many communes the staffing figures cover."""
    return {
        "provinces_reporting_staffing": sum(p["approved_posts"] is not None for p in provinces),
        "provinces_reporting_secondments": sum(
            p["active_secondments"] is not None for p in provinces
        ),
        "provinces_reporting_obstacles": sum(p["obstacles_open"] is not None for p in provinces),
        "communes_reported": sum(p["communes_reported"] or 0 for p in provinces)
        if any(p["communes_reported"] is not None for p in provinces)
        else None,
        "communes_total": sum(p["communes_total"] for p in provinces),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


def trend_extra(
    week: IsoWeek,
    national: dict,
    obstacles: list[list[dict]],
    secondments: list[list[dict]],
    statuses: list[dict],
) -> dict:
    """The national trend's figures beyond national_weekly, from the week's accepted rows
    (``obstacles`` / ``secondments``: one list per province that sent the kind)."""
    sunday = week.sunday
    listed = [r for rows in obstacles for r in rows if r["raised_date"] <= sunday]
    open_rows = [
        r
        for r in listed
        if not (r["status"] == "da_thao_go" and r["resolved_date"] and r["resolved_date"] <= sunday)
    ]
    ministry = [
        r
        for rows in secondments
        for r in rows
        if r["origin_level"] == "bo" and r["status"] != "huy"
    ]
    has_obstacles, has_secondments = bool(obstacles), bool(secondments)
    resolved_to_date = len(listed) - len(open_rows)
    return {
        "vacancy_rate": ratio(national["vacancies"], national["approved_posts"]),
        "ministry_secondments_started": sum(week.contains(r["start_date"]) for r in ministry)
        if has_secondments
        else None,
        "ministry_secondments_ended": sum(
            r["end_date"] is not None and week.contains(r["end_date"]) for r in ministry
        )
        if has_secondments
        else None,
        "obstacles_waiting_ministry": sum(r["resolution_level"] == "bo" for r in open_rows)
        if has_obstacles
        else None,
        "obstacles_waiting_government": sum(r["resolution_level"] == "chinh_phu" for r in open_rows)
        if has_obstacles
        else None,
        "obstacles_listed": len(listed) if has_obstacles else None,
        "obstacles_resolved_to_date": resolved_to_date if has_obstacles else None,
        "resolution_rate": ratio(resolved_to_date, len(listed)) if has_obstacles else None,
        "provinces_late": len({s["province_code"] for s in statuses if s["status"] == "late"}),
        "provinces_missing": len(
            {s["province_code"] for s in statuses if s["status"] == "missing"}
        ),
    }


def with_previous_week(rows: list[dict]) -> list[dict]:
    """Trend rows (one per week, any order) with prev_/change_ of each compared figure: the
    previous ISO week's value, null when that week has no row or no value."""
    by_week = {row["week"]: row for row in rows}
    out = []
    for row in sorted(rows, key=lambda r: r["week"]):
        previous = by_week.get(str(IsoWeek.parse(row["week"]).shift(-1)), {})
        row = dict(row)
        for column in TREND_COMPARED:
            before, now = previous.get(column), row.get(column)
            row[f"prev_{column}"] = before
            row[f"change_{column}"] = None if before is None or now is None else now - before
        out.append(row)
    return out


def vacancy_ranks(week: IsoWeek, provinces: list[dict]) -> list[dict]:
    """Vacancy rate of each province and its rank among those that reported staffing (worst
    first; ties: more vacancies, then province code)."""
    rated = [
        (ratio(p["vacancies"], p["approved_posts"]), p)
        for p in provinces
        if p["approved_posts"] is not None
    ]
    ordered = sorted(
        (x for x in rated if x[0] is not None),
        key=lambda x: (-x[0], -x[1]["vacancies"], x[1]["province_code"]),
    )
    rank = {p["province_code"]: i for i, (_, p) in enumerate(ordered, start=1)}
    rate = {p["province_code"]: r for r, p in rated}
    return [
        {
            "week": str(week),
            "province_code": p["province_code"],
            "vacancy_rate": rate.get(p["province_code"]),
            "vacancy_rate_rank": rank.get(p["province_code"]),
        }
        for p in provinces
    ]


def submission_status(
    week: IsoWeek,
    code: str,
    kind: str,
    received: list[datetime],
    version: int | None,
    file_name: str | None,
) -> dict:
    """One province × kind: on time when its first accepted file arrived by the deadline."""
    status = "missing"
    if received:
        status = "on_time" if min(received) <= week.deadline else "late"
    return {
        "week": str(week),
        "province_code": code,
        "kind": kind,
        "status": status,
        "version": version,
        "file_name": file_name,
    }


def parse_cell(text: str) -> object:
    """The inverse of :func:`cell` for numbers, booleans and text (truth read back from CSV)."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
