"""Policy shared by the DAGs: owner, retries, tags, start date, Assets, pools."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.settings import load_settings
from core.weeks import IsoWeek, previous_week
from moha.alerts import record_failure
from moha.tasklog import pipeline_logging

OWNER = "moha-data-engineering"
TAGS = {"moha", "ingestion", "warehouse", "publish", "mail"}
START_DATE = datetime(2025, 7, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

STAGED_FILES_ASSET = "moha_staged_files"
WAREHOUSE_ASSET = "moha_warehouse"


def default_args() -> dict:
    """Owner, retries (delay shortened in tests through MOHA_RETRY_DELAY_SECONDS), the failure
    alert every task carries (:func:`moha.alerts.record_failure`) and the pipeline's INFO lines
    in its log (:func:`moha.tasklog.pipeline_logging`)."""
    return {
        "owner": OWNER,
        "on_execute_callback": pipeline_logging,
        "on_failure_callback": record_failure,
        "retries": 2,
        "retry_delay": timedelta(seconds=load_settings().retry_delay_seconds),
    }


def dag_policy(area: str) -> dict:
    """What every DAG shares: the start date, no catch-up, one run at a time, the default
    arguments, and the tags ``moha`` and ``area`` (one of :data:`TAGS`)."""
    if area not in TAGS:
        raise ValueError(f"unknown DAG area {area!r}: expected one of {sorted(TAGS)}")
    return {
        "start_date": START_DATE,
        "catchup": False,
        "max_active_runs": 1,
        "default_args": default_args(),
        "tags": ["moha", area],
    }


def week_param(description: str) -> dict:
    """The ``week`` Param of the DAGs a week is given to (empty: their own default)."""
    from airflow.sdk import Param  # Airflow is imported only once the runtime has configured it

    return {"week": Param("", type="string", description=description)}


def requested_week(params: dict | None) -> IsoWeek:
    """In a running task of such a DAG: the week its ``week`` Param names, else the week before
    the run."""
    from airflow.sdk import get_current_context

    if params and params.get("week"):
        return IsoWeek.parse(params["week"])
    return previous_week(get_current_context()["dag_run"].run_after)


def scheduled(timetable, *, backfill: bool = False):
    """The DAG's own schedule, or None when ``MOHA_SCHEDULES=off``: the DAG then runs only when
    triggered (by hand, by the API or by its Asset). Benchmarks and tests that drive the weekly
    cycle themselves set it, so unpausing a DAG does not also start the hourly ingest and a
    publish of the real previous week (cron DAGs without catch-up fire their latest slot).

    ``backfill``: with schedules off the DAG keeps its slots up to now (:func:`past_slots`), so
    ``airflow backfill create`` (which needs a periodic schedule) still works, and none later,
    so the scheduler never starts a run by itself."""
    if load_settings().schedules:
        return timetable
    return past_slots(timetable) if backfill else None


def past_slots(timetable, now: datetime | None = None):
    """The times ``timetable`` fires from :data:`START_DATE` up to ``now``, as an
    ``EventsTimetable``: without catch-up the scheduler only looks for events after now (there
    are none); a backfill asks for the events in its range."""
    from airflow.timetables.base import TimeRestriction
    from airflow.timetables.events import EventsTimetable

    restriction = TimeRestriction(START_DATE, now or datetime.now(UTC), catchup=True)
    slots: list = []
    info = None
    while info := timetable.next_dagrun_info(
        last_automated_data_interval=info.data_interval if info else None, restriction=restriction
    ):
        slots.append(info.run_after)
    return EventsTimetable(
        slots, presorted=True, description=f"{timetable.summary}, past slots only (backfills)"
    )


WRITER_POOL = "duckdb_writer"
"""One slot: tasks that write the DuckDB warehouse never run at the same time."""


def warehouse_task_options() -> dict:
    """Pool (always) and queue (when MOHA_WAREHOUSE_QUEUE is set) of tasks that write the warehouse.

    With the DuckDB warehouse on several machines, a dedicated queue served by one worker keeps
    every writer on the machine that holds the file; unset, tasks take Airflow's default queue.
    """
    queue = load_settings().warehouse_queue
    return {"pool": WRITER_POOL, **({"queue": queue} if queue else {})}
