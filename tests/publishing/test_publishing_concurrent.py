"""Publishes of different weeks at the same time (an Airflow backfill runs several at once): each
writes its draft under its own week's folder (``reports/<week>/<run>/.tmp-draft``) and sweeps only
its own week's leftovers, so neither touches the other's work, and both packages equal the ones
published one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.locks import FileLock
from core.settings import PROJECT_ROOT, Settings
from core.weeks import IsoWeek
from publishing.publish import DRAFT, publish_lock_path, publish_week
from tests.publishing.conftest import warehouse_copy

pytestmark = pytest.mark.slow

FIRST, SECOND = "2025-W36", "2025-W37"

PUBLISH = (
    "import json, sys; from core.settings import load_settings; "
    "from publishing.publish import publish_week; "
    "print(json.dumps(publish_week(load_settings(), sys.argv[1]).to_json()))"
)


def _start(settings: Settings, week: str) -> subprocess.Popen:
    env = {**os.environ, "MOHA_DATA_DIR": str(settings.data_dir)}
    return subprocess.Popen(
        [sys.executable, "-c", PUBLISH, week],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def _wait_for_temporary(reports: Path, process: subprocess.Popen) -> None:
    """Until the first publish is writing its package (its draft folder exists)."""
    deadline = time.monotonic() + 300
    while not list(reports.glob(f"*/*/{DRAFT}")):
        assert process.poll() is None, "the first publish ended before writing its package"
        assert time.monotonic() < deadline, "the first publish never started writing"
        time.sleep(0.05)


def test_two_weeks_published_at_once_equal_one_after_the_other(
    world: Settings, tmp_path: Path
) -> None:
    together = warehouse_copy(world, tmp_path / "together")
    first = _start(together, FIRST)
    _wait_for_temporary(together.reports, first)
    second = _start(together, SECOND)  # starts (and sweeps) while the first is writing
    results = {r["week"]: r for r in (_finish(first), _finish(second))}

    apart = warehouse_copy(world, tmp_path / "apart")
    expected = {w: publish_week(apart, w) for w in (FIRST, SECOND)}
    for week, published in expected.items():
        assert results[week]["status"] == "published" and results[week]["version"] == "v1"
        assert results[week]["content_digest"] == published.content_digest
    assert sorted(p.name for p in together.outbox.iterdir()) == [FIRST, SECOND]


def test_a_publish_sweeps_only_its_own_weeks_leftovers(world: Settings, tmp_path: Path) -> None:
    settings = warehouse_copy(world, tmp_path)
    stale = settings.reports / SECOND / "20250101T000000-killed" / DRAFT  # a killed publish's
    stale.mkdir(parents=True)
    live = settings.reports / FIRST / "20250101T000000-running" / DRAFT  # another week's, running
    live.mkdir(parents=True)
    (live / "province_weekly.parquet").write_bytes(b"being written")
    with FileLock(publish_lock_path(settings, IsoWeek.parse(FIRST))):  # its owner is alive
        published = publish_week(settings, SECOND)
    assert published.version == "v1"
    assert not stale.exists()
    assert (live / "province_weekly.parquet").read_bytes() == b"being written"
