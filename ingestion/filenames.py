"""Parse file names ``<kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx>`` into kind, week and version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.weeks import VN_TZ, IsoWeek
from ingestion.contract import KIND_ALIASES
from ingestion.rejections import Rejection, reject
from ingestion.renaming import read_name

_NAME = re.compile(
    r"^(?P<kind>[a-z_]+?)_(?P<year>\d{4})-w(?P<week>\d{2})(?:_v(?P<version>\d+))?\.(?P<ext>csv|xlsx)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileName:
    """A valid file name: canonical kind, week, version (1 without ``_v<n>``), extension."""

    name: str
    kind: str
    week: IsoWeek
    version: int
    extension: str


def parse_file_name(name: str) -> FileName | Rejection:
    """The parsed name, or ``invalid_file_name`` for unknown kinds, weeks or extensions."""
    match = _NAME.match(name.strip())
    if match is None:
        return reject("invalid_file_name", name)
    kind = KIND_ALIASES.get(match["kind"].lower())
    version = int(match["version"]) if match["version"] else 1
    if kind is None or version < 1:
        return reject("invalid_file_name", name)
    try:
        week = IsoWeek(int(match["year"]), int(match["week"]))
    except ValueError:
        return reject("invalid_file_name", name)
    return FileName(name, kind, week, version, match["ext"].lower())


def filed_week(name: FileName | Rejection, received_at: datetime) -> str:
    """The week a file is filed under: its name's week, else a week read from the malformed
    name (:func:`ingestion.renaming.read_name`), else the ISO week (Vietnam time) in which it
    was received."""
    if isinstance(name, FileName):
        return str(name.week)
    week = read_name(name.file, received_at).week
    return str(week or IsoWeek.of(received_at.astimezone(VN_TZ).date()))
