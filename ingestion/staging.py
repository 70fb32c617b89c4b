"""Staged Parquet per landed file (rows, rejections, registry row last), written atomically."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.contract import OBSTACLES, SECONDMENTS, STAFFING
from ingestion.rejections import Rejection
from moha.settings import Settings

_LINEAGE = [
    ("file_id", pa.string()),
    ("file_sha256", pa.string()),
    ("source_row", pa.int32()),
    ("province_code", pa.string()),
    ("week", pa.string()),
]

ROW_SCHEMAS: dict[str, pa.Schema] = {
    STAFFING: pa.schema(
        [
            *_LINEAGE,
            ("commune_code", pa.string()),
            ("field_code", pa.string()),
            ("approved_posts", pa.int32()),
            ("filled_posts", pa.int32()),
            ("report_date", pa.date32()),
        ]
    ),
    SECONDMENTS: pa.schema(
        [
            *_LINEAGE,
            ("assignment_id", pa.string()),
            ("official_id", pa.string()),
            ("full_name", pa.string()),
            ("origin_unit", pa.string()),
            ("origin_level", pa.string()),
            ("destination_code", pa.string()),
            ("field_code", pa.string()),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("status", pa.string()),
        ]
    ),
    OBSTACLES: pa.schema(
        [
            *_LINEAGE,
            ("obstacle_id", pa.string()),
            ("commune_code", pa.string()),
            ("category_code", pa.string()),
            ("description", pa.string()),
            ("raised_date", pa.date32()),
            ("resolution_level", pa.string()),
            ("status", pa.string()),
            ("resolved_date", pa.date32()),
        ]
    ),
}

REJECTION_SCHEMA = pa.schema(
    [
        ("province_code", pa.string()),
        ("kind", pa.string()),
        ("week", pa.string()),
        ("file_name", pa.string()),
        ("file_id", pa.string()),
        ("file_sha256", pa.string()),
        ("source_row", pa.int32()),
        ("column_name", pa.string()),
        ("value", pa.string()),
        ("reason_code", pa.string()),
        ("message_vi", pa.string()),
        ("message_en", pa.string()),
    ]
)

REGISTRY_SCHEMA = pa.schema(
    [
        ("file_id", pa.string()),
        ("file_sha256", pa.string()),
        ("province_code", pa.string()),
        ("file_name", pa.string()),
        ("kind", pa.string()),
        ("week", pa.string()),
        ("week_start", pa.date32()),
        ("version", pa.int32()),
        ("bytes", pa.int64()),
        ("received_at", pa.timestamp("us", tz="UTC")),
        ("landed_at", pa.timestamp("us", tz="UTC")),
        ("landing_path", pa.string()),
        ("status", pa.string()),
        ("rows_total", pa.int32()),
        ("rows_accepted", pa.int32()),
        ("rows_rejected", pa.int32()),
        ("file_reason_code", pa.string()),
    ]
)


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
    status: str
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    file_reason_code: str | None


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


def is_staged(settings: Settings, province_code: str, file_id: str) -> bool:
    """A delivery is done once its registry row exists (it is written last)."""
    return registry_path(settings, province_code, file_id).exists()


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


def _records_table(
    records: list[dict[str, Any]], lineage: dict[str, Any], schema: pa.Schema
) -> pa.Table:
    """Like ``_table`` over ``{**lineage, **record}`` rows, without copying every row."""
    count = len(records)
    columns = {
        name: [lineage[name]] * count
        if name in lineage
        else [record.get(name) for record in records]
        for name in schema.names
    }
    return pa.table(columns, schema=schema)


def stage_file(
    settings: Settings,
    registry: RegistryRow,
    records: list[dict[str, Any]],
    rejections: list[Rejection],
) -> None:
    """Write accepted rows (when the name gave a kind), rejections, and finally the registry row."""
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
            "value": rejection.value,
            "reason_code": rejection.code,
            "message_vi": rejection.message_vi,
            "message_en": rejection.message_en,
        }
        for rejection in rejections
    ]
    write_parquet(
        _table(rejection_rows, REJECTION_SCHEMA),
        rejections_path(settings, registry.province_code, registry.file_id),
    )
    write_parquet(
        _table([vars(registry)], REGISTRY_SCHEMA),
        registry_path(settings, registry.province_code, registry.file_id),
    )
