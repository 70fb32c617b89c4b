"""The week a publish or reminder run works on: the one its params name, else the week before."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import airflow.sdk

from core.weeks import IsoWeek
from moha.orchestration import requested_week


def _run_after(monkeypatch, when: datetime) -> None:
    context = {"dag_run": SimpleNamespace(run_after=when)}
    monkeypatch.setattr(airflow.sdk, "get_current_context", lambda: context)


def test_the_week_the_params_name_wins(monkeypatch):
    _run_after(monkeypatch, datetime(2025, 10, 6, 5, tzinfo=UTC))
    assert requested_week({"week": "2025-W35"}) == IsoWeek.parse("2025-W35")


def test_without_a_week_the_run_works_on_the_week_before_it(monkeypatch):
    _run_after(monkeypatch, datetime(2025, 10, 6, 5, tzinfo=UTC))  # Monday of 2025-W41
    assert requested_week({"week": ""}) == IsoWeek.parse("2025-W40")
    assert requested_week(None) == IsoWeek.parse("2025-W40")
