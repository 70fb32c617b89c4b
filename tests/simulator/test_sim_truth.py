"""The metrics' truth (docs/analysts.md#metrics) on constructed cases: per-cell vacancies,
medians, versions, on-time, nulls."""

from __future__ import annotations

from datetime import date, timedelta

from core.metrics import OBSTACLE_METRICS, STAFFING_METRICS
from core.weeks import IsoWeek
from simulator import truth
from simulator.drop import SentFile
from simulator.expected import truth_tables
from simulator.styles import SHAPES

W = IsoWeek(2025, 36)  # 1–7 September 2025


def staffing(commune, field, approved, filled):
    return {
        "commune_code": commune,
        "field_code": field,
        "approved_posts": approved,
        "filled_posts": filled,
        "report_date": date(2025, 9, 5),
    }


def test_vacancies_and_surplus_are_per_commune_field_before_summing():
    rows = [
        staffing("00004", "van_phong", 5, 8),  # 3 extra clerks
        staffing("00004", "cntt_chuyen_doi_so", 3, 0),  # no IT officer
        staffing("00008", "van_phong", 4, 4),
        staffing("00008", "dat_dai", 2, 1),
    ]
    got = truth.staffing_metrics(rows)
    assert got == {
        "approved_posts": 14,
        "filled_posts": 13,
        "vacancies": 4,
        "surplus": 3,
        "communes_short": 2,
    }
    by_field = truth.vacancies_by_field(rows)
    assert by_field["van_phong"] == {
        "approved_posts": 9,
        "filled_posts": 12,
        "vacancies": 0,
        "surplus": 3,
    }


def test_median_of_even_count_is_mean_of_middle_values():
    assert truth.median([4, 1, 10, 7]) == 5.5
    assert truth.median([3]) == 3.0
    assert truth.median([]) is None


def test_secondment_and_obstacle_metrics():
    sec = [
        {
            "origin_level": "bo",
            "start_date": date(2025, 8, 20),
            "end_date": date(2025, 10, 20),
            "status": "dang_biet_phai",
        },
        {
            "origin_level": "tinh",
            "start_date": date(2025, 9, 3),
            "end_date": None,
            "status": "dang_biet_phai",
        },
        {"origin_level": "tinh", "start_date": date(2025, 9, 2), "end_date": None, "status": "huy"},
        {
            "origin_level": "xa",
            "start_date": date(2025, 7, 1),
            "end_date": date(2025, 8, 31),
            "status": "da_ket_thuc",
        },
        {
            "origin_level": "xa",
            "start_date": date(2025, 7, 1),
            "end_date": date(2025, 9, 1),
            "status": "da_ket_thuc",
        },
    ]
    assert truth.secondment_metrics(sec, W) == {
        "active_secondments": 3,
        "active_secondments_bo": 1,
        "active_secondments_tinh": 1,
        "secondments_started": 1,
    }
    obs = [
        {"raised_date": date(2025, 9, 2), "status": "moi", "resolved_date": None},
        {
            "raised_date": date(2025, 8, 1),
            "status": "da_thao_go",
            "resolved_date": date(2025, 9, 3),
        },
        {
            "raised_date": date(2025, 8, 30),
            "status": "da_thao_go",
            "resolved_date": date(2025, 9, 6),
        },
        {
            "raised_date": date(2025, 8, 1),
            "status": "da_thao_go",
            "resolved_date": date(2025, 8, 20),
        },
        {"raised_date": date(2025, 8, 5), "status": "kien_nghi", "resolved_date": None},
    ]
    assert truth.obstacle_metrics(obs, W) == {
        "obstacles_raised": 1,
        "obstacles_resolved": 2,
        "obstacles_open": 2,
        "obstacles_escalated": 1,
        "median_days_to_resolve": 20.0,  # (33 + 7) / 2
    }


def sent(pp, kind, version, received, rows, rejected=False):
    shape = SHAPES[0]
    f = SentFile(
        pp,
        W,
        f"{kind}_{W}_v{version}.xlsx",
        kind,
        W,
        version,
        shape,
        received,
        b"",
        file_reason="wrong_province_file" if rejected else None,
    )
    f.accepted_rows = None if rejected else rows
    return f


def test_versions_on_time_and_nulls():
    on_time = W.deadline - timedelta(hours=3)
    late = W.deadline + timedelta(hours=5)
    v1 = [staffing("00004", "van_phong", 5, 3)]
    v2 = [staffing("00004", "van_phong", 5, 5)]
    files = [
        sent("01", "staffing", 1, on_time, v1),
        sent("01", "staffing", 2, late, v2),  # correction: truth follows v2, still on time
        sent("01", "secondments", 1, on_time, []),
        sent("01", "obstacles", 1, on_time, []),
        sent("01", "staffing", 3, late, [staffing("00004", "van_phong", 1, 9)], rejected=True),
        sent("04", "staffing", 1, late, v1),  # late, and no other kinds
    ]
    found = truth_tables(files, [W], ["01", "04", "08"])
    provinces, national, by_field = (
        found.province_weekly,
        found.national_weekly,
        found.vacancies_by_field,
    )
    by_code = {row["province_code"]: row for row in provinces}
    assert len(provinces) == 3
    assert by_code["01"]["vacancies"] == 0 and by_code["01"]["filled_posts"] == 5
    assert by_code["01"]["on_time"] is True and by_code["01"]["files_received"] == 3
    assert by_code["01"]["active_secondments"] == 0  # received and empty: 0, not null
    assert by_code["01"]["median_days_to_resolve"] is None
    assert by_code["04"]["vacancies"] == 2 and by_code["04"]["active_secondments"] is None
    assert by_code["04"]["on_time"] is False and by_code["04"]["files_received"] == 1
    assert all(by_code["08"][m] is None for m in (*STAFFING_METRICS, *OBSTACLE_METRICS))
    assert by_code["08"]["files_received"] == 0 and by_code["08"]["on_time"] is False
    [nat] = national
    assert nat["vacancies"] == 2 and nat["on_time"] == 1 and nat["files_received"] == 4
    assert nat["active_secondments"] == 0 and nat["median_days_to_resolve"] is None
    assert {(r["province_code"], r["field_code"]) for r in by_field} == {
        ("01", "van_phong"),
        ("04", "van_phong"),
    }

    # the package: coverage per kind, submission status per kind, vacancy-rate ranks
    assert (
        nat["provinces_reporting_staffing"],
        nat["provinces_reporting_secondments"],
        nat["provinces_reporting_obstacles"],
    ) == (2, 1, 1)
    status = {(r["province_code"], r["kind"]): r for r in found.submission_status}
    assert status[("01", "staffing")]["status"] == "on_time"  # the late v2 does not make it late
    assert status[("01", "staffing")]["version"] == 2
    assert status[("04", "staffing")]["status"] == "late"
    assert status[("04", "obstacles")]["status"] == "missing"
    assert status[("08", "secondments")]["version"] is None
    ranks = {r["province_code"]: r for r in found.province_vacancy_rate}
    assert ranks["04"]["vacancy_rate_rank"] == 1 and ranks["04"]["vacancy_rate"] == 0.4
    assert ranks["01"]["vacancy_rate_rank"] == 2 and ranks["01"]["vacancy_rate"] == 0.0
    assert ranks["08"]["vacancy_rate_rank"] is None and ranks["08"]["vacancy_rate"] is None
    [trend] = found.national_trend
    assert trend["provinces_late"] == 1 and trend["provinces_missing"] == 2
    assert trend["obstacles_listed"] == 0 and trend["resolution_rate"] is None


def test_trend_compares_each_week_with_the_iso_week_before():
    rows = [
        {"week": "2025-W36", "vacancies": 90, "provinces_reporting_staffing": 33},
        {"week": "2025-W35", "vacancies": 100, "provinces_reporting_staffing": 34},
        {"week": "2025-W38", "vacancies": 80, "provinces_reporting_staffing": 34},  # W37 absent
    ]
    got = {r["week"]: r for r in truth.with_previous_week(rows)}
    assert got["2025-W35"]["prev_vacancies"] is None
    assert got["2025-W36"]["change_vacancies"] == -10
    assert got["2025-W36"]["change_provinces_reporting_staffing"] == -1
    assert got["2025-W38"]["prev_vacancies"] is None and got["2025-W38"]["change_vacancies"] is None


def test_ministry_officials_and_obstacle_backlog_by_level():
    week = IsoWeek(2025, 43)  # 20–26 October: the ministry's secondments end on Monday 20/10
    officials = [
        {
            "origin_level": "bo",
            "status": "dang_biet_phai",
            "start_date": date(2025, 8, 20),
            "end_date": date(2025, 10, 20),
        },
        {
            "origin_level": "bo",
            "status": "huy",
            "start_date": date(2025, 8, 20),
            "end_date": date(2025, 10, 21),
        },
        {
            "origin_level": "tinh",
            "status": "dang_biet_phai",
            "start_date": date(2025, 10, 21),
            "end_date": None,
        },
    ]
    obstacles = [
        {
            "raised_date": date(2025, 10, 1),
            "status": "kien_nghi",
            "resolved_date": None,
            "resolution_level": "bo",
        },
        {
            "raised_date": date(2025, 10, 2),
            "status": "moi",
            "resolved_date": None,
            "resolution_level": "chinh_phu",
        },
        {
            "raised_date": date(2025, 9, 2),
            "status": "da_thao_go",
            "resolved_date": date(2025, 10, 3),
            "resolution_level": "bo",
        },
    ]
    national = {"vacancies": 5, "approved_posts": 50}
    got = truth.trend_extra(week, national, [obstacles], [officials], [])
    assert got["ministry_secondments_ended"] == 1 and got["ministry_secondments_started"] == 0
    assert got["obstacles_waiting_ministry"] == 1 and got["obstacles_waiting_government"] == 1
    assert got["obstacles_listed"] == 3 and got["obstacles_resolved_to_date"] == 1
    assert got["resolution_rate"] == 1 / 3 and got["vacancy_rate"] == 0.1
    assert truth.trend_extra(week, national, [], [], [])["obstacles_listed"] is None
