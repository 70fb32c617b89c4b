"""The PostgreSQL warehouse (``MOHA_WAREHOUSE=postgres``): connection, unreachable errors, loader.

Connection parameters come from :attr:`core.settings.Settings.postgres` (``MOHA_PG_*``; dbt's
``postgres`` target is handed the same values by :func:`warehouse.dbt.dbt_env`), so the loader,
dbt and the publisher always meet in one database.

Loading: the staged Parquet of the new files is read by an in-memory DuckDB with exactly the
casts of the DuckDB loader (:func:`warehouse.staged.select_casts`, ``union_by_name``), handed over
as Arrow, written as CSV into memory and streamed with ``COPY raw.<table> FROM STDIN``: one
round trip per table rather than one per row, no temporary files on the (possibly shared) data
folder, and the same typing rules on both targets. Everything of one load runs in one
transaction (delete + copy per ``file_id``), serialised across machines by a transaction-level
advisory lock, so a failed or concurrent load never leaves a half-loaded ``raw``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core import raw_schema
from core.settings import Settings
from warehouse import staged

# The variables an unreachable warehouse's message asks to check.
CONNECTION_VARIABLES = (
    "MOHA_PG_HOST",
    "MOHA_PG_PORT",
    "MOHA_PG_USER",
    "MOHA_PG_PASSWORD",
    "MOHA_PG_DBNAME",
)
CONNECT_TIMEOUT_SECONDS = 5
# pg_advisory_xact_lock key: one loader at a time per database, whatever machine it runs on.
LOAD_LOCK_KEY = 0x6D6F6861  # "moha"

# Logical raw types (core.raw_schema) as PostgreSQL spells them.
PG_TYPES = {
    raw_schema.VARCHAR: "varchar",
    raw_schema.INTEGER: "integer",
    raw_schema.BIGINT: "bigint",
    raw_schema.DATE: "date",
    raw_schema.TIMESTAMPTZ: "timestamp with time zone",
}
RAW_SCHEMA = raw_schema.SCHEMA


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
            f"Check {', '.join(CONNECTION_VARIABLES)} and run `moha check`."
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


def connect(settings: Settings, **extra: Any):
    """A psycopg2 connection to the warehouse; :class:`WarehouseUnavailable` when it cannot open."""
    import psycopg2

    parts = settings.postgres.connect_kwargs()
    try:
        return psycopg2.connect(
            connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="moha", **parts, **extra
        )
    except psycopg2.OperationalError as error:
        raise WarehouseUnavailable(parts, _first_line(error)) from None


def ensure_reachable(settings: Settings) -> None:
    """Open and close one connection; :class:`WarehouseUnavailable` (one line) if it cannot."""
    connect(settings).close()


# --- loading -------------------------------------------------------------------------------


def _ddl(table: str) -> str:
    cols = ", ".join(
        f'"{c.name}" {PG_TYPES[c.type]}{"" if c.nullable else " NOT NULL"}'
        for c in raw_schema.TABLES[table]
    )
    return f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({cols})"


def ensure_raw_schema(cur) -> None:
    """Schema ``raw`` and every raw table, typed like the DuckDB ones; new columns added."""
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table, columns in raw_schema.TABLES.items():
        cur.execute(_ddl(table))
        for c in columns:
            cur.execute(
                f'ALTER TABLE {RAW_SCHEMA}.{table} ADD COLUMN IF NOT EXISTS "{c.name}" '
                f"{PG_TYPES[c.type]}"
            )


def _copy_rows(cur, table: str, columns: list[str], arrow_table) -> int:
    """``COPY raw.<table> (columns) FROM STDIN`` an Arrow table, through CSV in memory."""
    import pyarrow.csv as pacsv

    if arrow_table.num_rows == 0:
        return 0
    buffer = io.BytesIO()
    # Strings are always quoted, nulls written as nothing: COPY ... CSV tells '' from NULL.
    pacsv.write_csv(arrow_table, buffer, pacsv.WriteOptions(include_header=False))
    buffer.seek(0)
    quoted = ", ".join(f'"{c}"' for c in columns)
    cur.copy_expert(f"COPY {RAW_SCHEMA}.{table} ({quoted}) FROM STDIN WITH (FORMAT csv)", buffer)
    return arrow_table.num_rows


def _parquet_as_arrow(duck, table: str, paths: list[Path], loaded_at: datetime):
    """The staged files' rows with the raw casts (the DuckDB loader's), as one Arrow table."""
    source = staged.parquet_source(paths)
    available = {row[0] for row in duck.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    return duck.sql(
        f"SELECT {staged.select_casts(table, available, loaded_at)} FROM {source}"
    ).to_arrow_table()


def _sync_reference(cur) -> bool:
    import pyarrow as pa

    changed = False
    for table, rows in staged.reference_rows().items():
        columns = list(raw_schema.column_names(table))
        cur.execute(f"SELECT {', '.join(columns)} FROM {RAW_SCHEMA}.{table} ORDER BY 1")
        if cur.fetchall() == rows:
            continue
        cur.execute(f"DELETE FROM {RAW_SCHEMA}.{table}")
        arrow = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in rows])
        _copy_rows(cur, table, columns, arrow)
        changed = True
    return changed


def load_staged(settings: Settings, reload: bool = False) -> staged.Loaded:
    """:func:`warehouse.load.load_staged` for PostgreSQL: same tables, columns, summary."""
    import duckdb

    started = time.perf_counter()
    con = connect(settings)
    duck = duckdb.connect()  # in memory: only reads the staged Parquet
    try:
        # one transaction: commit on success, rollback on any error
        with con, con.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))
            ensure_raw_schema(cur)
            reference_written = _sync_reference(cur)
            cur.execute(f"SELECT file_id FROM {RAW_SCHEMA}.files")
            loaded_files = {row[0] for row in cur.fetchall()}
            cur.execute(f"SELECT outcome_id FROM {RAW_SCHEMA}.{staged.OUTCOMES}")
            loaded_outcomes = {row[0] for row in cur.fetchall()}
            batch = staged.plan_batch(settings, loaded_files, loaded_outcomes, reload)
            loaded_at = datetime.now(UTC)
            rows = dict.fromkeys(staged.COUNTED_TABLES, 0)
            for table, key, ids in batch.replaced():
                cur.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE {key} = ANY(%s)", (ids,))
                paths = batch.paths[table]
                if not paths:
                    continue
                arrow = _parquet_as_arrow(duck, table, paths, loaded_at)
                count = _copy_rows(cur, table, list(raw_schema.column_names(table)), arrow)
                if table in rows:
                    rows[table] = count
    finally:
        duck.close()
        con.close()
    return staged.load_summary(batch, rows, reference_written, loaded_at, started)
