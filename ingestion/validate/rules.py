"""Row rules per kind (SPEC §2): normalise rows, collect rejections, settle the file status."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from core import reference
from core.weeks import IsoWeek
from ingestion.contract import warnings
from ingestion.contract.columns import (
    ALLOWED_CODES,
    CODE_LISTS,
    KEYS,
    NIL_RETURN_KINDS,
    OBSTACLES,
    SECONDMENTS,
    STAFFING,
    column_label,
)
from ingestion.contract.limits import Limits
from ingestion.contract.messages import REASON_CODES, vn_number
from ingestion.contract.normalise import (
    Cell,
    FormulaError,
    InvalidValue,
    as_text,
    is_blank,
    pad_code,
    parse_count,
    parse_date,
    resolve_code,
)
from ingestion.contract.rejections import Rejection, reject
from ingestion.outcomes import FileStatus
from ingestion.table.headers import Table
from ingestion.validate.textscan import legacy_font_encoding, mask_person_numbers

_KEY_LABELS = {
    STAFFING: "cặp Mã xã và Lĩnh vực",
    SECONDMENTS: "Mã biệt phái",
    OBSTACLES: "Mã vướng mắc",
}
DUPLICATES_NAMED = 10  # other rows a duplicate_key message names; the rest are counted
# Free text analysts see (fct_secondments, fct_obstacles): person numbers are masked in it.
MASKED_COLUMNS = {SECONDMENTS: ("origin_unit",), OBSTACLES: ("description",)}


@dataclass(frozen=True)
class Validation:
    """Outcome of one file's rows: staged records, rejections and the registry figures."""

    records: list[dict[str, Any]]
    rejections: list[Rejection]
    rows_total: int
    rows_accepted: int
    rows_rejected: int  # rows not staged: every row when the file is rejected whole
    status: FileStatus
    file_reason_code: str | None
    warnings: tuple[str, ...] = ()


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
    """Checks one row's cells, collecting at most one rejection per column. ``columns``: the
    row's columns as the sender named them, where they differ from the file's (a wide form's
    "<field> / Số có mặt"); None for a row of a long table."""

    def __init__(
        self,
        number: int,
        values: dict[str, Cell],
        ctx: _FileContext,
        columns: dict[str, str] | None = None,
    ) -> None:
        self.number = number
        self.values = values
        self.ctx = ctx
        self.columns = ctx.sender_columns if columns is None else columns
        self.wide = columns is not None
        self.rejections: list[Rejection] = []
        self.owner: str | None = None  # the other province a commune code belongs to
        limit = ctx.limits.max_cell_chars
        for column, value in values.items():
            if isinstance(value, FormulaError):
                self.fail("formula_error", column)
            elif isinstance(value, str) and len(value) > limit:
                self.fail(
                    "value_too_long", column, length=vn_number(len(value)), limit=vn_number(limit)
                )
        if self.rejections:  # checked no further: an error or a long cell is never parsed
            self.values = {c: None if self.failed(c) else v for c, v in values.items()}

    def failed(self, column: str) -> bool:
        return any(r.column == column for r in self.rejections)

    def fail(self, code: str, column: str | None, **context: Any) -> None:
        if column is not None and self.failed(column):
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
                sender_column=self.columns.get(column or "", column_label(column or "")),
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

    def missing(self, column: str) -> None:
        """A required cell is blank (``missing_value``; worded for the key when it is one)."""
        key = column == KEYS[self.ctx.kind][0]
        self.fail("missing_value", column, variant="key" if key else None)

    def text(self, column: str, required: bool = False) -> str | None:
        text = as_text(self.values.get(column))
        if text is None and required:
            self.missing(column)
        return text

    def free_text(self, column: str) -> str | None:
        """Free text: scanned for legacy fonts and, where analysts see it, person numbers."""
        text = as_text(self.values.get(column))
        if text is None:
            return None
        if not text.isascii() and legacy_font_encoding(text):
            self.ctx.warn(warnings.LEGACY_FONT_ENCODING)
        if column in MASKED_COLUMNS.get(self.ctx.kind, ()):
            text, masked = mask_person_numbers(text)
            if masked:
                self.ctx.warn(warnings.PERSONAL_DATA_MASKED)
        return text

    def date(self, column: str, required: bool) -> date | None:
        try:
            day = _parse_date(self.values.get(column))
        except InvalidValue as error:
            self.fail(error.reason, column)
            return None
        if day is None and required:
            self.missing(column)
        return day

    def count(self, column: str) -> int | None:
        value = self.values.get(column)
        if is_blank(value):
            self.missing(column)
            return None
        try:
            number = _parse_count(value)
        except InvalidValue as error:
            self.fail(error.reason, column)
            return None
        if number > self.ctx.limits.max_count:
            self.fail(
                "invalid_number",
                column,
                variant="too_big",
                limit=vn_number(self.ctx.limits.max_count),
            )
            return None
        return number

    def code(self, column: str) -> str | None:
        value = self.values.get(column)
        if is_blank(value):
            self.missing(column)
            return None
        code = _resolve(self.ctx.kind, column, value)
        if code is None:
            codes = _codes(self.ctx.kind, column)
            listing = "; ".join(f"{code} ({label})" for code, label in codes.items())
            group = self.wide and column == "field_code"  # a wide form's group title
            self.fail("unknown_code", column, allowed=listing, variant="group" if group else None)
            self._legacy(value)
        return code

    def _legacy(self, value: Cell) -> None:
        if isinstance(value, str) and not value.isascii() and legacy_font_encoding(value):
            self.ctx.warn(warnings.LEGACY_FONT_ENCODING)

    def commune(self, column: str) -> str | None:
        code = _pad_code(self.values.get(column), 5)
        if code is None:
            self.missing(column)
            return None
        commune = reference.communes().get(code)
        if commune is None:
            self.fail("unknown_commune", column)
            self._legacy(self.values.get(column))
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
            self.missing(column)
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
    limits: Limits
    warnings: set[str]

    def warn(self, code: str) -> None:
        self.warnings.add(code)

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
        "full_name": row.free_text("full_name"),
        "origin_unit": row.free_text("origin_unit"),
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
        "description": row.free_text("description"),
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


def _clean_staffing(ctx: _FileContext) -> Callable[[int, dict[str, Cell]], dict[str, Any] | None]:
    """For one file: the record :func:`_staffing` makes of a row when every check passes, in a
    fraction of its time (most rows of a national week); None as soon as anything is off, and
    the row then takes the full checks, which name each failure. Both read the same memoised
    normalisers; the file's constants are bound once."""
    limit, most = ctx.limits.max_cell_chars, ctx.limits.max_count
    communes = _province_communes(ctx.province_code)
    monday, sunday = ctx.week.monday, ctx.week.sunday

    def clean(number: int, values: dict[str, Cell]) -> dict[str, Any] | None:
        for value in values.values():
            if isinstance(value, str) and len(value) > limit:
                return None
        try:
            commune = _pad_code(values.get("commune_code"), 5)
            field = _resolve(STAFFING, "field_code", values.get("field_code"))
            approved = _parse_count(values.get("approved_posts"))
            filled = _parse_count(values.get("filled_posts"))
            day = _parse_date(values.get("report_date"))
        except InvalidValue:
            return None
        if (
            commune not in communes
            or field is None
            or approved > most
            or filled > most
            or day is None
            or not monday <= day <= sunday
        ):
            return None
        return {
            "source_row": number,
            "commune_code": commune,
            "field_code": field,
            "approved_posts": approved,
            "filled_posts": filled,
            "report_date": day,
        }

    return clean


# Kinds whose clean rows have a fast path (rows it declines take the full checks).
_CLEAN: dict[
    str, Callable[[_FileContext], Callable[[int, dict[str, Cell]], dict[str, Any] | None]]
] = {
    STAFFING: _clean_staffing,
}


def other_rows(numbers: list[int], own: int) -> tuple[str, str]:
    """The rows sharing a key with row ``own``, as the message names them (Vietnamese, English):
    at most :data:`DUPLICATES_NAMED`, the rest counted, so a message stays short however many."""
    shown = [n for n in numbers[: DUPLICATES_NAMED + 1] if n != own][:DUPLICATES_NAMED]
    rest = len(numbers) - 1 - len(shown)
    listed = ", ".join(str(n) for n in shown)
    if rest:
        return (
            f"các dòng {listed} và {vn_number(rest)} dòng khác",
            f"rows {listed} and {rest} more",
        )
    if len(shown) == 1:
        return f"dòng {listed}", f"row {listed}"
    head, _, last = listed.rpartition(", ")
    return f"các dòng {head} và {last}", f"rows {head} and {last}"


@dataclass(slots=True)
class _Checked:
    """A data row and its record (``source_row`` first); ``row`` holds its rejections (None: it
    passed the fast path and none has been found yet)."""

    number: int
    values: dict[str, Cell]
    row: _Row | None
    record: dict[str, Any]
    columns: dict[str, str] | None = None  # a wide form's row: its columns as the sender named

    def checker(self, ctx: _FileContext) -> _Row:
        if self.row is None:
            self.row = _Row(self.number, self.values, ctx, self.columns)
        return self.row


def _duplicates(kind: str, rows: list[_Checked], ctx: _FileContext) -> None:
    keys = KEYS[kind]
    key_of = itemgetter(*keys) if len(keys) > 1 else lambda record: (record[keys[0]],)
    groups: dict[tuple, list[_Checked]] = defaultdict(list)
    for checked in rows:
        key = key_of(checked.record)
        if None not in key:
            groups[key].append(checked)
    for key, group in groups.items():
        if len(group) < 2:
            continue
        numbers = [checked.number for checked in group]
        for member in (checked.checker(ctx) for checked in group):
            member.rejections = [r for r in member.rejections if r.column != keys[0]]
            vi, en = other_rows(numbers, member.number)
            member.fail(
                "duplicate_key",
                keys[0],
                key_label=_KEY_LABELS[kind],
                key_text=" + ".join(key),
                rows=vi,
                rows_en=en,
            )


def _owner(failed: list[_Row]) -> tuple[str, int]:
    """The province most of a wrong-province file's rows belong to, and how many rows name it."""
    owners = Counter(row.owner for row in failed if row.owner is not None)
    return owners.most_common(1)[0]


def _reason_order(code: str) -> int:
    return REASON_CODES.index(code)


def validate(
    table: Table,
    kind: str,
    province_code: str,
    week: IsoWeek,
    file_name: str,
    limits: Limits | None = None,
) -> Validation:
    """Check every data row of ``table``; more than half the rows failing rejects the whole file.

    A table without data rows is ``empty_file``, but for the kinds a province may have nothing
    of (secondments, obstacles): that file is a nil return, accepted with no row."""
    found: set[str] = set()
    ctx = _FileContext(
        kind, file_name, province_code, week, table.sender_columns, limits or Limits(), found
    )
    if not table.rows:
        if kind in NIL_RETURN_KINDS:
            return Validation([], [], 0, 0, 0, FileStatus.ACCEPTED, None)
        return Validation(
            [], [reject("empty_file", file_name)], 0, 0, 0, FileStatus.REJECTED, "empty_file"
        )
    clean = _CLEAN[kind](ctx) if kind in _CLEAN else None
    check = _CHECKS[kind]
    checked = []
    row_columns = table.row_columns or (None,) * len(table.rows)
    for (number, values), columns in zip(table.rows, row_columns, strict=True):
        record = clean(number, values) if clean is not None else None
        if record is not None:
            checked.append(_Checked(number, values, None, record, columns))
            continue
        row = _Row(number, values, ctx, columns)
        checked.append(_Checked(number, values, row, {"source_row": number, **check(row)}, columns))
    _duplicates(kind, checked, ctx)

    total = len(checked)
    failed = [c.row for c in checked if c.row is not None and c.row.rejections]
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
                [], [file_rejection], total, 0, total, FileStatus.REJECTED, "wrong_province_file"
            )
        by_rows = Counter(code for row in failed for code in {r.code for r in row.rejections})
        reason = min(by_rows, key=lambda code: (-by_rows[code], _reason_order(code)))
        return Validation(
            [], rejections, total, 0, total, FileStatus.REJECTED, reason, _ordered(found)
        )

    records = [c.record for c in checked if c.row is None or not c.row.rejections]
    status = FileStatus.PARTLY_ACCEPTED if failed else FileStatus.ACCEPTED
    return Validation(
        records, rejections, total, len(records), len(failed), status, None, _ordered(found)
    )


def _ordered(codes: set[str]) -> tuple[str, ...]:
    return tuple(code for code in warnings.WARNING_CODES if code in codes)
