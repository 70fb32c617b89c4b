"""Figure 3c: Cosmos WATCHER (per-model tasks) ÷ one `dbt build` task, under the real scheduler.

Both DAGs run in one `airflow standalone` (LocalExecutor, parallelism 4, SQLite, the project's
scheduler settings) on copies of the same warehouse (a simulated national week, loaded into
``raw``, built once untimed so both sides start warm):

- ``single_dbt_build``: the project's design, one task calling ``warehouse.dbt.run_dbt_build``
  (``dbt build`` as a subprocess) in the one-slot pool ``duckdb_writer``;
- ``cosmos_watcher_build``: an astronomer-cosmos ``DbtTaskGroup`` in ``ExecutionMode.WATCHER``
  (``LoadMode.DBT_MANIFEST``): one producer task runs the same ``dbt build`` (it alone writes
  DuckDB, so it alone holds the one-slot pool) and one deferrable consumer task per model, seed
  and snapshot reports that node's status, which is the per-model visibility it buys.

Each repetition triggers both (order alternating) and times trigger → DAG run end. The design is
adopted only if the watcher costs ≤ 1.2× the single task.
"""

from __future__ import annotations

import secrets
import shutil

from bench import common, pipeline
from bench.run_timings import task_stats
from bench.standalone import VENV_BIN, Standalone, point_link
from core.settings import DBT_PROJECT_DIR
from core.weeks import IsoWeek

TARGET = 1.2
SINGLE, WATCHER = "single_dbt_build", "cosmos_watcher_build"

DAGS = '''"""Figure 3c (written by bench/fig3c_cosmos.py): one dbt build task vs Cosmos WATCHER."""

from datetime import datetime
from pathlib import Path

from airflow.sdk import dag, task

PROJECT = Path({project!r})


@dag(dag_id="single_dbt_build", schedule=None, start_date=datetime(2025, 7, 1), catchup=False)
def single_dbt_build():
    @task(pool="duckdb_writer")
    def dbt_build() -> dict:
        from core.settings import load_settings
        from warehouse.dbt import run_dbt_build

        return run_dbt_build(load_settings()).to_json()

    dbt_build()


single_dbt_build()


@dag(dag_id="cosmos_watcher_build", schedule=None, start_date=datetime(2025, 7, 1), catchup=False)
def cosmos_watcher_build():
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, LoadMode

    group = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=PROJECT, manifest_path={manifest!r}),
        profile_config=ProfileConfig(
            profile_name="moha",
            target_name="duckdb",
            profiles_yml_filepath=PROJECT / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER, dbt_executable_path={dbt!r}
        ),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST),
        operator_args={{"install_deps": False}},
    )
    def tasks(node):
        for child in node.children.values():
            yield from tasks(child) if hasattr(child, "children") else [child]

    for task_ in tasks(group):  # only the producer writes DuckDB: it alone takes the pool
        if task_.task_id.endswith("dbt_producer_watcher"):
            task_.pool = "duckdb_writer"


cosmos_watcher_build()
'''


def run(quick: bool) -> dict:
    from simulator import simulate

    reps = 1 if quick else 2
    week = IsoWeek.parse(common.WEEK)
    root = common.scratch_root()
    base = common.new_dir("fig3c-warehouse")
    simulate(common.use(base), [week], seed=common.SEED)
    settings = common.use(base)
    pipeline.ingest(settings, week)
    pipeline.build(settings)  # raw loaded, marts built, manifest + partial-parse cache written
    project = root / "fig3c-dbt-project"  # Cosmos reads (and caches) the project from here
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    manifest = project / "target" / "manifest.json"
    manifest.parent.mkdir()
    shutil.copy2(base / "warehouse" / "dbt" / "target" / "manifest.json", manifest)
    dags = root / "fig3c-dags"
    dags.mkdir()
    (dags / "fig3c_dags.py").write_text(
        DAGS.format(project=str(project), manifest=str(manifest), dbt=str(VENV_BIN / "dbt")),
        encoding="utf-8",
    )
    link = root / "fig3c-data"
    samples: dict[str, list[dict]] = {SINGLE: [], WATCHER: []}

    def timed(dag_id: str, rep: int) -> float:
        folder = common.clone(base, f"fig3c-{dag_id}-{rep}", ("warehouse", "staged"))
        point_link(link, folder)
        run_id = f"bench_{rep}_{secrets.token_hex(3)}"
        t0 = airflow.trigger(dag_id, run_id)
        state = airflow.wait_run(dag_id, run_id, timeout=1800)
        if state != "success":
            raise RuntimeError(f"{dag_id} {run_id} {state}\n{airflow.tail()}")
        [dag_run] = airflow.runs([run_id])
        tis = airflow.task_instances([run_id])
        samples[dag_id].append(
            {
                "rep": rep,
                "seconds": round(dag_run.end - t0, 2),
                "tasks": len(tis),
                "task_states": sorted({t.state for t in tis}),
                "by_task": task_stats(tis) if dag_id == SINGLE else _watcher_summary(tis),
            }
        )
        return dag_run.end - t0

    airflow = Standalone(root / "fig3c-airflow-home", link, dags_folder=dags)
    try:
        point_link(link, base)
        startup = airflow.start((SINGLE, WATCHER))
        for dag_id in (SINGLE, WATCHER):
            airflow.unpause(dag_id)
        timed(SINGLE, -1)  # warm: imports, page cache, Cosmos's partial-parse cache
        timed(WATCHER, -1)
        samples = {SINGLE: [], WATCHER: []}
        watchers, singles = common.side_by_side(
            reps, lambda rep: timed(WATCHER, rep), lambda rep: timed(SINGLE, rep)
        )
    finally:
        airflow.stop()
    return common.median_ratio_figure(
        "3c",
        "Cosmos WATCHER ÷ one dbt build task (real scheduler)",
        reps=reps,
        numerator=common.Side(
            "DbtTaskGroup ExecutionMode.WATCHER: producer (dbt build) + one consumer task per node",
            watchers,
            {"runs": samples[WATCHER]},
        ),
        denominator=common.Side(
            "one task: warehouse.dbt.run_dbt_build", singles, {"runs": samples[SINGLE]}
        ),
        target=TARGET,
        note="national week's warehouse; trigger → run end; warm; order alternates",
        extra={"standalone_startup_s": round(startup, 1)},
    )


def _watcher_summary(tis) -> dict:
    """The producer's run time and how the consumers' time is spread."""
    stats = task_stats(tis)
    producer = {k: v for k, v in stats.items() if k.endswith("dbt_producer_watcher")}
    consumers = [t for t in tis if not t.task_id.endswith(("dbt_producer_watcher", "_done"))]
    ends = sorted(t.end for t in consumers if t.end)
    return {
        "producer": producer,
        "consumer_tasks": len(consumers),
        "consumers_finished_span_s": round(ends[-1] - ends[0], 2) if ends else None,
        "states": sorted({t.state for t in tis}),
    }
