"""MOHA_SCHEDULES=off leaves the DAGs manual and Asset-triggered only (benchmarks, cluster test);
the publish DAG keeps its past weekly slots, for backfills, and none the scheduler would start."""

from __future__ import annotations

import pytest

from moha.runtime import DAGS_DIR

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "off",
            {
                "ingest_province_files": "NullTimetable",
                "build_warehouse": "AssetTriggeredTimetable",
                "publish_weekly_aggregate": "EventsTimetable",
                "remind_provinces": "NullTimetable",
            },
        ),
        (
            "on",
            {
                "ingest_province_files": "CronTriggerTimetable",
                "build_warehouse": "AssetTriggeredTimetable",
                "publish_weekly_aggregate": "CronTriggerTimetable",
                "remind_provinces": "CronTriggerTimetable",
            },
        ),
    ],
)
def test_schedules_switch(monkeypatch, value, expected):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("MOHA_SCHEDULES", value)
    bag = DagBag(dag_folder=str(DAGS_DIR))
    assert bag.import_errors == {}
    assert {d: type(bag.dags[d].timetable).__name__ for d in expected} == expected


def test_schedules_off_keeps_the_publish_slots_for_backfills_only(monkeypatch):
    from datetime import UTC, datetime
    from itertools import pairwise

    from airflow.dag_processing.dagbag import DagBag
    from airflow.timetables.base import TimeRestriction

    from moha.orchestration import START_DATE

    monkeypatch.setenv("MOHA_SCHEDULES", "off")
    timetable = DagBag(dag_folder=str(DAGS_DIR)).dags["publish_weekly_aggregate"].timetable
    now = datetime.now(UTC)
    # the scheduler (no catch-up) finds nothing to start; a backfill finds every Monday noon
    assert (
        timetable.next_dagrun_info(
            last_automated_data_interval=None, restriction=TimeRestriction(START_DATE, None, False)
        )
        is None
    )
    slots = timetable.event_dates
    assert timetable.periodic and slots[-1] <= now
    assert all(s.in_tz("Asia/Ho_Chi_Minh").weekday() == 0 for s in slots)
    assert all(s.in_tz("Asia/Ho_Chi_Minh").hour == 12 for s in slots)
    assert all((b - a).days == 7 for a, b in pairwise(slots))
