"""Read-only access to the built warehouse, the same on both targets: for publishing, the
`moha status` command and anything else that reads marts.

SQL is written once with ``:name`` parameters; :func:`fetch_frame` and :func:`fetch_rows` bind
them in the driver's own style (DuckDB ``$name``, psycopg2 ``%(name)s``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd

from core.settings import Settings

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@contextmanager
def connect(settings: Settings) -> Iterator[Any]:
    """A read-only connection to the warehouse marts, closed on exit.

    DuckDB: the analysts' snapshot, swapped in whole after each successful build, so a reader
    never waits on (or blocks) an hourly build writing the pipeline's own file, and never reads a
    half-built state. PostgreSQL (``MOHA_WAREHOUSE=postgres``): the warehouse itself, in one
    read-only REPEATABLE READ transaction, so every query sees the same snapshot while dbt swaps
    tables in its own transactions; raises :class:`warehouse.postgres.WarehouseUnavailable` (one
    line) when the server is unreachable. Raises FileNotFoundError when no DuckDB snapshot exists.
    """
    if settings.warehouse_target == "postgres":
        from warehouse.postgres import connect as pg_connect

        con = pg_connect(settings)
        try:
            con.set_session(isolation_level="REPEATABLE READ", readonly=True)
            yield con
        finally:
            con.rollback()
            con.close()
        return
    if settings.warehouse_target != "duckdb":
        raise NotImplementedError(f"warehouse target {settings.warehouse_target!r}")
    if not settings.analyst_path.exists():
        raise FileNotFoundError(f"no warehouse built yet: {settings.analyst_path} does not exist")
    import duckdb

    con = duckdb.connect(str(settings.analyst_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def is_duckdb(con: Any) -> bool:
    """DuckDB connection rather than psycopg2."""
    return not type(con).__module__.startswith("psycopg2")


def bind(sql: str, con: Any) -> str:
    """``:name`` parameters in the connection's paramstyle."""
    return _PARAM.sub(r"$\1" if is_duckdb(con) else r"%(\1)s", sql)


def fetch_frame(con: Any, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The query's rows as a DataFrame; timestamps with time zone in UTC on both drivers."""
    params = dict(params or {})
    if is_duckdb(con):
        return con.execute(bind(sql, con), params).fetch_df()
    with con.cursor() as cur:
        cur.execute(bind(sql, con), params)
        names = [column.name for column in cur.description]
        frame = pd.DataFrame.from_records(cur.fetchall(), columns=names)
    for column in frame.columns:  # timestamptz: UTC, like a DuckDB frame, whatever the session
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC")
    return frame


def fetch_rows(con: Any, sql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
    """The query's rows as dicts (column name → value)."""
    params = dict(params or {})
    if is_duckdb(con):
        cursor = con.execute(bind(sql, con), params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    with con.cursor() as cur:
        cur.execute(bind(sql, con), params)
        names = [column.name for column in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
