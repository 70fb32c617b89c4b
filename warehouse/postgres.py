"""The PostgreSQL warehouse (``MOHA_WAREHOUSE=postgres``): connection, unreachable errors, loader.

Connection parameters come from ``MOHA_PG_HOST``, ``MOHA_PG_PORT``, ``MOHA_PG_USER``,
``MOHA_PG_PASSWORD`` and ``MOHA_PG_DBNAME`` (the same variables ``dbt_project/profiles.yml``
reads for its ``postgres`` target), so the loader, dbt and the publisher always meet in one
database.

Loading: the staged Parquet of the new files is read by an in-memory DuckDB with exactly the
casts of the DuckDB loader (:func:`warehouse.load._select_casts`, ``union_by_name``), handed over
as Arrow, written as CSV into memory and streamed with ``COPY raw.<table> FROM STDIN``: one
round trip per table rather than one per row, no temporary files on the (possibly shared) data
folder, and the same typing rules on both targets. Everything of one load runs in one
transaction (delete + copy per ``file_id``), serialised across machines by a transaction-level
advisory lock, so a failed or concurrent load never leaves a half-loaded ``raw``.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moha.settings import Settings

ENV_VARS = ("MOHA_PG_HOST", "MOHA_PG_PORT", "MOHA_PG_USER", "MOHA_PG_PASSWORD", "MOHA_PG_DBNAME")
DEFAULTS = {
    "MOHA_PG_HOST": "127.0.0.1",
    "MOHA_PG_PORT": "5432",
    "MOHA_PG_USER": "moha",
    "MOHA_PG_PASSWORD": "",
    "MOHA_PG_DBNAME": "moha",
}
CONNECT_TIMEOUT_SECONDS = 5
# pg_advisory_xact_lock key: one loader at a time per database, whatever machine it runs on.
LOAD_LOCK_KEY = 0x6D6F6861  # "moha"

# DuckDB type names of warehouse.load → PostgreSQL type names (all others are spelt the same).
PG_TYPES = {"VARCHAR": "varchar", "TIMESTAMPTZ": "timestamp with time zone"}


class WarehouseUnavailable(RuntimeError):
    """The PostgreSQL warehouse cannot be reached; the message is one line naming host:port and
    the variables to check."""

    def __init__(self, parts: Mapping[str, Any], reason: str) -> None:
        self.host = parts.get("host")
        self.port = parts.get("port")
        self.reason = reason
        super().__init__(
            f"PostgreSQL warehouse unreachable at {parts.get('host')}:{parts.get('port')} "
            f"(database {parts.get('dbname')!r}, user {parts.get('user')!r}): {reason}. "
            f"Check {', '.join(ENV_VARS)} and run `moha check`."
        )


def connection_parts(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """psycopg2 ``connect`` keyword arguments from ``MOHA_PG_*`` (unset ones take the defaults)."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str:
        value = env.get(name)
        return (
            DEFAULTS[name]
            if value is None or (value == "" and name != "MOHA_PG_PASSWORD")
            else value
        )

    port = get("MOHA_PG_PORT")
    if not port.isdigit():
        raise ValueError(f"MOHA_PG_PORT must be a port number, not {port!r}")
    return {
        "host": get("MOHA_PG_HOST"),
        "port": int(port),
        "user": get("MOHA_PG_USER"),
        "password": get("MOHA_PG_PASSWORD"),
        "dbname": get("MOHA_PG_DBNAME"),
    }


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


def connect(environ: Mapping[str, str] | None = None, **extra: Any):
    """A psycopg2 connection to the warehouse; :class:`WarehouseUnavailable` when it cannot open."""
    import psycopg2

    parts = connection_parts(environ)
    try:
        return psycopg2.connect(
            connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="moha", **parts, **extra
        )
    except psycopg2.OperationalError as error:
        raise WarehouseUnavailable(parts, _first_line(error)) from None


def ensure_reachable(environ: Mapping[str, str] | None = None) -> None:
    """Open and close one connection; :class:`WarehouseUnavailable` (one line) if it cannot."""
    connect(environ).close()


# --- loading -------------------------------------------------------------------------------


def _ddl(table: str, columns: dict[str, str]) -> str:
    from warehouse.load import RAW_SCHEMA

    cols = ", ".join(
        f'"{name}" {PG_TYPES.get(type_, type_.lower())}' for name, type_ in columns.items()
    )
    return f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({cols})"


def ensure_raw_schema(cur) -> None:
    """Schema ``raw`` and every raw table, empty and typed like the DuckDB ones, if missing."""
    from warehouse.load import RAW_SCHEMA, TABLES

    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table, columns in TABLES.items():
        cur.execute(_ddl(table, columns))


def _copy_rows(cur, table: str, columns: list[str], arrow_table) -> int:
    """``COPY raw.<table> (columns) FROM STDIN`` an Arrow table, through CSV in memory."""
    import pyarrow.csv as pacsv

    from warehouse.load import RAW_SCHEMA

    if arrow_table.num_rows == 0:
        return 0
    buffer = io.BytesIO()
    # Strings are always quoted, nulls written as nothing: COPY ... CSV tells '' from NULL.
    pacsv.write_csv(arrow_table, buffer, pacsv.WriteOptions(include_header=False))
    buffer.seek(0)
    quoted = ", ".join(f'"{c}"' for c in columns)
    cur.copy_expert(f"COPY {RAW_SCHEMA}.{table} ({quoted}) FROM STDIN WITH (FORMAT csv)", buffer)
    return arrow_table.num_rows


def _parquet_as_arrow(duck, columns: dict[str, str], paths: list[Path]):
    """The staged files' rows with the DuckDB loader's casts, as one Arrow table."""
    from warehouse.load import _q, _select_casts

    source = f"read_parquet([{', '.join(_q(str(p)) for p in paths)}], union_by_name = true)"
    available = {row[0] for row in duck.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    if "file_id" not in available:
        raise ValueError(f"staged Parquet lacks lineage column file_id: {paths[:3]}")
    return duck.sql(f"SELECT {_select_casts(columns, available)} FROM {source}").to_arrow_table()


def _sync_reference(cur) -> bool:
    from warehouse.load import RAW_SCHEMA, TABLES, reference_rows

    changed = False
    for table, rows in reference_rows().items():
        columns = list(TABLES[table])
        cur.execute(f"SELECT {', '.join(columns)} FROM {RAW_SCHEMA}.{table} ORDER BY 1")
        if cur.fetchall() == rows:
            continue
        import pyarrow as pa

        cur.execute(f"DELETE FROM {RAW_SCHEMA}.{table}")
        arrow = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in rows])
        _copy_rows(cur, table, columns, arrow)
        changed = True
    return changed


def load_staged(settings: Settings, reload: bool = False) -> dict[str, Any]:
    """:func:`warehouse.load.load_staged` for PostgreSQL: same tables, columns, summary."""
    import duckdb

    from warehouse.load import (
        FILES_COLUMNS,
        RAW_SCHEMA,
        REJECTION_COLUMNS,
        ROW_COLUMNS,
        ROW_KINDS,
        _existing,
        staged_registry_files,
    )

    started = time.perf_counter()
    staged = staged_registry_files(settings)
    con = connect()
    duck = duckdb.connect()  # in memory: only reads the staged Parquet
    try:
        # one transaction: commit on success, rollback on any error
        with con, con.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))
            ensure_raw_schema(cur)
            reference_written = _sync_reference(cur)
            cur.execute(f"SELECT file_id FROM {RAW_SCHEMA}.files")
            loaded = {row[0] for row in cur.fetchall()}
            new = {sha: path for sha, path in staged.items() if reload or sha not in loaded}
            rows: dict[str, int] = dict.fromkeys((*ROW_KINDS, "rejections"), 0)
            loaded_at = datetime.now(UTC)
            if new:
                shas = sorted(new)
                for table in ("files", *ROW_KINDS, "rejections"):
                    cur.execute(
                        f"DELETE FROM {RAW_SCHEMA}.{table} WHERE file_id = ANY(%s)", (shas,)
                    )
                sources = {
                    "files": (FILES_COLUMNS, [new[s] for s in shas]),
                    **{
                        kind: (ROW_COLUMNS[kind], _existing(settings.staged / "rows" / kind, new))
                        for kind in ROW_KINDS
                    },
                    "rejections": (
                        REJECTION_COLUMNS,
                        _existing(settings.staged / "rejections", new),
                    ),
                }
                for table, (columns, paths) in sources.items():
                    if not paths:
                        continue
                    count = _copy_rows(
                        cur, table, list(columns), _parquet_as_arrow(duck, columns, paths)
                    )
                    if table != "files":
                        rows[table] = count
                cur.execute(
                    f"UPDATE {RAW_SCHEMA}.files SET loaded_at = %s WHERE file_id = ANY(%s)",
                    (loaded_at, shas),
                )
    finally:
        duck.close()
        con.close()
    return {
        "files_staged": len(staged),
        "files_loaded": len(new),
        "file_id": sorted(new),
        "rows_loaded": rows,
        "reference_written": reference_written,
        "loaded_at": loaded_at.isoformat() if new else None,
        "seconds": round(time.perf_counter() - started, 3),
    }
