"""When each province sends each kind for a week: on time, late, missing, or v1 then a v2 fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from core.weeks import VN_TZ, IsoWeek
from simulator.world import rng_for

KINDS = ("staffing", "secondments", "obstacles")
MISSING_RATE = 0.03
LATE_RATE = 0.07
CORRECTION_RATE = 0.05


@dataclass(frozen=True)
class Version:
    """One version a province sends: number, received time, whether it holds stale numbers."""

    version: int
    received: datetime
    stale: bool


def window(week: IsoWeek) -> tuple[datetime, datetime, datetime]:
    """Friday 08:00 of the week; on-time end Monday 11:45 of the next; late end Wednesday 17:00."""
    friday = datetime.combine(week.monday + timedelta(days=4), time(8, 0), tzinfo=VN_TZ)
    return friday, week.deadline - timedelta(minutes=15), week.deadline + timedelta(hours=53)


def schedule(seed: int, pp: str, week: IsoWeek) -> dict[str, list[Version]]:
    """Versions sent per kind (an empty list: the kind is missing this week)."""
    rng = rng_for(seed, pp, week, "schedule")
    start, on_time_end, late_end = window(week)
    span = (on_time_end - start).total_seconds()
    base = start + timedelta(seconds=rng.uniform(0, span))
    out: dict[str, list[Version]] = {}
    for kind in KINDS:
        roll = rng.random()
        if roll < MISSING_RATE:
            out[kind] = []
            continue
        if roll < MISSING_RATE + LATE_RATE:
            late_start = week.deadline + timedelta(minutes=15)
            sent = late_start + timedelta(
                seconds=rng.uniform(0, (late_end - late_start).total_seconds())
            )
        else:
            sent = base + timedelta(minutes=rng.uniform(0, 40))
            if sent > on_time_end:
                sent = base - timedelta(minutes=rng.uniform(1, 40))
        sent = sent.replace(microsecond=0)
        versions = [Version(1, sent, False)]
        if rng.random() < CORRECTION_RATE:
            corrected = sent + timedelta(hours=rng.uniform(20, 50))
            versions = [Version(1, sent, True), Version(2, corrected.replace(microsecond=0), False)]
        out[kind] = versions
    return out
