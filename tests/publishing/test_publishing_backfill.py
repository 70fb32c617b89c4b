"""Airflow's own backfill of the publish DAG, under the real scheduler: `airflow backfill create`
over two weeks runs both publishes at once (a backfill's max_active_runs, 10, not the DAG's 1);
both succeed on their first try and hold the packages published week by week."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.settings import Settings
from publishing.publish import MANIFEST, latest_version, publish_week
from tests.publishing.conftest import warehouse_copy

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DAG_ID = "publish_weekly_aggregate"
# Backfill dates are UTC midnights; the DAG runs on Mondays at 12:00 Asia/Ho_Chi_Minh (05:00 UTC)
# and publishes the week before. --to-date must be after the last Monday's run: the 16th, not 15th.
FROM_DATE, TO_DATE = "2025-09-08", "2025-09-16"
WEEKS = ("2025-W36", "2025-W37")


def _backfill_runs(scheduler, timeout: float = 600) -> list[tuple[str, str]]:
    """The backfill's runs (run id, state) once every one has ended."""
    deadline = time.monotonic() + timeout
    while True:
        runs = scheduler.airflow.query(
            "SELECT run_id, state FROM dag_run WHERE dag_id = ? AND run_type = 'backfill'"
            " ORDER BY logical_date",
            (DAG_ID,),
        )
        if len(runs) == len(WEEKS) and all(state in {"success", "failed"} for _, state in runs):
            return runs
        assert time.monotonic() < deadline, f"backfill not finished after {timeout:.0f} s: {runs}"
        time.sleep(1)


def test_scheduler_backfill_of_two_weeks_succeeds_first_try(
    scheduler, world: Settings, tmp_path: Path
) -> None:
    settings = warehouse_copy(world, tmp_path / "backfill")
    scheduler.use(settings.data_dir)
    scheduler.airflow.airflow(
        "backfill", "create", "--dag-id", DAG_ID, "--from-date", FROM_DATE, "--to-date", TO_DATE
    )
    runs = _backfill_runs(scheduler)
    tries = scheduler.airflow.query(
        "SELECT run_id, task_id, state, try_number FROM task_instance WHERE dag_id = ?"
        " AND run_id IN (?, ?)",
        (DAG_ID, *(run_id for run_id, _ in runs)),
    )
    assert [state for _, state in runs] == ["success", "success"], tries
    (start_a, end_a), (start_b, end_b) = scheduler.airflow.query(
        "SELECT start_date, end_date FROM dag_run WHERE dag_id = ? AND run_type = 'backfill'",
        (DAG_ID,),
    )
    assert start_a < end_b and start_b < end_a, "the two runs did not overlap"
    assert all(state in {"success", "skipped"} for _, _, state, _ in tries), tries
    # first try: no task was retried (a retry is what the collision used to cost)
    assert all(number <= 1 for _, _, _, number in tries), tries

    apart = warehouse_copy(world, tmp_path / "week_by_week")
    for week in WEEKS:
        expected = publish_week(apart, week)
        found = latest_version(settings.outbox / week)
        assert found is not None and found[1].name == "v1", week
        manifest = json.loads((found[1] / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["content_digest"] == expected.content_digest, week
    assert sorted(p.name for p in settings.outbox.iterdir()) == list(WEEKS)
