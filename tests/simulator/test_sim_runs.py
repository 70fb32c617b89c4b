"""Simulator runs: determinism, readable files, every fault and shape planted, truth, scale."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from core import reference
from core.metrics import METRICS
from core.weeks import IsoWeek, week_range
from simulator import simulate
from simulator.faults import ALL_REASONS
from simulator.styles import SHAPES
from simulator.truth import staffing_metrics

SMALL = ["04", "11", "46"]
W35 = IsoWeek(2025, 35)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot(data_dir: Path) -> dict[str, tuple[str, int]]:
    """Relative path → (sha256, mtime) of everything the simulator wrote."""
    return {
        str(p.relative_to(data_dir)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            int(p.stat().st_mtime),
        )
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def small_run(settings):
    summary = simulate(
        settings, week_range("2025-W35:2025-W37"), provinces=SMALL, seed=7, fault_rate=0.2
    )
    return settings, summary


@pytest.fixture(scope="module")
def faulty_week(tmp_path_factory):
    """A week of every province with many faults (so the new layouts carry some)."""
    from core.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("faulty") / "data")
    simulate(settings, [IsoWeek(2025, 38)], seed=5, fault_rate=0.6)
    return settings


@pytest.fixture(scope="module")
def full_week(tmp_path_factory):
    from core.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("full") / "data")
    return settings, simulate(settings, [W35])


def test_same_seed_same_bytes_times_and_truth(tmp_path):
    from core.settings import Settings

    runs = []
    for name in ("a", "b"):
        settings = Settings(data_dir=tmp_path / name)
        simulate(settings, week_range("2025-W40:2025-W41"), provinces=SMALL, seed=3, fault_rate=0.3)
        runs.append(snapshot(settings.data_dir))
    assert runs[0] == runs[1]
    other = Settings(data_dir=tmp_path / "c")
    simulate(other, week_range("2025-W40:2025-W41"), provinces=SMALL, seed=4, fault_rate=0.3)
    assert snapshot(other.data_dir) != runs[0]


def test_files_open_and_decode_with_recorded_encoding(small_run):
    settings, summary = small_run
    files = read(settings.simulation / "expected_files.csv")
    on_disk = {str(p.relative_to(settings.inbox)) for p in settings.inbox.rglob("*") if p.is_file()}
    assert on_disk == {f"{r['province_code']}/{r['file_name']}" for r in files}
    assert summary["files_written"] == len(files)
    for row in files:
        if row["shape"] == "report":  # the officials' documents: test_sim_reports.py
            continue
        path = settings.inbox / row["province_code"] / row["file_name"]
        data = path.read_bytes()
        unreadable = row["status"] == "rejected" and not data
        if row["format"] == "xlsx":
            assert row["encoding"] == ""
            if unreadable or not data.startswith(b"PK") or path.stat().st_size < 3000:
                continue
            try:
                openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
            except Exception:  # only planted unreadable files may fail
                assert row["status"] == "rejected"
        else:
            text = data.decode(row["encoding"])
            if data and row["status"] != "rejected":
                assert text.count("\n") == 1 + int(row["rows_accepted"]) + int(row["rows_rejected"])
    assert all(
        Path(settings.inbox / r["province_code"] / r["file_name"]).stat().st_mtime > 0
        for r in files
    )


def test_every_xlsx_opens_unless_planted_unreadable(small_run):
    settings, _ = small_run
    rejected = read(settings.simulation / "expected_rejections.csv")
    unreadable = {
        (r["province_code"], r["file_name"])
        for r in rejected
        if r["reason_code"] == "unreadable_file"
    }
    for path in settings.inbox.rglob("*.xlsx"):
        key = (path.parent.name, path.name)
        if key in unreadable or path.stat().st_size == 0:
            continue
        openpyxl.load_workbook(path, read_only=True).close()


def test_truth_has_every_province_every_week(small_run):
    settings, _ = small_run
    rows = read(settings.simulation / "truth" / "province_weekly.csv")
    assert [(r["week"], r["province_code"]) for r in rows] == [
        (w, p) for w in ("2025-W35", "2025-W36", "2025-W37") for p in SMALL
    ]
    national = read(settings.simulation / "truth" / "national_weekly.csv")
    assert len(national) == 3
    for nat in national:
        week_rows = [r for r in rows if r["week"] == nat["week"]]
        for metric in METRICS:
            if metric in ("median_days_to_resolve", "on_time"):
                continue
            values = [int(r[metric]) for r in week_rows if r[metric] != ""]
            assert nat[metric] == (str(sum(values)) if values else "")
        assert int(nat["on_time"]) == sum(r["on_time"] == "true" for r in week_rows)
    for r in rows:
        if r["approved_posts"]:
            assert int(r["vacancies"]) - int(r["surplus"]) >= int(r["approved_posts"]) - int(
                r["filled_posts"]
            )


def test_expected_rejections_match_expected_files(small_run):
    settings, _ = small_run
    files = read(settings.simulation / "expected_files.csv")
    rejections = read(settings.simulation / "expected_rejections.csv")
    rows_per_file = Counter(
        (r["province_code"], r["file_name"]) for r in rejections if r["source_row"]
    )
    for f in files:
        key = (f["province_code"], f["file_name"])
        if f["status"] == "rejected":
            assert int(f["rows_accepted"]) == 0
        else:
            assert rows_per_file[key] == int(f["rows_rejected"])
            total = int(f["rows_accepted"]) + int(f["rows_rejected"])
            assert int(f["rows_rejected"]) * 2 <= total
            assert total > 0 or f["kind"] != "staffing"  # a nil return: secondments, obstacles


def test_full_week_plants_every_fault_and_shape(full_week):
    settings, summary = full_week
    rejections = read(settings.simulation / "expected_rejections.csv")
    files = read(settings.simulation / "expected_files.csv")
    reports = {(r["province_code"], r["file_name"]) for r in files if r["kind"] == "bao_cao"}
    tables = [r for r in rejections if (r["province_code"], r["file_name"]) not in reports]
    assert {r["reason_code"] for r in tables} == set(ALL_REASONS)  # reports: test_sim_reports
    assert {r["shape"] for r in files} >= {s.name for s in SHAPES}
    assert {(r["format"], r["encoding"]) for r in files} >= {
        ("xlsx", ""),
        ("csv", "utf-8"),
        ("csv", "utf-8-sig"),
        ("csv", "cp1258"),
    }
    names = {r["file_name"].split("_20")[0] for r in files if r["kind"]}
    assert names == {
        "staffing",
        "bien_che",
        "nhan_su",
        "secondments",
        "biet_phai",
        "obstacles",
        "vuong_mac",
        "bao_cao",
        "report",
    }
    provinces = read(settings.simulation / "truth" / "province_weekly.csv")
    assert len(provinces) == 34
    assert summary["files_by_status"]["rejected"] >= 6
    big = [p for p in settings.inbox.rglob("*") if p.stat().st_size > settings.max_file_bytes]
    assert len(big) == 1


def test_wrong_province_file_is_a_rejected_later_version(full_week):
    settings, _ = full_week
    files = read(settings.simulation / "expected_files.csv")
    [wrong] = [
        r
        for r in read(settings.simulation / "expected_rejections.csv")
        if r["reason_code"] == "wrong_province_file"
    ]
    [meta] = [
        f
        for f in files
        if (f["province_code"], f["file_name"]) == (wrong["province_code"], wrong["file_name"])
    ]
    assert meta["status"] == "rejected" and int(meta["version"]) >= 2
    assert wrong["source_row"] == "" and wrong["column_name"] == ""


def test_plain_csv_staffing_reproduces_truth(full_week):
    """Read the simplest shape back by hand: its accepted rows give exactly the truth's numbers."""
    settings, _ = full_week
    files = read(settings.simulation / "expected_files.csv")
    truth = {
        r["province_code"]: r for r in read(settings.simulation / "truth" / "province_weekly.csv")
    }
    rejected_rows = Counter()
    for r in read(settings.simulation / "expected_rejections.csv"):
        if r["source_row"]:
            rejected_rows[(r["province_code"], r["file_name"], int(r["source_row"]))] += 1
    staffing = [f for f in files if f["kind"] == "staffing"]
    checked = 0
    for f in staffing:
        same = [g for g in staffing if g["province_code"] == f["province_code"]]
        if f["shape"] != "csv_utf8_english_iso" or len(same) != 1 or f["status"] == "rejected":
            continue
        path = settings.inbox / f["province_code"] / f["file_name"]
        text = path.read_bytes().decode("utf-8")
        reader = csv.DictReader(io.StringIO(text.lower() if text.startswith("COMMUNE") else text))
        rows = [
            {
                **row,
                "approved_posts": int(row["approved_posts"]),
                "filled_posts": int(row["filled_posts"]),
            }
            for line, row in enumerate(reader, start=2)
            if (f["province_code"], f["file_name"], line) not in rejected_rows
        ]
        assert all(
            reference.communes()[r["commune_code"]].province_code == f["province_code"]
            for r in rows
        )
        expected = truth[f["province_code"]]
        assert {k: str(v) for k, v in staffing_metrics(rows).items()} == {
            k: expected[k]
            for k in ("approved_posts", "filled_posts", "vacancies", "surplus", "communes_short")
        }
        checked += 1
    assert checked >= 1


def test_scale_multiplies_secondments_and_obstacles_not_staffing(tmp_path):
    from core.settings import Settings

    counts, calls = {}, []
    for scale in (1, 3):
        settings = Settings(data_dir=tmp_path / str(scale))
        summary = simulate(
            settings,
            [IsoWeek(2025, 44)],
            provinces=["11", "79"],
            fault_rate=0,
            scale=scale,
            progress=calls.append,
        )
        counts[scale] = summary["rows"]
        assert summary["faults_planted"] == 0
        assert read(settings.simulation / "expected_rejections.csv") == []
    assert calls == [1, 1, 1, 1]  # one per province × week
    assert counts[3]["staffing"] == counts[1]["staffing"]
    for kind in ("secondments", "obstacles"):
        assert 2.5 < counts[3][kind] / counts[1][kind] <= 3.2


def test_rerun_of_a_week_replaces_its_files_and_keeps_other_weeks(settings):
    simulate(settings, [IsoWeek(2025, 35), IsoWeek(2025, 36)], provinces=["04"], seed=1)
    first = read(settings.simulation / "truth" / "province_weekly.csv")
    simulate(settings, [IsoWeek(2025, 36)], provinces=["04"], seed=2)
    second = read(settings.simulation / "truth" / "province_weekly.csv")
    assert [r["week"] for r in second] == ["2025-W35", "2025-W36"]
    assert second[0] == first[0]
    files = read(settings.simulation / "expected_files.csv")
    on_disk = {p.name for p in (settings.inbox / "04").iterdir()}
    assert on_disk == {r["file_name"] for r in files}


def test_nil_returns_are_accepted_files_whose_metrics_are_zero(full_week):
    settings, summary = full_week
    assert summary["nil_returns"] >= 1
    files = read(settings.simulation / "expected_files.csv")
    nil = [f for f in files if f["kind"] != "staffing" and f["status"] == "accepted"]
    nil = [f for f in nil if f["rows_accepted"] == "0"]
    assert nil, "no nil return planted"
    truth = {r["province_code"]: r for r in read(settings.simulation / "truth/province_weekly.csv")}
    for f in nil:
        path = settings.inbox / f["province_code"] / f["file_name"]
        assert path.stat().st_size > 0  # the header is there
        metric = "active_secondments" if f["kind"] == "secondments" else "obstacles_open"
        assert truth[f["province_code"]][metric] == "0"


def test_planted_rows_point_at_their_record_in_every_layout(faulty_week):
    """In grouped, merged, template and wide forms, each planted rejection's Excel row holds a
    record (a commune code, written or merged over it), never a group title or subtotal; the
    rows skipped are the column numbers, the group titles, the subtotals and "Tổng cộng"."""
    settings = faulty_week
    files = {
        (f["province_code"], f["file_name"]): f
        for f in read(settings.simulation / "expected_files.csv")
    }
    layouts = Counter()
    for r in read(settings.simulation / "expected_rejections.csv"):
        meta = files[(r["province_code"], r["file_name"])]
        if not r["source_row"] or meta["shape"] not in NEW_SHAPES:
            continue
        book = openpyxl.load_workbook(settings.inbox / r["province_code"] / r["file_name"])
        sheet = book.active
        assert sheet.title == "Biểu 01"
        row = int(r["source_row"])
        merged = any(
            m.min_row <= row <= m.max_row and m.min_col == 2 for m in sheet.merged_cells.ranges
        )
        assert sheet.cell(row, 2).value is not None or merged, (meta["shape"], row)
        label = str(sheet.cell(row, 1).value or "")
        assert not label.startswith(("Cộng", "I.", "II.", "III.")), (meta["shape"], row)
        layouts[meta["shape"]] += 1
    assert sum(layouts.values()) >= 3, layouts
    for meta in files.values():
        if meta["shape"] in NEW_SHAPES and meta["status"] != "rejected":
            sheet = openpyxl.load_workbook(
                settings.inbox / meta["province_code"] / meta["file_name"], read_only=True
            )["Biểu 01"]
            labels = [str(row[0] or "") for row in sheet.iter_rows(values_only=True)]
            structure = sum(t.startswith(("Cộng", "I. ", "II. ", "III. ")) for t in labels)
            assert int(meta["rows_skipped"]) == 2 + structure, meta["file_name"]


NEW_SHAPES = ("xlsx_template_sheets", "xlsx_merged_communes", "xlsx_groups_subtotals",
              "xlsx_wide_staffing")  # fmt: skip
