"""The package's marts (trend, coverage, submission status, vacancy ranks) = simulator truth."""

from __future__ import annotations

import duckdb
import pytest

from core.settings import Settings
from tests.publishing.conftest import WEEKS
from tests.support.truth import differences, normalise, package_mart_differences, read_truth

pytestmark = pytest.mark.slow


def _frame(settings: Settings, sql: str):
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        return con.execute(sql).df()


def test_national_weekly_coverage_columns_equal_the_truth(world: Settings) -> None:
    got = normalise(_frame(world, "select * from national_weekly"), "national_weekly")
    expected = read_truth(world.simulation, "national_weekly")
    assert list(got.columns)[-5:] == [
        "provinces_reporting_staffing",
        "provinces_reporting_secondments",
        "provinces_reporting_obstacles",
        "communes_reported",
        "communes_total",
    ]
    assert differences(got, expected, "national_weekly") == []
    # the world has weeks where some provinces sent no staffing file: coverage is not all 34
    assert set(got["provinces_reporting_staffing"]) != {34}
    assert (got["communes_reported"] < got["communes_total"]).any()


@pytest.mark.parametrize("table", ["national_trend", "submission_status", "province_vacancy_rate"])
def test_package_mart_equals_the_truth(world: Settings, table: str) -> None:
    found = package_mart_differences(world, [str(w) for w in WEEKS])
    assert found[table] == []


def test_trend_changes_and_ranks_are_not_trivial(world: Settings) -> None:
    trend = _frame(world, "select * from national_trend order by week")
    assert trend["prev_vacancies"].isna().tolist() == [True, False, False]
    assert (trend["change_vacancies"].dropna() != 0).all()
    ranks = _frame(world, "select * from province_vacancy_rate where vacancy_rate_rank <= 10")
    assert sorted(ranks.groupby("week").size().tolist()) == [10, 10, 10]
    status = _frame(world, "select status, count(*) as n from submission_status group by all")
    assert set(status["status"]) == {"on_time", "late", "missing"}


def test_obstacles_summary_has_no_empty_rows_and_adds_up(world: Settings) -> None:
    zero = _frame(
        world,
        "select count(*) as n from obstacles_by_province "
        "where obstacles_open + obstacles_raised + obstacles_resolved = 0",
    )
    assert zero["n"].iloc[0] == 0
    mismatched = _frame(
        world,
        """
        select p.week, p.province_code
        from province_weekly p
        left join (
            select week, province_code, sum(obstacles_open) as open_,
                   sum(obstacles_raised) as raised, sum(obstacles_resolved) as resolved,
                   sum(obstacles_escalated) as escalated
            from obstacles_by_province group by all
        ) o using (week, province_code)
        where p.obstacles_open is not null and (
            coalesce(o.open_, 0) != p.obstacles_open or coalesce(o.raised, 0) != p.obstacles_raised
            or coalesce(o.resolved, 0) != p.obstacles_resolved
            or coalesce(o.escalated, 0) != p.obstacles_escalated)
        """,
    )
    assert mismatched.empty, mismatched


def test_secondments_by_level_add_up_and_missing_provinces_are_null(world: Settings) -> None:
    rows = _frame(
        world,
        """
        select p.week, p.province_code, p.active_secondments, p.active_secondments_bo,
               sum(s.active_secondments) as total,
               sum(s.active_secondments) filter (where s.origin_level = 'bo') as bo,
               bool_and(s.is_reported) as reported
        from province_weekly p join secondments_by_province s using (week, province_code)
        group by all
        """,
    )
    reported = rows[rows["reported"]]
    assert (reported["total"] == reported["active_secondments"]).all()
    assert (reported["bo"] == reported["active_secondments_bo"]).all()
    missing = rows[~rows["reported"]]
    assert (
        len(missing)
        and missing["total"].isna().all()
        and missing["active_secondments"].isna().all()
    )
