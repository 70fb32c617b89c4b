"""Header cells matched to the contract's columns: case-, space-, punctuation- and
diacritic-insensitively, a note in parentheses ignored, a header that starts with an alias taken."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ingestion.contract.columns import COLUMNS
from ingestion.contract.normalise import Cell, as_text, match_key

HEADER_TEXT_CHARS = 200  # a header longer than this is not a header: only its start is matched
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@cache
def header_aliases(kind: str) -> dict[str, str]:
    """match key of every accepted header → canonical column."""
    return {match_key(header): column.name for column in COLUMNS[kind] for header in column.headers}


@lru_cache(maxsize=8192)
def text_keys(text: str) -> tuple[str, str]:
    return match_key(text), match_key(_PARENTHESES.sub(" ", text))


def _cell_keys(cell: Cell) -> tuple[str, str]:
    return text_keys((as_text(cell) or "")[:HEADER_TEXT_CHARS])


def match_candidates(
    candidates: list[list[tuple[str, str]]], kind: str
) -> dict[str, tuple[int, int]]:
    """Canonical column → (index, candidate) over per-column candidate header keys: exact matches
    first, then headers that start with an alias (the longest alias first)."""
    aliases = header_aliases(kind)
    mapping: dict[str, tuple[int, int]] = {}
    used: set[int] = set()
    for index, keys in enumerate(candidates):
        for which, (full, bare) in enumerate(keys):
            column = aliases.get(full) or aliases.get(bare)
            if column and column not in mapping and index not in used:
                mapping[column] = (index, which)
                used.add(index)
                break
    for alias in _longest_first(kind):
        column = aliases[alias]
        if column in mapping:
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
    found = match_candidates([[_cell_keys(cell)] for cell in cells], kind)
    return {column: index for column, (index, _) in found.items()}


def column_of(cell: Cell, kind: str, exact: bool = False) -> str | None:
    """The canonical column one header cell names (an accepted header, a note in parentheses
    allowed, or, unless ``exact``, a header that starts with one); memoised by its text, as the
    wide-form search asks it of every cell of the first rows."""
    return _column_of_keys(*_cell_keys(cell), kind, exact)


@lru_cache(maxsize=8192)
def _column_of_keys(full: str, bare: str, kind: str, exact: bool) -> str | None:
    if not full:
        return None
    aliases = header_aliases(kind)
    found = aliases.get(full) or aliases.get(bare)
    if found or exact:
        return found
    return next((aliases[alias] for alias in _longest_first(kind) if bare.startswith(alias)), None)


@cache
def _longest_first(kind: str) -> tuple[str, ...]:
    """The aliases a header may start with (four characters or more), the longest first."""
    return tuple(sorted((a for a in header_aliases(kind) if len(a) >= 4), key=len, reverse=True))
