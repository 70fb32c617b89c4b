"""Run the dbt project (seed + build, docs) as a subprocess of the venv's dbt.

The profiles.yml target follows ``MOHA_WAREHOUSE``: ``duckdb`` (the file under the data folder) or
``postgres`` (``MOHA_PG_*``; an unreachable server raises
:class:`warehouse.postgres.WarehouseUnavailable` before dbt starts). profiles.yml reads its
values from the environment dbt is started with, which :func:`dbt_env` fills from the settings.

A subprocess, not dbt's Python API, so the DuckDB file lock is released when the call returns and a
crash in dbt cannot take the caller with it. Each data directory gets its own dbt target and log
folders (``<data>/warehouse/dbt/target``, ``.../logs``) so concurrent runs on other data folders
never clash over ``dbt_project/target``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.records import JsonRecord
from core.settings import DBT_PROJECT_DIR, Settings
from core.weeks import IsoWeek

log = logging.getLogger(__name__)

FAILED_STATUSES = {"error", "fail", "runtime error"}


class DbtBuildError(RuntimeError):
    """dbt exited non-zero; ``failures`` lists the failing nodes and their messages."""

    def __init__(self, message: str, failures: list[dict[str, Any]], returncode: int) -> None:
        super().__init__(message)
        self.failures = failures
        self.returncode = returncode


def dbt_executable() -> str:
    """The dbt next to the running interpreter (the venv's), else the one on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if not found:
        raise FileNotFoundError("dbt executable not found next to python or on PATH")
    return found


def dbt_target_path(settings: Settings) -> Path:
    """Where dbt writes manifest.json, run_results.json and the docs site for this data folder."""
    return settings.warehouse_dir / "dbt" / "target"


def dbt_log_path(settings: Settings) -> Path:
    return settings.warehouse_dir / "dbt" / "logs"


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for the dbt subprocess: what profiles.yml reads (data folder, target, the
    PostgreSQL connection, all from ``settings``), telemetry off."""
    pg = settings.postgres
    env = dict(os.environ)
    env.update(
        {
            "MOHA_DATA_DIR": str(settings.data_dir),
            "MOHA_WAREHOUSE": settings.warehouse_target,
            "MOHA_PG_HOST": pg.host,
            "MOHA_PG_PORT": str(pg.port),
            "MOHA_PG_USER": pg.user,
            "MOHA_PG_PASSWORD": pg.password,
            "MOHA_PG_DBNAME": pg.dbname,
            "MOHA_PG_SCHEMA": pg.schema,
            "MOHA_PG_THREADS": str(pg.threads),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "DO_NOT_TRACK": "1",
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        }
    )
    return env


TARGETS = ("duckdb", "postgres")


def dbt_target(settings: Settings) -> str:
    """The profiles.yml output to build: ``duckdb`` (embedded) or ``postgres`` (scale-out)."""
    if settings.warehouse_target not in TARGETS:
        raise ValueError(
            f"MOHA_WAREHOUSE={settings.warehouse_target!r}: expected one of {', '.join(TARGETS)}"
        )
    return settings.warehouse_target


def dbt_vars(settings: Settings) -> dict[str, str]:
    """The reporting window dim_week is bounded by (``macros/reporting_window.sql``) and the
    secondment waves reports are expected in (``int_report_wave_weeks``)."""
    last = IsoWeek.parse(settings.last_week).monday.isoformat() if settings.last_week else ""
    return {
        "moha_first_week_start": IsoWeek.parse(settings.first_week).monday.isoformat(),
        "moha_last_week_start": last,
        "moha_report_waves": settings.report_waves,
    }


def _run(settings: Settings, args: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    target = dbt_target(settings)
    if target == "postgres":
        # One clear line (WarehouseUnavailable) instead of dbt's connection traceback.
        from warehouse.postgres import ensure_reachable

        ensure_reachable(settings)
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    command = [
        dbt_executable(),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        target,
        "--target-path",
        str(dbt_target_path(settings)),
        "--log-path",
        str(dbt_log_path(settings)),
        "--vars",
        json.dumps(dbt_vars(settings)),
    ]
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env=dbt_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    return completed, time.perf_counter() - started


def _run_results(settings: Settings) -> dict[str, Any] | None:
    path = dbt_target_path(settings) / "run_results.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _failures(results: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not results:
        return []
    return [
        {
            "node": result["unique_id"],
            "status": result["status"],
            "message": result.get("message"),
            "failures": result.get("failures"),
        }
        for result in results.get("results", [])
        if result.get("status") in FAILED_STATUSES
    ]


@dataclass(frozen=True)
class Built(JsonRecord):
    """One successful ``dbt build``: wall-clock and dbt-reported seconds, nodes by type and
    status."""

    full_refresh: bool
    seconds: float
    dbt_elapsed_seconds: float | None
    nodes: int
    by_type: dict[str, int]  # model, test, seed, unit_test, …
    by_status: dict[str, int]  # success, pass, …
    target_path: str

    def summary(self) -> str:
        """One line: the nodes built and tested, by type and by status, and the time."""
        types = ", ".join(f"{n} {kind}" for kind, n in sorted(self.by_type.items()))
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(self.by_status.items()))
        refresh = " (full refresh)" if self.full_refresh else ""
        return f"dbt build{refresh}: {self.nodes} nodes ({types}): {statuses}; {self.seconds:.1f} s"


def run_dbt_build(settings: Settings, full_refresh: bool = False) -> Built:
    """``dbt build`` (seeds, models, data and unit tests); raises :class:`DbtBuildError`.

    Returns wall-clock and dbt-reported seconds and node counts by type and status.
    """
    run_results_path = dbt_target_path(settings) / "run_results.json"
    run_results_path.unlink(missing_ok=True)
    args = ["build"] + (["--full-refresh"] if full_refresh else [])
    completed, seconds = _run(settings, args)
    results = _run_results(settings)
    if completed.returncode != 0:
        failures = _failures(results)
        if failures:
            lines = [f"{f['node']} [{f['status']}]: {f['message']}" for f in failures]
        else:
            tail = (completed.stdout + completed.stderr).strip().splitlines()[-30:]
            lines = ["dbt failed before running any node:", *tail]
        raise DbtBuildError(
            f"dbt build failed (exit {completed.returncode}); "
            f"{len(failures)} failing node(s):\n" + "\n".join(lines),
            failures,
            completed.returncode,
        )
    nodes = results.get("results", []) if results else []
    built = Built(
        full_refresh=full_refresh,
        seconds=round(seconds, 3),
        dbt_elapsed_seconds=round(results.get("elapsed_time", 0.0), 3) if results else None,
        nodes=len(nodes),
        by_type=dict(Counter(r["unique_id"].split(".")[0] for r in nodes)),
        by_status=dict(Counter(r["status"] for r in nodes)),
        target_path=str(dbt_target_path(settings)),
    )
    log.info("%s", built.summary())
    return built


def generate_docs(settings: Settings) -> Path:
    """``dbt docs generate --static``; returns the folder holding the docs site.

    The folder (``<MOHA_DATA_DIR>/warehouse/dbt/target/``) holds ``static_index.html`` (one
    self-contained file with the manifest and catalog inside: open it from disk, offline, or mail
    it) besides the served site (``index.html`` + ``manifest.json`` + ``catalog.json``, which a
    browser only loads over HTTP: ``dbt docs serve --target-path <that folder>``).
    """
    completed, _ = _run(settings, ["docs", "generate", "--static"])
    if completed.returncode != 0:
        tail = (completed.stdout + completed.stderr).strip().splitlines()[-30:]
        raise DbtBuildError(
            "dbt docs generate failed:\n" + "\n".join(tail), [], completed.returncode
        )
    page = static_docs_path(settings)
    page.write_text(offline_page(page.read_text(encoding="utf-8")), encoding="utf-8")
    return dbt_target_path(settings)


_SVG_HREF = re.compile(r'(?<!ng-attr-)xlink:href="\{\{')
_FAVICON = "href=\"${require('./assets/favicons/favicon.ico')}\""


def offline_page(html: str) -> str:
    """dbt-docs' page without the requests it makes for files that do not exist: each tree
    item's ``<use xlink:href="{{ getIcon(…) }}">`` is fetched before AngularJS fills it in
    (``ng-attr-`` makes AngularJS set it once filled in), and the favicon link is a build
    placeholder left unreplaced (an empty ``data:`` URL instead)."""
    return _SVG_HREF.sub('ng-attr-xlink:href="{{', html).replace(_FAVICON, 'href="data:,"')


def static_docs_path(settings: Settings) -> Path:
    """The one-file docs site :func:`generate_docs` writes (opens from disk, no server)."""
    return dbt_target_path(settings) / "static_index.html"
