"""Staged Parquet per landed file (rows, rejections, registry row last), written atomically."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core import raw_schema
from core.crashpoints import crash_point
from core.settings import Settings
from ingestion.contract.columns import NIL_RETURN_KINDS
from ingestion.contract.rejections import Rejection
from ingestion.outcomes import FileHandling, FileOutcome, FileStatus, ProvinceOutcome

_ARROW_TYPES = {
    raw_schema.VARCHAR: pa.string(),
    raw_schema.INTEGER: pa.int32(),
    raw_schema.BIGINT: pa.int64(),
    raw_schema.DATE: pa.date32(),
    raw_schema.TIMESTAMPTZ: pa.timestamp("us", tz="UTC"),
}


def arrow_schema(table: str) -> pa.Schema:
    """The staged Parquet schema of a raw table, derived from :mod:`core.raw_schema`."""
    return pa.schema(
        [
            pa.field(column.name, _ARROW_TYPES[column.type], nullable=column.nullable)
            for column in raw_schema.staged_columns(table)
        ]
    )


ROW_SCHEMAS: dict[str, pa.Schema] = {kind: arrow_schema(kind) for kind in raw_schema.ROW_KINDS}
REJECTION_SCHEMA = arrow_schema("rejections")
REGISTRY_SCHEMA = arrow_schema("files")
OUTCOME_SCHEMA = arrow_schema("ingest_outcomes")


@dataclass(frozen=True)
class RegistryRow:
    """The ``staged/files`` row of one landed file (docs/architecture.md)."""

    file_id: str
    file_sha256: str
    province_code: str
    file_name: str
    kind: str | None
    week: str | None
    week_start: date | None
    version: int | None
    bytes: int
    received_at: datetime
    landed_at: datetime
    landing_path: str
    status: FileStatus
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    file_reason_code: str | None
    filed_week: str
    suggested_name: str | None = None
    warnings: str | None = None
    sheet_name: str | None = None
    rows_skipped: int | None = None  # null for files staged before it was counted
    ingest_run_id: str | None = None

    @property
    def is_nil_return(self) -> bool:
        """A secondments or obstacles file accepted with the header and no data row: "nothing
        to report this week" (SPEC §2)."""
        return (
            self.kind in NIL_RETURN_KINDS
            and self.status != FileStatus.REJECTED
            and self.rows_total == 0
        )

    def outcome(self) -> FileOutcome:
        """What the province task reports of this landed file."""
        return FileOutcome(
            self.file_name,
            FileHandling.LANDED,
            self.file_id,
            self.file_sha256,
            self.kind,
            self.week,
            self.version,
            self.status,
            self.file_reason_code,
            self.rows_total,
            self.rows_accepted,
            self.rows_rejected,
            self.warnings,
        )


if list(RegistryRow.__dataclass_fields__) != REGISTRY_SCHEMA.names:  # pragma: no cover
    raise ImportError("RegistryRow fields differ from core.raw_schema.FILES")
if not {"outcome_id", *ProvinceOutcome.__dataclass_fields__} >= set(OUTCOME_SCHEMA.names):
    raise ImportError("ProvinceOutcome lacks a column of core.raw_schema.INGEST_OUTCOMES")


def delivery_id(province_code: str, file_name: str, sha256: str) -> str:
    """Identity of one delivery: the same bytes under another name (say an unchanged roster
    sent again for the next week) are a new delivery; the same bytes and name are not."""
    return hashlib.sha256(f"{province_code}/{file_name}/{sha256}".encode()).hexdigest()[:32]


def registry_path(settings: Settings, province_code: str, file_id: str) -> Path:
    return settings.staged / "files" / province_code / f"{file_id}.parquet"


def rows_path(settings: Settings, kind: str, province_code: str, file_id: str) -> Path:
    return settings.staged / "rows" / kind / province_code / f"{file_id}.parquet"


def rejections_path(settings: Settings, province_code: str, file_id: str) -> Path:
    return settings.staged / "rejections" / province_code / f"{file_id}.parquet"


def outcome_path(settings: Settings, province_code: str, outcome_id: str) -> Path:
    return settings.staged / "outcomes" / province_code / f"{outcome_id}.parquet"


def outcome_id(run_id: str, province_code: str) -> str:
    """One outcome per province task run (a retry of the same run replaces it)."""
    return hashlib.sha256(f"{run_id}/{province_code}".encode()).hexdigest()[:32]


def is_staged(settings: Settings, province_code: str, file_id: str) -> bool:
    """A delivery is done once its registry row exists (it is written last)."""
    return registry_path(settings, province_code, file_id).exists()


TMP_PATTERN = ".*.parquet.*.tmp"  # what write_parquet leaves when killed before its rename
_ONE_ROW = {"compression": "none", "use_dictionary": False, "write_statistics": False}


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write to a temporary file beside ``path`` and rename it into place. A one-row table (a
    registry row, an outcome) is written without compression, dictionary or statistics: they
    gain nothing on one row and cost a third of the write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, **(_ONE_ROW if table.num_rows == 1 else {}))
        crash_point("staging.tmp_written")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def province_folders(settings: Settings, province_code: str) -> list[Path]:
    """Every staged folder one province's task writes to (where its temporaries can be)."""
    kinds = [settings.staged / "rows" / kind / province_code for kind in raw_schema.ROW_KINDS]
    return [
        settings.staged / "files" / province_code,
        *kinds,
        settings.staged / "rejections" / province_code,
        settings.staged / "outcomes" / province_code,
    ]


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


def _records_table(
    records: list[dict[str, Any]], lineage: dict[str, Any], schema: pa.Schema
) -> pa.Table:
    """Like ``_table`` over ``{**lineage, **record}`` rows, without copying every row."""
    count = len(records)
    keys = records[0].keys() if records else ()  # a kind's records all have the same keys
    columns = {}
    for name in schema.names:
        if name in lineage:
            columns[name] = [lineage[name]] * count
        elif name in keys:
            columns[name] = list(map(itemgetter(name), records))
        else:
            columns[name] = [None] * count
    return pa.table(columns, schema=schema)


def stage_contents(
    settings: Settings,
    registry: RegistryRow,
    records: list[dict[str, Any]],
    rejections: list[Rejection],
) -> None:
    """Write a file's accepted rows (when the name gave a kind) and its rejections (no file when
    there are none: most deliveries); the registry row, written by :func:`stage_registry` once
    the feedback exists, commits them."""
    lineage = {
        "file_id": registry.file_id,
        "file_sha256": registry.file_sha256,
        "province_code": registry.province_code,
        "week": registry.week,
    }
    if registry.kind is not None:
        write_parquet(
            _records_table(records, lineage, ROW_SCHEMAS[registry.kind]),
            rows_path(settings, registry.kind, registry.province_code, registry.file_id),
        )
    rejection_rows = [
        {
            "province_code": registry.province_code,
            "kind": registry.kind,
            "week": registry.week,
            "file_name": registry.file_name,
            "file_id": registry.file_id,
            "file_sha256": registry.file_sha256,
            "source_row": rejection.row,
            "column_name": rejection.column,
            "sender_column": rejection.sender_column,
            "key_value": rejection.key_value,
            "value": rejection.value,
            "reason_code": rejection.code,
            "message_vi": rejection.message_vi,
            "message_en": rejection.message_en,
        }
        for rejection in rejections
    ]
    path = rejections_path(settings, registry.province_code, registry.file_id)
    if rejection_rows:
        write_parquet(_table(rejection_rows, REJECTION_SCHEMA), path)
    else:  # what a run killed before the registry row left, should this parse differ
        path.unlink(missing_ok=True)


def stage_registry(settings: Settings, registry: RegistryRow) -> None:
    """Write the registry row: the commit mark of a delivery (:func:`is_staged`)."""
    write_parquet(
        _table([vars(registry)], REGISTRY_SCHEMA),
        registry_path(settings, registry.province_code, registry.file_id),
    )


def stage_outcome(settings: Settings, outcome: ProvinceOutcome) -> Path:
    """Write one province task's outcome row (``core.raw_schema.INGEST_OUTCOMES``): its fields
    and counts, not its files."""
    key = outcome_id(outcome.run_id, outcome.province_code)
    warned = "; ".join(f"{w.code}: {w.message}" for w in outcome.warnings) or None
    row = {**vars(outcome), "outcome_id": key, "warnings": warned}
    path = outcome_path(settings, outcome.province_code, key)
    write_parquet(_table([row], OUTCOME_SCHEMA), path)
    return path
