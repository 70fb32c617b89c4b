"""What the seconded officials' reports say, for the ministry: page 1's line (how many reports
came in, which provinces' are missing inside a wave) and the "Kiến nghị" sheet (every proposal
of the week by category and province; the obstacles the reports name, grouped by category).
Built from the package's tables (fct_official_reports, official_report_items); nothing computed
but counts and groupings. No names or ids: the signature never reaches the items, and citizen
ids and phone numbers are masked at intake."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import reference
from core.vietnamese import sort_key

OTHER = "khac"
SHEET = "Kiến nghị"


@dataclass(frozen=True)
class ReportsLine:
    """The week's reports: expected (a wave week), received, on time, missing provinces."""

    expected: bool
    received: int
    on_time: int
    missing: tuple[str, ...]  # province names, inside a wave
    proposals: int

    @property
    def sentence(self) -> str:
        if not self.expected:
            return (
                f"Báo cáo tuần của cán bộ biệt phái: tuần ngoài đợt biệt phái, nhận "
                f"{self.received} báo cáo."
            )
        text = (
            f"Báo cáo tuần của cán bộ biệt phái: {self.received}/34 tỉnh đã nộp "
            f"({self.on_time} đúng hạn); {self.proposals} kiến nghị (trang «{SHEET}»)."
        )
        if self.missing:
            text += f" Chưa nộp: {', '.join(self.missing)}."
        return text


def reports_line(reports: pd.DataFrame, items: pd.DataFrame) -> ReportsLine:
    """Page 1's line from the week's fct_official_reports and official_report_items rows."""
    received = reports["is_received"].astype(bool)
    missing = reports.loc[reports["is_missing"].astype(bool), "province_name"].astype(str)
    return ReportsLine(
        expected=bool(reports["is_expected"].astype(bool).any()),
        received=int(received.sum()),
        on_time=int((received & reports["is_on_time"].astype(bool)).sum()),
        missing=tuple(sorted(missing, key=sort_key)),
        proposals=int((items["section"] == "proposals").sum()),
    )


def _categories(codes) -> list[str]:
    """An item's category codes (';'), "khac" when it names none."""
    if not isinstance(codes, str) or not codes:
        return [OTHER]
    return codes.split(";")


def proposals_by_category(items: pd.DataFrame) -> list[tuple[str, list[list[str]]]]:
    """(category labels, [[province, proposal], …]) for every proposal of the week, grouped by
    its categories (code-list order of the first; "Khác" when it names none), provinces in
    Vietnamese order."""
    labels = reference.code_list(reference.OBSTACLE_CATEGORIES)
    order = {code: n for n, code in enumerate(labels)}
    groups: dict[tuple[str, ...], list] = {}
    for item in items[items["section"] == "proposals"].itertuples(index=False):
        codes = tuple(_categories(item.category_codes))
        key = (sort_key(item.province_name), item.item_ordinal)
        groups.setdefault(codes, []).append((key, [item.province_name, item.item_text]))
    return [
        (", ".join(labels[c] for c in codes), [row for _, row in sorted(rows, key=lambda r: r[0])])
        for codes, rows in sorted(groups.items(), key=lambda kv: [order[c] for c in kv[0]])
    ]


def proposal_rows(items: pd.DataFrame) -> list[list[str]]:
    """[category labels, province, proposal], one per proposal, in the order of
    :func:`proposals_by_category` (the HTML page's table)."""
    return [
        [label, province, text]
        for label, rows in proposals_by_category(items)
        for province, text in rows
    ]


def obstacle_groups(items: pd.DataFrame) -> list[list[str]]:
    """[category, "n ý, m tỉnh: names"] of the reports' obstacles section, one row per category
    named (an item naming two counts in both), most items first."""
    labels = reference.code_list(reference.OBSTACLE_CATEGORIES)
    found: dict[str, list[str]] = {}
    for item in items[items["section"] == "obstacles"].itertuples(index=False):
        for code in _categories(item.category_codes):
            found.setdefault(code, []).append(item.province_name)
    order = list(labels)
    rows = []
    for code, provinces in sorted(found.items(), key=lambda kv: (-len(kv[1]), order.index(kv[0]))):
        names = sorted(set(provinces), key=sort_key)
        rows.append([labels[code], f"{len(provinces)} ý, {len(names)} tỉnh: {', '.join(names)}"])
    return rows
