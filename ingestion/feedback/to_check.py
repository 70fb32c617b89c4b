"""The values to check again of a province's week, as its weekly summary lists them ("Đề nghị
kiểm tra lại"): found by the warehouse after a build, kept beside the staged files
(``staged/values_to_check/<pp>/<YYYY-Www>.json``) so that a summary rewritten when a file lands
still lists what the last build found. Never a rejection: the values stay accepted."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from core import reference
from core.settings import Settings
from core.values_to_check import ValueToCheck
from core.vietnamese import METRIC_LABELS
from ingestion.feedback.per_file import number_vi
from ingestion.feedback.printable import replace_into

HEADERS = (
    "Nội dung cần kiểm tra",
    "Xã, phường; lĩnh vực, chỉ tiêu",
    "Giá trị",
    "Thường gặp",
    "Các tuần gần nhất (cũ → mới)",
)
SPANS = ((0, 1), (2, 3), (4, 4), (5, 5), (6, 7))


def checks_path(settings: Settings, province_code: str, week: str) -> Path:
    return settings.staged / "values_to_check" / province_code / f"{week}.json"


def read_checks(settings: Settings, province_code: str, week: str) -> list[ValueToCheck]:
    """What the last build found for the province's week (none when it found nothing)."""
    path = checks_path(settings, province_code, week)
    if not path.exists():
        return []
    return [ValueToCheck(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


def save_checks(settings: Settings, province_code: str, week: str, checks: list[ValueToCheck]):
    """Keep the build's findings of the week (the file goes when there are none)."""
    path = checks_path(settings, province_code, week)
    if not checks:
        path.unlink(missing_ok=True)
        return
    text = json.dumps([asdict(check) for check in checks], ensure_ascii=False, indent=1)
    replace_into(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def saved_weeks(settings: Settings) -> set[tuple[str, str]]:
    """(province code, week) of every week with kept findings."""
    root = settings.staged / "values_to_check"
    return {(path.parent.name, path.stem) for path in root.glob("*/*.json")}


def amount_vi(value: float | None) -> str:
    """A count as the province wrote it (12 → 12, 1234 → 1.234, 2.54 → 2,5); None → —."""
    if value is None:
        return "—"
    value = round(value, 1)
    if value.is_integer():
        return number_vi(int(value))
    return f"{value:.1f}".replace(".", ",")


def _range_vi(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "—"
    if low is None:
        return f"đến {amount_vi(high)}"
    if high is None:
        return f"từ {amount_vi(low)}"
    return f"{amount_vi(low)} – {amount_vi(high)}"


def _history_vi(history: str | None) -> str:
    """``12.0, 13.0 (2025-W31–2025-W38)`` → ``12; 13 (2025-W31–2025-W38)``; a sentence (the
    file a missing commune was last in) as it is."""
    if not history:
        return "—"
    values, bracket, weeks = history.partition(" (")
    try:
        listed = "; ".join(amount_vi(float(part)) for part in values.split(","))
    except ValueError:
        return history
    return f"{listed}{bracket}{weeks}"


def check_lines(checks: list[ValueToCheck]) -> list[tuple]:
    """The section's lines (HEADERS) in the findings' order; the communes gone from the staffing
    file share one line."""
    gone = [check for check in checks if check.measure == "commune"]
    lines = [_line(check) for check in checks if check.measure != "commune"]
    if not gone:
        return lines
    names = ", ".join(check.commune_name or "" for check in gone)
    first = gone[0]
    line = (first.rule_label_vi, names, "—", "—", _history_vi(first.history))
    return [line, *lines] if checks[0].measure == "commune" else [*lines, line]


def _line(check: ValueToCheck) -> tuple:
    what = METRIC_LABELS.get(check.measure, "")
    if check.field_code is not None:
        field = reference.code_list(reference.FIELDS).get(check.field_code, check.field_code)
        what = f"{field}: {what.lower()}" if what else field
    return (
        check.rule_label_vi,
        f"{check.commune_name or 'Cả tỉnh'}; {what}" if what else check.commune_name or "Cả tỉnh",
        amount_vi(check.value),
        _range_vi(check.expected_low, check.expected_high),
        _history_vi(check.history),
    )
