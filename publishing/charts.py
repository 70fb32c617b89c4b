"""The package's charts as PNG (matplotlib, Agg): the same images in the workbook and the HTML page.

Same tables → same bytes: the Agg renderer is deterministic, the font is matplotlib's own DejaVu
Sans (it has every Vietnamese glyph) and the PNG carries no "Software" or time metadata. Every
chart says how many provinces it covers; a week without figures is a gap, never a zero.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from core import reference, vietnamese

CHART_FILES = {
    "trend": "bieu_do_xu_huong.png",
    "fields": "bieu_do_linh_vuc.png",
    "obstacles": "bieu_do_vuong_mac.png",
}
DPI = 100
LEVEL_COLOURS = {"xa": "#9ecae1", "tinh": "#4292c6", "bo": "#e6550d", "chinh_phu": "#a50f15"}
SHORT = "#c0392b"  # shortage
EXTRA = "#2e86c1"  # surplus


@contextmanager
def _figure(width: float, height: float) -> Iterator[tuple]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    style = {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(style):
        fig = plt.figure(figsize=(width, height), dpi=DPI)
        try:
            yield fig, plt
        finally:
            plt.close(fig)


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _thousands(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: vietnamese.number(v)))


def _week_labels(trend: pd.DataFrame, kind: str) -> tuple[list[str], list[bool]]:
    """Week numbers (``35``), with the number of provinces that sent the kind under those weeks
    where not all 34 did; and which weeks are complete."""
    labels, complete = [], []
    for week, covered in zip(trend["week"], trend[f"provinces_reporting_{kind}"], strict=True):
        count = 0 if pd.isna(covered) else int(covered)
        labels.append(str(week)[-2:] + ("" if count == 34 else f"\n{count}"))
        complete.append(count == 34)
    return labels, complete


def trend_chart(trend: pd.DataFrame) -> bytes:
    """Last 13 weeks: vacancies and surplus; open, resolved and escalated obstacles; active
    secondments. Weeks where not every province reported carry their coverage under the label."""
    with _figure(11.0, 3.6) as (fig, _):
        axes = fig.subplots(1, 3)
        x = list(range(len(trend)))
        panels = (
            (
                "staffing",
                "Biên chế: thiếu và thừa (người)",
                (("vacancies", "Số thiếu", SHORT), ("surplus", "Số thừa", EXTRA)),
            ),
            (
                "obstacles",
                "Vướng mắc",
                (
                    ("obstacles_open", "Chưa tháo gỡ", "#7f3c8d"),
                    ("obstacles_resolved", "Tháo gỡ trong tuần", "#11a579"),
                    ("obstacles_escalated", "Kiến nghị cấp trên", "#e68310"),
                ),
            ),
            (
                "secondments",
                "Biệt phái (người)",
                (
                    ("active_secondments", "Đang biệt phái", "#3969ac"),
                    ("active_secondments_bo", "Trong đó do Bộ cử", "#e73f74"),
                ),
            ),
        )
        for ax, (kind, title, series) in zip(axes, panels, strict=True):
            labels, complete = _week_labels(trend, kind)
            for column, label, colour in series:
                values = pd.to_numeric(trend[column], errors="coerce").astype("float64")
                ax.plot(x, values, linewidth=1.6, label=label, color=colour)
                for full in (True, False):  # hollow markers: not every province reported
                    at = [i for i in x if complete[i] == full]
                    ax.plot(
                        at,
                        values.iloc[at],
                        linestyle="none",
                        marker="o",
                        markersize=4,
                        color=colour,
                        markerfacecolor=colour if full else "white",
                    )
            ax.set_title(title, loc="left")
            ax.set_xticks(x, labels, fontsize=7)
            ax.set_xlabel("Tuần", fontsize=7, loc="right")
            ax.set_ylim(bottom=0)
            _thousands(ax.yaxis)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.legend(fontsize=7, frameon=False, loc="best")
        first, last = trend["week"].iloc[0], trend["week"].iloc[-1]
        fig.suptitle(
            f"Xu hướng {len(trend)} tuần gần nhất ({first} – {last}). Điểm rỗng: tuần chưa đủ 34 "
            "tỉnh báo cáo (số tỉnh ghi dưới số tuần)",
            x=0.01,
            ha="left",
            fontsize=10,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        return _png(fig)


def fields_chart(fields: pd.DataFrame) -> bytes:
    """National shortage and surplus by field, worst vacancy rate first (never netted)."""
    data = fields.copy()
    data["vacancy_rate"] = pd.to_numeric(data["vacancy_rate"]).astype("float64")
    data = data.sort_values(
        ["vacancy_rate", "field_code"], ascending=[True, True], na_position="first"
    )
    covered = data["provinces_reporting_staffing"].dropna()
    coverage = int(covered.iloc[0]) if len(covered) else 0
    with _figure(5.6, 4.6) as (fig, _):
        ax = fig.subplots()
        y = list(range(len(data)))
        vacancies = pd.to_numeric(data["vacancies"]).astype("float64").fillna(0)
        surplus = pd.to_numeric(data["surplus"]).astype("float64").fillna(0)
        ax.barh([v + 0.2 for v in y], vacancies, height=0.4, color=SHORT, label="Số thiếu")
        ax.barh([v - 0.2 for v in y], surplus, height=0.4, color=EXTRA, label="Số thừa")
        labels = [
            f"{label} ({vietnamese.percent(rate)})"
            if pd.notna(rate)
            else f"{label} (chưa có số liệu)"
            for label, rate in zip(data["field_label_vi"], data["vacancy_rate"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=7)
        _thousands(ax.xaxis)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.legend(
            fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.07), ncol=2
        )
        ax.set_title(
            f"Thiếu và thừa theo lĩnh vực (tỷ lệ thiếu)\n{coverage}/34 tỉnh có báo cáo biên chế",
            loc="left",
        )
        fig.tight_layout()
        return _png(fig)


def obstacles_chart(obstacles: pd.DataFrame, coverage: int | None, labels: dict[str, str]) -> bytes:
    """Obstacles open at week end by category, stacked by the level they wait on."""
    with _figure(5.6, 4.6) as (fig, _):
        ax = fig.subplots()
        table = (
            obstacles.assign(obstacles_open=pd.to_numeric(obstacles["obstacles_open"]))
            .pivot_table(
                index="category_label_vi",
                columns="resolution_level",
                values="obstacles_open",
                aggfunc="sum",
                fill_value=0,
            )
            .reindex(columns=list(reference.LEVEL_ORDER), fill_value=0)
        )
        table = table.loc[table.sum(axis=1).sort_values(kind="stable").index]
        left = [0.0] * len(table)
        y = list(range(len(table)))
        for level in reference.LEVEL_ORDER:
            values = table[level].astype("float64").tolist()
            ax.barh(
                y, values, left=left, color=LEVEL_COLOURS[level], label=labels.get(level, level)
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(y, list(table.index), fontsize=7)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.legend(
            title="Chờ cấp xử lý",
            fontsize=7,
            title_fontsize=7,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.4, -0.07),
            ncol=4,
        )
        scope = "chưa tỉnh nào nộp" if not coverage else f"{coverage}/34 tỉnh có báo cáo vướng mắc"
        ax.set_title(f"Vướng mắc chưa tháo gỡ theo nhóm và cấp xử lý\n{scope}", loc="left")
        if table.empty:
            ax.text(
                0.5, 0.5, "Không có vướng mắc chưa tháo gỡ", ha="center", transform=ax.transAxes
            )
        fig.tight_layout()
        return _png(fig)
