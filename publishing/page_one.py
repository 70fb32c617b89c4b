"""What page 1 says, built once from the package's tables: the workbook and the HTML page show it.

Nothing here computes a metric: the figures, changes, coverage, ranks and the deadline verdicts come
from the marts; this module picks the rows a reader needs first, orders them and words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from core import reference
from core.vietnamese import nil_return, number, sort_key
from core.weeks import IsoWeek
from publishing.proposals import ReportsLine, obstacle_groups, proposal_rows, reports_line

PROVINCES = 34
LEVEL_WAITING = {
    "xa": "Cấp xã",
    "tinh": "Cấp tỉnh",
    "bo": "Bộ Nội vụ",
    "chinh_phu": "Chính phủ",
}
KIND_LABELS = {"staffing": "Biên chế", "secondments": "Biệt phái", "obstacles": "Vướng mắc"}


@dataclass(frozen=True)
class Headline:
    """One national figure: this week, last week, the change, and how many provinces it covers."""

    label: str
    column: str  # national_trend column
    style: str  # "int", "rate" (a share shown as %), "days"
    value: float | None
    previous: float | None
    change: float | None
    kind: str | None  # the report kind it comes from (coverage), None for completeness figures
    coverage: int | None = None
    coverage_previous: int | None = None
    indent: bool = False
    communes: tuple[int, int] | None = None  # staffing: communes reported, of the country's

    @property
    def coverage_text(self) -> str:
        """ "34/34 (tuần trước 33/34)", and for staffing figures their commune coverage:
        "33/34; 3.208/3.321 xã" (SPEC §3b)."""
        if self.kind is None:
            return ""
        text = f"{self.coverage}/{PROVINCES}"
        if self.coverage_previous is not None and self.coverage_previous != self.coverage:
            text += f" (tuần trước {self.coverage_previous}/{PROVINCES})"
        if self.communes is not None and self.coverage:
            reported, total = self.communes
            text += f"; {number(reported)}/{number(total)} xã"
        return text

    @property
    def change_share(self) -> float | None:
        """Relative change for counts (−0.128); rates and days show their change in points."""
        if self.style != "int" or self.change is None or not self.previous:
            return None
        return self.change / self.previous


@dataclass(frozen=True)
class ProvinceIssue:
    """A province with a kind missing or late: the kinds, and when the late ones arrived."""

    province_code: str
    province_name: str
    missing: tuple[str, ...]  # kind labels
    late: tuple[tuple[str, str], ...]  # (kind label, received "02/09 15:30")


@dataclass(frozen=True)
class Ministry:
    """The ministry's seconded officials (SPEC §1) in the week, or the sentence saying the
    programme is not running."""

    status: str  # not_started / running / ended
    start: date
    end: date
    active: int | None
    started: int | None
    ended: int | None
    coverage: int | None

    @property
    def period(self) -> str:
        return f"đợt {self.start:%d/%m} – {self.end:%d/%m/%Y}"

    @property
    def sentence(self) -> str:
        """What to say instead of numbers, or above them."""
        if self.status == "ended":
            return f"Đợt biệt phái đã kết thúc ngày {self.end:%d/%m/%Y}."
        if self.status == "not_started":
            return f"Đợt biệt phái bắt đầu ngày {self.start:%d/%m/%Y}."
        if not self.coverage:
            return "Chưa tỉnh nào nộp báo cáo biệt phái."
        return f"Theo báo cáo biệt phái của {self.coverage}/34 tỉnh."


@dataclass
class PageOne:
    week: IsoWeek
    headlines: list[Headline]
    issues: list[ProvinceIssue]
    top_vacancy: pd.DataFrame  # rank, province_name, vacancy_rate, vacancies, approved_posts
    staffing_missing: list[str]  # provinces without a staffing figure (no rank)
    obstacles_by_level: pd.DataFrame  # level label, open, escalated, raised, resolved
    obstacles_by_category: pd.DataFrame  # category label, open, escalated, raised, resolved
    ministry: Ministry
    obstacles_coverage: int  # provinces whose obstacles file the obstacle tables cover
    reports: ReportsLine  # the seconded officials' weekly reports
    proposals: list[list[str]]  # [categories, province, proposal] (the "Kiến nghị" sheet)
    report_obstacles: list[list[str]]  # [category, "n ý, m tỉnh: names"] (the same sheet)
    notes: list[str] = field(default_factory=list)  # gate warnings worded for the ministry
    nil_returns: list[str] = field(default_factory=list)  # provinces with nothing of a kind

    @property
    def title(self) -> str:
        return (
            f"BÁO CÁO TUẦN {self.week} ({self.week.monday:%d/%m/%Y} – {self.week.sunday:%d/%m/%Y})"
        )

    @property
    def subtitle(self) -> str:
        return (
            "Biên chế, biệt phái và vướng mắc của chính quyền cấp xã — tổng hợp toàn quốc từ báo "
            "cáo của 34 tỉnh, thành phố. Số liệu toàn quốc là tổng của các tỉnh đã nộp; cột "
            '"Số tỉnh" cho biết mỗi số liệu bao phủ bao nhiêu tỉnh.'
        )


# (label, national_trend column, style, kind, indented)
HEADLINES: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("Biên chế được giao", "approved_posts", "int", "staffing", False),
    ("Số có mặt", "filled_posts", "int", "staffing", False),
    ("Số thiếu (theo xã × lĩnh vực)", "vacancies", "int", "staffing", False),
    ("Tỷ lệ thiếu (số thiếu ÷ được giao)", "vacancy_rate", "rate", "staffing", True),
    ("Số thừa (theo xã × lĩnh vực)", "surplus", "int", "staffing", False),
    ("Số xã thiếu người", "communes_short", "int", "staffing", False),
    ("Đang biệt phái", "active_secondments", "int", "secondments", False),
    ("trong đó do Bộ cử", "active_secondments_bo", "int", "secondments", True),
    ("Biệt phái bắt đầu trong tuần", "secondments_started", "int", "secondments", False),
    ("Vướng mắc phát sinh trong tuần", "obstacles_raised", "int", "obstacles", False),
    ("Vướng mắc tháo gỡ trong tuần", "obstacles_resolved", "int", "obstacles", False),
    ("Vướng mắc chưa tháo gỡ (tồn đọng)", "obstacles_open", "int", "obstacles", False),
    ("trong đó kiến nghị cấp trên", "obstacles_escalated", "int", "obstacles", True),
    ("chờ Bộ Nội vụ xử lý", "obstacles_waiting_ministry", "int", "obstacles", True),
    ("chờ Chính phủ xử lý", "obstacles_waiting_government", "int", "obstacles", True),
    ("Tỷ lệ tháo gỡ lũy kế", "resolution_rate", "rate", "obstacles", False),
    ("Số ngày tháo gỡ (trung vị)", "median_days_to_resolve", "days", "obstacles", False),
    ("Tỉnh nộp đủ 3 báo cáo đúng hạn", "on_time", "int", None, False),
)


def _value(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def headlines(trend_row: pd.Series) -> list[Headline]:
    """The headline figures of the week's national_trend row, with coverage per kind (and per
    commune for the staffing figures)."""
    out = []
    reported, total = _value(trend_row, "communes_reported"), _value(trend_row, "communes_total")
    communes = None if reported is None or total is None else (int(reported), int(total))
    for label, column, style, kind, indent in HEADLINES:
        coverage = previous_coverage = None
        if kind is not None:
            coverage = int(trend_row[f"provinces_reporting_{kind}"])
            previous_coverage = _value(trend_row, f"prev_provinces_reporting_{kind}")
        out.append(
            Headline(
                label=label,
                column=column,
                style=style,
                value=_value(trend_row, column),
                previous=_value(trend_row, f"prev_{column}"),
                change=_value(trend_row, f"change_{column}"),
                kind=kind,
                coverage=coverage,
                coverage_previous=None if previous_coverage is None else int(previous_coverage),
                indent=indent,
                communes=communes if kind == "staffing" else None,
            )
        )
    return out


def _received(text: Any) -> str:
    if not isinstance(text, str) or not text:
        return ""
    return f"{datetime.fromisoformat(text):%d/%m %H:%M}"


def province_issues(submission: pd.DataFrame) -> list[ProvinceIssue]:
    """Provinces with a missing or late kind, in Vietnamese alphabetical order."""
    issues = []
    for code, rows in submission.groupby("province_code", sort=True):
        rows = rows.sort_values(
            "kind", key=lambda k: k.map({k: i for i, k in enumerate(KIND_LABELS)})
        )
        missing = tuple(KIND_LABELS[r.kind] for r in rows.itertuples() if bool(r.is_missing))
        late = tuple(
            (KIND_LABELS[r.kind], _received(r.first_received_at))
            for r in rows.itertuples()
            if bool(r.is_late)
        )
        if missing or late:
            issues.append(
                ProvinceIssue(str(code), str(rows["province_name"].iloc[0]), missing, late)
            )
    return sorted(issues, key=lambda i: sort_key(i.province_name))


def nil_returns(submission: pd.DataFrame) -> list[str]:
    """Per kind, the provinces whose file says they had none of it this week (a nil return:
    received, with no data row), as one sentence each."""
    sentences = []
    nil = submission[submission["is_nil_return"].fillna(False).astype(bool)]
    for kind in KIND_LABELS:
        names = nil.loc[nil["kind"] == kind, "province_name"].astype(str).tolist()
        if names:
            listed = ", ".join(sorted(names, key=sort_key))
            sentences.append(f"Tỉnh báo cáo {nil_return(kind)}: {listed}.")
    return sentences


def _obstacle_sums(obstacles: pd.DataFrame, by: str) -> pd.DataFrame:
    measures = ["obstacles_open", "obstacles_escalated", "obstacles_raised", "obstacles_resolved"]
    if obstacles.empty:
        return pd.DataFrame(columns=[by, *measures])
    data = obstacles.copy()
    for measure in measures:
        data[measure] = pd.to_numeric(data[measure]).astype("int64")
    return data.groupby(by, dropna=False, sort=False)[measures].sum().reset_index()


def obstacles_by_level(obstacles: pd.DataFrame) -> pd.DataFrame:
    """Open (and escalated), raised and resolved obstacles by the level they wait on."""
    sums = _obstacle_sums(obstacles, "resolution_level").set_index("resolution_level")
    sums = sums.reindex(list(reference.LEVEL_ORDER), fill_value=0)
    sums.insert(0, "level_label", [LEVEL_WAITING[level] for level in reference.LEVEL_ORDER])
    return sums.reset_index(drop=True)


def obstacles_by_category(obstacles: pd.DataFrame) -> pd.DataFrame:
    """Obstacles by category, most open first (every category listed, zeros included)."""
    categories = reference.code_list(reference.OBSTACLE_CATEGORIES)
    sums = _obstacle_sums(obstacles, "category_code").set_index("category_code")
    sums = sums.reindex(list(categories), fill_value=0)
    sums.insert(0, "category_label", [categories[code] for code in sums.index])
    order = sums.sort_values(
        ["obstacles_open", "obstacles_raised"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    return order


def top_vacancy(rates: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, list[str]]:
    """The ``n`` provinces with the highest vacancy rate (the mart's rank) and the provinces that
    have no rate because they sent no staffing file."""
    ranked = rates[rates["vacancy_rate_rank"].notna()].copy()
    ranked["vacancy_rate_rank"] = ranked["vacancy_rate_rank"].astype("int64")
    top = ranked[ranked["vacancy_rate_rank"] <= n].sort_values("vacancy_rate_rank")
    missing = rates.loc[~rates["is_reported"].astype(bool), "province_name"].tolist()
    columns = ["vacancy_rate_rank", "province_name", "vacancy_rate", "vacancies", "approved_posts"]
    return top[columns].reset_index(drop=True), sorted(missing, key=sort_key)


def ministry(trend_row: pd.Series) -> Ministry:
    coverage = _value(trend_row, "provinces_reporting_secondments")
    return Ministry(
        status=str(trend_row["ministry_programme_status"]),
        start=date.fromisoformat(str(trend_row["ministry_programme_start"])),
        end=date.fromisoformat(str(trend_row["ministry_programme_end"])),
        active=_int(trend_row, "active_secondments_bo"),
        started=_int(trend_row, "ministry_secondments_started"),
        ended=_int(trend_row, "ministry_secondments_ended"),
        coverage=None if coverage is None else int(coverage),
    )


def _int(row: pd.Series, column: str) -> int | None:
    value = _value(row, column)
    return None if value is None else int(value)


def build(tables: dict[str, pd.DataFrame], week: IsoWeek, notes: list[str]) -> PageOne:
    """Page 1 of the week from the package's tables; ``notes``: the gate's warnings, worded."""
    trend = tables["national_trend"]
    this_week = trend[trend["week"] == str(week)]
    if this_week.empty:
        raise ValueError(f"national_trend has no row for {week}")
    row = this_week.iloc[0]
    top, staffing_missing = top_vacancy(tables["province_vacancy_rate"])
    return PageOne(
        week=week,
        headlines=headlines(row),
        issues=province_issues(tables["submission_status"]),
        top_vacancy=top,
        staffing_missing=staffing_missing,
        obstacles_by_level=obstacles_by_level(tables["obstacles_by_province"]),
        obstacles_by_category=obstacles_by_category(tables["obstacles_by_province"]),
        ministry=ministry(row),
        obstacles_coverage=int(row["provinces_reporting_obstacles"]),
        reports=reports_line(tables["fct_official_reports"], tables["official_report_items"]),
        proposals=proposal_rows(tables["official_report_items"]),
        report_obstacles=obstacle_groups(tables["official_report_items"]),
        notes=list(notes),
        nil_returns=nil_returns(tables["submission_status"]),
    )
