"""Misnamed files: the week they are filed under and the name to send them under."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingestion.intake.filenames import filed_week, parse_file_name
from ingestion.intake.renaming import read_name, rename_advice, suggested_name
from ingestion.stage.province_files import ProvinceFiles

ARRIVED = datetime(2025, 9, 17, 2, 0, tzinfo=UTC)  # Wednesday of 2025-W38 in Vietnam


@pytest.mark.parametrize(
    ("name", "week", "suggestion"),
    [
        ("bien che 2025 W35.xlsx", "2025-W35", "bien_che_2025-W35.xlsx"),
        ("staffing_2025-35.xlsx", "2025-W35", "staffing_2025-W35.xlsx"),
        ("Biên chế tuần 35 năm 2025.xlsx", "2025-W35", "bien_che_2025-W35.xlsx"),
        ("vuong_mac_tuan35_2025.csv", "2025-W35", "vuong_mac_2025-W35.csv"),
        ("nhansu2025w36.XLSX", "2025-W36", "nhan_su_2025-W36.xlsx"),
        ("biet-phai W37 2025.csv", "2025-W37", "biet_phai_2025-W37.csv"),
        ("bao cao tuan 36.xlsx", "2025-W36", None),  # no year: the nearest week 36
        ("bao_cao_2025-W35.xlsx", "2025-W35", None),  # no kind
        ("bien_che_2025-W60.xlsx", "2025-W38", None),  # no such week: the week it arrived
        ("bao_cao_2025-08-29.xlsx", "2025-W38", None),  # a date is not a week
        ("bien_che_vuong_mac_2025-W35.xlsx", "2025-W35", None),  # two kinds: neither
        ("biet phai w35.pdf", "2025-W35", None),  # an extension the contract refuses
    ],
)
def test_what_a_misnamed_file_still_tells(name, week, suggestion, settings):
    parsed = parse_file_name(name)
    assert filed_week(parsed, ARRIVED) == week
    assert ProvinceFiles(settings, "01").suggested_name(name, ARRIVED) == suggestion


def test_the_suggestion_carries_the_next_free_version():
    reading = read_name("bien che 2025 W35.xlsx", ARRIVED)
    assert suggested_name(reading, 3) == "bien_che_2025-W35_v3.xlsx"


def test_a_valid_name_keeps_its_own_week():
    assert filed_week(parse_file_name("bien_che_2025-W35.xlsx"), ARRIVED) == "2025-W35"


def test_advice_says_what_the_name_lacks():
    kindless = rename_advice("bao_cao_2025-W35.xlsx", ARRIVED, "2025-W35", None)
    assert kindless.problem.startswith("Không đọc được loại báo cáo")
    assert "bien_che_2025-W35.xlsx" in kindless.action
    assert "vuong_mac_2025-W35.xlsx" in kindless.action
    weekless = rename_advice("bien_che_2025-W60.xlsx", ARRIVED, "2025-W38", None)
    assert weekless.problem.startswith("Không đọc được tuần")
    assert "bien_che_2025-W38.xlsx" in weekless.rename_to
    assert "biet_phai" not in weekless.action
    renamed = rename_advice("x.xlsx", ARRIVED, "2025-W35", "bien_che_2025-W35_v2.xlsx")
    assert renamed.rename_to == "bien_che_2025-W35_v2.xlsx"
