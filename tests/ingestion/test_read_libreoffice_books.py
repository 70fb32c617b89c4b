""".xls and .ods saved by LibreOffice from a known template read as the template: the same
visible sheets, the same merged ranges and formula errors, the active sheet as LibreOffice keeps
it; saved with a password they are refused as protected."""

from __future__ import annotations

import pytest

from ingestion.contract.normalise import FormulaError
from ingestion.read.readers import Book, Merge, read_book
from tests.support import render
from tests.support.known_books import (
    ACTIVE,
    THIS_WEEK_ERRORS,
    THIS_WEEK_MERGES,
    THIS_WEEK_ROWS,
    VISIBLE,
    template_xlsxwriter,
)
from tests.support.libreoffice import save_copy

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    path = folder / "mau_bao_cao.xlsx"
    path.write_bytes(template_xlsxwriter())
    return path


def this_week(book: Book) -> dict:
    sheet = next(sheet for sheet in book.sheets if sheet.name == ACTIVE)
    cells = {
        (row.number, column): cell
        for row in sheet.rows
        for column, cell in enumerate(row.cells)
        if cell != ""
    }
    return {"cells": cells, "merged": set(sheet.merged)}


EXPECTED = {
    "cells": {
        (number, column): THIS_WEEK_ERRORS.get((number, column), value)
        for number, values in enumerate(THIS_WEEK_ROWS, start=1)
        for column, value in enumerate(values)
        if value is not None
    },
    "merged": {Merge(*merge) for merge in THIS_WEEK_MERGES},
}


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_a_saved_copy_keeps_sheets_active_sheet_merges_and_errors(template, tmp_path, target):
    saved = save_copy(template, tmp_path / f"bien_che_2025-W35.{target}")
    book = read_book(saved.read_bytes(), saved.name)
    assert [sheet.name for sheet in book.sheets] == list(VISIBLE)  # hidden ones stay hidden
    assert book.sheets[book.active].name == ACTIVE
    assert this_week(book) == EXPECTED
    errors = [cell for cell in this_week(book)["cells"].values() if isinstance(cell, FormulaError)]
    assert sorted(errors) == sorted(THIS_WEEK_ERRORS.values())


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_convert_to_keeps_the_active_sheet_in_xls_not_in_ods(template, tmp_path, target):
    """``soffice --convert-to`` writes no view into an .ods: nobody chose the sheet it opens on,
    so none is taken as active (several sheets holding the header are then refused, not guessed)."""
    converted = render.convert(template, tmp_path, target, timeout=180)
    book = read_book(converted.read_bytes(), converted.name)
    assert [sheet.name for sheet in book.sheets] == list(VISIBLE)
    if target == "xls":
        assert book.sheets[book.active].name == ACTIVE
    else:
        assert book.active is None
    assert this_week(book) == EXPECTED


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_a_copy_saved_with_a_password_is_refused_as_protected(template, tmp_path, target):
    saved = save_copy(template, tmp_path / f"bien_che_2025-W35.{target}", password="matkhau")
    rejection = read_book(saved.read_bytes(), saved.name)
    assert rejection.code == "unreadable_file"
    assert "mật khẩu" in rejection.message_vi and "Lưu với mật khẩu" in rejection.message_vi
    assert "protected by a password" in rejection.message_en
