"""A range of weeks in one build (`moha run --week A:B`: one ingest of every week, one build, a
publish of each week) publishes the packages the week-by-week cycle publishes."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from core import reference
from core.settings import Settings
from core.weeks import IsoWeek
from ingestion.province import process_province
from moha.cycle import cycle_steps
from publishing.publish import publish_week
from tests.publishing.conftest import WEEKS, warehouse_copy

pytestmark = pytest.mark.slow


def test_a_range_is_one_ingest_one_build_and_a_publish_per_week() -> None:
    weeks = [IsoWeek.parse(w) for w in ("2025-W35", "2025-W36", "2025-W37")]
    assert cycle_steps(weeks) == [
        ("ingest_province_files", {"week": "2025-W35:2025-W37"}),
        ("build_warehouse", None),
        ("publish_weekly_aggregate", {"week": "2025-W35"}),
        ("publish_weekly_aggregate", {"week": "2025-W36"}),
        ("publish_weekly_aggregate", {"week": "2025-W37"}),
    ]
    assert cycle_steps(weeks[:1]) == [
        ("ingest_province_files", {"week": "2025-W35"}),
        ("build_warehouse", None),
        ("publish_weekly_aggregate", {"week": "2025-W35"}),
    ]


def test_one_build_publishes_the_week_by_week_packages(world: Settings, tmp_path: Path) -> None:
    """The session's world was ingested whole and built once (tests/publishing/conftest.py): what
    a range does. The same inbox taken week by week (ingest the week, build, publish) must give
    the same packages."""
    from warehouse.refresh import refresh

    one_build = warehouse_copy(world, tmp_path / "one_build")
    week_by_week = dataclasses.replace(world, data_dir=tmp_path / "week_by_week" / "data")
    shutil.copytree(world.inbox, week_by_week.inbox)  # copy2: received times (mtimes) kept
    shutil.copytree(world.simulation, week_by_week.simulation)
    for week in WEEKS[:2]:
        for code in reference.provinces():
            process_province(week_by_week, code, week)
        refresh(week_by_week)
        expected = publish_week(week_by_week, week)
        published = publish_week(one_build, week)
        assert published.content_digest == expected.content_digest, week
        assert published.gate == expected.gate, week
