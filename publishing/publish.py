"""Write-Audit-Publish of one week's package: written in outbox/.tmp-<week>-*, gated, renamed to
outbox/<week>/v<n>."""

from __future__ import annotations

import contextlib
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
from core.records import as_json
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

__all__ = ["GateFailed", "PublishStatus", "Published", "latest_version", "publish_week"]

log = logging.getLogger(__name__)

_VERSION_DIR = re.compile(r"^v(\d+)$")
MANIFEST = "manifest.json"


class PublishStatus(StrEnum):
    PUBLISHED = "published"  # a new v<n> in the outbox
    UNCHANGED = "unchanged"  # the latest version holds this content already: nothing written


@dataclass(frozen=True)
class Published:
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

    def to_json(self) -> dict[str, Any]:
        return as_json(self)


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


def publish_week(
    settings: Settings,
    week: IsoWeek | str,
    *,
    wow_max_share: float = DEFAULT_WOW_MAX_SHARE,
    national_wow_max_share: float = DEFAULT_NATIONAL_WOW_MAX_SHARE,
) -> Published:
    """Extract, build, audit and publish one week.

    ``status`` is ``published`` (a new ``v<n>``) or ``unchanged`` (every file of the package,
    manifest aside, has the same bytes as in the latest version: nothing written to the outbox).
    Raises :class:`GateFailed` when a blocking check fails; the outbox is then left exactly as it
    was and the report is under ``reports/``.

    Publishes of different weeks may run at the same time (an Airflow backfill runs several);
    publishes of one week are serialised by the week's lock (:func:`publish_lock_path`).
    """
    week = IsoWeek.parse(week) if isinstance(week, str) else week
    with FileLock(publish_lock_path(settings, week)):
        return _publish_week(settings, week, wow_max_share, national_wow_max_share)


def publish_lock_path(settings: Settings, week: IsoWeek) -> Path:
    """The lock one week's publish holds: beside the ingest's province locks, not in the outbox
    (which holds packages only)."""
    return settings.data_dir / "locks" / f"publish-{week}.lock"


def _make_tmp(outbox: Path, week: IsoWeek) -> Path:
    """The folder a package is written in, outbox/.tmp-<week>-<random> (the week's lock held).
    A publish that created the outbox removes it again when it leaves it empty (a blocked gate
    leaves no trace); a publish of another week doing so between our two mkdirs is retried."""
    tmp = outbox / f".tmp-{week}-{uuid.uuid4().hex}"
    for attempt in range(3):
        outbox.mkdir(parents=True, exist_ok=True)
        try:
            tmp.mkdir()
            break
        except FileNotFoundError:
            if attempt == 2:
                raise
    return tmp


def _publish_week(
    settings: Settings, week: IsoWeek, wow_max_share: float, national_wow_max_share: float
) -> Published:
    """:func:`publish_week` under the week's lock."""
    from quality.gate import run_gate

    started = time.perf_counter()
    stamp = _run_stamp()
    report_dir = settings.reports / str(week) / stamp
    week_dir = settings.outbox / str(week)

    with extract.connect(settings) as con:
        tables = extract.read_week(con, str(week))
        previous = extract.read_week(con, str(week.shift(-1)), ("province_weekly",))
    if previous["province_weekly"].empty:
        previous = {}
    assert_no_personal_data(tables)

    outbox_existed = settings.outbox.exists()
    # The week's lock is held: a temporary of this week is a killed publish's. Other weeks'
    # belong to publishes that may be running now and are theirs to sweep.
    sweep(settings.outbox, [f".tmp-{week}-*"], recursive=False)
    tmp = _make_tmp(settings.outbox, week)
    try:
        # WRITE the data files, then AUDIT what was written (read back from Parquet)
        for name in TABLE_ORDER:
            write_parquet(tmp / f"{name}.parquet", tables[name])
        written = {name: read_parquet(tmp / f"{name}.parquet") for name in TABLE_ORDER}
        gate = run_gate(
            written,
            previous,
            report_dir / "data_docs",
            week=str(week),
            wow_max_share=wow_max_share,
            national_wow_max_share=national_wow_max_share,
        )
        completeness, missing, late = check_completeness(
            written["province_weekly"], written["submission_status"], str(week)
        )
        gate.checks.insert(0, completeness)
        context = {
            "week": str(week),
            "run_stamp": stamp,
            "code_version": code_version(),
            "wow_max_share": wow_max_share,
            "national_wow_max_share": national_wow_max_share,
        }
        if not gate.success:
            write_gate_report(
                gate,
                report_dir,
                {
                    **context,
                    "status": "blocked",
                    "missing_provinces": missing,
                    "late_provinces": late,
                },
            )
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
        latest = latest_version(week_dir)
        if latest is not None:
            manifest = json.loads((latest[1] / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("content_digest") == digest:
                write_gate_report(
                    gate, report_dir, {**context, "status": "unchanged", "version": f"v{latest[0]}"}
                )
                log.info("%s unchanged: v%d already holds this content", week, latest[0])
                return Published(
                    week=str(week),
                    status=PublishStatus.UNCHANGED,
                    version=f"v{latest[0]}",
                    path=str(latest[1]),
                    content_digest=digest,
                    gate=gate.summary(),
                    report_dir=str(report_dir),
                    seconds=round(time.perf_counter() - started, 2),
                )

        version = 1 if latest is None else latest[0] + 1
        changes = None
        if latest is not None:
            changes = compare_versions(latest[1], tables, f"v{latest[0]}")
        json_report, md_report = write_gate_report(
            gate, report_dir, {**context, "status": "published", "version": f"v{version}"}
        )
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
            "row_counts": {name: len(tables[name]) for name in TABLE_ORDER},
            "files": {
                p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size}
                for p in sorted(tmp.iterdir())
            },
            "inputs": _inputs(tables["submission_status"]),
            "coverage": coverage,
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
            "changes": changes,
        }
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )
        assert_no_personal_data({p.stem: read_parquet(p) for p in tmp.glob("*.parquet")})

        # PUBLISH: one atomic rename; a published folder is never touched again
        week_dir.mkdir(parents=True, exist_ok=True)
        target = week_dir / f"v{version}"
        if target.exists():
            raise FileExistsError(f"{target} already published (concurrent publish?)")
        crash_point("publish.written")
        os.rename(tmp, target)
        crash_point("publish.renamed")
        log.info("published %s as %s", week, target)
        return Published(
            week=str(week),
            status=PublishStatus.PUBLISHED,
            version=f"v{version}",
            path=str(target),
            content_digest=digest,
            gate=gate.summary(),
            report_dir=str(report_dir),
            seconds=round(time.perf_counter() - started, 2),
            manifest=str(target / MANIFEST),
            warnings=tuple(c.name for c in gate.warnings),
            missing_provinces=tuple(m["province_code"] for m in missing),
            late_provinces=tuple(m["province_code"] for m in late),
            changes=None if changes is None else tuple(sorted(changes["tables_changed"])),
        )
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not outbox_existed:
            with contextlib.suppress(OSError):  # not empty: another week's publish is writing
                settings.outbox.rmdir()
