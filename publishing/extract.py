"""Reads the package's tables from the warehouse marts: one week's rows, nothing computed here.

Every table of the package is a contracted dbt mart (dbt_project/models/marts/package); this
module only selects the week's rows (the trend: the last 13 weeks up to it), orders them and gives
them the same pandas types whichever warehouse (DuckDB or PostgreSQL) answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.metrics import (
    NATIONAL_WEEKLY_PACKAGE,
    PROVINCE_WEEKLY_PACKAGE,
    VACANCIES_BY_FIELD_COLUMNS,
)
from core.weeks import VN_TZ
from warehouse.read import connect, fetch_frame, fetch_rows

__all__ = ["TABLES", "connect", "read_table", "read_week"]

TREND_WEEKS = 13

SUBMISSION_STATUS_COLUMNS = [
    "week",
    "province_code",
    "province_name",
    "kind",
    "kind_label_vi",
    "status",
    "status_label_vi",
    "is_received",
    "is_on_time",
    "is_late",
    "is_missing",
    "version",
    "file_name",
    "file_sha256",
    "first_received_at",
    "deadline_at",
    "accepted_files",
    "rejected_files",
    "rows_accepted",
    "rows_rejected",
    "is_nil_return",
]


@dataclass(frozen=True)
class Table:
    """One package table: the mart it comes from, the columns taken (None: the mart's contract),
    the order of its rows, and whether it holds the trend or a province series (weeks up to the
    published one)."""

    mart: str
    order_by: str
    columns: tuple[str, ...] | None = None
    trend: bool = False
    series: bool = False  # one row per province × week: the last 13 weeks up to the week

    def sql(self) -> str:
        columns = ", ".join(self.columns) if self.columns else "*"
        if self.series:
            return (
                f"SELECT {columns} FROM main.{self.mart} WHERE week IN (SELECT week FROM "
                f"main.dim_week WHERE week <= :week ORDER BY week DESC LIMIT {TREND_WEEKS}) "
                f"ORDER BY {self.order_by}"
            )
        if self.trend:
            return (
                f"SELECT {columns} FROM (SELECT * FROM main.{self.mart} WHERE week <= :week"
                f" ORDER BY week DESC LIMIT {TREND_WEEKS}) AS recent ORDER BY {self.order_by}"
            )
        return f"SELECT {columns} FROM main.{self.mart} WHERE week = :week ORDER BY {self.order_by}"


# Package tables in workbook order; the key is the CSV/Parquet file stem.
TABLES: dict[str, Table] = {
    "national_weekly": Table("national_weekly", "week", NATIONAL_WEEKLY_PACKAGE),
    "national_trend": Table("national_trend", "week", trend=True),
    "province_weekly": Table("province_weekly", "province_code", PROVINCE_WEEKLY_PACKAGE),
    "province_vacancy_rate": Table("province_vacancy_rate", "province_code"),
    "vacancies_by_field": Table(
        "vacancies_by_field", "province_code, field_code", VACANCIES_BY_FIELD_COLUMNS
    ),
    "field_vacancy_rate": Table("field_vacancy_rate", "field_code"),
    "secondments_by_province": Table("secondments_by_province", "province_code, origin_level"),
    "obstacles_by_province": Table(
        "obstacles_by_province",
        "province_code, category_code, resolution_level NULLS LAST, status",
    ),
    "submission_status": Table(
        "submission_status", "province_code, kind_order", tuple(SUBMISSION_STATUS_COLUMNS)
    ),
    "rejections_by_reason": Table(
        "rejections_by_reason", "province_code, kind NULLS LAST, reason_code"
    ),
    "fct_official_reports": Table("fct_official_reports", "province_code"),
    "official_report_items": Table(
        "official_report_items",
        "province_code, section, item_ordinal",
        (
            "week",
            "province_code",
            "province_name",
            "section",
            "section_label_vi",
            "item_ordinal",
            "item_text",
            "commune_codes",
            "category_codes",
            "version",
        ),
    ),
    "data_quality_weekly": Table("data_quality_weekly", "province_code, week", series=True),
    "data_quality_findings": Table(
        "data_quality_findings", "province_code, rule_order, finding_key"
    ),
}


def column_types(con: Any, mart: str) -> dict[str, str]:
    """The mart's column types as the warehouse declares them (dbt contracts): DuckDB and
    PostgreSQL both answer information_schema, whatever their drivers make of NULLs."""
    rows = fetch_rows(
        con,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = :mart",
        {"mart": mart},
    )
    return {r["column_name"]: str(r["data_type"]).lower() for r in rows}


def _column(series: pd.Series, declared: str) -> pd.Series:
    """One column in the package's types: nullable integers, floats and booleans, text with None,
    timestamps as Asia/Ho_Chi_Minh ISO text with offset, dates as ISO text."""
    if declared in ("bigint", "integer", "smallint", "hugeint"):
        return pd.to_numeric(series).astype("Int64")
    if declared in ("double", "double precision", "real", "float", "numeric", "decimal"):
        return pd.to_numeric(series).astype("Float64")
    if declared == "boolean":
        return series.astype("boolean")
    if declared == "date":
        series = pd.to_datetime(series).map(lambda t: t.date().isoformat(), na_action="ignore")
    elif declared.startswith("timestamp"):
        stamps = pd.to_datetime(series, utc=True).dt.tz_convert(VN_TZ)
        series = stamps.map(lambda t: t.isoformat(), na_action="ignore")
    present = series.notna()
    return series.astype("str").where(present, None)


def read_table(con: Any, name: str, week: str) -> pd.DataFrame:
    """One table of :data:`TABLES` for one week, typed by the mart's declared column types."""
    table = TABLES[name]
    frame = fetch_frame(con, table.sql(), {"week": week})
    types = column_types(con, table.mart)
    for column in frame.columns:
        frame[column] = _column(frame[column], types.get(column, "varchar"))
    return frame.reset_index(drop=True)


def read_week(con: Any, week: str, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The week's tables the package is made of (all of :data:`TABLES` by default)."""
    return {name: read_table(con, name, week) for name in (names or tuple(TABLES))}
