"""Every warehouse query of the weekly package; another target (PostgreSQL) only swaps `connect`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from core.settings import Settings

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

# `:week` is the only parameter; `_bind` turns it into the connection's paramstyle.
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


@contextmanager
def connect(settings: Settings) -> Iterator[Any]:
    """A read-only connection to the warehouse the week is published from, closed on exit.

    DuckDB: the analysts' snapshot, swapped in whole after each successful build, so publishing
    never waits on (or blocks) an hourly build writing the pipeline's own file, and never reads a
    half-built state. PostgreSQL (``MOHA_WAREHOUSE=postgres``): the warehouse itself, in one
    read-only REPEATABLE READ transaction, so every query of the package sees the same snapshot
    while dbt swaps tables in its own transactions; raises
    :class:`warehouse.postgres.WarehouseUnavailable` (one line) when the server is unreachable.
    """
    if settings.warehouse_target == "postgres":
        from warehouse.postgres import connect as pg_connect

        con = pg_connect()
        try:
            con.set_session(isolation_level="REPEATABLE READ", readonly=True)
            yield con
        finally:
            con.rollback()
            con.close()
        return
    if settings.warehouse_target != "duckdb":
        raise NotImplementedError(f"warehouse target {settings.warehouse_target!r}")
    import duckdb

    con = duckdb.connect(str(settings.analyst_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _is_duckdb(con: Any) -> bool:
    """DuckDB connection (``?``, ``fetch_df``) rather than psycopg2 (``%s``, cursors)."""
    return not type(con).__module__.startswith("psycopg2")


def _bind(sql: str, con: Any) -> str:
    """Replace ``:week`` with the driver's placeholder (DuckDB ``?``, psycopg2 ``%s``)."""
    return sql.replace(":week", "?" if _is_duckdb(con) else "%s")


def _fetch(con: Any, sql: str, week: str) -> pd.DataFrame:
    if _is_duckdb(con):
        return con.execute(_bind(sql, con), [week]).fetch_df()
    with con.cursor() as cur:
        cur.execute(_bind(sql, con), [week])
        names = [column.name for column in cur.description]
        frame = pd.DataFrame.from_records(cur.fetchall(), columns=names)
    for column in frame.columns:  # timestamptz: UTC, like a DuckDB frame, whatever the session
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC")
    return frame


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
    return _conform(name, _fetch(con, QUERIES[name], week))


def read_week(con: Any, week: str, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The week's tables the package is built from (all of :data:`QUERIES` by default)."""
    return {name: read_table(con, name, week) for name in (names or tuple(QUERIES))}
