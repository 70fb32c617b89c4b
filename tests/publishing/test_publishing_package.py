"""The package a ministry reader opens: workbook layout, CSV encoding, safety, same bytes."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from core.settings import Settings, load_settings
from publishing.extract import (
    NATIONAL_WEEKLY_COLUMNS,
    PROVINCE_WEEKLY_COLUMNS,
    VACANCIES_BY_FIELD_COLUMNS,
)
from publishing.publish import publish_week
from tests.support import synthetic_warehouse as synthetic

pytestmark = pytest.mark.slow

WEEK, PREVIOUS = "2025-W35", "2025-W34"
FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'
SHEETS = [
    "Tổng quan",
    "Theo tỉnh",
    "Thiếu theo lĩnh vực",
    "Biệt phái",
    "Vướng mắc",
    "Tình trạng nộp báo cáo",
    "Ghi chú chất lượng",
]


def _weeks() -> dict:
    current = synthetic.make_tables(WEEK, seed=1)
    pw = current["province_weekly"]
    pw.loc[pw["province_code"] == "01", "province_name"] = FORMULA_NAME
    pw.loc[pw["province_code"] == "79", "province_name"] = "@SUM(A1)"
    return {PREVIOUS: synthetic.make_tables(PREVIOUS, seed=0), WEEK: current}


@pytest.fixture
def package(settings: Settings) -> Path:
    synthetic.write_warehouse(settings.analyst_path, _weeks())
    return Path(publish_week(settings, WEEK)["path"])


def test_workbook_sheets_headers_freeze_and_charts(package: Path) -> None:
    path = package / f"bao_cao_tuan_{WEEK}.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    by_province = book["Theo tỉnh"]
    headers = [c.value for c in by_province[1]]
    assert headers[:6] == [
        "Tuần",
        "Mã tỉnh",
        "Tỉnh, thành phố",
        "Biên chế được giao",
        "Số có mặt",
        "Số thiếu",
    ]
    assert by_province.max_row == 35
    assert by_province["D2"].number_format == "#,##0"
    assert by_province.column_dimensions["C"].width >= 10
    assert [c.value for c in book["Thiếu theo lĩnh vực"][1]][4] == "Lĩnh vực"
    assert "Cấp cử đi" in [c.value for c in book["Biệt phái"][1]]
    assert "Nhóm vướng mắc" in [c.value for c in book["Vướng mắc"][1]]
    assert "Loại chưa nhận" in [c.value for c in book["Tình trạng nộp báo cáo"][1]]
    assert "Lý do từ chối" in [c.value for c in book["Ghi chú chất lượng"][1]]
    for name in SHEETS:
        assert book[name].freeze_panes is not None, name
    assert book["Theo tỉnh"].freeze_panes == "D2"
    assert len(book["Tổng quan"]._charts) == 2
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        core = archive.read("docProps/core.xml").decode()
    assert "2025-08-25T00:00:00Z" in core  # the week's Monday, not the run time
    status_sheet = book["Tình trạng nộp báo cáo"]
    statuses = [r[-1] for r in status_sheet.iter_rows(min_row=2, values_only=True)]
    assert {"Đủ, đúng hạn", "Nộp muộn", "Thiếu loại báo cáo", "Chưa nộp"} <= set(statuses)


def test_csv_has_bom_and_spec_columns(package: Path) -> None:
    for path in package.glob("*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    expected = {
        "province_weekly": PROVINCE_WEEKLY_COLUMNS,
        "national_weekly": NATIONAL_WEEKLY_COLUMNS,
        "vacancies_by_field": VACANCIES_BY_FIELD_COLUMNS,
    }
    for name, columns in expected.items():
        text = (package / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert next(csv.reader(io.StringIO(text))) == columns
        assert pq.read_table(package / f"{name}.parquet").column_names == columns


def test_formula_like_text_is_neutralised_numbers_untouched(package: Path) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO((package / "province_weekly.csv").read_text(encoding="utf-8-sig"))
        )
    )
    by_code = {r["province_code"]: r for r in rows}
    assert by_code["01"]["province_name"] == "'" + FORMULA_NAME
    assert by_code["79"]["province_name"] == "'@SUM(A1)"
    assert by_code["01"]["approved_posts"].isdigit()
    ws = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")["Theo tỉnh"]
    cells = {row[1].value: row for row in ws.iter_rows(min_row=2)}
    assert cells["01"][2].value == "'" + FORMULA_NAME and cells["01"][2].data_type == "s"
    assert cells["79"][2].value == "'@SUM(A1)"
    assert isinstance(cells["01"][3].value, int)
    # the same province name is neutralised on every sheet that repeats it
    sec = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")["Biệt phái"]
    names = {row[1]: row[2] for row in sec.iter_rows(min_row=2, values_only=True)}
    assert names["01"] == "'" + FORMULA_NAME


def _package_texts(package: Path) -> list[str]:
    texts = []
    for path in package.iterdir():
        if path.suffix in (".csv", ".json"):
            texts.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
        elif path.suffix == ".parquet":
            table = pq.read_table(path)
            texts.append(" ".join(table.column_names) + table.to_pandas().to_csv())
    return texts


def test_no_personal_data_anywhere_in_the_package(package: Path) -> None:
    texts = _package_texts(package)
    assert len(texts) > 20
    for text in texts:
        assert synthetic.SECRET_NAME not in text
        assert synthetic.SECRET_OFFICIAL_ID not in text
        assert "BP-" not in text  # assignment ids stay in the warehouse
        for column in ("full_name", "official_id", "assignment_id", "Họ và tên"):
            assert column not in text


def test_same_content_gives_same_bytes_in_another_data_dir(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOHA_DATA_DIR", str(tmp_path / "other"))
    other = load_settings()
    synthetic.write_warehouse(other.analyst_path, _weeks())
    second = Path(publish_week(other, WEEK)["path"])
    for path in package.iterdir():
        if path.name != "manifest.json":  # generated_at and report paths differ by design
            assert path.read_bytes() == (second / path.name).read_bytes(), path.name
