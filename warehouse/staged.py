"""What is staged and not yet loaded, and the SELECT that reads it with the raw tables' casts.

Both loaders (DuckDB in :mod:`warehouse.load`, PostgreSQL in :mod:`warehouse.postgres`) read the
staged Parquet through DuckDB with the casts derived here from :mod:`core.raw_schema`, so the
typing rules are the same on both targets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core import raw_schema, reference
from core.records import JsonRecord
from core.settings import Settings

# Logical raw types as DuckDB spells them (DuckDB reads staged Parquet for both loaders).
DUCKDB_TYPES = {
    raw_schema.VARCHAR: "VARCHAR",
    raw_schema.INTEGER: "INTEGER",
    raw_schema.BIGINT: "BIGINT",
    raw_schema.DATE: "DATE",
    raw_schema.TIMESTAMPTZ: "TIMESTAMPTZ",
}

# Tables whose rows one landed file owns (replaced by file_id), and the outcomes table (replaced
# by outcome_id): delete + insert by those keys makes every load idempotent.
FILE_TABLES = ("files", *raw_schema.ROW_KINDS, "rejections")
OUTCOMES = "ingest_outcomes"
COUNTED_TABLES = (*raw_schema.ROW_KINDS, "rejections")  # rows_loaded of a load's summary


def sql_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def parquet_source(paths: list[Path]) -> str:
    """DuckDB ``read_parquet`` over ``paths``; columns matched by name, missing ones null."""
    return f"read_parquet([{', '.join(sql_literal(str(p)) for p in paths)}], union_by_name = true)"


def select_casts(table: str, available: set[str], loaded_at: datetime | None = None) -> str:
    """SELECT list giving every column of raw ``table`` its declared type.

    Staged columns absent from older Parquet files read as NULL; the loader's own columns
    (``loaded_at``) take ``loaded_at``.
    """
    parts = []
    for column in raw_schema.TABLES[table]:
        if column.staged:
            source = f'"{column.name}"' if column.name in available else "NULL"
        elif column.name == "loaded_at" and loaded_at is not None:
            source = sql_literal(loaded_at.isoformat())
        else:
            source = "NULL"
        parts.append(f'CAST({source} AS {DUCKDB_TYPES[column.type]}) AS "{column.name}"')
    return ", ".join(parts)


def reference_rows() -> dict[str, list[tuple]]:
    """The rows raw.provinces and raw.communes must hold, from ``core.reference``, sorted."""
    return {
        "provinces": sorted(
            (p.code, p.name, p.division_type) for p in reference.provinces().values()
        ),
        "communes": sorted(
            (c.code, c.name, c.division_type, c.province_code)
            for c in reference.communes().values()
        ),
    }


def _by_stem(root: Path) -> dict[str, Path]:
    if not root.exists():
        return {}
    return {path.stem: path for path in sorted(root.glob("*/*.parquet"))}


def staged_registry_files(settings: Settings) -> dict[str, Path]:
    """file_id → registry Parquet path, for every ``staged/files/<pp>/<file_id>.parquet``."""
    return _by_stem(settings.staged / "files")


def staged_outcomes(settings: Settings) -> dict[str, Path]:
    """outcome_id → Parquet path, for every ``staged/outcomes/<pp>/<outcome_id>.parquet``."""
    return _by_stem(settings.staged / "outcomes")


def _companions(root: Path, new: dict[str, Path]) -> list[Path]:
    """``<root>/<pp>/<file_id>.parquet`` for each new registry file whose companion exists."""
    paths = []
    for file_id, registry_path in sorted(new.items()):
        candidate = root / registry_path.parent.name / f"{file_id}.parquet"
        if candidate.exists():
            paths.append(candidate)
    return paths


@dataclass
class Batch:
    """What one load writes: new files (with their rows and rejections) and new outcomes."""

    files_staged: int
    file_ids: list[str]
    outcome_ids: list[str]
    paths: dict[str, list[Path]] = field(default_factory=dict)  # raw table → staged Parquet

    @property
    def empty(self) -> bool:
        return not self.file_ids and not self.outcome_ids

    def replaced(self) -> list[tuple[str, str, list[str]]]:
        """(raw table, key column, ids) of each table whose rows this batch replaces, in load
        order; a table with nothing to replace is left out."""
        tables = (
            *((table, "file_id", self.file_ids) for table in FILE_TABLES),
            (OUTCOMES, "outcome_id", self.outcome_ids),
        )
        return [(table, key, ids) for table, key, ids in tables if ids]


def plan_batch(
    settings: Settings, loaded_files: set[str], loaded_outcomes: set[str], reload: bool
) -> Batch:
    """The staged files and outcomes not yet loaded (everything when ``reload``)."""
    staged = staged_registry_files(settings)
    new = {key: path for key, path in staged.items() if reload or key not in loaded_files}
    outcomes = {
        key: path
        for key, path in staged_outcomes(settings).items()
        if reload or key not in loaded_outcomes
    }
    paths = {"files": [new[key] for key in sorted(new)]}
    for kind in raw_schema.ROW_KINDS:
        paths[kind] = _companions(settings.staged / "rows" / kind, new)
    paths["rejections"] = _companions(settings.staged / "rejections", new)
    paths[OUTCOMES] = [outcomes[key] for key in sorted(outcomes)]
    return Batch(len(staged), sorted(new), sorted(outcomes), paths)


@dataclass(frozen=True)
class Loaded(JsonRecord):
    """What one load did (the same on both targets)."""

    files_staged: int
    files_loaded: int
    file_ids: tuple[str, ...]
    outcomes_loaded: int
    rows_loaded: dict[str, int]  # per counted raw table
    reference_written: bool
    loaded_at: datetime | None  # None when no file was loaded
    seconds: float


def load_summary(
    batch: Batch, rows: dict[str, int], reference_written: bool, loaded_at: datetime, started: float
) -> Loaded:
    """The result of one load."""
    return Loaded(
        files_staged=batch.files_staged,
        files_loaded=len(batch.file_ids),
        file_ids=tuple(batch.file_ids),
        outcomes_loaded=len(batch.outcome_ids),
        rows_loaded=rows,
        reference_written=reference_written,
        loaded_at=loaded_at if batch.file_ids else None,
        seconds=round(time.perf_counter() - started, 3),
    )
