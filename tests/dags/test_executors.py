"""The preloading executors: every pipeline module imports in the scheduler/worker process, the
executor is still a local one for `airflow standalone`, and Celery workers preload from their
``worker_init`` signal with Airflow's own config."""

from __future__ import annotations

import sys

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


def test_preload_imports_the_pipeline_and_its_heavy_libraries():
    from moha.executors import PRELOAD, PreloadedLocalExecutor, preload

    assert preload() == []
    for name in (*PRELOAD, "pandas", "pyarrow", "duckdb", "xlsxwriter"):
        assert name in sys.modules, name
    assert PreloadedLocalExecutor.is_local  # standalone keeps it instead of forcing its own


def test_celery_workers_preload_from_their_init_signal_and_keep_airflows_config():
    from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
    from celery.signals import worker_init

    from moha.celery_config import CELERY_CONFIG, preload_pipeline

    assert CELERY_CONFIG == DEFAULT_CELERY_CONFIG
    responses = dict(worker_init.send(sender=object()))
    assert responses[preload_pipeline] == []  # connected, and every module imported


def test_airflow_loads_the_executor_the_scheduler_defaults_name(monkeypatch):
    from airflow.executors.executor_loader import ExecutorLoader

    from moha.runtime import SCHEDULER_DEFAULTS

    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", SCHEDULER_DEFAULTS["AIRFLOW__CORE__EXECUTOR"])
    executor, _ = ExecutorLoader.import_default_executor_cls()
    assert executor.__name__ == "PreloadedLocalExecutor" and executor.is_local
