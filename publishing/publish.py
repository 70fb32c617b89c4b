"""Write-Audit-Publish of one week's package, with its approval between audit and publish.

Each step is a function (the ``publish_weekly_aggregate`` DAG runs each as its own task):
:func:`write_draft` writes the week's tables into a draft folder the run owns
(``reports/<week>/<run>/.tmp-draft/``, beside the run's gate report), :func:`audit_draft` gates
what was written and renders the package, then a person (or ``MOHA_PUBLISH_APPROVAL=auto``)
approves it, and :func:`release_draft` renames it to the week's next ``outbox/<week>/v<n>``
(:func:`reject_draft` records a refusal and publishes nothing). :func:`publish_week` does all
of it in one call, approved automatically.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from core import reference
from core.crashpoints import crash_point
from core.locks import FileLock
from core.records import JsonRecord
from core.settings import PROJECT_ROOT, Settings
from core.tempfiles import sweep
from core.weeks import VN_TZ, IsoWeek
from publishing import charts, extract, html_report, notes, page_one
from publishing.changes import compare_versions
from publishing.completeness import check_completeness
from publishing.errors import GateFailed
from publishing.files import (
    content_digest,
    read_parquet,
    sha256_file,
    write_csv,
    write_parquet,
)
from publishing.safety import assert_no_personal_data
from publishing.tables import KINDS, TABLE_ORDER
from publishing.workbook import write_workbook
from quality.report import write_gate_report
from quality.results import GateResult
from quality.suites import DEFAULT_NATIONAL_WOW_MAX_SHARE, DEFAULT_WOW_MAX_SHARE

__all__ = [
    "Approval",
    "Audited",
    "Draft",
    "GateFailed",
    "PublishStatus",
    "Published",
    "audit_draft",
    "latest_version",
    "publish_week",
    "reject_draft",
    "release_draft",
    "write_draft",
]

log = logging.getLogger(__name__)

_VERSION_DIR = re.compile(r"^v(\d+)$")
MANIFEST = "manifest.json"


class PublishStatus(StrEnum):
    PUBLISHED = "published"  # a new v<n> in the outbox
    UNCHANGED = "unchanged"  # the latest version holds this content already: nothing written


@dataclass(frozen=True)
class Published(JsonRecord):
    """What one publish of a week did: the outbox version that holds its package, and the gate
    (``quality``'s summary: checks, passed, failed, warnings)."""

    week: str
    status: PublishStatus
    version: str  # "v<n>"
    path: str  # the version's folder
    content_digest: str
    gate: dict[str, Any]
    report_dir: str
    seconds: float
    manifest: str | None = None  # the rest: a new version only
    warnings: tuple[str, ...] = ()  # the gate's warning checks
    missing_provinces: tuple[str, ...] = ()
    late_provinces: tuple[str, ...] = ()
    changes: tuple[str, ...] | None = None  # the tables changed since the previous version


@cache
def code_version() -> str:
    """``git describe`` of the checkout, else the installed package version."""
    try:
        out = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        if out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        from importlib.metadata import version

        return version("moha-staffing")
    except Exception:
        return "unknown"


def workbook_name(week: IsoWeek) -> str:
    return f"bao_cao_tuan_{week}.xlsx"


def html_name(week: IsoWeek) -> str:
    return f"bao_cao_tuan_{week}.html"


def latest_version(week_dir: Path) -> tuple[int, Path] | None:
    """The highest ``v<n>`` folder of a week in the outbox, if any."""
    if not week_dir.is_dir():
        return None
    found = [
        (int(m.group(1)), p)
        for p in week_dir.iterdir()
        if p.is_dir() and (m := _VERSION_DIR.match(p.name))
    ]
    return max(found) if found else None


def _run_stamp() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _relative(path: Path | None, root: Path) -> str | None:
    if path is None:
        return None
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _inputs(submission) -> list[dict[str, Any]]:
    """The files the week's figures come from: the version in effect of each province × kind."""
    received = submission[submission["is_received"].astype(bool)]
    return [
        {
            "province_code": r.province_code,
            "province_name": r.province_name,
            "kind": r.kind,
            "file_name": r.file_name,
            "version": int(r.version),
            "sha256": r.file_sha256,
            "first_received_at": r.first_received_at,
            "on_time": bool(r.is_on_time),
        }
        for r in received.itertuples(index=False)
    ]


def _coverage(submission) -> dict[str, Any]:
    """Per kind: how many provinces the national figures cover, and which are missing."""
    out = {}
    for kind in KINDS:
        rows = submission[submission["kind"] == kind]
        missing = sorted(rows.loc[rows["is_missing"].astype(bool), "province_code"])
        out[kind] = {
            "provinces_reporting": int(rows["is_received"].astype(bool).sum()),
            "provinces_total": len(reference.provinces()),
            "missing_provinces": missing,
        }
    return out


def _gate_summary(gate: GateResult) -> dict[str, Any]:
    """The gate in the manifest: counts and every warning with its rows; the full check list
    stays in the gate report."""
    return {
        **gate.summary(),
        "warnings_detail": [
            {
                "name": c.name,
                "table": c.table,
                "description_vi": c.description_vi,
                "failing_count": c.failing_count,
                "failing_rows": c.reported_rows(),
            }
            for c in gate.warnings
        ],
    }


def _now_vn() -> str:
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Approval(JsonRecord):
    """Who let a week's package out, when, with what comment: the manifest's ``approval``.
    ``mode`` is ``auto`` (approved without a person: ``MOHA_PUBLISH_APPROVAL=auto``, the
    embedded demo) or ``required`` (a person at the ministry answered)."""

    mode: str
    approved: bool
    approver: str | None
    at: str
    comment: str | None = None

    @classmethod
    def automatic(cls) -> Approval:
        return cls(
            "auto", True, None, _now_vn(), "approved automatically (MOHA_PUBLISH_APPROVAL=auto)"
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Approval:
        return cls(**data)


@dataclass(frozen=True)
class Draft(JsonRecord):
    """A week's package while it is written, audited and awaits its approval: everything under
    ``<report_dir>/.tmp-draft/`` (the package itself in ``package/``), owned by one run."""

    week: str
    stamp: str
    report_dir: str

    @property
    def folder(self) -> Path:
        return Path(self.report_dir) / DRAFT

    @property
    def package(self) -> Path:
        return self.folder / "package"

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        return cls(**data)


@dataclass(frozen=True)
class Audited(JsonRecord):
    """A draft that passed the gate, as its approver sees it: the gate's counts and warnings,
    what changed against the latest published version, and page 1 (HTML) of the package."""

    draft: Draft
    status: PublishStatus  # unchanged: the latest version holds this content already
    version: str  # the latest published version (unchanged) or the one this would become
    content_digest: str
    gate: dict[str, Any]
    warnings: tuple[str, ...]
    missing_provinces: tuple[str, ...]
    late_provinces: tuple[str, ...]
    changes: dict[str, Any] | None  # against the latest published version; None for a first
    page_one: str
    gate_report: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audited:
        return cls(
            **{
                **data,
                "draft": Draft.from_json(data["draft"]),
                "status": PublishStatus(data["status"]),
                **{
                    key: tuple(data[key])
                    for key in ("warnings", "missing_provinces", "late_provinces")
                },
            }
        )


DRAFT = ".tmp-draft"
_PREVIOUS = "previous_province_weekly.parquet"
_AUDIT = "audit.json"


def write_draft(settings: Settings, week: IsoWeek | str) -> Draft:
    """WRITE: the week's tables (and last week's province figures the gate compares with) read
    from the warehouse and written as Parquet into a new draft folder owned by this run."""
    week = IsoWeek.parse(week) if isinstance(week, str) else week
    stamp = _run_stamp()
    draft = Draft(str(week), stamp, str(settings.reports / str(week) / stamp))
    with extract.connect(settings) as con:
        tables = extract.read_week(con, str(week))
        previous = extract.read_week(con, str(week.shift(-1)), ("province_weekly",))
    assert_no_personal_data(tables)
    try:
        # A killed run's draft, or one a person never answered: the week's newest draft
        # supersedes it. Drafts live under their week's folder, so publishes of different weeks
        # (a backfill runs several at once) never touch each other's; the week's lock keeps two
        # runs of the same week from sweeping the draft the other is creating.
        with FileLock(publish_lock_path(settings, week)):
            sweep(settings.reports / str(week), [f"*/{DRAFT}"], recursive=False)
            draft.package.mkdir(parents=True)
        for name in TABLE_ORDER:
            write_parquet(draft.package / f"{name}.parquet", tables[name])
        if not previous["province_weekly"].empty:
            write_parquet(draft.folder / _PREVIOUS, previous["province_weekly"])
    except BaseException:
        draft.discard()
        raise
    log.info("%s written to %s: %s", week, draft.package, _row_counts(tables))
    return draft


def _row_counts(tables: dict[str, Any]) -> str:
    return ", ".join(f"{name} {len(tables[name])}" for name in TABLE_ORDER)


def audit_draft(
    settings: Settings,
    draft: Draft,
    *,
    wow_max_share: float = DEFAULT_WOW_MAX_SHARE,
    national_wow_max_share: float = DEFAULT_NATIONAL_WOW_MAX_SHARE,
) -> Audited:
    """AUDIT what was written (read back from Parquet) and render the package from it.

    Raises :class:`GateFailed` when a blocking check fails (the draft is removed, the report
    stays). ``unchanged`` when the latest published version holds the same content (the draft
    is removed: there is nothing to approve)."""
    try:
        return _audit(settings, draft, wow_max_share, national_wow_max_share)
    except BaseException:
        draft.discard()
        raise


def _audit(
    settings: Settings, draft: Draft, wow_max_share: float, national_wow_max_share: float
) -> Audited:
    from quality.gate import run_gate

    week = IsoWeek.parse(draft.week)
    report_dir = Path(draft.report_dir)
    tmp = draft.package
    tables = {name: read_parquet(tmp / f"{name}.parquet") for name in TABLE_ORDER}
    previous_path = draft.folder / _PREVIOUS
    previous = {"province_weekly": read_parquet(previous_path)} if previous_path.exists() else {}
    gate = run_gate(
        tables,
        previous,
        report_dir / "data_docs",
        week=str(week),
        wow_max_share=wow_max_share,
        national_wow_max_share=national_wow_max_share,
    )
    completeness, missing, late = check_completeness(
        tables["province_weekly"], tables["submission_status"], str(week)
    )
    gate.checks.insert(0, completeness)
    context = {
        "week": str(week),
        "run_stamp": draft.stamp,
        "code_version": code_version(),
        "wow_max_share": wow_max_share,
        "national_wow_max_share": national_wow_max_share,
    }
    if not gate.success:
        write_gate_report(
            gate,
            report_dir,
            {**context, "status": "blocked", "missing_provinces": missing, "late_provinces": late},
        )
        log.info("%s blocked by the gate: %s", week, _gate_counts(gate.summary()))
        raise GateFailed(str(week), [c.name for c in gate.failures], report_dir, gate.summary())

    # the renderings: CSV, charts (PNG), workbook, page 1 as HTML
    for name in TABLE_ORDER:
        write_csv(tmp / f"{name}.csv", tables[name])
    names = dict(
        zip(
            tables["province_weekly"]["province_code"],
            tables["province_weekly"]["province_name"],
            strict=True,
        )
    )
    page = page_one.build(tables, week, notes.page_notes(gate.warnings))
    coverage = _coverage(tables["submission_status"])
    images = {
        "trend": charts.trend_chart(tables["national_trend"]),
        "fields": charts.fields_chart(tables["field_vacancy_rate"]),
        "obstacles": charts.obstacles_chart(
            tables["obstacles_by_province"],
            coverage["obstacles"]["provinces_reporting"],
            reference.code_list(reference.LEVELS),
        ),
    }
    for key, data in images.items():
        (tmp / charts.CHART_FILES[key]).write_bytes(data)
    (tmp / html_name(week)).write_text(html_report.render(page, images), encoding="utf-8")
    write_workbook(
        tmp / workbook_name(week),
        tables,
        week,
        page,
        images,
        gate,
        notes.quality_notes(gate.warnings, names),
    )

    digest = content_digest(tmp)
    latest = latest_version(settings.outbox / str(week))
    if latest is not None:
        manifest = json.loads((latest[1] / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("content_digest") == digest:
            write_gate_report(
                gate, report_dir, {**context, "status": "unchanged", "version": f"v{latest[0]}"}
            )
            log.info("%s unchanged: v%d already holds this content", week, latest[0])
            draft.discard()
            return _audited(draft, PublishStatus.UNCHANGED, f"v{latest[0]}", digest, gate, None)
    changes = None if latest is None else compare_versions(latest[1], tables, f"v{latest[0]}")
    json_report, md_report = write_gate_report(gate, report_dir, {**context, "status": "passed"})
    audit = {
        "wow_max_share": wow_max_share,
        "national_wow_max_share": national_wow_max_share,
        "coverage": coverage,
        "inputs": _inputs(tables["submission_status"]),
        "quality": {
            **_gate_summary(gate),
            "wow_max_share": wow_max_share,
            "national_wow_max_share": national_wow_max_share,
            "data_docs": _relative(gate.data_docs_index, settings.data_dir),
            "gate_report": _relative(md_report, settings.data_dir),
            "gate_report_json": _relative(json_report, settings.data_dir),
        },
        "missing_provinces": missing,
        "late_provinces": late,
        "content_digest": digest,
        "row_counts": {name: len(tables[name]) for name in TABLE_ORDER},
    }
    (draft.folder / _AUDIT).write_text(
        json.dumps(audit, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    version = 1 if latest is None else latest[0] + 1
    audited = _audited(
        draft, PublishStatus.PUBLISHED, f"v{version}", digest, gate, changes, missing, late
    )
    log.info(
        "%s passed the gate (%s); would become v%d; page 1: %s",
        week,
        _gate_counts(audited.gate),
        version,
        audited.page_one,
    )
    return audited


def _audited(
    draft: Draft,
    status: PublishStatus,
    version: str,
    digest: str,
    gate: GateResult,
    changes: dict[str, Any] | None,
    missing: list[dict] = (),
    late: list[dict] = (),
) -> Audited:
    week = IsoWeek.parse(draft.week)
    return Audited(
        draft=draft,
        status=status,
        version=version,
        content_digest=digest,
        gate=gate.summary(),
        warnings=tuple(c.name for c in gate.warnings),
        missing_provinces=tuple(m["province_code"] for m in missing),
        late_provinces=tuple(m["province_code"] for m in late),
        changes=changes,
        page_one=str(draft.package / html_name(week)),
        gate_report=str(Path(draft.report_dir) / "gate_report.html"),
    )


def _gate_counts(gate: dict[str, Any]) -> str:
    return (
        f"{gate['checks']} checks, {gate['passed']} passed, {len(gate['failed'])} failed, "
        f"{len(gate['warnings'])} warnings"
    )


def reject_draft(draft: Draft, approval: Approval) -> Path:
    """A person refused the package: the draft is removed (nothing is published) and the refusal
    (who, when, why) is written beside the run's gate report; returns that file."""
    draft.discard()
    path = Path(draft.report_dir) / "rejection.json"
    path.write_text(
        json.dumps({"week": draft.week, **approval.to_json()}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    log.info(
        "%s rejected by %s at %s: %s; nothing published (%s)",
        draft.week,
        approval.approver,
        approval.at,
        approval.comment,
        path,
    )
    return path


def release_draft(settings: Settings, audited: Audited, approval: Approval) -> Published:
    """PUBLISH an approved draft: its manifest (with the approval) written, then one atomic rename
    to the week's next ``v<n>``; a published folder is never touched again. The week's lock is
    held from choosing the version to the rename, so two releases of one week never pick the
    same ``v<n>``."""
    with FileLock(publish_lock_path(settings, IsoWeek.parse(audited.draft.week))):
        return _release(settings, audited, approval)


def publish_lock_path(settings: Settings, week: IsoWeek) -> Path:
    """The lock a week's publish steps hold: beside the ingest's province locks, not in the
    outbox (which holds packages only)."""
    return settings.data_dir / "locks" / f"publish-{week}.lock"


def _release(settings: Settings, audited: Audited, approval: Approval) -> Published:
    draft = audited.draft
    started = time.perf_counter()
    week = IsoWeek.parse(draft.week)
    tmp = draft.package
    if not (draft.folder / _AUDIT).exists():
        raise FileNotFoundError(f"{draft.folder}: no audited draft to publish (removed?)")
    audit = json.loads((draft.folder / _AUDIT).read_text(encoding="utf-8"))
    digest = content_digest(tmp)
    if digest != audit["content_digest"]:
        raise RuntimeError(f"{tmp} changed after its audit: not publishing it")
    week_dir = settings.outbox / str(week)
    latest = latest_version(week_dir)
    version = 1 if latest is None else latest[0] + 1
    changes = None
    if latest is not None:
        tables = {name: read_parquet(tmp / f"{name}.parquet") for name in TABLE_ORDER}
        changes = compare_versions(latest[1], tables, f"v{latest[0]}")
    manifest = {
        "week": str(week),
        "week_start": week.monday.isoformat(),
        "week_end": week.sunday.isoformat(),
        "deadline": week.deadline.isoformat(),
        "version": version,
        "version_dir": f"v{version}",
        "generated_at": _now_vn(),
        "code_version": code_version(),
        "content_digest": digest,
        "row_counts": audit["row_counts"],
        "files": {
            p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(tmp.iterdir())
        },
        "inputs": audit["inputs"],
        "coverage": audit["coverage"],
        "quality": audit["quality"],
        "missing_provinces": audit["missing_provinces"],
        "late_provinces": audit["late_provinces"],
        "changes": changes,
        "approval": approval.to_json(),
    }
    (tmp / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    assert_no_personal_data({p.stem: read_parquet(p) for p in tmp.glob("*.parquet")})

    week_dir.mkdir(parents=True, exist_ok=True)
    target = week_dir / f"v{version}"
    if target.exists():
        raise FileExistsError(f"{target} already published (concurrent publish?)")
    crash_point("publish.written")
    os.rename(tmp, target)
    crash_point("publish.renamed")
    draft.discard()
    gate = {key: audit["quality"][key] for key in ("checks", "passed", "failed", "warnings")}
    log.info(
        "published %s as v%d in %s (%s; approval: %s by %s)",
        week,
        version,
        target,
        _gate_counts(gate),
        approval.mode,
        approval.approver or "nobody",
    )
    return Published(
        week=str(week),
        status=PublishStatus.PUBLISHED,
        version=f"v{version}",
        path=str(target),
        content_digest=digest,
        gate=audited.gate,
        report_dir=draft.report_dir,
        seconds=round(time.perf_counter() - started, 2),
        manifest=str(target / MANIFEST),
        warnings=audited.warnings,
        missing_provinces=audited.missing_provinces,
        late_provinces=audited.late_provinces,
        changes=None if changes is None else tuple(sorted(changes["tables_changed"])),
    )


def unchanged(settings: Settings, audited: Audited) -> Published:
    """What a publish that found its content already published returns."""
    return Published(
        week=audited.draft.week,
        status=PublishStatus.UNCHANGED,
        version=audited.version,
        path=str(settings.outbox / audited.draft.week / audited.version),
        content_digest=audited.content_digest,
        gate=audited.gate,
        report_dir=audited.draft.report_dir,
        seconds=0.0,
    )


def publish_week(
    settings: Settings,
    week: IsoWeek | str,
    *,
    wow_max_share: float = DEFAULT_WOW_MAX_SHARE,
    national_wow_max_share: float = DEFAULT_NATIONAL_WOW_MAX_SHARE,
) -> Published:
    """Write, audit and publish one week in one call, approved automatically (the
    ``publish_weekly_aggregate`` DAG runs each step as its own task, with a person's approval
    between audit and publish when ``MOHA_PUBLISH_APPROVAL=required``).

    ``status`` is ``published`` (a new ``v<n>``) or ``unchanged`` (every file of the package,
    manifest aside, has the same bytes as in the latest version: nothing written to the outbox).
    Raises :class:`GateFailed` when a blocking check fails; the outbox is then left exactly as it
    was and the report is under ``reports/``.
    """
    started = time.perf_counter()
    draft = write_draft(settings, week)
    audited = audit_draft(
        settings, draft, wow_max_share=wow_max_share, national_wow_max_share=national_wow_max_share
    )
    if audited.status == PublishStatus.UNCHANGED:
        result = unchanged(settings, audited)
    else:
        try:
            result = release_draft(settings, audited, Approval.automatic())
        finally:
            draft.discard()
    return dataclasses.replace(result, seconds=round(time.perf_counter() - started, 2))
