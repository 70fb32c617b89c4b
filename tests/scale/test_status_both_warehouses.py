"""`moha run` and `moha status` on the PostgreSQL warehouse: exit 0 and print the same status
(table and JSON) as on DuckDB for the same simulated week, read from the warehouse each built."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.services import (
    ROOT,
    env_without_scale_settings,
    fresh_database,
    require,
    warehouse_env,
)

pytestmark = [pytest.mark.scale, pytest.mark.slow]

WEEK = "2025-W35"
PROVINCES = ["01", "15"]
MOHA = str(Path(sys.executable).with_name("moha"))


def moha(data: Path, extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        **env_without_scale_settings(),
        "MOHA_DATA_DIR": str(data),
        "AIRFLOW_HOME": os.environ["AIRFLOW_HOME"],
        "COLUMNS": "200",
        **extra_env,
    }
    return subprocess.run(
        [MOHA, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200
    )


def status_table(output: str) -> str:
    """The status table `moha run` and `moha status` print (from its title to its last line)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f"{WEEK}: province status" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("└"))
    return "\n".join(lines[start : end + 1])


def comparable(document: dict) -> dict:
    """The JSON minus when the ingest task finished (each run has its own)."""
    for province in document["provinces"]:
        province.pop("ingest_finished_at")
        for finding in province["why"]:
            if finding["finding"] == "ingest_failed":
                finding.pop("occurred_at")
    return document


def test_run_and_status_print_the_same_on_postgres_as_on_duckdb(tmp_path):
    require("postgres")
    import simulator
    from core.settings import Settings
    from core.weeks import IsoWeek

    template = tmp_path / "template"
    simulator.simulate(Settings(data_dir=template), [IsoWeek.parse(WEEK)], PROVINCES, seed=11)
    inbox = template / "inbox"
    (inbox / "15" / f"bien_che_{WEEK}_v5.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (inbox / "15" / "bao cao tuan 35.xlsx").write_bytes(b"x")
    shutil.copystat(next((inbox / "15").iterdir()), inbox / "15" / "bao cao tuan 35.xlsx")
    shutil.copystat(next((inbox / "15").iterdir()), inbox / "15" / f"bien_che_{WEEK}_v5.xlsx")
    folders = {}
    for target in ("duckdb", "postgres"):
        folders[target] = tmp_path / target
        shutil.copytree(inbox, folders[target] / "inbox")  # copy2: received times kept

    outputs = {}
    with fresh_database("moha_status_wh") as dbname:
        envs = {"duckdb": {"MOHA_WAREHOUSE": "duckdb"}, "postgres": warehouse_env(dbname)}
        for target, env in envs.items():
            ran = moha(folders[target], env, "run", "--week", WEEK)
            assert ran.returncode == 0, f"{target}: {ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
            shown = moha(folders[target], env, "status", "--week", WEEK)
            assert shown.returncode == 0, shown.stdout + shown.stderr
            scripted = moha(folders[target], env, "status", "--week", WEEK, "--json")
            assert scripted.returncode == 0, scripted.stdout + scripted.stderr
            outputs[target] = (
                status_table(ran.stdout),
                status_table(shown.stdout),
                comparable(json.loads(scripted.stdout)),
            )
            assert (folders[target] / "outbox" / WEEK / "v1" / "manifest.json").exists()

    duck, pg = outputs["duckdb"], outputs["postgres"]
    assert pg[0] == duck[0]  # moha run's closing table
    assert pg[1] == duck[1] == duck[0]  # moha status
    assert pg[2] == duck[2]  # --json
    lao_cai = next(p for p in pg[2]["provinces"] if p["province_code"] == "15")
    found = {(f["finding"], f["reason_code"]) for f in lao_cai["why"]}
    assert ("file_rejected", "unreadable_file") in found
    assert ("invalid_file_name", "invalid_file_name") in found
