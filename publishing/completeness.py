"""Completeness of the week: all 34 provinces present (blocking); missing and late ones listed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core import reference
from publishing.tables import STATUS_INCOMPLETE, STATUS_LATE, STATUS_MISSING
from quality.results import ERROR, CheckResult


def _kinds(text: object) -> list[str]:
    return [k for k in text.split(", ") if k] if isinstance(text, str) else []


def check_completeness(
    province_weekly: pd.DataFrame, submission: pd.DataFrame, week: str
) -> tuple[CheckResult, list[dict[str, Any]], list[dict[str, Any]]]:
    """The provinces-present check plus the missing and late province lists for the manifest."""
    expected = list(reference.provinces())
    present = list(province_weekly["province_code"])
    failing = [
        {"province_code": c, "week": week, "problem": "missing"}
        for c in expected
        if c not in present
    ]
    failing += [
        {"province_code": c, "week": week, "problem": "duplicated"}
        for c in sorted({c for c in present if present.count(c) > 1})
    ]
    failing += [
        {"province_code": c, "week": week, "problem": "unknown code"}
        for c in sorted(set(present) - set(expected))
    ]
    check = CheckResult(
        name="completeness.provinces_present",
        table="province_weekly",
        kind="computed",
        severity=ERROR,
        success=not failing,
        failing_rows=failing,
        failing_count=len(failing),
        description_vi="Đủ 34 tỉnh, thành phố trong bảng theo tỉnh",
    )
    missing, late = [], []
    for row in submission.itertuples(index=False):
        missing_kinds, late_kinds = _kinds(row.missing_kinds), _kinds(row.late_kinds)
        if row.status in (STATUS_MISSING, STATUS_INCOMPLETE):
            missing.append(
                {
                    "province_code": row.province_code,
                    "province_name": row.province_name,
                    "missing_kinds": missing_kinds,
                }
            )
        if row.status == STATUS_LATE or late_kinds:
            late.append(
                {
                    "province_code": row.province_code,
                    "province_name": row.province_name,
                    "late_kinds": late_kinds,
                }
            )
    return check, missing, late
