"""The gate report an engineer reads first: gate_report.json and a readable gate_report.md."""

from __future__ import annotations

import json
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
    data = {**context, "gate": gate.to_dict()}
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
        f"- Data Docs: {gate.data_docs_index}" if gate.data_docs_index else "- Data Docs: none",
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
    return json_path, md_path
