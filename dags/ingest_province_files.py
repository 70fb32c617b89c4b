"""Pull every province's drop: one mapped task per province, then a run-level failure check.

Outcomes cross XCom as JSON: ``to_json()`` where a task returns one, ``from_json`` where a task
reads them (``ingestion.outcomes``).
"""

from __future__ import annotations

from airflow.sdk import Asset, dag, get_current_context, task
from airflow.task.trigger_rule import TriggerRule

from moha.orchestration import STAGED_FILES_ASSET, dag_policy, scheduled, week_param

STAGED_FILES = Asset(STAGED_FILES_ASSET)


@dag(
    dag_id="ingest_province_files",
    schedule=scheduled("15 * * * *"),
    **dag_policy("ingestion"),
    params=week_param(
        "Only files named for this ISO week (2025-W35) or range (2025-W35:2025-W47); "
        "empty = every file not yet landed."
    ),
    doc_md=__doc__,
)
def ingest_province_files():
    @task
    def list_provinces() -> list[str]:
        from core.reference import provinces

        return list(provinces())

    @task(multiple_outputs=False, map_index_template="{{ province_label }}")
    def ingest_province(province_code: str, params: dict | None = None) -> dict:
        from core.reference import provinces
        from core.settings import load_settings
        from ingestion.province import process_province
        from moha.grid import province_label

        context = get_current_context()
        province = provinces()[province_code]
        context["province_label"] = province_label(province)
        week = (params or {}).get("week") or None  # a week or a range (a backfill)
        outcome = process_province(load_settings(), province_code, week, context["run_id"])
        context["province_label"] = province_label(province, outcome)
        return outcome.to_json()

    @task(multiple_outputs=False, trigger_rule=TriggerRule.ALL_DONE)
    def check_provinces(expected: list[str], outcomes: list[dict]) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from core.settings import load_settings
        from ingestion.outcomes import summarise_run

        done = _province_outcomes(outcomes)
        summary = summarise_run(expected, done, load_settings().max_failed_provinces)
        if summary.too_many_failed:
            raise AirflowFailException(summary.failure_message())
        return summary.to_json()

    @task(multiple_outputs=False, outlets=[STAGED_FILES])
    def announce_staged_files(summary: dict) -> dict:
        """Emit the Asset (and so trigger build_warehouse) only when a file landed."""
        from airflow.sdk.exceptions import AirflowSkipException

        from ingestion.outcomes import RunSummary

        landed = RunSummary.from_json(summary).files_landed
        if not landed:
            raise AirflowSkipException("no new file landed: nothing for the warehouse to build")
        return {"files_landed": landed}

    @task(multiple_outputs=False, trigger_rule=TriggerRule.ALL_DONE)
    def rejected_files(outcomes: list[dict]) -> dict:
        """Green when every landed file was accepted; skipped (it stands out in the grid, the
        run still succeeds) with a message naming each file rejected whole and its reason."""
        from airflow.sdk.exceptions import AirflowSkipException

        from moha.grid import rejected_files_message

        message = rejected_files_message(_province_outcomes(outcomes))
        if message:
            raise AirflowSkipException(message)
        return {"rejected_files": 0}

    @task(multiple_outputs=False, trigger_rule=TriggerRule.ALL_DONE)
    def mail_summaries() -> dict:
        """Mail each province (contacts.yml) whose weekly summary changed; skipped with the
        reason when a mail could not go (the ingest stands; the next run tries again)."""
        from airflow.sdk.exceptions import AirflowSkipException

        from core.settings import load_settings
        from moha.province_mail import mail_summaries as mail

        mailing = mail(load_settings())
        if mailing.failed:
            raise AirflowSkipException("summary not mailed: " + "; ".join(mailing.failed))
        return {"mailed": list(mailing.mailed)}

    codes = list_provinces()
    outcomes = ingest_province.expand(province_code=codes)
    announce_staged_files(check_provinces(codes, outcomes))
    rejected_files(outcomes)
    outcomes >> mail_summaries()


def _province_outcomes(outcomes: list[dict | None]) -> list:
    """The mapped province tasks' XComs as ``ProvinceOutcome`` (None where a task failed)."""
    from ingestion.outcomes import ProvinceOutcome

    # Index by length: iterating the lazy XCom sequence probes one offset past its end.
    values = [outcomes[i] for i in range(len(outcomes))]
    return [None if value is None else ProvinceOutcome.from_json(value) for value in values]


ingest_province_files()
