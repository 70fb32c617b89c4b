"""Every warehouse query of the weekly package; another target (PostgreSQL) only swaps `connect`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from warehouse.read import connect, fetch_frame

__all__ = ["connect", "read_table", "read_week"]

METRICS = [
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
PROVINCE_WEEKLY_COLUMNS = ["week", "province_code", "province_name", *METRICS]
NATIONAL_WEEKLY_COLUMNS = ["week", *METRICS]
VACANCIES_BY_FIELD_COLUMNS = [
    "week",
    "province_code",
    "field_code",
    "approved_posts",
    "filled_posts",
    "vacancies",
    "surplus",
]

# `:week` is the only parameter (warehouse.read binds it in the connection's paramstyle).
# Fact flags as named by dbt_project/models/marts/core/fct_secondments.sql and fct_obstacles.sql.
QUERIES: dict[str, str] = {
    "province_weekly": f"""
        SELECT {", ".join(PROVINCE_WEEKLY_COLUMNS)}
        FROM main.province_weekly
        WHERE week = :week
        ORDER BY province_code""",
    "national_weekly": f"""
        SELECT {", ".join(NATIONAL_WEEKLY_COLUMNS)}
        FROM main.national_weekly
        WHERE week = :week""",
    "vacancies_by_field": f"""
        SELECT {", ".join(VACANCIES_BY_FIELD_COLUMNS)}
        FROM main.vacancies_by_field
        WHERE week = :week
        ORDER BY province_code, field_code""",
    # aggregates only: no assignment ids, official ids or names leave the warehouse
    "secondments_by_province": """
        SELECT week, province_code, origin_level,
               CAST(SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS INTEGER) AS active_secondments,
               CAST(SUM(CASE WHEN is_started_in_week THEN 1 ELSE 0 END) AS INTEGER)
                   AS secondments_started
        FROM main.fct_secondments
        WHERE week = :week
        GROUP BY week, province_code, origin_level
        ORDER BY province_code, origin_level""",
    "obstacles_by_province": """
        SELECT week, province_code, category_code, resolution_level,
               CAST(SUM(CASE WHEN is_raised_in_week THEN 1 ELSE 0 END) AS INTEGER)
                   AS obstacles_raised,
               CAST(SUM(CASE WHEN is_resolved_in_week THEN 1 ELSE 0 END) AS INTEGER)
                   AS obstacles_resolved,
               CAST(SUM(CASE WHEN is_open_at_week_end THEN 1 ELSE 0 END) AS INTEGER)
                   AS obstacles_open,
               CAST(SUM(CASE WHEN is_escalated THEN 1 ELSE 0 END) AS INTEGER)
                   AS obstacles_escalated
        FROM main.fct_obstacles
        WHERE week = :week
        GROUP BY week, province_code, category_code, resolution_level
        ORDER BY province_code, category_code, resolution_level NULLS LAST""",
    "accepted_files": """
        SELECT province_code, kind, CAST(MAX(version) AS INTEGER) AS version,
               MIN(received_at) AS first_received_at
        FROM main.file_registry
        WHERE week = :week AND status IN ('accepted', 'partly_accepted') AND kind IS NOT NULL
        GROUP BY province_code, kind
        ORDER BY province_code, kind""",
    "rejections_by_reason": """
        SELECT week, province_code, kind, reason_code,
               CAST(COUNT(*) AS INTEGER) AS rejections,
               CAST(COUNT(DISTINCT file_name) AS INTEGER) AS files
        FROM main.rejections
        WHERE week = :week
        GROUP BY week, province_code, kind, reason_code
        ORDER BY province_code, kind NULLS LAST, reason_code""",
}

_INTEGER = "Int64"
_DTYPES: dict[str, dict[str, str]] = {
    "province_weekly": {
        **{m: _INTEGER for m in METRICS},
        "median_days_to_resolve": "Float64",
        "on_time": "boolean",
    },
    "national_weekly": {**{m: _INTEGER for m in METRICS}, "median_days_to_resolve": "Float64"},
    "vacancies_by_field": {m: _INTEGER for m in VACANCIES_BY_FIELD_COLUMNS[3:]},
    "secondments_by_province": {"active_secondments": _INTEGER, "secondments_started": _INTEGER},
    "obstacles_by_province": {
        m: _INTEGER
        for m in ("obstacles_raised", "obstacles_resolved", "obstacles_open", "obstacles_escalated")
    },
    "accepted_files": {"version": _INTEGER},
    "rejections_by_reason": {"rejections": _INTEGER, "files": _INTEGER},
}


def _conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Same dtypes whatever the driver returns: nullable ints, text as str, VN-time timestamps."""
    frame = frame.copy()
    for column, dtype in _DTYPES.get(name, {}).items():
        if column in frame.columns:
            frame[column] = frame[column].astype(dtype)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    return frame.reset_index(drop=True)


def read_table(con: Any, name: str, week: str) -> pd.DataFrame:
    """One query of :data:`QUERIES` for one week."""
    return _conform(name, fetch_frame(con, QUERIES[name], {"week": week}))


def read_week(con: Any, week: str, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The week's tables the package is built from (all of :data:`QUERIES` by default)."""
    return {name: read_table(con, name, week) for name in (names or tuple(QUERIES))}
