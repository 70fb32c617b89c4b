"""Normalisers: dates, counts, zero-padded codes and code lists (examples, properties)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.reference import code_list
from ingestion.contract.normalise import (
    EXCEL_EPOCH,
    InvalidValue,
    match_key,
    pad_code,
    parse_count,
    parse_date,
    resolve_code,
)

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
text_strategy = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " -_,.()/0123456789"), max_size=40
)
dates = st.dates(min_value=date(1900, 3, 1), max_value=date(2200, 12, 31))


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(text_strategy)
def test_match_key_is_idempotent(text):
    assert match_key(match_key(text)) == match_key(text)


@given(text_strategy)
def test_match_key_ignores_diacritics_case_and_normal_form(text):
    key = match_key(text)
    assert key == match_key(strip_marks(text))
    assert key == match_key(text.upper())
    assert key == match_key(unicodedata.normalize("NFD", text))
    assert key == match_key(" ".join(text))
    assert key.isascii()


def test_match_key_examples():
    assert match_key("Văn hoá") == match_key("Văn hóa") == match_key("van hoa") == "vanhoa"
    assert match_key("Mã ĐVHC") == "madvhc"
    assert match_key("Biên chế\nđược  giao") == match_key("bien_che_duoc_giao")


@given(dates)
def test_dates_round_trip_in_every_format(day):
    serial = (day - EXCEL_EPOCH).days
    shapes = [
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        day.isoformat(),
        f"{day.isoformat()} 00:00:00",
        serial,
        float(serial),
        serial + 0.5,
        str(serial),
        day,
        datetime(day.year, day.month, day.day, 13, 45),
    ]
    for shape in shapes:
        assert parse_date(shape) == day, shape


@pytest.mark.parametrize(
    "text", ["31/02/2025", "29/02/2025", "2025-13-01", "0/1/2025", "hôm qua", "20/8", "True"]
)
def test_impossible_dates_are_invalid(text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text)
    assert error.value.reason == "invalid_date"


def test_blank_date_is_none():
    assert parse_date("  ") is None
    assert parse_date(None) is None
    assert parse_date(date(2024, 2, 29) + timedelta(0)) == date(2024, 2, 29)


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_round_trip_with_thousands_separators(n):
    dotted = f"{n:,}".replace(",", ".")
    assert parse_count(dotted) == n
    assert parse_count(f"{n:,}") == n
    assert parse_count(str(n)) == n
    assert parse_count(float(n)) == n
    assert parse_count(n) == n
    assert parse_count(f" {n} ") == n


@pytest.mark.parametrize("value", ["2.5", 2.5, "abc", "", None, "1.2.3", "12a", True])
def test_invalid_counts(value):
    with pytest.raises(InvalidValue) as error:
        parse_count(value)
    assert error.value.reason == "invalid_number"


@pytest.mark.parametrize("value", ["-1", -3, -2.0, "-1.234"])
def test_negative_counts(value):
    with pytest.raises(InvalidValue) as error:
        parse_count(value)
    assert error.value.reason == "negative_count"


def test_excel_float_counts():
    assert parse_count(12.0) == 12
    assert parse_count("12.0") == 12
    assert parse_count("12,0") == 12


@given(st.integers(min_value=0, max_value=99999), st.sampled_from([2, 5]))
def test_zero_padding(n, width):
    expected = f"{n:0{width}d}"
    assert pad_code(n, width) == expected
    assert pad_code(float(n), width) == expected
    assert pad_code(str(n), width) == expected
    assert pad_code(expected, width) == expected
    assert pad_code(f"{n}.0", width) == expected
    assert pad_code(f"'{expected}", width) == expected


def test_pad_code_keeps_non_codes_for_the_message():
    assert pad_code("  ", 5) is None
    assert pad_code("abc", 5) == "abc"
    assert pad_code(4.5, 5) == "4.5"


@pytest.mark.parametrize(
    "name",
    ["field_codes", "obstacle_categories", "levels", "secondment_statuses", "obstacle_statuses"],
)
def test_every_code_and_label_resolves(name):
    codes = code_list(name)
    keys = [match_key(label) for label in codes.values()]
    assert len(set(keys)) == len(keys)
    for code, label in codes.items():
        assert resolve_code(code, codes) == code
        assert resolve_code(label, codes) == code
        assert resolve_code(unicodedata.normalize("NFD", label.upper()), codes) == code
        assert resolve_code(strip_marks(label).lower(), codes) == code


def test_resolve_code_examples():
    fields = code_list("field_codes")
    assert resolve_code("Văn hoá - Thông tin", fields) == "van_hoa_thong_tin"
    assert resolve_code("van hoa thong tin", fields) == "van_hoa_thong_tin"
    assert resolve_code("", fields) is None
    with pytest.raises(InvalidValue) as error:
        resolve_code("Bảo vệ", fields)
    assert error.value.reason == "unknown_code"
