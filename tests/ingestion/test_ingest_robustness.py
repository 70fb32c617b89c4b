"""No exception escapes a file; the source and the disk fail a province's task in one line."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.locks import FileLock, LockBusy
from ingestion.intake.filenames import safe_name
from ingestion.intake.sources import SourceError
from ingestion.province import process_province
from ingestion.stage import staging
from moha.runlock import RunRefused, hold_run_lock
from tests.support.forms import PP, STAFFING_HEADER, csv_bytes, drop, staffing_rows


def registry_rows(settings) -> dict[str, dict]:
    return {
        row["file_name"]: row
        for path in (settings.staged / "files" / PP).glob("*.parquet")
        for row in pq.read_table(path).to_pylist()
    }


def good(settings, name: str, n: int = 4, report: str = "29/8/2025") -> None:
    drop(settings, PP, name, csv_bytes(STAFFING_HEADER, staffing_rows(n, report=report)))


def test_a_staging_failure_rejects_that_file_and_the_task_goes_on(settings, monkeypatch):
    real = staging._records_table

    def broken(records, lineage, schema):
        if len(records) == 5:
            raise pa.ArrowInvalid("Integer value 3000000000 not in range")
        return real(records, lineage, schema)

    monkeypatch.setattr(staging, "_records_table", broken)
    good(settings, "bien_che_2025-W35.csv", 5)
    good(settings, "bien_che_2025-W36.csv", 3, report="2/9/2025")
    outcome = process_province(settings, PP)
    assert outcome.files_failed == 0
    rows = registry_rows(settings)
    broken_file = rows["bien_che_2025-W35.csv"]
    assert (broken_file["status"], broken_file["file_reason_code"]) == (
        "rejected",
        "unreadable_file",
    )
    assert broken_file["rows_accepted"] == 0
    rejection = pq.read_table(
        staging.rejections_path(settings, PP, broken_file["file_id"])
    ).to_pylist()
    assert "staging failed: ArrowInvalid" in rejection[0]["message_en"]
    assert not pq.read_table(staging.rows_path(settings, "staffing", PP, broken_file["file_id"]))
    feedback = settings.feedback / PP / "2025-W35" / "bien_che_2025-W35.csv.phan_hoi.csv"
    assert "Chấp nhận" not in feedback.read_text(encoding="utf-8-sig").split("Lý do")[0]
    assert rows["bien_che_2025-W36.csv"]["status"] == "accepted"


def test_a_feedback_failure_rejects_that_file(settings, monkeypatch):
    from ingestion import province

    calls = []

    def flaky(settings_, registry, records, rejections, sender_columns=None):
        calls.append(registry.status)
        if len(calls) == 1:
            raise ValueError("a cell the workbook writer refuses")

    monkeypatch.setattr(province, "write_feedback", flaky)
    good(settings, "bien_che_2025-W35.csv")
    outcome = process_province(settings, PP)
    assert outcome.files_failed == 0 and outcome.files_rejected == 1
    assert calls == ["accepted", "rejected"]  # answered again, as rejected
    assert registry_rows(settings)["bien_che_2025-W35.csv"]["rows_accepted"] == 0


def test_a_full_disk_fails_the_task_in_one_line_and_a_rerun_recovers(settings, monkeypatch):
    real = staging.write_parquet

    def full(table, path):  # the disk is full for everything, the outcome record included
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(staging, "write_parquet", full)
    good(settings, "bien_che_2025-W35.csv")
    with pytest.raises(SourceError) as raised:
        process_province(settings, PP)
    message = str(raised.value)
    assert "\n" not in message
    assert "cannot write" in message and "No space left on device" in message
    assert "staged/rows/staffing/01" in message

    monkeypatch.setattr(staging, "write_parquet", real)
    assert process_province(settings, PP).rows_accepted == 4


def test_a_symlink_loop_or_dangling_link_fails_the_province(settings):
    settings.inbox.mkdir(parents=True)
    loop = settings.inbox / PP
    os.symlink(settings.inbox / "elsewhere", settings.inbox / "elsewhere")  # loops on itself
    os.symlink(settings.inbox / "elsewhere", loop)
    with pytest.raises(SourceError, match=r"(?i)symbolic links"):
        process_province(settings, PP)
    loop.unlink()
    os.symlink(settings.inbox / "nowhere", loop)
    with pytest.raises(SourceError, match="link to nothing"):
        process_province(settings, PP)


def test_a_long_name_lands_under_a_hash_and_keeps_its_name_in_the_registry(settings):
    name = "bien_che_2025-W35_" + "x" * 227 + ".csv"
    drop(settings, PP, name, b"Ma xa\n1\n")
    outcome = process_province(settings, PP)
    assert outcome.files_failed == 0
    row = registry_rows(settings)[name]
    assert row["file_reason_code"] == "invalid_file_name"
    assert (
        row["landing_path"].endswith(safe_name(name)) and len(Path(row["landing_path"]).name) < 60
    )


def test_what_a_killed_run_left_is_swept_at_the_next_start(settings):
    leftovers = [
        settings.landing / PP / ".incoming" / "0123.part",
        settings.staged / "rows" / "staffing" / PP / ".abc.parquet.0123.tmp",
        settings.staged / "files" / PP / ".abc.parquet.4567.tmp",
        settings.feedback / PP / "2025-W35" / ".bien_che_2025-W35.phan_hoi.xlsx.89ab.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    good(settings, "bien_che_2025-W35.csv")
    process_province(settings, PP)
    assert [p for p in leftovers if p.exists()] == []


def test_a_held_lock_is_named_and_released_when_its_holder_dies(tmp_path):
    path = tmp_path / "x.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from core.locks import FileLock; "
            f"lock = FileLock(Path({str(path)!r})).acquire(); print('held', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy, match=f"pid {holder.pid}"):
            FileLock(path).acquire(wait_seconds=0.2)
    finally:
        holder.kill()
        holder.wait()
    with FileLock(path):
        pass


def test_a_second_moha_run_on_one_data_directory_is_refused_in_one_line(settings):
    held = hold_run_lock(settings)
    try:
        child = subprocess.run(
            [sys.executable, "-m", "moha.cli", "run", "--week", "2025-W35"],
            capture_output=True,
            text=True,
            env={**os.environ, "MOHA_DATA_DIR": str(settings.data_dir), "COLUMNS": "300"},
            timeout=120,
        )
    finally:
        held.release()
    assert child.returncode == 1
    lines = [line for line in child.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, child.stdout
    assert "another `moha run` is using" in lines[0] and f"pid {os.getpid()}" in lines[0]


def test_a_folder_that_cannot_be_written_is_named_before_the_run(settings):
    settings.data_dir.mkdir(parents=True)
    settings.outbox.write_text("a file where the outbox folder should be")
    with pytest.raises(RunRefused) as refused:
        hold_run_lock(settings)
    assert str(refused.value).startswith(f"cannot write {settings.outbox}")
    assert "\n" not in str(refused.value)
    hold_run_lock(settings.__class__(data_dir=settings.data_dir / "other")).release()


def test_an_error_parsing_a_file_rejects_it_but_a_parser_that_cannot_start_fails_the_task(
    settings, monkeypatch
):
    from ingestion import province
    from ingestion.parsing.isolation import ParserUnavailable

    def broken(requests, limits):
        if requests:
            raise ValueError("a bug met by this file")
        yield from ()

    monkeypatch.setattr(province, "parse_many", broken)
    good(settings, "bien_che_2025-W35.csv")
    outcome = process_province(settings, PP)
    assert outcome.files_failed == 0 and outcome.files_rejected == 1
    row = registry_rows(settings)["bien_che_2025-W35.csv"]
    assert (row["status"], row["file_reason_code"]) == ("rejected", "unreadable_file")

    def unavailable(requests, limits):
        raise ParserUnavailable("cannot start the parsing child: [Errno 11] Resource unavailable")
        yield

    monkeypatch.setattr(province, "parse_many", unavailable)
    good(settings, "bien_che_2025-W36.csv", report="2/9/2025")
    with pytest.raises(SourceError, match="Resource unavailable"):
        process_province(settings, PP)
    assert "bien_che_2025-W36.csv" not in registry_rows(settings)
