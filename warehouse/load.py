"""Load staged Parquet (registry, accepted rows, rejections) into the warehouse ``raw`` schema.

DuckDB here; PostgreSQL (``MOHA_WAREHOUSE=postgres``) in :mod:`warehouse.postgres`, with the
same tables, columns and casts.

Idempotent per ``file_id``: only files not yet in ``raw.files`` are read, and each one is
written with delete+insert inside a single transaction, stamped with ``loaded_at``.
Importable without dbt; dbt only ever reads ``raw``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from moha import reference
from moha.settings import Settings

RAW_SCHEMA = "raw"
ROW_KINDS = ("staffing", "secondments", "obstacles")

# Column name → DuckDB type, in table order. These are the typed, always-present raw tables.
FILES_COLUMNS: dict[str, str] = {
    "file_id": "VARCHAR",
    "file_sha256": "VARCHAR",
    "province_code": "VARCHAR",
    "file_name": "VARCHAR",
    "kind": "VARCHAR",
    "week": "VARCHAR",
    "week_start": "DATE",
    "version": "INTEGER",
    "bytes": "BIGINT",
    "received_at": "TIMESTAMPTZ",
    "landed_at": "TIMESTAMPTZ",
    "landing_path": "VARCHAR",
    "status": "VARCHAR",
    "rows_total": "INTEGER",
    "rows_accepted": "INTEGER",
    "rows_rejected": "INTEGER",
    "file_reason_code": "VARCHAR",
}
LINEAGE_COLUMNS: dict[str, str] = {
    "file_id": "VARCHAR",
    "source_row": "INTEGER",
    "province_code": "VARCHAR",
    "week": "VARCHAR",
}
ROW_COLUMNS: dict[str, dict[str, str]] = {
    "staffing": {
        **LINEAGE_COLUMNS,
        "commune_code": "VARCHAR",
        "field_code": "VARCHAR",
        "approved_posts": "INTEGER",
        "filled_posts": "INTEGER",
        "report_date": "DATE",
    },
    "secondments": {
        **LINEAGE_COLUMNS,
        "assignment_id": "VARCHAR",
        "official_id": "VARCHAR",
        "full_name": "VARCHAR",
        "origin_unit": "VARCHAR",
        "origin_level": "VARCHAR",
        "destination_code": "VARCHAR",
        "field_code": "VARCHAR",
        "start_date": "DATE",
        "end_date": "DATE",
        "status": "VARCHAR",
    },
    "obstacles": {
        **LINEAGE_COLUMNS,
        "obstacle_id": "VARCHAR",
        "commune_code": "VARCHAR",
        "category_code": "VARCHAR",
        "description": "VARCHAR",
        "raised_date": "DATE",
        "resolution_level": "VARCHAR",
        "status": "VARCHAR",
        "resolved_date": "DATE",
    },
}
REJECTION_COLUMNS: dict[str, str] = {
    "province_code": "VARCHAR",
    "kind": "VARCHAR",
    "week": "VARCHAR",
    "file_name": "VARCHAR",
    "file_id": "VARCHAR",
    "source_row": "INTEGER",
    "column_name": "VARCHAR",
    "value": "VARCHAR",
    "reason_code": "VARCHAR",
    "message_vi": "VARCHAR",
    "message_en": "VARCHAR",
}
PROVINCE_COLUMNS = {
    "province_code": "VARCHAR",
    "province_name": "VARCHAR",
    "division_type": "VARCHAR",
}
COMMUNE_COLUMNS = {
    "commune_code": "VARCHAR",
    "commune_name": "VARCHAR",
    "division_type": "VARCHAR",
    "province_code": "VARCHAR",
}

TABLES: dict[str, dict[str, str]] = {
    "files": {**FILES_COLUMNS, "loaded_at": "TIMESTAMPTZ"},
    **ROW_COLUMNS,
    "rejections": REJECTION_COLUMNS,
    "provinces": PROVINCE_COLUMNS,
    "communes": COMMUNE_COLUMNS,
}


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _ddl(table: str, columns: dict[str, str]) -> str:
    cols = ",\n  ".join(f'"{name}" {type_}' for name, type_ in columns.items())
    return f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} (\n  {cols}\n)"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw`` and every raw table, empty and typed, if missing."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table, columns in TABLES.items():
        con.execute(_ddl(table, columns))


def reference_rows() -> dict[str, list[tuple]]:
    """The rows raw.provinces and raw.communes must hold, from ``moha.reference``, sorted."""
    return {
        "provinces": sorted(
            (p.code, p.name, p.division_type) for p in reference.provinces().values()
        ),
        "communes": sorted(
            (c.code, c.name, c.division_type, c.province_code)
            for c in reference.communes().values()
        ),
    }


def _sync_reference(con: duckdb.DuckDBPyConnection) -> bool:
    """Write raw.provinces and raw.communes from ``moha.reference`` if they differ; True if so."""
    changed = False
    for table, rows in reference_rows().items():
        columns = list(TABLES[table])
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


def staged_registry_files(settings: Settings) -> dict[str, Path]:
    """file_id → registry Parquet path, for every ``staged/files/<pp>/<sha>.parquet``."""
    root = settings.staged / "files"
    if not root.exists():
        return {}
    return {path.stem: path for path in sorted(root.glob("*/*.parquet"))}


def _select_casts(columns: dict[str, str], available: set[str]) -> str:
    parts = []
    for name, type_ in columns.items():
        source = f'"{name}"' if name in available else "NULL"
        parts.append(f'CAST({source} AS {type_}) AS "{name}"')
    return ", ".join(parts)


def _insert_from_parquet(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], paths: list[Path]
) -> int:
    if not paths:
        return 0
    source = f"read_parquet([{', '.join(_q(str(p)) for p in paths)}], union_by_name = true)"
    available = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = [c for c in ("file_id",) if c not in available]
    if missing:
        raise ValueError(f"staged {table} Parquet lacks lineage column(s) {missing}: {paths[:3]}")
    before = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0]
    con.execute(
        f"INSERT INTO {RAW_SCHEMA}.{table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
        f"SELECT {_select_casts(columns, available)} FROM {source}"
    )
    return con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0] - before


def connect(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(settings.warehouse_path), read_only=read_only)


def load_staged(settings: Settings, reload: bool = False) -> dict[str, Any]:
    """Load staged files not yet in ``raw.files`` (all of them when ``reload``); JSON-safe summary.

    Work is proportional to what is new: the staged registry folder is listed and compared with
    ``raw.files``; only new files' Parquet is read. All new files go in one transaction
    (delete+insert by ``file_id``), so a failure leaves the warehouse as it was.
    With ``MOHA_WAREHOUSE=postgres`` the same happens in PostgreSQL (:mod:`warehouse.postgres`).
    """
    if settings.warehouse_target == "postgres":
        from warehouse import postgres

        return postgres.load_staged(settings, reload=reload)
    started = time.perf_counter()
    staged = staged_registry_files(settings)
    con = connect(settings)
    try:
        ensure_raw_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            reference_written = _sync_reference(con)
            loaded = {
                row[0] for row in con.execute(f"SELECT file_id FROM {RAW_SCHEMA}.files").fetchall()
            }
            new = {sha: path for sha, path in staged.items() if reload or sha not in loaded}
            rows: dict[str, int] = dict.fromkeys((*ROW_KINDS, "rejections"), 0)
            loaded_at = datetime.now(UTC)
            if new:
                shas = sorted(new)
                con.execute("CREATE OR REPLACE TEMP TABLE _new_files (file_id VARCHAR)")
                con.executemany("INSERT INTO _new_files VALUES (?)", [(s,) for s in shas])
                for table in ("files", *ROW_KINDS, "rejections"):
                    con.execute(
                        f"DELETE FROM {RAW_SCHEMA}.{table} "
                        "WHERE file_id IN (SELECT file_id FROM _new_files)"
                    )
                _insert_from_parquet(con, "files", FILES_COLUMNS, [new[s] for s in shas])
                con.execute(
                    f"UPDATE {RAW_SCHEMA}.files SET loaded_at = ? "
                    "WHERE file_id IN (SELECT file_id FROM _new_files)",
                    [loaded_at],
                )
                for kind in ROW_KINDS:
                    paths = _existing(settings.staged / "rows" / kind, new)
                    rows[kind] = _insert_from_parquet(con, kind, ROW_COLUMNS[kind], paths)
                paths = _existing(settings.staged / "rejections", new)
                rows["rejections"] = _insert_from_parquet(
                    con, "rejections", REJECTION_COLUMNS, paths
                )
                con.execute("DROP TABLE _new_files")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
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


def _existing(root: Path, new: dict[str, Path]) -> list[Path]:
    """``<root>/<pp>/<sha>.parquet`` for each new registry file whose companion exists."""
    paths = []
    for sha, registry_path in sorted(new.items()):
        candidate = root / registry_path.parent.name / f"{sha}.parquet"
        if candidate.exists():
            paths.append(candidate)
    return paths
