"""What the ingest run shows in the grid: province labels and the rejected-files message."""

from __future__ import annotations

from moha.grid import province_label, rejected_files_message


def outcome(code: str, name: str, *files: tuple[str, str, str | None], rows: int = 0) -> dict:
    return {
        "province_code": code,
        "province_name": name,
        "rows_rejected": rows,
        "files": [
            {"file_name": f, "status": "landed", "file_status": s, "file_reason_code": r}
            for f, s, r in files
        ]
        + [{"file_name": "old.csv", "status": "skipped"}],
    }


def test_nothing_rejected_whole_gives_no_message():
    quiet = outcome("01", "Thành phố Hà Nội", ("a.csv", "partly_accepted", None), rows=3)
    assert rejected_files_message([quiet, None]) is None
    assert province_label("Thành phố Hà Nội", quiet) == "Thành phố Hà Nội"


def test_each_rejected_file_is_named_with_its_reason():
    bad = outcome(
        "15",
        "Lào Cai",
        ("bien_che_2025-W36.xlsx", "rejected", "unreadable_file"),
        ("x.xlsx", "rejected", "invalid_file_name"),
        ("biet_phai_2025-W36.csv", "accepted", None),
        rows=7,
    )
    other = outcome("68", "Lâm Đồng", ("a.csv", "rejected", "wrong_province_file"))
    message = rejected_files_message([bad, None, other])
    assert message.startswith("3 file(s) rejected whole")
    assert "15 Lào Cai: bien_che_2025-W36.xlsx (unreadable_file)" in message
    assert "15 Lào Cai: x.xlsx (invalid_file_name)" in message
    assert "68 Lâm Đồng: a.csv (wrong_province_file)" in message
    assert "7 row(s) rejected" in message
    assert province_label("Lào Cai", bad) == "Lào Cai (2 rejected)"
