"""The PostgreSQL warehouse builds the same marts as DuckDB from the same staged files.

Reuses the hand-computed staging of tests/warehouse/test_warehouse_build.py: the DuckDB build is
checked there against hand-computed metric values, here the PostgreSQL build is checked against
the DuckDB one table by table (and on a few of the same hand-computed values), plus the loader's
idempotence, the publisher's extract and the one-line error when the server is unreachable.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

import tests.support.warehouse_cases as hand
from core.settings import Settings, load_settings
from publishing import extract
from tests.support.services import require
from tests.support.staged import StagedBuilder
from warehouse import postgres
from warehouse.dbt import run_dbt_build
from warehouse.load import load_staged
from warehouse.snapshot import publish_analyst_copy

pytestmark = [pytest.mark.scale, pytest.mark.slow]


def _pg_rows(sql: str) -> list[tuple]:
    con = postgres.connect(load_settings())  # the database pg_warehouse exported
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def _duck_rows(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _marts(rows_of) -> dict[str, list[tuple]]:
    out = {}
    for table, order in hand.COMPARED.items():
        columns = [
            c
            for (c,) in rows_of(
                "select column_name from information_schema.columns "
                f"where table_schema = 'main' and table_name = '{table}' "
                "and column_name != 'source_loaded_at' order by ordinal_position"
            )
        ]
        out[table] = rows_of(f"select {', '.join(columns)} from main.{table} order by {order}")
    return out


@pytest.fixture
def both(settings: Settings, pg_warehouse: str, tmp_path: Path) -> tuple[Settings, Settings]:
    """The same staged files under a DuckDB and a PostgreSQL data folder."""
    duck = replace(settings, warehouse_target="duckdb")
    b = StagedBuilder(duck)
    hand.stage_week35_first_versions(b)
    hand.stage_corrections_and_week36(b)
    pg = replace(load_settings(), data_dir=tmp_path / "pg-data")  # MOHA_PG_* of pg_warehouse
    shutil.copytree(duck.staged, pg.staged)
    return duck, pg


def test_postgres_marts_equal_duckdb_marts(both: tuple[Settings, Settings]) -> None:
    duck, pg = both
    assert load_staged(duck).files_loaded == 8
    run_dbt_build(duck)
    pg_loaded = load_staged(pg)
    assert pg_loaded.files_loaded == 8 and pg_loaded.reference_written is True
    result = run_dbt_build(pg)
    assert result.by_status.keys() <= {"success", "pass"}
    assert result.by_type["unit_test"] >= 5

    # raw: same rows, same values (loaded_at aside)
    duck_raw, pg_raw = hand.raw_rows(lambda q: _duck_rows(duck, q)), hand.raw_rows(_pg_rows)
    for table in duck_raw:
        if table == "files":
            assert [r[:-1] for r in sorted(duck_raw[table])] == [
                r[:-1] for r in sorted(pg_raw[table])
            ]
        else:
            assert duck_raw[table] == pg_raw[table], table

    # marts: cell by cell
    duck_marts, pg_marts = _marts(lambda q: _duck_rows(duck, q)), _marts(_pg_rows)
    for table, rows in duck_marts.items():
        assert pg_marts[table] == rows, table

    # and a few of the hand-computed values, read from PostgreSQL
    (hn,) = _pg_rows(
        "select vacancies, surplus, median_days_to_resolve, on_time, active_secondments "
        f"from main.province_weekly where week = '{hand.W35}' and province_code = '{hand.HN}'"
    )
    assert hn == (3, 2, 6.5, True, 3)
    assert _pg_rows(
        f"select median_days_to_resolve, on_time from main.national_weekly "
        f"where week = '{hand.W35}'"
    ) == [(3.0, 1)]
    columns = {
        c
        for (c,) in _pg_rows(
            "select distinct column_name from information_schema.columns "
            "where table_schema in ('main', 'staging', 'intermediate')"
        )
    }
    assert not columns & {"full_name", "official_id"}

    # the publisher reads the same frames from both warehouses
    publish_analyst_copy(duck)
    assert publish_analyst_copy(pg).path is None  # documented no-op
    with extract.connect(duck) as dcon, extract.connect(pg) as pcon:
        for week in (hand.W35, hand.W36):
            d, p = extract.read_week(dcon, week), extract.read_week(pcon, week)
            for name in extract.TABLES:
                assert p[name].astype(str).equals(d[name].astype(str)), (week, name)


def test_postgres_load_is_idempotent_and_incremental_equals_full(
    both: tuple[Settings, Settings],
) -> None:
    _, pg = both
    first = load_staged(pg)
    before = hand.raw_rows(_pg_rows)
    second = load_staged(pg)
    assert second.files_loaded == 0 and second.reference_written is False
    assert hand.raw_rows(_pg_rows) == before
    third = load_staged(pg, reload=True)
    assert third.files_loaded == first.files_loaded == 8
    after = hand.raw_rows(_pg_rows)
    assert {t: v for t, v in after.items() if t != "files"} == {
        t: v for t, v in before.items() if t != "files"
    }
    types = {
        (t, c): d
        for t, c, d in _pg_rows(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'raw'"
        )
    }
    assert types[("files", "received_at")] == "timestamp with time zone"
    assert types[("staffing", "approved_posts")] == "integer"
    assert types[("obstacles", "resolved_date")] == "date"

    run_dbt_build(pg)
    incremental = _marts(_pg_rows)
    run_dbt_build(pg, full_refresh=True)
    assert _marts(_pg_rows) == incremental


def test_unreachable_postgres_is_one_clear_line(settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("MOHA_WAREHOUSE", "postgres")
    monkeypatch.setenv("MOHA_PG_HOST", "127.0.0.1")
    monkeypatch.setenv("MOHA_PG_PORT", "6399")  # nothing listens there
    monkeypatch.setenv("MOHA_PG_DBNAME", "moha_nowhere")
    pg = load_settings()
    for call in (load_staged, run_dbt_build):
        with pytest.raises(postgres.WarehouseUnavailable) as raised:
            call(pg)
        message = str(raised.value)
        assert "\n" not in message
        assert "127.0.0.1:6399" in message and "MOHA_PG_PORT" in message
        assert raised.value.__cause__ is None and raised.value.__suppress_context__
    with pytest.raises(postgres.WarehouseUnavailable), extract.connect(pg):
        pass

    from moha.checks import run_checks

    checks = {c.name: c for c in run_checks(pg)}
    assert not checks["Warehouse"].ok and "MOHA_PG_HOST" in checks["Warehouse"].detail


def test_postgres_warehouse_available() -> None:
    """Fails loudly in the summary (as a skip with the prefix) when PostgreSQL is absent."""
    require("postgres")
