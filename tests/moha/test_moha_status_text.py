"""How `moha status` words a finding (pure formatting of mart rows)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from moha.status import (
    ProvinceStatus,
    file_in_effect,
    finding_text,
    kind_status,
    to_json,
    why_lines,
)


def finding(kind: str | None, name: str, **values) -> dict:
    base = {
        "province_code": "15",
        "finding_order": 0,
        "finding": name,
        "kind": kind,
        "kind_label_vi": None,
        "kind_order": None,
        "file_name": None,
        "reason_code": None,
        "reason_label_vi": None,
        "files": 0,
        "rows_rejected": None,
        "occurred_at": None,
        "deadline_at": None,
        "suggested_name": None,
        "detail_vi": "",
    }
    return {**base, **values}


def test_unsent_kinds_share_a_line_and_rejected_files_keep_theirs():
    findings = [
        finding("staffing", "kind_missing", files=1),
        finding("secondments", "kind_missing"),
        finding("obstacles", "kind_missing"),
        finding(
            "staffing",
            "file_rejected",
            file_name="bien_che_2025-W36.xlsx",
            reason_code="unreadable_file",
            reason_label_vi="Không đọc được tệp",
            detail_vi="Không đọc được tệp bien_che_2025-W36.xlsx.",
        ),
        finding(None, "invalid_file_name", file_name="x.xlsx", reason_code="invalid_file_name"),
    ]
    assert why_lines(findings) == [
        "missing: secondments, obstacles",
        "missing: staffing (1 file(s) rejected)",
        "rejected: bien_che_2025-W36.xlsx unreadable_file (Không đọc được tệp)",
        "invalid_file_name: x.xlsx (kind or week unreadable)",
    ]
    assert finding_text(findings[3], full=True).endswith(
        ": Không đọc được tệp bien_che_2025-W36.xlsx."
    )


def test_late_kinds_read_in_vietnam_time_and_json_in_utc():
    vn = timezone(timedelta(hours=7))
    late = finding(
        "obstacles",
        "kind_late",
        file_name="vuong_mac_2025-W36.csv",
        occurred_at=datetime(2025, 9, 9, 18, 53, tzinfo=vn),
        deadline_at=datetime(2025, 9, 8, 5, 0, tzinfo=UTC),
    )
    assert finding_text(late) == (
        "late: obstacles vuong_mac_2025-W36.csv received 09/09/2025 18:53, "
        "deadline 08/09/2025 12:00"
    )
    (item,) = to_json([ProvinceStatus({"province_code": "15", "findings": 1}, [late])])
    assert item["findings"] == 1 and item["why"][0]["occurred_at"] == "2025-09-09T11:53:00+00:00"
    json.dumps(item)


def kind_row(kind: str, **values) -> dict:
    base = {
        "kind": kind,
        "status": "on_time",
        "status_label_vi": "Đúng hạn",
        "file_name": f"{kind}_2025-W36.xlsx",
        "version": 1,
        "is_nil_return": False,
        "sheet_name": None,
        "rows_skipped": None,
    }
    return {**base, **values}


def test_a_nil_return_says_nothing_to_report_and_the_file_its_sheet_and_skipped_rows():
    nothing = kind_row("secondments", is_nil_return=True)
    assert kind_status(nothing) == "on_time (Đúng hạn): không có biệt phái trong tuần"
    assert kind_status(kind_row("staffing")) == "on_time (Đúng hạn)"
    form = kind_row("staffing", sheet_name="Tuần 36", rows_skipped=4)
    assert file_in_effect(form) == (
        "staffing_2025-W36.xlsx (v1)\nsheet «Tuần 36»\n4 group/subtotal rows skipped"
    )
    assert file_in_effect(kind_row("obstacles", file_name=None)) == "-"
