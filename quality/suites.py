"""Loads the GX suites kept as JSON in `expectations/` and the code values they refer to."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from core import reference
from core.settings import EXPECTATIONS_DIR

DEFAULT_WOW_MAX_SHARE = 0.20  # one province's approved posts, week over week
DEFAULT_NATIONAL_WOW_MAX_SHARE = 0.10  # a national stock figure, week over week

# Columns that identify a failing row in each table (GX "unexpected_index_column_names").
TABLE_KEYS: dict[str, list[str]] = {
    "province_weekly": ["province_code", "week"],
    "national_weekly": ["week"],
    "vacancies_by_field": ["province_code", "field_code", "week"],
    "secondments_by_province": ["province_code", "origin_level", "week"],
    "obstacles_by_province": [
        "province_code",
        "category_code",
        "resolution_level",
        "status",
        "week",
    ],
    "submission_status": ["province_code", "kind", "week"],
    "rejections_by_reason": ["province_code", "kind", "reason_code", "week"],
    "province_week_over_week": [
        "province_code",
        "week",
        "approved_posts",
        "previous_week",
        "previous_approved_posts",
    ],
    "national_week_over_week": [
        "metric",
        "week",
        "previous",
        "current",
        "change_share_signed",
        "coverage_points",
        "like_for_like_points",
        "explanation_vi",
    ],
}


@cache
def _read(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def suite_names(suites_dir: Path = EXPECTATIONS_DIR) -> list[str]:
    """Names of every suite file in the folder, sorted."""
    return sorted(p.stem for p in Path(suites_dir).glob("*.json"))


def load_suite_dict(name: str, suites_dir: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    """The suite ``<name>.json`` as a plain dict (a fresh copy: callers may change it)."""
    return json.loads(json.dumps(_read(str(Path(suites_dir) / f"{name}.json"))))


def suite_parameters(
    week: str,
    wow_max_share: float = DEFAULT_WOW_MAX_SHARE,
    national_wow_max_share: float = DEFAULT_NATIONAL_WOW_MAX_SHARE,
) -> dict[str, Any]:
    """Values the suites refer to as ``{"$PARAMETER": ...}``: reference code lists, the week."""
    return {
        "weeks": [week],
        "province_codes": list(reference.provinces()),
        "field_codes": list(reference.code_list(reference.FIELDS)),
        "obstacle_categories": list(reference.code_list(reference.OBSTACLE_CATEGORIES)),
        "levels": list(reference.code_list(reference.LEVELS)),
        "reason_codes": list(reference.code_list(reference.REASON_CODES)),
        "wow_max_share": float(wow_max_share),
        "national_wow_max_share": float(national_wow_max_share),
    }
