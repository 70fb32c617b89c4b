"""The gate's HTML report: self-contained (no script, no remote asset), names each failed check
and its rows, and links only relative to its own folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quality.gate import run_gate
from quality.report import write_gate_report
from tests.support import synthetic_warehouse as synthetic

pytestmark = pytest.mark.slow

WEEK = "2025-W35"


def test_blocked_gate_html_names_failed_checks_and_rows(tmp_path: Path) -> None:
    tables = synthetic.make_tables(WEEK, seed=1)
    frames = {n: tables[n] for n in ("province_weekly", "national_weekly", "vacancies_by_field")}
    pw = frames["province_weekly"]
    pw.loc[pw["province_code"] == "01", "vacancies"] = 10**6
    report_dir = tmp_path / "data" / "reports" / WEEK / "run1"
    gate = run_gate(frames, None, report_dir / "data_docs", week=WEEK)
    assert not gate.success
    json_path, md_path = write_gate_report(gate, report_dir, {"week": WEEK, "status": "blocked"})

    page = (report_dir / "gate_report.html").read_text(encoding="utf-8")
    assert "KHÔNG ĐẠT" in page and "province_weekly.vacancies_le_approved_posts" in page
    assert "<td>01</td>" in page and "<td>1000000</td>" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page), "no external or active content"
    assert "http://" not in page and "https://" not in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs == ["gate_report.json", "gate_report.md", "data_docs/index.html"]
    assert all((report_dir / h).exists() for h in hrefs)

    md = md_path.read_text(encoding="utf-8")
    assert "[data_docs/index.html](data_docs/index.html)" in md and str(tmp_path) not in md
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["gate"]["data_docs_index"] == "data_docs/index.html"
