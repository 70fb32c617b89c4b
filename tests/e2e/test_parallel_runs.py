"""No DuckDB lock failure at any parallelism: one writer (the build), everyone else reads a copy."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from core.weeks import IsoWeek
from moha.orchestration import WRITER_POOL
from moha.runtime import DAGS_DIR
from tests.support.e2e import data_dir

pytestmark = pytest.mark.slow

WEEKS = [IsoWeek.parse("2025-W35"), IsoWeek.parse("2025-W36")]
PROVINCES = ["01", "11", "31", "48", "79", "96"]


def test_every_task_that_writes_the_warehouse_holds_the_one_slot_pool():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR))
    build = bag.dags["build_warehouse"]
    assert build.max_active_runs == 1
    assert {task.pool for task in build.tasks} == {WRITER_POOL}
    for dag_id in ("ingest_province_files", "publish_weekly_aggregate"):
        assert all(task.pool != WRITER_POOL for task in bag.dags[dag_id].tasks)


def _build(settings, week):
    from publishing.publish import publish_week
    from warehouse.refresh import refresh

    refresh(settings)
    return publish_week(settings, week)


def _ingest(args):
    from ingestion.province import process_province

    settings, province, week = args
    return process_province(settings, province, week)


def _analyst(args) -> tuple[int, str | None]:
    """An analyst in another process, querying the snapshot until told to stop."""
    snapshot, stop_file = args
    reads = 0
    while not Path(stop_file).exists():
        try:
            with duckdb.connect(snapshot, read_only=True) as con:
                con.sql("select sum(vacancies) from province_weekly").fetchall()
        except Exception as error:  # a lock error is what this test looks for
            return reads, f"{type(error).__name__}: {error}"
        reads += 1
        time.sleep(0.01)
    return reads, None


def test_no_duckdb_lock_failure_with_four_readers_and_four_ingests(tmp_path):
    # Four at once on two cores is the contended case; one at a time adds nothing it does not show.
    import simulator

    parallelism = 4

    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, WEEKS, PROVINCES, seed=11, fault_rate=0.0)
        for province in PROVINCES:
            _ingest((settings, province, WEEKS[0]))
        _build(settings, WEEKS[0])

        stop_file = tmp_path / "stop"
        spawn = multiprocessing.get_context("spawn")
        with (
            ProcessPoolExecutor(parallelism, mp_context=spawn) as analysts,
            ProcessPoolExecutor(parallelism, mp_context=spawn) as ingest,
        ):
            reading = [
                analysts.submit(_analyst, (str(settings.analyst_path), str(stop_file)))
                for _ in range(parallelism)
            ]
            try:
                outcomes = list(ingest.map(_ingest, [(settings, p, WEEKS[1]) for p in PROVINCES]))
                result = _build(settings, WEEKS[1])
            finally:
                stop_file.touch()
            reads = [future.result() for future in reading]
        assert [error for _, error in reads if error] == []
        assert all(count > 0 for count, _ in reads)
        assert all(o.files_failed == 0 and o.files_landed >= 1 for o in outcomes)
        assert result.status == "published"
        with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
            weeks = con.sql("select distinct week from province_weekly order by 1").fetchall()
        assert [w[0] for w in weeks] == [str(w) for w in WEEKS]
