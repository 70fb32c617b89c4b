"""A simulated quarter run through Airflow once per session, shared by the end-to-end tests."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from moha.settings import Settings, load_settings
from moha.weeks import IsoWeek, week_range

QUARTER = "2025-W35:2025-W47"
SEED = 7


@contextmanager
def data_dir(path: Path) -> Iterator[Settings]:
    """Point MOHA_DATA_DIR (read by every task) at ``path`` for the duration."""
    before = os.environ.get("MOHA_DATA_DIR")
    os.environ["MOHA_DATA_DIR"] = str(path)
    try:
        yield load_settings()
    finally:
        if before is None:
            os.environ.pop("MOHA_DATA_DIR", None)
        else:
            os.environ["MOHA_DATA_DIR"] = before


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


@pytest.fixture(scope="session")
def quarter(tmp_path_factory) -> Quarter:
    """34 provinces × 13 weeks with faults: the first week through the whole weekly cycle, then
    the rest of the quarter ingested and built at once and every week published."""
    import simulator
    from moha.cycle import run_week

    root = tmp_path_factory.mktemp("quarter") / "data"
    weeks = week_range(QUARTER)
    timings: dict[str, float] = {}
    with data_dir(root) as settings:
        started = time.perf_counter()
        simulator.simulate(settings, weeks, seed=SEED)
        timings["simulate"] = time.perf_counter() - started
        started = time.perf_counter()
        run_week(weeks[0])
        timings["first week cycle"] = time.perf_counter() - started
        started = time.perf_counter()
        run_dag("ingest_province_files")
        timings["ingest rest of quarter"] = time.perf_counter() - started
        started = time.perf_counter()
        run_dag("build_warehouse")
        timings["build"] = time.perf_counter() - started
        started = time.perf_counter()
        for week in weeks[1:]:
            run_dag("publish_weekly_aggregate", {"week": str(week)})
        timings["publish 12 weeks"] = time.perf_counter() - started
    print("\nquarter timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    return Quarter(settings, weeks, timings)


@pytest.fixture
def quarter_env(quarter: Quarter, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    """The quarter, with MOHA_DATA_DIR pointing at it for tasks run inside the test."""
    monkeypatch.setenv("MOHA_DATA_DIR", str(quarter.settings.data_dir))
    return quarter
