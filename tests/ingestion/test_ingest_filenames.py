"""File names: kinds and their aliases, ISO weeks, versions, extensions."""

from __future__ import annotations

import pytest

from core.weeks import IsoWeek
from ingestion.filenames import FileName, parse_file_name
from ingestion.rejections import Rejection


@pytest.mark.parametrize(
    ("name", "kind", "week", "version"),
    [
        ("staffing_2025-W35.csv", "staffing", "2025-W35", 1),
        ("bien_che_2025-W35.xlsx", "staffing", "2025-W35", 1),
        ("nhan_su_2025-W01_v3.xlsx", "staffing", "2025-W01", 3),
        ("secondments_2025-W36_v2.csv", "secondments", "2025-W36", 2),
        ("biet_phai_2025-W40.xlsx", "secondments", "2025-W40", 1),
        ("obstacles_2025-W47.csv", "obstacles", "2025-W47", 1),
        ("vuong_mac_2026-W53.xlsx", "obstacles", "2026-W53", 1),
        ("Vuong_Mac_2025-w35.XLSX", "obstacles", "2025-W35", 1),
    ],
)
def test_valid_names(name, kind, week, version):
    parsed = parse_file_name(name)
    assert isinstance(parsed, FileName)
    assert (parsed.kind, str(parsed.week), parsed.version) == (kind, week, version)
    assert parsed.week == IsoWeek.parse(week)


@pytest.mark.parametrize(
    "name",
    [
        "bao_cao_2025-W35.xlsx",  # unknown kind
        "staffing_2025-W54.csv",  # 2025 has 52 ISO weeks
        "staffing_2025-W00.csv",
        "staffing_2025-35.csv",
        "staffing_2025-W35.pdf",
        "staffing_2025-W35.xls",
        "staffing_2025-W35_v0.csv",
        "staffing_2025-W35_v.csv",
        "staffing.csv",
        "bien che_2025-W35.xlsx",
    ],
)
def test_invalid_names(name):
    rejection = parse_file_name(name)
    assert isinstance(rejection, Rejection)
    assert rejection.code == "invalid_file_name"
    assert rejection.file == name
    assert rejection.row is None
    assert "bien_che_2025-W35.xlsx" in rejection.message_vi
