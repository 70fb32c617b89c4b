"""Which files get faults; row faults planted as extra rows (or, for staffing values, altered)."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from core import reference
from core.weeks import IsoWeek
from simulator import vocab
from simulator.styles import KEY_COLUMN, Raw

FILE_REASONS = (
    "unreadable_file",
    "empty_file",
    "file_too_large",
    "invalid_file_name",
    "wrong_province_file",
    "missing_column",
)
# Rejections any kind's rows can get: a commune no list knows or of another province, a code
# outside its list.
_ANY_ROW = ("unknown_commune", "commune_not_in_province", "unknown_code")
ROW_REASONS = {
    "staffing": (
        *_ANY_ROW,
        "invalid_number",
        "negative_count",
        "invalid_date",
        "date_out_of_range",
        "duplicate_key",
        "missing_value",
    ),
    "secondments": (*_ANY_ROW, "invalid_date", "end_before_start", "duplicate_key"),
    "obstacles": (
        *_ANY_ROW,
        "invalid_date",
        "date_out_of_range",
        "resolved_without_date",
        "resolved_before_raised",
        "duplicate_key",
    ),
}
ALL_REASONS = (
    *FILE_REASONS,
    *_ANY_ROW,
    "invalid_number",
    "negative_count",
    "invalid_date",
    "date_out_of_range",
    "end_before_start",
    "resolved_without_date",
    "resolved_before_raised",
    "duplicate_key",
    "missing_value",
)
# Staffing faults that alter a real row's value: every commune × field key already exists.
IN_PLACE = frozenset(
    {"invalid_number", "negative_count", "invalid_date", "date_out_of_range", "missing_value"}
)
IMPOSSIBLE_DATES = ("31/02/2025", "29/02/2025", "31/09/2025", "32/10/2025")

Slot = tuple[str, IsoWeek, str]  # province, week, kind


def applicable(reason: str, kind: str) -> bool:
    if reason == "wrong_province_file":
        return kind == "staffing"
    return reason in FILE_REASONS or reason in ROW_REASONS[kind]


def plan_faults(slots: list[Slot], rate: float, rng: random.Random) -> dict[Slot, list[str]]:
    """Fault reasons per faulty slot (one whole-file reason, or one or more row reasons).

    About ``rate`` of the slots get faults; when there are enough slots (≥ 51), every reason code is
    planted at least once. ``file_too_large`` is planted once at most (it costs disk).
    """
    if rate <= 0 or not slots:
        return {}
    count = min(len(slots), math.ceil(rate * len(slots)))
    order = list(slots)
    rng.shuffle(order)
    plan: dict[Slot, list[str]] = {}
    if len(slots) >= 3 * len(ALL_REASONS):
        count = max(count, len(ALL_REASONS))
        for reason in ALL_REASONS:
            slot = next(s for s in order if s not in plan and applicable(reason, s[2]))
            plan[slot] = [reason]
    weighted = [r for r in ALL_REASONS if r not in ("file_too_large", "wrong_province_file")]
    weighted += list(ROW_REASONS["staffing"]) + ["duplicate_key"] * 2
    for slot in order:
        if len(plan) >= count:
            break
        if slot in plan:
            continue
        reason = rng.choice([r for r in weighted if applicable(r, slot[2])])
        plan[slot] = [reason]
    for slot, reasons in plan.items():
        if reasons[0] not in FILE_REASONS and rng.random() < 0.35:
            extra = [r for r in ROW_REASONS[slot[2]] if r != reasons[0]]
            reasons.extend(rng.sample(extra, rng.randint(1, 2)))
    return plan


NIL_RATE = 0.02  # secondments or obstacles files sent with nothing to report


def plan_nil_returns(
    slots: list[Slot], faults: dict[Slot, list[str]], rng: random.Random
) -> frozenset[Slot]:
    """Secondments and obstacles slots a province sends as a nil return (the header, no row:
    no secondment or no obstacle to report that week): about :data:`NIL_RATE` of those without
    faults, at least one when there are any; none in a run without faults (a clean run)."""
    if not faults:
        return frozenset()
    eligible = [s for s in slots if s[2] != "staffing" and s not in faults]
    count = min(len(eligible), max(1, round(NIL_RATE * len(eligible))))
    return frozenset(rng.sample(eligible, count))


def unknown_commune_code(rng: random.Random) -> str:
    known = reference.communes()
    while True:
        code = f"{rng.randint(1, 99999):05d}"
        if code not in known:
            return code


def foreign_commune(pp: str, rng: random.Random) -> str:
    others = [p for p in reference.provinces() if p != pp]
    return rng.choice(reference.communes_of(rng.choice(others)))


Tag = tuple[str, str] | None  # (column, reason) for a failing row


def plant_rows(
    kind: str,
    pp: str,
    week: IsoWeek,
    rows: list[dict],
    reasons: list[str],
    rng: random.Random,
    id_base: int,
) -> tuple[list[dict], list[Tag]]:
    """Rows with faults planted and, per row, the (column, reason) it must be rejected for.

    Extra rows get fresh keys so they never collide with real rows; ``duplicate_key`` repeats a real
    row (both are rejected); staffing value faults alter a real row in place (that commune × field
    is then rejected in this file).
    """
    rows = list(rows)
    tags: list[Tag] = [None] * len(rows)
    budget = max(0, len(rows) // 4)
    for n, reason in enumerate(reasons):
        if budget <= 0:
            break
        clean = [i for i, t in enumerate(tags) if t is None and _template_ok(kind, rows[i])]
        if not clean:
            break
        i = rng.choice(clean)
        if reason == "duplicate_key":
            key = KEY_COLUMN[kind]
            copy = dict(rows[i])
            if kind == "staffing" and rng.random() < 0.5:
                copy["filled_posts"] = copy["filled_posts"] + 1
            j = rng.randint(i + 1, len(rows))
            tags[i] = (key, reason)
            rows.insert(j, copy)
            tags.insert(j, (key, reason))
            budget -= 2
            continue
        if kind == "staffing" and reason in IN_PLACE:
            row, column = _staffing_value_fault(dict(rows[i]), reason, week, rng)
            rows[i] = row
            tags[i] = (column, reason)
            budget -= 1
            continue
        row, column = _extra_row(kind, pp, week, dict(rows[i]), reason, rng, id_base + n)
        j = rng.randint(0, len(rows))
        rows.insert(j, row)
        tags.insert(j, (column, reason))
        budget -= 1
    return rows, tags


def _template_ok(kind: str, row: dict) -> bool:
    return kind != "secondments" or row["origin_level"] != "bo"


def _staffing_value_fault(row: dict, reason: str, week: IsoWeek, rng: random.Random):
    if reason == "invalid_number":
        column = rng.choice(("approved_posts", "filled_posts"))
        row[column] = Raw(rng.choice(("không rõ", "12a", "x", "１２", "250000")))
    elif reason == "missing_value":  # a required cell left blank (SPEC §2)
        column = rng.choice(("approved_posts", "filled_posts", "report_date"))
        row[column] = Raw("")
    elif reason == "negative_count":
        column = rng.choice(("approved_posts", "filled_posts"))
        row[column] = -rng.randint(1, 5)
    elif reason == "invalid_date":
        column = "report_date"
        row[column] = Raw(rng.choice(IMPOSSIBLE_DATES))
    else:  # date_out_of_range: last week's date
        column = "report_date"
        row[column] = week.monday - timedelta(days=rng.randint(1, 10))
    return row, column


def _extra_row(
    kind: str, pp: str, week: IsoWeek, row: dict, reason: str, rng: random.Random, n: int
):
    if kind == "staffing":
        return _extra_staffing(pp, row, reason, rng)
    if kind == "secondments":
        row["assignment_id"] = f"{pp}-BP{n:04d}"
        row["official_id"] = f"CB{pp}{rng.randint(100000, 999999)}"
        row["full_name"] = vocab.person_name(rng)
        return _extra_secondment(pp, row, reason, rng)
    row["obstacle_id"] = f"{pp}-VM{n:04d}"
    return _extra_obstacle(pp, week, row, reason, rng)


COMMUNE_FAULTS = ("unknown_commune", "commune_not_in_province")


def _wrong_commune(pp: str, row: dict, column: str, reason: str, rng: random.Random):
    """A commune code no list knows, or one of another province."""
    row[column] = (
        unknown_commune_code(rng) if reason == "unknown_commune" else foreign_commune(pp, rng)
    )
    return row, column


def _extra_staffing(pp: str, row: dict, reason: str, rng: random.Random):
    if reason in COMMUNE_FAULTS:
        return _wrong_commune(pp, row, "commune_code", reason, rng)
    row["field_code"] = Raw(rng.choice(("khac", "Văn thư - Lưu trữ", "quoc_phong")))
    return row, "field_code"


def _extra_secondment(pp: str, row: dict, reason: str, rng: random.Random):
    if reason in COMMUNE_FAULTS:
        return _wrong_commune(pp, row, "destination_code", reason, rng)
    if reason == "unknown_code":
        column, text = rng.choice(
            (("field_code", "ngoai_vu"), ("status", "tam_dung"), ("origin_level", "huyen"))
        )
        row[column] = Raw(text)
        return row, column
    if reason == "invalid_date":
        row["start_date"] = Raw(rng.choice(IMPOSSIBLE_DATES))
        return row, "start_date"
    # end_before_start
    row["end_date"] = row["start_date"] - timedelta(days=rng.randint(1, 60))
    return row, "end_date"


def _extra_obstacle(pp: str, week: IsoWeek, row: dict, reason: str, rng: random.Random):
    if reason in COMMUNE_FAULTS:
        return _wrong_commune(pp, row, "commune_code", reason, rng)
    if reason == "unknown_code":
        column, text = rng.choice(
            (
                ("category_code", "chua_phan_loai"),
                ("resolution_level", "huyen"),
                ("status", "da_huy"),
            )
        )
        row[column] = Raw(text)
        if column == "status":
            row["resolved_date"] = None
        return row, column
    if reason == "invalid_date":
        row.update(raised_date=Raw(rng.choice(IMPOSSIBLE_DATES)), status="moi", resolved_date=None)
        return row, "raised_date"
    if reason == "date_out_of_range":
        later = week.sunday + timedelta(days=rng.randint(1, 6))
        if rng.random() < 0.5:
            row.update(raised_date=later, status="moi", resolved_date=None)
            return row, "raised_date"
        row.update(status="da_thao_go", resolved_date=later)
        return row, "resolved_date"
    if reason == "resolved_without_date":
        row.update(status="da_thao_go", resolved_date=None)
        return row, "resolved_date"
    # resolved_before_raised
    row.update(
        status="da_thao_go", resolved_date=row["raised_date"] - timedelta(days=rng.randint(1, 20))
    )
    return row, "resolved_date"
