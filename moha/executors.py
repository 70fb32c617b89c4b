"""Task processes that start with the pipeline's libraries already imported (LocalExecutor, Celery).

Airflow runs each task in a process forked from a LocalExecutor worker, and the workers are
forked from the scheduler when the executor starts. Nothing of ours is imported there, so every
task imported pandas, pyarrow, DuckDB, xlsxwriter and the reference data again: about 1 s of
CPU per task on the 2-core reference machine, 34 province tasks a run (bench figure 3b). This
executor imports them once, in the scheduler, just before the workers are forked; each task then
inherits them (copy-on-write; Airflow freezes the garbage collector around the fork).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time

from airflow.executors.local_executor import LocalExecutor

log = logging.getLogger(__name__)

PRELOAD = (
    "ingestion.province",  # pandas, pyarrow, python-calamine, openpyxl
    "warehouse.refresh",
    "warehouse.load",  # duckdb
    "publishing.publish",
    "xlsxwriter",  # imported by publishing.workbook only when it writes the package
    "quality.gate",
    "great_expectations",  # imported by the gate only when it runs: about 3 s of CPU
    "docx",  # the officials' reports: imported by the parsing child (forked) for each .docx
    "pypdf",
)


def preload() -> list[str]:
    """Import :data:`PRELOAD` and warm the reference-data caches; returns what failed (a module
    that cannot be imported here still fails, visibly, in the task that needs it)."""
    failed = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as error:
            log.warning("preload of %s failed: %s", name, error)
            failed.append(name)
    from core.reference import communes, provinces

    provinces()
    communes()
    try:
        _import_dag_files()
    except Exception as error:
        log.warning("preload of the DAG files failed: %s", error)
        failed.append("dags")
    return failed


def _import_dag_files() -> None:
    """Run each DAG file once, under a private module name, so that what they import (Airflow's
    task decorators, Jinja's extensions, ``moha.orchestration``) is imported here too: every
    task process parses its DAG file before it runs, 0.1–0.3 s each otherwise."""
    from moha.runtime import DAGS_DIR

    for path in sorted(DAGS_DIR.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_moha_preload_{path.stem}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


class PreloadedLocalExecutor(LocalExecutor):
    """LocalExecutor (same behaviour, same settings) with :func:`preload` before the fork."""

    def start(self) -> None:
        started = time.perf_counter()
        failed = preload()
        log.warning(
            "preloaded %d modules for the task processes in %.1f s%s",
            len(PRELOAD) - len(failed),
            time.perf_counter() - started,
            f" (failed: {', '.join(failed)})" if failed else "",
        )
        super().start()
