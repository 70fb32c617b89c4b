"""Write-Audit-Publish the weekly package for the previous ISO week, or any week given; then
notify the ministry's recipients."""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable

from moha.orchestration import dag_policy, scheduled, week_param


@dag(
    dag_id="publish_weekly_aggregate",
    schedule=scheduled(
        CronTriggerTimetable("0 12 * * 1", timezone="Asia/Ho_Chi_Minh"), backfill=True
    ),
    **dag_policy("publish"),
    params=week_param("ISO week to publish (2025-W35); empty = the week before the run."),
    doc_md=__doc__,
)
def publish_weekly_aggregate():
    @task
    def resolve_week(params: dict | None = None) -> str:
        from core.weeks import IsoWeek, previous_week

        if params and params.get("week"):
            return str(IsoWeek.parse(params["week"]))
        return str(previous_week(get_current_context()["dag_run"].run_after))

    @task
    def write_audit_publish(week: str) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from core.settings import load_settings
        from core.weeks import IsoWeek
        from publishing import GateFailed
        from publishing.publish import publish_week

        try:
            return publish_week(load_settings(), IsoWeek.parse(week)).to_json()
        except GateFailed as blocked:  # data, not a transient fault: retrying cannot help
            raise AirflowFailException(str(blocked)) from blocked

    @task
    def notify(published: dict) -> dict:
        """Mail the ministry's recipients: page 1 inline and where the package is."""
        from core.settings import load_settings
        from moha.ministry_mail import notify_ministry

        return {"mailed": notify_ministry(load_settings(), published)}

    notify(write_audit_publish(resolve_week()))


publish_weekly_aggregate()
