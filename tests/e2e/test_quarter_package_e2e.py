"""The ministry package of the simulated quarter: coverage moves are explained, the charts and
page 1 ship with every version, page 1 says when the ministry's programme ended. (Its marts are
compared with the truth in test_quarter_e2e.py, before a test there plants a correction.)"""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

COVERAGE_WARNING = "national_week_over_week.national_figure_change_within_share"


def latest_version(settings, week) -> Path:
    versions = sorted((settings.outbox / str(week)).glob("v*"), key=lambda p: int(p.name[1:]))
    assert versions, f"nothing published for {week}"
    return versions[-1]


def test_every_version_ships_page_one_charts_and_workbook(quarter) -> None:
    for week in quarter.weeks:
        folder = latest_version(quarter.settings, week)
        names = {p.name for p in folder.iterdir()}
        assert {
            f"bao_cao_tuan_{week}.xlsx",
            f"bao_cao_tuan_{week}.html",
            "bieu_do_xu_huong.png",
            "bieu_do_linh_vuc.png",
            "bieu_do_vuong_mac.png",
            "national_trend.csv",
            "submission_status.parquet",
        } <= names, week
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["generated_at"].endswith("+07:00")
        assert sum(e["provinces_reporting"] for e in manifest["coverage"].values()) == len(
            manifest["inputs"]
        )


def test_a_fall_caused_by_missing_staffing_files_is_explained(quarter) -> None:
    """A national figure that moves more than 10 % is a warning naming its coverage part."""
    with (quarter.settings.simulation / "truth" / "national_weekly.csv").open() as handle:
        national = {r["week"]: r for r in csv.DictReader(handle)}
    weeks = [str(w) for w in quarter.weeks]
    dropped = [
        (before, now)
        for before, now in itertools.pairwise(weeks)
        if int(national[now]["provinces_reporting_staffing"])
        < int(national[before]["provinces_reporting_staffing"]) - 2
    ]
    assert dropped, "the quarter has no week where several staffing files went missing"
    _, week = dropped[0]
    manifest = json.loads(
        (latest_version(quarter.settings, week) / "manifest.json").read_text(encoding="utf-8")
    )
    [warning] = [w for w in manifest["quality"]["warnings_detail"] if w["name"] == COVERAGE_WARNING]
    approved = next(r for r in warning["failing_rows"] if r["metric"] == "approved_posts")
    assert approved["coverage_points"] < -0.1
    assert (
        "tỉnh có báo cáo biên chế tuần trước nhưng không có tuần này"
        in (approved["explanation_vi"])
    )


def test_after_the_ministry_programme_page_one_says_it_ended(quarter) -> None:
    last = quarter.weeks[-1]
    html = (latest_version(quarter.settings, last) / f"bao_cao_tuan_{last}.html").read_text(
        encoding="utf-8"
    )
    assert "Đợt biệt phái đã kết thúc ngày 20/10/2025." in html
