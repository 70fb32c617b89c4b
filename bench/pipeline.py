"""The pipeline steps the figures time, called directly (no Airflow): ingest, build, publish."""

from __future__ import annotations

from core import reference
from core.settings import Settings
from core.weeks import IsoWeek


def ingest(settings: Settings, week: IsoWeek | None, provinces: list[str] | None = None) -> dict:
    """process_province for each province (all 34 by default); rows accepted / rejected."""
    from ingestion.province import process_province

    accepted = rejected = files = 0
    for pp in provinces or list(reference.provinces()):
        out = process_province(settings, pp, week)
        accepted += out.rows_accepted
        rejected += out.rows_rejected
        files += out.files_landed
    return {"files_landed": files, "rows_accepted": accepted, "rows_rejected": rejected}


def build(settings: Settings) -> dict:
    """The warehouse refresh (warehouse.refresh: load, one dbt build, the analysts' snapshot)."""
    from warehouse.refresh import refresh

    steps = refresh(settings)
    return {
        "files_loaded": steps.load_staged.files_loaded,
        "dbt_seconds": steps.dbt_build.seconds,
    }


def publish(settings: Settings, week: IsoWeek) -> str:
    """publish_week; a blocked gate is an outcome (the work up to it was done), not a crash."""
    from publishing import GateFailed
    from publishing.publish import publish_week

    try:
        return publish_week(settings, week).status
    except GateFailed:
        return "blocked"


def cycle(settings: Settings, week: IsoWeek, provinces: list[str] | None = None) -> dict:
    """One weekly cycle, task functions called directly in this process."""
    ingested = ingest(settings, week, provinces)
    built = build(settings)
    return {**ingested, **built, "publish": publish(settings, week)}
