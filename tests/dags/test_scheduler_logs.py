"""Under the real scheduler (the session's ``airflow standalone``), each task's log says what the
task did: every file a province task found, with its verdict and row counts (checked against the
simulator's expected files), and the warehouse build's load and dbt summaries."""

from __future__ import annotations

import csv
import re
import shutil

import pytest

from core.reference import provinces
from core.weeks import IsoWeek
from tests.support.e2e import data_dir

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

WEEK = IsoWeek.parse("2025-W35")
PROVINCES = ["01", "79"]
SEED = 5  # with these faults: a file rejected whole, rows rejected in others, clean files


def test_task_logs_name_every_file_and_the_build(scheduler, tmp_path):
    import simulator

    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], PROVINCES, seed=SEED, fault_rate=0.5)
    later = settings.inbox / "01" / f"staffing_{WEEK.shift(1)}.xlsx"
    shutil.copy(settings.inbox / "01" / f"staffing_{WEEK}.xlsx", later)
    with (settings.simulation / "expected_files.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert {"rejected", "partly_accepted", "accepted"} <= {row["status"] for row in expected}

    scheduler.use(settings.data_dir)
    ingest = scheduler.trigger("ingest_province_files", {"week": str(WEEK)})
    assert scheduler.wait("ingest_province_files", ingest) == "success"

    codes = list(provinces())
    logs = {
        code: scheduler.task_log(
            "ingest_province_files", ingest, "ingest_province", codes.index(code)
        )
        for code in PROVINCES
    }
    for row in expected:
        line = (
            rf"province {row['province_code']}: {re.escape(row['file_name'])} {row['status']}: "
            rf"\d+ rows, {row['rows_accepted']} accepted, {row['rows_rejected']} rejected"
        )
        assert re.search(line, logs[row["province_code"]]), (line, logs[row["province_code"]])
    rejected = next(row for row in expected if row["status"] == "rejected")
    assert re.search(
        rf"{re.escape(rejected['file_name'])} rejected: .* \([a-z_]+\)",
        logs[rejected["province_code"]],
    )
    assert f"{later.name} is for {WEEK.shift(1)}, not {WEEK}" in logs["01"]
    sent = sum(1 for row in expected if row["province_code"] == "79")  # tables and a report
    assert f"province 79: {sent} files seen, {sent} landed, 0 skipped, 0 failed" in logs["79"]

    build = scheduler.airflow.wait_asset_run("build_warehouse", ingest)
    assert scheduler.wait("build_warehouse", build) == "success"
    loaded = scheduler.task_log("build_warehouse", build, "load_staged")
    assert f"load_staged: {len(expected)} of {len(expected)} staged files loaded" in loaded
    built = scheduler.task_log("build_warehouse", build, "dbt_build")
    summary = re.search(r"dbt build: (\d+) nodes \(([^)]*)\): ([^;]*);", built)
    assert summary, built
    kinds = dict(reversed(part.split(" ")) for part in summary.group(2).split(", "))
    assert int(kinds["model"]) > 0 and int(kinds["test"]) > 0
    assert "error" not in summary.group(3) and "fail" not in summary.group(3)
