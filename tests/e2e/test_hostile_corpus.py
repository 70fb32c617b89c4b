"""The hostile corpus through the ingest DAG next to good provinces: every case gets its status
and reason, no task fails, the good provinces' metrics equal the truth, the week publishes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.weeks import IsoWeek
from tests.support.hostile import GOOD_PROVINCES, WEEK, Case
from tests.support.truth import differences, normalise, read_truth

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus(planted_run):
    """The hostile corpus's part of the run it shares with the real forms (conftest)."""
    run = planted_run
    print("\n" + corpus_table(run.cases, run.registry, run.rejections))
    return run.settings, run.cases, run.registry, run.rejections


def corpus_table(cases: list[Case], registry: dict, rejections: list) -> str:
    """The corpus as a markdown table (case → status, reason, rows), for the issue's note."""
    lines = [
        "| # | case | issue item | province | status | reason | rows accepted | row reasons |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, case in enumerate(cases, start=1):
        row = registry.get((case.province, case.name))
        reasons = sorted(
            {r[3] for r in rejections if (r[0], r[1]) == (case.province, case.name) and r[2]}
        )
        status, reason, accepted = (row[2], row[3] or "", row[4]) if row else ("not listed", "", "")
        lines.append(
            f"| {number} | {case.case_id} | {case.issue_item} | {case.province} | {status} | "
            f"{reason} | {accepted} | {', '.join(reasons)} |"
        )
    return "\n".join(lines)


def test_the_corpus_is_large_and_covers_every_item(corpus):
    _, cases, _, _ = corpus
    assert len(cases) >= 60
    items = {case.issue_item for case in cases}
    assert items == {
        "1 resources",
        "2 task failures",
        "3 rows lost",
        "4 warehouse shape",
        "5 feedback",
        "6 digits, personal data",
        "issue 19: reasons that name the cause",
        "issue 21: reports",
        "held",
    }


def test_every_case_gets_its_status_and_reason(corpus):
    _, cases, registry, rejections = corpus
    wrong = []
    for case in cases:
        row = registry.get((case.province, case.name))
        if case.status is None:
            if row is not None:
                wrong.append(f"{case.case_id}: should not be listed, got {row[2:4]}")
            continue
        if row is None:
            wrong.append(f"{case.case_id}: no registry row")
            continue
        got = {"status": row[2], "reason": row[3], "accepted": row[4], "warnings": row[5]}
        want = {"status": case.status, "reason": case.reason, "warnings": case.warnings}
        if case.accepted is not None:
            want["accepted"] = case.accepted
        if case.row_reasons is not None:
            got["row_reasons"] = {
                r[3] for r in rejections if (r[0], r[1]) == (case.province, case.name) and r[2]
            }
            want["row_reasons"] = case.row_reasons
        mismatch = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
        if mismatch:
            wrong.append(f"{case.case_id} ({case.province}/{case.name[:60]}): {mismatch}")
    assert wrong == []


def test_no_province_task_failed(corpus):
    settings, _, _, _ = corpus
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        statuses = con.execute(
            "select status, count(*) from province_ingest_outcomes group by all"
        ).fetchall()
    assert statuses == [("succeeded", 34)]


def test_the_good_provinces_equal_the_truth(corpus):
    settings, _, _, _ = corpus
    for table in ("province_weekly", "vacancies_by_field"):
        with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
            got = con.execute(
                f"select * from {table} where province_code in {GOOD_PROVINCES} and week = '{WEEK}'"
            ).df()
        expected = read_truth(settings.simulation, table)
        expected = expected[expected["province_code"].isin(GOOD_PROVINCES)]
        assert len(expected) > 0
        assert differences(normalise(got, table), expected.reset_index(drop=True), table) == []


def test_rejected_files_never_shape_dim_week(corpus):
    settings = corpus[0]
    accepted_weeks = {WEEK}
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        accepted_weeks |= {
            IsoWeek.parse(w)
            for (w,) in con.execute(
                "select distinct week from file_registry where status <> 'rejected'"
            ).fetchall()
        }
        weeks = [IsoWeek.parse(w) for (w,) in con.execute("select week from dim_week").fetchall()]
        rows = con.execute("select count(*) from province_weekly").fetchone()[0]
    assert min(weeks) == min(accepted_weeks) and max(weeks) == max(accepted_weeks)
    assert rows == 34 * len(weeks) < 34 * 10


def test_rows_after_a_blank_key_row_count(corpus):
    settings, cases, _, _ = corpus
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        for case in cases:
            for metric, expected in case.extra.items():
                if metric in {"obstacles_open", "approved_posts"}:
                    value = con.execute(
                        f"select {metric} from province_weekly where week = ? and "
                        "province_code = ?",
                        [str(WEEK), case.province],
                    ).fetchone()[0]
                    assert value == expected, (case.case_id, metric)


def test_messages_stay_short_and_nothing_long_or_personal_reaches_analysts(corpus):
    settings, _, _, rejections = corpus
    assert max(len(r[4]) for r in rejections) < 1_000
    assert max(len(r[5] or "") for r in rejections) < 200  # only a value's start is echoed
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            found = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ? '
                f'or "{column}" like ? or length("{column}") > 6000',
                ["%001085012345%", "%0912 345 678%"],
            ).fetchone()[0]
            assert found == 0, (schema, table, column)


def test_the_week_publishes_and_nothing_is_left_half_written(corpus):
    settings, _, registry, _ = corpus
    assert (settings.outbox / str(WEEK) / "v1" / "manifest.json").exists()
    leftovers = [
        p
        for p in settings.data_dir.rglob("*")
        if p.name.endswith((".tmp", ".part")) or p.name.startswith(".tmp-")
    ]
    assert leftovers == []
    for row in registry.values():
        assert len(Path(row[6]).name.encode()) <= 120
