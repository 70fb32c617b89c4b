"""The package's tables: their order (CSV/Parquet file stems) and the keys of their rows."""

from __future__ import annotations

from publishing.extract import TABLES

KINDS = ("staffing", "secondments", "obstacles")

# Package tables in workbook order; file stems of the CSV/Parquet files.
TABLE_ORDER = tuple(TABLES)

# Key columns of each table: rows are compared on them between versions.
TABLE_KEYS: dict[str, list[str]] = {
    "national_weekly": ["week"],
    "national_trend": ["week"],
    "province_weekly": ["week", "province_code"],
    "province_vacancy_rate": ["week", "province_code"],
    "vacancies_by_field": ["week", "province_code", "field_code"],
    "field_vacancy_rate": ["week", "field_code"],
    "secondments_by_province": ["week", "province_code", "origin_level"],
    "obstacles_by_province": [
        "week",
        "province_code",
        "category_code",
        "resolution_level",
        "status",
    ],
    "submission_status": ["week", "province_code", "kind"],
    "rejections_by_reason": ["week", "province_code", "kind", "reason_code"],
    "fct_official_reports": ["week", "province_code"],
    "official_report_items": ["week", "province_code", "section", "item_ordinal"],
    "data_quality_weekly": ["week", "province_code"],
    "data_quality_findings": ["week", "province_code", "finding_key"],
}
