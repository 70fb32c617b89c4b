"""The preloading executors: every pipeline module imports in the scheduler/worker process, the
executor is still a local one for `airflow standalone`, and Celery gets Airflow's own config."""

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


def test_celery_config_is_airflows_default_after_preload():
    from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

    import moha.executors

    assert moha.executors.CELERY_CONFIG is DEFAULT_CELERY_CONFIG
    with pytest.raises(AttributeError):
        moha.executors.NOT_A_SETTING  # noqa: B018


def test_airflow_loads_the_executor_the_scheduler_defaults_name(monkeypatch):
    from airflow.executors.executor_loader import ExecutorLoader

    from moha.runtime import SCHEDULER_DEFAULTS

    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", SCHEDULER_DEFAULTS["AIRFLOW__CORE__EXECUTOR"])
    executor, _ = ExecutorLoader.import_default_executor_cls()
    assert executor.__name__ == "PreloadedLocalExecutor" and executor.is_local
