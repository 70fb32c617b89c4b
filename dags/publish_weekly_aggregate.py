"""Write-Audit-Approve-Publish the weekly package for the previous ISO week, or any week given.

write (the week's tables into a draft the run owns) → audit (the quality gate, then the package
rendered) → approve (a person at the ministry, in "Required actions", when
``MOHA_PUBLISH_APPROVAL=required``; automatic otherwise) → publish (the next ``v<n>`` in the
outbox, the approval in its manifest) → notify (a mail to the ministry's recipients: page 1
inline and where the package is). A gate failure fails ``audit``; a rejection skips
``publish`` (and ``notify``) and is recorded with its reason beside the run's gate report.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from moha.orchestration import dag_policy, requested_week, scheduled, week_param
from moha.signoff import SignOff


@dag(
    dag_id="publish_weekly_aggregate",
    schedule=scheduled(
        CronTriggerTimetable("0 12 * * 1", timezone="Asia/Ho_Chi_Minh"), backfill=True
    ),
    **dag_policy("publish"),
    params={
        **week_param("ISO week to publish (2025-W35); empty = the week before the run."),
        "approval": Param(
            "",
            type="string",
            enum=["", "required"],
            description="`required`: a person approves this run's package even where "
            "MOHA_PUBLISH_APPROVAL=auto; empty: the deployment's setting.",
        ),
    },
    doc_md=__doc__,
)
def publish_weekly_aggregate():
    @task(multiple_outputs=False)
    def write(params: dict | None = None) -> dict:
        """The week given, else the week before the run; its tables into the run's draft."""
        from core.settings import load_settings
        from publishing.publish import write_draft

        return write_draft(load_settings(), requested_week(params)).to_json()

    @task(multiple_outputs=False)
    def audit(draft: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from core.settings import load_settings
        from publishing import GateFailed
        from publishing.publish import Draft, PublishStatus, audit_draft

        try:
            audited = audit_draft(load_settings(), Draft.from_json(draft))
        except GateFailed as blocked:  # data, not a transient fault: retrying cannot help
            raise AirflowFailException(str(blocked)) from blocked
        if audited.status == PublishStatus.UNCHANGED:
            raise AirflowSkipException(f"{audited.version} already holds this content")
        return audited.to_json()

    @task(multiple_outputs=False)
    def publish(audited: dict, approval: dict) -> dict:
        from core.settings import load_settings
        from publishing.publish import Approval, Audited, release_draft

        return release_draft(
            load_settings(), Audited.from_json(audited), Approval.from_json(approval)
        ).to_json()

    @task(multiple_outputs=False)
    def notify(published: dict) -> dict:
        """Mail the ministry's recipients: page 1 inline and where the package is."""
        from core.settings import load_settings
        from moha.ministry_mail import notify_ministry

        return {"mailed": notify_ministry(load_settings(), published)}

    audited = audit(write())
    approve = SignOff(task_id="approve", audit_task_id="audit")
    audited >> approve
    notify(publish(audited, approve.output))


publish_weekly_aggregate()
