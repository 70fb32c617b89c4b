"""Find the header (one row, or a group title over sub-headers) and the table's rows under it.

The table ends at the last row that looks like data, never at a word: rows under it (the "Tổng
cộng" row, the signature block in any layout, notes) are the form's, not the sender's data, and
every row between the first and the last data-looking row is data, checked and answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from operator import itemgetter

from ingestion.contract import COLUMNS, KEYS
from ingestion.limits import echo
from ingestion.normalise import Cell, as_text, is_blank, match_key, plain_words
from ingestion.readers import Book, SourceRow
from ingestion.rejections import Rejection, reject

_HEADER_SEARCH_ROWS = 60
_HEADER_TEXT_CHARS = 200  # a header longer than this is not a header: only its start is matched
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_COLUMN_NUMBER = re.compile(r"^\(?([a-z]|[0-9]{1,2})\)?$", re.IGNORECASE | re.ASCII)
_TOTAL_KEYS = ("tongcong", "tongso", "cong", "tong")
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
_CODE_TOKEN = re.compile(r"^\S{1,40}$")
_DIGIT = re.compile(r"[0-9]", re.ASCII)


@dataclass(frozen=True)
class Table:
    """The located table: header row number, canonical column → sender's header text, data rows."""

    header_row: int
    sender_columns: dict[str, str]
    rows: tuple[tuple[int, dict[str, Cell]], ...]
    sheet_name: str | None = None  # the sheet read (None for CSV)


@cache
def _aliases(kind: str) -> dict[str, str]:
    """match key of every accepted header → canonical column."""
    return {match_key(header): column.name for column in COLUMNS[kind] for header in column.headers}


@lru_cache(maxsize=8192)
def _text_keys(text: str) -> tuple[str, str]:
    return match_key(text), match_key(_PARENTHESES.sub(" ", text))


def _cell_keys(cell: Cell) -> tuple[str, str]:
    return _text_keys((as_text(cell) or "")[:_HEADER_TEXT_CHARS])


def _map(candidates: list[list[tuple[str, str]]], kind: str) -> dict[str, tuple[int, int]]:
    """Canonical column → (index, candidate) over per-column candidate header keys: exact matches
    first, then headers that start with an alias (the longest alias first)."""
    aliases = _aliases(kind)
    mapping: dict[str, tuple[int, int]] = {}
    used: set[int] = set()
    for index, keys in enumerate(candidates):
        for which, (full, bare) in enumerate(keys):
            column = aliases.get(full) or aliases.get(bare)
            if column and column not in mapping and index not in used:
                mapping[column] = (index, which)
                used.add(index)
                break
    for alias in sorted(aliases, key=len, reverse=True):
        column = aliases[alias]
        if column in mapping or len(alias) < 4:
            continue
        for index, keys in enumerate(candidates):
            if index in used:
                continue
            which = next((w for w, (_, bare) in enumerate(keys) if bare.startswith(alias)), None)
            if which is not None:
                mapping[column] = (index, which)
                used.add(index)
                break
    return mapping


def map_columns(cells: tuple[Cell, ...], kind: str) -> dict[str, int]:
    """Canonical column → index of a one-row header."""
    found = _map([[_cell_keys(cell)] for cell in cells], kind)
    return {column: index for column, (index, _) in found.items()}


def _two_row_texts(top: tuple[Cell, ...], sub: tuple[Cell, ...]) -> list[list[str]]:
    """Per column, the header texts a two-row header offers: the sub-header alone, joined with
    the group title over it (a merged cell leaves its title in its first column only), and the
    top cell alone (a title merged down over both rows)."""
    width = max(len(top), len(sub))
    tops = [as_text(top[i]) if i < len(top) else None for i in range(width)]
    subs = [as_text(sub[i]) if i < len(sub) else None for i in range(width)]
    texts: list[list[str]] = []
    group = None
    for i in range(width):
        if tops[i] is not None:
            group = tops[i] if subs[i] is not None else None
        elif subs[i] is None:
            group = None
        options = []
        if subs[i] is not None:
            options.append(subs[i])
            if group is not None:
                options.append(f"{group} / {subs[i]}")
        if tops[i] is not None:
            options.append(tops[i])
        texts.append([text[:_HEADER_TEXT_CHARS] for text in options])
    return texts


def _header(rows: list[SourceRow], kind: str) -> tuple[int, int, dict[str, str], dict[str, int]]:
    """(first header row index, header height 1 or 2, sender texts, canonical column → index)."""
    wanted = len(COLUMNS[kind])
    best: tuple[int, int, dict[str, str], dict[str, int]] = (-1, 1, {}, {})
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        single = map_columns(row.cells, kind)
        found = (index, 1, {c: as_text(row.cells[i]) or c for c, i in single.items()}, single)
        if 0 < len(single) < wanted and index + 1 < len(rows):
            texts = _two_row_texts(row.cells, rows[index + 1].cells)
            double = _map([[_text_keys(t) for t in options] for options in texts], kind)
            if len(double) > len(single):
                found = (
                    index,
                    2,
                    {c: texts[i][which] for c, (i, which) in double.items()},
                    {c: i for c, (i, _) in double.items()},
                )
        if len(found[3]) > len(best[3]):
            best = found
            if len(found[3]) == wanted:
                break  # every contract column found: no later row can map more
    return best


def _is_column_number_row(cells: tuple[Cell, ...]) -> bool:
    texts = [as_text(cell) for cell in cells if not is_blank(cell)]
    return (
        len(texts) >= 2
        and all(_COLUMN_NUMBER.match(text or "") for text in texts)
        and any(_DIGIT.search(text or "") for text in texts)
    )


def _is_total_row(cells: tuple[Cell, ...]) -> bool:
    """Its first non-blank cell says "Tổng cộng" (or the like): text, never a number or date."""
    for cell in cells:
        if not is_blank(cell):
            return isinstance(cell, str) and _is_total_cell(cell)
    return False


@lru_cache(maxsize=8192, typed=True)
def _is_total_cell(cell: Cell) -> bool:
    """Pure in the cell, and data rows repeat their first cell (commune codes): memoised."""
    key = match_key((as_text(cell) or "")[:_HEADER_TEXT_CHARS])
    return key.startswith("tongcong") or key in _TOTAL_KEYS


@lru_cache(maxsize=16384, typed=True)
def _codeish(cell: Cell) -> bool:
    """A value data rows are made of: a number, a date, or one short token holding a digit
    (``00004``, ``01-VM0003``, ``29/8/2025``, ``1.234``) — never prose or a person's name."""
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, int | float | date):
        return True
    text = str(cell).strip()
    return bool(_CODE_TOKEN.match(text) and _DIGIT.search(text))


def _is_footer_text(text: str) -> bool:
    words = plain_words(text[:_HEADER_TEXT_CHARS]) + " "
    return words.startswith(_FOOTER_STARTS) or bool(_DATE_LINE.search(words))


def looks_like_data(values: dict[str, Cell], key: str) -> bool:
    """A row is data when its key looks like a code, or when it holds two or more cells, one of
    them a number, date or code, and its text is not a signature title or a date line."""
    if _codeish(values.get(key)):
        return True
    cells = [value for value in values.values() if not is_blank(value)]
    if len(cells) < 2 or not any(_codeish(cell) for cell in cells):
        return False
    return not _is_footer_text(" ".join(as_text(cell) or "" for cell in cells))


def locate_table(book: Book, kind: str, file_name: str) -> Table | list[Rejection]:
    """The table of the sheet the workbook opens on (else its first sheet)."""
    sheet = book.sheets[book.active if book.active is not None else 0]
    table = _locate_in_rows(sheet.rows, kind, file_name)
    if isinstance(table, Table):
        return Table(table.header_row, table.sender_columns, table.rows, sheet.name)
    return table


def _locate_in_rows(rows: list[SourceRow], kind: str, file_name: str) -> Table | list[Rejection]:
    """The header (the row mapping the most contract columns among the first rows, or that row
    with the sub-headers under it) and the data rows under it.

    Skipped: the column-number row (1, 2, 3… or A, B, 1…) right under the header, rows blank in
    every contract column, "Tổng cộng" rows, and every row above the first or below the last row
    that looks like data (:func:`looks_like_data`): the form's decoration and signature block.
    Returns one ``missing_column`` rejection per contract column the header lacks.
    """
    start, height, texts, mapping = _header(rows, kind)
    if len(mapping) < 2:
        mapping = {}
    missing = [column for column in COLUMNS[kind] if column.name not in mapping]
    if missing:
        return [
            reject(
                "missing_column",
                file_name,
                column=column.name,
                value=None,
                accepted=", ".join(f"«{header}»" for header in column.headers),
            )
            for column in missing
        ]
    sender_columns = {column: echo(texts[column]) or column for column in mapping}
    key = KEYS[kind][0]
    columns = tuple(mapping.items())
    names = tuple(mapping)
    take = itemgetter(*mapping.values())  # two or more columns: a tuple
    reach = max(mapping.values()) + 1
    candidates: list[tuple[int, dict[str, Cell], bool]] = []
    for position, (number, cells) in enumerate(rows[start + height :]):
        width = len(cells)
        if width >= reach:
            values = dict(zip(names, take(cells), strict=True))
        else:
            values = {column: cells[index] if index < width else None for column, index in columns}
        if is_blank(values[key]) and all(is_blank(value) for value in values.values()):
            continue
        if position < 3 and not candidates and _is_column_number_row(cells):
            continue
        if _is_total_row(cells):
            continue
        candidates.append((number, values, looks_like_data(values, key)))
    data_like = [i for i, (_, _, is_data) in enumerate(candidates) if is_data]
    if not data_like:
        return Table(rows[start].number, sender_columns, ())
    body = candidates[data_like[0] : data_like[-1] + 1]
    return Table(
        rows[start].number, sender_columns, tuple((number, values) for number, values, _ in body)
    )
