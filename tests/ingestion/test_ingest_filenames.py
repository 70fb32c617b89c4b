"""File names: kinds and their aliases, ISO weeks, versions, extensions."""

from __future__ import annotations

import pytest

from core.weeks import IsoWeek
from ingestion.contract.rejections import Rejection
from ingestion.intake.filenames import FileName, parse_file_name


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
        ("bien_che_2025-W35.xls", "staffing", "2025-W35", 1),
        ("bien_che_2025-W35_v10.ods", "staffing", "2025-W35", 10),
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
        "bao_ca_2025-W35.xlsx",  # unknown kind
        "staffing_2025-W54.csv",  # 2025 has 52 ISO weeks
        "staffing_2025-W00.csv",
        "staffing_2025-35.csv",
        "staffing_2025-W35.txt",
        "staffing_2025-W35_v0.csv",
        "staffing_2025-W35_v1000.csv",  # versions have at most three digits
        "bien_che_２０２５-W３５.csv",  # full-width digits are not digits
        "bien_che_٢٠٢٥-W٣٥.csv",  # nor are Arabic-Indic ones
        "staffing_2025-W35_v²³.csv",
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


def test_weeks_outside_the_reporting_window_are_invalid():
    window = (IsoWeek.parse("2025-W27"), IsoWeek.parse("2025-W48"))
    assert isinstance(parse_file_name("bien_che_2025-W27.csv", window), FileName)
    assert isinstance(parse_file_name("bien_che_2025-W48.csv", window), FileName)
    for name in ("bien_che_2025-W26.csv", "bien_che_1990-W01.csv", "bien_che_2099-W01.csv"):
        rejection = parse_file_name(name, window)
        assert isinstance(rejection, Rejection) and rejection.code == "invalid_file_name"
        assert "nằm ngoài kỳ báo cáo (từ tuần 2025-W27 đến tuần 2025-W48)" in rejection.message_vi


def test_the_window_ends_a_week_after_the_current_one():
    from datetime import UTC, datetime

    from core.weeks import reporting_window

    now = datetime(2025, 8, 31, 18, 0, tzinfo=UTC)  # Monday 01:00 of W36 in Vietnam
    assert reporting_window("2025-W27", None, now) == (IsoWeek(2025, 27), IsoWeek(2025, 37))
    assert reporting_window("2025-W27", "2026-W10", now)[1] == IsoWeek(2026, 10)


@pytest.mark.parametrize(
    "name",
    [
        "x" * 250 + ".xlsx",  # ENAMETOOLONG once a suffix is added
        "bien_che_2025-W35\n.csv",
        "a/b.csv",
        "..",
        "",
    ],
)
def test_unsafe_names_are_stored_under_a_hash(name):
    from ingestion.intake.filenames import MAX_SAFE_NAME_BYTES, safe_name

    safe = safe_name(name)
    assert safe.startswith("ten_dai_") and len(safe.encode()) <= MAX_SAFE_NAME_BYTES
    assert "/" not in safe and "\n" not in safe
    assert safe_name(name) == safe  # stable: the same name lands at the same place


def test_plain_names_are_kept():
    from ingestion.intake.filenames import safe_name

    for name in ("bien_che_2025-W35.xlsx", "Báo cáo tuần 35 (bản cuối).xlsx", "=HYPERLINK.csv"):
        assert safe_name(name) == name
