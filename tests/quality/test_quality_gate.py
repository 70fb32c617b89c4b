"""Quality gate: clean frames pass; planted failures are named with their rows; WoW only warns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core.metrics import OBSTACLE_METRICS, SECONDMENT_METRICS
from core.settings import EXPECTATIONS_DIR
from quality.gate import run_gate
from quality.report import write_gate_report
from tests.support import synthetic_warehouse as synthetic

pytestmark = pytest.mark.slow

WEEK, PREVIOUS = "2025-W35", "2025-W34"
METRIC_TABLES = ("province_weekly", "national_weekly", "vacancies_by_field")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    tables = synthetic.make_tables(WEEK, seed=1)
    return {name: tables[name] for name in METRIC_TABLES}


@pytest.fixture(scope="module")
def previous() -> dict[str, pd.DataFrame]:
    """The same figures a week earlier: a clean week moves nothing week over week."""
    return {"province_weekly": synthetic.make_tables(PREVIOUS, seed=1)["province_weekly"]}


def _copy(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in frames.items()}


def test_suites_are_json_with_check_names_and_severity() -> None:
    names = set()
    for path in sorted(EXPECTATIONS_DIR.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        assert suite["name"] == path.stem
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            assert meta["severity"] in ("error", "warning")
            name = f"{suite['name']}.{meta['check']}"
            assert name not in names, name
            names.add(name)
    assert {
        "province_weekly.rows_per_week",
        "province_weekly.vacancies_le_approved_posts",
        "vacancies_by_field.field_code_valid",
        "province_week_over_week.approved_posts_change_within_share",
    } <= names


def test_clean_week_passes_and_builds_data_docs(frames, previous, tmp_path: Path) -> None:
    gate = run_gate(frames, previous, tmp_path / "docs")
    assert gate.success, [c.to_dict() for c in gate.failures]
    assert gate.week == WEEK
    assert gate.data_docs_index is not None and gate.data_docs_index.exists()
    names = {c.name for c in gate.checks}
    assert {
        "national_weekly.equals_sum_of_provinces",
        "province_weekly.rows_per_week",
        "province_weekly.files_received_0_3",
        "vacancies_by_field.week_matches",
    } <= names
    assert not gate.warnings


def test_vacancies_above_approved_blocks_and_names_the_row(frames, previous) -> None:
    bad = _copy(frames)
    pw = bad["province_weekly"]
    pw.loc[pw["province_code"] == "01", "vacancies"] = 10**6
    gate = run_gate(bad, previous, None)
    assert not gate.success
    check = gate.check("province_weekly.vacancies_le_approved_posts")
    assert not check.success and check.failing_count == 1
    assert check.failing_rows[0]["province_code"] == "01"
    assert check.failing_rows[0]["week"] == WEEK
    assert check.failing_rows[0]["vacancies"] == 10**6
    # the national total no longer equals the provinces' sum either
    national = gate.check("national_weekly.equals_sum_of_provinces")
    assert [r["metric"] for r in national.failing_rows] == ["vacancies"]


def test_33_rows_names_the_missing_province(frames, previous, tmp_path: Path) -> None:
    bad = _copy(frames)
    bad["province_weekly"] = bad["province_weekly"][bad["province_weekly"]["province_code"] != "79"]
    gate = run_gate(bad, previous, None)
    failed = {c.name for c in gate.failures}
    assert {"province_weekly.rows_per_week", "province_weekly.all_provinces_present"} <= failed
    rows = gate.check("province_weekly.rows_per_week").failing_rows
    assert {"province_code": "79", "week": WEEK, "problem": "missing"} in rows
    _, md = write_gate_report(gate, tmp_path)
    text = md.read_text(encoding="utf-8")
    assert "province_weekly.rows_per_week" in text and "| 79 |" in text


def test_unknown_codes_wrong_week_and_negatives(frames, previous) -> None:
    bad = _copy(frames)
    vbf = bad["vacancies_by_field"]
    vbf.loc[0, "field_code"] = "khong_co"
    vbf.loc[1, "week"] = "2025-W36"
    pw = bad["province_weekly"]
    pw["communes_short"] = pw["communes_short"].astype("float64")
    pw.loc[pw["province_code"] == "96", "communes_short"] = -1
    gate = run_gate(bad, previous, None, week=WEEK)
    field = gate.check("vacancies_by_field.field_code_valid")
    assert not field.success and field.failing_rows[0]["field_code"] == "khong_co"
    assert not gate.check("vacancies_by_field.week_matches").success
    negative = gate.check("province_weekly.non_negative.communes_short")
    assert negative.failing_rows == [{"communes_short": -1, "province_code": "96", "week": WEEK}]


def test_files_received_out_of_range_blocks(frames, previous) -> None:
    bad = _copy(frames)
    bad["province_weekly"].loc[0, "files_received"] = 4
    bad["national_weekly"]["files_received"] += 1
    gate = run_gate(bad, previous, None)
    assert [c.name for c in gate.failures] == ["province_weekly.files_received_0_3"]


def test_a_nil_return_with_its_metrics_at_zero_passes(frames, previous) -> None:
    """A province that sent secondments and obstacles files with no row: its metrics are 0, its
    median null, and the national figures are the sums: nothing blocks."""
    nil = _copy(frames)
    pw = nil["province_weekly"]
    province = pw["province_code"] == "01"
    counts = [m for m in (*SECONDMENT_METRICS, *OBSTACLE_METRICS) if m != "median_days_to_resolve"]
    for metric in counts:
        pw.loc[province, metric] = 0
        nil["national_weekly"][metric] = pw[metric].sum()
    pw.loc[province, "median_days_to_resolve"] = None
    gate = run_gate(nil, previous, None)
    assert gate.success, [c.to_dict() for c in gate.failures]


def test_week_over_week_move_warns_but_does_not_block(frames, previous) -> None:
    prev = {"province_weekly": previous["province_weekly"].copy()}
    pw = prev["province_weekly"]
    pw.loc[pw["province_code"] == "01", "approved_posts"] //= 2
    gate = run_gate(frames, prev, None)
    assert gate.success
    [warning] = gate.warnings
    assert warning.name == "province_week_over_week.approved_posts_change_within_share"
    assert warning.failing_rows[0]["province_code"] == "01"
    assert warning.failing_rows[0]["previous_week"] == PREVIOUS
    # the threshold is configurable
    assert not run_gate(frames, prev, None, wow_max_share=1.5).warnings


def test_missing_table_is_a_failure(frames) -> None:
    gate = run_gate({"province_weekly": frames["province_weekly"]}, None, None)
    assert {"national_weekly.present", "vacancies_by_field.present"} <= {
        c.name for c in gate.failures
    }


def test_national_move_from_missing_provinces_warns_with_its_coverage_part(frames) -> None:
    previous = frames["province_weekly"].copy()
    previous["week"] = PREVIOUS
    now = _copy(frames)
    pw = now["province_weekly"]
    silent = ["01", "04", "79", "92", "96"]
    staffing = ["approved_posts", "filled_posts", "vacancies", "surplus", "communes_short"]
    pw.loc[pw["province_code"].isin(silent), staffing] = pd.NA
    pw["files_received"] = pw["files_received"] - pw["province_code"].isin(silent).astype(int)
    for column in [*staffing, "files_received"]:
        now["national_weekly"][column] = pw[column].sum()
    now["national_weekly"]["provinces_reporting_staffing"] = int(pw["approved_posts"].notna().sum())
    now["vacancies_by_field"] = now["vacancies_by_field"][
        ~now["vacancies_by_field"]["province_code"].isin(silent)
    ]
    gate = run_gate(now, {"province_weekly": previous}, None, week=WEEK)
    assert gate.success  # a warning never blocks
    check = gate.check("national_week_over_week.national_figure_change_within_share")
    assert not check.success and check.severity == "warning"
    approved = next(r for r in check.failing_rows if r["metric"] == "approved_posts")
    assert approved["coverage_points"] < -0.1 and approved["like_for_like_points"] == 0
    assert (
        "5 tỉnh có báo cáo biên chế tuần trước nhưng không có tuần này"
        in (approved["explanation_vi"])
    )
