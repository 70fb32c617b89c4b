"""Hand-computed warehouse cases: staged files whose metric marts are known, and readers."""

from __future__ import annotations

from datetime import date

import duckdb

from core import raw_schema
from core.reference import communes_of
from core.settings import Settings
from tests.support.staged import StagedBuilder, vn_time

W35 = "2025-W35"  # Mon 2025-08-25 .. Sun 2025-08-31, deadline Mon 2025-09-01 12:00 +07
W36 = "2025-W36"
HN = "01"
HCM = "79"
C1, C2 = communes_of(HN)[:2]
C_HCM = communes_of(HCM)[0]


def staffing(commune: str, field: str, approved: int, filled: int, day: date) -> dict:
    return {
        "commune_code": commune,
        "field_code": field,
        "approved_posts": approved,
        "filled_posts": filled,
        "report_date": day,
    }


def secondment(aid, level, status, start, end=None, destination=C1):
    return {
        "assignment_id": aid,
        "official_id": f"CB-{aid}",
        "full_name": f"Nguyễn Văn {aid}",
        "origin_unit": "Sở Nội vụ",
        "origin_level": level,
        "destination_code": HN if level == "bo" else destination,
        "field_code": "cntt_chuyen_doi_so",
        "start_date": start,
        "end_date": end,
        "status": status,
    }


def obstacle(oid, commune, status, raised, resolved=None):
    return {
        "obstacle_id": oid,
        "commune_code": commune,
        "category_code": "nhan_su",
        "description": "Thiếu cán bộ địa chính",
        "raised_date": raised,
        "resolution_level": "tinh",
        "status": status,
        "resolved_date": resolved,
    }


def stage_week35_first_versions(b: StagedBuilder) -> None:
    """v1 files for W35: Hà Nội sends all three kinds on time; HCM sends staffing + obstacles."""
    d = date(2025, 8, 29)
    b.add(
        HN,
        "staffing",
        W35,
        [
            staffing(C1, "van_phong", 3, 6, d),  # surplus 3
            staffing(C1, "cntt_chuyen_doi_so", 2, 0, d),  # shortage 2 in the same commune
            staffing(C2, "van_phong", 4, 4, d),
        ],
        received_at=vn_time(d),
    )
    b.add(
        HN,
        "secondments",
        W35,
        [
            secondment("A1", "bo", "dang_biet_phai", date(2025, 8, 20), date(2025, 10, 20)),
            secondment("A2", "tinh", "dang_biet_phai", date(2025, 8, 31)),  # starts Sunday
            secondment("A3", "tinh", "huy", date(2025, 8, 26)),  # cancelled
            secondment("A4", "xa", "da_ket_thuc", date(2025, 8, 1), date(2025, 8, 24)),  # ended
            secondment("A5", "xa", "dang_biet_phai", date(2025, 8, 10), date(2025, 8, 25)),
        ],
        received_at=vn_time(d),
        rejections=[
            {
                "source_row": 7,
                "column_name": "origin_level",
                "value": "x",
                "reason_code": "unknown_code",
            }
        ],
        status="partly_accepted",
    )
    b.add(
        HN,
        "obstacles",
        W35,
        [
            obstacle("O1", C1, "da_thao_go", date(2025, 8, 26), date(2025, 8, 29)),  # 3 days
            obstacle("O2", C1, "da_thao_go", date(2025, 8, 15), date(2025, 8, 25)),  # 10 days
            obstacle("O3", C2, "kien_nghi", date(2025, 8, 10)),  # open, escalated
            obstacle("O4", C2, "moi", date(2025, 8, 31)),  # raised Sunday, open
            obstacle("O5", C2, "da_thao_go", date(2025, 8, 1), date(2025, 8, 20)),  # earlier week
        ],
        received_at=vn_time(date(2025, 9, 1), 11, 59),  # Monday 11:59, on time
    )
    b.add(
        HCM,
        "staffing",
        W35,
        [
            staffing(C_HCM, "tu_phap", 5, 1, d),  # shortage 4
            staffing(C_HCM, "van_phong", 2, 3, d),  # surplus 1
        ],
        received_at=vn_time(d),
    )
    b.add(
        HCM,
        "obstacles",
        W35,
        [obstacle("V1", C_HCM, "da_thao_go", date(2025, 8, 27), date(2025, 8, 28))],  # 1 day
        received_at=vn_time(date(2025, 9, 1), 12, 1),  # 12:01 — late, but HCM is incomplete anyway
    )


def stage_corrections_and_week36(b: StagedBuilder) -> None:
    """Hà Nội corrects W35 staffing late (v2), then sends a broken v3; W36 staffing arrives."""
    b.add(
        HN,
        "staffing",
        W35,
        [
            staffing(C1, "van_phong", 3, 5, date(2025, 8, 29)),  # surplus 2
            staffing(C1, "cntt_chuyen_doi_so", 2, 1, date(2025, 8, 29)),  # shortage 1
            staffing(C2, "dat_dai", 2, 0, date(2025, 8, 29)),  # shortage 2
        ],
        version=2,
        received_at=vn_time(date(2025, 9, 3)),  # after the deadline: must not make W35 late
    )
    b.add(
        HN,
        "staffing",
        W35,
        [],
        version=3,
        status="rejected",
        file_reason_code="wrong_province_file",
        rows_total=4,
        rejections=[{"reason_code": "wrong_province_file"}],
        received_at=vn_time(date(2025, 9, 4)),
    )
    b.add(
        HN,
        "staffing",
        W36,
        [staffing(C1, "van_phong", 3, 3, date(2025, 9, 5))],
        received_at=vn_time(date(2025, 9, 5)),
    )


def query(settings: Settings, sql: str, path=None) -> list[tuple]:
    con = duckdb.connect(str(path or settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


RAW_TABLES = tuple(table for table in raw_schema.TABLES if table != "ingest_outcomes")


def raw_rows(rows_of) -> dict[str, list[tuple]]:
    """Every row of the raw tables (``rows_of(sql)`` runs a query on either warehouse), sorted."""
    return {t: sorted(rows_of(f"select * from raw.{t}"), key=repr) for t in RAW_TABLES}


def province_row(settings: Settings, week: str, province: str, path=None) -> dict:
    con = duckdb.connect(str(path or settings.warehouse_path), read_only=True)
    try:
        cur = con.execute(
            "select * from main.province_weekly where week = ? and province_code = ?",
            [week, province],
        )
        names = [c[0] for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))
    finally:
        con.close()


COMPARED = {
    "province_weekly": "week, province_code",
    "national_weekly": "week",
    "vacancies_by_field": "week, province_code, field_code",
    "fct_staffing": "week, commune_code, field_code",
    "fct_secondments": "week, province_code, assignment_id",
    "fct_obstacles": "week, province_code, obstacle_id",
    "rejections": "province_code, file_name, source_row, reason_code",
    "dim_week": "week",
}


def snapshot_tables(settings: Settings) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        out = {}
        for table, order in COMPARED.items():
            out[table] = con.execute(
                f"select * exclude (source_loaded_at) from main.{table} order by {order}"
                if table.startswith("fct_")
                else f"select * from main.{table} order by {order}"
            ).fetchall()
        return out
    finally:
        con.close()
