"""The docs people are pointed at open from disk, offline, in a real browser (headless Chromium):
the one-file dbt docs site and the quality gate's HTML report make no request outside their own
file and none fails. The served dbt site (index.html), which fetches manifest.json, is the
control: opened from disk it must be caught failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tools import require_tool
from tools.browser import PageVisit, visit
from warehouse.dbt import dbt_target_path, static_docs_path

pytestmark = [pytest.mark.slow]


@pytest.fixture(autouse=True)
def _chromium() -> None:
    require_tool("chromium")


def _assert_self_contained(page: PageVisit) -> None:
    assert not page.failed, f"failed requests: {page.failed}"
    assert not page.outside_requests, f"requests outside the file: {page.outside_requests}"
    assert not page.errors, f"errors in the page: {page.errors}"


def test_static_dbt_docs_open_from_disk(demo_week, tmp_path: Path):
    page = static_docs_path(demo_week)
    found = visit(page, fragment="#!/model/model.moha.province_weekly", settle=4.0)
    (tmp_path / "dbt_docs.png").write_bytes(found.screenshot)
    _assert_self_contained(found)
    assert found.requests[0].startswith(page.resolve().as_uri())
    # the manifest and catalog inside the page: the model, its grain and its columns
    assert "province_weekly table" in found.text and "One row per province" in found.text
    for name in ("communes_short", "median_days_to_resolve", "Referenced By"):
        assert name in found.text, f"{name} not shown by the docs site"


def test_the_served_dbt_site_is_caught_failing_from_disk(demo_week):
    found = visit(dbt_target_path(demo_week) / "index.html", settle=2.0)
    assert any("manifest.json" in failure for failure in found.failed), found.failed
    assert any("unable to load the manifest" in error for error in found.errors), found.errors


def test_gate_report_html_opens_from_disk(demo_week, tmp_path: Path):
    [report] = sorted(demo_week.reports.glob("*/*/gate_report.html"))
    found = visit(report, settle=1.0)
    (tmp_path / "gate_report.png").write_bytes(found.screenshot)
    _assert_self_contained(found)
    assert "Kiểm định chất lượng — tuần 2025-W40" in found.text
    assert "province_weekly.rows_per_week" in found.text
    # its links are relative to its folder: they still resolve after the data folder moves
    html = report.read_text(encoding="utf-8")
    assert 'href="gate_report.json"' in html and str(demo_week.data_dir) not in html
    assert (report.parent / "gate_report.json").exists()
