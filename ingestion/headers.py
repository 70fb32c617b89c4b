"""Find the header row under any title block, map columns to the contract, keep the data rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ingestion.contract import COLUMNS, KEYS
from ingestion.normalise import Cell, as_text, is_blank, match_key, plain_words
from ingestion.readers import SourceRow
from ingestion.rejections import Rejection, reject

_HEADER_SEARCH_ROWS = 60
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_COLUMN_NUMBER = re.compile(r"^\(?([a-z]|\d{1,2})\)?$", re.IGNORECASE)
_TOTAL_KEYS = ("tongcong", "tongso", "cong", "tong")
_FOOTER_PREFIXES = (
    "nguoilapbieu",
    "nguoilap",
    "thutruongdonvi",
    "thutruong",
    "kyghiro",
    "kytendongdau",
    "kyten",
    "kydongdau",
    "noinhan",
    "ktchutich",
    "tmuyban",
    "tmubnd",
    "ktgiamdoc",
    "giamdoc",
    "chutich",
    "xacnhan",
    "ghichu",
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


@dataclass(frozen=True)
class Table:
    """The located table: header row number, canonical column → sender's header text, data rows."""

    header_row: int
    sender_columns: dict[str, str]
    rows: tuple[tuple[int, dict[str, Cell]], ...]


@cache
def _aliases(kind: str) -> dict[str, str]:
    """match key of every accepted header → canonical column."""
    return {match_key(header): column.name for column in COLUMNS[kind] for header in column.headers}


def _cell_keys(cell: Cell) -> tuple[str, str]:
    text = as_text(cell) or ""
    return match_key(text), match_key(_PARENTHESES.sub(" ", text))


def map_columns(cells: tuple[Cell, ...], kind: str) -> dict[str, int]:
    """Canonical column → index, exact matches first, then headers that start with an alias."""
    aliases = _aliases(kind)
    keys = [_cell_keys(cell) for cell in cells]
    mapping: dict[str, int] = {}
    for index, (full, bare) in enumerate(keys):
        column = aliases.get(full) or aliases.get(bare)
        if column and column not in mapping:
            mapping[column] = index
    used = set(mapping.values())
    for alias in sorted(aliases, key=len, reverse=True):
        column = aliases[alias]
        if column in mapping or len(alias) < 4:
            continue
        for index, (_, bare) in enumerate(keys):
            if index not in used and bare.startswith(alias):
                mapping[column] = index
                used.add(index)
                break
    return mapping


def _is_column_number_row(cells: tuple[Cell, ...]) -> bool:
    texts = [as_text(cell) for cell in cells if not is_blank(cell)]
    return (
        len(texts) >= 2
        and all(_COLUMN_NUMBER.match(text or "") for text in texts)
        and any((text or "").strip("()").isdigit() for text in texts)
    )


def _is_total_row(cells: tuple[Cell, ...]) -> bool:
    first = next((cell for cell in cells if not is_blank(cell)), None)
    return first is not None and _is_total_cell(first)


@lru_cache(maxsize=8192, typed=True)
def _is_total_cell(cell: Cell) -> bool:
    """Pure in the cell, and data rows repeat their first cell (commune codes): memoised."""
    key = match_key(as_text(cell) or "")
    return key.startswith("tongcong") or key in _TOTAL_KEYS


def _is_footer_row(cells: tuple[Cell, ...]) -> bool:
    for cell in cells:
        text = as_text(cell)
        if text is None:
            continue
        if match_key(text).startswith(_FOOTER_PREFIXES) or _DATE_LINE.search(plain_words(text)):
            return True
    return False


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if index < len(cells) else None


def locate_table(rows: list[SourceRow], kind: str, file_name: str) -> Table | list[Rejection]:
    """The header row (most contract columns among the first rows) and the data rows under it.

    Skipped: the column-number row (1, 2, 3… or A, B, 1…) right under the header, blank rows,
    "Tổng cộng" rows, and everything from the signature block down ("Người lập biểu",
    "Thủ trưởng đơn vị", "…, ngày … tháng … năm …"), recognised only on rows without a key.
    Returns one ``missing_column`` rejection per contract column the header lacks.
    """
    best_index, best_mapping = -1, {}
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        mapping = map_columns(row.cells, kind)
        if len(mapping) > len(best_mapping):
            best_index, best_mapping = index, mapping
            if len(mapping) == len(COLUMNS[kind]):
                break  # every contract column found: no later row can map more
    if len(best_mapping) < 2:
        best_mapping = {}
    missing = [column for column in COLUMNS[kind] if column.name not in best_mapping]
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
    header = rows[best_index]
    sender_columns = {
        column: as_text(_cell(header.cells, index)) or column
        for column, index in best_mapping.items()
    }
    key_index = best_mapping[KEYS[kind][0]]
    data: list[tuple[int, dict[str, Cell]]] = []
    columns = tuple(best_mapping.items())
    for position, row in enumerate(rows[best_index + 1 :]):
        cells = row.cells
        width = len(cells)
        values = {column: cells[index] if index < width else None for column, index in columns}
        if all(is_blank(value) for value in values.values()):
            continue
        if position < 3 and not data and _is_column_number_row(row.cells):
            continue
        key_blank = is_blank(_cell(row.cells, key_index))
        if key_blank and _is_footer_row(row.cells):
            break
        if _is_total_row(row.cells):
            continue
        data.append((row.number, values))
    return Table(rows[best_index].number, sender_columns, tuple(data))
