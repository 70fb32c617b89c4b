"""The values to check again of every province and week, read from the built warehouse (the
analysts' copy on DuckDB, the warehouse itself on PostgreSQL)."""

from __future__ import annotations

from core.settings import Settings
from core.values_to_check import ValueToCheck

SQL = """
select
    week, province_code, rule_order, rule_label_vi, commune_name, field_code, measure, value,
    expected_low, expected_high, history, finding_key
from main.data_quality_findings
"""


def values_to_check(settings: Settings) -> dict[tuple[str, str], list[ValueToCheck]]:
    """(province code, week) → its findings in rule order, then by finding key."""
    from warehouse.read import connect, fetch_rows

    with connect(settings) as con:
        rows = [ValueToCheck(**row) for row in fetch_rows(con, SQL)]
    found: dict[tuple[str, str], list[ValueToCheck]] = {}
    for row in sorted(rows, key=lambda r: (r.rule_order, r.finding_key)):
        found.setdefault((row.province_code, row.week), []).append(row)
    return found
