"""Small synthetic published-metric tables (34 provinces, one week) for the quality-gate tests."""

from __future__ import annotations

import random

import pandas as pd

from core import reference
from core.metrics import ADDITIVE_METRICS, METRICS, PROVINCE_WEEKLY_PACKAGE

KINDS = ("staffing", "secondments", "obstacles")
LATE_PROVINCE = "04"  # all three kinds, one of them after the deadline
NO_OBSTACLES_PROVINCE = "08"  # obstacles file never received: its obstacle metrics are null
SILENT_PROVINCE = "11"  # nothing received at all


def _staffing(code: str, week: str, fields: list[str], rng: random.Random) -> tuple[dict, list]:
    totals = dict.fromkeys(("approved_posts", "filled_posts", "vacancies", "surplus"), 0)
    rows = []
    for field in fields:
        approved = 20 + (int(code) * 7 + fields.index(field) * 3) % 15
        filled = max(approved + rng.randint(-4, 3), 0)
        values = {
            "approved_posts": approved,
            "filled_posts": filled,
            "vacancies": max(approved - filled, 0),
            "surplus": max(filled - approved, 0),
        }
        rows.append({"week": week, "province_code": code, "field_code": field, **values})
        for key, value in values.items():
            totals[key] += value
    return totals | {"communes_short": sum(1 for r in rows if r["vacancies"])}, rows


def _secondments(rng: random.Random) -> dict:
    levels = {"bo": 0, "tinh": 0}
    active = started = 0
    for _ in range(rng.randint(2, 5)):
        level = rng.choice(["bo", "tinh", "xa"])
        is_active = rng.random() < 0.8
        started += is_active and rng.random() < 0.3
        active += is_active
        if is_active and level in levels:
            levels[level] += 1
    return {
        "active_secondments": active,
        "active_secondments_bo": levels["bo"],
        "active_secondments_tinh": levels["tinh"],
        "secondments_started": started,
    }


def _obstacles(rng: random.Random) -> tuple[dict, list[int]]:
    counts = dict.fromkeys(("raised", "resolved", "open", "escalated"), 0)
    days = []
    for _ in range(rng.randint(1, 4)):
        status = rng.choice(["moi", "dang_xu_ly", "kien_nghi", "da_thao_go"])
        resolved = status == "da_thao_go"
        counts["raised"] += rng.random() < 0.5
        counts["resolved"] += resolved
        counts["open"] += not resolved
        counts["escalated"] += status == "kien_nghi"
        if resolved:
            days.append(rng.randint(1, 9))
    return {
        "obstacles_raised": counts["raised"],
        "obstacles_resolved": counts["resolved"],
        "obstacles_open": counts["open"],
        "obstacles_escalated": counts["escalated"],
        "median_days_to_resolve": float(pd.Series(days).median()) if days else None,
    }, days


def make_tables(week: str, seed: int = 0) -> dict[str, pd.DataFrame]:
    """``province_weekly``, ``national_weekly`` and ``vacancies_by_field`` of one week, consistent
    with each other; the same seed gives the same rows."""
    rng = random.Random(seed)
    fields = list(reference.code_list(reference.FIELDS))
    by_field, provinces, all_days = [], [], []
    for code, province in reference.provinces().items():
        kinds = [] if code == SILENT_PROVINCE else list(KINDS)
        if code == NO_OBSTACLES_PROVINCE:
            kinds.remove("obstacles")
        row = {"week": week, "province_code": code, "province_name": province.name}
        row["communes_total"] = len(reference.communes_of(code))
        if "staffing" in kinds:
            totals, rows = _staffing(code, week, fields, rng)
            row |= totals | {"communes_reported": row["communes_total"]}
            by_field += rows
        if "secondments" in kinds:
            row |= _secondments(rng)
        if "obstacles" in kinds:
            figures, days = _obstacles(rng)
            row |= figures
            all_days += days
        row |= {"files_received": len(kinds), "on_time": len(kinds) == 3 and code != LATE_PROVINCE}
        provinces.append(row)
    pw = pd.DataFrame(provinces).reindex(columns=list(PROVINCE_WEEKLY_PACKAGE))
    for column in (*ADDITIVE_METRICS, "communes_reported", "communes_total"):
        pw[column] = pw[column].astype("Int64")
    pw["on_time"] = pw["on_time"].astype(bool)
    national: dict = {"week": week}
    for column in METRICS:
        if column == "on_time":
            national[column] = int(pw[column].sum())
        elif column == "median_days_to_resolve":
            national[column] = float(pd.Series(all_days).median()) if all_days else None
        else:
            national[column] = pw[column].sum()
    for kind, metric in (
        ("staffing", "approved_posts"),
        ("secondments", "active_secondments"),
        ("obstacles", "obstacles_open"),
    ):
        national[f"provinces_reporting_{kind}"] = int(pw[metric].notna().sum())
    for column in ("communes_reported", "communes_total"):
        national[column] = int(pw[column].sum())
    return {
        "province_weekly": pw,
        "national_weekly": pd.DataFrame([national]),
        "vacancies_by_field": pd.DataFrame(by_field),
    }
