"""Templates (``moha templates``): the forms a province fills in. Filled as a clerk would (only
the unlocked cells, codes picked from the drop-down lists), each loads with zero rejections
through the ingest path; the layout is the one real forms use, protected except input cells."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from core import reference
from ingestion.contract.columns import COLUMNS, KINDS
from ingestion.feedback.delivery import FOLDER as PHAN_HOI
from ingestion.feedback.templates import BLANK_ROWS, CODES_SHEET, SHEET, write_templates
from ingestion.outcomes import FileStatus
from ingestion.province import process_province
from tests.support.templates import PP, WEEK, fill_template, header_columns, options


def test_templates_are_forms_a_clerk_can_only_fill_in(settings):
    templates = write_templates(settings, PP, WEEK)
    assert [t.path.name for t in templates] == [
        "bien_che_2025-W40.xlsx",
        "biet_phai_2025-W40.xlsx",
        "vuong_mac_2025-W40.xlsx",
    ]
    staffing = templates[0]
    fields = reference.code_list(reference.FIELDS)
    assert staffing.rows_prefilled == len(reference.communes_of(PP)) * len(fields) == 99 * 15
    book = openpyxl.load_workbook(staffing.path)
    sheet = book[SHEET]
    assert book.active.title == SHEET and book[CODES_SHEET].sheet_state == "hidden"
    assert sheet.protection.sheet  # protected; only input cells unlocked
    texts = [sheet.cell(r, 1).value for r in range(1, staffing.header_row)]
    assert "ỦY BAN NHÂN DÂN LÀO CAI" in texts
    assert any("bien_che_2025-W40.xlsx" in str(t) for t in texts)  # the exact name to send
    numbers = [sheet.cell(staffing.header_row + 1, c).value for c in range(1, 8)]
    assert numbers == [f"({i})" for i in range(1, 8)]
    head = header_columns(sheet, staffing.header_row)
    assert {c.label_vi for c in COLUMNS["staffing"]} <= set(head)
    first = staffing.first_input_row
    keys = {
        (sheet.cell(r, head["Mã xã"]).value, sheet.cell(r, head["Lĩnh vực"]).value)
        for r in range(first, first + staffing.rows_prefilled)
    }
    assert keys == {(c, label) for c in reference.communes_of(PP) for label in fields.values()}
    date_cell = sheet.cell(first, head["Ngày báo cáo"])
    assert date_cell.number_format == "dd/mm/yyyy" and not date_cell.protection.locked
    assert not sheet.cell(first, head["Số có mặt"]).protection.locked
    signature = [
        sheet.cell(r, 1).value for r in range(first + staffing.rows_prefilled, sheet.max_row + 1)
    ]
    assert "Người lập biểu" in signature and "(Ký, ghi rõ họ tên)" in signature
    # every code column has a drop-down of the contract's labels
    assert options(book, sheet, head["Lĩnh vực"]) == list(fields.values())
    obstacles = openpyxl.load_workbook(templates[2].path)
    form = obstacles[SHEET]
    ohead = header_columns(form, templates[2].header_row)
    assert options(obstacles, form, ohead["Mã xã"]) == list(reference.communes_of(PP))
    assert options(obstacles, form, ohead["Trạng thái"]) == list(
        reference.code_list(reference.OBSTACLE_STATUSES).values()
    )
    assert options(obstacles, form, ohead["Cấp xử lý"]) == list(
        reference.code_list(reference.LEVELS).values()
    )
    assert form.max_row >= templates[2].first_input_row + BLANK_ROWS


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_template_loads_with_zero_rejections(settings, kind):
    template = next(t for t in write_templates(settings, PP, WEEK) if t.kind == kind)
    rows = fill_template(template, datetime(2025, 10, 3))
    inbox = settings.inbox / PP / template.path.name
    inbox.parent.mkdir(parents=True)
    inbox.write_bytes(template.path.read_bytes())

    outcome = process_province(settings, PP)
    [landed] = [f for f in outcome.files if f.file_name == template.path.name]
    assert landed.status == FileStatus.ACCEPTED, landed
    assert landed.rows_rejected == 0 and landed.rows_accepted == rows
    # the templates went to the province's drop too, beside its answers
    delivered = settings.inbox / PP / PHAN_HOI / "mau_bieu" / str(WEEK) / template.path.name
    assert delivered.is_file()


def test_a_form_sent_back_blank_is_a_nil_return(settings):
    """Nothing to report this week: the secondments and obstacles forms sent unfilled."""
    for template in write_templates(settings, PP, WEEK)[1:]:
        sent = settings.inbox / PP / template.path.name
        sent.parent.mkdir(parents=True, exist_ok=True)
        sent.write_bytes(template.path.read_bytes())
    outcome = process_province(settings, PP)
    assert {(f.file_name, f.status, f.rows_total, f.rows_rejected) for f in outcome.files} == {
        (f"biet_phai_{WEEK}.xlsx", FileStatus.ACCEPTED, 0, 0),
        (f"vuong_mac_{WEEK}.xlsx", FileStatus.ACCEPTED, 0, 0),
    }
