"""MOHA_SCHEDULES=off leaves the DAGs manual and Asset-triggered only (benchmarks, cluster test)."""

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
                "publish_weekly_aggregate": "NullTimetable",
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
