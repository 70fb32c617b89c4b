"""Every ```sql block of docs/analysts.md runs against a demo-like analysts' snapshot and returns
rows."""

from __future__ import annotations

import re

import duckdb
import pytest

from core.settings import PROJECT_ROOT

pytestmark = [pytest.mark.slow]

SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.MULTILINE | re.DOTALL)


def guide_statements() -> list[str]:
    """Each statement of each ```sql block, in the guide's order (comments kept)."""
    text = (PROJECT_ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    statements = []
    for block in SQL_BLOCK.findall(text):
        statements += [s.query for s in duckdb.extract_statements(block)]
    return statements


def test_the_guide_has_example_queries():
    assert len(guide_statements()) >= 3


@pytest.mark.parametrize("index", range(len(guide_statements())))
def test_guide_query_runs_and_returns_rows(demo_week, index):
    statement = guide_statements()[index]
    with duckdb.connect(str(demo_week.analyst_path), read_only=True) as con:
        rows = con.execute(statement).fetchall()
    assert rows, f"query {index + 1} of docs/analysts.md returned no rows:\n{statement}"
