"""Failure alerts: every failed task is recorded (DAG, task, province, try, log URL) in the log,
and mailed when ``MOHA_ALERT_SMTP_HOST`` is set. An alert that cannot be sent never hides the
task's own failure: the sink's error is logged and swallowed."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from core.settings import AlertSettings, load_settings

log = logging.getLogger(__name__)


def smtp_sink(alerts: AlertSettings) -> AlertSettings | None:
    """The SMTP settings to mail alerts with, or None when no host is configured."""
    if alerts.smtp_host is None:
        return None
    if not alerts.recipients:
        raise ValueError("MOHA_ALERT_SMTP_HOST is set but MOHA_ALERT_SMTP_TO names nobody")
    return alerts


def failure_record(context: Mapping[str, Any]) -> dict[str, Any]:
    """What a failure alert says, from an Airflow task context."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    label = getattr(ti, "rendered_map_index", None) or (
        str(map_index) if map_index is not None and map_index >= 0 else None
    )
    exception = context.get("exception")
    return {
        "dag_id": ti.dag_id,
        "task_id": ti.task_id,
        "map_label": label,
        "run_id": ti.run_id,
        "try_number": getattr(ti, "try_number", None),
        "log_url": getattr(ti, "log_url", None),
        "error": f"{type(exception).__name__}: {exception}" if exception else None,
    }


def _subject(record: Mapping[str, Any]) -> str:
    where = (
        f"{record['task_id']}[{record['map_label']}]"
        if record["map_label"]
        else (record["task_id"])
    )
    return f"[moha] {record['dag_id']}.{where} failed (try {record['try_number']})"


def send_mail(sink: AlertSettings, record: Mapping[str, Any]) -> None:
    message = EmailMessage()
    message["Subject"] = _subject(record)
    message["From"] = sink.sender
    message["To"] = ", ".join(sink.recipients)
    message.set_content(
        "\n".join(f"{key}: {value}" for key, value in record.items() if value is not None)
    )
    with smtplib.SMTP(sink.smtp_host, sink.smtp_port, timeout=10) as smtp:
        if sink.starttls:
            smtp.starttls()
        if sink.user:
            smtp.login(sink.user, sink.password or "")
        smtp.send_message(message)


def record_failure(context: Mapping[str, Any]) -> dict[str, Any]:
    """``on_failure_callback`` of every task: log the failure, mail it when SMTP is configured."""
    record = failure_record(context)
    log.error("%s: %s (log: %s)", _subject(record), record["error"], record["log_url"])
    try:
        sink = smtp_sink(load_settings().alerts)
        if sink is not None:
            send_mail(sink, record)
    except Exception as error:  # the alert is best effort; the task's failure stands
        log.error("failure alert not mailed: %s: %s", type(error).__name__, error)
    return record
