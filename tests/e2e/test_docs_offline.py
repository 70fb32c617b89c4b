"""The docs people are pointed at open from disk, offline, in a real browser (headless Chromium):
the one-file dbt docs site and the quality gate's HTML report make no request outside their own
file and none fails. The served dbt site (index.html), which fetches manifest.json, is the
control: opened from disk it must be caught failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import open_page
from warehouse.dbt import dbt_target_path, static_docs_path

pytestmark = [pytest.mark.slow]


def _assert_self_contained(visit) -> None:
    assert not visit.failed, f"failed requests: {visit.failed}"
    assert not visit.foreign_requests(), f"requests outside the file: {visit.foreign_requests()}"
    assert not visit.errors, f"errors in the page: {visit.errors}"


def test_static_dbt_docs_open_from_disk(demo_week, tmp_path: Path):
    page = static_docs_path(demo_week)
    visit = open_page(
        page,
        fragment="#!/model/model.moha.province_weekly",
        settle=4.0,
        screenshot=tmp_path / "dbt_docs.png",
    )
    _assert_self_contained(visit)
    assert visit.requests[0].startswith(page.resolve().as_uri())
    # the manifest and catalog inside the page: the model, its grain and its columns
    assert "province_weekly table" in visit.text and "One row per province" in visit.text
    for name in ("communes_short", "median_days_to_resolve", "Referenced By"):
        assert name in visit.text, f"{name} not shown by the docs site"


def test_the_served_dbt_site_is_caught_failing_from_disk(demo_week):
    visit = open_page(dbt_target_path(demo_week) / "index.html", settle=2.0)
    assert any("manifest.json" in failure for failure in visit.failed), visit.failed
    assert any("unable to load the manifest" in error for error in visit.errors), visit.errors


def test_gate_report_html_opens_from_disk(demo_week, tmp_path: Path):
    [report] = sorted(demo_week.reports.glob("*/*/gate_report.html"))
    visit = open_page(report, settle=1.0, screenshot=tmp_path / "gate_report.png")
    _assert_self_contained(visit)
    assert "Kiểm định chất lượng — tuần 2025-W40" in visit.text
    assert "province_weekly.rows_per_week" in visit.text
    # its links are relative to its folder: they still resolve after the data folder moves
    html = report.read_text(encoding="utf-8")
    assert 'href="gate_report.json"' in html and str(demo_week.data_dir) not in html
    assert (report.parent / "gate_report.json").exists()
