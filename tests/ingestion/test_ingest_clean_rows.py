"""The fast path for clean staffing rows decides exactly as the full row checks (same records,
same rejections, same file status), whatever mix of clean and faulty rows a file holds."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest

from core.reference import communes_of
from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.table.headers import Table
from ingestion.validate import rules
from tests.support.forms import OTHER_PP, PP

WEEK = IsoWeek.parse("2025-W35")
LIMITS = Limits(max_cell_chars=40, max_count=1000)
COLUMNS = ("commune_code", "field_code", "approved_posts", "filled_posts", "report_date")
COMMUNES = communes_of(PP)

# (column, value) variants: clean spellings the fast path takes, and faults it must hand over.
VARIANTS = [
    ("commune_code", int(COMMUNES[0])),
    ("commune_code", float(COMMUNES[0])),
    ("commune_code", f"'{COMMUNES[0]}"),
    ("commune_code", "99999"),
    ("commune_code", "xã A"),
    ("commune_code", ""),
    ("commune_code", None),
    ("commune_code", communes_of(OTHER_PP)[0]),
    ("commune_code", True),
    ("field_code", "Văn phòng - Hành chính"),
    ("field_code", "VAN PHONG"),
    ("field_code", "Bảo vệ"),
    ("field_code", " "),
    ("approved_posts", 12.0),
    ("approved_posts", "1.000"),
    ("approved_posts", "abc"),
    ("approved_posts", "2.5"),
    ("approved_posts", -1),
    ("approved_posts", 1001),
    ("approved_posts", float("nan")),
    ("filled_posts", "3000000000"),
    ("filled_posts", ""),
    ("filled_posts", True),
    ("report_date", datetime(2025, 8, 29)),
    ("report_date", date(2025, 8, 25)),
    ("report_date", 45898),
    ("report_date", "2025-08-31"),
    ("report_date", "31/02/2025"),
    ("report_date", "1/9/2025"),
    ("report_date", ""),
    ("report_date", "x" * 41),
    ("field_code", "y" * 41),
]


def clean_row(i: int) -> dict:
    return {
        "commune_code": COMMUNES[i % len(COMMUNES)],
        "field_code": ("van_phong", "tu_phap", "dat_dai")[i // len(COMMUNES) % 3],
        "approved_posts": 5 + i % 3,
        "filled_posts": str(4 + i % 4),
        "report_date": "29/8/2025",
    }


def table(rows: list[dict]) -> Table:
    return Table(1, {c: c for c in COLUMNS}, tuple((n + 2, row) for n, row in enumerate(rows)))


def both_ways(rows: list[dict], monkeypatch: pytest.MonkeyPatch) -> tuple:
    fast = rules.validate(table(rows), "staffing", PP, WEEK, "staffing_2025-W35.csv", LIMITS)
    with monkeypatch.context() as patched:
        patched.setattr(rules, "_CLEAN", {})
        full = rules.validate(table(rows), "staffing", PP, WEEK, "staffing_2025-W35.csv", LIMITS)
    return fast, full


@pytest.mark.parametrize(("column", "value"), VARIANTS)
def test_one_variant_among_clean_rows_is_decided_as_by_the_full_checks(column, value, monkeypatch):
    rows = [clean_row(i) for i in range(12)]
    rows[4] = {**rows[4], column: value}
    fast, full = both_ways(rows, monkeypatch)
    assert fast == full


def test_duplicates_across_fast_and_full_rows_are_named_alike(monkeypatch):
    rows = [clean_row(i) for i in range(10)]
    rows.append({**rows[2], "approved_posts": "abc"})  # same key, a faulty row
    rows.append({**rows[2], "commune_code": int(rows[2]["commune_code"])})  # same key, clean
    rows.append(dict(rows[5]))
    fast, full = both_ways(rows, monkeypatch)
    assert fast == full
    assert sum(r.code == "duplicate_key" for r in fast.rejections) == 5


def test_a_file_mostly_faulty_is_rejected_alike(monkeypatch):
    variants = itertools.cycle(VARIANTS)
    rows = [{**clean_row(i), **dict([next(variants)])} for i in range(40)]
    fast, full = both_ways(rows, monkeypatch)
    assert fast == full
    assert fast.status == "rejected"


def test_clean_rows_take_the_fast_path(monkeypatch):
    built: list[int] = []

    class CountedRow(rules._Row):
        def __init__(self, number, values, ctx, columns=None):
            built.append(number)
            super().__init__(number, values, ctx, columns)

    monkeypatch.setattr(rules, "_Row", CountedRow)
    rows = [clean_row(i) for i in range(30)]
    rows[7] = {**rows[7], "approved_posts": "abc"}
    result = rules.validate(table(rows), "staffing", PP, WEEK, "staffing_2025-W35.csv", LIMITS)
    assert result.rows_accepted == 29
    assert built == [9]  # only the faulty row (its line) went through the full checks
