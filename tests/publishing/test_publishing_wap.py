"""Write-Audit-Publish: versions, unchanged reruns, corrections; a blocked gate leaves outbox."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from core.settings import Settings
from publishing import GateFailed, PersonalDataError, extract
from publishing.publish import publish_week
from publishing.safety import assert_no_personal_data
from tests.support import synthetic_warehouse as synthetic

pytestmark = pytest.mark.slow

WEEK, PREVIOUS = "2025-W35", "2025-W34"


def _weeks(**overrides: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    weeks = {
        PREVIOUS: synthetic.make_tables(PREVIOUS, seed=0),
        WEEK: synthetic.make_tables(WEEK, seed=1),
    }
    weeks.update(overrides)
    return weeks


@pytest.fixture
def warehouse(settings: Settings) -> Path:
    return synthetic.write_warehouse(settings.analyst_path, _weeks())


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


def test_first_publish_is_v1_and_rerun_is_unchanged(settings: Settings, warehouse: Path) -> None:
    first = publish_week(settings, WEEK)
    assert first["status"] == "published" and first["version"] == "v1"
    v1 = settings.outbox / WEEK / "v1"
    assert Path(first["path"]) == v1
    assert first["missing_provinces"] == [
        synthetic.NO_OBSTACLES_PROVINCE,
        synthetic.SILENT_PROVINCE,
    ]
    assert first["late_provinces"] == [synthetic.LATE_PROVINCE]
    before = snapshot(settings.outbox)
    assert not [p for p in settings.outbox.iterdir() if p.name.startswith(".tmp-")]

    again = publish_week(settings, WEEK)
    assert again["status"] == "unchanged" and again["version"] == "v1"
    assert again["content_digest"] == first["content_digest"]
    assert snapshot(settings.outbox) == before  # identical bytes, no v2, no temp folder left
    assert sorted(p.name for p in (settings.outbox / WEEK).iterdir()) == ["v1"]


def test_manifest_lists_files_counts_gate_and_completeness(
    settings: Settings, warehouse: Path
) -> None:
    publish_week(settings, WEEK)
    v1 = settings.outbox / WEEK / "v1"
    manifest = json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["week"] == WEEK and manifest["version"] == 1
    assert manifest["generated_at"] and manifest["code_version"]
    files = {p.name for p in v1.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for name, meta in manifest["files"].items():
        assert hashlib.sha256((v1 / name).read_bytes()).hexdigest() == meta["sha256"]
    assert {
        "bao_cao_tuan_2025-W35.xlsx",
        "province_weekly.csv",
        "province_weekly.parquet",
        "national_weekly.csv",
        "vacancies_by_field.parquet",
    } <= files
    assert manifest["row_counts"]["province_weekly"] == 34
    assert manifest["row_counts"]["national_weekly"] == 1
    quality = manifest["quality"]
    assert quality["success"] and quality["failed"] == []
    assert quality["results"][0]["name"] == "completeness.provinces_present"
    assert (settings.data_dir / quality["data_docs"]).exists()
    assert quality["data_docs"].startswith(f"reports/{WEEK}/")
    assert not quality["data_docs"].startswith("outbox")
    missing = {m["province_code"]: m["missing_kinds"] for m in manifest["missing_provinces"]}
    assert missing == {
        synthetic.NO_OBSTACLES_PROVINCE: ["obstacles"],
        synthetic.SILENT_PROVINCE: ["staffing", "secondments", "obstacles"],
    }
    assert manifest["late_provinces"][0]["late_kinds"] == ["obstacles"]
    assert manifest["changes"] is None


def test_correction_becomes_v2_with_changes(settings: Settings, warehouse: Path) -> None:
    publish_week(settings, WEEK)
    v1_before = snapshot(settings.outbox / WEEK / "v1")
    corrected = synthetic.correct_staffing(_weeks()[WEEK], "01", "cntt_chuyen_doi_so", -2)
    synthetic.write_warehouse(settings.analyst_path, _weeks(**{WEEK: corrected}))

    second = publish_week(settings, WEEK)
    assert second["status"] == "published" and second["version"] == "v2"
    assert snapshot(settings.outbox / WEEK / "v1") == v1_before  # never modified
    manifest = json.loads((settings.outbox / WEEK / "v2" / "manifest.json").read_text("utf-8"))
    changes = manifest["changes"]
    assert changes["previous_version"] == "v1"
    assert {"vacancies_by_field", "province_weekly", "national_weekly"} <= set(
        changes["tables_changed"]
    )
    vbf = changes["tables_changed"]["vacancies_by_field"]
    assert vbf["rows_added"] == 0 and vbf["rows_removed"] == 0 and vbf["rows_changed"] == 1
    cell = next(c for c in vbf["cells"] if c["column"] == "filled_posts")
    assert cell["province_code"] == "01" and cell["field_code"] == "cntt_chuyen_doi_so"
    assert cell["new"] == cell["old"] - 2
    assert "secondments_by_province" in changes["tables_unchanged"]
    assert publish_week(settings, WEEK)["status"] == "unchanged"


def test_planted_gate_failure_blocks_and_outbox_is_untouched(
    settings: Settings, warehouse: Path
) -> None:
    publish_week(settings, WEEK)
    before = snapshot(settings.outbox)
    bad = _weeks()[WEEK]
    pw = bad["province_weekly"]
    pw.loc[pw["province_code"] == "01", "vacancies"] = 9999
    synthetic.write_warehouse(settings.analyst_path, _weeks(**{WEEK: bad}))

    with pytest.raises(GateFailed) as raised:
        publish_week(settings, WEEK)
    assert "province_weekly.vacancies_le_approved_posts" in str(raised.value)
    assert snapshot(settings.outbox) == before

    report_dir = raised.value.report_dir
    assert report_dir.parent == settings.reports / WEEK
    report = json.loads((report_dir / "gate_report.json").read_text(encoding="utf-8"))
    assert report["status"] == "blocked" and report["gate"]["success"] is False
    failed = {r["name"]: r for r in report["gate"]["results"] if not r["success"]}
    rows = failed["province_weekly.vacancies_le_approved_posts"]["failing_rows"]
    assert rows == [
        {
            "approved_posts": rows[0]["approved_posts"],
            "province_code": "01",
            "vacancies": 9999,
            "week": WEEK,
        }
    ]
    md = (report_dir / "gate_report.md").read_text(encoding="utf-8")
    assert "## Failed checks" in md and "`province_weekly.vacancies_le_approved_posts`" in md
    assert "| 01 |" in md and "9999" in md
    assert (report_dir / "data_docs" / "index.html").exists()


def test_33_provinces_on_first_publish_leaves_no_outbox(settings: Settings) -> None:
    week = _weeks()[WEEK]
    pw = week["province_weekly"]
    week["province_weekly"] = pw[pw["province_code"] != "79"]
    synthetic.write_warehouse(settings.analyst_path, _weeks(**{WEEK: week}))
    with pytest.raises(GateFailed) as raised:
        publish_week(settings, WEEK)
    assert "completeness.provinces_present" in raised.value.failed_checks
    assert "province_weekly.rows_per_week" in raised.value.failed_checks
    assert not settings.outbox.exists()
    md = (raised.value.report_dir / "gate_report.md").read_text(encoding="utf-8")
    assert "| 79 |" in md and "missing" in md


def test_week_over_week_warning_is_in_manifest_and_report(
    settings: Settings, warehouse: Path
) -> None:
    previous = _weeks()[PREVIOUS]
    pw = previous["province_weekly"]
    pw.loc[pw["province_code"] == "01", "approved_posts"] = 100
    synthetic.write_warehouse(settings.analyst_path, _weeks(**{PREVIOUS: previous}))
    result = publish_week(settings, WEEK)
    name = "province_week_over_week.approved_posts_change_within_share"
    assert result["status"] == "published" and result["warnings"] == [name]
    manifest = json.loads(Path(result["manifest"]).read_text(encoding="utf-8"))
    assert manifest["quality"]["warnings"] == [name]
    assert manifest["quality"]["warnings_detail"][0]["failing_rows"][0]["province_code"] == "01"
    md = (settings.data_dir / manifest["quality"]["gate_report"]).read_text(encoding="utf-8")
    assert "## Warnings" in md and name in md


def test_personal_data_columns_are_refused(
    settings: Settings, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for column in ("full_name", "official_id", "Họ và tên", "ho_ten", "Mã cán bộ"):
        with pytest.raises(PersonalDataError):
            assert_no_personal_data({"t": pd.DataFrame({column: ["x"]})})
    assert_no_personal_data({"t": pd.DataFrame({"province_name": ["Hà Nội"]})})

    leaky = extract.QUERIES["secondments_by_province"].replace(
        "SELECT week,", "SELECT MIN(full_name) AS full_name, week,"
    )
    monkeypatch.setitem(extract.QUERIES, "secondments_by_province", leaky)
    with pytest.raises(PersonalDataError):
        publish_week(settings, WEEK)
    assert not settings.outbox.exists()
