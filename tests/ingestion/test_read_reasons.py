"""Files that cannot be read are refused with a reason naming the cause: a password (and how to
remove it), a binary workbook, a sheet over the cell limit (named, with its figure: an .ods
dimension bomb too), and for anything else the reader's own error in the English detail."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import xlsxwriter

from ingestion.contract.limits import Limits
from ingestion.contract.rejections import Rejection
from ingestion.read.readers import Book, read_book
from tests.support.forms import STAFFING_HEADER, government_xlsx, staffing_rows
from tests.support.hostile import (
    ODS_MANIFEST,
    ODS_MIMETYPE,
    encrypted_xlsx,
    ods_dimension_bomb,
    rezip,
)
from tests.support.known_books import template_xlsxwriter

NAME = "bien_che_2025-W35.xlsx"


def refused(data: bytes, name: str = NAME, **limits) -> Rejection:
    rejection = read_book(data, name, Limits(**limits))
    assert isinstance(rejection, Rejection), rejection
    return rejection


def test_a_password_protected_xlsx_is_told_it_is_protected_and_how_to_remove_it():
    form = government_xlsx(STAFFING_HEADER, staffing_rows(4)).data
    rejection = refused(encrypted_xlsx(form))
    assert rejection.code == "unreadable_file"
    message = rejection.message_vi
    assert "được bảo vệ bằng mật khẩu" in message
    assert "Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu" in message
    assert "bỏ chọn «Lưu với mật khẩu»" in message
    assert "protected by a password" in rejection.message_en


def test_a_sheet_locked_for_editing_is_read_normally():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã xã", "Lĩnh vực"])
    sheet.append(["00004", "van_phong"])
    sheet.protection.sheet = True
    sheet.protection.password = "khoa"
    workbook.security.lockStructure = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = read_book(buffer.getvalue(), NAME)
    assert isinstance(book, Book)
    assert book.sheets[0].rows[1].cells == ("00004", "van_phong")


def test_an_unreadable_file_keeps_the_readers_own_error():
    truncated = template_xlsxwriter()[:3000]
    rejection = refused(truncated)
    assert rejection.code == "unreadable_file"
    assert "Cannot detect file format" not in rejection.message_en
    assert "ZipError: invalid Zip archive" in rejection.message_en
    assert "Không đọc được tệp" in rejection.message_vi

    garbage_ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "Cfb error" in refused(garbage_ole, "bien_che_2025-W35.xls").message_en

    good = template_xlsxwriter()
    xml = zipfile.ZipFile(io.BytesIO(good)).read("xl/workbook.xml")
    broken = rezip(good, {"xl/workbook.xml": xml[:-40]})
    assert "XmlError" in refused(broken).message_en


def test_an_ods_without_content_keeps_calamines_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    rejection = refused(out.getvalue(), "bien_che_2025-W35.ods")
    assert rejection.code == "unreadable_file"
    assert "'content.xml' file not found in archive" in rejection.message_en


def test_a_binary_workbook_under_an_xlsx_name_is_told_to_save_as_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    rejection = refused(out.getvalue())
    assert rejection.code == "unreadable_file"
    assert ".xlsb" in rejection.message_vi and "(*.xlsx)" in rejection.message_vi


def test_the_ods_dimension_bomb_is_too_complex_with_its_figure():
    data = ods_dimension_bomb(rows=1_048_576, columns=1024)
    assert len(data) < 2_000
    rejection = refused(data, "bien_che_2025-W35.ods")
    assert rejection.code == "file_too_complex"
    assert "Trang tính «Biên chế»" in rejection.message_vi
    assert "A1:AMJ1048576 (1.073.741.824 ô)" in rejection.message_vi  # 1024 × 1048576
    assert "vượt quá mức cho phép 5.000.000 ô" in rejection.message_vi


def test_the_ods_limit_counts_the_cells_a_reader_fills():
    data = ods_dimension_bomb(rows=100, columns=50)  # 5,000 cells
    assert isinstance(read_book(data, "bien_che_2025-W35.ods", Limits(max_sheet_cells=5_000)), Book)
    rejection = refused(data, "bien_che_2025-W35.ods", max_sheet_cells=4_999)
    assert "A1:AX100 (5.000 ô)" in rejection.message_vi


def two_sheet_xlsx(second: str, hidden: bool) -> bytes:
    """A form on sheet one and a second sheet holding one cell at ``second``."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Biên chế").write_string("A1", "Mã xã")
    extra = book.add_worksheet("Tuần trước")
    extra.write_string(second, "x")
    if hidden:
        extra.hide()
    book.close()
    return buffer.getvalue()


def test_every_sheet_read_is_held_to_the_dimension_limit_and_named():
    rejection = refused(two_sheet_xlsx("XFD1048576", hidden=False))
    assert rejection.code == "file_too_complex"
    assert "Trang tính «Tuần trước»" in rejection.message_vi
    assert "XFD1048576 (17.179.869.184 ô)" in rejection.message_vi


def test_a_hidden_sheet_is_not_read_so_its_dimension_does_not_matter():
    book = read_book(two_sheet_xlsx("XFD1048576", hidden=True), NAME)
    assert isinstance(book, Book)
    assert [sheet.name for sheet in book.sheets] == ["Biên chế"]
