"""Where the time of a scheduled cycle goes, from task-instance and DAG-run times of the metadata
DB: the one breakdown bench figure 3b and the scale-out cluster test report.

Every instant between the trigger and the last run's end is counted once: a task running, else a
task queued (handed to the executor, waiting for a worker slot or its process), else a DAG run in
progress with nothing running or queued (the scheduler's loop between dependent tasks), else no
run in progress (between DAG runs: Asset event → run created, or waiting for a trigger).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class TaskTimes:
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    state: str
    try_number: int
    queued: float | None  # epoch seconds
    start: float | None
    end: float | None


@dataclass(frozen=True)
class RunTimes:
    dag_id: str
    run_id: str
    run_type: str
    state: str
    queued: float | None
    start: float | None
    end: float | None


CATEGORIES = ("running", "queued", "scheduler_gap_in_run", "between_runs")


def timeline(start: float, end: float, runs: list[RunTimes], tis: list[TaskTimes]) -> dict:
    """Seconds of [start, end] per category (see the module docstring); the gaps between runs are
    also given per following DAG."""
    done = [t for t in tis if t.start and t.end]
    queued = [t for t in tis if t.queued and t.start]
    active = [r for r in runs if r.start and r.end]
    bounds = {start, end}
    for t in done:
        bounds |= {t.start, t.end, t.queued or t.start}
    for r in active:
        bounds |= {r.start, r.end}
    totals = dict.fromkeys(CATEGORIES, 0.0)
    between: dict[str, float] = defaultdict(float)
    for a, b in pairwise(sorted(x for x in bounds if start <= x <= end)):
        mid = (a + b) / 2
        if any(t.start <= mid < t.end for t in done):
            totals["running"] += b - a
        elif any(t.queued <= mid < t.start for t in queued):
            totals["queued"] += b - a
        elif any(r.start <= mid < r.end for r in active):
            totals["scheduler_gap_in_run"] += b - a
        else:
            totals["between_runs"] += b - a
            after = [r for r in active if r.start >= mid]
            following = min(after, key=lambda r: r.start).dag_id if after else "the end"
            between[f"before {following}"] += b - a
    return {
        **{k: round(v, 2) for k, v in totals.items()},
        "between_runs_detail": {k: round(v, 2) for k, v in between.items()},
    }


def task_stats(tis: list[TaskTimes]) -> dict:
    """Per task id: count, median and sum of queued → start and of start → end seconds."""
    groups: dict[str, list[TaskTimes]] = defaultdict(list)
    for t in tis:
        if t.start and t.end:
            groups[f"{t.dag_id}.{t.task_id}"].append(t)
    out = {}
    for name, items in groups.items():
        waits = [t.start - t.queued for t in items if t.queued]
        runs = [t.end - t.start for t in items]
        out[name] = {
            "count": len(items),
            "queued_median_s": round(statistics.median(waits), 2) if waits else None,
            "queued_sum_s": round(sum(waits), 1),
            "run_median_s": round(statistics.median(runs), 2),
            "run_sum_s": round(sum(runs), 1),
        }
    return out


def task_overhead(tis: list[TaskTimes], work: dict[tuple[str, str, int], float]) -> dict:
    """Per task id, for the task instances whose own work is known (``work``, by (run id, task
    id, map index): seconds the task's function reported), how their run time divides into that
    work and the rest: the task process's start-up and teardown (fork, DAG parse, the
    supervisor, the api-server calls for state and XCom). Medians and sums."""
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t in tis:
        done = work.get((t.run_id, t.task_id, t.map_index))
        if t.start and t.end and done is not None:
            groups[f"{t.dag_id}.{t.task_id}"].append((t.end - t.start, done))
    out = {}
    for name, pairs in groups.items():
        rest = [run - done for run, done in pairs]
        out[name] = {
            "count": len(pairs),
            "work_median_s": round(statistics.median(done for _, done in pairs), 2),
            "work_sum_s": round(sum(done for _, done in pairs), 1),
            "overhead_median_s": round(statistics.median(rest), 2),
            "overhead_sum_s": round(sum(rest), 1),
        }
    return out


def scheduling_delays(tis: list[TaskTimes]) -> dict:
    """From the end of the last task of a run that finished before a task was queued, to that
    queueing: the scheduler's reaction time between dependent tasks (median, max)."""
    by_run: dict[str, list[TaskTimes]] = defaultdict(list)
    for t in tis:
        by_run[t.run_id].append(t)
    delays = []
    for items in by_run.values():
        for t in items:
            before = [u.end for u in items if u.end and t.queued and u.end <= t.queued]
            if before:
                delays.append(t.queued - max(before))
    if not delays:
        return {}
    return {
        "count": len(delays),
        "median_s": round(statistics.median(delays), 2),
        "max_s": round(max(delays), 2),
    }


def cycle_report(start: float, runs: list[RunTimes], tis: list[TaskTimes]) -> dict:
    """Everything above for one cycle that began at ``start`` (the trigger)."""
    end = max(r.end for r in runs if r.end)
    return {
        "seconds": round(end - start, 2),
        "runs": {
            f"{r.dag_id} ({r.run_type})": {
                "queued_to_start_s": round(r.start - r.queued, 2) if r.queued else None,
                "start_to_end_s": round(r.end - r.start, 2),
                "ends_at_s": round(r.end - start, 2),
            }
            for r in runs
            if r.start and r.end
        },
        "breakdown_s": timeline(start, end, runs, tis),
        "scheduling_delay": scheduling_delays(tis),
        "tasks": task_stats(tis),
        "task_tries_over_1": sum(1 for t in tis if t.try_number > 1),
    }
