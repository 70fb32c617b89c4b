"""Process one province's drop: discover, land, parse, validate, stage and answer every new file.

No file can stop another: a file is parsed in a child process within the limits
(:mod:`ingestion.parsing.isolation`), and anything that goes wrong with one file — parsing,
validating, staging its rows or writing its feedback — ends as that file's registry row with status
``rejected`` and a reason. Only a source that cannot be listed or read, or a data directory
that cannot be written (disk full, read-only, permission), fails the province's task.

Per file, in this order: land the bytes → stage accepted rows and rejections → write the
feedback → write the registry row (the commit mark). A kill anywhere before the last step
leaves the file to be processed again by the next run, which first removes what the killed one
left half-written.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from core.crashpoints import crash_point
from core.locks import FileLock
from core.reference import provinces
from core.settings import Settings
from core.storage import is_environment_error, one_line
from core.tempfiles import sweep
from core.weeks import IsoWeek, reporting_window, week_range
from ingestion.contract import warnings
from ingestion.contract.limits import Limits
from ingestion.contract.rejections import Rejection, reject
from ingestion.feedback import delivery
from ingestion.feedback.per_file import write_feedback
from ingestion.feedback.templates import Template, write_templates
from ingestion.feedback.weekly_summary import write_due_summaries
from ingestion.intake import landing
from ingestion.intake.filenames import FileName, filed_week, parse_file_name, refuse_format
from ingestion.intake.sources import (
    Source,
    SourceError,
    SourceFile,
    list_files,
    province_source,
    public_url,
    stream_file,
)
from ingestion.outcomes import (
    FileHandling,
    FileOutcome,
    FileStatus,
    ProvinceOutcome,
    ProvinceWarning,
    TaskStatus,
)
from ingestion.parsing.isolation import ParserUnavailable, parse_many, request
from ingestion.parsing.parse import Parsed, whole_file
from ingestion.stage import staging
from ingestion.stage.province_files import ProvinceFiles

log = logging.getLogger(__name__)
T = TypeVar("T")

FEEDBACK_TMP = ".*.tmp"  # what the feedback writer leaves when killed before its rename


@dataclass(frozen=True)
class _Arrival:
    """A file landed and not yet staged: what its parse and its registry row need."""

    province_code: str
    file: SourceFile
    name: FileName | Rejection
    incoming: landing.Incoming
    file_id: str
    landed_path: Path
    landed_at: datetime


def _precheck(settings: Settings, arrival: _Arrival, facts: ProvinceFiles) -> Parsed | None:
    """The file's outcome when its name (or format) or size already decide it (it is then not
    read)."""
    name, size = arrival.name, arrival.incoming.size
    if isinstance(name, Rejection):
        return whole_file([name])
    if refused := refuse_format(name, facts.next_name(name)):
        return whole_file([refused])
    if size > settings.max_file_bytes:
        return whole_file(
            [
                reject(
                    "file_too_large",
                    name.name,
                    size_mb=f"{size / 1024 / 1024:.1f}",
                    limit_mb=f"{settings.max_file_bytes / 1024 / 1024:.0f}",
                )
            ]
        )
    if size == 0:
        return whole_file([reject("empty_file", name.name)])
    return None


def _parses(
    settings: Settings, arrivals: list[_Arrival], province_code: str, facts: ProvinceFiles
) -> Iterator[Parsed | Exception]:
    """Each arrival's parse, in order: files that need reading go to the parsing child as one
    queue (it parses the next while this process stages and answers the previous). A failure of
    the parsing machinery itself is yielded as the exception, for that file only."""
    limits = Limits.of(settings)
    prechecked = [_precheck(settings, arrival, facts) for arrival in arrivals]
    requests = deque(
        request(
            str(arrival.landed_path),
            arrival.name.name,
            arrival.name.kind,
            province_code,
            arrival.name.week,
            limits,
        )
        for arrival, done in zip(arrivals, prechecked, strict=True)
        if done is None
    )
    stream = parse_many(list(requests), limits)
    for done in prechecked:
        if done is not None:
            yield done
            continue
        requests.popleft()
        try:
            yield next(stream)
        except Exception as error:  # the machinery, not the file: the rest go to a new queue
            yield error
            stream = parse_many(list(requests), limits)


def _failed_file(
    province_code: str, file_name: str, rows_total: int, step: str, error: Exception
) -> Parsed:
    """A file whose processing broke at ``step``: rejected whole, the English detail logged."""
    log.error(
        "province %s: %s: %s failed; the file is rejected",
        province_code,
        file_name,
        step,
        exc_info=error,
    )
    detail = f"{step} failed: {type(error).__name__}: {error}"[:500]
    return whole_file([reject("unreadable_file", file_name, detail=detail)], rows_total)


def _as_rejected(registry: staging.RegistryRow, parsed: Parsed) -> staging.RegistryRow:
    result = parsed.validation
    return dataclasses.replace(
        registry,
        status=FileStatus.REJECTED,
        rows_accepted=0,
        rows_rejected=registry.rows_total,
        file_reason_code=result.file_reason_code,
    )


def _weeks_of(value: IsoWeek | str | None) -> list[IsoWeek] | None:
    """The weeks a filter keeps: one week, or a range ``2025-W35:2025-W47`` (a backfill)."""
    if value is None or value == "":
        return None
    return [value] if isinstance(value, IsoWeek) else week_range(str(value))


def _filter_text(weeks: list[IsoWeek]) -> str:
    return str(weeks[0]) if len(weeks) == 1 else f"{weeks[0]}:{weeks[-1]}"


def _land(
    settings: Settings, source: Source, file: SourceFile, name: FileName | Rejection
) -> _Arrival | FileOutcome:
    """Copy the file into landing; an outcome instead when these bytes were already staged."""
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
    incoming = landing.receive(settings, code, stream_file(source, file))
    file_id = staging.delivery_id(code, file.name, incoming.sha256)
    if staging.is_staged(settings, code, file_id):
        landing.discard(incoming)
        log.info(
            "province %s: %s already landed as %s, skipped", code, file.name, incoming.sha256[:12]
        )
        return FileOutcome(file.name, FileHandling.SKIPPED, file_id, incoming.sha256)
    landed_path = landing.land(settings, code, week, file.name, incoming)
    landed_at = datetime.now(UTC)
    crash_point("ingest.landed")
    return _Arrival(code, file, name, incoming, file_id, landed_path, landed_at)


def _finish(
    settings: Settings,
    arrival: _Arrival,
    parsed: Parsed | Exception,
    run_id: str,
    facts: ProvinceFiles,
) -> FileOutcome:
    """Stage the file's rows and rejections, answer the province, then commit the registry row."""
    file, name, incoming, file_id = arrival.file, arrival.name, arrival.incoming, arrival.file_id
    code = arrival.province_code
    week = str(name.week) if isinstance(name, FileName) else None
    landed_path, landed_at = arrival.landed_path, arrival.landed_at
    if isinstance(parsed, Exception):
        error = parsed
        if is_environment_error(error) or isinstance(error, ParserUnavailable):
            raise error  # the machine's problem: the task fails and its retry parses the file
        parsed = _failed_file(code, file.name, 0, "parsing", error)
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
        warnings=warnings.join(parsed.warnings),
        sheet_name=parsed.sheet_name,
        rows_skipped=parsed.rows_skipped,
        ingest_run_id=run_id,
    )

    # Rows and rejections first, then the feedback, then the registry row (the commit mark):
    # the province is never told "accepted" for rows that were not stored.
    try:
        staging.stage_contents(
            settings, registry, parsed.validation.records, parsed.validation.rejections
        )
    except Exception as error:
        if is_environment_error(error):
            raise
        parsed = _failed_file(code, file.name, registry.rows_total, "staging", error)
        registry = _as_rejected(registry, parsed)
        staging.stage_contents(settings, registry, [], parsed.validation.rejections)
    crash_point("ingest.staged")
    try:
        write_feedback(
            settings, registry, parsed.validation.rejections, facts.standing(registry), parsed
        )
    except Exception as error:
        if is_environment_error(error):
            raise
        if registry.status != FileStatus.REJECTED:
            parsed = _failed_file(
                code, file.name, registry.rows_total, "writing the feedback", error
            )
            registry = _as_rejected(registry, parsed)
            staging.stage_contents(settings, registry, [], parsed.validation.rejections)
        try:
            write_feedback(
                settings, registry, parsed.validation.rejections, facts.standing(registry), parsed
            )
        except Exception:
            log.exception("province %s: %s: no feedback could be written", code, file.name)
    crash_point("ingest.feedback_written")
    staging.stage_registry(settings, registry)
    facts.add(registry, parsed.validation.rejections)
    crash_point("ingest.registered")

    result = parsed.validation
    for rejection in result.rejections[:20]:
        log.info(
            "province %s: %s%s: %s (%s)",
            code,
            file.name,
            "" if rejection.row is None else f" row {rejection.row}",
            rejection.message_en,
            rejection.code,
        )
    if len(result.rejections) > 20:
        log.info(
            "province %s: %s: %d more rejections", code, file.name, len(result.rejections) - 20
        )
    log.info(
        "province %s: %s %s: %d rows, %d accepted, %d rejected%s%s",
        code,
        file.name,
        registry.status,
        registry.rows_total,
        registry.rows_accepted,
        registry.rows_rejected,
        f" ({registry.file_reason_code})" if registry.file_reason_code else "",
        f"; warnings {registry.warnings}" if registry.warnings else "",
    )
    return registry.outcome()


def _guarded(
    province_code: str, file: SourceFile, failures: list[str], step: Callable[[], T]
) -> T | FileOutcome:
    """``step()``, or an ``error`` outcome when the source or the data directory failed (the
    failure is noted; the province's task fails after the other files are processed)."""
    try:
        return step()
    except SourceError as error:
        log.error("%s", error)
        failures.append(str(error))
        return FileOutcome(file.name, FileHandling.ERROR, error=str(error))
    except Exception as error:
        environment = is_environment_error(error)
        text = one_line(error) if environment else f"{type(error).__name__}: {error}"
        log.error(
            "province %s: %s could not be stored (%s); it will be retried on the next run",
            province_code,
            file.name,
            text,
            exc_info=not environment,
        )
        failures.append(f"{file.name}: {text}")
        return FileOutcome(file.name, FileHandling.ERROR, error=text)


def sweep_province(settings: Settings, province_code: str) -> list:
    """Remove what a killed run of this province's task left half-written (hold its lock)."""
    removed = landing.sweep_incoming(settings, province_code)
    for folder in staging.province_folders(settings, province_code):
        removed += sweep(folder, [staging.TMP_PATTERN], recursive=False)
    removed += sweep(settings.feedback / province_code, [FEEDBACK_TMP])
    removed += delivery.sweep_local(settings, province_code)
    return removed


def process_province(
    settings: Settings,
    province_code: str,
    week: IsoWeek | str | None = None,
    run_id: str | None = None,
) -> ProvinceOutcome:
    """Land, validate, stage and answer every file of one province not yet landed.

    ``week`` keeps only files named for that week, or for the weeks of a range
    ``2025-W35:2025-W47`` (files with invalid names are always processed). Returns the
    outcome, also staged as one ``ingest_outcomes`` row under ``run_id``. Raises
    :class:`SourceError` when the source cannot be listed, or when files could not be read
    from it or stored (disk full, read-only, permission; after processing all the others, so
    the province's task fails visibly and its retry picks those files up again); the outcome
    row is staged first. Runs of one province are serialised by a lock, under which what a
    killed run left half-written is removed first.
    """
    if province_code not in provinces():
        raise ValueError(f"unknown province code {province_code!r}")
    with province_lock(settings, province_code):
        sweep_province(settings, province_code)
        return _process_province(settings, province_code, week, run_id)


def province_lock(settings: Settings, province_code: str) -> FileLock:
    """The lock every writer of a province's staged files and feedback holds."""
    return FileLock(settings.data_dir / "locks" / f"ingest-{province_code}.lock")


def give_templates(
    settings: Settings, province_code: str, week: IsoWeek | None = None
) -> tuple[list[Template], tuple[ProvinceWarning, ...]]:
    """Write the province's forms (every kind) and deliver them into its drop's ``phan_hoi/``
    with its feedback, under the province's lock; the warning when its drop cannot be written."""
    with province_lock(settings, province_code):
        templates = write_templates(settings, province_code, week)
        return templates, delivery.deliver(settings, province_code)


def _process_province(
    settings: Settings, province_code: str, week: IsoWeek | str | None, run_id: str | None
) -> ProvinceOutcome:
    started_at = datetime.now(UTC)
    run_id = run_id or f"direct__{started_at:%Y%m%dT%H%M%S%fZ}"
    only_weeks = _weeks_of(week)
    window = reporting_window(settings.first_week, settings.last_week)
    source = province_source(settings, province_code)
    failures: list[str] = []
    reachable = True
    try:
        files = list_files(source)
    except SourceError as error:
        files, reachable = [], False
        failures.append(str(error))
    facts = ProvinceFiles(settings, province_code)
    # Lower versions first and misnamed files last, so the feedback of each file (version in
    # effect, next name, the rename) counts every file before it; the smaller first among
    # equals, so the parsing child has the first answer ready soonest (it parses the next file
    # while this process answers the previous one).
    named = [(file, parse_file_name(file.name, window)) for file in files]
    named.sort(
        key=lambda pair: (
            isinstance(pair[1], Rejection),
            getattr(pair[1], "version", 0),
            pair[0].size or 0,
        )
    )
    found: list[FileOutcome | _Arrival] = []
    for file, name in named:
        if only_weeks is not None and isinstance(name, FileName) and name.week not in only_weeks:
            log.info(
                "province %s: %s is for %s, not %s: left for its week",
                province_code,
                file.name,
                name.week,
                ", ".join(sorted(str(w) for w in only_weeks)),
            )
            found.append(FileOutcome(file.name, FileHandling.FILTERED))
            continue
        found.append(
            _guarded(
                province_code,
                file,
                failures,
                lambda file=file, name=name: _land(settings, source, file, name),
            )
        )
    arrivals = [item for item in found if isinstance(item, _Arrival)]
    parses = _parses(settings, arrivals, province_code, facts)
    finished = iter(
        [
            _guarded(
                province_code,
                arrival.file,
                failures,
                lambda arrival=arrival, parsed=parsed: _finish(
                    settings, arrival, parsed, run_id, facts
                ),
            )
            for arrival, parsed in zip(arrivals, parses, strict=True)
        ]
    )
    # Each landed file's outcome in its place among the others.
    outcomes = tuple(next(finished) if isinstance(item, _Arrival) else item for item in found)

    try:
        write_due_summaries(settings, facts)
    except Exception as error:
        log.exception("province %s: weekly summary not written", province_code)
        failures.append(f"weekly summary: {type(error).__name__}: {error}")
    # answers go back into the drop; not to a source that could not even be listed (a second
    # connection timeout would only delay the task's failure)
    delivered = delivery.deliver(settings, province_code) if reachable else ()

    error = None
    if failures:
        error = (
            failures[0]
            if not files
            else f"province {province_code}: {len(failures)} file(s) could not be processed "
            f"from {public_url(source.url)} (the other files were): " + "; ".join(failures)
        )
    outcome = ProvinceOutcome(
        province_code=province_code,
        province_name=provinces()[province_code].name,
        run_id=run_id,
        source_url=public_url(source.url),
        week_filter=_filter_text(only_weeks) if only_weeks else None,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        status=TaskStatus.FAILED if failures else TaskStatus.SUCCEEDED,
        error=error,
        files=outcomes,
        warnings=delivered,
    )
    try:
        staging.stage_outcome(settings, outcome)
    except OSError as stage_error:
        if not is_environment_error(stage_error):
            raise
        error = "; ".join(filter(None, (error, f"outcome not recorded: {one_line(stage_error)}")))
    log.info(
        "province %s: %d files seen, %d landed, %d skipped, %d failed",
        province_code,
        outcome.files_seen,
        outcome.files_landed,
        outcome.files_skipped,
        outcome.files_failed,
    )
    if error:
        raise SourceError(error)
    return outcome
