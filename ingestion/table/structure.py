"""Which rows under a header are data and which only structure the form: group titles, subtotals,
breakdowns and column-number rows, told by their shape and words; and the subtotals that do not
add up to the rows they cover."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from core.vietnamese import plain_words
from ingestion.contract.normalise import (
    Cell,
    FormulaError,
    InvalidValue,
    as_text,
    is_blank,
    parse_count,
)

TEXT_CHARS = 200  # only the start of a long cell is matched against words
GROUP_TITLE = "group_title"  # "I. PHƯỜNG", "A. Các xã", "1. Phường …"
SUBTOTAL = "subtotal"  # "Cộng xã …", "Cộng", "Tổng số", "Tổng cộng"
BREAKDOWN = "breakdown"  # "Trong đó:", "- Phường", "+ Đặc khu"
COLUMN_LABELS = "column_labels"  # "A B C 1 2 3=2-1", "(1) (2) (3)=(1)-(2)"
NOTE = "note"  # text only outside the contract columns (a signature line): not data, not skipped

# What a subtotal covers: one commune's rows, a group's rows, or the whole table.
COMMUNE_TOTAL = "commune"
GROUP_TOTAL = "group"
GRAND_TOTAL = "grand"

_TERM = r"\(?(?:[a-z]|[0-9]{1,2})\)?"
_COLUMN_LABEL = re.compile(rf"^{_TERM}(?:\s*[=+\-*/x:]\s*{_TERM})*$", re.IGNORECASE | re.ASCII)
_DIGIT = re.compile(r"[0-9]", re.ASCII)
_CODE_TOKEN = re.compile(r"^\S{1,40}$")
_DIVISIONS = ("xa", "phuong", "dac khu", "thi tran")
_DIVISION_GROUP = re.compile(rf"^(?:(?:cac|khoi|nhom) )?(?:{'|'.join(_DIVISIONS)})$")
_TOTAL = re.compile(
    r"^(?:tong cong\b.*|tong so\b.*|tong|cong"
    rf"(?: (?:{'|'.join(_DIVISIONS)}|cac|khoi|nhom|toan|[ivxlc]+|[a-z])\b.*)?)$"
)
_GROUP_NUMBER = re.compile(r"[ivxlc]+|[a-z]")  # "Cộng I", "Cộng A": a numbered group's subtotal
_ENUMERATOR = re.compile(r"^(?:[IVXLC]{1,6}|[A-Za-z])[.)]?$")
_ENUMERATED = re.compile(r"^(?:[IVXLC]{1,6}|[A-Za-z]|[0-9]{1,2})[.)]\s*\S")
_BULLET = re.compile(r"^[-+•*–—]\s*\w")
_LETTER = re.compile(r"[^\W\d_]")
# Signature-block titles and instructions, as leading words: a row whose text starts with one of
# these (and whose key does not look like one) is never data.
_FOOTER_WORDS = (
    "nguoi lap",
    "thu truong",
    "ky ghi ro",
    "ky ten",
    "ky dong dau",
    "ky va ghi ro",
    "noi nhan",
    "kt",
    "tm",
    "chu tich",
    "pho chu tich",
    "giam doc",
    "pho giam doc",
    "truong phong",
    "ke toan truong",
    "xac nhan",
    "ghi chu",
)
_FOOTER_STARTS = tuple(f"{words} " for words in _FOOTER_WORDS)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


@dataclass(frozen=True)
class SubtotalMismatch:
    """A subtotal row whose figure differs from the sum of the rows it covers (a warning)."""

    row: int  # the subtotal's row as the sender sees it
    label: str  # its text ("Cộng xã Phú Xuân")
    column: str  # the count column as the sender named it
    stated: int
    computed: int
    first_row: int  # the rows it covers, first and last
    last_row: int


@lru_cache(maxsize=16384, typed=True)
def codeish(cell: Cell) -> bool:
    """A value data rows are made of: a number, a date, a formula's error, or one short token
    holding a digit (``00004``, ``01-VM0003``, ``29/8/2025``, ``1.234``) — never prose or a
    person's name."""
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, int | float | date | FormulaError):
        return True
    text = str(cell).strip()
    return bool(_CODE_TOKEN.match(text) and _DIGIT.search(text))


def is_footer_text(text: str) -> bool:
    words = plain_words(text[:TEXT_CHARS]) + " "
    return words.startswith(_FOOTER_STARTS) or bool(_DATE_LINE.search(words))


def looks_like_data(values: dict[str, Cell], key: str) -> bool:
    """A row is data when its key looks like a code, or when it holds two or more cells, one of
    them a number, date or code, and its text is not a signature title or a date line."""
    if codeish(values.get(key)):
        return True
    cells = [value for value in values.values() if not is_blank(value)]
    if len(cells) < 2 or not any(codeish(cell) for cell in cells):
        return False
    return not is_footer_text(" ".join(as_text(cell) or "" for cell in cells))


def total_text(cells: Sequence[Cell]) -> str | None:
    """The row's first non-blank cell when it says "Tổng cộng", "Cộng xã …" or the like (text,
    never a number or date); None otherwise."""
    for cell in cells:
        if not is_blank(cell):
            return cell if isinstance(cell, str) and _is_total_cell(cell) else None
    return None


@lru_cache(maxsize=8192, typed=True)
def _is_total_cell(cell: str) -> bool:
    """Pure in the cell, and data rows repeat their first cell (commune codes): memoised."""
    return bool(_TOTAL.match(plain_words(cell[:TEXT_CHARS])))


def total_level(text: str) -> str:
    """What a subtotal row covers, from its words: "Tổng …" and "Cộng toàn …" the whole table;
    "Cộng", "Cộng phường", "Cộng các xã", "Cộng I" a group; "Cộng xã <name>" one commune."""
    words = plain_words(text[:TEXT_CHARS])
    if words.startswith(("tong", "cong toan")):
        return GRAND_TOTAL
    rest = words[len("cong") :].strip()
    if not rest or _DIVISION_GROUP.match(rest) or _GROUP_NUMBER.fullmatch(rest):
        return GROUP_TOTAL
    if rest.startswith(_DIVISIONS):
        return COMMUNE_TOTAL
    return GROUP_TOTAL


def _is_column_label_row(cells: Sequence[Cell]) -> bool:
    texts = [as_text(cell) or "" for cell in cells if not is_blank(cell)]
    return (
        len(texts) >= 2
        and all(_COLUMN_LABEL.match(text) for text in texts)
        and any(_DIGIT.search(text) for text in texts)
    )


def _label(cells: Sequence[Cell], values: dict[str, Cell], counts: frozenset[str]) -> list[str]:
    """The texts of a row that is only a label: no code, number or date in its contract columns
    but the counts; numbers elsewhere (a subtotal figure in a column the contract does not read)
    are allowed. Empty when the row is not such a row."""
    for name, value in values.items():
        if name not in counts and not is_blank(value) and codeish(value):
            return []
    texts = []
    for cell in cells:
        if isinstance(cell, date):
            return []
        if isinstance(cell, str) and not is_blank(cell):
            texts.append(cell.strip()[:TEXT_CHARS])
    return texts


def _is_group_title(texts: list[str]) -> bool:
    first = texts[0]
    if _ENUMERATOR.match(first) and len(texts) > 1:
        label = texts[1]  # "I" in the STT column, "PHƯỜNG" beside it
    elif match := _ENUMERATED.match(first):
        label = first[match.end() - 1 :]
    else:
        return bool(_DIVISION_GROUP.match(plain_words(first)))
    return bool(_LETTER.search(label)) and not is_footer_text(label)


def _is_breakdown(texts: list[str]) -> bool:
    first = texts[0]
    return bool(_BULLET.match(first)) or plain_words(first).startswith("trong do")


def structural_kind(
    cells: Sequence[Cell], values: dict[str, Cell], counts: frozenset[str]
) -> str | None:
    """The kind of structural row this is (:data:`SUBTOTAL`, :data:`COLUMN_LABELS`,
    :data:`GROUP_TITLE`, :data:`BREAKDOWN`), or None for a row that may be data. ``values``:
    the contract columns' cells; ``counts``: the columns holding head counts."""
    if total_text(cells) is not None:
        return SUBTOTAL
    if _is_column_label_row(cells):
        return COLUMN_LABELS
    texts = _label(cells, values, counts)
    if not texts:
        return None
    if _is_breakdown(texts):
        return BREAKDOWN
    if _is_group_title(texts):
        return GROUP_TITLE
    return None


class Item(NamedTuple):
    """One row under the header, in order: a row that may be data (``kind`` None; ``data_like``
    when it looks like data) or a structural row or note (a tuple: one is made per row)."""

    number: int
    values: dict[str, Cell]
    kind: str | None = None
    label: str = ""  # a subtotal's text
    data_like: bool = False


def _count(value: Cell, partner: Cell, most: int) -> int | None:
    """A covered cell's figure: None when unreadable (blank, text, an error, over ``most``, the
    count limit); a pair of wide-form cells both blank is a field the commune does not report,
    0."""
    if is_blank(value) and partner is not None and is_blank(partner):
        return 0
    try:
        figure = parse_count(value)
    except InvalidValue:
        return None
    return figure if figure <= most else None


def _checked(
    subtotal: Item,
    covered: list[Item],
    counts: dict[str, str],
    partners: dict[str, str],
    most: int,
) -> list[SubtotalMismatch]:
    """The count columns where ``subtotal`` states a figure that ``covered`` does not add to."""
    if not covered:
        return []
    found = []
    for name, sender in counts.items():
        cell = subtotal.values.get(name)
        if is_blank(cell):
            continue
        try:
            stated = parse_count(cell)
        except InvalidValue:
            continue
        partner = partners.get(name)
        figures = [
            _count(row.values.get(name), row.values.get(partner) if partner else None, most)
            for row in covered
        ]
        if None in figures or sum(figures) == stated:
            continue
        found.append(
            SubtotalMismatch(
                subtotal.number,
                subtotal.label,
                sender,
                stated,
                sum(figures),
                covered[0].number,
                covered[-1].number,
            )
        )
    return found


def check_subtotals(
    items: list[Item],
    counts: dict[str, str],
    commune: str,
    partners: dict[str, str],
    most: int,
) -> list[SubtotalMismatch]:
    """Each subtotal against the data rows it covers: a commune's subtotal ("Cộng xã …") the
    rows of that commune since the previous structural row; a group's subtotal the rows since
    the previous group title or group subtotal; "Tổng cộng" every data row of the table, above
    or below it. A subtotal is checked only where every covered row's figure is readable.

    ``items``: the table's data rows and structural rows in order; ``counts``: count column →
    its name as the sender wrote it; ``commune``: the column holding the commune code;
    ``partners``: in a wide form, each count column's other half of its field's pair; ``most``:
    the count limit (a figure over it is refused, so unreadable here)."""
    if not counts:
        return []
    data = [item for item in items if item.kind is None]
    found: list[SubtotalMismatch] = []
    since_any: list[Item] = []
    since_group: list[Item] = []
    for item in items:
        if item.kind is None:
            since_any.append(item)
            since_group.append(item)
            continue
        if item.kind == SUBTOTAL:
            level = total_level(item.label)
            if level == GRAND_TOTAL:
                covered = data
            elif level == GROUP_TOTAL:
                covered = since_group
            else:
                code = since_any[-1].values.get(commune) if since_any else None
                covered = []
                for row in reversed(since_any):
                    if row.values.get(commune) != code:
                        break
                    covered.insert(0, row)
            found += _checked(item, covered, counts, partners, most)
            if level != COMMUNE_TOTAL:
                since_group = []
        elif item.kind == GROUP_TITLE:
            since_group = []
        since_any = []
    return found
