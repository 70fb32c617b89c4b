"""The weekly cycle run in-process through Airflow (`dag.test()`): ingest → build → publish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.weeks import IsoWeek
from moha.runtime import DAGS_DIR, configure_environment, ensure_airflow_db

CYCLE = ("ingest_province_files", "build_warehouse", "publish_weekly_aggregate")


class CycleFailed(RuntimeError):
    """A DAG of the cycle ended in a state other than success."""


@dataclass
class DagOutcome:
    dag_id: str
    state: str
    seconds: float
    failed_tasks: list[str] = field(default_factory=list)
    run_id: str = ""
    skipped_tasks: list[str] = field(default_factory=list)


def _week_conf(dag_id: str, week: IsoWeek) -> dict | None:
    return None if dag_id == "build_warehouse" else {"week": str(week)}


def _label(ti) -> str:
    return ti.task_id + (f"[{ti.rendered_map_index or ti.map_index}]" if ti.map_index >= 0 else "")


def load_dags(dag_ids: tuple[str, ...] = CYCLE) -> dict:
    """Parse the dags folder once, as the scheduler would, and return the DAGs by id."""
    configure_environment()
    ensure_airflow_db()
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR))
    if bag.import_errors:
        raise CycleFailed(f"DAG import errors: {bag.import_errors}")
    return {dag_id: bag.dags[dag_id] for dag_id in dag_ids}


@contextmanager
def run_ids_for_week(week: str | None) -> Iterator[None]:
    """Runs started inside get the id ``manual__<week>__<time>``, so Airflow's grid reads by week.

    ``dag.test()`` takes no run id in Airflow 3.3: it asks ``DagRun.generate_run_id`` for one
    (``manual__<time>``). For the span of the call that static method answers with the week in
    the id; it is put back on exit. (A run triggered from the UI or the REST API takes the id
    typed in the trigger form's "Dag Run ID" field or given as ``dag_run_id``.)
    """
    if not week:
        yield
        return
    from airflow.models.dagrun import DagRun
    from airflow.utils.types import DagRunType

    original = vars(DagRun)["generate_run_id"]

    def with_week(*, run_type, logical_date=None, run_after) -> str:
        return DagRunType(run_type).generate_run_id(suffix=f"{week}__{run_after.isoformat()}")

    DagRun.generate_run_id = staticmethod(with_week)
    try:
        yield
    finally:
        DagRun.generate_run_id = original


def run_dag(dag, conf: dict | None, week: IsoWeek | str | None = None) -> DagOutcome:
    """One `dag.test()` run, its id carrying ``week`` (default: the conf's week); the run's failed
    task instances are named (with their map label)."""
    import time

    week = week or (conf or {}).get("week")
    started = time.perf_counter()
    with run_ids_for_week(str(week) if week else None):
        run = dag.test(run_conf=conf)
    instances = run.get_task_instances()
    failed = [_label(ti) for ti in instances if ti.state in {"failed", "upstream_failed"}]
    skipped = [_label(ti) for ti in instances if ti.state == "skipped"]
    return DagOutcome(
        dag.dag_id, str(run.state), time.perf_counter() - started, failed, run.run_id, skipped
    )


def run_week(
    week: IsoWeek, dag_ids: tuple[str, ...] = CYCLE, on_step: Callable[[str], None] | None = None
) -> list[DagOutcome]:
    """Run the cycle for one week; stop at the first DAG that does not succeed."""
    dags = load_dags(dag_ids)
    outcomes = []
    for dag_id in dag_ids:
        if on_step:
            on_step(dag_id)
        outcome = run_dag(dags[dag_id], _week_conf(dag_id, week), week)
        outcomes.append(outcome)
        if outcome.state != "success":
            raise CycleFailed(
                f"{dag_id} ended {outcome.state} for {week}; failed tasks: "
                f"{', '.join(outcome.failed_tasks) or 'none recorded'}"
            )
    return outcomes
