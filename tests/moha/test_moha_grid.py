"""What the ingest run shows in the grid: province labels and the rejected-files message."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from core.reference import provinces
from ingestion.outcomes import (
    FileHandling,
    FileOutcome,
    FileStatus,
    ProvinceOutcome,
    ProvinceWarning,
    TaskStatus,
    WarningCode,
)
from moha.grid import province_label, rejected_files_message

AT = datetime(2025, 9, 1, 3, tzinfo=UTC)


def outcome(code: str, name: str, *files: tuple[str, str, str | None, int]) -> ProvinceOutcome:
    """A province task's outcome: the landed ``files`` (name, status, reason, rows rejected) and
    one skipped file."""
    landed = tuple(
        FileOutcome(
            f, FileHandling.LANDED, status=FileStatus(s), file_reason_code=r, rows_rejected=rows
        )
        for f, s, r, rows in files
    )
    skipped = FileOutcome("old.csv", FileHandling.SKIPPED)
    return ProvinceOutcome(
        province_code=code,
        province_name=name,
        run_id="run",
        source_url=f"file:///inbox/{code}",
        week_filter=None,
        started_at=AT,
        finished_at=AT,
        status=TaskStatus.SUCCEEDED,
        error=None,
        files=(*landed, skipped),
    )


def test_nothing_rejected_whole_gives_no_message():
    quiet = outcome("01", "Thành phố Hà Nội", ("a.csv", "partly_accepted", None, 3))
    assert rejected_files_message([quiet, None]) is None
    assert province_label(provinces()["01"], quiet) == "01 Hà Nội · 3 dòng bị từ chối"
    clean = outcome("79", "Thành phố Hồ Chí Minh", ("a.csv", "accepted", None, 0))
    assert province_label(provinces()["79"], clean) == "79 Hồ Chí Minh"
    assert province_label(provinces()["79"]) == "79 Hồ Chí Minh"  # before the task ran


def test_each_rejected_file_is_named_with_its_reason():
    bad = outcome(
        "15",
        "Lào Cai",
        ("bien_che_2025-W36.xlsx", "rejected", "unreadable_file", 5),
        ("x.xlsx", "rejected", "invalid_file_name", 0),
        ("biet_phai_2025-W36.csv", "partly_accepted", None, 2),
    )
    other = outcome("68", "Lâm Đồng", ("a.csv", "rejected", "wrong_province_file", 0))
    message = rejected_files_message([bad, None, other])
    assert message.startswith("3 file(s) rejected whole")
    assert "15 Lào Cai: bien_che_2025-W36.xlsx (unreadable_file)" in message
    assert "15 Lào Cai: x.xlsx (invalid_file_name)" in message
    assert "68 Lâm Đồng: a.csv (wrong_province_file)" in message
    assert "7 row(s) rejected" in message
    assert province_label(provinces()["15"], bad) == "15 Lào Cai · 2 tệp, 7 dòng bị từ chối"


def test_answers_not_delivered_stand_out_in_the_label():
    bad = outcome("79", "Thành phố Hồ Chí Minh", ("a.csv", "rejected", "empty_file", 0))
    warned = dataclasses.replace(
        bad, warnings=(ProvinceWarning(WarningCode.FEEDBACK_NOT_DELIVERED, "sftp: denied"),)
    )
    assert (
        province_label(provinces()["79"], warned)
        == "79 Hồ Chí Minh · 1 tệp bị từ chối · chưa gửi được phản hồi"
    )
