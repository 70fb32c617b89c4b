"""Spreadsheets in a format that is not read (.xlsm, .xlsb, .xltx, .numbers…) under a valid name:
kind, week and version are read from the name, the file is refused whole unread, and the clerk is
told what the format is and to save it as .xlsx under the exact next name, never to rename it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.weeks import IsoWeek
from ingestion.intake.filenames import FileName, parse_file_name, refuse_format
from ingestion.intake.renaming import rename_advice
from ingestion.stage.province_files import ProvinceFiles
from tests.support.forms import STAFFING_HEADER, csv_bytes, government_xlsx, ingest, staffing_rows

FORMATS = {
    "xlsm": "sổ làm việc có macro .xlsm",
    "xlsb": "sổ làm việc Excel nhị phân .xlsb",
    "xltx": "mẫu Excel .xltx",
    "xltm": "mẫu Excel có macro .xltm",
    "xlt": "mẫu Excel 97-2003 .xlt",
    "numbers": "Apple Numbers",
    "ots": "mẫu bảng tính LibreOffice .ots",
    "fods": "LibreOffice dạng XML phẳng .fods",
}


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_the_name_gives_kind_week_and_version_and_the_message_names_the_format(extension):
    name = parse_file_name(f"nhan_su_2025-W35_v3.{extension.upper()}")
    assert isinstance(name, FileName)
    assert (name.kind, name.week, name.version) == ("staffing", IsoWeek(2025, 35), 3)
    rejection = refuse_format(name, "nhan_su_2025-W35_v4.xlsx")
    assert rejection.code == "unreadable_file" and rejection.row is None
    assert FORMATS[extension] in rejection.message_vi
    assert "«nhan_su_2025-W35_v4.xlsx»" in rejection.message_vi
    assert "Lưu thành" in rejection.message_vi or "Xuất sang › Excel" in rejection.message_vi
    assert "nhan_su_2025-W35_v4.xlsx" in rejection.message_en


def test_formats_that_are_read_are_not_refused():
    for extension in ("xlsx", "xls", "ods", "csv"):
        name = parse_file_name(f"bien_che_2025-W35.{extension}")
        assert refuse_format(name, "bien_che_2025-W35_v2.xlsx") is None


def test_an_xlsm_is_refused_unread_with_the_next_name_in_xlsx(settings):
    form = government_xlsx(STAFFING_HEADER, staffing_rows(3)).data
    first = ingest(settings, "bien_che_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(2)))
    assert first.registry["status"] == "accepted"
    result = ingest(settings, "bien_che_2025-W35_v2.xlsm", form)  # an xlsx inside: never read
    registry = result.registry
    assert (registry["kind"], registry["week"], registry["version"]) == ("staffing", "2025-W35", 2)
    assert registry["status"] == "rejected"
    assert registry["file_reason_code"] == "unreadable_file"
    assert registry["rows_total"] == 0
    assert registry["suggested_name"] is None
    (rejection,) = result.rejections
    message = rejection["message_vi"]
    assert "sổ làm việc có macro .xlsm" in message
    assert "«bien_che_2025-W35_v3.xlsx»" in message  # one above v2, the sender's alias, .xlsx
    assert "Chỉ đổi đuôi tên tệp thì không được" in message


def test_the_next_name_after_a_refused_format_is_xlsx(settings):
    files = ProvinceFiles(settings, "01", rows=[])
    name = parse_file_name("biet_phai_2025-W35_v4.numbers")
    assert files.next_name(name) == "biet_phai_2025-W35_v5.xlsx"


def test_a_misnamed_xlsm_gets_the_rename_advice_with_an_xlsx_example(settings):
    received = datetime(2025, 8, 29, 3, tzinfo=UTC)
    files = ProvinceFiles(settings, "01", rows=[])
    assert files.suggested_name("bien che 2025 W35.xlsm", received) is None  # no rename fixes it
    advice = rename_advice("bien che W35.xlsm", received, "2025-W35", None)
    assert "bien_che_2025-W35.xlsx" in advice.action and ".xlsm" not in advice.rename_to
    assert "sổ làm việc có macro .xlsm" in advice.action and "Lưu thành" in advice.action
    assert "Đặt lại tên tệp" not in advice.action  # saved as .xlsx, not renamed
