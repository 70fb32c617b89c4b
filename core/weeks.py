"""ISO reporting weeks (Mon–Sun, Asia/Ho_Chi_Minh): parsing, ranges and the Monday-noon deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week, written ``2025-W35``."""

    year: int
    week: int

    def __post_init__(self) -> None:
        weeks_in_year = date(self.year, 12, 28).isocalendar().week
        if not 1 <= self.week <= weeks_in_year:
            raise ValueError(f"{self.year} has no ISO week {self.week}")

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK_RE.match(text.strip())
        if not match:
            raise ValueError(f"not an ISO week like 2025-W35: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    # Cached: row rules ask every row whether its date falls in the week.
    @cached_property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @cached_property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def deadline(self) -> datetime:
        """Monday 12:00 of the following week, Asia/Ho_Chi_Minh: files by then are on time."""
        return datetime.combine(self.monday + timedelta(days=7), time(12, 0), tzinfo=VN_TZ)

    def contains(self, day: date) -> bool:
        return self.monday <= day <= self.sunday

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))


def week_range(spec: str) -> list[IsoWeek]:
    """``2025-W35:2025-W47`` (inclusive) or a single week, as a list of weeks."""
    first, _, last = spec.partition(":")
    start = IsoWeek.parse(first)
    end = IsoWeek.parse(last) if last else start
    if end < start:
        raise ValueError(f"week range ends before it starts: {spec}")
    weeks = [start]
    while weeks[-1] < end:
        weeks.append(weeks[-1].shift(1))
    return weeks


def previous_week(now: datetime) -> IsoWeek:
    """The ISO week before the one containing ``now`` in Vietnam time."""
    return IsoWeek.of(now.astimezone(VN_TZ).date()).shift(-1)


def current_week(now: datetime | None = None) -> IsoWeek:
    """The ISO week containing ``now`` (default: the clock) in Vietnam time."""
    return IsoWeek.of((now or datetime.now(VN_TZ)).astimezone(VN_TZ).date())


def reporting_window(
    first_week: str, last_week: str | None = None, now: datetime | None = None
) -> tuple[IsoWeek, IsoWeek]:
    """The weeks a file may be named for: ``first_week`` to ``last_week``, which defaults to the
    week after the current one (a province may send early, not a year ahead)."""
    last = IsoWeek.parse(last_week) if last_week else current_week(now).shift(1)
    return IsoWeek.parse(first_week), last


def secondment_waves(spec: str) -> tuple[tuple[date, date], ...]:
    """The waves of ``MOHA_REPORT_WAVES`` (``2025-08-20..2025-10-20``, comma-separated) as
    (first day, last day); ValueError for anything else."""
    waves = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        first, sep, last = part.partition("..")
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
        if not sep or end < start:
            raise ValueError(f"not a wave: {part!r} (expected YYYY-MM-DD..YYYY-MM-DD)")
        waves.append((start, end))
    return tuple(waves)


def in_wave(week: IsoWeek, waves: tuple[tuple[date, date], ...]) -> bool:
    """A report is expected for ``week``: it overlaps one of ``waves``."""
    return any(week.monday <= end and week.sunday >= start for start, end in waves)
