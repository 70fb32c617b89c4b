"""The gate report an engineer reads first: gate_report.json, gate_report.md and a self-contained
gate_report.html (inline style, no script, no remote asset: it opens offline, from disk).

Links inside the reports are relative to the report's folder, so they keep working when the data
directory is moved or copied.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from quality.results import CheckResult, GateResult

MAX_ROWS_IN_MARKDOWN = 50


def _cell(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return "" if value is None else text.replace("|", "\\|").replace("\n", " ")


def _rows_table(check: CheckResult) -> list[str]:
    rows = check.to_dict()["failing_rows"][:MAX_ROWS_IN_MARKDOWN]
    if not rows:
        return [f"- error: {check.error}"] if check.error else []
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    if check.failing_count > len(rows):
        lines.append(f"\n… {check.failing_count - len(rows)} more rows in gate_report.json")
    return lines


def _section(check: CheckResult) -> list[str]:
    return [
        f"### `{check.name}`",
        "",
        f"- table: `{check.table}`; check: `{check.kind}`; severity: **{check.severity}**",
        f"- {check.description_vi}" if check.description_vi else "",
        f"- failing rows: **{check.failing_count}**",
        *([f"- error: {check.error}"] if check.error and check.failing_rows else []),
        "",
        *_rows_table(check),
        "",
    ]


def write_gate_report(
    gate: GateResult, directory: Path, context: dict[str, Any] | None = None
) -> tuple[Path, Path]:
    """``gate_report.json`` (everything) and ``gate_report.md`` (failed checks with their rows)."""
    directory.mkdir(parents=True, exist_ok=True)
    context = context or {}
    docs = _relative_link(gate.data_docs_index, directory)
    data = {**context, "gate": {**gate.to_dict(), "data_docs_index": docs}}
    json_path = directory / "gate_report.json"
    json_path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    verdict = "PASSED — đạt" if gate.success else "FAILED — không đạt, không công bố"
    lines = [
        f"# Quality gate — tuần {gate.week}",
        "",
        f"**Result: {verdict}**",
        "",
        *[
            f"- {key}: {value}"
            for key, value in context.items()
            if not isinstance(value, dict | list)
        ],
        f"- checks: {len(gate.checks)}, passed: {sum(c.success for c in gate.checks)}, "
        f"failed (blocking): {len(gate.failures)}, warnings: {len(gate.warnings)}",
        f"- Data Docs: [{docs}]({docs})" if docs else "- Data Docs: none",
        "- this report as a web page (opens offline): [gate_report.html](gate_report.html)",
        f"- gate time: {gate.seconds:.1f} s",
        "",
    ]
    if gate.failures:
        lines += ["## Failed checks (block publishing)", ""]
        for check in gate.failures:
            lines += _section(check)
    if gate.warnings:
        lines += ["## Warnings (do not block; shown in the manifest)", ""]
        for check in gate.warnings:
            lines += _section(check)
    lines += [
        "## All checks",
        "",
        "| check | severity | result | failing rows |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{c.name}` | {c.severity} | {'ok' if c.success else 'FAILED'} | {c.failing_count} |"
        for c in gate.checks
    ]
    md_path = directory / "gate_report.md"
    md_path.write_text(
        "\n".join(line for line in lines if line is not None) + "\n", encoding="utf-8"
    )
    (directory / HTML_NAME).write_text(render_html(gate, context, docs), encoding="utf-8")
    return json_path, md_path


HTML_NAME = "gate_report.html"

_STYLE = """
body{font:14px/1.45 "DejaVu Sans",Arial,sans-serif;color:#1b1f23;margin:24px auto;max-width:1100px;
padding:0 16px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc}
h3{font-size:15px;margin:18px 0 6px;font-family:monospace}
.verdict{padding:10px 14px;border-radius:4px;font-weight:bold;font-size:16px}
.pass{background:#e3f4e1;color:#1d5e1a;border:1px solid #9bcf95}
.fail{background:#fbe4e1;color:#8a1c10;border:1px solid #e5a49b}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #c9ced3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.num{text-align:right}tr.bad td{background:#fdf0ee}
.warn{color:#8a5a00}.muted{color:#59636e}code{font-family:monospace}
"""


def _relative_link(target: Path | None, directory: Path) -> str | None:
    """``target`` as a POSIX path relative to ``directory`` (where the report lies), or None."""
    if target is None:
        return None
    return Path(os.path.relpath(Path(target).resolve(), directory.resolve())).as_posix()


def _html_rows_table(check: CheckResult) -> str:
    rows = check.to_dict()["failing_rows"][:MAX_ROWS_IN_MARKDOWN]
    if not rows:
        return f"<p>error: {html.escape(check.error)}</p>" if check.error else ""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns) + "</tr>"
        for row in rows
    )
    more = (
        f"<p class=muted>… {check.failing_count - len(rows)} more rows in gate_report.json</p>"
        if check.failing_count > len(rows)
        else ""
    )
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def _html_section(check: CheckResult) -> str:
    parts = [
        f"<h3>{html.escape(check.name)}</h3><ul>",
        f"<li>table <code>{html.escape(check.table)}</code>; check <code>"
        f"{html.escape(check.kind)}</code>; severity <b>{html.escape(check.severity)}</b></li>",
    ]
    if check.description_vi:
        parts.append(f"<li>{html.escape(check.description_vi)}</li>")
    parts.append(f"<li>failing rows: <b>{check.failing_count}</b></li>")
    if check.error and check.failing_rows:
        parts.append(f"<li>error: {html.escape(check.error)}</li>")
    parts.append("</ul>" + _html_rows_table(check))
    return "".join(parts)


def render_html(gate: GateResult, context: dict[str, Any], docs: str | None) -> str:
    """The report as one HTML page: everything inline, links relative to its folder."""
    verdict = (
        '<p class="verdict pass">ĐẠT — PASSED</p>'
        if gate.success
        else '<p class="verdict fail">KHÔNG ĐẠT, KHÔNG CÔNG BỐ — FAILED, not published</p>'
    )
    facts = [
        f"<li>{html.escape(str(key))}: {html.escape(str(value))}</li>"
        for key, value in context.items()
        if not isinstance(value, dict | list)
    ]
    facts.append(
        f"<li>checks: {len(gate.checks)}, passed: {sum(c.success for c in gate.checks)}, "
        f"failed (blocking): {len(gate.failures)}, warnings: {len(gate.warnings)}</li>"
    )
    facts.append(f"<li>gate time: {gate.seconds:.1f} s</li>")
    links = ['<a href="gate_report.json">gate_report.json</a>', '<a href="gate_report.md">.md</a>']
    if docs:
        links.append(
            f'<a href="{html.escape(docs)}">Great Expectations Data Docs</a> '
            "<span class=muted>(extra; styled only online)</span>"
        )
    body = [
        f"<h1>Kiểm định chất lượng — tuần {html.escape(gate.week)}</h1>",
        verdict,
        "<ul>" + "".join(facts) + "</ul>",
        "<p>" + " · ".join(links) + "</p>",
    ]
    if gate.failures:
        body.append("<h2>Kiểm tra không đạt (chặn công bố) — failed checks</h2>")
        body += [_html_section(c) for c in gate.failures]
    if gate.warnings:
        body.append('<h2 class="warn">Cảnh báo (không chặn) — warnings</h2>')
        body += [_html_section(c) for c in gate.warnings]
    rows = "".join(
        f'<tr class="{"" if c.success else "bad"}"><td><code>{html.escape(c.name)}</code></td>'
        f"<td>{html.escape(c.severity)}</td><td>{'ok' if c.success else 'FAILED'}</td>"
        f'<td class="num">{c.failing_count}</td></tr>'
        for c in gate.checks
    )
    body.append(
        "<h2>Tất cả kiểm tra — all checks</h2><table><tr><th>check</th><th>severity</th>"
        f"<th>result</th><th>failing rows</th></tr>{rows}</table>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>Quality gate {html.escape(gate.week)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
