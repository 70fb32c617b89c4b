"""Monday 08:00 (Asia/Ho_Chi_Minh), four hours before the deadline: mail each province still
missing a kind of last week, with the kinds and the exact file names to send."""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from moha.orchestration import dag_policy, requested_week, scheduled, week_param


@dag(
    dag_id="remind_provinces",
    schedule=scheduled(CronTriggerTimetable("0 8 * * 1", timezone="Asia/Ho_Chi_Minh")),
    **dag_policy("mail"),
    params=week_param("ISO week to remind of (2025-W35); empty = the week before the run."),
    doc_md=__doc__,
)
def remind_provinces():
    @task(multiple_outputs=False)
    def remind(params: dict | None = None) -> dict:
        from core.settings import load_settings
        from moha.province_mail import remind_provinces as remind_of

        week = requested_week(params)
        return {"week": str(week), "reminded": remind_of(load_settings(), week)}

    remind()


remind_provinces()
