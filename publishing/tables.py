"""Builds the package tables (English column names, as in CSV/Parquet) from the extracted frames."""

from __future__ import annotations

import json

import pandas as pd

from core import reference
from core.weeks import VN_TZ, IsoWeek
from publishing.extract import (
    NATIONAL_WEEKLY_COLUMNS,
    PROVINCE_WEEKLY_COLUMNS,
    VACANCIES_BY_FIELD_COLUMNS,
)

KINDS = ("staffing", "secondments", "obstacles")

# Package tables in the order of the workbook; file stems of the CSV/Parquet files.
TABLE_ORDER = (
    "national_weekly",
    "province_weekly",
    "vacancies_by_field",
    "secondments_by_province",
    "obstacles_by_province",
    "submission_status",
    "rejections_by_reason",
    "quality_checks",
)

# Key columns of each table: rows are compared on them between versions.
TABLE_KEYS: dict[str, list[str]] = {
    "national_weekly": ["week"],
    "province_weekly": ["week", "province_code"],
    "vacancies_by_field": ["week", "province_code", "field_code"],
    "secondments_by_province": ["week", "province_code", "origin_level"],
    "obstacles_by_province": ["week", "province_code", "category_code", "resolution_level"],
    "submission_status": ["week", "province_code"],
    "rejections_by_reason": ["week", "province_code", "kind", "reason_code"],
    "quality_checks": ["check"],
}

STATUS_ON_TIME = "on_time"
STATUS_LATE = "late"
STATUS_INCOMPLETE = "incomplete"
STATUS_MISSING = "missing"


def _with_province_name(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    position = list(out.columns).index("province_code") + 1
    out.insert(position, "province_name", out["province_code"].map(names).astype("str"))
    return out


def province_names(province_weekly: pd.DataFrame) -> dict[str, str]:
    """Province code → name: the warehouse's names, the reference list where it has none."""
    names = {code: p.name for code, p in reference.provinces().items()}
    for code, name in zip(
        province_weekly["province_code"], province_weekly["province_name"], strict=True
    ):
        if isinstance(name, str) and name:
            names[code] = name
    return names


def submission_status(
    province_weekly: pd.DataFrame, accepted_files: pd.DataFrame, week: IsoWeek
) -> pd.DataFrame:
    """One row per province: kinds received (version, first received time), late, missing."""
    names = province_names(province_weekly)
    by_key = {(r.province_code, r.kind): r for r in accepted_files.itertuples(index=False)}
    metrics = province_weekly.set_index("province_code")
    rows = []
    for code in reference.provinces():
        row: dict[str, object] = {
            "week": str(week),
            "province_code": code,
            "province_name": names[code],
        }
        missing, late = [], []
        for kind in KINDS:
            found = by_key.get((code, kind))
            if found is None:
                missing.append(kind)
                row[f"{kind}_version"] = pd.NA
                row[f"{kind}_received_at"] = None
                continue
            received = pd.Timestamp(found.first_received_at)
            if received.tzinfo is None:
                received = received.tz_localize("UTC")
            received = received.tz_convert(VN_TZ)
            if received > pd.Timestamp(week.deadline):
                late.append(kind)
            row[f"{kind}_version"] = found.version
            row[f"{kind}_received_at"] = received.strftime("%Y-%m-%d %H:%M")
        in_warehouse = code in metrics.index
        files = metrics.loc[code, "files_received"] if in_warehouse else pd.NA
        on_time = metrics.loc[code, "on_time"] if in_warehouse else pd.NA
        files_count = 0 if pd.isna(files) else int(files)
        if files_count == 0:
            status = STATUS_MISSING
        elif files_count < len(KINDS):
            status = STATUS_INCOMPLETE
        elif on_time is True or (not pd.isna(on_time) and bool(on_time)):
            status = STATUS_ON_TIME
        else:
            status = STATUS_LATE
        row |= {
            "files_received": files,
            "on_time": on_time,
            "missing_kinds": ", ".join(missing) or None,
            "late_kinds": ", ".join(late) or None,
            "status": status,
        }
        rows.append(row)
    frame = pd.DataFrame(rows)
    for kind in KINDS:
        frame[f"{kind}_version"] = frame[f"{kind}_version"].astype("Int64")
        frame[f"{kind}_received_at"] = (
            frame[f"{kind}_received_at"]
            .astype("str")
            .where(frame[f"{kind}_received_at"].notna(), None)
        )
    frame["files_received"] = frame["files_received"].astype("Int64")
    frame["on_time"] = frame["on_time"].astype("boolean")
    for column in ("missing_kinds", "late_kinds"):
        frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    return frame


def build_tables(extracted: dict[str, pd.DataFrame], week: IsoWeek) -> dict[str, pd.DataFrame]:
    """The package's data tables (all but quality_checks) in :data:`TABLE_ORDER`."""
    province = extracted["province_weekly"]
    names = province_names(province)
    tables = {
        "national_weekly": extracted["national_weekly"][NATIONAL_WEEKLY_COLUMNS],
        "province_weekly": province[PROVINCE_WEEKLY_COLUMNS],
        "vacancies_by_field": extracted["vacancies_by_field"][VACANCIES_BY_FIELD_COLUMNS],
        "secondments_by_province": _with_province_name(extracted["secondments_by_province"], names),
        "obstacles_by_province": _with_province_name(extracted["obstacles_by_province"], names),
        "submission_status": submission_status(province, extracted["accepted_files"], week),
        "rejections_by_reason": _with_province_name(extracted["rejections_by_reason"], names),
    }
    return {name: frame.reset_index(drop=True) for name, frame in tables.items()}


def quality_checks_table(gate: dict) -> pd.DataFrame:
    """The gate's results as a table (deterministic: no times, failing rows capped at 20)."""
    rows = []
    for check in gate["results"]:
        failing = check.get("failing_rows") or []
        rows.append(
            {
                "check": check["name"],
                "table": check["table"],
                "severity": check["severity"],
                "success": bool(check["success"]),
                "failing_count": int(check.get("failing_count") or 0),
                "failing_rows": json.dumps(failing[:20], ensure_ascii=False, sort_keys=True)
                if failing
                else None,
                "description_vi": check.get("description_vi") or None,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "check",
            "table",
            "severity",
            "success",
            "failing_count",
            "failing_rows",
            "description_vi",
        ],
    )
    frame["failing_count"] = frame["failing_count"].astype("Int64")
    for column in ("check", "table", "severity", "failing_rows", "description_vi"):
        frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    return frame.sort_values("check", kind="stable").reset_index(drop=True)
