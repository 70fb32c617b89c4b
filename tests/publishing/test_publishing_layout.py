"""Pure parts of the package: Vietnamese formats, the text-width model, print scale, page-1 order,
cells written by the sheet writer (numbers typed, formula-like text neutralised)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from core import vietnamese
from publishing import layout
from publishing.page_one import nil_returns, province_issues, top_vacancy
from publishing.sheets import Col, Formats, Paragraph, Sheet, SheetWriter, Table, display


def test_vietnamese_numbers_percentages_and_order() -> None:
    assert vietnamese.number(112890) == "112.890"
    assert vietnamese.number(-3265, signed=True) == "−3.265"
    assert vietnamese.number(1234.5, 1, signed=True) == "+1.234,5"
    assert vietnamese.number(-0.04, 1) == "0,0"  # no "−0,0"
    assert vietnamese.percent(-0.128, signed=True) == "−12,8 %"
    assert vietnamese.number(None) == ""
    names = ["Thành phố Hà Nội", "Đắk Lắk", "An Giang", "Điện Biên", "Cà Mau", "Đồng Nai"]
    assert sorted(names, key=vietnamese.sort_key) == [
        "An Giang",
        "Cà Mau",
        "Đắk Lắk",
        "Điện Biên",
        "Đồng Nai",
        "Thành phố Hà Nội",
    ]


def test_display_matches_the_number_formats() -> None:
    assert display(112890.0, "int") == "112.890"
    assert display(0.1234, "rate") == "12,3%"
    assert display(-0.068, "signed_pct") == "−6,8%"
    assert display(3.5, "signed_points") == "+3,5 điểm"
    assert display(True, "text") == "Có"


def test_text_width_model_and_print_scale() -> None:
    wide, narrow = layout.text_px("WWWW"), layout.text_px("iiii")
    assert wide > 3 * narrow
    assert layout.text_px("Đắk Lắk") == layout.text_px("Dak Lak")  # diacritics do not widen
    name = "Thành phố Hồ Chí Minh"
    width = layout.width_for(name)
    assert layout.fits(name, layout.column_px(width))
    assert not layout.fits(name, layout.column_px(width - 2))
    assert layout.wrap("Số ngày tháo gỡ (trung vị)", layout.column_px(8), bold=True)[0] == "Số ngày"
    assert layout.print_scale([10.0] * 10, [200.0]) == 100
    assert layout.print_scale([10.0] * 40, [200.0]) < 50


def test_sheet_writer_types_numbers_and_neutralises_formulas(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    table = Table(
        [Col("Tỉnh"), Col("Số thiếu", "int"), Col("Tỷ lệ", "rate")],
        [['=HYPERLINK("http://x","y")', 1234, 0.25], ["@SUM(A1)", None, None]],
        spans=[(1, 1, 2, "Chưa nộp báo cáo biên chế")],
    )
    SheetWriter(book, Formats(book), Sheet("Thử", [[Paragraph("Tiêu đề"), table]])).write()
    book.close()
    ws = openpyxl.load_workbook(path)["Thử"]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row}
    assert cells["A4"].value == '\'=HYPERLINK("http://x","y")' and cells["A4"].data_type == "s"
    assert cells["A5"].value == "'@SUM(A1)"
    assert cells["B4"].value == 1234 and cells["B4"].number_format == "[$-42A]#,##0"
    assert cells["C4"].number_format == "[$-42A]0.0%"
    assert cells["B5"].value == "Chưa nộp báo cáo biên chế" and "B5:C5" in ws.merged_cells
    assert ws.page_setup.orientation == "landscape"


def test_page_one_lists_issues_alphabetically_and_the_top_ten() -> None:
    rows = []
    for code, name, kind, late, missing in (
        ("96", "Cà Mau", "staffing", False, True),
        ("01", "Thành phố Hà Nội", "obstacles", True, False),
        ("89", "An Giang", "secondments", False, False),
    ):
        rows.append(
            {
                "province_code": code,
                "province_name": name,
                "kind": kind,
                "is_late": late,
                "is_missing": missing,
                "first_received_at": "2025-09-09T08:44:00+07:00" if late else None,
            }
        )
    issues = province_issues(pd.DataFrame(rows))
    assert [i.province_name for i in issues] == ["Cà Mau", "Thành phố Hà Nội"]
    assert issues[0].missing == ("Biên chế",) and issues[1].late == (("Vướng mắc", "09/09 08:44"),)
    rates = pd.DataFrame(
        {
            "province_name": [f"P{i}" for i in range(12)] + ["Q"],
            "vacancy_rate_rank": [*range(12, 0, -1), None],
            "vacancy_rate": [0.1] * 12 + [None],
            "vacancies": [1] * 13,
            "approved_posts": [10] * 13,
            "is_reported": [True] * 12 + [False],
        }
    )
    top, missing = top_vacancy(rates)
    assert top["vacancy_rate_rank"].tolist() == list(range(1, 11)) and missing == ["Q"]


def test_page_one_names_the_provinces_that_had_nothing_of_a_kind() -> None:
    submission = pd.DataFrame(
        [
            {"province_name": "Thành phố Hà Nội", "kind": "secondments", "is_nil_return": True},
            {"province_name": "An Giang", "kind": "secondments", "is_nil_return": True},
            {"province_name": "Cà Mau", "kind": "obstacles", "is_nil_return": True},
            {"province_name": "Cà Mau", "kind": "staffing", "is_nil_return": False},
            {"province_name": "Lào Cai", "kind": "obstacles", "is_nil_return": None},
        ]
    )
    assert nil_returns(submission) == [
        "Tỉnh báo cáo không có biệt phái trong tuần: An Giang, Thành phố Hà Nội.",
        "Tỉnh báo cáo không có vướng mắc trong tuần: Cà Mau.",
    ]
    assert nil_returns(submission.iloc[3:]) == []
