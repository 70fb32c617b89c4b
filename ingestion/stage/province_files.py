"""A province's landed files, read once per province task: which version of each kind and week is
in effect, the next free version number, what a week holds; the facts feedback and summaries tell.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from core.settings import Settings
from core.weeks import IsoWeek
from ingestion.contract.columns import REPORT, REPORT_EXTENSIONS
from ingestion.contract.rejections import Rejection
from ingestion.intake.filenames import TABLE_EXTENSIONS, FileName, parse_file_name
from ingestion.intake.renaming import contract_name, read_name, suggested_name
from ingestion.outcomes import FileStatus
from ingestion.stage import staging
from ingestion.stage.staging import RegistryRow

_REGISTRY_FIELDS = tuple(f.name for f in fields(RegistryRow))
_ALIAS = re.compile(r"^(?P<alias>.+?)_\d{4}-w\d{2}", re.IGNORECASE)
DEFAULT_ALIAS = {
    "staffing": "bien_che",
    "secondments": "biet_phai",
    "obstacles": "vuong_mac",
    REPORT: "bao_cao",
}


def is_accepted(row: RegistryRow) -> bool:
    """Accepted or partly accepted: the file counts for versions and completeness."""
    return row.status in (FileStatus.ACCEPTED, FileStatus.PARTLY_ACCEPTED)


def _effect_order(row: RegistryRow) -> tuple:
    # As dbt's int_report_files_selected: highest version, then latest received, then file_id.
    return (row.version or 0, row.received_at, row.file_id)


@dataclass(frozen=True)
class Standing:
    """Where one file stands among its province's files of the same kind and week."""

    in_effect: RegistryRow | None  # the version whose rows count now (None: kind counts missing)
    replaced: RegistryRow | None  # the version this file took over from, when it is in effect
    first_accepted: RegistryRow | None  # the earliest accepted version: decides on time or late
    next_name: str | None  # the exact name the next file must carry (or the rename)

    def is_in_effect(self, row: RegistryRow) -> bool:
        return self.in_effect is not None and self.in_effect.file_id == row.file_id


def in_effect(versions: Iterable[RegistryRow]) -> RegistryRow | None:
    """The highest accepted version (a rejected file never supersedes)."""
    return max((r for r in versions if is_accepted(r)), key=_effect_order, default=None)


def first_accepted(versions: Iterable[RegistryRow]) -> RegistryRow | None:
    """The earliest accepted version: it decides whether the kind was on time."""
    accepted = (r for r in versions if is_accepted(r))
    return min(accepted, key=lambda r: (r.received_at, r.file_id), default=None)


def next_name(
    versions: Sequence[RegistryRow], kind: str, week: str, like: str | None, used: int = 0
) -> str:
    """The name the next file of ``kind`` and ``week`` must carry: one version above any used
    (accepted or not, and ``used``), written like ``like`` (the sender's alias and extension,
    .xlsx for a format that is not read) or, without it, like the latest file of that kind and
    week."""
    if like is None:
        latest = max(versions, key=_effect_order, default=None)
        like = latest.file_name if latest else None
    match = _ALIAS.match(like or "")
    alias = match["alias"] if match else DEFAULT_ALIAS[kind]
    extension = like.rpartition(".")[2].lower() if match and like else "xlsx"
    if kind == REPORT:
        extension = "docx"  # what a report is asked for, whatever came (a scan, a .doc)
    elif extension not in TABLE_EXTENSIONS:
        extension = "xlsx"
    version = max(used, max((r.version or 1 for r in versions), default=0)) + 1
    return contract_name(alias, IsoWeek.parse(week), version, extension)


def standing(versions: Sequence[RegistryRow], row: RegistryRow) -> Standing:
    """Where ``row`` stands among ``versions`` (the other files of its kind and week)."""
    others = [r for r in versions if r.file_id != row.file_id]
    everything = [*others, row]
    current = in_effect(everything)
    replaced = in_effect(others) if current is not None and current.file_id == row.file_id else None
    return Standing(
        current,
        replaced,
        first_accepted(everything),
        next_name(everything, row.kind, row.week, like=row.file_name),
    )


def reason_rows(rejections: Iterable[tuple[int | None, str]]) -> dict[str, int]:
    """Rows refused per reason code from (source_row, reason_code) pairs; a whole-file cause
    (no row) is listed with 0 rows."""
    rows: dict[str, set] = defaultdict(set)
    for row, code in rejections:
        members = rows[code]
        if row is not None:
            members.add(row)
    return {code: len(members) for code, members in rows.items()}


class ProvinceFiles:
    """Every registry row of one province, read from ``staged/files/<pp>/`` once, on first use
    (a task that lands nothing never reads it), plus the files staged since (``add``); rejection
    reasons per file are read from staging only when asked."""

    def __init__(
        self, settings: Settings, province_code: str, rows: Iterable[RegistryRow] | None = None
    ):
        self.settings = settings
        self.province_code = province_code
        self._loaded: dict[str, RegistryRow] | None = (
            None if rows is None else {row.file_id: row for row in rows}
        )
        self._reasons: dict[str, dict[str, int]] = {}
        self.added = 0  # files staged in this task

    @property
    def registry_dir(self) -> Path:
        return self.settings.staged / "files" / self.province_code

    def _read(self) -> dict[str, RegistryRow]:
        folder = self.registry_dir
        paths = sorted(str(p) for p in folder.glob("*.parquet")) if folder.exists() else []
        if not paths:
            return {}
        table = ds.dataset(paths, schema=staging.REGISTRY_SCHEMA, format="parquet").to_table()
        rows = (
            RegistryRow(
                **{k: r.get(k) for k in _REGISTRY_FIELDS} | {"status": FileStatus(r["status"])}
            )
            for r in table.to_pylist()
        )
        return {row.file_id: row for row in rows}

    @property
    def _rows(self) -> dict[str, RegistryRow]:
        if self._loaded is None:
            self._loaded = self._read()
        return self._loaded

    def add(self, row: RegistryRow, rejections: Sequence[Rejection]) -> None:
        """A file staged in this task, with its rejections (so they are not read back)."""
        self._rows[row.file_id] = row
        self._reasons[row.file_id] = reason_rows((r.row, r.code) for r in rejections)
        self.added += 1

    def versions(self, kind: str, week: str) -> list[RegistryRow]:
        """Every file of ``kind`` named for ``week``, rejected ones included."""
        return [r for r in self._rows.values() if r.kind == kind and r.week == week]

    def standing(self, row: RegistryRow) -> Standing:
        """Where ``row`` (landed, not necessarily added yet) stands among the other files of its
        kind and week; for a misnamed file only the rename (its ``suggested_name``)."""
        if row.kind is None or row.week is None:
            return Standing(None, None, None, row.suggested_name)
        return standing(self.versions(row.kind, row.week), row)

    def next_name(self, name: FileName) -> str:
        """The name of the file to send after ``name`` (a file not staged yet)."""
        versions = self.versions(name.kind, str(name.week))
        return next_name(versions, name.kind, str(name.week), like=name.name, used=name.version)

    def suggested_name(self, file_name: str, received_at: datetime) -> str | None:
        """What to rename a misnamed file to, when its kind and week can be read from the name
        and its format is read (a rename does not make an .xlsm an .xlsx); carries the next
        free version when that kind and week already have files."""
        reading = read_name(file_name, received_at)
        if reading.kind is None or reading.week is None:
            return None
        versions = self.versions(reading.kind, str(reading.week))
        name = suggested_name(reading, max((r.version or 1 for r in versions), default=0) + 1)
        parsed = parse_file_name(name)
        if not isinstance(parsed, FileName):
            return None
        read = REPORT_EXTENSIONS if parsed.kind == REPORT else TABLE_EXTENSIONS
        return name if parsed.extension in read else None

    def filed_under(self, week: str) -> list[RegistryRow]:
        """Files filed under ``week`` (their name's week, or the week read or received)."""
        return sorted(
            (r for r in self._rows.values() if r.filed_week == week),
            key=lambda r: (r.received_at, r.file_name),
        )

    def weeks(self) -> set[str]:
        return {r.filed_week for r in self._rows.values()}

    def reasons(self, file_id: str) -> dict[str, int]:
        """Rows refused per reason code in one file (staged rejections, read once)."""
        if file_id not in self._reasons:
            path = staging.rejections_path(self.settings, self.province_code, file_id)
            pairs: list[tuple[int | None, str]] = []
            if path.exists():
                table = pq.read_table(path, columns=["source_row", "reason_code"])
                pairs = list(
                    zip(
                        table.column("source_row").to_pylist(),
                        table.column("reason_code").to_pylist(),
                        strict=True,
                    )
                )
            self._reasons[file_id] = reason_rows(pairs)
        return self._reasons[file_id]
