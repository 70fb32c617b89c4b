"""The sheet "Chất lượng số liệu": one coloured cell per province and week, the latest week's
figures, the findings as bars."""

from __future__ import annotations

import pandas as pd

from core.weeks import IsoWeek
from publishing import quality_series as qs


def _row(week: str, code: str, name: str, **values) -> dict:
    row = {
        "week": week,
        "province_code": code,
        "province_name": name,
        "files_received": 3,
        "on_time": True,
        "communes_reported": 100,
        "communes_total": 100,
        "commune_coverage": 1.0,
        "rows_sent": 1000,
        "rows_rejected": 0,
        "rejection_rate": 0.0,
        "findings": 0,
    }
    return row | values


def test_week_colours() -> None:
    good = pd.Series(_row("2025-W40", "01", "Hà Nội"))
    assert qs.week_colour(good) == qs.GOOD
    for change in (
        {"on_time": False},
        {"commune_coverage": 0.9},
        {"findings": 2},
        {"rejection_rate": 0.02},
    ):
        assert qs.week_colour(pd.Series(_row("2025-W40", "01", "x", **change))) == qs.WATCH
    assert qs.week_colour(pd.Series(_row("2025-W40", "01", "x", files_received=2))) == qs.MISSING


def test_sparkline_scales_to_the_busiest_week() -> None:
    assert qs.sparkline([0, 7, 14], 14) == "▁▅█"
    assert qs.sparkline([0, 0], 0) == "▁▁"


def test_grid_rows_in_vietnamese_order_with_the_latest_week_and_a_total_row() -> None:
    rows = [
        _row("2025-W39", "79", "Thành phố Hồ Chí Minh"),
        _row("2025-W40", "79", "Thành phố Hồ Chí Minh", findings=3, on_time=False),
        _row("2025-W39", "01", "Thành phố Hà Nội", files_received=1, communes_reported=None),
        _row("2025-W40", "01", "Thành phố Hà Nội", communes_reported=90, commune_coverage=0.9),
    ]
    sheet = qs.data_quality_sheet(pd.DataFrame(rows), IsoWeek.parse("2025-W40"), "footer")
    table = sheet.stacks[0][-1]
    assert [c.header for c in table.columns[1:3]] == ["W39", "W40"]
    assert [r[0] for r in table.rows] == [
        "Thành phố Hà Nội",
        "Thành phố Hồ Chí Minh",
        "Số tỉnh đạt (ô xanh)",
    ]
    assert table.rows[0][1:7] == ["1", "3", "90/100", "Có", 0.0, 0]
    assert table.fills[(0, 1)] == qs.MISSING and table.fills[(0, 2)] == qs.WATCH
    assert table.fills[(1, 1)] == qs.GOOD and table.fills[(1, 2)] == qs.WATCH
    assert table.rows[1][-2:] == ["▁█  ", 3]
    assert table.rows[-1][1:3] == ["1", "0"]


def _finding(code, name, rule, order, commune=None, field=None, value=None, history="") -> dict:
    return {
        "week": "2025-W40",
        "province_code": code,
        "province_name": name,
        "rule_id": rule,
        "rule_order": order,
        "rule_label_vi": rule,
        "commune_name": commune,
        "field_code": field,
        "measure": "filled_posts" if field else "commune",
        "value": value,
        "history": history,
        "finding_key": f"{rule}|{commune}|{field}",
    }


def test_findings_are_listed_by_province_and_rule_with_their_history() -> None:
    findings = pd.DataFrame(
        [
            _finding(
                "79",
                "Thành phố Hồ Chí Minh",
                "flat_value_changed",
                3,
                "Phường Sài Gòn",
                "dat_dai",
                43.0,
                "3, 3, 3, 3 (2025-W36–2025-W39)",
            ),
            *(_finding("01", "Thành phố Hà Nội", "commune_missing", 1, f"Xã {n}") for n in "ABCDE"),
        ]
    )
    table = qs.findings_table(findings)
    assert table.rows == [
        ["Thành phố Hà Nội", "commune_missing", 5, "Xã A; Xã B; Xã C; … (+2)"],
        [
            "Thành phố Hồ Chí Minh",
            "flat_value_changed",
            1,
            "Phường Sài Gòn, dat_dai, Số có mặt: 43 — trước đó 3, 3, 3, 3 (2025-W36–2025-W39)",
        ],
    ]
    assert qs.findings_table(findings.head(0)).rows[0][0].startswith("Không có")
