"""Search the officials' weekly reports (``official_report_items``): diacritic-insensitive both
ways ("vuong mac" finds "vướng mắc", "cấp phó" finds "cap pho", đ folds to d), a phrase found
across a line break. An item matches when its text holds every word of the query, or its
section's heading does (as the official wrote it, or the SPEC label: "vướng mắc" is the obstacles
section's). Hits rank the section whose heading holds the words first, then the whole phrase
before scattered words, then the newest week."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from core.vietnamese import plain_words
from ingestion.contract.report_sections import SECTION_LABELS, SECTIONS

PASSAGE_WORDS = 30  # words of an item shown around the match
_SELECT = """
select week, province_code, province_name, section, section_label_vi, section_heading,
    section_heading_folded, item_ordinal, item_text, text_folded
from official_report_items
where ({matches}){filters}
"""


@dataclass(frozen=True)
class Hit:
    """One item that matches, its rank (lower first) and the passage to show."""

    rank: tuple
    week: str
    province_code: str
    province_name: str
    section: str
    section_label_vi: str
    passage: str


def query_words(query: str) -> list[str]:
    """The query folded as the items' text_folded is: "Vướng  mắc!" → ["vuong", "mac"]."""
    return plain_words(query).split()


def _holds(words: list[str], text: str) -> bool:
    return all(f" {word} " in text for word in words)


def labelled_sections(words: list[str]) -> list[str]:
    """The sections whose SPEC label holds ``words`` ("vướng mắc" → obstacles)."""
    return [s for s, label in SECTION_LABELS.items() if _holds(words, f" {plain_words(label)} ")]


def rank(words: list[str], row: dict[str, Any]) -> tuple | None:
    """The rank of an item for ``words`` (lower first), or None when neither its text nor its
    section's heading (as written, or the SPEC label) holds every word."""
    text = f" {row['text_folded']} "
    label = plain_words(SECTION_LABELS.get(row["section"], ""))
    in_heading = _holds(words, f" {row['section_heading_folded'] or ''} {label} ")
    if not (in_heading or _holds(words, text)):
        return None
    phrase = f" {' '.join(words)} "
    return (
        not in_heading,  # the section's own heading says it: first
        phrase not in text,  # the whole phrase before scattered words
        -text.count(phrase),
        _negated_week(row["week"]),
        row["province_code"],
        SECTIONS.index(row["section"]),
        row["item_ordinal"],
    )


def _negated_week(week: str) -> tuple[int, int]:
    year, number = week.split("-W")
    return (-int(year), -int(number))


def passage(item_text: str, words: list[str], width: int = PASSAGE_WORDS) -> str:
    """The item's words around the first match (all of it when short); line breaks as spaces."""
    tokens = item_text.split()
    if len(tokens) <= width:
        return " ".join(tokens)
    folded = [plain_words(token) for token in tokens]
    start = next((i for i, token in enumerate(folded) if token == words[0]), 0)
    first = max(0, min(start - width // 3, len(tokens) - width))
    shown = " ".join(tokens[first : first + width])
    return ("… " if first else "") + shown + (" …" if first + width < len(tokens) else "")


def search(
    settings: Settings,
    query: str,
    week: str | None = None,
    province: str | None = None,
    section: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Items of ``official_report_items`` holding every word of ``query``, ranked."""
    from warehouse.read import connect, fetch_rows

    words = query_words(query)
    if not words:
        return []
    params: dict[str, Any] = {f"w{n}": f"%{word}%" for n, word in enumerate(words)}
    matches = [
        " and ".join(f"{column} like :w{n}" for n in range(len(words)))
        for column in ("text_folded", "section_heading_folded")
    ]
    for n, code in enumerate(labelled_sections(words)):
        matches.append(f"section = :s{n}")
        params[f"s{n}"] = code
    filters = ""
    for column, value in (("week", week), ("province_code", province), ("section", section)):
        if value:
            filters += f" and {column} = :{column}"
            params[column] = value
    with connect(settings) as con:
        sql = _SELECT.format(matches=" or ".join(f"({m})" for m in matches), filters=filters)
        rows = fetch_rows(con, sql, params)
    hits = []
    for row in rows:
        found = rank(words, row)
        if found is None:
            continue
        hits.append(
            Hit(
                found,
                row["week"],
                row["province_code"],
                row["province_name"],
                row["section"],
                row["section_label_vi"],
                passage(row["item_text"], words),
            )
        )
    return sorted(hits, key=lambda hit: hit.rank)[:limit]
