"""Helpers shared by the end-to-end tests (a unique module name: spawned children import it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from core.settings import Settings, load_settings
from core.weeks import IsoWeek


@contextmanager
def data_dir(path: Path) -> Iterator[Settings]:
    """Point MOHA_DATA_DIR (read by every task) at ``path`` for the duration."""
    with mock.patch.dict(os.environ, {"MOHA_DATA_DIR": str(path)}):
        yield load_settings()


@dataclass
class Quarter:
    settings: Settings
    weeks: list[IsoWeek]
    timings: dict[str, float]


def run_dag(dag_id: str, conf: dict | None = None):
    """One DAG through Airflow (`dag.test()`); fails the test unless the run succeeded."""
    from moha.cycle import load_dags
    from moha.cycle import run_dag as run

    outcome = run(load_dags((dag_id,))[dag_id], conf)
    assert outcome.state == "success", f"{dag_id} {outcome.state}: {outcome.failed_tasks}"
    return outcome
