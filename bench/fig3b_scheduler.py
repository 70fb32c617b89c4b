"""Figure 3b: trigger → published under the real scheduler (airflow standalone) ÷ direct calls.

`airflow standalone` (LocalExecutor, parallelism 4, SQLite metadata, the project's scheduler
settings from ``moha.runtime``) runs with a private AIRFLOW_HOME and ``MOHA_SCHEDULES=off``, so
the only runs are the ones triggered here. Per repetition, on a fresh copy of a simulated
national week: trigger ``ingest_province_files`` for the week (REST API), wait for the
``build_warehouse`` run its Asset event starts, trigger ``publish_weekly_aggregate`` for the week
as soon as the build succeeded, and wait for it. The denominator is the same work called
directly in one process (``bench.pipeline``). The breakdown comes from the metadata DB: every
instant of the cycle is counted once, as task running, task queued (waiting for a worker),
scheduler gap inside a DAG run (nothing running or queued) or between DAG runs.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from bench import common, pipeline
from bench.run_timings import cycle_report, task_overhead
from bench.standalone import Standalone, point_link
from core.weeks import IsoWeek

TARGET = 1.5
CPU_FIELDS = ("user", "system", "children_user", "children_system")
CYCLE = ("ingest_province_files", "build_warehouse", "publish_weekly_aggregate")


def run(quick: bool, settings: dict[str, str] | None = None) -> dict:
    from simulator import simulate

    reps = 1 if quick else 2
    week = IsoWeek.parse(common.WEEK)
    conf = {"week": str(week)}
    tmpl = common.new_dir("fig3b-template")
    simulate(common.use(tmpl), [week], seed=common.SEED)
    warm_dir: Path | None = None
    link = common.scratch_root() / "fig3b-data"
    airflow_runs: list[dict] = []
    direct_runs: list[dict] = []

    def direct(rep: int) -> float:
        folder = common.clone(tmpl, f"fig3b-direct-{rep}", ("inbox",))
        common.seed_dbt_parse(warm_dir, folder)
        data = common.use(folder)
        steps = {}
        cpu = os.times()
        t0 = time.perf_counter()
        steps["ingest"], _ = common.timed(lambda: pipeline.ingest(data, week))
        steps["build"], _ = common.timed(lambda: pipeline.build(data))
        steps["publish"], status = common.timed(lambda: pipeline.publish(data, week))
        total = time.perf_counter() - t0
        used = os.times()
        direct_runs.append(
            {
                "rep": rep,
                "seconds": round(total, 2),
                "steps_s": {k: round(v, 2) for k, v in steps.items()},
                "publish_status": status,
                "cpu_s": round(sum(getattr(used, f) - getattr(cpu, f) for f in CPU_FIELDS), 1),
            }
        )
        return total

    def scheduled(rep: int) -> float:
        folder = common.clone(tmpl, f"fig3b-airflow-{rep}", ("inbox",))
        common.seed_dbt_parse(warm_dir, folder)
        point_link(link, folder)
        tag = f"{rep}_{secrets.token_hex(3)}"
        ingest_id, publish_id = f"bench_ingest_{tag}", f"bench_publish_{tag}"
        cpu = airflow.cpu_seconds()
        t0 = airflow.trigger("ingest_province_files", ingest_id, conf)
        state = airflow.wait_run("ingest_province_files", ingest_id)
        if state != "success":
            raise RuntimeError(f"ingest {ingest_id} {state}\n{airflow.tail()}")
        build_id = airflow.wait_asset_run("build_warehouse", ingest_id)
        state = airflow.wait_run("build_warehouse", build_id)
        if state != "success":
            raise RuntimeError(f"build {build_id} {state}\n{airflow.tail()}")
        airflow.trigger("publish_weekly_aggregate", publish_id, conf)
        state = airflow.wait_run("publish_weekly_aggregate", publish_id)
        if state != "success":
            raise RuntimeError(f"publish {publish_id} {state}\n{airflow.tail()}")
        used = airflow.cpu_seconds()
        ids = [ingest_id, build_id, publish_id]
        tis = airflow.task_instances(ids)
        report = cycle_report(t0, airflow.runs(ids), tis)
        airflow_runs.append(
            {
                "rep": rep,
                **report,
                "task_overhead": task_overhead(tis, airflow.work_seconds(ids)),
                "published": sorted(p.name for p in (folder / "outbox" / str(week)).glob("v*")),
                "cpu_s": {k: round(v - cpu.get(k, 0.0), 1) for k, v in used.items()},
            }
        )
        return report["seconds"]

    airflow = Standalone(common.scratch_root() / "fig3b-airflow-home", link, settings=settings)
    try:
        point_link(link, tmpl)
        startup = airflow.start(CYCLE)
        for dag_id in CYCLE:
            airflow.unpause(dag_id)
        # Warm both paths once: imports, dbt partial parse, the page cache, Airflow's first runs.
        direct(-1)
        warm_dir = next(common.scratch_root().glob("fig3b-direct--1-*"))
        scheduled(-1)
        airflow_runs.clear()
        direct_runs.clear()
        flows, directs = common.side_by_side(reps, scheduled, direct)
    finally:
        airflow.stop()
    return common.median_ratio_figure(
        "3b",
        "real scheduler (standalone) ÷ direct calls",
        reps=reps,
        numerator=common.Side(
            "airflow standalone, LocalExecutor, parallelism 4: trigger ingest → Asset "
            "build → publish triggered for the week, until the package is published",
            flows,
            {"runs": airflow_runs},
        ),
        denominator=common.Side(
            "process_province ×34, load, dbt, snapshot, publish (one process)",
            directs,
            {"runs": direct_runs},
        ),
        target=TARGET,
        note="national week; warm (one untimed run of each first); order alternates",
        extra={
            "standalone_startup_s": round(startup, 1),
            "airflow_settings": {
                k: v for k, v in sorted(airflow.env.items()) if k.startswith("AIRFLOW__")
            },
        },
    )
