"""The cycle breakdown counts every instant once: running, queued, scheduler gap, between runs."""

from __future__ import annotations

import pytest

from bench.run_timings import (
    RunTimes,
    TaskTimes,
    cycle_report,
    scheduling_delays,
    task_overhead,
    timeline,
)


def _ti(run: str, task: str, queued: float, start: float, end: float, index: int = -1):
    return TaskTimes("d", run, task, index, "success", 1, queued, start, end)


def test_every_second_of_the_cycle_is_counted_once():
    runs = [
        RunTimes("ingest", "r1", "manual", "success", 0.5, 1.0, 10.0),
        RunTimes("build", "r2", "asset_triggered", "success", 11.0, 12.0, 20.0),
    ]
    tis = [
        _ti("r1", "a", 1.5, 2.0, 5.0),  # 1.0-1.5 gap in run, 1.5-2 queued, 2-5 running
        _ti("r1", "b", 5.5, 6.0, 9.0, 0),  # 5-5.5 gap, 5.5-6 queued, 6-9 running
        _ti("r1", "b", 5.5, 7.0, 9.5, 1),  # overlaps: running until 9.5
        _ti("r2", "c", 12.0, 13.0, 19.0),  # 12-13 queued, 13-19 running, 19-20 gap
    ]
    report = timeline(0.0, 20.0, runs, tis)
    assert report["running"] == pytest.approx(3.0 + 3.5 + 6.0)
    assert report["queued"] == pytest.approx(0.5 + 0.5 + 1.0)
    assert report["scheduler_gap_in_run"] == pytest.approx(0.5 + 0.5 + 0.5 + 1.0)
    assert report["between_runs"] == pytest.approx(1.0 + 2.0)  # 0-1 and 10-12
    assert report["between_runs_detail"] == {"before ingest": 1.0, "before build": 2.0}
    assert sum(
        report[k] for k in ("running", "queued", "scheduler_gap_in_run", "between_runs")
    ) == (pytest.approx(20.0))


def test_scheduling_delay_is_from_the_last_finished_task_to_the_next_queueing():
    tis = [_ti("r", "a", 0.0, 0.1, 1.0), _ti("r", "b", 1.4, 1.5, 2.0), _ti("r", "c", 2.2, 2.3, 3)]
    assert scheduling_delays(tis) == {"count": 2, "median_s": 0.3, "max_s": 0.4}


def test_cycle_report_names_runs_and_tasks():
    runs = [RunTimes("ingest", "r1", "manual", "success", 0.2, 0.5, 4.0)]
    tis = [_ti("r1", "a", 1.0, 1.2, 3.0), _ti("r1", "a", 1.0, 1.4, 3.5, 1)]
    report = cycle_report(0.0, runs, tis)
    assert report["seconds"] == 4.0
    assert report["runs"]["ingest (manual)"]["ends_at_s"] == 4.0
    assert report["tasks"]["d.a"]["count"] == 2


def test_a_tasks_run_time_splits_into_its_work_and_the_rest():
    tis = [
        _ti("r1", "p", 0.0, 1.0, 3.0, 0),  # 2.0 s running, 0.5 s of work
        _ti("r1", "p", 0.0, 1.0, 2.0, 1),  # 1.0 s running, 0.3 s of work
        _ti("r1", "p", 0.0, 1.0, 9.0, 2),  # failed: no work reported, left out
        _ti("r1", "q", 0.0, 1.0, 2.0),  # returns nothing: not reported
    ]
    work = {("r1", "p", 0): 0.5, ("r1", "p", 1): 0.3}
    assert task_overhead(tis, work) == {
        "d.p": {
            "count": 2,
            "work_median_s": 0.4,
            "work_sum_s": 0.8,
            "overhead_median_s": 1.1,
            "overhead_sum_s": 2.2,
        }
    }
