"""How a form's rows are laid out under its header: one row per record, group titles and
subtotals around commune blocks, or staffing as a wide form (one row per commune); each body row
knows the records it carries, so the truth names the Excel row a clerk sees."""

from __future__ import annotations

from dataclasses import dataclass

from core import reference

DIVISION_ORDER = ("phường", "xã", "đặc khu")
GROUP_TITLES = {"phường": "I. PHƯỜNG", "xã": "II. XÃ", "đặc khu": "III. ĐẶC KHU"}
WIDE_SUBHEADERS = ("Biên chế được giao", "Số có mặt")


@dataclass(frozen=True)
class BodyRow:
    """One row under the header: its cells (in the header's columns), the records it carries
    (their indexes; none for a structural row), and the text of a structural row (its first
    cell: "I. PHƯỜNG", "Cộng xã …", "Cộng")."""

    cells: tuple[object, ...]
    records: tuple[int, ...] = ()
    label: str | None = None


def plain(body: list[list[object]]) -> list[BodyRow]:
    return [BodyRow(tuple(cells), (i,)) for i, cells in enumerate(body)]


def _commune(code: object) -> reference.Commune | None:
    """The commune of a code as written (a number too: 4 for 00004); None if unknown."""
    try:
        return reference.communes().get(f"{int(str(code)):05d}")
    except ValueError:
        return None


def division(code: object) -> str | None:
    commune = _commune(code)
    return commune.division_type if commune else None


def group_order(communes: list[object]) -> list[int]:
    """Record indexes reordered by division (phường, xã, đặc khu), stable; a record whose commune
    is unknown stays with the record before it."""
    ranks, rank = [], 0
    for code in communes:
        found = division(code)
        rank = DIVISION_ORDER.index(found) if found in DIVISION_ORDER else rank
        ranks.append(rank)
    return sorted(range(len(communes)), key=lambda i: ranks[i])


def _sums(body: list[list[object]], indexes: list[int], columns: tuple[int, ...]) -> dict:
    """What a clerk's SUM() gives over the numbers of ``columns`` (text is left out)."""
    return {
        c: sum(v for i in indexes if isinstance(v := body[i][c], int) and not isinstance(v, bool))
        for c in columns
    }


def grouped(
    body: list[list[object]],
    order: list[int],
    commune_column: int,
    count_columns: tuple[int, ...],
) -> list[BodyRow]:
    """The records in ``order`` (:func:`group_order`): a group title before each division,
    "Cộng xã …" after each commune's block (its sums), "Cộng" after each group (its sums)."""
    width = len(body[0]) if body else 0
    out: list[BodyRow] = []

    def total(label: str, indexes: list[int]) -> BodyRow:
        cells: list[object] = [None] * width
        for c, value in _sums(body, indexes, count_columns).items():
            cells[c] = value
        return BodyRow(tuple(cells), (), label)

    group: list[int] = []
    current = None
    for n, i in enumerate(order):
        code = body[i][commune_column]
        kind = division(code) or current or DIVISION_ORDER[0]
        if kind != current:
            if group:
                out.append(total("Cộng", group))
            out.append(BodyRow((None,) * width, (), GROUP_TITLES[kind]))
            current, group = kind, []
        out.append(BodyRow(tuple(body[i]), (i,)))
        group.append(i)
        last = n + 1 == len(order) or body[order[n + 1]][commune_column] != code
        name = _name(code)
        if last and name:
            block = []
            for j in reversed(group):
                if body[j][commune_column] != code:
                    break
                block.append(j)
            out.append(total(f"Cộng {name[0].lower()}{name[1:]}", block))
    if group:
        out.append(total("Cộng", group))
    return out


def _name(code: object) -> str | None:
    commune = _commune(code)
    return commune.name if commune else None


def merge_runs(rows: list[BodyRow], columns: tuple[int, ...]) -> list[tuple[int, int, int]]:
    """(first body index, last body index, column) of each run of two or more consecutive record
    rows holding one non-blank value in a column: the cells a clerk merges."""
    runs = []
    for c in columns:
        start = 0
        while start < len(rows):
            value = rows[start].cells[c]
            end = start
            while (
                rows[start].records
                and value not in (None, "")
                and end + 1 < len(rows)
                and rows[end + 1].records
                and rows[end + 1].cells[c] == value
            ):
                end += 1
            if end > start:
                runs.append((start, end, c))
            start = end + 1
    return runs


@dataclass(frozen=True)
class Wide:
    """A wide staffing table: the two header rows and the body (one row per commune)."""

    top: tuple[str | None, ...]
    sub: tuple[str | None, ...]
    body: list[BodyRow]


def wide(records: list[dict], titles: dict[str, str], date_column: bool, date_header: str) -> Wide:
    """``records``: written cells per record (commune_code, field_code, approved_posts,
    filled_posts, report_date). One row per commune in order of first appearance; a record
    whose field the commune's row already holds (a duplicate) opens another row for it.
    ``titles``: field code → the group title written over its pair."""
    fields = list(titles)
    top: list[str | None] = ["Mã xã", "Tổng số", None]
    sub: list[str | None] = [None, *WIDE_SUBHEADERS]
    for code in fields:
        top += [titles[code], None]
        sub += list(WIDE_SUBHEADERS)
    if date_column:
        top.append(date_header)
        sub.append(None)
    rows: list[dict] = []  # {"commune": c, "fields": {field: record index}}
    open_row: dict[object, dict] = {}
    for i, record in enumerate(records):
        commune, field = record["commune_code"], record["field_code"]
        row = open_row.get(commune)
        if row is None or field in row["fields"]:
            row = {"commune": commune, "fields": {}, "date": record["report_date"]}
            rows.append(row)
            open_row[commune] = row
        row["fields"][field] = i
    body = []
    for row in rows:
        cells: list[object] = [row["commune"], None, None]
        approved_total = filled_total = 0
        for field in fields:
            i = row["fields"].get(field)
            pair = (
                (None, None)
                if i is None
                else (
                    records[i]["approved_posts"],
                    records[i]["filled_posts"],
                )
            )
            cells += pair
            approved_total += pair[0] if isinstance(pair[0], int) else 0
            filled_total += pair[1] if isinstance(pair[1], int) else 0
        cells[1:3] = [approved_total, filled_total]
        if date_column:
            cells.append(row["date"])
        body.append(BodyRow(tuple(cells), tuple(sorted(row["fields"].values()))))
    return Wide(tuple(top), tuple(sub), body)
