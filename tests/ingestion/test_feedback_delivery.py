"""Feedback goes back to the sender: into ``phan_hoi/`` of the province's own drop, on a local
folder, an SFTP server (asyncssh) and an S3 bucket (moto), both on 127.0.0.1 in this process.
Nothing under ``phan_hoi/`` is read back as input; a drop that refuses writes is a warning of the
run (delivered by the next run), never a failed ingest."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingestion.feedback.delivery import FOLDER
from ingestion.outcomes import TaskStatus, WarningCode
from ingestion.province import process_province
from ingestion.stage import staging
from tests.support.forms import STAFFING_HEADER, csv_bytes, drop, staffing_rows
from tests.support.remote import S3Server, SftpServer

WEEK = "2025-W35"
BUCKET, PREFIX = "hanoi-noivu", "moha/outgoing"
SFTP_PP, S3_PP, LOCAL_PP = "79", "01", "48"


def _feedback(settings, province: str) -> dict[str, bytes]:
    """What the ministry's server holds for the province: relative path → bytes."""
    root = settings.feedback / province
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _landed(settings, province: str) -> set[str]:
    """Names of the files the registry holds for the province."""
    return {
        pq.read_table(p).column("file_name")[0].as_py()
        for p in (settings.staged / "files" / province).glob("*.parquet")
    }


def _staffing(province: str, rows: int = 4) -> bytes:
    return csv_bytes(STAFFING_HEADER, staffing_rows(rows, province))


def test_local_drop_gets_its_answers_and_never_reads_them_back(settings):
    drop(settings, LOCAL_PP, f"staffing_{WEEK}.csv", _staffing(LOCAL_PP))
    # a clerk (or a careless copy) leaves a valid-named form inside phan_hoi/: not input
    for planted in (f"{FOLDER}/staffing_2025-W36.csv", f"{FOLDER}/{WEEK}/staffing_2025-W36.csv"):
        drop(settings, LOCAL_PP, planted, _staffing(LOCAL_PP))
    killed = drop(settings, LOCAL_PP, f"{FOLDER}/{WEEK}/.tong_hop_tuan_{WEEK}.xlsx.0f.tmp", b"x")

    first = process_province(settings, LOCAL_PP)
    assert first.files_seen == 1 and first.files_landed == 1 and not first.warnings
    answers = settings.inbox / LOCAL_PP / FOLDER / WEEK
    expected = _feedback(settings, LOCAL_PP)
    assert {f"{WEEK}/staffing_{WEEK}.csv.phan_hoi.xlsx", f"{WEEK}/tong_hop_tuan_{WEEK}.csv"} <= set(
        expected
    )
    for relative, data in expected.items():
        assert (answers.parent / relative).read_bytes() == data, relative
    assert not killed.exists()  # a killed delivery's leftover is swept
    assert not [p for p in answers.rglob("*") if p.name.endswith(".tmp")]

    stamps = {p: p.stat().st_mtime_ns for p in answers.rglob("*")}
    second = process_province(settings, LOCAL_PP)
    assert second.files_seen == 1 and second.files_landed == 0
    assert {p: p.stat().st_mtime_ns for p in answers.rglob("*")} == stamps  # nothing re-sent
    assert _landed(settings, LOCAL_PP) == {f"staffing_{WEEK}.csv"}


@pytest.fixture
def remote_drops(tmp_path: Path, settings, monkeypatch):
    root = tmp_path / "sftp_root"
    (root / "tphcm").mkdir(parents=True)
    sftp = SftpServer(root).start()
    s3 = S3Server().start()
    s3.client().create_bucket(Bucket=BUCKET)
    sources = tmp_path / "sources.yml"
    sources.write_text(
        f"""
provinces:
  "{SFTP_PP}":
    url: "sftp://127.0.0.1:{sftp.port}/tphcm"
    storage_options:
      username: {sftp.username}
      password: "${{MOHA_TEST_SFTP_PASSWORD}}"
      known_hosts: "{sftp.known_hosts}"
      connect_timeout: 5
  "{S3_PP}":
    url: "s3://{BUCKET}/{PREFIX}"
    storage_options:
      key: "${{MOHA_TEST_S3_KEY}}"
      secret: "${{MOHA_TEST_S3_SECRET}}"
      endpoint_url: "{s3.endpoint}"
      client_kwargs: {{region_name: {s3.region}}}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("MOHA_SOURCES_FILE", str(sources))
    monkeypatch.setenv("MOHA_TEST_SFTP_PASSWORD", sftp.password)
    monkeypatch.setenv("MOHA_TEST_S3_KEY", s3.access_key)
    monkeypatch.setenv("MOHA_TEST_S3_SECRET", s3.secret_key)
    try:
        yield sftp, s3
    finally:
        sftp.shutdown()
        s3.stop()


@pytest.mark.slow
@pytest.mark.sources
def test_sftp_and_s3_drops_get_their_answers(settings, remote_drops):
    from core.settings import load_settings

    settings = load_settings()  # with MOHA_SOURCES_FILE
    sftp, s3 = remote_drops
    (sftp.root / "tphcm" / f"staffing_{WEEK}.csv").write_bytes(_staffing(SFTP_PP))
    client = s3.client()
    client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/staffing_{WEEK}.csv", Body=_staffing(S3_PP))
    # planted in the bucket's phan_hoi/: never landed
    client.put_object(
        Bucket=BUCKET, Key=f"{PREFIX}/{FOLDER}/staffing_2025-W36.csv", Body=_staffing(S3_PP)
    )

    for province in (SFTP_PP, S3_PP):
        outcome = process_province(settings, province)
        assert outcome.files_seen == 1 and outcome.files_landed == 1, province
        assert not outcome.warnings, outcome.warnings

    on_sftp = sftp.root / "tphcm" / FOLDER
    expected = _feedback(settings, SFTP_PP)
    assert f"{WEEK}/tong_hop_tuan_{WEEK}.xlsx" in expected
    assert {
        p.relative_to(on_sftp).as_posix(): p.read_bytes() for p in on_sftp.rglob("*") if p.is_file()
    } == expected

    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{FOLDER}/{WEEK}/")
    in_bucket = {
        o["Key"].removeprefix(f"{PREFIX}/{FOLDER}/"): client.get_object(
            Bucket=BUCKET, Key=o["Key"]
        )["Body"].read()
        for o in listed["Contents"]
    }
    assert in_bucket == _feedback(settings, S3_PP)
    assert _landed(settings, S3_PP) == {f"staffing_{WEEK}.csv"}

    # the SFTP server stops accepting writes: the new file still lands, its answer waits
    sftp.read_only = True
    (sftp.root / "tphcm" / f"staffing_{WEEK}_v2.csv").write_bytes(_staffing(SFTP_PP, 6))
    refused = process_province(settings, SFTP_PP)
    assert refused.status == TaskStatus.SUCCEEDED and refused.files_landed == 1
    assert [w.code for w in refused.warnings] == [WarningCode.FEEDBACK_NOT_DELIVERED]
    assert "phan_hoi" in refused.warnings[0].message
    assert sftp.password not in refused.warnings[0].message
    key = staging.outcome_id(refused.run_id, SFTP_PP)
    staged = pq.read_table(staging.outcome_path(settings, SFTP_PP, key)).to_pylist()[0]
    assert staged["warnings"].startswith("feedback_not_delivered: ")  # for the warehouse too
    assert not (on_sftp / WEEK / f"staffing_{WEEK}_v2.csv.phan_hoi.xlsx").exists()

    sftp.read_only = False
    retried = process_province(settings, SFTP_PP)
    assert retried.files_landed == 0 and not retried.warnings
    assert (on_sftp / WEEK / f"staffing_{WEEK}_v2.csv.phan_hoi.xlsx").read_bytes() == (
        settings.feedback / SFTP_PP / WEEK / f"staffing_{WEEK}_v2.csv.phan_hoi.xlsx"
    ).read_bytes()
    assert not [p for p in on_sftp.rglob("*") if p.name.endswith(".tmp")]
