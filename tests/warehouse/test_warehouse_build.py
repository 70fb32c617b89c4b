"""Staged Parquet → raw → dbt marts, checked against hand-computed values of the published
metrics."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from core.settings import Settings
from tests.support.staged import StagedBuilder
from tests.support.warehouse_cases import (
    C1,
    HCM,
    HN,
    W35,
    W36,
    province_row,
    query,
    raw_rows,
    snapshot_tables,
    staffing,
    stage_corrections_and_week36,
    stage_week35_first_versions,
)
from warehouse.dbt import DbtBuildError, run_dbt_build
from warehouse.load import load_staged
from warehouse.snapshot import publish_analyst_copy

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_marts_match_hand_computed_values(settings: Settings) -> None:
    b = StagedBuilder(settings)
    stage_week35_first_versions(b)
    stage_corrections_and_week36(b)
    loaded = load_staged(settings)
    assert loaded.files_loaded == 8
    result = run_dbt_build(settings)
    assert result.by_status.keys() <= {"success", "pass"}
    assert result.by_type["unit_test"] >= 5

    # every province, every week
    assert query(
        settings, "select count(*), count(distinct province_code) from province_weekly"
    ) == [(68, 34)]
    assert [w for (w,) in query(settings, "select week from dim_week order by 1")] == [W35, W36]

    hn = province_row(settings, W35, HN)
    # v2 supersedes v1; the rejected v3 does not supersede v2
    assert (hn["approved_posts"], hn["filled_posts"]) == (7, 6)
    assert (hn["vacancies"], hn["surplus"]) == (3, 2)  # 1 + 2 short, 2 surplus: never netted
    assert hn["communes_short"] == 2
    # A1 (bo), A2 (tinh, starts Sunday), A5 (xa, ends Monday) are active; A3 cancelled; A4 ended
    assert hn["active_secondments"] == 3
    assert (hn["active_secondments_bo"], hn["active_secondments_tinh"]) == (1, 1)
    assert hn["secondments_started"] == 1
    assert hn["obstacles_raised"] == 2  # O1, O4
    assert hn["obstacles_resolved"] == 2  # O1, O2
    assert hn["obstacles_open"] == 2  # O3, O4
    assert hn["obstacles_escalated"] == 1
    assert hn["median_days_to_resolve"] == 6.5  # (3 + 10) / 2
    assert hn["files_received"] == 3
    assert hn["on_time"] is True  # the late v2 correction does not make it late

    hcm = province_row(settings, W35, HCM)
    assert (hcm["vacancies"], hcm["surplus"], hcm["communes_short"]) == (4, 1, 1)
    for metric in ("active_secondments", "active_secondments_bo", "secondments_started"):
        assert hcm[metric] is None  # no secondments file: null, never 0
    assert hcm["obstacles_resolved"] == 1
    assert hcm["files_received"] == 2
    assert hcm["on_time"] is False

    silent = province_row(settings, W35, "04")
    assert silent["files_received"] == 0 and silent["on_time"] is False
    assert silent["approved_posts"] is None and silent["obstacles_open"] is None

    # W36: nothing carried forward from W35
    hn36 = province_row(settings, W36, HN)
    assert (hn36["approved_posts"], hn36["vacancies"], hn36["surplus"]) == (3, 0, 0)
    assert hn36["active_secondments"] is None and hn36["obstacles_open"] is None
    assert hn36["files_received"] == 1

    national = query(
        settings,
        "select approved_posts, vacancies, surplus, active_secondments, obstacles_resolved, "
        "median_days_to_resolve, files_received, on_time "
        f"from national_weekly where week = '{W35}'",
    )
    # median over all obstacles resolved in W35: {1, 3, 10} → 3 (not a median of medians)
    assert national == [(7 + 7, 3 + 4, 2 + 1, 3, 3, 3.0, 5, 1)]

    assert query(
        settings,
        f"select field_code, approved_posts, filled_posts, vacancies, surplus "
        f"from vacancies_by_field where week = '{W35}' and province_code = '{HN}' order by 1",
    ) == [
        ("cntt_chuyen_doi_so", 2, 1, 1, 0),
        ("dat_dai", 2, 0, 2, 0),
        ("van_phong", 3, 5, 0, 2),
    ]

    rejections = query(
        settings,
        "select province_code, kind, week, source_row, column_name, reason_code "
        "from rejections order by reason_code",
    )
    assert rejections == [
        (HN, "secondments", W35, 7, "origin_level", "unknown_code"),
        (HN, "staffing", W35, None, None, "wrong_province_file"),
    ]
    registry = query(
        settings,
        f"select version, status, is_selected from file_registry "
        f"where province_code = '{HN}' and kind = 'staffing' and week = '{W35}' order by version",
    )
    assert registry == [(1, "accepted", False), (2, "accepted", True), (3, "rejected", False)]

    # no personal data anywhere outside raw
    columns = {
        c
        for (c,) in query(
            settings,
            "select distinct column_name from information_schema.columns "
            "where table_schema != 'raw'",
        )
    }
    assert not columns & {"full_name", "official_id"}


def test_incremental_build_equals_full_refresh(settings: Settings) -> None:
    b = StagedBuilder(settings)
    stage_week35_first_versions(b)
    load_staged(settings)
    run_dbt_build(settings)
    first = province_row(settings, W35, HN)
    assert (first["vacancies"], first["surplus"]) == (2, 3)  # v1: no netting within commune

    stage_corrections_and_week36(b)
    assert load_staged(settings).files_loaded == 3
    run_dbt_build(settings)  # incremental: only W35 (staffing v2) and W36 rebuilt
    incremental = snapshot_tables(settings)
    hn = province_row(settings, W35, HN)
    assert (hn["vacancies"], hn["surplus"]) == (3, 2)
    # weeks whose files did not change keep their old stamp: they were not rebuilt
    (sec_stamp,) = query(settings, "select distinct source_loaded_at from fct_secondments")[0:1][0]
    staffing_stamps = dict(
        query(settings, "select week, max(source_loaded_at) from fct_staffing group by 1")
    )
    assert sec_stamp < staffing_stamps[W35] == staffing_stamps[W36]

    run_dbt_build(settings, full_refresh=True)
    assert snapshot_tables(settings) == incremental

    run_dbt_build(settings)  # nothing new: an incremental no-op keeps the same numbers
    assert snapshot_tables(settings) == incremental


def test_loading_twice_changes_nothing(settings: Settings) -> None:
    b = StagedBuilder(settings)
    stage_week35_first_versions(b)
    first = load_staged(settings)
    assert first.files_loaded == 5
    assert first.rows_loaded["staffing"] == 5

    def dump() -> dict[str, list[tuple]]:
        return raw_rows(lambda sql: query(settings, sql))

    before = dump()
    second = load_staged(settings)
    assert second.files_loaded == 0 and second.reference_written is False
    assert dump() == before
    assert len(before["provinces"]) == 34 and len(before["communes"]) == 3321
    # a forced reload rewrites the same rows (delete+insert per file), only loaded_at moves
    third = load_staged(settings, reload=True)
    assert third.files_loaded == 5
    after = dump()
    assert {t: v for t, v in after.items() if t != "files"} == {
        t: v for t, v in before.items() if t != "files"
    }
    assert len(after["files"]) == len(before["files"])


def test_raw_tables_exist_empty_and_typed(settings: Settings) -> None:
    result = load_staged(settings)
    assert result.files_loaded == 0
    types = dict(
        ((t, c), d)
        for t, c, d in query(
            settings,
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'raw'",
        )
    )
    assert types[("files", "received_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("files", "loaded_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("staffing", "approved_posts")] == "INTEGER"
    assert types[("obstacles", "resolved_date")] == "DATE"
    assert query(settings, "select count(*) from raw.files") == [(0,)]


def test_analyst_copy_is_swapped_atomically(settings: Settings) -> None:
    load_staged(settings)
    run_dbt_build(settings)  # builds on an empty warehouse
    publish_analyst_copy(settings)

    b = StagedBuilder(settings)
    stage_week35_first_versions(b)
    load_staged(settings)
    run_dbt_build(settings)
    publish_analyst_copy(settings)
    old_numbers = "select week, province_code, vacancies from province_weekly order by 1, 2"

    held = duckdb.connect(str(settings.analyst_path), read_only=True)
    try:
        before = held.execute(old_numbers).fetchall()
        assert len(before) == 34
        stage_corrections_and_week36(b)
        load_staged(settings)
        run_dbt_build(settings)  # the analyst connection does not block the pipeline
        info = publish_analyst_copy(settings)
        assert "main.province_weekly" in info.tables
        assert not [t for t in info.tables if t.startswith(("raw.", "staging.", "intermediate."))]
        assert held.execute(old_numbers).fetchall() == before  # old, consistent numbers
    finally:
        held.close()
    fresh = query(settings, old_numbers, path=settings.analyst_path)
    assert len(fresh) == 68
    assert (W35, HN, 3) in fresh and (W35, HN, 2) in before
    assert not list(settings.warehouse_dir.glob(".*.tmp"))


def test_failed_build_names_failing_nodes(settings: Settings) -> None:
    b = StagedBuilder(settings)
    b.add(HN, "staffing", W35, [staffing(C1, "van_phong", -1, 2, date(2025, 8, 29))])
    load_staged(settings)
    with pytest.raises(DbtBuildError) as raised:
        run_dbt_build(settings)
    message = str(raised.value)
    assert "non_negative" in message and "approved_posts" in message
    assert raised.value.failures
