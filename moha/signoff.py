"""The ministry's sign-off between the quality gate and the outbox (Airflow's human-in-the-loop
``ApprovalOperator``): what the approver reads, and the approval the manifest records.

``MOHA_PUBLISH_APPROVAL=auto`` approves without a person (the manifest says so); ``required``
makes the task wait, holding no worker slot, until someone answers in the UI ("Required actions")
or through the REST API. A run can ask for a person even where the deployment approves by itself
(its ``approval`` param set to ``required``); it can never skip one the deployment requires.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from airflow.providers.standard.operators.hitl import ApprovalOperator
from airflow.sdk import Param
from airflow.sdk.definitions.param import ParamsDict

from core.reference import provinces
from core.settings import load_settings
from core.weeks import VN_TZ

if TYPE_CHECKING:  # publishing imports pandas: DAG files import this module at parse time
    from publishing.publish import Approval, Audited

log = logging.getLogger(__name__)

MAX_CHANGED_TABLES = 12


def approval_mode(configured: str, requested: str | None) -> str:
    """``required`` when the deployment or the run asks for a person, else ``auto``."""
    return "required" if "required" in (configured, requested) else "auto"


def approval_body(audited: Audited, page_one_url: str | None = None) -> str:
    """What the approver reads (Markdown): the gate's counts and warnings, the provinces missing
    or late, what changed against the latest published version, and where page 1 is."""
    gate = audited.gate
    lines = [
        f"**Tuần {audited.draft.week}** — gói số liệu đã qua kiểm tra chất lượng, chờ phê duyệt "
        f"để công bố thành **{audited.version}**.",
        "",
        f"- Kiểm tra: {gate['checks']} (đạt {gate['passed']}, cảnh báo {len(gate['warnings'])})",
    ]
    lines += [f"  - cảnh báo: `{name}`" for name in audited.warnings]
    lines.append(
        f"- Tỉnh chưa nộp đủ: {_names(audited.missing_provinces)}; "
        f"nộp muộn: {_names(audited.late_provinces)}"
    )
    changes = audited.changes
    if changes is None:
        lines.append("- Thay đổi: bản công bố đầu tiên của tuần này")
    elif not changes["tables_changed"]:
        lines.append(f"- Thay đổi so với {changes['previous_version']}: không có")
    else:
        lines.append(f"- Thay đổi so với {changes['previous_version']}:")
        for name, diff in list(changes["tables_changed"].items())[:MAX_CHANGED_TABLES]:
            lines.append(f"  - `{name}`: {_diff_text(diff)}")
    lines += [
        f"- Trang 1: [{audited.page_one}]({page_one_url or 'file://' + audited.page_one})",
        f"- Báo cáo kiểm tra: {audited.gate_report}",
        "",
        "Từ chối: ghi lý do vào ô *comment*; không có gì được công bố.",
    ]
    return "\n".join(lines)


def _names(codes: tuple[str, ...]) -> str:
    known = provinces()
    return ", ".join(f"{c} {known[c].short_name}" if c in known else c for c in codes) or "không có"


def _diff_text(diff: dict[str, Any]) -> str:
    if diff.get("table_added"):
        return f"bảng mới, {diff['rows_added']} dòng"
    return (
        f"+{diff['rows_added']} / −{diff['rows_removed']} dòng, "
        f"{diff['cells_changed']} ô đổi ở {diff['rows_changed']} dòng"
    )


def answered(event: dict[str, Any]) -> Approval:
    """The approval a person's answer (the HITL response) records."""
    from publishing.publish import Approval

    user = event.get("responded_by_user") or {}
    at = event["responded_at"]
    at = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return Approval(
        mode="required",
        approved=event["chosen_options"] == [ApprovalOperator.APPROVE],
        approver=user.get("name") or user.get("id"),
        at=at.astimezone(VN_TZ).isoformat(timespec="seconds"),
        comment=(event.get("params_input") or {}).get("comment") or None,
    )


class SignOff(ApprovalOperator):
    """Approve or reject the package ``audit_task_id`` audited; returns the :class:`Approval`
    (as JSON) the publish step records. A rejection removes the draft and records its reason."""

    def __init__(self, *, audit_task_id: str, params: dict | None = None, **kwargs) -> None:
        approvers = load_settings().publish_approvers
        # the answer's one field (the DAG's own params reach every task too: Airflow keeps only
        # the task's for the form)
        form = ParamsDict(params or {})
        form["comment"] = Param(
            None,
            type=["null", "string"],
            description="Nhận xét (không bắt buộc); khi từ chối: lý do.",
            source="task",
        )
        super().__init__(
            subject="Phê duyệt công bố báo cáo tuần",
            params=form,
            assigned_users=[{"id": user, "name": user} for user in approvers] or None,
            **kwargs,
        )
        self.audit_task_id = audit_task_id

    def _audited(self, context) -> Audited:
        from publishing.publish import Audited

        return Audited.from_json(context["ti"].xcom_pull(task_ids=self.audit_task_id))

    def execute(self, context):
        audited = self._audited(context)
        requested = (context["params"] or {}).get("approval")
        if approval_mode(load_settings().publish_approval, requested) == "auto":
            from publishing.publish import Approval

            approval = Approval.automatic()
            log.info("%s approved automatically (MOHA_PUBLISH_APPROVAL=auto)", audited.draft.week)
            return approval.to_json()
        self.subject = f"Công bố báo cáo tuần {audited.draft.week} ({audited.version})?"
        self.body = approval_body(audited)
        log.info("%s waits for a person's approval: %s", audited.draft.week, self.subject)
        return super().execute(context)

    def execute_complete(self, context, event: dict[str, Any]):
        approval = answered(event)
        audited = self._audited(context)
        if approval.approved:
            log.info(
                "%s approved by %s: %s", audited.draft.week, approval.approver, approval.comment
            )
        else:
            from publishing.publish import reject_draft

            reject_draft(audited.draft, approval)
        # on "Reject" this skips the publish step by raising: record first
        super().execute_complete(context, event)
        return approval.to_json()
