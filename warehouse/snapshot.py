"""The analysts' read-only copy of the warehouse, swapped in atomically after a successful build.

CHECKPOINT the pipeline warehouse, copy it to a temporary file in the same folder, strip what
analysts must not query (raw personal data, and staging/intermediate views whose SQL names the
pipeline catalog), then ``os.replace`` it over ``moha_analyst.duckdb``. An analyst holding a
connection to the old copy keeps reading the old file (its inode lives until they close it); a new
connection opens the new one. The pipeline never waits for analysts and analysts never see a
half-built state.

With the PostgreSQL warehouse (``MOHA_WAREHOUSE=postgres``) there is no copy to make and
:func:`publish_analyst_copy` is a no-op that says so: analysts connect to PostgreSQL itself
(grant them ``USAGE``/``SELECT`` on schema ``main`` only, never ``raw``). MVCC gives every
query a consistent snapshot, and dbt-postgres builds each table under a temporary name and swaps
it in with renames inside one transaction, so readers never wait for the build, never block it,
and never see a half-built table.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.crashpoints import crash_point
from core.records import JsonRecord
from core.settings import Settings
from core.tempfiles import pid_alive, sweep

# Schemas left out of the analysts' copy: raw holds personal data (names, official ids);
# staging and intermediate are views whose SQL names the pipeline catalog ("moha").
EXCLUDED_SCHEMAS = ("raw", "staging", "intermediate")


@dataclass(frozen=True)
class AnalystCopy(JsonRecord):
    """The analysts' read-only copy as published: where, how big, which tables."""

    path: str | None  # None: nothing published (``skipped`` says why)
    tables: tuple[str, ...]
    seconds: float
    bytes: int | None = None
    skipped: str | None = None


def _writer_alive(suffix: str) -> bool:
    """``<pid>.tmp…``: whether that pid, not this process, is still running."""
    pid = suffix.split(".", 1)[0]
    return pid.isdigit() and int(pid) != os.getpid() and pid_alive(int(pid))


def publish_analyst_copy(settings: Settings) -> AnalystCopy:
    """Publish ``settings.analyst_path`` from ``settings.warehouse_path``.

    A documented no-op for the PostgreSQL warehouse (see the module docstring).
    """
    started = time.perf_counter()
    if settings.warehouse_target == "postgres":
        return AnalystCopy(
            path=None,
            tables=(),
            seconds=round(time.perf_counter() - started, 3),
            skipped="PostgreSQL warehouse: analysts query schema main directly (MVCC, "
            "dbt swaps tables transactionally); no read-only copy to publish",
        )
    source: Path = settings.warehouse_path
    target: Path = settings.analyst_path
    if not source.exists():
        raise FileNotFoundError(f"no warehouse to copy at {source}")
    # Copies a killed run left behind: those whose writer (the pid in the name) is gone. A live
    # writer's is left alone (a `moha run` and a scheduler on one data folder each have a slot).
    prefix = f".{target.name}."
    sweep(
        target.parent,
        [f"{prefix}*.tmp*"],
        recursive=False,
        owned=lambda path: _writer_alive(path.name[len(prefix) :]),
    )
    tmp = target.with_name(f"{prefix}{os.getpid()}.tmp")
    try:
        # Hold the writer connection while copying: the file is checkpointed (no WAL) and nobody
        # else can write to it until the copy is complete.
        con = duckdb.connect(str(source))
        try:
            con.execute("CHECKPOINT")
            shutil.copyfile(source, tmp)
        finally:
            con.close()
        copy = duckdb.connect(str(tmp))
        try:
            for schema in EXCLUDED_SCHEMAS:
                copy.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            tables = copy.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables ORDER BY 1"
            ).fetchall()
            copy.execute("CHECKPOINT")
        finally:
            copy.close()
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        crash_point("snapshot.copied")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return AnalystCopy(
        path=str(target),
        tables=tuple(t[0] for t in tables),
        seconds=round(time.perf_counter() - started, 3),
        bytes=target.stat().st_size,
    )
