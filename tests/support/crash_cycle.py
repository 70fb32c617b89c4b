"""A small weekly cycle run in its own process group, for the crash-consistency test.

``python -m tests.support.crash_cycle <data dir> <week>...``: every province's files are
ingested, the warehouse refreshed once, then each week published, by the same functions the
DAGs call. ``MOHA_CRASH_AT`` (core.crashpoints) kills it at a named point.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from core.reference import provinces
from core.settings import Settings
from core.weeks import IsoWeek


def cycle(data_dir: Path, weeks: list[IsoWeek]) -> None:
    from ingestion.province import process_province
    from publishing.publish import publish_week
    from warehouse.refresh import refresh

    settings = Settings(data_dir=data_dir)
    for code in provinces():
        process_province(settings, code)
    refresh(settings)
    for week in weeks:
        publish_week(settings, week)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    cycle(Path(sys.argv[1]), [IsoWeek.parse(w) for w in sys.argv[2:]])
