"""The package a ministry reader opens, published from a simulated national week: page 1 names,
"Chưa nộp" marks, CSV/Parquet columns, charts, HTML, manifest, no personal data, same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from core.metrics import (
    NATIONAL_WEEKLY_PACKAGE,
    PROVINCE_WEEKLY_PACKAGE,
    VACANCIES_BY_FIELD_COLUMNS,
)
from core.settings import Settings
from core.vietnamese import sort_key
from publishing.publish import publish_week
from publishing.tables import TABLE_ORDER
from publishing.workbook import SHEETS
from tests.publishing.conftest import warehouse_copy

pytestmark = pytest.mark.slow

WEEK = "2025-W36"  # two provinces sent no staffing file, eleven are late or missing a kind


@pytest.fixture(scope="module")
def package(world: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = warehouse_copy(world, tmp_path_factory.mktemp("package"))
    return Path(publish_week(settings, WEEK).path)


def truth_status(world: Settings, week: str = WEEK) -> list[dict]:
    with (world.simulation / "truth" / "submission_status.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["week"] == week]


def names(world: Settings) -> dict[str, str]:
    with duckdb.connect(str(world.analyst_path), read_only=True) as con:
        return dict(con.execute("select province_code, province_name from dim_province").fetchall())


def test_workbook_sheets_are_a4_landscape_with_page_one_first(package: Path) -> None:
    book = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")
    assert book.sheetnames == list(SHEETS)
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
    texts = {c.value for row in book["Tổng quan"].iter_rows() for c in row if c.value}
    assert f"BÁO CÁO TUẦN {WEEK} (01/09/2025 – 07/09/2025)" in texts
    assert "Số tỉnh có số liệu" in texts and "Tuần trước" in texts


def issues_table(ws) -> dict[str, list]:
    """Page 1's late/missing table: province name → [missing kinds, late kinds, received]."""
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    for r, row in enumerate(grid):
        for k in range(len(row) - 2):
            if row[k : k + 3] == ["Tỉnh, thành phố", "Chưa nộp", "Nộp muộn"]:
                found = {}
                for below in grid[r + 1 :]:
                    if not below[k]:
                        return found
                    found[below[k]] = below[k + 1 : k + 4]
                return found
    raise AssertionError("no late/missing table on page 1")


def test_page_one_names_every_late_and_missing_province_with_its_kinds(
    package: Path, world: Settings
) -> None:
    ws = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")["Tổng quan"]
    issues = issues_table(ws)
    labels = {"staffing": "Biên chế", "secondments": "Biệt phái", "obstacles": "Vướng mắc"}
    province = names(world)
    expected = [r for r in truth_status(world) if r["status"] != "on_time"]
    assert len({r["province_code"] for r in expected}) >= 5
    assert set(issues) == {province[r["province_code"]] for r in expected}
    for r in expected:
        missing, late, _ = issues[province[r["province_code"]]]
        assert labels[r["kind"]] in (missing if r["status"] == "missing" else late), r
    sorted_names = list(issues)
    assert sorted_names == sorted(sorted_names, key=sort_key)


def test_a_kind_not_sent_shows_chua_nop_never_blank(package: Path, world: Settings) -> None:
    ws = openpyxl.load_workbook(package / f"bao_cao_tuan_{WEEK}.xlsx")["Theo tỉnh"]
    by_code = {row[0].value: row for row in ws.iter_rows() if row[0].value}
    missing = [r for r in truth_status(world) if r["status"] == "missing"]
    assert missing
    label = {"staffing": "biên chế", "secondments": "biệt phái", "obstacles": "vướng mắc"}
    for r in missing:
        texts = [c.value for c in by_code[r["province_code"]] if isinstance(c.value, str)]
        assert f"Chưa nộp báo cáo {label[r['kind']]}" in texts, r
    reported = by_code["01"]
    assert all(c.value is not None for c in reported[:17])


def test_csv_and_parquet_keep_spec_columns_first(package: Path) -> None:
    for name in TABLE_ORDER:
        raw = (package / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert (package / f"{name}.parquet").exists(), name
    expected = {
        "province_weekly": PROVINCE_WEEKLY_PACKAGE,
        "national_weekly": NATIONAL_WEEKLY_PACKAGE,
        "vacancies_by_field": VACANCIES_BY_FIELD_COLUMNS,
    }
    for name, columns in expected.items():
        text = (package / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert next(csv.reader(io.StringIO(text))) == list(columns)
        assert pq.read_table(package / f"{name}.parquet").column_names == list(columns)
    status = pq.read_table(package / "submission_status.parquet").to_pandas()
    assert len(status) == 102 and status["first_received_at"].dropna().str.endswith("+07:00").all()
    trend = pq.read_table(package / "national_trend.parquet").to_pandas()
    assert trend["week"].tolist() == ["2025-W35", "2025-W36"]


def test_charts_and_self_contained_html_page(package: Path, world: Settings) -> None:
    for name in ("bieu_do_xu_huong.png", "bieu_do_linh_vuc.png", "bieu_do_vuong_mac.png"):
        assert (package / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
    html = (package / f"bao_cao_tuan_{WEEK}.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "http://" not in html and "https://" not in html
    assert html.count('src="data:image/png;base64,') == 3
    province = names(world)
    for r in truth_status(world):
        if r["status"] != "on_time":
            assert province[r["province_code"]] in html


def test_manifest_traces_inputs_coverage_and_gate(package: Path, world: Settings) -> None:
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generated_at"].endswith("+07:00")
    assert manifest["deadline"] == "2025-09-08T12:00:00+07:00"
    received = {
        (r["province_code"], r["kind"], r["file_name"], int(r["version"]))
        for r in truth_status(world)
        if r["status"] != "missing"
    }
    inputs = manifest["inputs"]
    assert {(i["province_code"], i["kind"], i["file_name"], i["version"]) for i in inputs} == (
        received
    )
    for item in inputs[:10]:  # the hash is the file's, as it sits in the province's inbox
        data = (world.inbox / item["province_code"] / item["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
    national = pq.read_table(package / "national_weekly.parquet").to_pandas().iloc[0]
    for kind, entry in manifest["coverage"].items():
        assert entry["provinces_reporting"] == national[f"provinces_reporting_{kind}"]
        assert len(entry["missing_provinces"]) == 34 - entry["provinces_reporting"]
    quality = manifest["quality"]
    assert quality["success"] and quality["checks"] > 50 and "results" not in quality
    assert set(manifest["files"]) == {p.name for p in package.iterdir()} - {"manifest.json"}


def _package_texts(package: Path) -> list[str]:
    texts = []
    for path in package.iterdir():
        if path.suffix in (".csv", ".json", ".html"):
            texts.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [
                    archive.read(n).decode("utf-8")
                    for n in archive.namelist()
                    if n.endswith(".xml") or n.endswith(".rels")
                ]
        elif path.suffix == ".parquet":
            table = pq.read_table(path)
            texts.append(" ".join(table.column_names) + table.to_pandas().to_csv())
    return texts


def test_no_personal_data_anywhere_in_the_package(package: Path, world: Settings) -> None:
    with duckdb.connect(str(world.warehouse_path), read_only=True) as con:
        people = con.execute(
            "select distinct full_name, official_id, assignment_id from raw.secondments limit 300"
        ).fetchall()
    assert len(people) > 100
    blob = "\n".join(_package_texts(package))
    for full_name, official_id, assignment_id in people:
        assert full_name not in blob
        assert official_id not in blob and assignment_id not in blob
    for column in ("full_name", "official_id", "assignment_id", "Họ và tên"):
        assert column not in blob


def test_same_content_gives_same_bytes_in_another_data_dir(
    package: Path, world: Settings, tmp_path: Path
) -> None:
    second = Path(publish_week(warehouse_copy(world, tmp_path), WEEK).path)
    for path in package.iterdir():
        if path.name != "manifest.json":  # generated_at and report paths differ by design
            assert path.read_bytes() == (second / path.name).read_bytes(), path.name
