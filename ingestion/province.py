"""Process one province's drop: discover, land, parse, validate, stage and answer every new file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.reference import provinces
from core.settings import Settings
from core.weeks import IsoWeek
from ingestion import landing, staging
from ingestion.feedback import write_feedback
from ingestion.filenames import FileName, filed_week, parse_file_name
from ingestion.headers import locate_table
from ingestion.province_files import ProvinceFiles
from ingestion.readers import read_rows
from ingestion.rejections import Rejection, reject
from ingestion.rules import REJECTED, Validation, validate
from ingestion.sources import (
    Source,
    SourceError,
    SourceFile,
    list_files,
    province_source,
    public_url,
    stream_file,
)
from ingestion.weekly_summary import write_due_summaries

log = logging.getLogger(__name__)

LANDED = "landed"
SKIPPED = "skipped"
FILTERED = "filtered"
ERROR = "error"

SUCCEEDED = "succeeded"
FAILED = "failed"


@dataclass
class _Parsed:
    validation: Validation
    sender_columns: dict[str, str] = field(default_factory=dict)


def _whole_file(rejections: list[Rejection], rows_total: int = 0) -> _Parsed:
    code = rejections[0].code
    return _Parsed(Validation([], rejections, rows_total, 0, 0, REJECTED, code))


def parse_and_validate(
    data: bytes | None, size: int, name: FileName | Rejection, province_code: str, max_bytes: int
) -> _Parsed:
    """Everything between landed bytes and staged rows; pure apart from reading ``data``."""
    if isinstance(name, Rejection):
        return _whole_file([name])
    if data is None or size > max_bytes:
        return _whole_file(
            [
                reject(
                    "file_too_large",
                    name.name,
                    size_mb=f"{size / 1024 / 1024:.1f}",
                    limit_mb=f"{max_bytes / 1024 / 1024:.0f}",
                )
            ]
        )
    if not data:
        return _whole_file([reject("empty_file", name.name)])
    rows = read_rows(data, name.name)
    if isinstance(rows, Rejection):
        return _whole_file([rows])
    table = locate_table(rows, name.kind, name.name)
    if isinstance(table, list):
        return _whole_file(table)
    validation = validate(table, name.kind, province_code, name.week, name.name)
    return _Parsed(validation, table.sender_columns)


def _week_of(value: IsoWeek | str | None) -> IsoWeek | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, IsoWeek) else IsoWeek.parse(str(value))


def _process_file(
    settings: Settings,
    source: Source,
    file: SourceFile,
    name: FileName | Rejection,
    run_id: str,
    facts: ProvinceFiles,
) -> dict[str, Any]:
    code = source.province_code
    week = str(name.week) if isinstance(name, FileName) else None
    if file.size is not None and file.size > settings.max_file_bytes:
        log.warning(
            "province %s: %s is %d bytes, over the %d-byte limit; not parsing it",
            code,
            file.name,
            file.size,
            settings.max_file_bytes,
        )
    incoming = landing.receive(settings, code, stream_file(source, file), settings.max_file_bytes)
    file_id = staging.delivery_id(code, file.name, incoming.sha256)
    if staging.is_staged(settings, code, file_id):
        landing.discard(incoming)
        log.info(
            "province %s: %s already landed as %s, skipped", code, file.name, incoming.sha256[:12]
        )
        return {
            "file_name": file.name,
            "status": SKIPPED,
            "file_id": file_id,
            "file_sha256": incoming.sha256,
        }
    landed_path = landing.land(settings, code, week, file.name, incoming)
    landed_at = datetime.now(UTC)

    parsed = parse_and_validate(incoming.data, incoming.size, name, code, settings.max_file_bytes)
    result = parsed.validation
    registry = staging.RegistryRow(
        file_id=file_id,
        file_sha256=incoming.sha256,
        province_code=code,
        file_name=file.name,
        kind=name.kind if isinstance(name, FileName) else None,
        week=week,
        week_start=name.week.monday if isinstance(name, FileName) else None,
        version=name.version if isinstance(name, FileName) else None,
        bytes=incoming.size,
        received_at=file.received_at,
        landed_at=landed_at,
        landing_path=landed_path.relative_to(settings.data_dir).as_posix(),
        status=result.status,
        rows_total=result.rows_total,
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected,
        file_reason_code=result.file_reason_code,
        filed_week=filed_week(name, file.received_at),
        suggested_name=None
        if isinstance(name, FileName)
        else facts.suggested_name(file.name, file.received_at),
        ingest_run_id=run_id,
    )
    # Feedback before the registry row: the registry is the commit mark, written last.
    write_feedback(settings, registry, result.rejections, facts.standing(registry))
    staging.stage_file(settings, registry, result.records, result.rejections)
    facts.add(registry, result.rejections)
    for rejection in result.rejections[:20]:
        log.info(
            "province %s: %s row %s: %s (%s)",
            code,
            file.name,
            rejection.row,
            rejection.message_en,
            rejection.code,
        )
    if len(result.rejections) > 20:
        log.info(
            "province %s: %s: %d more rejections", code, file.name, len(result.rejections) - 20
        )
    log.info(
        "province %s: %s %s: %d rows, %d accepted, %d rejected%s",
        code,
        file.name,
        result.status,
        result.rows_total,
        result.rows_accepted,
        result.rows_rejected,
        f" ({result.file_reason_code})" if result.file_reason_code else "",
    )
    return {
        "file_name": file.name,
        "status": LANDED,
        "file_id": file_id,
        "file_sha256": incoming.sha256,
        "kind": registry.kind,
        "week": registry.week,
        "version": registry.version,
        "file_status": result.status,
        "file_reason_code": result.file_reason_code,
        "rows_total": result.rows_total,
        "rows_accepted": result.rows_accepted,
        "rows_rejected": result.rows_rejected,
    }


def process_province(
    settings: Settings,
    province_code: str,
    week: IsoWeek | str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Land, validate, stage and answer every file of one province not yet landed.

    ``week`` keeps only files named for that week (files with invalid names are always
    processed). Returns a JSON-safe outcome, also staged as one ``ingest_outcomes`` row under
    ``run_id``. Raises :class:`SourceError` when the source cannot be listed, or when files
    could not be read or processed (after processing all the others, so the province's task
    fails visibly and its retry picks those files up again); the outcome row is staged first.
    """
    if province_code not in provinces():
        raise ValueError(f"unknown province code {province_code!r}")
    started_at = datetime.now(UTC)
    run_id = run_id or f"direct__{started_at:%Y%m%dT%H%M%S%fZ}"
    only_week = _week_of(week)
    source = province_source(settings, province_code)
    outcomes: list[dict[str, Any]] = []
    failures: list[str] = []
    try:
        files = list_files(source)
    except SourceError as error:
        files = []
        failures.append(str(error))
    facts = ProvinceFiles(settings, province_code)
    # Lower versions first and misnamed files last, so the feedback of each file (version in
    # effect, next name, the rename) counts every file before it.
    named = [(file, parse_file_name(file.name)) for file in files]
    named.sort(key=lambda pair: (isinstance(pair[1], Rejection), getattr(pair[1], "version", 0)))
    for file, name in named:
        if only_week is not None and isinstance(name, FileName) and name.week != only_week:
            outcomes.append({"file_name": file.name, "status": FILTERED})
            continue
        try:
            outcomes.append(_process_file(settings, source, file, name, run_id, facts))
        except SourceError as error:
            log.error("%s", error)
            failures.append(str(error))
            outcomes.append({"file_name": file.name, "status": ERROR, "error": str(error)})
        except Exception as error:
            log.exception(
                "province %s: %s failed; it will be retried on the next run",
                province_code,
                file.name,
            )
            failures.append(f"{file.name}: {type(error).__name__}: {error}")
            outcomes.append(
                {
                    "file_name": file.name,
                    "status": ERROR,
                    "error": f"{type(error).__name__}: {error}",
                }
            )

    try:
        write_due_summaries(settings, facts)
    except Exception as error:
        log.exception("province %s: weekly summary not written", province_code)
        failures.append(f"weekly summary: {type(error).__name__}: {error}")

    landed = [o for o in outcomes if o["status"] == LANDED]
    error = None
    if failures:
        error = (
            failures[0]
            if not files
            else f"province {province_code}: {len(failures)} file(s) could not be processed "
            f"from {public_url(source.url)} (the other files were): " + "; ".join(failures)
        )
    counts = {
        "files_seen": len(files),
        "files_landed": len(landed),
        "files_skipped": sum(1 for o in outcomes if o["status"] == SKIPPED),
        "files_filtered": sum(1 for o in outcomes if o["status"] == FILTERED),
        "files_failed": sum(1 for o in outcomes if o["status"] == ERROR),
        "files_rejected": sum(1 for o in landed if o["file_status"] == REJECTED),
        "rows_accepted": sum(o["rows_accepted"] for o in landed),
        "rows_rejected": sum(o["rows_rejected"] for o in landed),
    }
    staging.stage_outcome(
        settings,
        {
            "outcome_id": staging.outcome_id(run_id, province_code),
            "run_id": run_id,
            "province_code": province_code,
            "started_at": started_at,
            "finished_at": datetime.now(UTC),
            "source_url": public_url(source.url),
            "week_filter": str(only_week) if only_week else None,
            "status": FAILED if failures else SUCCEEDED,
            **counts,
            "error": error,
        },
    )
    log.info(
        "province %s: %d files seen, %d landed, %d skipped, %d failed",
        province_code,
        counts["files_seen"],
        counts["files_landed"],
        counts["files_skipped"],
        counts["files_failed"],
    )
    if error:
        raise SourceError(error)
    return {
        "province_code": province_code,
        "province_name": provinces()[province_code].name,
        "source_url": public_url(source.url),
        "week": str(only_week) if only_week else None,
        "run_id": run_id,
        **counts,
        "files": outcomes,
    }
