"""Test-wide environment: Airflow and dbt point at the project, telemetry off, tmp data."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("AIRFLOW_HOME", str(ROOT / ".airflow-test"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("MOHA_RETRY_DELAY_SECONDS", "1")

import pytest  # noqa: E402

from core.settings import Settings, load_settings  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings rooted in a fresh data folder for one test."""
    monkeypatch.setenv("MOHA_DATA_DIR", str(tmp_path / "data"))
    return load_settings()


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory):
    """The session's one ``airflow standalone`` (started on first use, stopped with SIGINT at the
    end): see :mod:`tests.support.scheduler`."""
    from tests.support.scheduler import SessionScheduler

    airflow = SessionScheduler(tmp_path_factory.mktemp("scheduler"))
    try:
        airflow.start()
        yield airflow
    finally:
        airflow.stop()
