"""Load staged Parquet (registry, accepted rows, rejections, ingest outcomes) into DuckDB ``raw``.

PostgreSQL (``MOHA_WAREHOUSE=postgres``) is loaded by :mod:`warehouse.postgres` with the same
tables, columns and casts (all derived from :mod:`core.raw_schema`).

Idempotent per ``file_id`` (and ``outcome_id``): only files not yet in ``raw.files`` are read,
and everything new is written with delete + insert inside a single transaction, stamped with
``loaded_at``. Importable without dbt; dbt only ever reads ``raw``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core import raw_schema
from core.crashpoints import crash_point
from core.settings import Settings
from warehouse.staged import (
    COUNTED_TABLES,
    DUCKDB_TYPES,
    OUTCOMES,
    Loaded,
    load_summary,
    parquet_source,
    plan_batch,
    reference_rows,
    select_casts,
)

RAW_SCHEMA = raw_schema.SCHEMA


def _column_ddl(column: raw_schema.RawColumn, constraints: bool = True) -> str:
    null = "" if column.nullable or not constraints else " NOT NULL"
    return f'"{column.name}" {DUCKDB_TYPES[column.type]}{null}'


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw`` and every raw table if missing; add columns a newer schema declares."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table, columns in raw_schema.TABLES.items():
        cols = ",\n  ".join(_column_ddl(column) for column in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} (\n  {cols}\n)")
        for column in columns:
            con.execute(
                f"ALTER TABLE {RAW_SCHEMA}.{table} ADD COLUMN IF NOT EXISTS "
                f"{_column_ddl(column, constraints=False)}"
            )


def _sync_reference(con: duckdb.DuckDBPyConnection) -> bool:
    """Write raw.provinces and raw.communes from ``core.reference`` if they differ; True if so."""
    changed = False
    for table, rows in reference_rows().items():
        columns = raw_schema.column_names(table)
        current = con.execute(
            f"SELECT {', '.join(columns)} FROM {RAW_SCHEMA}.{table} ORDER BY 1"
        ).fetchall()
        if current == rows:
            continue
        con.execute(f"DELETE FROM {RAW_SCHEMA}.{table}")
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT INTO {RAW_SCHEMA}.{table} VALUES ({placeholders})", rows)
        changed = True
    return changed


def _insert_from_parquet(
    con: duckdb.DuckDBPyConnection, table: str, paths: list[Path], loaded_at: datetime
) -> int:
    if not paths:
        return 0
    source = parquet_source(paths)
    available = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    columns = ", ".join(f'"{name}"' for name in raw_schema.column_names(table))
    before = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0]
    con.execute(
        f"INSERT INTO {RAW_SCHEMA}.{table} ({columns}) "
        f"SELECT {select_casts(table, available, loaded_at)} FROM {source}"
    )
    return con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0] - before


def connect(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(settings.warehouse_path), read_only=read_only)


def load_staged(settings: Settings, reload: bool = False) -> Loaded:
    """Load staged files not yet in ``raw.files`` (all of them when ``reload``); what it loaded.

    Work is proportional to what is new: the staged folders are listed and compared with
    ``raw.files`` and ``raw.ingest_outcomes``; only new files' Parquet is read. Everything new
    goes in one transaction (delete + insert by key), so a failure leaves the warehouse as it was.
    With ``MOHA_WAREHOUSE=postgres`` the same happens in PostgreSQL (:mod:`warehouse.postgres`).
    """
    if settings.warehouse_target == "postgres":
        from warehouse import postgres

        return postgres.load_staged(settings, reload=reload)
    started = time.perf_counter()
    con = connect(settings)
    try:
        ensure_raw_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            reference_written = _sync_reference(con)
            loaded_files = {
                r[0] for r in con.execute(f"SELECT file_id FROM {RAW_SCHEMA}.files").fetchall()
            }
            loaded_outcomes = {
                r[0]
                for r in con.execute(f"SELECT outcome_id FROM {RAW_SCHEMA}.{OUTCOMES}").fetchall()
            }
            batch = plan_batch(settings, loaded_files, loaded_outcomes, reload)
            loaded_at = datetime.now(UTC)
            rows = dict.fromkeys(COUNTED_TABLES, 0)
            for table, key, ids in batch.replaced():
                con.execute(
                    f"DELETE FROM {RAW_SCHEMA}.{table} WHERE {key} IN "
                    "(SELECT unnest(?::VARCHAR[]))",
                    [ids],
                )
                count = _insert_from_parquet(con, table, batch.paths[table], loaded_at)
                if table in rows:
                    rows[table] = count
            crash_point("load.before_commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    crash_point("load.committed")
    return load_summary(batch, rows, reference_written, loaded_at, started)
