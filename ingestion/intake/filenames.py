"""Parse file names ``<kind>_<YYYY>-W<ww>[_v<n>].<csv|xlsx|xls|ods|docx|pdf>`` into kind, week and
version.

Only ASCII digits count (``２０２５`` is not 2025), versions have at most three digits, and a week
outside the reporting window is refused. A name that is valid but for a spreadsheet format the
ministry does not read (``.xlsm``, ``.xlsb``, ``.numbers``…) is parsed too, so its kind, week and
version are known, and :func:`refuse_format` turns it down whole, unread, asking for a save as
``.xlsx``. :func:`safe_name` gives the name a file is stored under on disk, whatever the sender
called it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from core.weeks import VN_TZ, IsoWeek
from ingestion.contract.columns import KIND_ALIASES, REPORT, REPORT_EXTENSIONS
from ingestion.contract.messages import SAVE_AS_FORMATS
from ingestion.contract.rejections import Rejection, reject
from ingestion.intake.renaming import read_name

TABLE_EXTENSIONS = ("csv", "xlsx", "xls", "ods")  # the formats tables are read from
EXTENSIONS = TABLE_EXTENSIONS + REPORT_EXTENSIONS  # the formats that are read
SAVE_AS_EXTENSIONS = tuple(SAVE_AS_FORMATS)  # spreadsheets to be saved as .xlsx, never read
WORD_EXTENSIONS = ("doc", "docm", "dot", "dotm", "rtf", "odt")  # reports to be saved as .docx
_NAME = re.compile(
    r"^(?P<kind>[a-z_]+?)_(?P<year>[0-9]{4})-w(?P<week>[0-9]{2})(?:_v(?P<version>[0-9]{1,3}))?"
    r"\.(?P<ext>" + "|".join(EXTENSIONS + SAVE_AS_EXTENSIONS + WORD_EXTENSIONS) + r")$",
    re.IGNORECASE | re.ASCII,
)
# Longest name stored as sent: every valid name is far shorter (``secondments_2025-W35_v999.xlsx``)
MAX_SAFE_NAME_BYTES = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class FileName:
    """A valid file name: canonical kind, week, version (1 without ``_v<n>``), extension
    (lower case; one of :data:`SAVE_AS_EXTENSIONS` for a file to be saved as .xlsx)."""

    name: str
    kind: str
    week: IsoWeek
    version: int
    extension: str


def parse_file_name(
    name: str, window: tuple[IsoWeek, IsoWeek] | None = None
) -> FileName | Rejection:
    """The parsed name, or ``invalid_file_name`` for unknown kinds, weeks or extensions, and for a
    week outside ``window`` (first, last) when one is given."""
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
    if window is not None and not window[0] <= week <= window[1]:
        return reject(
            "invalid_file_name",
            name,
            variant="outside_window",
            week=str(week),
            first=str(window[0]),
            last=str(window[1]),
        )
    return FileName(name, kind, week, version, match["ext"].lower())


def refuse_format(name: FileName, next_name: str) -> Rejection | None:
    """``unreadable_file`` for a file in a format that is not read for its kind: a spreadsheet
    (variant ``save_as``) is asked for a save as .xlsx under ``next_name``, a report that is not
    .docx or .pdf (a Word 97 .doc, a .docm with macros) for a save as .docx (variant
    ``send_docx``), a document sent for a table kind for a spreadsheet; None for a format that
    is read."""
    if name.kind == REPORT:
        if name.extension in REPORT_EXTENSIONS:
            return None
        return reject(
            "unreadable_file",
            name.name,
            variant="send_docx",
            next_name=next_name,
            detail=f".{name.extension} is not read",
        )
    if name.extension in REPORT_EXTENSIONS + WORD_EXTENSIONS:
        return reject("unreadable_file", name.name, detail=f"a .{name.extension} for a table kind")
    if name.extension not in SAVE_AS_EXTENSIONS:
        return None
    label, how, english = SAVE_AS_FORMATS[name.extension]
    return reject(
        "unreadable_file",
        name.name,
        variant="save_as",
        format=label,
        how=how,
        format_en=english,
        next_name=next_name,
    )


def safe_name(name: str) -> str:
    """The name a received file (and anything named after it) is stored under on disk.

    The sender's name when it is short and plain; otherwise ``sha256(name)[:24]`` plus the
    extension when that is one of ours, so an over-long name (``ENAMETOOLONG``), a control
    character or a separator never reaches a path. The registry keeps the original name.
    """
    size = len(name.encode("utf-8", "surrogatepass"))
    if 0 < size <= MAX_SAFE_NAME_BYTES and not _UNSAFE.search(name) and name not in (".", ".."):
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    known = EXTENSIONS + SAVE_AS_EXTENSIONS + WORD_EXTENSIONS
    return f"ten_dai_{digest}" + (f".{suffix}" if suffix in known else "")


def filed_week(name: FileName | Rejection, received_at: datetime) -> str:
    """The week a file is filed under: its name's week, else a week read from the malformed
    name (:func:`ingestion.intake.renaming.read_name`), else the ISO week (Vietnam time) in which it
    was received."""
    if isinstance(name, FileName):
        return str(name.week)
    week = read_name(name.file, received_at).week
    return str(week or IsoWeek.of(received_at.astimezone(VN_TZ).date()))
