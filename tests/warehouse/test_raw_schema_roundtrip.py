"""Every column core.raw_schema declares is staged by ingestion and reaches the raw tables, with
its value and type, on both targets (DuckDB here; PostgreSQL when it is reachable)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from core import raw_schema
from core.settings import Settings, load_settings
from ingestion.stage import staging
from tests.support.services import fresh_database, require, warehouse_env
from warehouse import postgres
from warehouse.load import load_staged
from warehouse.staged import OUTCOMES

pytestmark = pytest.mark.slow

FILE_ID = "f" * 32
OUTCOME_ID = "o" * 32
SAMPLES = {
    raw_schema.VARCHAR: lambda table, column: f"{table}.{column}",
    raw_schema.INTEGER: lambda table, column: 7,
    raw_schema.BIGINT: lambda table, column: 8_000_000_000,
    raw_schema.DATE: lambda table, column: date(2025, 8, 25),
    raw_schema.TIMESTAMPTZ: lambda table, column: datetime(2025, 8, 25, 3, 4, 5, tzinfo=UTC),
}
KEYS = {"file_id": FILE_ID, "outcome_id": OUTCOME_ID, "province_code": "01"}


def _row(table: str) -> dict:
    """A staged row of ``table`` with every column set (keys fixed so the tables join)."""
    return {
        c.name: KEYS.get(c.name, SAMPLES[c.type](table, c.name))
        for c in raw_schema.staged_columns(table)
    }


def _stage_everything(settings: Settings) -> dict[str, dict]:
    rows = {table: _row(table) for table in raw_schema.STAGED_TABLES}
    paths = {
        "files": staging.registry_path(settings, "01", FILE_ID),
        "rejections": staging.rejections_path(settings, "01", FILE_ID),
        OUTCOMES: staging.outcome_path(settings, "01", OUTCOME_ID),
        **{k: staging.rows_path(settings, k, "01", FILE_ID) for k in raw_schema.ROW_KINDS},
    }
    for table, row in rows.items():
        schema = staging.arrow_schema(table)
        assert schema.names == [c.name for c in raw_schema.staged_columns(table)]
        staging.write_parquet(staging._table([row], schema), paths[table])
    return rows


def _assert_loaded(rows: dict[str, dict], fetch) -> None:
    for table, expected in rows.items():
        names = list(expected)
        got = fetch(f"select {', '.join(names)} from raw.{table}")
        assert len(got) == 1, table
        loaded = dict(zip(names, got[0], strict=True))
        for name, value in expected.items():
            actual = loaded[name]
            if isinstance(value, datetime):
                actual = actual.astimezone(UTC)
            assert actual == value, f"raw.{table}.{name}: staged {value!r}, loaded {actual!r}"
    stamped = fetch("select loaded_at from raw.files")[0][0]
    assert stamped is not None


def test_every_staged_column_reaches_duckdb_raw(settings: Settings) -> None:
    rows = _stage_everything(settings)
    summary = load_staged(settings)
    assert summary.files_loaded == 1 and summary.outcomes_loaded == 1
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        _assert_loaded(rows, lambda sql: con.execute(sql).fetchall())


@pytest.mark.scale
def test_every_staged_column_reaches_postgres_raw(settings: Settings, monkeypatch) -> None:
    require("postgres")
    rows = _stage_everything(settings)
    with fresh_database("moha_raw_roundtrip") as name:
        for key, value in warehouse_env(name).items():
            monkeypatch.setenv(key, value)
        pg = load_settings()  # MOHA_PG_* of the fresh database, MOHA_DATA_DIR of `settings`
        summary = load_staged(pg)
        assert summary.files_loaded == 1 and summary.outcomes_loaded == 1
        con = postgres.connect(pg)
        try:
            with con.cursor() as cur:

                def fetch(sql: str) -> list[tuple]:
                    cur.execute(sql)
                    return cur.fetchall()

                _assert_loaded(rows, fetch)
        finally:
            con.close()
