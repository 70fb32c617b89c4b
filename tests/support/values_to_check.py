"""An analysts' copy holding only the mart ``data_quality_findings`` (what the rewrite of the
weekly summaries reads), with the findings a test plants."""

from __future__ import annotations

import duckdb


def plant(settings, findings: list[dict]) -> None:
    """An analysts' copy holding only the findings mart (what the rewrite reads)."""
    settings.analyst_path.parent.mkdir(parents=True, exist_ok=True)
    settings.analyst_path.unlink(missing_ok=True)
    con = duckdb.connect(str(settings.analyst_path))
    con.execute(
        "create table data_quality_findings (week varchar, province_code varchar, "
        "rule_order integer, rule_label_vi varchar, commune_name varchar, field_code varchar, "
        "measure varchar, value double, expected_low double, expected_high double, "
        "history varchar, finding_key varchar)"
    )
    for row in findings:
        con.execute(
            "insert into data_quality_findings values (" + ", ".join("?" * len(row)) + ")",
            list(row.values()),
        )
    con.close()


def outlier(week: str, province: str) -> dict:
    """A value_outlier row: 52 present where the last weeks had 12 or 13."""
    return {
        "week": week,
        "province_code": province,
        "rule_order": 2,
        "rule_label_vi": "Số liệu khác thường so với các tuần gần nhất của chính ô này",
        "commune_name": "Xã Bát Xát",
        "field_code": "van_phong",
        "measure": "filled_posts",
        "value": 52.0,
        "expected_low": 9.5,
        "expected_high": 14.5,
        "history": "12.0, 12.0, 13.0, 12.0 (2025-W32–2025-W35)",
        "finding_key": "value_outlier:a",
    }


def over_approved(week: str, province: str) -> dict:
    """A filled_over_approved row on the same cell (no history, an upper bound only)."""
    return {
        **outlier(week, province),
        "rule_order": 4,
        "rule_label_vi": "Số có mặt gấp hơn 3 lần biên chế được giao",
        "expected_low": None,
        "expected_high": 45.0,
        "history": None,
        "finding_key": "filled_over_approved:a",
    }
