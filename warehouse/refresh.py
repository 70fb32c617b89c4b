"""The warehouse refresh, composed once: load staged files → dbt build → analysts' copy.

The ``build_warehouse`` DAG runs each step as its own task (in this order); the benchmarks, the
tests and anything else that refreshes the warehouse outside Airflow call :func:`refresh`.
Importing this module is cheap (no DuckDB, no dbt): each step imports its work when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.settings import Settings


def _load(settings: Settings) -> dict[str, Any]:
    from warehouse.load import load_staged

    return load_staged(settings)


def _build(settings: Settings) -> dict[str, Any]:
    from warehouse.dbt import run_dbt_build

    return run_dbt_build(settings)


def _analyst_copy(settings: Settings) -> dict[str, Any]:
    from warehouse.snapshot import publish_analyst_copy

    return publish_analyst_copy(settings)


STEPS: dict[str, Callable[[Settings], dict[str, Any]]] = {
    "load_staged": _load,
    "dbt_build": _build,
    "refresh_analyst_copy": _analyst_copy,
}


def run_step(name: str, settings: Settings) -> dict[str, Any]:
    """One step of the refresh, by its name in :data:`STEPS`."""
    return STEPS[name](settings)


def refresh(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every step in order; the first failure stops the refresh (later steps do not run)."""
    return {name: step(settings) for name, step in STEPS.items()}
