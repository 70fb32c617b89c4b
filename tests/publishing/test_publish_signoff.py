"""The ministry's sign-off under the real scheduler (the session's ``airflow standalone``): the
publish waits for a person after the gate; an approval through the REST API publishes, with who,
when and the comment in the manifest; a rejection publishes nothing and records its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import Settings
from moha.signoff import approval_body, approval_mode
from publishing.publish import Approval, Audited, Draft, PublishStatus, publish_week
from tests.publishing.conftest import warehouse_copy

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DAG = "publish_weekly_aggregate"


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_a_person_approves_then_rejects_through_the_rest_api(
    world: Settings, scheduler, tmp_path: Path
) -> None:
    settings = warehouse_copy(world, tmp_path)
    scheduler.use(settings.data_dir)

    approved = scheduler.trigger(DAG, {"week": "2025-W36", "approval": "required"})
    [request] = scheduler.wait_for_approval(DAG, approved)
    assert request["task_instance"]["task_id"] == "approve"
    assert "2025-W36" in request["subject"] and "v1" in request["subject"]
    assert "bản công bố đầu tiên" in request["body"]  # nothing published before: no changes
    page_one = next(line for line in request["body"].splitlines() if "Trang 1" in line)
    assert Path(page_one.split("[")[1].split("]")[0]).is_file()
    assert not (settings.outbox / "2025-W36").exists()  # waiting: nothing published yet
    scheduler.respond(DAG, approved, "approve", "Approve", {"comment": "Đồng ý công bố"})
    assert scheduler.wait(DAG, approved) == "success"
    manifest = _manifest(settings.outbox / "2025-W36" / "v1")
    approval = manifest["approval"]
    assert approval["mode"] == "required" and approval["approved"] is True
    assert approval["approver"] and approval["comment"] == "Đồng ý công bố"
    assert approval["at"].startswith(manifest["generated_at"][:10])
    log = scheduler.task_log(DAG, approved, "publish")
    assert "published 2025-W36 as v1 in " in log and " checks, " in log
    assert f"approval: required by {approval['approver']}" in log

    rejected = scheduler.trigger(DAG, {"week": "2025-W37", "approval": "required"})
    scheduler.wait_for_approval(DAG, rejected)
    scheduler.respond(DAG, rejected, "approve", "Reject", {"comment": "Tỉnh 79 gửi lại số liệu"})
    assert scheduler.wait(DAG, rejected) == "success"
    states = scheduler.task_states(DAG, rejected)
    assert states[("approve", -1)] == "success" and states[("publish", -1)] == "skipped"
    assert not (settings.outbox / "2025-W37").exists()
    [record] = (settings.reports / "2025-W37").glob("*/rejection.json")
    refusal = json.loads(record.read_text(encoding="utf-8"))
    assert refusal["approved"] is False and refusal["comment"] == "Tỉnh 79 gửi lại số liệu"
    assert not list((settings.reports / "2025-W37").glob("*/.tmp-draft"))  # the draft is gone


def test_auto_approval_is_stated_in_the_manifest(world: Settings, tmp_path: Path) -> None:
    published = publish_week(warehouse_copy(world, tmp_path), "2025-W35")
    approval = _manifest(Path(published.path))["approval"]
    assert approval["mode"] == "auto" and approval["approved"] is True
    assert approval["approver"] is None and "MOHA_PUBLISH_APPROVAL=auto" in approval["comment"]


def test_a_run_may_ask_for_a_person_but_never_skip_one():
    assert approval_mode("auto", None) == "auto"
    assert approval_mode("auto", "") == "auto"
    assert approval_mode("auto", "required") == "required"
    assert approval_mode("required", "") == "required"
    assert approval_mode("required", "auto") == "required"


def test_the_approver_reads_the_gate_the_changes_and_where_page_one_is():
    draft = Draft("2025-W36", "stamp", "/data/reports/2025-W36/stamp")
    audited = Audited(
        draft=draft,
        status=PublishStatus.PUBLISHED,
        version="v2",
        content_digest="d",
        gate={"checks": 40, "passed": 39, "failed": [], "warnings": ["national_wow"]},
        warnings=("national_wow",),
        missing_provinces=("04",),
        late_provinces=(),
        changes={
            "previous_version": "v1",
            "tables_changed": {
                "province_weekly": {
                    "rows_added": 0,
                    "rows_removed": 0,
                    "cells_changed": 3,
                    "rows_changed": 1,
                }
            },
            "tables_unchanged": [],
        },
        page_one="/data/reports/2025-W36/stamp/.tmp-draft/package/bao_cao_tuan_2025-W36.html",
        gate_report="/data/reports/2025-W36/stamp/gate_report.html",
    )
    body = approval_body(audited)
    assert "**v2**" in body and "Kiểm tra: 40 (đạt 39, cảnh báo 1)" in body
    assert "`national_wow`" in body and "Tỉnh chưa nộp đủ: 04 Cao Bằng; nộp muộn: không có" in body
    assert "so với v1" in body and "`province_weekly`: +0 / −0 dòng, 3 ô đổi ở 1 dòng" in body
    assert f"({'file://' + audited.page_one})" in body
    assert Audited.from_json(audited.to_json()) == audited
    approval = Approval("required", False, "ministry", "2025-09-08T12:00:00+07:00", "lý do")
    assert Approval.from_json(approval.to_json()) == approval
