"""Small synthetic warehouse tables (34 provinces, a few weeks) in a DuckDB file for tests."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd

from core import reference
from core.weeks import VN_TZ, IsoWeek

KINDS = ("staffing", "secondments", "obstacles")
SECRET_NAME = "Nguyễn Văn Bímật"
SECRET_OFFICIAL_ID = "CB-SECRET-0042"
LATE_PROVINCE = "04"  # all three kinds, one of them after the deadline
NO_OBSTACLES_PROVINCE = "08"  # obstacles file never received: its obstacle metrics are null
SILENT_PROVINCE = "11"  # nothing received at all


def make_tables(week: str, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The warehouse tables of one week; the same seed gives the same rows."""
    rng = random.Random(seed)
    iso = IsoWeek.parse(week)
    fields = list(reference.code_list(reference.FIELDS))
    categories = list(reference.code_list(reference.OBSTACLE_CATEGORIES))
    by_field, secondments, obstacles, registry, rejections, provinces = [], [], [], [], [], []
    for code, province in reference.provinces().items():
        kinds = [] if code == SILENT_PROVINCE else list(KINDS)
        if code == NO_OBSTACLES_PROVINCE:
            kinds.remove("obstacles")
        row = {"week": week, "province_code": code, "province_name": province.name}
        if "staffing" in kinds:
            totals = dict.fromkeys(("approved_posts", "filled_posts", "vacancies", "surplus"), 0)
            for field in fields:
                approved = 20 + (int(code) * 7 + fields.index(field) * 3) % 15
                filled = max(approved + rng.randint(-4, 3), 0)
                values = {
                    "approved_posts": approved,
                    "filled_posts": filled,
                    "vacancies": max(approved - filled, 0),
                    "surplus": max(filled - approved, 0),
                }
                by_field.append(
                    {"week": week, "province_code": code, "field_code": field, **values}
                )
                for key, value in values.items():
                    totals[key] += value
            row |= totals | {"communes_short": sum(1 for r in by_field[-15:] if r["vacancies"])}
        if "secondments" in kinds:
            levels = {"bo": 0, "tinh": 0}
            active = started = 0
            for i in range(rng.randint(2, 5)):
                level = rng.choice(["bo", "tinh", "xa"])
                is_active = rng.random() < 0.8
                began = is_active and rng.random() < 0.3
                secondments.append(
                    {
                        "assignment_id": f"BP-{code}-{i:03d}",
                        "province_code": code,
                        "week": week,
                        "origin_level": level,
                        "field_code": rng.choice(fields),
                        "is_active": is_active,
                        "is_started_in_week": began,
                        "full_name": SECRET_NAME,
                        "official_id": SECRET_OFFICIAL_ID,
                    }
                )
                active += is_active
                started += began
                if is_active and level in levels:
                    levels[level] += 1
            row |= {
                "active_secondments": active,
                "active_secondments_bo": levels["bo"],
                "active_secondments_tinh": levels["tinh"],
                "secondments_started": started,
            }
        if "obstacles" in kinds:
            counts = dict.fromkeys(("raised", "resolved", "open", "escalated"), 0)
            days = []
            for i in range(rng.randint(1, 4)):
                status = rng.choice(["moi", "dang_xu_ly", "kien_nghi", "da_thao_go"])
                resolved = status == "da_thao_go"
                flags = {
                    "is_raised_in_week": rng.random() < 0.5,
                    "is_resolved_in_week": resolved,
                    "is_open_at_week_end": not resolved,
                    "is_escalated": status == "kien_nghi",
                }
                obstacles.append(
                    {
                        "obstacle_id": f"VM-{i:03d}",
                        "province_code": code,
                        "week": week,
                        "category_code": rng.choice(categories),
                        "resolution_level": rng.choice(["xa", "tinh", "bo", "chinh_phu"]),
                        "status": status,
                        **flags,
                        "days_to_resolve": rng.randint(1, 9) if resolved else None,
                    }
                )
                counts["raised"] += flags["is_raised_in_week"]
                counts["resolved"] += resolved
                counts["open"] += not resolved
                counts["escalated"] += flags["is_escalated"]
                if resolved:
                    days.append(obstacles[-1]["days_to_resolve"])
            row |= {
                "obstacles_raised": counts["raised"],
                "obstacles_resolved": counts["resolved"],
                "obstacles_open": counts["open"],
                "obstacles_escalated": counts["escalated"],
                "median_days_to_resolve": float(pd.Series(days).median()) if days else None,
            }
        row |= {"files_received": len(kinds), "on_time": len(kinds) == 3 and code != LATE_PROVINCE}
        provinces.append(row)
        deadline = iso.deadline
        for kind in kinds:
            late = code == LATE_PROVINCE and kind == "obstacles"
            received = deadline + timedelta(hours=5 if late else -30)
            registry.append(
                {
                    "file_sha256": f"{code}{kind}{week}".encode().hex()[:64],
                    "province_code": code,
                    "file_name": f"{kind}_{week}.xlsx",
                    "kind": kind,
                    "week": week,
                    "version": 1,
                    "received_at": received.astimezone(VN_TZ).replace(tzinfo=None)
                    - timedelta(hours=7),
                    "status": "accepted",
                    "rows_total": 10,
                    "rows_accepted": 10,
                    "rows_rejected": 0,
                    "file_reason_code": None,
                }
            )
        if code in ("01", "79"):
            rejections.append(
                {
                    "province_code": code,
                    "kind": "secondments",
                    "week": week,
                    "file_name": f"secondments_{week}.xlsx",
                    "source_row": 7,
                    "column_name": "full_name",
                    "value": SECRET_NAME,
                    "reason_code": "unknown_code",
                    "message_vi": "Mã không hợp lệ",
                }
            )
            rejections.append(
                {
                    "province_code": code,
                    "kind": "staffing",
                    "week": week,
                    "file_name": f"staffing_{week}.xlsx",
                    "source_row": 9,
                    "column_name": "approved_posts",
                    "value": "-3",
                    "reason_code": "negative_count",
                    "message_vi": "Số không được âm",
                }
            )
    pw = pd.DataFrame(provinces)
    pw_columns = [
        "week",
        "province_code",
        "province_name",
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
        "median_days_to_resolve",
        "files_received",
        "on_time",
    ]
    pw = pw.reindex(columns=pw_columns)
    national = {"week": week}
    for column in pw_columns[3:]:
        if column == "on_time":
            national[column] = int(pw[column].sum())
        elif column == "median_days_to_resolve":
            days = [o["days_to_resolve"] for o in obstacles if o["days_to_resolve"] is not None]
            national[column] = float(pd.Series(days).median()) if days else None
        else:
            national[column] = pw[column].sum()
    for kind, metric in (
        ("staffing", "approved_posts"),
        ("secondments", "active_secondments"),
        ("obstacles", "obstacles_open"),
    ):
        national[f"provinces_reporting_{kind}"] = int(pw[metric].notna().sum())
    return {
        "province_weekly": pw,
        "national_weekly": pd.DataFrame([national]),
        "vacancies_by_field": pd.DataFrame(by_field),
        "fct_secondments": pd.DataFrame(secondments),
        "fct_obstacles": pd.DataFrame(obstacles),
        "file_registry": pd.DataFrame(registry),
        "rejections": pd.DataFrame(rejections),
    }


INT_COLUMNS = {
    "province_weekly": [
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
    ],
    "national_weekly": [
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
        "on_time",
    ],
    "fct_obstacles": ["days_to_resolve"],
}


def write_warehouse(path: Path, weeks: dict[str, dict[str, pd.DataFrame]]) -> Path:
    """Write (or replace) every table, all weeks stacked, into the DuckDB file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = next(iter(weeks.values())).keys()
    con = duckdb.connect(str(path))
    try:
        for name in names:
            frame = pd.concat([tables[name] for tables in weeks.values()], ignore_index=True)
            for column in INT_COLUMNS.get(name, []):
                frame[column] = frame[column].astype("Int64")
            if name == "province_weekly":
                frame["on_time"] = frame["on_time"].astype(bool)
            con.register("frame_view", frame)
            con.execute(f"CREATE OR REPLACE TABLE main.{name} AS SELECT * FROM frame_view")
            con.unregister("frame_view")
        con.execute(
            "ALTER TABLE main.file_registry ALTER received_at TYPE TIMESTAMPTZ "
            "USING received_at AT TIME ZONE 'UTC'"
        )
    finally:
        con.close()
    return path


def correct_staffing(
    tables: dict[str, pd.DataFrame], province: str, field: str, filled_delta: int
) -> dict[str, pd.DataFrame]:
    """A `_v2` correction: one province × field's filled posts move; sums follow consistently."""
    tables = {name: frame.copy() for name, frame in tables.items()}
    vbf = tables["vacancies_by_field"]
    at = (vbf["province_code"] == province) & (vbf["field_code"] == field)
    vbf.loc[at, "filled_posts"] += filled_delta
    vbf["vacancies"] = (vbf["approved_posts"] - vbf["filled_posts"]).clip(lower=0)
    vbf["surplus"] = (vbf["filled_posts"] - vbf["approved_posts"]).clip(lower=0)
    pw = tables["province_weekly"]
    metrics = ["approved_posts", "filled_posts", "vacancies", "surplus"]
    sums = vbf[vbf["province_code"] == province][metrics].sum()
    for metric in metrics:
        pw.loc[pw["province_code"] == province, metric] = sums[metric]
    for metric in metrics:
        tables["national_weekly"][metric] = pw[metric].sum()
    return tables
