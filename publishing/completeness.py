"""Completeness of the week: all 34 provinces present (blocking); missing and late ones listed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core import reference
from quality.results import ERROR, CheckResult


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
    return check, *missing_and_late(submission)


def missing_and_late(
    submission: pd.DataFrame,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Provinces with a kind missing and provinces with a kind late (submission_status rows),
    each with its kinds in contract order, provinces in code order: the manifest's lists."""
    missing: dict[str, dict[str, Any]] = {}
    late: dict[str, dict[str, Any]] = {}
    for row in submission.itertuples(index=False):
        for flag, found, key in (
            (row.is_missing, missing, "missing_kinds"),
            (row.is_late, late, "late_kinds"),
        ):
            if bool(flag):
                entry = found.setdefault(
                    row.province_code,
                    {
                        "province_code": row.province_code,
                        "province_name": row.province_name,
                        key: [],
                    },
                )
                entry[key].append(row.kind)
    return [missing[c] for c in sorted(missing)], [late[c] for c in sorted(late)]
