"""Parse file names ``<kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx>`` into kind, week and version."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.contract import KIND_ALIASES
from ingestion.rejections import Rejection, reject
from moha.weeks import IsoWeek

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
