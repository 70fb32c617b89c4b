"""The officials' reports in the ministry's package, against the simulator's truth: page 1's
line (received, on time, missing provinces inside a wave), the "Kiến nghị" sheet (every proposal
by category and province; the obstacles section by category) and the HTML page."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl
import pytest

from core import reference
from core.settings import Settings
from publishing.publish import publish_week
from tests.publishing.conftest import warehouse_copy

pytestmark = pytest.mark.slow

WEEK = "2025-W36"  # inside the first secondment wave (20/08–20/10/2025)


@pytest.fixture(scope="module")
def package(world: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = warehouse_copy(world, tmp_path_factory.mktemp("proposals"))
    return Path(publish_week(settings, WEEK).path)


def _truth(world: Settings, table: str) -> list[dict]:
    with (world.simulation / "truth" / f"{table}.csv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["week"] == WEEK]


def _names(world: Settings) -> dict[str, str]:
    with duckdb.connect(str(world.analyst_path), read_only=True) as con:
        return dict(con.execute("select province_code, province_name from dim_province").fetchall())


def _cells(ws) -> list[list]:
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def test_page_one_says_how_many_reports_came_and_names_the_missing(world, package):
    facts = _truth(world, "fct_official_reports")
    names = _names(world)
    received = sum(r["is_received"] == "true" for r in facts)
    on_time = sum(r["is_on_time"] == "true" for r in facts)
    missing = [names[r["province_code"]] for r in facts if r["is_received"] == "false"]
    assert missing, "the simulated week has a province without a report"
    book = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")
    texts = [c for row in _cells(book["Tổng quan"]) for c in row if isinstance(c, str)]
    (line,) = [t for t in texts if t.startswith("Báo cáo tuần của cán bộ biệt phái")]
    assert f"{received}/34 tỉnh đã nộp ({on_time} đúng hạn)" in line
    for name in missing:
        assert name in line.split("Chưa nộp:")[1]
    html = (package / f"bao_cao_tuan_{WEEK}.html").read_text(encoding="utf-8")
    assert f"{received}/34 tỉnh đã nộp" in html


def _sheet(package: Path) -> list[list]:
    return _cells(openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")["Kiến nghị"])


def _listed_proposals(rows: list[list]) -> list[tuple]:
    """(category, province, proposal) as the sheet shows them: two stacks (columns A–B, D–E),
    a merged row naming the category above its proposals."""
    listed = []
    for offset in (0, 3):
        category = None
        for row in rows:
            first, second = row[offset : offset + 2] if len(row) > offset + 1 else (None, None)
            if isinstance(first, str) and first.startswith("2."):
                break
            if not first or first.startswith("1.") or first == "Tỉnh, thành phố":
                continue
            if second is None:
                category = first
            else:
                listed.append((category, first, second))
    return listed


def test_the_proposals_sheet_lists_every_proposal_by_category_and_province(world, package):
    items = _truth(world, "official_report_items")
    names = _names(world)
    labels = reference.code_list(reference.OBSTACLE_CATEGORIES)
    expected = Counter(
        (
            ", ".join(labels[c] for c in (r["category_codes"] or "khac").split(";")),
            names[r["province_code"]],
            r["item_text"],
        )
        for r in items
        if r["section"] == "proposals"
    )
    assert expected
    assert Counter(_listed_proposals(_sheet(package))) == expected
    html = (package / f"bao_cao_tuan_{WEEK}.html").read_text(encoding="utf-8")
    assert all(text.replace("&", "&amp;") in html for _, _, text in expected)


def test_the_obstacles_the_reports_name_are_grouped_by_category(world, package):
    items = _truth(world, "official_report_items")
    labels = reference.code_list(reference.OBSTACLE_CATEGORIES)
    expected = Counter()
    for r in items:
        if r["section"] == "obstacles":
            for code in (r["category_codes"] or "khac").split(";"):
                expected[labels[code]] += 1
    rows = _sheet(package)
    start = next(i for i, row in enumerate(rows) if "Nhóm vướng mắc" in row)
    column = rows[start].index("Nhóm vướng mắc")
    got = {
        row[column]: int(row[column + 1].split(" ý,")[0])
        for row in rows[start + 1 :]
        if row[column]
    }
    assert got == dict(expected)
    html = (package / f"bao_cao_tuan_{WEEK}.html").read_text(encoding="utf-8")
    for label, count in expected.items():
        assert f"<td>{label}</td><td>{count} ý," in html


def test_no_name_or_id_reaches_the_sheet(package):
    rows = _sheet(package)
    text = " ".join(str(c) for row in rows for c in row if c)
    assert "Nguyễn Văn An" not in text and "Nơi nhận" not in text  # the signature block
    assert re.search(r"0[0-9]{3} [0-9]{3} [0-9]{3}", text) is None  # phones were masked
