"""DAG policy: imports cleanly, owner, known tags, retries, failure alert, explicit schedule,
no catchup."""

from __future__ import annotations

import time

import pytest

from moha.alerts import record_failure
from moha.orchestration import OWNER, TAGS
from moha.runtime import DAGS_DIR

EXPECTED_DAGS = {
    "ingest_province_files",
    "build_warehouse",
    "publish_weekly_aggregate",
    "remind_provinces",
}
EXPECTED_TIMETABLES = {
    "ingest_province_files": "CronTriggerTimetable",
    "build_warehouse": "AssetTriggeredTimetable",
    "publish_weekly_aggregate": "CronTriggerTimetable",
    "remind_provinces": "CronTriggerTimetable",
}


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=str(DAGS_DIR))
    elapsed = time.perf_counter() - started
    print(f"\nDagBag parsed {len(bag.dags)} DAGs in {elapsed:.2f}s")
    for stat in bag.dagbag_stats:
        print(f"  {stat.file}: {stat.duration.total_seconds():.3f}s")
    return bag


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}


def test_the_dags_of_the_weekly_cycle_exist(dagbag):
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_follows_policy(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.owner == OWNER
    assert dag.tags and set(dag.tags) <= TAGS
    assert dag.catchup is False
    assert type(dag.timetable).__name__ == EXPECTED_TIMETABLES[dag_id]
    for task in dag.tasks:
        assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
        assert task.owner == OWNER
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert record_failure in callbacks, f"{dag_id}.{task.task_id} sends no failure alert"
        # a task returning a dict pushes one XCom (one API call), not one per key as well
        assert not getattr(task, "multiple_outputs", False), f"{dag_id}.{task.task_id}"


def test_publish_runs_monday_noon_vietnam_time(dagbag):
    timetable = dagbag.dags["publish_weekly_aggregate"].timetable
    assert timetable._expression == "0 12 * * 1"
    assert str(timetable._timezone) in {"Asia/Ho_Chi_Minh", "Timezone('Asia/Ho_Chi_Minh')"}


def test_reminders_go_monday_8_vietnam_time_before_the_noon_deadline(dagbag):
    timetable = dagbag.dags["remind_provinces"].timetable
    assert timetable._expression == "0 8 * * 1"
    assert str(timetable._timezone) in {"Asia/Ho_Chi_Minh", "Timezone('Asia/Ho_Chi_Minh')"}


def test_summaries_are_mailed_after_every_province_task(dagbag):
    task = dagbag.dags["ingest_province_files"].get_task("mail_summaries")
    assert task.trigger_rule == "all_done" and task.upstream_task_ids == {"ingest_province"}


def test_ingest_maps_one_task_per_province_named_for_it(dagbag):
    task = dagbag.dags["ingest_province_files"].get_task("ingest_province")
    assert task.map_index_template == "{{ province_label }}"
    for task_id in ("check_provinces", "rejected_files"):
        downstream = dagbag.dags["ingest_province_files"].get_task(task_id)
        assert downstream.trigger_rule == "all_done"
        assert downstream.upstream_task_ids == {"ingest_province"} | (
            {"list_provinces"} if task_id == "check_provinces" else set()
        )
    assert not dagbag.dags["ingest_province_files"].get_task("rejected_files").downstream_task_ids


def test_only_the_announce_task_emits_the_staged_files_asset(dagbag):
    dag = dagbag.dags["ingest_province_files"]
    emitters = [t.task_id for t in dag.tasks if t.outlets]
    assert emitters == ["announce_staged_files"]


def test_warehouse_tasks_are_the_refresh_steps_in_order_then_the_values_to_check(dagbag):
    from warehouse.refresh import STEPS

    dag = dagbag.dags["build_warehouse"]
    order = [t.task_id for t in dag.topological_sort()]
    assert order == [*STEPS, "values_to_check"]
    assert [t.task_id for t in dag.tasks if t.outlets] == [list(STEPS)[-1]]


def test_dag_files_do_no_heavy_work_at_parse_time():
    """Parsing a DAG file must not import dbt, Great Expectations, pandas or duckdb."""
    import subprocess
    import sys

    probe = (
        "import sys, runpy, glob\n"
        f"for path in sorted(glob.glob('{DAGS_DIR}/*.py')): runpy.run_path(path)\n"
        "heavy = [m for m in ('dbt', 'great_expectations', 'pandas', 'duckdb', 'pyarrow') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1:] in ([""], []), result.stdout
