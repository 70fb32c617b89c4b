"""The workbook as it prints: LibreOffice renders a national week to PDF; at most 12 A4 pages,
page 1 names every late and missing province, and no cell's text is cut."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from core.settings import Settings
from publishing import layout
from publishing.publish import publish_week, workbook_name
from publishing.sheets import NUMBER_FORMATS, display
from tests.publishing.conftest import warehouse_copy
from tests.support.render import page_count, to_pdf

pytestmark = pytest.mark.slow

WEEK = "2025-W36"
MAX_PAGES = 12
FORMATS = {code: name for name, code in NUMBER_FORMATS.items()}


@pytest.fixture(scope="module")
def rendered(world: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("render")
    folder = Path(publish_week(warehouse_copy(world, root), WEEK).path)
    workbook = folder / workbook_name(WEEK)
    return workbook, to_pdf(workbook, root / "pdf")


def _pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    command = ["pdftotext", "-layout", *pages, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_national_week_prints_on_at_most_12_pages(rendered: tuple[Path, Path]) -> None:
    _, pdf = rendered
    pages = page_count(pdf)
    assert 10 <= pages <= MAX_PAGES, pages  # one page per sheet at least, 12 at most


def test_page_one_names_every_late_and_missing_province(
    rendered: tuple[Path, Path], world: Settings
) -> None:
    _, pdf = rendered
    page_one = _pdf_text(pdf, 1)
    with duckdb.connect(str(world.analyst_path), read_only=True) as con:
        names = dict(
            con.execute("select province_code, province_name from dim_province").fetchall()
        )
    with (world.simulation / "truth" / "submission_status.csv").open(encoding="utf-8") as handle:
        late_or_missing = {
            r["province_code"]
            for r in csv.DictReader(handle)
            if r["week"] == WEEK and r["status"] != "on_time"
        }
    assert len(late_or_missing) >= 5
    for code in late_or_missing:
        assert names[code] in page_one, names[code]
    assert "BÁO CÁO TUẦN 2025-W36" in page_one and "Số liệu chính toàn quốc" in page_one


def _merged(ws) -> dict[tuple[int, int], int]:
    """Top-left (row, col) of every merged range → its width in pixels."""
    out = {}
    for merged in ws.merged_cells.ranges:
        width = sum(_column_px(ws, c) for c in range(merged.min_col, merged.max_col + 1))
        out[(merged.min_row, merged.min_col)] = width
    return out


def _column_px(ws, col: int) -> float:
    stored = ws.column_dimensions[get_column_letter(col)].width  # width + 5/7, as Excel stores
    return int(stored * layout.DIGIT_PX + 0.5)


def test_no_cell_text_is_cut(rendered: tuple[Path, Path]) -> None:
    """Every cell that does not wrap shows its whole text in its column (or merged range), by
    Arial's advance widths; wrapped cells (titles, headers) have no word wider than the cell."""
    workbook, _ = rendered
    book = openpyxl.load_workbook(workbook)
    checked = 0
    for ws in book.worksheets:
        merged = _merged(ws)
        inside = {
            (r, c)
            for m in ws.merged_cells.ranges
            for r in range(m.min_row, m.max_row + 1)
            for c in range(m.min_col, m.max_col + 1)
            if (r, c) != (m.min_row, m.min_col)
        }
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or (cell.row, cell.column) in inside:
                    continue
                width = merged.get((cell.row, cell.column)) or _column_px(ws, cell.column)
                bold = bool(cell.font and cell.font.b)
                size = float(cell.font.sz or layout.FONT_SIZE)
                if isinstance(cell.value, int | float):
                    text = display(cell.value, FORMATS[cell.number_format])
                else:
                    text = str(cell.value)
                if cell.alignment.wrap_text:
                    for word in text.split():
                        assert layout.fits(word, width, bold, size), (
                            ws.title,
                            cell.coordinate,
                            word,
                        )
                else:
                    assert layout.fits(text, width, bold, size), (ws.title, cell.coordinate, text)
                checked += 1
    assert checked > 2000


def test_every_province_and_reason_prints_whole(
    rendered: tuple[Path, Path], world: Settings
) -> None:
    _, pdf = rendered
    text = " ".join(_pdf_text(pdf).split())
    with duckdb.connect(str(world.analyst_path), read_only=True) as con:
        names = [n for (n,) in con.execute("select province_name from dim_province").fetchall()]
        reasons = [
            r
            for (r,) in con.execute(
                f"select distinct reason_label_vi from rejections_by_reason where week = '{WEEK}'"
            ).fetchall()
        ]
    assert reasons
    for label in [*names, *reasons]:
        assert label in text, label
