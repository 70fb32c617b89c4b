"""process_province end to end: idempotency, versions, sources (memory://), failures."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import fsspec
import pyarrow.parquet as pq
import pytest

from core.reference import provinces
from ingestion.intake.sources import SourceError, province_source, province_sources
from ingestion.outcomes import ProvinceOutcome
from ingestion.province import process_province
from ingestion.stage import staging
from tests.support.forms import (
    PP,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    government_xlsx,
    obstacle_rows,
    staffing_rows,
)


def files_under(*roots: Path) -> set[Path]:
    """Files under ``roots``, leaving out the per-run outcome records (one per run, by design)."""
    return {
        p
        for root in roots
        if root.exists()
        for p in root.rglob("*")
        if p.is_file() and "outcomes" not in p.parts
    }


def test_same_bytes_twice_is_a_no_op(settings):
    drop(settings, PP, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(6)))
    first = process_province(settings, PP)
    assert first.files_landed == 1 and first.rows_accepted == 6
    before = files_under(settings.landing, settings.staged, settings.feedback)
    stamps = {p: p.stat().st_mtime_ns for p in before}

    second = process_province(settings, PP)
    assert second.files_landed == 0
    assert second.files_skipped == 1
    assert second.files[0].handling == "skipped"
    after = files_under(settings.landing, settings.staged, settings.feedback)
    assert after == before
    assert {p: p.stat().st_mtime_ns for p in after} == stamps
    assert len(list((settings.staged / "outcomes" / PP).glob("*.parquet"))) == 2
    for outcome in (first, second):  # what crosses XCom: JSON, read back to the same outcome
        assert ProvinceOutcome.from_json(json.loads(json.dumps(outcome.to_json()))) == outcome


def test_a_v2_is_a_new_version(settings):
    drop(settings, PP, "bien_che_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(6)))
    process_province(settings, PP)
    drop(settings, PP, "bien_che_2025-W35_v2.csv", csv_bytes(STAFFING_HEADER, staffing_rows(8)))
    outcome = process_province(settings, PP)
    assert [(f.file_name, f.handling) for f in outcome.files] == [
        ("bien_che_2025-W35.csv", "skipped"),
        ("bien_che_2025-W35_v2.csv", "landed"),
    ]
    registries = [
        pq.read_table(p).to_pylist()[0] for p in (settings.staged / "files" / PP).glob("*.parquet")
    ]
    versions = sorted((r["version"], r["rows_accepted"], r["kind"], r["week"]) for r in registries)
    assert versions == [(1, 6, "staffing", "2025-W35"), (2, 8, "staffing", "2025-W35")]


def test_registry_row_matches_the_contract(settings):
    received = datetime(2025, 9, 1, 4, 30, tzinfo=UTC)  # Monday 11:30 in Vietnam
    data = csv_bytes(STAFFING_HEADER, staffing_rows(4))
    drop(settings, PP, "staffing_2025-W35.csv", data, received=received)
    outcome = process_province(settings, PP)
    file_id, sha = outcome.files[0].file_id, outcome.files[0].file_sha256
    table = pq.read_table(staging.registry_path(settings, PP, file_id))
    assert table.schema.names == staging.REGISTRY_SCHEMA.names
    row = table.to_pylist()[0]
    assert row["file_sha256"] == hashlib.sha256(data).hexdigest()
    assert row["received_at"] == received
    assert row["bytes"] == len(data)
    assert row["week_start"].isoformat() == "2025-08-25"
    assert row["landing_path"] == f"landing/{PP}/2025-W35/{sha}/staffing_2025-W35.csv"
    assert (settings.data_dir / row["landing_path"]).read_bytes() == data
    assert (
        row["status"],
        row["rows_total"],
        row["rows_accepted"],
        row["rows_rejected"],
        row["file_reason_code"],
    ) == ("accepted", 4, 4, 0, None)
    rows = pq.read_table(staging.rows_path(settings, "staffing", PP, file_id))
    assert rows.schema == staging.ROW_SCHEMAS["staffing"]
    assert not staging.rejections_path(settings, PP, file_id).exists()  # none to stage


def test_one_unreadable_file_does_not_stop_the_good_ones(settings):
    drop(settings, PP, "bien_che_2025-W35.xlsx", b"PK\x03\x04\x14\x00 broken zip")
    drop(settings, PP, "biet_phai_2025-W35.xlsx", b"\x00\x01\x02garbage")
    drop(
        settings,
        PP,
        "staffing_2025-W36.csv",
        csv_bytes(STAFFING_HEADER, staffing_rows(5, report="2/9/2025")),
    )
    from tests.support.forms import OBSTACLE_HEADER

    form = government_xlsx(OBSTACLE_HEADER, obstacle_rows(7))
    drop(settings, PP, "vuong_mac_2025-W35.xlsx", form.data)
    outcome = process_province(settings, PP)
    by_name = {f.file_name: f for f in outcome.files}
    assert by_name["bien_che_2025-W35.xlsx"].file_reason_code == "unreadable_file"
    assert by_name["biet_phai_2025-W35.xlsx"].file_reason_code == "unreadable_file"
    assert by_name["staffing_2025-W36.csv"].status == "accepted"
    assert by_name["vuong_mac_2025-W35.xlsx"].rows_accepted == 7
    assert outcome.files_landed == 4 and outcome.files_rejected == 2
    assert outcome.rows_accepted == 12


REPORT_DAYS = {"2025-W35": "26/8/2025", "2025-W36": "2/9/2025", "2025-W37": "9/9/2025"}


@pytest.mark.parametrize(
    ("week_filter", "landed", "filtered"),
    [
        ("2025-W35", ["2025-W35"], ["2025-W36"]),
        ("2025-W35:2025-W36", ["2025-W35", "2025-W36"], ["2025-W37"]),
    ],
)
def test_a_week_filter_lands_the_weeks_it_names_and_every_invalid_name(
    settings, week_filter, landed, filtered
):
    for week in landed + filtered:
        rows = staffing_rows(3, report=REPORT_DAYS[week])
        drop(settings, PP, f"staffing_{week}.csv", csv_bytes(STAFFING_HEADER, rows))
    drop(settings, PP, "bao_cao_tuan.xlsx", b"anything")
    outcome = process_province(settings, PP, week=week_filter)
    assert {f.file_name: f.handling for f in outcome.files} == {
        **{f"staffing_{week}.csv": "landed" for week in landed},
        **{f"staffing_{week}.csv": "filtered" for week in filtered},
        "bao_cao_tuan.xlsx": "landed",
    }
    assert outcome.week_filter == week_filter and outcome.files_filtered == len(filtered)


def test_lock_and_hidden_files_are_ignored(settings):
    drop(settings, PP, "~$bien_che_2025-W35.xlsx", b"lock")
    drop(settings, PP, ".DS_Store", b"x")
    assert process_province(settings, PP).files_seen == 0


def test_a_province_without_a_folder_has_nothing_to_do(settings):
    outcome = process_province(settings, "04")
    assert outcome.files_seen == 0 and outcome.files == ()


def test_unknown_province_code(settings):
    with pytest.raises(ValueError, match="99"):
        process_province(settings, "99")


def write_sources(settings, text: str):
    path = settings.data_dir / "sources.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(settings, sources_file=path)


def test_default_sources_cover_all_34_provinces(settings):
    sources = province_sources(settings)
    assert list(sources) == list(provinces()) and len(sources) == 34
    assert sources["79"] == f"{settings.data_dir.as_posix()}/inbox/79"


def test_memory_source_end_to_end(settings):
    root = f"memory://moha-{uuid.uuid4().hex}"
    configured = write_sources(
        settings,
        f"""
default:
  url: "{settings.data_dir.as_posix()}/inbox/{{province_code}}"
provinces:
  "{PP}":
    url: "{root}/tinh/{{province_code}}/bao_cao"
    storage_options: {{}}
""",
    )
    assert province_source(configured, PP).url == f"{root}/tinh/{PP}/bao_cao"
    assert province_sources(configured)["79"].endswith("/inbox/79")
    fs = fsspec.filesystem("memory")
    form = government_xlsx(STAFFING_HEADER, staffing_rows(9))
    fs.pipe(f"{root}/tinh/{PP}/bao_cao/bien_che_2025-W35.xlsx", form.data)
    fs.pipe(f"{root}/tinh/{PP}/bao_cao/biet_phai_2025-W35.csv", b"")
    before = datetime.now(UTC)

    outcome = process_province(configured, PP)
    assert outcome.source_url == f"{root}/tinh/{PP}/bao_cao"
    by_name = {f.file_name: f for f in outcome.files}
    assert by_name["bien_che_2025-W35.xlsx"].rows_accepted == 9
    assert by_name["biet_phai_2025-W35.csv"].file_reason_code == "empty_file"
    sha = by_name["bien_che_2025-W35.xlsx"].file_id
    registry = pq.read_table(staging.registry_path(configured, PP, sha)).to_pylist()[0]
    assert abs((registry["received_at"] - before).total_seconds()) < 60  # memory fs `created`
    assert process_province(configured, PP).files_skipped == 2
    fs.rm(root, recursive=True)


def test_a_source_that_cannot_be_listed_raises_naming_province_and_url(settings):
    configured = write_sources(
        settings,
        """
provinces:
  "01":
    url: "nosuchprotocol://drop/01"
""",
    )
    with pytest.raises(SourceError, match=r"province 01.*nosuchprotocol://drop/01"):
        process_province(configured, PP)


def test_a_file_that_cannot_be_read_raises_after_the_others(settings, monkeypatch):
    from ingestion import province as module

    real = module.stream_file

    def flaky(source, file):
        if file.name.startswith("staffing"):
            raise SourceError(f"province {source.province_code}: cannot read {file.name}")
        return real(source, file)

    monkeypatch.setattr(module, "stream_file", flaky)
    drop(settings, PP, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(3)))
    drop(settings, PP, "vuong_mac_2025-W35.csv", b"")
    with pytest.raises(SourceError, match=r"staffing_2025-W35\.csv"):
        process_province(settings, PP)
    assert len(list((settings.staged / "files" / PP).glob("*.parquet"))) == 1


def test_a_crash_before_the_registry_row_reprocesses_the_file(settings, monkeypatch):
    from ingestion.stage import staging as staging_module

    real = staging_module.write_parquet

    def crash_on_registry(table, path):
        if "files" in path.parts:
            raise OSError("disk full")
        real(table, path)

    drop(settings, PP, "staffing_2025-W35.csv", csv_bytes(STAFFING_HEADER, staffing_rows(4)))
    monkeypatch.setattr(staging_module, "write_parquet", crash_on_registry)
    with pytest.raises(SourceError, match="disk full"):
        process_province(settings, PP)
    assert not (settings.staged / "files").exists()

    monkeypatch.setattr(staging_module, "write_parquet", real)
    again = process_province(settings, PP)
    assert again.files_landed == 1 and again.rows_accepted == 4
    assert len(list(settings.landing.rglob("staffing_2025-W35.csv"))) == 1
    assert not list(settings.landing.rglob("*.part"))


def test_the_same_bytes_under_another_name_are_another_delivery(settings):
    """An unchanged roster sent again for the next week must count for that week too."""
    data = csv_bytes(STAFFING_HEADER, staffing_rows(4))
    drop(settings, PP, "staffing_2025-W35.csv", data)
    drop(settings, PP, "staffing_2025-W35_v2.csv", data)
    outcome = process_province(settings, PP)
    assert outcome.files_landed == 2
    assert len({f.file_id for f in outcome.files}) == 2
    assert len({f.file_sha256 for f in outcome.files}) == 1
    again = process_province(settings, PP)
    assert again.files_landed == 0 and again.files_skipped == 2
