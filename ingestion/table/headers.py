"""Choose the sheet, find its header (one row, a group title over sub-headers, or a wide staffing
form) and the table's rows under it.

The table ends at the last row that looks like data, never at a word: rows under it (the "Tổng
cộng" row, the signature block in any layout, notes) are the form's, not the sender's data, and
every row between the first and the last data-looking row is data, checked and answered, but
the rows that structure the form (:mod:`ingestion.table.structure`), which are skipped and counted.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from ingestion.contract.columns import COLUMNS, COUNT_COLUMNS, KEYS, STAFFING
from ingestion.contract.limits import Limits, echo
from ingestion.contract.normalise import Cell, as_text, is_blank
from ingestion.contract.rejections import Rejection, reject
from ingestion.read.readers import Book, Sheet, SourceRow
from ingestion.table.header_match import HEADER_TEXT_CHARS, map_columns, match_candidates, text_keys
from ingestion.table.structure import (
    NOTE,
    SUBTOTAL,
    Item,
    SubtotalMismatch,
    check_subtotals,
    codeish,
    looks_like_data,
    structural_kind,
    total_text,
)
from ingestion.table.wide_form import WideHeader, find_wide_header

_HEADER_SEARCH_ROWS = 60


@dataclass(frozen=True)
class Table:
    """The located table: header row number, canonical column → sender's header text, data rows
    (Excel row number, canonical column → cell), and what the clerk is told about the table."""

    header_row: int
    sender_columns: dict[str, str]
    rows: tuple[tuple[int, dict[str, Cell]], ...]
    sheet_name: str | None = None  # the sheet read (None for CSV)
    rows_skipped: int = 0  # group titles, subtotals, breakdowns, column-label rows
    other_sheets: tuple[str, ...] = ()  # other visible sheets that also hold the header
    subtotals: tuple[SubtotalMismatch, ...] = ()  # subtotals that do not add up
    # Per row of ``rows`` (wide forms only; empty otherwise): the row's columns as the sender
    # named them, which differ from row to row ("Tư pháp - Hộ tịch / Số có mặt").
    row_columns: tuple[dict[str, str], ...] = ()


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
        texts.append([text[:HEADER_TEXT_CHARS] for text in options])
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
            double = match_candidates([[text_keys(t) for t in options] for options in texts], kind)
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


@dataclass(frozen=True)
class _Found:
    """A sheet's best header: a long one (first row index, height, sender texts, canonical
    column → index) or a wide staffing one."""

    start: int
    height: int
    texts: dict[str, str]
    mapping: dict[str, int]
    wide: WideHeader | None = None

    @property
    def columns(self) -> frozenset[str]:
        """The contract columns the header gives."""
        return self.wide.found if self.wide is not None else frozenset(self.mapping)


def _find_header(rows: list[SourceRow], kind: str) -> _Found:
    """The header mapping the most contract columns: a long header (fewer than two columns
    found count as none), else, for staffing, a wide form's."""
    start, height, texts, mapping = _header(rows, kind)
    found = _Found(start, height, texts, mapping if len(mapping) >= 2 else {})
    if len(found.columns) == len(COLUMNS[kind]) or kind != STAFFING:
        return found
    wide = find_wide_header(rows)
    if wide is not None and len(wide.found) >= len(found.columns):
        return _Found(wide.start, 2, {}, {}, wide)
    return found


def _quoted(names: list[str | None]) -> str:
    return ", ".join(f"«{name}»" for name in names)


def locate_table(
    book: Book, kind: str, file_name: str, limits: Limits | None = None
) -> Table | list[Rejection]:
    """The table of the sheet the workbook opens on when that sheet holds the kind's header
    (every contract column found), else of the one other visible sheet that does.

    Several other sheets holding it and none of them the active one: ``unreadable_file``
    (``ambiguous_sheets``) naming them, rather than a guess. No sheet holding it: one
    ``missing_column`` per column the best sheet lacks (the one mapping the most columns, the
    active one on ties), naming that sheet when the book has several. ``limits``: the count
    limit subtotals are checked under.
    """
    if not book.sheets:
        return [reject("empty_file", file_name)]
    wanted = len(COLUMNS[kind])
    found = [_find_header(sheet.rows, kind) for sheet in book.sheets]
    holding = [index for index, header in enumerate(found) if len(header.columns) == wanted]
    if book.active in holding:
        chosen = book.active
    elif len(holding) == 1:
        chosen = holding[0]
    elif holding:
        names = [book.sheets[index].name for index in holding]
        return [
            reject(
                "unreadable_file",
                file_name,
                variant="ambiguous_sheets",
                sheets=_quoted(names),
                detail=f"sheets {names} all hold the {kind} header; the active one does not",
            )
        ]
    else:
        best = max(
            range(len(found)),
            key=lambda index: (len(found[index].columns), index == book.active, -index),
        )
        several = len(book.sheets) > 1
        return _missing(found[best], kind, file_name, book.sheets[best].name if several else None)
    sheet = book.sheets[chosen]
    others = tuple(book.sheets[index].name or "" for index in holding if index != chosen)
    table = _read_table(sheet, found[chosen], kind, (limits or Limits()).max_count)
    return dataclasses.replace(table, sheet_name=sheet.name, other_sheets=others)


def _missing(header: _Found, kind: str, file_name: str, sheet: str | None) -> list[Rejection]:
    """One ``missing_column`` per contract column ``header`` lacks (on ``sheet``, when named)."""
    return [
        reject(
            "missing_column",
            file_name,
            column=column.name,
            value=None,
            variant="sheet" if sheet is not None else None,
            sheet=sheet,
            accepted=", ".join(f"«{header}»" for header in column.headers),
        )
        for column in COLUMNS[kind]
        if column.name not in header.columns
    ]


def _merged_fills(
    sheet: Sheet, first_number: int, columns: dict[str, int]
) -> dict[int, dict[str, Cell]]:
    """Row number → column name → the value of a cell merged down over it: a merged range
    inside the table stands for every row it spans, in ``columns`` (never the counts: a merged
    head count copied down would count people twice)."""
    names = {index: name for name, index in columns.items()}
    merges = [
        merge
        for merge in sheet.merged
        if merge.last_row > merge.first_row
        and merge.first_row >= first_number
        and merge.first_column in names
    ]
    if not merges:
        return {}
    tops = {merge.first_row for merge in merges}
    cells_of = {row.number: row.cells for row in sheet.rows if row.number in tops}
    fills: dict[int, dict[str, Cell]] = defaultdict(dict)
    for merge in merges:
        cells = cells_of.get(merge.first_row, ())
        value = cells[merge.first_column] if merge.first_column < len(cells) else None
        if is_blank(value):
            continue
        for number in range(merge.first_row + 1, merge.last_row + 1):
            fills[number].setdefault(names[merge.first_column], value)
    return fills


def _walk(
    sheet: Sheet, first: int, columns: dict[str, int], key: str, counts: frozenset[str]
) -> list[Item]:
    """Every row from index ``first`` that is data-like, not data-like, structural, or a note
    (text only outside the contract columns), in order; blank rows left out. ``columns``: name
    → column index of the cells read; ``key``: the name of the row's key; ``counts``: the names
    holding head counts.

    A row whose key looks like a code, once a data row was seen, is data without further ado
    (most rows of a file): the structural checks run only on the others."""
    names = tuple(columns)
    take = itemgetter(*columns.values())  # two or more columns: a tuple
    reach = max(columns.values()) + 1
    rows = sheet.rows[first:]
    fills = (
        _merged_fills(
            sheet,
            rows[0].number,
            {name: index for name, index in columns.items() if name not in counts},
        )
        if rows
        else {}
    )
    walked: list[Item] = []
    seen_data = False
    for number, cells in rows:
        if len(cells) >= reach:
            values = dict(zip(names, take(cells), strict=True))
        else:
            values = {
                name: cells[index] if index < len(cells) else None
                for name, index in columns.items()
            }
        if fills and number in fills:
            for name, value in fills[number].items():
                if is_blank(values[name]):
                    values[name] = value
        if seen_data and codeish(values[key]) and total_text(cells) is None:
            walked.append(Item(number, values, None, "", True))
            continue
        blank = all(is_blank(value) for value in values.values())
        if blank and all(is_blank(cell) for cell in cells):
            continue
        kind = structural_kind(cells, values, counts) or (NOTE if blank else None)
        if kind is not None:
            label = (total_text(cells) or "") if kind == SUBTOTAL else ""
            walked.append(Item(number, values, kind, label))
            continue
        is_data = looks_like_data(values, key)
        seen_data = seen_data or is_data
        walked.append(Item(number, values, None, "", is_data))
    return walked


def _table_rows(walked: list[Item]) -> tuple[list[Item], list[Item]]:
    """The table's structural rows (above, inside and right after the data, up to the first
    other row after it: skipped and counted) and its data rows (every row but structural rows
    and notes from the first to the last data-like one)."""
    data_like = [i for i, item in enumerate(walked) if item.data_like]
    first, last = (data_like[0], data_like[-1]) if data_like else (len(walked), -1)
    end = next(
        (i for i in range(last + 1, len(walked)) if walked[i].kind in (None, NOTE)), len(walked)
    )
    structural = [item for item in walked[:end] if item.kind not in (None, NOTE)]
    return structural, [item for item in walked[first : last + 1] if item.kind is None]


def _read_table(sheet: Sheet, header: _Found, kind: str, most: int) -> Table:
    """The table under ``header`` on ``sheet``: data rows, skipped rows, subtotals checked
    (``most``: the count limit)."""
    wide = header.wide
    if wide is not None:
        columns, counts, key = wide.columns, wide.counts, "commune_code"
        sender_columns = wide.sender_columns()
        partners = wide.partners
    else:
        columns, key = header.mapping, KEYS[kind][0]
        sender_columns = {column: header.texts[column] for column in columns}
        counts = {name: sender_columns[name] for name in COUNT_COLUMNS if name in columns}
        partners = {}
    sender_columns = {column: echo(text) or column for column, text in sender_columns.items()}
    walked = _walk(sheet, header.start + header.height, columns, key, frozenset(counts))
    structural, data = _table_rows(walked)
    skipped, subtotals = len(structural), ()
    if counts and any(item.kind == SUBTOTAL for item in structural):
        items = sorted([*structural, *data], key=attrgetter("number"))
        subtotals = tuple(check_subtotals(items, counts, "commune_code", partners, most))
    header_row = sheet.rows[header.start].number
    if wide is None:
        rows = tuple((item.number, item.values) for item in data)
        return Table(header_row, sender_columns, rows, rows_skipped=skipped, subtotals=subtotals)
    exploded = [(item.number, row) for item in data for row in wide.explode(item.values)]
    return Table(
        header_row,
        sender_columns,
        tuple((number, values) for number, (values, _) in exploded),
        rows_skipped=skipped,
        subtotals=subtotals,
        row_columns=tuple({**sender_columns, **names} for _, (_, names) in exploded),
    )
