"""The officials' reports the simulator writes: only in the wave weeks, Word documents that open,
odd ones planted (a .doc, a scan, no section, a _v2, late, missing), every planted item's
categories those the keyword seed gives its text (so the truth is readable as planted), and the
pipeline's reader finds every planted item, section and commune (no warehouse needed)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import docx
import pytest

from core import reference
from core.settings import SEEDS_DIR
from core.vietnamese import plain_words
from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.parsing.parse import parse_bytes
from simulator import reports
from simulator.reports import TEMPLATES

PROVINCES = ["01", "79", "46"]


def _keyword_categories(text: str) -> set[str]:
    with (SEEDS_DIR / "report_keywords.csv").open(encoding="utf-8") as handle:
        pairs = [row for row in csv.DictReader(handle)]
    words = f" {plain_words(text)} "
    return {p["category_code"] for p in pairs if f" {p['keyword']} " in words}


@pytest.mark.parametrize("section", sorted(TEMPLATES))
def test_each_template_names_the_categories_it_plants(section):
    for text, categories in TEMPLATES[section]:
        shown = text.format(c="Xã Tân Lập", phone="0912 345 678")
        assert _keyword_categories(shown) == set(categories), text


def _sent(week: IsoWeek) -> list[reports.SentReport]:
    return [r for pp in PROVINCES for r in reports.province_reports(7, pp, week, pdf=False)]


def test_reports_are_read_back_as_planted():
    sent = [r for n in range(35, 44) for r in _sent(IsoWeek(2025, n))]
    assert Counter(r.format for r in sent)["docx"] > 20
    headings: set[str] = set()
    for report in sent:
        if report.format != "docx":
            continue
        docx.Document(io.BytesIO(report.data))  # opens
        parsed = parse_bytes(
            report.data, report.name, "bao_cao", report.province_code, report.week, Limits()
        )
        if report.reason is not None:
            assert parsed.validation.file_reason_code == report.reason
            continue
        got = [
            (r["section"], r["item_ordinal"], r["item_text"], r["commune_codes"])
            for r in parsed.validation.records
            if r["item_ordinal"]
        ]
        planted = [
            (i.section, i.ordinal, i.text, ";".join(i.communes) or None) for i in report.items
        ]
        assert got == planted, report.name
        assert parsed.sections == report.sections
        headings.update(r["section_heading"] for r in parsed.validation.records)
    # the parts ("Phần thứ nhất. …") and the wordings after "Những"/"Các" are among them
    folded = {plain_words(heading) for heading in headings}
    assert any(words.startswith("phan thu") for words in folded)
    led = {plain_words(w) for ws in reports.LED_WORDINGS.values() for w in ws}
    assert any(words.endswith(tuple(led)) for words in folded)


def test_the_odd_reports_of_a_quarter_are_planted():
    sent = [
        r
        for n in range(35, 44)
        for pp in list(reference.provinces())[:12]
        for r in reports.province_reports(7, pp, IsoWeek(2025, n), pdf=False)
    ]
    reasons = Counter(r.reason for r in sent)
    assert reasons[None] > 90 and reasons["missing_section"] + reasons["unreadable_file"] >= 1
    assert any(r.version == 2 for r in sent)
    assert any(r.received > r.week.deadline for r in sent)


@pytest.mark.slow
def test_a_pdf_exported_by_libreoffice_reads_like_its_docx(tmp_path: Path):
    from tests.support.tools import require_tool

    require_tool("soffice")
    week = IsoWeek(2025, 36)
    report = next(r for r in reports.province_reports(7, "79", week, pdf=True) if r.accepted)
    assert report.format == "pdf"
    parsed = parse_bytes(report.data, report.name, "bao_cao", "79", week, Limits())
    got = [(r["section"], r["item_text"]) for r in parsed.validation.records if r["item_ordinal"]]
    assert got == [(i.section, i.text) for i in report.items]
