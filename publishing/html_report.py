"""Page 1 as a self-contained HTML file: inline CSS, the PNG charts as data: URIs, nothing remote.

It opens from disk in any browser; a Content-Security-Policy forbids every request that would leave
the file. Same page and charts → same bytes.
"""

from __future__ import annotations

import base64
from html import escape

from core import vietnamese
from publishing.charts import CHART_FILES
from publishing.page_one import Headline, PageOne

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font-family: "DejaVu Sans", Arial, "Liberation Sans", sans-serif; font-size: 13px;
       color: #1f1f1f; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 18px 0 6px; }
p.lead { color: #404040; margin: 0 0 10px; }
p.note { background: #fff4e5; border-left: 4px solid #e08a00; padding: 6px 10px; }
p.muted { color: #6b6b6b; }
.grid { display: grid; grid-template-columns: 1.15fr 1fr; gap: 0 24px; }
table.headlines td:first-child { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c8c8c8; padding: 3px 6px; vertical-align: top; }
th { background: #ddebf7; text-align: center; font-weight: bold; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.c { white-space: nowrap; }
td.missing { color: #7f7f7f; font-style: italic; text-align: center; }
tr.sub td:first-child { padding-left: 20px; }
figure { margin: 12px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
@media print { body { margin: 0; } }
"""


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _fmt(value: float | None, style: str) -> str:
    if value is None:
        return ""
    if style == "rate":
        return vietnamese.percent(value)
    if style == "days":
        return vietnamese.number(value, 1)
    return vietnamese.number(value)


def _change(h: Headline) -> str:
    if h.change is None:
        return ""
    if h.style == "rate":
        return vietnamese.number(h.change * 100, 1, signed=True) + " điểm"
    if h.style == "days":
        return vietnamese.number(h.change, 1, signed=True) + " ngày"
    text = vietnamese.number(h.change, signed=True)
    if h.change_share is not None:
        text += f" ({vietnamese.percent(h.change_share, signed=True)})"
    return text


def _headline_rows(page: PageOne) -> str:
    rows = []
    for h in page.headlines:
        css = ' class="sub"' if h.indent else ""
        label = escape(h.label)
        if h.column == "on_time":
            value = "" if h.value is None else f"{int(h.value)}/34"
            previous = "" if h.previous is None else f"{int(h.previous)}/34"
            rows.append(
                f"<tr{css}><td>{label}</td><td class=n>{value}</td><td class=n>{previous}</td>"
                f"<td class=n>{escape(_change(h))}</td><td></td></tr>"
            )
            continue
        coverage = h.coverage_text
        if h.kind is not None and not h.coverage:
            rows.append(
                f"<tr{css}><td>{label}</td><td class=missing colspan=3>Chưa nộp</td>"
                f"<td class=c>{coverage}</td></tr>"
            )
            continue
        rows.append(
            f"<tr{css}><td>{label}</td><td class=n>{_fmt(h.value, h.style)}</td>"
            f"<td class=n>{_fmt(h.previous, h.style)}</td><td class=n>{escape(_change(h))}</td>"
            f"<td class=c>{escape(coverage)}</td></tr>"
        )
    return "\n".join(rows)


def _table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "\n".join(
        "<tr>"
        + "".join(
            f"<td class=n>{escape(c)}</td>" if j in numeric else f"<td>{escape(c)}</td>"
            for j, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def render(page: PageOne, charts: dict[str, bytes]) -> str:
    """The HTML text of page 1 (UTF-8), charts embedded."""
    n = vietnamese.number
    issues = [
        [
            i.province_name,
            ", ".join(i.missing) or "—",
            "; ".join(f"{kind} (nhận {when})" for kind, when in i.late) or "—",
        ]
        for i in page.issues
    ] or [["Không có: 34/34 tỉnh nộp đủ, đúng hạn", "—", "—"]]
    top = [
        [
            str(int(r.vacancy_rate_rank)),
            r.province_name,
            vietnamese.percent(r.vacancy_rate),
            n(r.vacancies),
            n(r.approved_posts),
        ]
        for r in page.top_vacancy.itertuples(index=False)
    ]

    def obstacle_rows(frame, label: str) -> list[list[str]]:
        """Open (escalated), raised, resolved; "Chưa nộp" when no province sent the kind."""
        measures = ("obstacles_open", "obstacles_escalated", "obstacles_raised")
        return [
            [r[label], *[n(r[m]) for m in (*measures, "obstacles_resolved")]]
            if page.obstacles_coverage
            else [r[label], "Chưa nộp", "", "", ""]
            for r in frame.to_dict("records")
        ]

    levels = obstacle_rows(page.obstacles_by_level, "level_label")
    categories = obstacle_rows(page.obstacles_by_category, "category_label")
    m = page.ministry
    ministry = f"<p>{escape(m.sentence)}</p>"
    if m.status == "running" and m.coverage:
        ministry += _table(
            ["Cán bộ do Bộ biệt phái", "Số người"],
            [
                ["Đang làm nhiệm vụ", n(m.active)],
                ["Bắt đầu trong tuần", n(m.started)],
                ["Kết thúc trong tuần", n(m.ended)],
            ],
            {1},
        )
    ministry += f"<p>{escape(page.reports.sentence)}</p>"
    notes = "".join(f'<p class="note">Lưu ý: {escape(note)}</p>' for note in page.notes)
    missing_staffing = ""
    if page.staffing_missing:
        missing_staffing = (
            '<p class="muted">Chưa có số liệu biên chế (chưa nộp): '
            + escape(", ".join(page.staffing_missing))
            + ".</p>"
        )
    nothing = "".join(f'<p class="muted">{escape(sentence)}</p>' for sentence in page.nil_returns)
    deadline = f"{page.week.shift(1).monday:%d/%m/%Y}"
    figures = "".join(
        f'<figure><img alt="{escape(alt)}" src="{_data_uri(charts[key])}"></figure>'
        for key, alt in (
            ("fields", "Thiếu và thừa theo lĩnh vực"),
            ("obstacles", "Vướng mắc chưa tháo gỡ theo nhóm và cấp xử lý"),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo tuần {page.week}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{escape(page.title)}</h1>
<p class="lead">{escape(page.subtitle)}</p>
{notes}
<div class="grid">
<section>
<h2>1. Số liệu chính toàn quốc</h2>
<table class="headlines"><thead><tr><th>Chỉ tiêu</th><th>Tuần này</th><th>Tuần trước</th>
<th>Thay đổi</th><th>Số tỉnh có số liệu</th></tr></thead><tbody>
{_headline_rows(page)}
</tbody></table>
<h2>6. Vướng mắc theo nhóm ({page.obstacles_coverage}/34 tỉnh có báo cáo)</h2>
{
        _table(
            [
                "Nhóm vướng mắc",
                "Chưa tháo gỡ",
                "trong đó kiến nghị",
                "Phát sinh trong tuần",
                "Tháo gỡ trong tuần",
            ],
            categories,
            {1, 2, 3, 4},
        )
    }
</section>
<section>
<h2>2. Tỉnh chưa nộp hoặc nộp muộn ({len(page.issues)} tỉnh; hạn 12:00 thứ Hai {deadline})</h2>
{_table(["Tỉnh, thành phố", "Chưa nộp", "Nộp muộn (thời điểm nhận)"], issues, set())}
{nothing}
<h2>3. 10 tỉnh có tỷ lệ thiếu biên chế cao nhất</h2>
{
        _table(
            ["Hạng", "Tỉnh, thành phố", "Tỷ lệ thiếu", "Số thiếu", "Biên chế được giao"],
            top,
            {0, 2, 3, 4},
        )
    }
{missing_staffing}
<h2>4. Vướng mắc theo cấp xử lý ({page.obstacles_coverage}/34 tỉnh có báo cáo)</h2>
{
        _table(
            [
                "Chờ cấp xử lý",
                "Chưa tháo gỡ",
                "trong đó kiến nghị",
                "Phát sinh trong tuần",
                "Tháo gỡ trong tuần",
            ],
            levels,
            {1, 2, 3, 4},
        )
    }
<h2>5. Biệt phái của Bộ ({escape(m.period)})</h2>
{ministry}
</section>
</div>
<h2>Kiến nghị, đề xuất trong báo cáo tuần của cán bộ biệt phái ({len(page.proposals)})</h2>
{_table(["Nhóm", "Tỉnh, thành phố", "Kiến nghị, đề xuất"], page.proposals, set())}
<h2>Khó khăn, vướng mắc nêu trong báo cáo tuần, theo nhóm</h2>
{_table(["Nhóm vướng mắc", "Số ý, số tỉnh và tỉnh nêu"], page.report_obstacles, set())}
<h2>Xu hướng 13 tuần</h2>
<figure><img alt="Xu hướng 13 tuần" src="{_data_uri(charts["trend"])}"></figure>
<div class="charts">{figures}</div>
<p class="muted">Các hình trong gói: {", ".join(CHART_FILES.values())}. Bảng đầy đủ: tệp Excel,
CSV và Parquet cùng thư mục; nguồn gốc số liệu: manifest.json.</p>
</body>
</html>
"""
