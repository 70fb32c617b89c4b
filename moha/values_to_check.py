"""After a warehouse build: each province's weekly summary lists the values the build asks to
check again ("Đề nghị kiểm tra lại"). The findings of each province and week are kept beside the
staged files (:mod:`ingestion.feedback.to_check`) and the week's summary is rewritten only when
they changed, so a build that found the same values rewrites nothing. A rewritten summary is
delivered to the province's drop at once (``phan_hoi/``) and mailed like any changed summary by
the next ingest run."""

from __future__ import annotations

import logging
from pathlib import Path

from core.settings import Settings
from ingestion.feedback.delivery import deliver
from ingestion.feedback.to_check import read_checks, save_checks, saved_weeks
from ingestion.feedback.weekly_summary import write_summary
from ingestion.province import province_lock
from ingestion.stage.province_files import ProvinceFiles
from warehouse.values_to_check import values_to_check

log = logging.getLogger(__name__)


def rewrite_summaries(settings: Settings) -> list[Path]:
    """Rewrite the summary of every province's week whose values to check changed since the
    last build (found now, or found before and gone); returns the summaries rewritten."""
    found = values_to_check(settings)
    changed: dict[str, list[str]] = {}
    for code, week in sorted(found.keys() | saved_weeks(settings)):
        if read_checks(settings, code, week) != found.get((code, week), []):
            changed.setdefault(code, []).append(week)
    written = []
    for code, weeks in changed.items():
        with province_lock(settings, code):  # not while an ingest writes the same summary
            for week in weeks:
                save_checks(settings, code, week, found.get((code, week), []))
                written.append(write_summary(settings, ProvinceFiles(settings, code), week))
            for warning in deliver(settings, code):  # a drop not written: the next ingest does
                log.warning("%s", warning.message)
    log.info(
        "values to check: %d province-weeks with findings, %d summaries rewritten",
        len(found),
        len(written),
    )
    return written
