"""A simulated quarter through Airflow: warehouse, rejections and published files = truth."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.support.truth import (
    differences,
    normalise,
    package_mart_differences,
    read_csv,
    read_truth,
)

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PUBLISHED = ("province_weekly", "national_weekly", "vacancies_by_field")


def warehouse_frame(settings, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        return con.sql(sql).df()


def latest_version(settings, week) -> Path:
    versions = sorted((settings.outbox / str(week)).glob("v*"), key=lambda p: int(p.name[1:]))
    assert versions, f"nothing published for {week}"
    return versions[-1]


def tree_digest(folder: Path, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path → sha256 of every file under ``folder``, except under ``leave_out``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in leave_out
    }


@pytest.mark.parametrize("table", PUBLISHED)
def test_warehouse_table_equals_the_planted_truth_every_week(quarter, table):
    got = normalise(warehouse_frame(quarter.settings, f"select * from {table}"), table)
    expected = read_truth(quarter.settings.simulation, table)
    assert set(got["week"]) == {str(w) for w in quarter.weeks}
    assert differences(got, expected, table) == []


def test_province_weekly_has_all_34_provinces_every_week(quarter):
    counts = warehouse_frame(
        quarter.settings, "select week, count(*) as n from province_weekly group by week"
    )
    assert len(counts) == len(quarter.weeks) and set(counts["n"]) == {34}


@pytest.mark.parametrize("table", PUBLISHED)
def test_published_csv_equals_the_planted_truth_every_week(quarter, table):
    expected = read_truth(quarter.settings.simulation, table)
    for week in quarter.weeks:
        path = latest_version(quarter.settings, week) / f"{table}.csv"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path} has no UTF-8 BOM"
        got = read_csv(path, table)
        assert differences(got, expected[expected["week"] == str(week)], table) == [], path


def test_package_marts_equal_the_planted_truth_every_week(quarter):
    """Coverage, the national trend (previous week, changes), submission status and vacancy
    ranks, as the simulator computes them from what it planted."""
    found = package_mart_differences(quarter.settings, [str(w) for w in quarter.weeks])
    assert found == {table: [] for table in found}


def _as_text(rows) -> list[tuple]:
    """Rows as sorted tuples of text (booleans as true/false, null as "")."""

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return sorted(tuple(text(v) for v in row) for row in rows)


@pytest.mark.parametrize("table", ["fct_official_reports", "official_report_items"])
def test_the_officials_reports_equal_the_planted_truth(quarter, table):
    """Report completeness per wave week (expected, received, on time, version), sections
    present and missing, items per section; each item's text, communes and categories."""
    expected = pd.read_csv(
        quarter.settings.simulation / "truth" / f"{table}.csv", dtype=str, keep_default_na=False
    )
    columns = ", ".join(expected.columns)
    with duckdb.connect(str(quarter.settings.analyst_path), read_only=True) as con:
        got = con.execute(f"select {columns} from {table}").fetchall()
    assert len(expected) > 0
    got_rows = _as_text(got)
    expected_rows = _as_text(expected.itertuples(index=False))
    assert set(got_rows) ^ set(expected_rows) == set()
    assert len(got_rows) == len(expected_rows)


def test_reports_are_expected_in_the_wave_weeks_and_a_few_are_missing(quarter):
    weeks = warehouse_frame(
        quarter.settings,
        "select week, count(*) filter (where is_expected) as expected, "
        "count(*) filter (where is_missing) as missing from fct_official_reports group by week",
    )
    in_wave = weeks[weeks["expected"] > 0]
    assert set(in_wave["expected"]) == {34}
    assert set(in_wave["week"]) == {f"2025-W{n}" for n in range(35, 44)}  # to 20/10/2025
    assert 0 < in_wave["missing"].sum() < 34 * len(in_wave) // 4


def _expected_rejections(settings) -> set[tuple]:
    with (settings.simulation / "expected_rejections.csv").open(encoding="utf-8") as handle:
        return {
            (
                r["province_code"],
                r["file_name"],
                r["source_row"],
                r["column_name"],
                r["reason_code"],
            )
            for r in csv.DictReader(handle)
        }


def test_every_planted_fault_is_rejected_with_its_code_row_and_column(quarter):
    rows = warehouse_frame(
        quarter.settings,
        """
        select province_code, file_name, coalesce(cast(source_row as varchar), '') as source_row,
               coalesce(column_name, '') as column_name, reason_code
        from rejections""",
    )
    got = set(map(tuple, rows.itertuples(index=False)))
    expected = _expected_rejections(quarter.settings)
    assert len(expected) > 50
    assert {r[-1] for r in expected} == {r[-1] for r in got}
    assert expected - got == set(), "planted faults not rejected as planted"
    assert got - expected == set(), "rejections the simulator did not plant"


def test_every_clean_row_is_staged_and_every_file_has_its_status(quarter):
    registry = warehouse_frame(
        quarter.settings,
        """
        select province_code, file_name, status, rows_accepted, rows_rejected, rows_skipped
        from file_registry
    """,
    ).astype(str)
    expected = pd.read_csv(
        quarter.settings.simulation / "expected_files.csv", dtype=str, keep_default_na=False
    )
    columns = [
        "province_code",
        "file_name",
        "status",
        "rows_accepted",
        "rows_rejected",
        "rows_skipped",
    ]
    merged = expected[columns].merge(
        registry,
        on=["province_code", "file_name"],
        how="outer",
        suffixes=("_expected", "_got"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for column in ("status", "rows_accepted", "rows_rejected"):
        wrong = merged[merged[f"{column}_expected"] != merged[f"{column}_got"]]
        assert wrong.empty, wrong.head().to_string()
    # rows that only structure a form (column numbers, group titles, subtotals, "Tổng cộng"),
    # for every file whose table was read
    read = merged[merged["status_expected"] != "rejected"]
    wrong = read[read["rows_skipped_expected"] != read["rows_skipped_got"]]
    assert wrong.empty, wrong.head().to_string()


def test_every_landed_file_is_kept_and_answered_in_vietnamese(quarter):
    settings = quarter.settings
    inbox = sorted(
        p.name for p in settings.inbox.rglob("*") if p.is_file() and "phan_hoi" not in p.parts
    )
    landed = sorted(p.name for p in settings.landing.rglob("*") if p.is_file())
    assert landed == inbox
    feedback = list(settings.feedback.rglob("*.phan_hoi.xlsx"))
    assert len(feedback) == len(inbox)
    assert len(list(settings.feedback.rglob("*.phan_hoi.csv"))) == len(inbox)


def test_each_week_is_published_once_with_a_manifest_that_hashes_every_file(quarter):
    for week in quarter.weeks:
        folder = latest_version(quarter.settings, week)
        assert folder.name == "v1"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["week"] == str(week) and manifest["version"] == 1
        files = {p.name for p in folder.iterdir()} - {"manifest.json"}
        assert set(manifest["files"]) == files
        for name, entry in manifest["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]


FINDING_COLUMNS = ("week", "province_code", "rule_id", "commune_code", "field_code", "measure")


def _quality_findings(settings) -> set[tuple]:
    frame = warehouse_frame(
        settings,
        "select week, province_code, rule_id, coalesce(commune_code, '') as commune_code, "
        "coalesce(field_code, '') as field_code, measure from data_quality_findings",
    )
    return set(map(tuple, frame.itertuples(index=False)))


def _truth_rows(settings, name: str) -> list[dict]:
    with (settings.simulation / "truth" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_data_quality_findings_equal_the_rules_applied_to_the_accepted_truth(quarter):
    expected = {
        tuple(r[c] for c in FINDING_COLUMNS)
        for r in _truth_rows(quarter.settings, "data_quality_findings.csv")
    }
    got = _quality_findings(quarter.settings)
    assert expected - got == set(), "findings the warehouse missed"
    assert got - expected == set(), "findings the simulator's rules do not make"


def test_every_planted_quality_problem_is_found_and_clean_provinces_raise_no_alarm(quarter):
    """Each plant is flagged by its rule; a province with no plant and no contract fault or nil
    return of a kind in a week has no finding about that kind (the false alarms, counted)."""
    settings = quarter.settings
    got = _quality_findings(settings)
    plants = _truth_rows(settings, "planted_quality.csv")
    assert {p["plant"] for p in plants} == {
        "partial_coverage",
        "jump",
        "decimal_slip",
        "flat_change",
        "obstacles_fall",
    }
    for plant in plants:
        for target in plant["targets"].split():
            commune, _, field = target.partition("|")
            if plant["kind"] == "obstacles":
                commune = ""
            found = {
                f[2]
                for f in got
                if f[:2] == (plant["week"], plant["province_code"])
                and f[3] == commune
                and f[4] == field
                and f[5] == plant["measure"]
            }
            assert found & set(plant["rules"].split()), (plant, found)
    planted = {p["province_code"] for p in plants}
    files = pd.read_csv(settings.simulation / "expected_files.csv", dtype=str)
    touched = files[(files["status"] != "accepted") | (files["rows_accepted"] == "0")]
    explained = {(r.province_code, r.week, r.kind) for r in touched.itertuples()}
    kind_of = {"obstacles_fell_unresolved": "obstacles"}
    false_alarms = sorted(
        f
        for f in got
        if f[1] not in planted and (f[1], f[0], kind_of.get(f[2], "staffing")) not in explained
    )
    print(f"\ndata-quality findings: {len(got)}, false alarms on clean provinces: {false_alarms}")
    assert false_alarms == []


def test_data_quality_series_equals_the_truth(quarter):
    """data_quality_weekly: kinds, on time and communes as province_weekly's truth, rows sent and
    rejected as the expected files, findings as the expected findings."""
    settings = quarter.settings
    got = warehouse_frame(
        settings,
        "select week, province_code, files_received, on_time, communes_reported, rows_sent, "
        "rows_rejected, findings from data_quality_weekly",
    )
    got = {
        (r.week, r.province_code): (
            int(r.files_received),
            bool(r.on_time),
            None if pd.isna(r.communes_reported) else int(r.communes_reported),
            int(r.rows_sent),
            int(r.rows_rejected),
            int(r.findings),
        )
        for r in got.itertuples()
    }
    rows = {}
    for f in _truth_rows(settings, "../expected_files.csv"):
        if f["kind"] and f["week"]:
            sent = rows.setdefault((f["week"], f["province_code"]), [0, 0])
            sent[0] += int(f["rows_accepted"]) + int(f["rows_rejected"])
            sent[1] += int(f["rows_rejected"])
    findings: dict[tuple, int] = {}
    for f in _truth_rows(settings, "data_quality_findings.csv"):
        key = (f["week"], f["province_code"])
        findings[key] = findings.get(key, 0) + 1
    expected = {}
    for p in _truth_rows(settings, "province_weekly.csv"):
        key = (p["week"], p["province_code"])
        expected[key] = (
            int(p["files_received"]),
            p["on_time"] == "true",
            int(p["communes_reported"]) if p["communes_reported"] else None,
            *rows.get(key, [0, 0]),
            findings.get(key, 0),
        )
    assert len(expected) == 34 * len(quarter.weeks)
    wrong = {k: (expected[k], got.get(k)) for k in expected if expected[k] != got.get(k)}
    assert wrong == {}


def test_the_summaries_ask_to_check_again_exactly_what_the_truth_finds(quarter):
    """After the build, the weekly summary of each province-week with expected findings has the
    section "Đề nghị kiểm tra lại" naming each rule (the seed's wording) and each commune (the
    reference's names); no other summary has it."""
    from core import reference
    from ingestion.feedback.weekly_summary import CHECK_SECTION
    from simulator.quality import RULES_CSV
    from tests.support.feedback_files import summary_sections

    settings = quarter.settings
    with RULES_CSV.open(encoding="utf-8", newline="") as handle:
        label = {row["rule_id"]: row["label_vi"] for row in csv.DictReader(handle)}
    expected: dict[tuple[str, str], list[dict]] = {}
    for f in _truth_rows(settings, "data_quality_findings.csv"):
        expected.setdefault((f["province_code"], f["week"]), []).append(f)
    flagged = {}
    for path in sorted(settings.feedback.glob("*/*/tong_hop_tuan_*.xlsx")):
        lines = summary_sections(path).get(CHECK_SECTION)
        if lines is not None:
            flagged[(path.parent.parent.name, path.parent.name)] = lines[2:]  # note, header
    assert set(flagged) == set(expected)
    communes = reference.communes()
    for key, findings in expected.items():
        lines = flagged[key]
        assert {line[0] for line in lines} == {label[f["rule_id"]] for f in findings}, key
        named = " ".join(str(line[2]) for line in lines)
        for f in findings:
            if f["commune_code"]:
                assert communes[f["commune_code"]].name in named, (key, f)


# The tests below change the quarter (a rerun, a correction): they come after every test that
# compares it with the simulator's truth.


def test_rerunning_a_week_changes_nothing(quarter_env):
    from moha.cycle import run_week

    settings, week = quarter_env.settings, quarter_env.weeks[5]
    outbox_before = tree_digest(settings.outbox / str(week))
    # staged/outcomes/ logs every ingest run by design: one new outcome per province, no new data
    staged_before = tree_digest(settings.staged, leave_out=("outcomes",))
    outcomes_before = len(list((settings.staged / "outcomes").rglob("*.parquet")))
    tables_before = {
        t: warehouse_frame(settings, f"select * from {t} order by all") for t in PUBLISHED
    }
    run_week(week)
    assert tree_digest(settings.outbox / str(week)) == outbox_before
    assert tree_digest(settings.staged, leave_out=("outcomes",)) == staged_before
    assert len(list((settings.staged / "outcomes").rglob("*.parquet"))) == outcomes_before + 34
    for table, before in tables_before.items():
        after = warehouse_frame(settings, f"select * from {table} order by all")
        pd.testing.assert_frame_equal(after, before)


def test_a_correction_publishes_the_next_version_with_what_changed(quarter_env):
    from moha.cycle import run_week

    settings, week = quarter_env.settings, quarter_env.weeks[6]
    before = warehouse_frame(
        settings,
        f"""
        select * from province_weekly where week = '{week}' and province_code = '01'""",
    )
    staffing = warehouse_frame(
        settings,
        f"""
        select commune_code, field_code, approved_posts, filled_posts
        from fct_staffing where week = '{week}' and province_code = '01'
        order by commune_code, field_code""",
    )
    assert len(staffing) > 100
    staffing.loc[0, "filled_posts"] += 5
    rows = [["commune_code", "field_code", "approved_posts", "filled_posts", "report_date"]]
    rows += [
        [r.commune_code, r.field_code, r.approved_posts, r.filled_posts, week.monday.isoformat()]
        for r in staffing.itertuples()
    ]
    correction = settings.inbox / "01" / f"staffing_{week}_v9.csv"
    with correction.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    run_week(week)

    assert latest_version(settings, week).name == "v2"
    assert (settings.outbox / str(week) / "v1").is_dir()
    after = warehouse_frame(
        settings,
        f"""
        select * from province_weekly where week = '{week}' and province_code = '01'""",
    )
    assert int(after.loc[0, "filled_posts"]) == int(before.loc[0, "filled_posts"]) + 5
    manifest = json.loads((latest_version(settings, week) / "manifest.json").read_text("utf-8"))
    assert "province_weekly" in json.dumps(manifest["changes"], ensure_ascii=False)


def test_dbt_docs_are_generated_with_the_published_tables(quarter_env):
    from warehouse.dbt import generate_docs

    site = generate_docs(quarter_env.settings)
    folder = site if site.is_dir() else site.parent
    assert (folder / "index.html").exists()
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    names = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert {"province_weekly", "national_weekly", "vacancies_by_field", "fct_staffing"} <= names
