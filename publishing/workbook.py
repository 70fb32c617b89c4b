"""The ministry's Excel workbook: page 1 first, every sheet one A4 landscape page wide, same bytes
for the same tables.

Sheets: Tổng quan (page 1), Biểu đồ (the PNG charts), Xu hướng (13 weeks), Theo tỉnh, Lĩnh vực,
Biệt phái, Vướng mắc, Tình trạng nộp, Ghi chú chất lượng, Kiến nghị (the seconded officials'
reports). A kind a province did not send shows
"Chưa nộp", never a blank or a zero. Engineering checks are not here (manifest, gate report).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core import reference
from core.vietnamese import sort_key
from core.weeks import IsoWeek
from publishing import layout, proposals, quality_series
from publishing.page_one import KIND_LABELS, PROVINCES, PageOne
from publishing.sheets import Col, Formats, Paragraph, Sheet, SheetWriter, Table, a4_landscape
from quality.results import GateResult

SHEETS = (
    "Tổng quan",
    "Biểu đồ",
    "Xu hướng",
    "Theo tỉnh",
    "Lĩnh vực",
    "Biệt phái",
    "Vướng mắc theo tỉnh",
    "Vướng mắc theo nhóm",
    "Tình trạng nộp",
    "Ghi chú chất lượng",
    quality_series.SHEET,
    proposals.SHEET,
)
MISSING = "Chưa nộp"
KINDS = ("staffing", "secondments", "obstacles")
STATUS_ORDER = {"missing": 0, "late": 1, "on_time": 2}
PROPOSAL_WRAP = 70  # character units of a proposal's text on the "Kiến nghị" sheet


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# ---------------------------------------------------------------------------------------------
# Tổng quan (page 1): two stacks side by side; every header on one line, so a row shared by
# both stacks never grows for one of them.


def _headline_table(page: PageOne) -> Table:
    rows, muted, indent, formats = [], set(), set(), {}
    value_fmt = {"int": "int", "rate": "rate", "days": "days"}
    for i, h in enumerate(page.headlines):
        if h.indent:
            indent.add(i)
        if h.style != "int":
            formats |= {(i, 1): value_fmt[h.style], (i, 2): value_fmt[h.style]}
            formats[(i, 3)] = "signed_points" if h.style == "rate" else "signed_days"
        if h.column == "on_time":
            value = f"{int(h.value)}/34" if h.value is not None else ""
            previous = f"{int(h.previous)}/34" if h.previous is not None else ""
            rows.append([h.label, value, previous, h.change, None, ""])
        elif h.kind is not None and not h.coverage:
            rows.append([h.label, MISSING, None, None, None, "0/34"])
            muted.add(i)
        else:
            change = h.change
            if h.style != "int" and change is not None:  # points and days: one decimal shown
                change = round(change * (100 if h.style == "rate" else 1), 1) + 0.0
            rows.append([h.label, h.value, h.previous, change, h.change_share, h.coverage_text])
    columns = [
        Col("Chỉ tiêu"),
        Col("Tuần này", "int"),
        Col("Tuần trước", "int"),
        Col("Thay đổi", "signed"),
        Col("%", "signed_pct"),
        Col("Số tỉnh có số liệu"),
    ]
    return Table(
        columns,
        rows,
        title="1. Số liệu chính toàn quốc",
        muted_rows=muted,
        indent_rows=indent,
        formats=formats,
        wrap_header=False,
    )


def _issues_table(page: PageOne) -> Table:
    rows = [
        [
            issue.province_name,
            ", ".join(issue.missing) or "—",
            ", ".join(kind for kind, _ in issue.late) or "—",
            "; ".join(when for _, when in issue.late),
        ]
        for issue in page.issues
    ]
    if not rows:
        rows = [["Không có: 34/34 tỉnh nộp đủ, đúng hạn", "—", "—", ""]]
    return Table(
        [Col("Tỉnh, thành phố"), Col("Chưa nộp"), Col("Nộp muộn"), Col("Nhận lúc")],
        rows,
        title=f"2. Tỉnh chưa nộp, nộp muộn ({len(page.issues)} tỉnh)",
        wrap_header=False,
    )


def _top_table(page: PageOne) -> Table:
    rows = [
        [
            f"{int(r.vacancy_rate_rank)}. {r.province_name}",
            _num(r.vacancy_rate),
            _num(r.vacancies),
            _num(r.approved_posts),
        ]
        for r in page.top_vacancy.itertuples(index=False)
    ]
    reporting = PROVINCES - len(page.staffing_missing)
    return Table(
        [
            Col("Tỉnh, thành phố"),
            Col("Tỷ lệ thiếu", "rate"),
            Col("Số thiếu", "int"),
            Col("Được giao", "int"),
        ],
        rows,
        title=f"3. 10 tỉnh có tỷ lệ thiếu cao nhất (trong {reporting}/34 tỉnh có số liệu)",
        wrap_header=False,
    )


OBSTACLE_COLUMNS = (
    Col("Tồn đọng", "int"),
    Col("Kiến nghị", "int"),
    Col("Phát sinh", "int"),
    Col("Tháo gỡ", "int"),
)


def _obstacle_table(page: PageOne, frame: pd.DataFrame, label: str, title: str) -> Table:
    """Open (escalated), raised, resolved per level or category, over the provinces that sent
    their obstacles file; "Chưa nộp" across the row when none did, never zeros."""
    measures = ("obstacles_open", "obstacles_escalated", "obstacles_raised", "obstacles_resolved")
    rows, spans = [], []
    for i, r in enumerate(frame.to_dict("records")):
        if page.obstacles_coverage:
            rows.append([r[frame.columns[0]], *[r[m] for m in measures]])
        else:
            rows.append([r[frame.columns[0]], None, None, None, None])
            spans.append((i, 1, 4, MISSING))
    return Table(
        [Col(label), *OBSTACLE_COLUMNS],
        rows,
        spans=spans,
        title=f"{title} ({page.obstacles_coverage}/34 tỉnh có báo cáo)",
        wrap_header=False,
    )


def _level_table(page: PageOne) -> Table:
    return _obstacle_table(
        page, page.obstacles_by_level, "Chờ cấp xử lý", "4. Vướng mắc theo cấp xử lý"
    )


def _category_table(page: PageOne) -> Table:
    return _obstacle_table(
        page,
        page.obstacles_by_category,
        "Nhóm vướng mắc",
        "6. Vướng mắc theo nhóm",
    )


def _ministry_blocks(page: PageOne) -> list:
    """The ministry's seconded officials in the week, or the sentence saying the programme is
    over (or not started): never a row of zeros after 20/10/2025."""
    m = page.ministry
    title = f"5. Biệt phái của Bộ ({m.period})"
    reports = Paragraph(page.reports.sentence)
    if not (m.status == "running" and m.coverage):
        return [Paragraph(title, bold=True), Paragraph(m.sentence), reports]
    rows = [
        ["Đang làm nhiệm vụ", m.active],
        ["Bắt đầu trong tuần", m.started],
        ["Kết thúc trong tuần", m.ended],
    ]
    return [
        Table(
            [Col("Cán bộ do Bộ biệt phái"), Col(f"Số người ({m.coverage}/34 tỉnh)", "int")],
            rows,
            title=title,
            wrap_header=False,
        ),
        reports,
    ]


def overview_sheet(page: PageOne, footer: str) -> Sheet:
    deadline = f"{page.week.deadline:%H:%M %d/%m/%Y}"
    header = [
        Paragraph(page.title, bold=True, size=13),
        Paragraph(f"{page.subtitle} Hạn nộp báo cáo tuần: {deadline}.", colour="#404040"),
    ]
    for note in page.notes:
        header.append(Paragraph("Lưu ý: " + note, colour="#9C0006"))
    left = [_headline_table(page), _category_table(page)]
    nothing = [Paragraph(sentence, colour="#404040") for sentence in page.nil_returns]
    right = [
        _issues_table(page),
        *nothing,
        _top_table(page),
        _level_table(page),
        *_ministry_blocks(page),
    ]
    return Sheet(SHEETS[0], [left, right], header=header, footer_label=footer)


# Data sheets


def trend_sheet(trend: pd.DataFrame, footer: str) -> Sheet:
    columns = [
        Col("Tuần"),
        Col("Biên chế được giao", "int"),
        Col("Số thiếu", "int"),
        Col("Tỷ lệ thiếu", "rate"),
        Col("Số thừa", "int"),
        Col("Đang biệt phái", "int"),
        Col("trong đó do Bộ cử", "int"),
        Col("Vướng mắc phát sinh", "int"),
        Col("Tháo gỡ trong tuần", "int"),
        Col("Chưa tháo gỡ", "int"),
        Col("Kiến nghị cấp trên", "int"),
        Col("Tỷ lệ tháo gỡ lũy kế", "rate"),
        Col("Tỉnh đúng hạn", "int"),
        Col("Số tỉnh có số liệu biên chế / biệt phái / vướng mắc", align="center"),
    ]
    rows, spans = [], []
    for i, r in enumerate(trend.itertuples(index=False)):
        rows.append(
            [
                r.week,
                _num(r.approved_posts),
                _num(r.vacancies),
                _num(r.vacancy_rate),
                _num(r.surplus),
                _num(r.active_secondments),
                _num(r.active_secondments_bo),
                _num(r.obstacles_raised),
                _num(r.obstacles_resolved),
                _num(r.obstacles_open),
                _num(r.obstacles_escalated),
                _num(r.resolution_rate),
                _num(r.on_time),
                f"{r.provinces_reporting_staffing} / {r.provinces_reporting_secondments} / "
                f"{r.provinces_reporting_obstacles}",
            ]
        )
        for first, last, covered in (
            (1, 4, r.provinces_reporting_staffing),
            (5, 6, r.provinces_reporting_secondments),
            (7, 11, r.provinces_reporting_obstacles),
        ):
            if not covered:
                spans.append((i, first, last, MISSING))
    table = Table(
        columns,
        rows,
        spans=spans,
        title=f"Chuỗi số liệu toàn quốc {len(trend)} tuần gần nhất (tổng của các tỉnh "
        "đã nộp; cột cuối: số tỉnh có số liệu)",
    )
    return Sheet(SHEETS[2], [[table]], footer_label=footer)


PROVINCE_GROUPS = (
    ("staffing", 2, 7, "Biên chế (người)"),
    ("secondments", 8, 11, "Biệt phái (người)"),
    ("obstacles", 12, 16, "Vướng mắc"),
)


def province_sheet(province: pd.DataFrame, rates: pd.DataFrame, footer: str) -> Sheet:
    rate = dict(zip(rates["province_code"], rates["vacancy_rate"], strict=True))
    columns = [
        Col("Mã", align="center"),
        Col("Tỉnh, thành phố"),
        Col("Được giao", "int"),
        Col("Có mặt", "int"),
        Col("Thiếu", "int"),
        Col("Tỷ lệ thiếu", "rate"),
        Col("Thừa", "int"),
        Col("Số xã thiếu người", "int"),
        Col("Đang biệt phái", "int"),
        Col("từ Bộ", "int"),
        Col("từ Tỉnh", "int"),
        Col("Bắt đầu trong tuần", "int"),
        Col("Phát sinh", "int"),
        Col("Tháo gỡ", "int"),
        Col("Chưa tháo gỡ", "int"),
        Col("Kiến nghị cấp trên", "int"),
        Col("Số ngày tháo gỡ (trung vị)", "days"),
        Col("Báo cáo đã nhận", align="center"),
        Col("Đủ, đúng hạn", align="center"),
    ]
    rows, spans = [], []
    for i, r in enumerate(province.itertuples(index=False)):
        rows.append(
            [
                r.province_code,
                r.province_name,
                _num(r.approved_posts),
                _num(r.filled_posts),
                _num(r.vacancies),
                _num(rate.get(r.province_code)),
                _num(r.surplus),
                _num(r.communes_short),
                _num(r.active_secondments),
                _num(r.active_secondments_bo),
                _num(r.active_secondments_tinh),
                _num(r.secondments_started),
                _num(r.obstacles_raised),
                _num(r.obstacles_resolved),
                _num(r.obstacles_open),
                _num(r.obstacles_escalated),
                _num(r.median_days_to_resolve),
                f"{int(r.files_received)}/3",
                bool(r.on_time),
            ]
        )
        missing = {
            "staffing": pd.isna(r.approved_posts),
            "secondments": pd.isna(r.active_secondments),
            "obstacles": pd.isna(r.obstacles_open),
        }
        for kind, first, last, _ in PROVINCE_GROUPS:
            if missing[kind]:
                spans.append((i, first, last, f"{MISSING} báo cáo {KIND_LABELS[kind].lower()}"))
    groups = [(first, last, text) for _, first, last, text in PROVINCE_GROUPS]
    groups.append((17, 18, "Báo cáo"))
    table = Table(
        columns,
        rows,
        groups=groups,
        spans=spans,
        title="Số liệu theo tỉnh (SPEC §3); ô ghi “Chưa nộp” khi tỉnh chưa gửi loại báo cáo đó",
    )
    return Sheet(SHEETS[3], [[table]], footer_label=footer)


def fields_sheet(
    fields: pd.DataFrame, by_field: pd.DataFrame, province: pd.DataFrame, footer: str
) -> Sheet:
    """One table: fields as columns (worst national vacancy rate first); the national figures on
    top, then each province's vacancies."""
    order = fields.assign(rate=pd.to_numeric(fields["vacancy_rate"]).astype("float64"))
    order = order.sort_values(["rate", "field_code"], ascending=[False, True], na_position="last")
    codes = list(order["field_code"])
    national = order.set_index("field_code")
    rows: list[list[Any]] = []
    formats: dict[tuple[int, int], str] = {}
    for label, column, fmt in (
        ("Toàn quốc: biên chế được giao", "approved_posts", "int"),
        ("Toàn quốc: số có mặt", "filled_posts", "int"),
        ("Toàn quốc: số thừa", "surplus", "int"),
        ("Toàn quốc: số thiếu", "vacancies", "int"),
        ("Toàn quốc: tỷ lệ thiếu", "vacancy_rate", "rate"),
    ):
        formats |= {(len(rows), j + 1): fmt for j in range(len(codes))}
        rows.append([label, *[_num(national.loc[code, column]) for code in codes]])
    top = len(rows)
    pivot = by_field.pivot_table(
        index="province_code", columns="field_code", values="vacancies", aggfunc="sum"
    )
    spans = []
    for r in province.itertuples(index=False):
        if r.province_code in pivot.index:
            values = [_num(pivot.loc[r.province_code].get(code)) for code in codes]
        else:
            values = [None] * len(codes)
            spans.append((len(rows), 1, len(codes), f"{MISSING} báo cáo biên chế"))
        rows.append([r.province_name, *values])
    labels = dict(zip(fields["field_code"], fields["field_label_vi"], strict=True))
    table = Table(
        [Col("Tỉnh, thành phố"), *[Col(labels[code], "int") for code in codes]],
        rows,
        spans=spans,
        formats=formats,
        bold_rows=set(range(top)),
        title=(
            "Thiếu, thừa theo lĩnh vực (người; tính theo xã × lĩnh vực, thừa không bù thiếu): "
            f"toàn quốc ({_first(fields, 'provinces_reporting_staffing')}/34 tỉnh có số liệu), "
            "rồi số thiếu của từng tỉnh; cột theo tỷ lệ thiếu toàn quốc, cao nhất trước"
        ),
    )
    return Sheet(SHEETS[4], [[table]], footer_label=footer)


def _first(frame: pd.DataFrame, column: str) -> int:
    values = frame[column].dropna()
    return int(values.iloc[0]) if len(values) else 0


def secondments_sheet(secondments: pd.DataFrame, footer: str) -> Sheet:
    levels = (("bo", "Do Bộ cử"), ("tinh", "Do Tỉnh cử"), ("xa", "Do Xã cử"))
    columns = [Col("Mã", align="center"), Col("Tỉnh, thành phố")]
    groups = []
    for k, (_, label) in enumerate(levels):
        columns += [
            Col("Đang biệt phái", "int"),
            Col("Bắt đầu trong tuần", "int"),
            Col("Kết thúc trong tuần", "int"),
        ]
        groups.append((2 + 3 * k, 4 + 3 * k, label))
    rows, spans = [], []
    for i, (code, group) in enumerate(secondments.groupby("province_code", sort=True)):
        by_level = group.set_index("origin_level")
        row: list[Any] = [code, group["province_name"].iloc[0]]
        for level, _ in levels:
            r = by_level.loc[level]
            row += [
                _num(r.active_secondments),
                _num(r.secondments_started),
                _num(r.secondments_ended),
            ]
        rows.append(row)
        if not bool(group["is_reported"].iloc[0]):
            spans.append((i, 2, 10, f"{MISSING} báo cáo biệt phái"))
    table = Table(
        columns,
        rows,
        groups=groups,
        spans=spans,
        title="Biệt phái theo tỉnh và cấp cử đi (người; không có họ tên, mã cán bộ)",
    )
    return Sheet(SHEETS[5], [[table]], footer_label=footer)


OPEN_STATUSES = ("moi", "dang_xu_ly", "kien_nghi")


def _obstacle_counts(obstacles: pd.DataFrame) -> pd.DataFrame:
    data = obstacles.copy()
    for column in ("obstacles_open", "obstacles_raised", "obstacles_resolved"):
        data[column] = pd.to_numeric(data[column]).astype("int64")
    return data


def _open_by(data: pd.DataFrame, index: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Obstacles open at week end per ``index`` value, by status and by level waited on."""
    return tuple(
        data.pivot_table(
            index=index, columns=columns, values="obstacles_open", aggfunc="sum", fill_value=0
        )
        for columns in ("status", "resolution_level")
    )


def _open_cells(status_open: pd.DataFrame, level_open: pd.DataFrame, code: str) -> list[int]:
    return [
        *[_int_at(status_open, code, s) for s in OPEN_STATUSES],
        *[_int_at(level_open, code, level) for level in reference.LEVEL_ORDER],
    ]


def _open_columns(with_total: bool) -> list[Col]:
    statuses = reference.code_list(reference.OBSTACLE_STATUSES)
    levels = reference.code_list(reference.LEVELS)
    return [
        *[Col(statuses[s], "int") for s in OPEN_STATUSES],
        *([Col("Cộng", "int")] if with_total else []),
        *[Col(levels[level], "int") for level in reference.LEVEL_ORDER],
        Col("Phát sinh", "int"),
        Col("Tháo gỡ", "int"),
    ]


def obstacles_by_province_sheet(
    obstacles: pd.DataFrame, province: pd.DataFrame, footer: str
) -> Sheet:
    """Province × (open by status, open by level waited on, raised, resolved, median days)."""
    status_open, level_open = _open_by(_obstacle_counts(obstacles), "province_code")
    rows, spans = [], []
    for i, r in enumerate(province.itertuples(index=False)):
        if pd.isna(r.obstacles_open):
            rows.append([r.province_name, *([None] * 10)])
            spans.append((i, 1, 10, f"{MISSING} báo cáo vướng mắc"))
            continue
        code = r.province_code
        rows.append(
            [
                r.province_name,
                *_open_cells(status_open, level_open, code),
                _num(r.obstacles_raised),
                _num(r.obstacles_resolved),
                _num(r.median_days_to_resolve),
            ]
        )
    table = Table(
        [
            Col("Tỉnh, thành phố"),
            *_open_columns(with_total=False),
            Col("Số ngày (trung vị)", "days"),
        ],
        rows,
        spans=spans,
        groups=[
            (1, 3, "Chưa tháo gỡ, theo trạng thái"),
            (4, 7, "Chưa tháo gỡ, chờ cấp xử lý"),
            (8, 10, "Trong tuần"),
        ],
        title=f"Vướng mắc theo tỉnh ({_count_reporting(province)}/34 tỉnh có báo cáo vướng mắc)",
    )
    return Sheet(SHEETS[6], [[table]], footer_label=footer)


def obstacles_by_category_sheet(
    obstacles: pd.DataFrame, province: pd.DataFrame, footer: str
) -> Sheet:
    """Category × (open by status, open by level waited on, raised, resolved), national."""
    categories = reference.code_list(reference.OBSTACLE_CATEGORIES)
    data = _obstacle_counts(obstacles)
    status_open, level_open = _open_by(data, "category_code")
    flows = data.groupby("category_code")[["obstacles_raised", "obstacles_resolved"]].sum()
    rows = []
    for code, label in categories.items():
        rows.append(
            [
                label,
                *[_int_at(status_open, code, s) for s in OPEN_STATUSES],
                sum(_int_at(status_open, code, s) for s in OPEN_STATUSES),
                *[_int_at(level_open, code, level) for level in reference.LEVEL_ORDER],
                _int_at(flows, code, "obstacles_raised"),
                _int_at(flows, code, "obstacles_resolved"),
            ]
        )
    rows.sort(key=lambda r: (-r[4], sort_key(r[0])))
    rows.append(["Tổng cộng", *[sum(r[k] for r in rows) for k in range(1, 11)]])
    table = Table(
        [
            Col("Nhóm vướng mắc"),
            *_open_columns(with_total=True),
        ],
        rows,
        bold_rows={len(rows) - 1},
        groups=[
            (1, 4, "Chưa tháo gỡ cuối tuần, theo trạng thái"),
            (5, 8, "Chưa tháo gỡ, chờ cấp xử lý"),
            (9, 10, "Trong tuần"),
        ],
        title=f"Vướng mắc theo nhóm — toàn quốc ({_count_reporting(province)}/34 tỉnh có báo "
        "cáo vướng mắc; nhiều vướng mắc tồn đọng nhất trước)",
    )
    return Sheet(SHEETS[7], [[table]], footer_label=footer)


def _int_at(frame: pd.DataFrame, row: str, column: str) -> int:
    if row in frame.index and column in frame.columns:
        return int(frame.loc[row, column])
    return 0


def _count_reporting(province: pd.DataFrame) -> int:
    return int(province["obstacles_open"].notna().sum())


def submission_sheet(submission: pd.DataFrame, footer: str) -> Sheet:
    columns = [Col("Tỉnh, thành phố"), Col("Tình trạng chung")]
    groups = []
    for k, kind in enumerate(KINDS):
        columns += [Col("Tình trạng"), Col("Phiên bản", align="center"), Col("Nhận lúc")]
        groups.append((2 + 3 * k, 4 + 3 * k, KIND_LABELS[kind]))
    entries = []
    for _, group in submission.groupby("province_code", sort=True):
        by_kind = group.set_index("kind")
        statuses = [str(by_kind.loc[k, "status"]) for k in KINDS]
        worst = min(statuses, key=STATUS_ORDER.__getitem__)
        overall = {
            "missing": "Còn thiếu báo cáo",
            "late": "Có báo cáo muộn",
            "on_time": "Đủ, đúng hạn",
        }[worst]
        row: list[Any] = [group["province_name"].iloc[0], overall]
        for kind in KINDS:
            r = by_kind.loc[kind]
            received = r["first_received_at"]
            row += [
                str(r["status_label_vi"]),
                f"v{int(r['version'])}" if pd.notna(r["version"]) else "",
                f"{datetime.fromisoformat(received):%d/%m %H:%M}"
                if isinstance(received, str)
                else "",
            ]
        entries.append((STATUS_ORDER[worst], sort_key(row[0]), row))
    entries.sort(key=lambda e: (e[0], e[1]))
    deadline = _deadline(submission)
    table = Table(
        columns,
        [row for *_, row in entries],
        groups=groups,
        title=f"Tình trạng nộp báo cáo (hạn: {deadline}; tỉnh còn thiếu, nộp muộn trước)",
    )
    return Sheet(SHEETS[8], [[table]], footer_label=footer)


def _deadline(submission: pd.DataFrame) -> str:
    values = submission["deadline_at"].dropna()
    if not len(values):
        return ""
    return f"{datetime.fromisoformat(str(values.iloc[0])):%H:%M %d/%m/%Y}"


def _proposal_table(groups: list[tuple[str, list[list[str]]]], title: str) -> Table:
    """Province | proposal rows under a merged, bold row per category."""
    rows: list[list[Any]] = []
    spans, bold = [], set()
    for label, entries in groups:
        spans.append((len(rows), 0, 1, label))
        bold.add(len(rows))
        rows.append([label, None])
        rows += entries
    columns = [Col("Tỉnh, thành phố"), Col("Kiến nghị, đề xuất", wrap_at=PROPOSAL_WRAP)]
    return Table(columns, rows or [["—", "Không có kiến nghị"]], title, spans=spans, bold_rows=bold)


def _split(groups: list, after: int) -> tuple[list, list]:
    """The category groups in two runs whose rows are about equal once ``after`` rows follow
    the second run (the obstacles table under it)."""
    total = sum(len(rows) + 1 for _, rows in groups) + after
    taken, split = 0, len(groups)
    for n, (_, rows) in enumerate(groups):
        if taken >= total / 2:
            split = n
            break
        taken += len(rows) + 1
    return groups[:split], groups[split:]


def proposals_sheet(items: pd.DataFrame, footer: str) -> Sheet:
    """Kiến nghị, on one page: every proposal of the week by category and province, in two
    columns, then the obstacles the reports name, by category."""
    groups = proposals.proposals_by_category(items)
    count = sum(len(rows) for _, rows in groups)
    provinces = len({row[0] for _, rows in groups for row in rows})
    grouped = proposals.obstacle_groups(items) or [["Không có", ""]]
    obstacles = Table(
        [Col("Nhóm vướng mắc"), Col("Số ý, số tỉnh và tỉnh nêu", wrap_at=PROPOSAL_WRAP)],
        grouped,
        title="2. Khó khăn, vướng mắc nêu trong báo cáo tuần, theo nhóm",
    )
    lines = sum(len(layout.wrap(text, layout.column_px(PROPOSAL_WRAP))) for _, text in grouped)
    first, second = _split(groups, lines + 3)
    title = f"1. Kiến nghị, đề xuất trong báo cáo tuần ({count} kiến nghị của {provinces} tỉnh)"
    right = [_proposal_table(second, "1. (tiếp)")] if second else []
    return Sheet(
        proposals.SHEET, [[_proposal_table(first, title)], [*right, obstacles]], footer_label=footer
    )


def quality_sheet(
    rejections: pd.DataFrame,
    findings: pd.DataFrame,
    notes: list[str],
    gate: GateResult,
    footer: str,
) -> Sheet:
    blocks: list = [Paragraph("Ghi chú chất lượng số liệu", bold=True, size=12)]
    blocks.append(
        Paragraph(
            f"Số liệu đã qua {len(gate.checks)} kiểm tra tự động trước khi công bố "
            f"({gate.passed} đạt; {len(gate.warnings)} cảnh báo, không chặn công bố). "
            "Danh sách kiểm tra kỹ thuật nằm trong manifest.json và báo cáo kiểm tra."
        )
    )
    for note in notes:
        blocks.append(Paragraph("• " + note))
    rows = []
    data = rejections.copy()
    data["_key"] = data["province_name"].map(sort_key)
    for r in data.sort_values(["_key", "kind_label_vi", "reason_label_vi"]).itertuples():
        rows.append(
            [r.province_name, r.kind_label_vi, r.reason_label_vi, _num(r.rejections), _num(r.files)]
        )
    if not rows:
        rows = [["Không có dòng hoặc tệp nào bị từ chối trong tuần", "", "", None, None]]
    blocks.append(
        Table(
            [
                Col("Tỉnh, thành phố"),
                Col("Loại báo cáo"),
                Col("Lý do từ chối", stretch=True),
                Col("Số lỗi", "int"),
                Col("Số tệp", "int"),
            ],
            rows,
            title="Dữ liệu bị từ chối theo tỉnh và lý do (đã phản hồi cho từng tỉnh để gửi lại)",
        )
    )
    blocks.append(quality_series.findings_table(findings))
    return Sheet(SHEETS[9], [blocks], footer_label=footer, min_width=120)


# ---------------------------------------------------------------------------------------------


def _chart_sheet(book: Any, formats: Formats, charts: dict[str, bytes], footer: str) -> None:
    import io

    ws = book.add_worksheet(SHEETS[1])
    ws.merge_range(
        0,
        0,
        0,
        15,
        "Biểu đồ (cùng các hình PNG trong gói và trang HTML)",
        formats.get(bold=True, font_size=12),
    )
    ws.set_column(0, 15, 8.43)
    trend_w, trend_h = _png_size(charts["trend"])
    small_w, small_h = _png_size(charts["fields"])
    page_px = layout.PRINT_WIDTH_PT / 0.75
    scale = min(1.0, (page_px - 10) / trend_w, (page_px - 20) / (2 * small_w))
    options = {"x_scale": scale, "y_scale": scale, "object_position": 3}
    ws.insert_image(1, 0, "trend.png", {"image_data": io.BytesIO(charts["trend"]), **options})
    top = int(trend_h * scale) + 10
    ws.insert_image(
        1, 0, "fields.png", {"image_data": io.BytesIO(charts["fields"]), "y_offset": top, **options}
    )
    ws.insert_image(
        1,
        0,
        "obstacles.png",
        {
            "image_data": io.BytesIO(charts["obstacles"]),
            "y_offset": top,
            "x_offset": int(small_w * scale) + 20,
            **options,
        },
    )
    height_pt = 20 + (trend_h + small_h) * scale * 0.75 + 20
    rows = int(height_pt / layout.ROW_HEIGHT_PT) + 2
    ws.set_default_row(layout.ROW_HEIGHT_PT)
    a4_landscape(ws, SHEETS[1], footer)
    ws.print_area(0, 0, rows, 15)
    ws.fit_to_pages(1, 1)
    ws.hide_gridlines(2)


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def write_workbook(
    path: Path,
    tables: dict[str, pd.DataFrame],
    week: IsoWeek,
    page: PageOne,
    charts: dict[str, bytes],
    gate: GateResult,
    notes: list[str],
) -> Path:
    """Write ``bao_cao_tuan_<week>.xlsx``; identical inputs give identical bytes."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": {
                "font_name": layout.FONT_NAME,
                "font_size": layout.FONT_SIZE,
            },
        },
    )
    # fixed properties: the created/modified time is the week's Monday, never "now"
    book.set_properties(
        {
            "title": f"Báo cáo tuần {week}",
            "subject": "Biên chế, biệt phái, vướng mắc cấp xã",
            "author": "Bộ Nội vụ",
            "company": "Bộ Nội vụ",
            "created": datetime.combine(week.monday, datetime.min.time()),
        }
    )
    formats = Formats(book)
    footer = f"Bộ Nội vụ — Báo cáo tuần {week}"
    SheetWriter(book, formats, overview_sheet(page, footer)).write()
    _chart_sheet(book, formats, charts, footer)
    province = tables["province_weekly"]
    for sheet in (
        trend_sheet(tables["national_trend"], footer),
        province_sheet(province, tables["province_vacancy_rate"], footer),
        fields_sheet(tables["field_vacancy_rate"], tables["vacancies_by_field"], province, footer),
        secondments_sheet(tables["secondments_by_province"], footer),
        obstacles_by_province_sheet(tables["obstacles_by_province"], province, footer),
        obstacles_by_category_sheet(tables["obstacles_by_province"], province, footer),
        submission_sheet(tables["submission_status"], footer),
        quality_sheet(
            tables["rejections_by_reason"], tables["data_quality_findings"], notes, gate, footer
        ),
        quality_series.data_quality_sheet(tables["data_quality_weekly"], week, footer),
        proposals_sheet(tables["official_report_items"], footer),
    ):
        SheetWriter(book, formats, sheet).write()
    book.close()
    return path
