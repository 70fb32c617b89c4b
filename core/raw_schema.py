"""The warehouse ``raw`` tables, declared once: ingestion stages them, both loaders create them.

Each table is a tuple of :class:`RawColumn` (name, logical type, nullability). The staging
Parquet schema (``ingestion.stage.staging``), the DuckDB loader's DDL and casts
(``warehouse.load``) and the PostgreSQL DDL (``warehouse.postgres``) are all derived from these
declarations, so a column staged is a column loaded. Columns with ``staged=False`` are added by
the loader (``loaded_at``).
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA = "raw"

VARCHAR = "varchar"
INTEGER = "integer"
BIGINT = "bigint"
DATE = "date"
TIMESTAMPTZ = "timestamptz"
TYPES = (VARCHAR, INTEGER, BIGINT, DATE, TIMESTAMPTZ)


@dataclass(frozen=True)
class RawColumn:
    name: str
    type: str
    nullable: bool = True
    staged: bool = True

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown logical type {self.type!r}")


def _c(name: str, type_: str = VARCHAR, nullable: bool = True, staged: bool = True) -> RawColumn:
    return RawColumn(name, type_, nullable, staged)


LOADED_AT = _c("loaded_at", TIMESTAMPTZ, nullable=False, staged=False)

# One row per landed file (the registry). Written last when a file is staged: its presence is
# the commit mark of the delivery.
FILES = (
    _c("file_id", nullable=False),
    _c("file_sha256", nullable=False),
    _c("province_code", nullable=False),
    _c("file_name", nullable=False),
    _c("kind"),  # null when the name is invalid
    _c("week"),  # null when the name is invalid
    _c("week_start", DATE),
    _c("version", INTEGER),
    _c("bytes", BIGINT, nullable=False),
    _c("received_at", TIMESTAMPTZ, nullable=False),
    _c("landed_at", TIMESTAMPTZ, nullable=False),
    _c("landing_path", nullable=False),
    _c("status", nullable=False),  # accepted | partly_accepted | rejected
    _c("rows_total", INTEGER, nullable=False),
    _c("rows_accepted", INTEGER, nullable=False),
    _c("rows_rejected", INTEGER, nullable=False),
    _c("file_reason_code"),
    # The week the file is filed under (feedback folder, weekly summary): the name's week, else a
    # week read from a malformed name, else the ISO week (Vietnam time) in which it arrived.
    _c("filed_week", nullable=False),
    _c("suggested_name"),  # for an invalid name: the name to send it under, when one can be told
    _c("warnings"),  # warning codes told to the province, ";"-separated (file still processed)
    _c("sheet_name"),  # the worksheet the table was read from (null for CSV or unread files)
    _c("rows_skipped", INTEGER),  # group titles, subtotals, breakdowns: skipped, never summed
    _c("ingest_run_id"),  # the ingest run that landed it
    LOADED_AT,
)

_LINEAGE = (
    _c("file_id", nullable=False),
    _c("file_sha256", nullable=False),
    _c("source_row", INTEGER, nullable=False),
    _c("province_code", nullable=False),
    _c("week", nullable=False),
)

STAFFING = (
    *_LINEAGE,
    _c("commune_code", nullable=False),
    _c("field_code", nullable=False),
    _c("approved_posts", INTEGER, nullable=False),
    _c("filled_posts", INTEGER, nullable=False),
    _c("report_date", DATE, nullable=False),
)

SECONDMENTS = (
    *_LINEAGE,
    _c("assignment_id", nullable=False),
    _c("official_id"),
    _c("full_name"),
    _c("origin_unit"),
    _c("origin_level", nullable=False),
    _c("destination_code", nullable=False),
    _c("field_code", nullable=False),
    _c("start_date", DATE, nullable=False),
    _c("end_date", DATE),
    _c("status", nullable=False),
)

OBSTACLES = (
    *_LINEAGE,
    _c("obstacle_id", nullable=False),
    _c("commune_code", nullable=False),
    _c("category_code", nullable=False),
    _c("description"),
    _c("raised_date", DATE, nullable=False),
    _c("resolution_level", nullable=False),
    _c("status", nullable=False),
    _c("resolved_date", DATE),
)

# A seconded official's weekly report (SPEC §2b): one row per section heading found
# (item_ordinal 0, item_text null) and per item of a section (item_ordinal 1, 2, …).
BAO_CAO = (
    *_LINEAGE,
    _c("section", nullable=False),  # situation | results | obstacles | proposals | next_week
    _c("section_heading", nullable=False),  # the heading as the official wrote it
    _c("item_ordinal", INTEGER, nullable=False),
    _c("item_text"),  # NFC, citizen ids and phone numbers masked
    _c("text_folded", nullable=False),  # lower case, no diacritics, đ→d: what search matches
    _c("commune_codes"),  # the province's communes the item names, ";"-separated
)

# One row per rejected cell, row or whole-file cause.
REJECTIONS = (
    _c("province_code", nullable=False),
    _c("kind"),
    _c("week"),
    _c("file_name", nullable=False),
    _c("file_id", nullable=False),
    _c("file_sha256", nullable=False),
    _c("source_row", INTEGER),  # null for a whole-file rejection
    _c("column_name"),  # canonical column
    _c("sender_column"),  # the column's header as the sender wrote it
    _c("key_value"),  # the row's key as the sender wrote it (e.g. "00004 + van_phong")
    _c("value"),  # the cell as text, truncated to the echo limit
    _c("reason_code", nullable=False),
    _c("message_vi", nullable=False),
    _c("message_en", nullable=False),
)

# One row per province task run of the ingest DAG: what it saw and did, or why it failed.
INGEST_OUTCOMES = (
    _c("outcome_id", nullable=False),  # run_id + province: one per province task run
    _c("run_id", nullable=False),
    _c("province_code", nullable=False),
    _c("started_at", TIMESTAMPTZ, nullable=False),
    _c("finished_at", TIMESTAMPTZ, nullable=False),
    _c("source_url", nullable=False),  # without credentials
    _c("week_filter"),
    _c("status", nullable=False),  # succeeded | failed
    _c("files_seen", INTEGER, nullable=False),
    _c("files_landed", INTEGER, nullable=False),
    _c("files_skipped", INTEGER, nullable=False),
    _c("files_filtered", INTEGER, nullable=False),
    _c("files_failed", INTEGER, nullable=False),
    _c("files_rejected", INTEGER, nullable=False),
    _c("rows_accepted", INTEGER, nullable=False),
    _c("rows_rejected", INTEGER, nullable=False),
    _c("error"),
    _c("warnings"),  # "<code>: <detail>" per warning, "; "-separated (feedback_not_delivered…)
    LOADED_AT,
)

PROVINCES = (
    _c("province_code", nullable=False),
    _c("province_name", nullable=False),
    _c("division_type", nullable=False),
)

COMMUNES = (
    _c("commune_code", nullable=False),
    _c("commune_name", nullable=False),
    _c("division_type", nullable=False),
    _c("province_code", nullable=False),
)

ROW_KINDS = ("staffing", "secondments", "obstacles", "bao_cao")

# Tables loaded from staged Parquet, in load order, with the column identifying what one staged
# file holds (delete + insert by that key makes a load idempotent).
STAGED_TABLES: dict[str, tuple[RawColumn, ...]] = {
    "files": FILES,
    "staffing": STAFFING,
    "secondments": SECONDMENTS,
    "obstacles": OBSTACLES,
    "bao_cao": BAO_CAO,
    "rejections": REJECTIONS,
    "ingest_outcomes": INGEST_OUTCOMES,
}
REFERENCE_TABLES: dict[str, tuple[RawColumn, ...]] = {
    "provinces": PROVINCES,
    "communes": COMMUNES,
}
TABLES: dict[str, tuple[RawColumn, ...]] = {**STAGED_TABLES, **REFERENCE_TABLES}


def staged_columns(table: str) -> tuple[RawColumn, ...]:
    """The columns a staged Parquet file of ``table`` carries, in order."""
    return tuple(column for column in TABLES[table] if column.staged)


def column_names(table: str) -> tuple[str, ...]:
    return tuple(column.name for column in TABLES[table])
