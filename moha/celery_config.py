"""Celery configuration of scale-out workers: Airflow's defaults, and the pipeline preloaded in
the worker process before it forks its pool, so tasks start with pandas, DuckDB and GX imported.

Name it with ``AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS=moha.celery_config.CELERY_CONFIG``. The
preload runs from Celery's ``worker_init`` signal (sent once in the worker's main process, before
the pool starts), as :class:`moha.executors.PreloadedLocalExecutor` does before its fork; the
scheduler and the API server, which import this configuration too, preload nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

from moha.executors import preload

log = logging.getLogger(__name__)

CELERY_CONFIG: dict[str, Any] = dict(DEFAULT_CELERY_CONFIG)


@worker_init.connect
def preload_pipeline(**_: Any) -> list[str]:
    """Import the pipeline in the Celery worker before its pool processes are forked."""
    failed = preload()
    if failed:
        log.warning("preload failed for %s", ", ".join(failed))
    return failed
