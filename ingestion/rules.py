"""Row rules per kind (SPEC §2): normalise rows, collect rejections, settle the file status."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from core import reference
from core.weeks import IsoWeek
from ingestion.contract import (
    ALLOWED_CODES,
    CODE_LISTS,
    KEYS,
    OBSTACLES,
    SECONDMENTS,
    STAFFING,
    column_label,
)
from ingestion.headers import Table
from ingestion.messages import REASON_CODES
from ingestion.normalise import (
    Cell,
    InvalidValue,
    as_text,
    pad_code,
    parse_count,
    parse_date,
    resolve_code,
)
from ingestion.rejections import Rejection, reject

ACCEPTED = "accepted"
PARTLY_ACCEPTED = "partly_accepted"
REJECTED = "rejected"

_KEY_LABELS = {
    STAFFING: "cặp Mã xã và Lĩnh vực",
    SECONDMENTS: "Mã biệt phái",
    OBSTACLES: "Mã vướng mắc",
}


@dataclass(frozen=True)
class Validation:
    """Outcome of one file's rows: staged records, rejections and the registry figures."""

    records: list[dict[str, Any]]
    rejections: list[Rejection]
    rows_total: int
    rows_accepted: int
    rows_rejected: int  # rows not staged: every row when the file is rejected whole
    status: str
    file_reason_code: str | None


def _fmt(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@cache
def _province_communes(province_code: str) -> frozenset[str]:
    return frozenset(reference.communes_of(province_code))


@cache
def _codes(kind: str, column: str) -> dict[str, str]:
    """The code list a column is checked against, narrowed where SPEC allows only part of it."""
    codes = reference.code_list(CODE_LISTS[kind][column])
    allowed = ALLOWED_CODES.get((kind, column))
    if allowed is None:
        return codes
    return {code: label for code, label in codes.items() if code in allowed}


# The normalisers are pure functions of one hashable cell, and a file repeats the same cells
# (communes, fields, dates, small counts) thousands of times: memoise them per process.
# ``typed`` keeps 1, 1.0 and True apart; exceptions are not cached (recomputed each time).
_parse_date = lru_cache(maxsize=4096, typed=True)(parse_date)
_parse_count = lru_cache(maxsize=4096, typed=True)(parse_count)
_pad_code = lru_cache(maxsize=16384, typed=True)(pad_code)


@lru_cache(maxsize=4096, typed=True)
def _resolve(kind: str, column: str, value: Cell) -> str | None:
    try:
        return resolve_code(value, _codes(kind, column))
    except InvalidValue:
        return None


class _Row:
    """Checks one row's cells, collecting at most one rejection per column."""

    def __init__(self, number: int, values: dict[str, Cell], ctx: _FileContext) -> None:
        self.number = number
        self.values = values
        self.ctx = ctx
        self.rejections: list[Rejection] = []
        self.owner: str | None = None  # the other province a commune code belongs to

    def fail(self, code: str, column: str | None, **context: Any) -> None:
        if column is not None and any(r.column == column for r in self.rejections):
            return
        value = as_text(self.values.get(column)) if column else None
        self.rejections.append(
            reject(
                code,
                self.ctx.file_name,
                self.number,
                column,
                value,
                key_value=self.key_text(),
                sender_column=self.ctx.sender_columns.get(column or "", column_label(column or "")),
                **self.ctx.message_context,
                **context,
            )
        )

    def key_text(self) -> str | None:
        """The row's key as the sender wrote it (``00004 + Văn phòng``), None when blank."""
        parts = [as_text(self.values.get(column)) for column in KEYS[self.ctx.kind]]
        if all(part is None for part in parts):
            return None
        return " + ".join(part or "" for part in parts)

    def text(self, column: str, required: bool = False) -> str | None:
        text = as_text(self.values.get(column))
        if text is None and required:
            self.fail("unknown_code", column, variant="blank_id")
        return text

    def date(self, column: str, required: bool) -> date | None:
        try:
            day = _parse_date(self.values.get(column))
        except InvalidValue as error:
            self.fail(error.reason, column)
            return None
        if day is None and required:
            self.fail("invalid_date", column)
        return day

    def count(self, column: str) -> int | None:
        try:
            return _parse_count(self.values.get(column))
        except InvalidValue as error:
            self.fail(error.reason, column)
            return None

    def code(self, column: str) -> str | None:
        code = _resolve(self.ctx.kind, column, self.values.get(column))
        if code is None:
            codes = _codes(self.ctx.kind, column)
            listing = "; ".join(f"{code} ({label})" for code, label in codes.items())
            self.fail("unknown_code", column, allowed=listing)
        return code

    def commune(self, column: str) -> str | None:
        code = _pad_code(self.values.get(column), 5)
        if code is None:
            self.fail("unknown_commune", column, variant="blank")
            return None
        commune = reference.communes().get(code)
        if commune is None:
            self.fail("unknown_commune", column)
            return None
        if code not in _province_communes(self.ctx.province_code):
            other = reference.provinces()[commune.province_code]
            self.owner = commune.province_code
            self.fail(
                "commune_not_in_province",
                column,
                other=f"{commune.name} ({other.name})",
                other_code=commune.province_code,
            )
            return None
        return code

    def province(self, column: str) -> str | None:
        code = _pad_code(self.values.get(column), 2)
        if code is None:
            self.fail("unknown_commune", column, variant="blank")
            return None
        province = reference.provinces().get(code)
        if province is None:
            self.fail("unknown_commune", column)
            return None
        if code != self.ctx.province_code:
            self.owner = code
            self.fail("commune_not_in_province", column, other=province.name, other_code=code)
            return None
        return code


@dataclass(frozen=True)
class _FileContext:
    kind: str
    file_name: str
    province_code: str
    week: IsoWeek
    sender_columns: dict[str, str]

    @property
    def message_context(self) -> dict[str, str]:
        return {
            "province": reference.provinces()[self.province_code].name,
            "province_code": self.province_code,
            "week": str(self.week),
            "week_start": _fmt(self.week.monday),
            "week_end": _fmt(self.week.sunday),
        }


def _staffing(row: _Row) -> dict[str, Any]:
    week = row.ctx.week
    record = {
        "commune_code": row.commune("commune_code"),
        "field_code": row.code("field_code"),
        "approved_posts": row.count("approved_posts"),
        "filled_posts": row.count("filled_posts"),
        "report_date": row.date("report_date", required=True),
    }
    if record["report_date"] is not None and not week.contains(record["report_date"]):
        row.fail("date_out_of_range", "report_date")
    return record


def _secondments(row: _Row) -> dict[str, Any]:
    level = row.code("origin_level")
    if level == "bo":
        destination = row.province("destination_code")
    elif level is not None:
        destination = row.commune("destination_code")
    else:
        destination = pad_code(row.values.get("destination_code"), 5)
    record = {
        "assignment_id": row.text("assignment_id", required=True),
        "official_id": row.text("official_id"),
        "full_name": row.text("full_name"),
        "origin_unit": row.text("origin_unit"),
        "origin_level": level,
        "destination_code": destination,
        "field_code": row.code("field_code"),
        "start_date": row.date("start_date", required=True),
        "end_date": row.date("end_date", required=False),
        "status": row.code("status"),
    }
    start, end = record["start_date"], record["end_date"]
    if start is not None and end is not None and end < start:
        row.fail("end_before_start", "end_date", start=_fmt(start))
    return record


def _obstacles(row: _Row) -> dict[str, Any]:
    sunday = row.ctx.week.sunday
    record = {
        "obstacle_id": row.text("obstacle_id", required=True),
        "commune_code": row.commune("commune_code"),
        "category_code": row.code("category_code"),
        "description": row.text("description"),
        "raised_date": row.date("raised_date", required=True),
        "resolution_level": row.code("resolution_level"),
        "status": row.code("status"),
        "resolved_date": row.date("resolved_date", required=False),
    }
    raised, resolved = record["raised_date"], record["resolved_date"]
    if raised is not None and raised > sunday:
        row.fail("date_out_of_range", "raised_date")
    if (
        record["status"] == "da_thao_go"
        and resolved is None
        and as_text(row.values.get("resolved_date")) is None
    ):
        row.fail("resolved_without_date", "resolved_date")
    if resolved is not None:
        if raised is not None and resolved < raised:
            row.fail("resolved_before_raised", "resolved_date", raised=_fmt(raised))
        elif resolved > sunday:
            row.fail("date_out_of_range", "resolved_date")
    return record


_CHECKS: dict[str, Callable[[_Row], dict[str, Any]]] = {
    STAFFING: _staffing,
    SECONDMENTS: _secondments,
    OBSTACLES: _obstacles,
}


def _duplicates(kind: str, rows: list[tuple[_Row, dict[str, Any]]]) -> None:
    keys = KEYS[kind]
    groups: dict[tuple, list[_Row]] = defaultdict(list)
    for row, record in rows:
        key = tuple(record[column] for column in keys)
        if all(part is not None for part in key):
            groups[key].append(row)
    for key, members in groups.items():
        if len(members) < 2:
            continue
        numbers = ", ".join(str(member.number) for member in members)
        for member in members:
            member.rejections = [r for r in member.rejections if r.column != keys[0]]
            member.fail(
                "duplicate_key",
                keys[0],
                key_label=_KEY_LABELS[kind],
                key_text=" + ".join(key),
                rows=numbers,
            )


def _owner(failed: list[_Row]) -> tuple[str, int]:
    """The province most of a wrong-province file's rows belong to, and how many rows name it."""
    owners = Counter(row.owner for row in failed if row.owner is not None)
    return owners.most_common(1)[0]


def _reason_order(code: str) -> int:
    return REASON_CODES.index(code)


def validate(
    table: Table, kind: str, province_code: str, week: IsoWeek, file_name: str
) -> Validation:
    """Check every data row of ``table``; more than half the rows failing rejects the whole file."""
    ctx = _FileContext(kind, file_name, province_code, week, table.sender_columns)
    if not table.rows:
        return Validation([], [reject("empty_file", file_name)], 0, 0, 0, REJECTED, "empty_file")
    checked = []
    for number, values in table.rows:
        row = _Row(number, values, ctx)
        record = _CHECKS[kind](row)
        checked.append((row, record))
    _duplicates(kind, checked)

    total = len(checked)
    failed = [row for row, _ in checked if row.rejections]
    rejections = [rejection for row in failed for rejection in row.rejections]
    if len(failed) * 2 > total:
        foreign = sum(
            1 for row in failed if any(r.code == "commune_not_in_province" for r in row.rejections)
        )
        if foreign * 2 > total:
            owner, owner_rows = _owner(failed)
            file_rejection = reject(
                "wrong_province_file",
                file_name,
                owner=reference.provinces()[owner].name,
                owner_code=owner,
                owner_rows=owner_rows,
                rows_total=total,
                **ctx.message_context,
            )
            return Validation(
                [], [file_rejection], total, 0, total, REJECTED, "wrong_province_file"
            )
        by_rows = Counter(code for row in failed for code in {r.code for r in row.rejections})
        reason = min(by_rows, key=lambda code: (-by_rows[code], _reason_order(code)))
        return Validation([], rejections, total, 0, total, REJECTED, reason)

    records = [
        {"source_row": row.number, **record} for row, record in checked if not row.rejections
    ]
    status = PARTLY_ACCEPTED if failed else ACCEPTED
    return Validation(records, rejections, total, len(records), len(failed), status, None)
