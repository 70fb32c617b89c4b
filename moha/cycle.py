"""The weekly cycle run in-process through Airflow (`dag.test()`): ingest → build → publish."""

from __future__ import annotations

from collections.abc import Callable
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


def run_dag(dag, conf: dict | None) -> DagOutcome:
    """One `dag.test()` run with ``conf`` (the week, for ingest and publish); the run's failed
    and skipped task instances are named (with their map label).

    The run id is Airflow's own (``manual__<time>``): ``dag.test()`` takes none, and the week
    travels in the run's conf, which the grid shows with the run.
    """
    import time

    started = time.perf_counter()
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
    from core.settings import load_settings

    if "publish_weekly_aggregate" in dag_ids and load_settings().publish_approval == "required":
        raise CycleFailed(
            "MOHA_PUBLISH_APPROVAL=required: the embedded run has nobody to approve the package; "
            "publish under `make airflow` (an approver answers in the UI) or set it to auto"
        )
    dags = load_dags(dag_ids)
    outcomes = []
    for dag_id in dag_ids:
        if on_step:
            on_step(dag_id)
        outcome = run_dag(dags[dag_id], _week_conf(dag_id, week))
        outcomes.append(outcome)
        if outcome.state != "success":
            raise CycleFailed(
                f"{dag_id} ended {outcome.state} for {week}; failed tasks: "
                f"{', '.join(outcome.failed_tasks) or 'none recorded'}"
            )
    return outcomes
