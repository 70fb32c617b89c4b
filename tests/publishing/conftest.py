"""A small simulated world (34 provinces × 3 weeks, faults included) built once per session
without Airflow: simulate → ingest every province → dbt build. Package tests publish from copies."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from core.settings import Settings, load_settings
from core.weeks import week_range

WEEKS = week_range("2025-W35:2025-W37")
SEED = 7


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from tools.report_preview import build_world

    settings = dataclasses.replace(
        load_settings(), data_dir=tmp_path_factory.mktemp("world") / "data"
    )
    build_world(settings, WEEKS, seed=SEED)
    return settings


def warehouse_copy(world: Settings, root: Path) -> Settings:
    """A data folder holding only a copy of the world's built warehouse: enough to publish."""
    settings = dataclasses.replace(world, data_dir=root / "data")
    shutil.copytree(world.warehouse_dir, settings.warehouse_dir)
    shutil.copytree(world.simulation, settings.simulation)
    return settings


def full_copy(world: Settings, root: Path) -> Settings:
    """A copy of the whole data folder (inbox, staged files, warehouse): to ingest and rebuild."""
    settings = dataclasses.replace(world, data_dir=root / "data")
    shutil.copytree(world.data_dir, settings.data_dir)
    return settings
