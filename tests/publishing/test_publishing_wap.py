"""Write-Audit-Publish on a simulated national week: versions, unchanged reruns, corrections, a
blocked gate, and the week-over-week warning that names the coverage part of a move."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from core.settings import Settings
from publishing import GateFailed, PersonalDataError, extract
from publishing.publish import publish_week
from publishing.safety import assert_no_personal_data
from tests.publishing.conftest import full_copy, warehouse_copy

pytestmark = pytest.mark.slow

WEEK = "2025-W37"
NATIONAL_WARNING = "national_week_over_week.national_figure_change_within_share"


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the sha256 of its bytes."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(root.rglob("*"))
    }


def tampered(monkeypatch: pytest.MonkeyPatch, change) -> None:
    """Make the extract hand the publisher the week's tables after ``change(tables)``."""
    read_week = extract.read_week

    def read(con, week, names=None):
        tables = read_week(con, week, names)
        if week == WEEK and names is None:
            change(tables)
        return tables

    monkeypatch.setattr(extract, "read_week", read)


def test_first_publish_is_v1_and_rerun_is_unchanged(world: Settings, tmp_path: Path) -> None:
    settings = warehouse_copy(world, tmp_path)
    first = publish_week(settings, WEEK)
    assert first.status == "published" and first.version == "v1"
    assert Path(first.path) == settings.outbox / WEEK / "v1"
    before = snapshot(settings.outbox)

    again = publish_week(settings, WEEK)
    assert again.status == "unchanged" and again.version == "v1"
    assert again.content_digest == first.content_digest
    assert snapshot(settings.outbox) == before  # identical bytes, no v2, no temp folder left
    assert sorted(p.name for p in (settings.outbox / WEEK).iterdir()) == ["v1"]


def test_correction_becomes_v2_with_what_changed(world: Settings, tmp_path: Path) -> None:
    from ingestion.province import process_province
    from warehouse.refresh import refresh

    settings = full_copy(world, tmp_path)
    publish_week(settings, WEEK)
    v1_before = snapshot(settings.outbox / WEEK / "v1")
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        staffing = con.execute(
            "select commune_code, field_code, approved_posts, filled_posts from fct_staffing "
            f"where week = '{WEEK}' and province_code = '01' order by all"
        ).fetchall()
    rows = [["commune_code", "field_code", "approved_posts", "filled_posts", "report_date"]]
    rows += [
        [c, f, a, p + (5 if i == 0 else 0), "2025-09-12"] for i, (c, f, a, p) in enumerate(staffing)
    ]
    with (settings.inbox / "01" / f"staffing_{WEEK}_v9.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    process_province(settings, "01")
    refresh(settings)

    second = publish_week(settings, WEEK)
    assert second.status == "published" and second.version == "v2"
    assert snapshot(settings.outbox / WEEK / "v1") == v1_before  # never modified
    manifest = json.loads((Path(second.path) / "manifest.json").read_text("utf-8"))
    assert manifest["changes"]["previous_version"] == "v1"
    assert {"province_weekly", "national_weekly", "submission_status"} <= set(
        manifest["changes"]["tables_changed"]
    )
    staffing_01 = [i for i in manifest["inputs"] if i["province_code"] == "01"]
    assert {"file_name": f"staffing_{WEEK}_v9.csv", "version": 9}.items() <= next(
        i for i in staffing_01 if i["kind"] == "staffing"
    ).items()
    assert publish_week(settings, WEEK).status == "unchanged"


def test_planted_gate_failure_blocks_and_outbox_is_untouched(
    world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = warehouse_copy(world, tmp_path)
    publish_week(settings, WEEK)
    before = snapshot(settings.outbox)

    def too_many_vacancies(tables: dict[str, pd.DataFrame]) -> None:
        pw = tables["province_weekly"]
        pw.loc[pw["province_code"] == "01", "vacancies"] = 999_999

    tampered(monkeypatch, too_many_vacancies)
    with pytest.raises(GateFailed) as raised:
        publish_week(settings, WEEK)
    assert "province_weekly.vacancies_le_approved_posts" in raised.value.failed_checks
    assert snapshot(settings.outbox) == before
    report = json.loads((raised.value.report_dir / "gate_report.json").read_text("utf-8"))
    assert report["status"] == "blocked"
    failed = {r["name"]: r for r in report["gate"]["results"] if not r["success"]}
    [row] = failed["province_weekly.vacancies_le_approved_posts"]["failing_rows"]
    assert row["province_code"] == "01" and row["vacancies"] == 999_999
    md = (raised.value.report_dir / "gate_report.md").read_text(encoding="utf-8")
    assert "## Failed checks" in md and "999999" in md


def test_a_province_missing_from_the_week_blocks_the_first_publish(
    world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = warehouse_copy(world, tmp_path)

    def drop_79(tables: dict[str, pd.DataFrame]) -> None:
        pw = tables["province_weekly"]
        tables["province_weekly"] = pw[pw["province_code"] != "79"].reset_index(drop=True)

    tampered(monkeypatch, drop_79)
    with pytest.raises(GateFailed) as raised:
        publish_week(settings, WEEK)
    assert {"completeness.provinces_present", "province_weekly.rows_per_week"} <= set(
        raised.value.failed_checks
    )
    assert not settings.outbox.exists()


def test_national_move_warns_and_names_its_coverage_part(world: Settings, tmp_path: Path) -> None:
    """W36: two provinces sent no staffing file, approved posts fall ~7 %; with a 5 % threshold
    the gate warns (never blocks) and says how much of the fall is those two provinces."""
    settings = warehouse_copy(world, tmp_path)
    result = publish_week(settings, "2025-W36", national_wow_max_share=0.05)
    assert result.status == "published" and NATIONAL_WARNING in result.warnings
    manifest = json.loads(Path(result.manifest).read_text(encoding="utf-8"))
    [detail] = [w for w in manifest["quality"]["warnings_detail"] if w["name"] == NATIONAL_WARNING]
    approved = next(r for r in detail["failing_rows"] if r["metric"] == "approved_posts")
    with (world.simulation / "truth" / "submission_status.csv").open(encoding="utf-8") as f:
        status = {
            (r["week"], r["province_code"], r["kind"]): r["status"] for r in csv.DictReader(f)
        }
    dropped = sorted(
        code
        for (week, code, kind), s in status.items()
        if week == "2025-W36"
        and kind == "staffing"
        and s == "missing"
        and status[("2025-W35", code, "staffing")] != "missing"
    )
    assert len(dropped) == 2
    assert approved["coverage_points"] < -0.05 and abs(approved["like_for_like_points"]) < 0.01
    assert f"{len(dropped)} tỉnh có báo cáo biên chế tuần trước" in approved["explanation_vi"]
    md = (settings.data_dir / manifest["quality"]["gate_report"]).read_text(encoding="utf-8")
    assert "## Warnings" in md and NATIONAL_WARNING in md
    ws = openpyxl.load_workbook(Path(result.path) / "bao_cao_tuan_2025-W36.xlsx")["Tổng quan"]
    notes = [c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("Lưu ý")]
    assert any("do số tỉnh có báo cáo biên chế thay đổi" in n for n in notes)


def test_personal_data_columns_are_refused(
    world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for column in ("full_name", "official_id", "Họ và tên", "ho_ten", "Mã cán bộ"):
        with pytest.raises(PersonalDataError):
            assert_no_personal_data({"t": pd.DataFrame({column: ["x"]})})
    assert_no_personal_data({"t": pd.DataFrame({"province_name": ["Hà Nội"]})})

    settings = warehouse_copy(world, tmp_path)

    def leak(tables: dict[str, pd.DataFrame]) -> None:
        tables["secondments_by_province"]["full_name"] = "Nguyễn Văn A"

    tampered(monkeypatch, leak)
    with pytest.raises(PersonalDataError):
        publish_week(settings, WEEK)
    assert not settings.outbox.exists()
