"""Real form layouts (issue 19) through the ingest DAG among good provinces: every file's status,
rows, rows skipped, reason and row rejections, and each province's week, equal the truth the
corpus computes from its own rows; no rejection the corpus did not plan."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from tests.support.real_forms import ACTIVE_KEPT, REJECTED, RealForm, province_truth
from tests.support.truth import differences, normalise


def rows_of(run, case: RealForm) -> list[tuple]:
    return [r for r in run.rejections if (r[0], r[1]) == (case.province, case.name)]


def clerk_reads(run, case: RealForm) -> str:
    """The first thing the clerk reads about the file: its first rejection's Vietnamese message,
    else the warnings, else that it was taken."""
    from ingestion.contract import warnings

    found = rows_of(run, case)
    if found:
        return found[0][4]
    row = run.registry.get((case.province, case.name))
    codes = warnings.split(row[5]) if row else []
    return " ".join(warnings.message_vi(code) for code in codes) or "—"


def forms_table(run) -> str:
    """Layout → status, rows accepted, rejections, what the clerk reads (the issue's note)."""
    lines = [
        "| layout | case | format | status | rows accepted | rows skipped | rejections | "
        "what the clerk reads |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in run.forms:
        row = run.registry.get((case.province, case.name))
        status, accepted, skipped = (row[2], row[4], row[8]) if row else ("not listed", "", "")
        reasons = Counter(r[3] for r in rows_of(run, case))
        said = clerk_reads(run, case).replace("|", "/").replace("\n", " ")
        lines.append(
            f"| {case.layout} | {case.case_id.rsplit('.', 1)[0]} | {case.fmt} | {status} | "
            f"{accepted} | {skipped} | "
            f"{', '.join(f'{code} ×{n}' for code, n in sorted(reasons.items()))} | "
            f"{said[:160]} |"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def run(planted_run):
    print("\n" + forms_table(planted_run))
    return planted_run


# ---- the corpus itself (no pipeline) -----------------------------------------------------------


@pytest.mark.slow
def test_the_corpus_has_every_class_in_several_variants_and_formats(real_form_corpus):
    variants = Counter()
    formats: dict[str, set[str]] = {}
    for case in real_form_corpus:
        variants[case.layout] += 1
        formats.setdefault(case.layout, set()).add(case.fmt)
    assert set(variants) == {
        "several sheets",
        "merged cells",
        "structural rows",
        "wide staffing",
        "nil return",
        "reason",
    }
    assert min(variants.values()) >= 4
    for layout in ("several sheets", "merged cells", "structural rows"):
        assert {"xlsx", "xls", "ods"} <= formats[layout], layout
    statuses = Counter(case.status for case in real_form_corpus)
    assert statuses["accepted"] >= 30 and statuses["partly_accepted"] >= 2
    names = [(case.province, case.name) for case in real_form_corpus]
    assert len(names) == len(set(names))


def _ods_active_table(data: bytes) -> str | None:
    settings = zipfile.ZipFile(io.BytesIO(data)).read("settings.xml").decode()
    found = re.search(r'config:name="ActiveTable"[^>]*>([^<]*)<', settings)
    return found.group(1) if found else None


def _xls_active_tab(data: bytes) -> int:
    """The first WINDOW1 record's ``itabCur``: LibreOffice writes the workbook stream in one
    run of sectors, so the record is found in the file's bytes."""
    at = data.index(b"\x3d\x00\x12\x00")
    return int.from_bytes(data[at + 4 + 10 : at + 4 + 12], "little")


@pytest.mark.slow
def test_libreoffice_keeps_hidden_sheets_and_merges_and_the_truth_follows(real_form_corpus):
    """What the .xls and .ods really hold: the sheets in order with their hidden state, the
    merged ranges (.xls through calamine, .ods in its XML), and the tab it opens on (kept in
    .xls; an .ods saved headless has none, which the truth assumes: ``ACTIVE_KEPT``)."""
    checked = Counter()
    for case in real_form_corpus:
        if case.fmt not in ("xls", "ods") or not case.sheets_written:
            continue
        book = CalamineWorkbook.from_filelike(io.BytesIO(case.data))
        held = [(m.name, m.visible != SheetVisibleEnum.Visible) for m in book.sheets_metadata]
        assert held == [(name, hidden) for name, hidden, _ in case.sheets_written], case.case_id
        if case.fmt == "xls":
            for name, _, merges in case.sheets_written:
                ranges = book.get_sheet_by_name(name).merged_cell_ranges or []
                assert len(ranges) == merges, (case.case_id, name)
            if len(case.sheets_written) > 1:
                assert _xls_active_tab(case.data) == case.opens_on, case.case_id
        else:
            content = zipfile.ZipFile(io.BytesIO(case.data)).read("content.xml").decode()
            spans = len(re.findall(r'number-(?:rows|columns)-spanned="(?!1")', content))
            assert spans == sum(m for _, _, m in case.sheets_written), case.case_id
            assert _ods_active_table(case.data) is None
        checked[case.fmt] += 1
    assert ACTIVE_KEPT == {"xlsx": True, "xls": True, "ods": False}
    assert checked["xls"] >= 10 and checked["ods"] >= 10


# ---- through the ingest DAG --------------------------------------------------------------------


@pytest.mark.airflow
@pytest.mark.slow
def test_every_real_form_gets_its_truth(run):
    wrong = []
    for case in run.forms:
        row = run.registry.get((case.province, case.name))
        if row is None:
            wrong.append(f"{case.case_id}: no registry row")
            continue
        got = {"status": row[2], "reason": row[3], "accepted": row[4], "rejected": row[7]}
        want = {
            "status": case.status,
            "reason": case.reason,
            "accepted": case.rows_accepted,
            "rejected": case.rows_rejected,
        }
        if case.status != REJECTED:
            got |= {"skipped": row[8], "warnings": set((row[5] or "").split(";")) - {""}}
            want |= {"skipped": case.rows_skipped, "warnings": set(case.warnings)}
        got["rows"] = {(r[2], r[3]) for r in rows_of(run, case) if r[2] is not None}
        want["rows"] = set(case.rejections)
        mismatch = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
        if mismatch:
            wrong.append(f"{case.case_id} ({case.province}/{case.name}): {mismatch}")
    assert wrong == []


@pytest.mark.airflow
@pytest.mark.slow
def test_no_rejection_the_corpus_did_not_plan(run):
    planned = {
        (case.province, case.name, row, reason)
        for case in run.forms
        for row, reason in case.rejections
    }
    planned |= {  # a file rejected for its rows failing has only its rows' rejections
        (c.province, c.name, None, c.reason)
        for c in run.forms
        if c.status == REJECTED and not c.rejections
    }
    mine = {(case.province, case.name) for case in run.forms}
    got = {(r[0], r[1], r[2], r[3]) for r in run.rejections if (r[0], r[1]) in mine}
    assert got - planned == set(), "rejections the corpus did not plan (spurious)"
    assert planned - got == set(), "planned rejections the pipeline did not make"


@pytest.mark.airflow
@pytest.mark.slow
def test_reasons_name_the_cause(run):
    """Ambiguous sheets are named; a file to save as .xlsx keeps its kind and week; a formula
    error is shown with its row."""
    seen = Counter()
    for case in run.forms:
        row = run.registry[(case.province, case.name)]
        messages = [r[4] for r in rows_of(run, case)]
        if case.sheets_named:
            assert all(name in messages[0] for name in case.sheets_named), messages[0]
            seen["ambiguous"] += 1
        if case.case_id.startswith("saved_as_"):
            assert (row[9], row[10]) == (case.kind, str(case.week)), case.case_id
            assert ".xlsx" in messages[0], messages[0]
            seen["save_as"] += 1
        for r in rows_of(run, case):
            if r[3] == "formula_error":
                assert re.search(r"#(DIV/0!|REF!|VALUE!)", f"{r[4]} {r[5]}"), r
                seen["formula_error"] += 1
    assert seen["ambiguous"] >= 3 and seen["save_as"] == 4 and seen["formula_error"] >= 30


@pytest.mark.airflow
@pytest.mark.slow
def test_each_corpus_province_week_equals_the_truth(run):
    expected = pd.DataFrame(list(province_truth(run.forms).values()))
    keys = list(zip(expected["province_code"], expected["week"], strict=True))
    with duckdb.connect(str(run.settings.analyst_path), read_only=True) as con:
        got = con.execute("select * from province_weekly").df()
    got = got[[k in keys for k in zip(got["province_code"], got["week"], strict=True)]]
    missing = set(keys) - set(zip(got["province_code"], got["week"], strict=True))
    assert not missing, f"province-weeks missing from province_weekly: {sorted(missing)}"
    assert len(got) == len(expected) >= 40
    table = "province_weekly"
    expected = normalise(expected[list(got.columns)], table)
    assert differences(normalise(got, table), expected, table) == []
