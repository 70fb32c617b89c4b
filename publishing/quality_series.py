"""The sheet "Chất lượng số liệu": each province's last 13 weeks of data quality as a grid a
reader scans (one cell per week, coloured), the latest week's figures, and a small chart of the
values flagged for follow-up. One A4 page. The figures come from the mart data_quality_weekly.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.vietnamese import METRIC_LABELS, number, sort_key
from core.weeks import IsoWeek
from publishing.sheets import Col, Paragraph, Sheet, Table

SHEET = "Chất lượng số liệu"
GOOD, WATCH, MISSING = "#C6EFCE", "#FFEB9C", "#FFC7CE"
REJECTION_WATCH = 0.01  # a share of rows rejected from which a week is not "good"
BARS = "▁▂▃▄▅▆▇█"


def week_colour(row: Any) -> str:
    """Red: a kind missing; amber: late, communes missing, findings or ≥ 1 % of rows rejected;
    green otherwise."""
    if row.files_received < 3:
        return MISSING
    coverage = row.commune_coverage
    rejected = row.rejection_rate
    if (
        not row.on_time
        or (not pd.isna(coverage) and coverage < 1)
        or row.findings > 0
        or (not pd.isna(rejected) and rejected >= REJECTION_WATCH)
    ):
        return WATCH
    return GOOD


def sparkline(values: list[int], top: int) -> str:
    """One bar per week, scaled to ``top`` (the most findings of any province in a week)."""
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in values)


def _latest(row: Any) -> list[Any]:
    communes = ""
    if not pd.isna(row.communes_reported):
        communes = f"{number(row.communes_reported)}/{number(row.communes_total)}"
    rejected = None if pd.isna(row.rejection_rate) else float(row.rejection_rate)
    return [communes, "Có" if row.on_time else "Không", rejected, int(row.findings)]


def _entity(row: Any) -> str:
    """ "Phường Ba Đình, dat_dai, Số có mặt: 43 — trước đó 3, 3, 3, 3 (2025-W35–2025-W38)"; a
    commune that went missing by its name; a province figure by its label."""
    if row.rule_id == "commune_missing":
        return str(row.commune_name)
    what = [v for v in (row.commune_name, row.field_code) if isinstance(v, str)]
    what.append(METRIC_LABELS.get(row.measure, row.measure))
    value = "" if pd.isna(row.value) else number(row.value)
    return f"{', '.join(what)}: {value} — trước đó {row.history}"


def findings_table(findings: pd.DataFrame, shown: int = 3) -> Table:
    """The week's values to check again, by province and rule: how many, and the first few."""
    rows = []
    data = findings.assign(_key=findings["province_name"].map(sort_key))
    for (_, name, _, label), group in data.groupby(
        ["_key", "province_name", "rule_order", "rule_label_vi"], sort=True
    ):
        examples = [_entity(r) for r in group.head(shown).itertuples()]
        more = len(group) - len(examples)
        rows.append(
            [name, label, len(group), "; ".join(examples) + (f"; … (+{more})" if more else "")]
        )
    if not rows:
        rows = [["Không có giá trị nào cần kiểm tra lại trong tuần", "", None, ""]]
    return Table(
        [
            Col("Tỉnh, thành phố"),
            Col("Quy tắc", wrap_at=40),
            Col("Số giá trị", "int"),
            Col("Giá trị (các tuần trước)", wrap_at=60, stretch=True),
        ],
        rows,
        title="Giá trị đề nghị tỉnh kiểm tra lại (cảnh báo, không phải lỗi; số liệu vẫn được nhận)",
    )


def data_quality_sheet(series: pd.DataFrame, week: IsoWeek, footer: str) -> Sheet:
    """The grid of the 13 weeks up to ``week`` (the rows of data_quality_weekly)."""
    weeks = sorted(series["week"].unique())
    columns = [Col("Tỉnh, thành phố")]
    columns += [Col(w.split("-")[1], align="center") for w in weeks]
    columns += [
        Col("Số xã có số liệu", align="right"),
        Col("Đúng hạn", align="center"),
        Col("Dòng bị từ chối", "rate"),
        Col("Cần kiểm tra lại", "int"),
        Col("Cần kiểm tra lại theo tuần"),
        Col(f"Tổng {len(weeks)} tuần", "int"),
    ]
    top = int(series["findings"].max()) if len(series) else 0
    rows, fills = [], {}
    by_province = {code: rows_ for code, rows_ in series.groupby("province_code")}
    order = sorted(by_province, key=lambda c: sort_key(by_province[c]["province_name"].iloc[0]))
    for i, code in enumerate(order):
        data = by_province[code].set_index("week")
        line: list[Any] = [data["province_name"].iloc[0]]
        for j, w in enumerate(weeks, start=1):
            if w not in data.index:
                line.append("")
                continue
            cell = data.loc[w]
            line.append(str(int(cell.files_received)))
            fills[(i, j)] = week_colour(cell)
        latest = data.loc[weeks[-1]] if weeks and weeks[-1] in data.index else None
        line += _latest(latest) if latest is not None else ["", "", None, None]
        counts = [int(data.loc[w, "findings"]) if w in data.index else 0 for w in weeks]
        line += [sparkline(counts, top) + "  ", sum(counts)]  # fallback glyphs run wider
        rows.append(line)
    good = [
        sum(fills.get((i, j)) == GOOD for i in range(len(order))) for j in range(1, len(weeks) + 1)
    ]
    total = ["Số tỉnh đạt (ô xanh)", *[str(n) for n in good], "", "", None, None, "", None]
    rows.append(total)
    blocks = [
        Paragraph(f"Chất lượng số liệu {len(weeks)} tuần gần nhất (đến tuần {week})", bold=True),
        Paragraph(
            "Mỗi ô là một tuần: số loại báo cáo đã nhận (0–3). Xanh: đủ 3 loại, đúng hạn, đủ các "
            "xã, không có giá trị cần kiểm tra lại, dưới 1 % số dòng bị từ chối. Vàng: đủ 3 loại "
            "nhưng chưa đạt một trong các điều trên. Đỏ: thiếu loại báo cáo. Bốn cột sau: tuần "
            f"{week}. Hai cột cuối: số giá trị đề nghị tỉnh kiểm tra lại mỗi tuần (cột cao nhất: "
            f"{top}) và tổng; đây là cảnh báo, không phải lỗi bị từ chối."
        ),
        Table(columns, rows, fills=fills, bold_rows={len(rows) - 1}),
    ]
    return Sheet(SHEET, [blocks], footer_label=footer)
