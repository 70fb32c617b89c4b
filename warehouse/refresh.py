"""The warehouse refresh, composed once: load staged files → dbt build → analysts' copy.

The ``build_warehouse`` DAG runs each step as its own task (in this order); the benchmarks, the
tests and anything else that refreshes the warehouse outside Airflow call :func:`refresh`.
Importing this module is cheap (no DuckDB, no dbt): each step imports its work when it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from warehouse.dbt import Built
    from warehouse.snapshot import AnalystCopy
    from warehouse.staged import Loaded

log = logging.getLogger(__name__)


def _load(settings: Settings) -> Loaded:
    from warehouse.load import load_staged

    loaded = load_staged(settings)
    log.info(
        "load_staged: %d of %d staged files loaded, %d outcomes; rows %s; %.1f s",
        loaded.files_loaded,
        loaded.files_staged,
        loaded.outcomes_loaded,
        ", ".join(f"{table} {n}" for table, n in sorted(loaded.rows_loaded.items())) or "none",
        loaded.seconds,
    )
    return loaded


def _build(settings: Settings) -> Built:
    from warehouse.dbt import run_dbt_build

    return run_dbt_build(settings)


def _analyst_copy(settings: Settings) -> AnalystCopy:
    from warehouse.snapshot import publish_analyst_copy

    return publish_analyst_copy(settings)


STEPS: dict[str, Callable[[Settings], Any]] = {
    "load_staged": _load,
    "dbt_build": _build,
    "refresh_analyst_copy": _analyst_copy,
}


@dataclass(frozen=True)
class Refreshed:
    """What each step of one refresh did (fields named as the steps)."""

    load_staged: Loaded
    dbt_build: Built
    refresh_analyst_copy: AnalystCopy


def run_step(name: str, settings: Settings) -> Loaded | Built | AnalystCopy:
    """One step of the refresh, by its name in :data:`STEPS`."""
    return STEPS[name](settings)


def refresh(settings: Settings) -> Refreshed:
    """Every step in order; the first failure stops the refresh (later steps do not run)."""
    return Refreshed(**{name: step(settings) for name, step in STEPS.items()})
