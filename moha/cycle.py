"""The weekly cycle run in-process through Airflow (`dag.test()`): ingest → build → publish; for a
range of weeks, one ingest of every week, one build, then a publish of each week."""

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
    week: str | None = None  # the run's conf: a week or a range; None for the build


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
        dag.dag_id,
        str(run.state),
        time.perf_counter() - started,
        failed,
        run.run_id,
        skipped,
        (conf or {}).get("week"),
    )


def cycle_steps(weeks: list[IsoWeek]) -> list[tuple[str, dict | None]]:
    """The DAG runs that take ``weeks`` (in order) from the province files to the packages: one
    ingest of every week (its ``week`` a range when there are several), one build, then one
    publish per week. One week: the weekly cycle. A range builds the warehouse once, not once a
    week: every package is read from the same marts, each for its own week, so it is the package
    the week-by-week cycle publishes."""
    span = str(weeks[0]) if len(weeks) == 1 else f"{weeks[0]}:{weeks[-1]}"
    return [
        ("ingest_province_files", {"week": span}),
        ("build_warehouse", None),
        *(("publish_weekly_aggregate", {"week": str(week)}) for week in weeks),
    ]


def run_weeks(
    weeks: list[IsoWeek], on_step: Callable[[str, dict | None], None] | None = None
) -> list[DagOutcome]:
    """Run :func:`cycle_steps` of ``weeks``; stop at the first DAG run that does not succeed."""
    from core.settings import load_settings

    if load_settings().publish_approval == "required":
        raise CycleFailed(
            "MOHA_PUBLISH_APPROVAL=required: the embedded run has nobody to approve the package; "
            "publish under `make airflow` (an approver answers in the UI) or set it to auto"
        )
    dags = load_dags()
    outcomes = []
    for dag_id, conf in cycle_steps(weeks):
        if on_step:
            on_step(dag_id, conf)
        outcome = run_dag(dags[dag_id], conf)
        outcomes.append(outcome)
        if outcome.state != "success":
            raise CycleFailed(
                f"{dag_id} ended {outcome.state}"
                + (f" for {conf['week']}" if conf else "")
                + f"; failed tasks: {', '.join(outcome.failed_tasks) or 'none recorded'}"
            )
    return outcomes


def run_week(week: IsoWeek) -> list[DagOutcome]:
    """The weekly cycle of one week: ingest → build → publish."""
    return run_weeks([week])
