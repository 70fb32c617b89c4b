"""Nil returns in the warehouse: a secondments or obstacles file accepted with no row makes the
kind received and its metrics 0, not null (national sums follow); a kind not received stays
null; a nil return that supersedes a list with rows leaves no row behind, incremental or not."""

from __future__ import annotations

from datetime import date

import pytest

from core.metrics import OBSTACLE_METRICS, SECONDMENT_METRICS
from core.settings import Settings
from tests.support.staged import StagedBuilder, vn_time
from tests.support.warehouse_cases import (
    C1,
    HCM,
    HN,
    W35,
    obstacle,
    province_row,
    query,
    secondment,
    staffing,
)
from warehouse.dbt import run_dbt_build
from warehouse.load import load_staged

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

OBSTACLE_COUNTS = tuple(m for m in OBSTACLE_METRICS if m != "median_days_to_resolve")
DAY = date(2025, 8, 29)


def test_a_nil_return_counts_as_received_with_zero_metrics(settings: Settings) -> None:
    b = StagedBuilder(settings)
    b.add(HN, "staffing", W35, [staffing(C1, "van_phong", 5, 4, DAY)])
    b.add(HN, "secondments", W35, [])
    b.add(HN, "obstacles", W35, [])
    b.add(HCM, "obstacles", W35, [], received_at=vn_time(date(2025, 9, 2)))  # late
    load_staged(settings)
    run_dbt_build(settings)

    hn = province_row(settings, W35, HN)
    assert {m: hn[m] for m in (*SECONDMENT_METRICS, *OBSTACLE_COUNTS)} == dict.fromkeys(
        (*SECONDMENT_METRICS, *OBSTACLE_COUNTS), 0
    )
    assert hn["median_days_to_resolve"] is None  # nothing resolved: no median
    assert (hn["files_received"], hn["on_time"]) == (3, True)
    hcm = province_row(settings, W35, HCM)
    assert hcm["obstacles_open"] == 0 and hcm["active_secondments"] is None
    assert (hcm["files_received"], hcm["on_time"]) == (1, False)

    national = query(
        settings,
        "select active_secondments, obstacles_open, median_days_to_resolve, "
        "provinces_reporting_secondments, provinces_reporting_obstacles "
        f"from national_weekly where week = '{W35}'",
    )
    assert national == [(0, 0, None, 1, 2)]
    trend = query(
        settings,
        "select obstacles_listed, obstacles_waiting_ministry, ministry_secondments_started "
        f"from national_trend where week = '{W35}'",
    )
    assert trend == [(0, 0, 0)]
    status = query(
        settings,
        "select province_code, kind, status, is_nil_return from submission_status "
        f"where week = '{W35}' and (is_nil_return or province_code = '{HN}') order by 1, 2",
    )
    assert status == [
        (HN, "obstacles", "on_time", True),
        (HN, "secondments", "on_time", True),
        (HN, "staffing", "on_time", False),
        (HCM, "obstacles", "late", True),
    ]
    registry = query(settings, "select count(*) from file_registry where is_nil_return")
    assert registry == [(3,)]


def test_a_nil_return_superseding_rows_leaves_none_behind_on_an_incremental_build(
    settings: Settings,
) -> None:
    """The only secondments and obstacles of the week are Hà Nội's, then its v2 says it has
    none: the week rebuilt holds no row of either kind (delete+insert alone would keep them)."""
    b = StagedBuilder(settings)
    b.add(HN, "secondments", W35, [secondment("A1", "tinh", "dang_biet_phai", DAY)])
    b.add(HN, "obstacles", W35, [obstacle("O1", C1, "moi", DAY)])
    load_staged(settings)
    run_dbt_build(settings)
    first = province_row(settings, W35, HN)
    assert (first["active_secondments"], first["obstacles_open"]) == (1, 1)

    b.add(HN, "secondments", W35, [], version=2)
    b.add(HN, "obstacles", W35, [], version=2)
    load_staged(settings)
    run_dbt_build(settings)
    second = province_row(settings, W35, HN)
    assert (second["active_secondments"], second["obstacles_open"]) == (0, 0)
    assert query(settings, "select count(*) from fct_secondments") == [(0,)]
    assert query(settings, "select count(*) from fct_obstacles") == [(0,)]
