"""Writes synthetic staged Parquet with ingestion's own schemas, for warehouse tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.settings import Settings
from core.weeks import VN_TZ, IsoWeek
from ingestion.stage.staging import REGISTRY_SCHEMA, REJECTION_SCHEMA, ROW_SCHEMAS


def vn_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Vietnam wall-clock time as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ).astimezone(UTC)


class StagedBuilder:
    """Stages one landed file at a time: registry row, accepted rows, rejections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _write(self, path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=schema)
        pq.write_table(table, path)

    def add(
        self,
        province: str,
        kind: str | None,
        week: str | None,
        rows: list[dict[str, Any]] = (),
        *,
        version: int = 1,
        status: str = "accepted",
        received_at: datetime | None = None,
        rejections: list[dict[str, Any]] = (),
        file_name: str | None = None,
        file_reason_code: str | None = None,
        rows_total: int | None = None,
    ) -> str:
        """Stage a file; returns its sha256. ``rows`` hold the kind's canonical columns only."""
        iso = IsoWeek.parse(week) if week else None
        suffix = "" if version == 1 else f"_v{version}"
        name = file_name or f"{kind}_{week}{suffix}.csv"
        received = received_at or vn_time(iso.monday + timedelta(days=4)) if iso else received_at
        received = received or datetime(2025, 9, 1, tzinfo=UTC)
        sha = hashlib.sha256(
            repr((province, name, version, status, received, list(rows))).encode()
        ).hexdigest()
        rows_rejected = len({r.get("source_row") for r in rejections if r.get("source_row")})
        registry = {
            "file_id": sha,
            "file_sha256": sha,
            "province_code": province,
            "file_name": name,
            "kind": kind,
            "week": week,
            "week_start": iso.monday if iso else None,
            "version": version if iso else None,
            "bytes": 1000 + len(rows),
            "received_at": received,
            "landed_at": received + timedelta(minutes=5),
            "landing_path": f"landing/{province}/{week or 'no_week'}/{sha}/{name}",
            "status": status,
            "rows_total": rows_total if rows_total is not None else len(rows) + rows_rejected,
            "rows_accepted": len(rows) if status != "rejected" else 0,
            "rows_rejected": rows_rejected,
            "file_reason_code": file_reason_code,
            "filed_week": week or str(IsoWeek.of(received.astimezone(VN_TZ).date())),
        }
        staged = self.settings.staged
        self._write(staged / "files" / province / f"{sha}.parquet", [registry], REGISTRY_SCHEMA)
        if kind and status != "rejected":
            data = [
                {
                    "file_id": sha,
                    "file_sha256": sha,
                    "source_row": i + 2,
                    "province_code": province,
                    "week": week,
                }
                | row
                for i, row in enumerate(rows)
            ]
            self._write(
                staged / "rows" / kind / province / f"{sha}.parquet", data, ROW_SCHEMAS[kind]
            )
        rejection_rows = [
            {
                "province_code": province,
                "kind": kind,
                "week": week,
                "file_name": name,
                "file_id": sha,
                "file_sha256": sha,
                "source_row": None,
                "column_name": None,
                "value": None,
                "reason_code": file_reason_code or "invalid_number",
                "message_vi": "Lỗi",
                "message_en": "Error",
            }
            | r
            for r in rejections
        ]
        self._write(
            staged / "rejections" / province / f"{sha}.parquet", rejection_rows, REJECTION_SCHEMA
        )
        return sha
