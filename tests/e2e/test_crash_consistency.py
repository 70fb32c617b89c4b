"""kill -9 anywhere in a cycle, then rerun: the same published files, the same warehouse tables
and no temporary file left, as an uninterrupted run.

The cycle (``tests.support.crash_cycle``: ingest, refresh, publish) runs in a child process in its
own process group. Deterministic kill points (``MOHA_CRASH_AT``, ``core.crashpoints``) SIGKILL
the whole group, the parsing child included; the dbt build is killed while its subprocess runs.
The kills are chained in pipeline order in one data folder, each run recovering from the
previous kill before dying at the next point, then one uninterrupted rerun finishes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from core.settings import PROJECT_ROOT
from core.weeks import IsoWeek

pytestmark = [pytest.mark.slow]

PROVINCES = ["01", "96"]
WEEKS = [IsoWeek(2025, 35), IsoWeek(2025, 36)]
# In pipeline order: each is reached by the first run that gets that far.
KILL_POINTS = [
    "ingest.received",  # a .part copy under landing/<pp>/.incoming
    "ingest.landed",  # landed, nothing staged
    "ingest.parsed",  # in the parsing child, before it answers
    "staging.tmp_written",  # a staged Parquet temporary beside its target
    "ingest.staged",  # rows and rejections staged, no feedback, no registry row
    "ingest.feedback_written",  # feedback written, no registry row (the commit mark)
    "ingest.registered",  # one file committed, the others not yet
    "load.before_commit",  # inside the warehouse load transaction
    "load.committed",  # loaded, dbt not run
    "dbt",  # SIGKILL while the dbt build subprocess runs
    "snapshot.copied",  # the analysts' copy written under its temporary name
    "publish.written",  # the package complete in reports/<week>/<run>/.tmp-draft, not renamed
    "publish.renamed",  # v1 published, the run not finished
]
VOLATILE_COLUMNS = {
    "loaded_at",
    "landed_at",
    "source_loaded_at",
    "ingest_run_id",
    "ingest_finished_at",  # province_week_status: when the latest ingest run ended
}
VOLATILE_TABLES = {"province_ingest_outcomes"}  # one row per run, by design
TEMPORARY = (".tmp", ".part", ".tmp.wal")


def run_cycle(data: Path, crash_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "MOHA_DATA_DIR": str(data)}
    env.pop("MOHA_CRASH_AT", None)
    if crash_at and crash_at != "dbt":
        env["MOHA_CRASH_AT"] = crash_at
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_cycle", str(data), *map(str, WEEKS)],
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,  # its own process group: a kill takes the cycle and its children
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_during_dbt(process: subprocess.Popen, data: Path, timeout: float = 600) -> None:
    """SIGKILL the group once dbt has built a few models (dbt.log shows them)."""
    log = data / "warehouse" / "dbt" / "logs" / "dbt.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the cycle ended before dbt could be killed"
        children = psutil.Process(process.pid).children(recursive=True)
        running = [c for c in children if "dbt" in " ".join(c.cmdline())]
        built = log.read_text(errors="replace").count("OK created") if log.exists() else 0
        if running and built >= 5:
            os.killpg(process.pid, signal.SIGKILL)
            return
        time.sleep(0.2)
    raise AssertionError("dbt never got far enough to be killed")


def finish(process: subprocess.Popen, timeout: float = 900) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err


def published(data: Path) -> dict[str, object]:
    """Every published file's bytes digest; the manifest without its run-specific fields."""
    out: dict[str, object] = {}
    for path in sorted((data / "outbox").rglob("*")):
        if not path.is_file():
            continue
        key = str(path.relative_to(data / "outbox"))
        if path.name == "manifest.json":
            manifest = json.loads(path.read_text(encoding="utf-8"))
            manifest.pop("generated_at")
            manifest["approval"].pop("at")
            for field in ("data_docs", "gate_report", "gate_report_json"):
                manifest["quality"].pop(field)
            out[key] = manifest
        else:
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def warehouse(data: Path) -> dict[str, list]:
    """Every table of the analysts' copy, sorted, without the columns that stamp a run."""
    tables: dict[str, list] = {}
    with duckdb.connect(str(data / "warehouse" / "moha_analyst.duckdb"), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
        for schema, table in names:
            if table in VOLATILE_TABLES:
                continue
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if c not in VOLATILE_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{schema}"."{table}"').fetchall()
            tables[f"{schema}.{table}"] = sorted(rows, key=repr)
    return tables


def temporaries(data: Path) -> list[str]:
    return sorted(
        str(p.relative_to(data))
        for p in data.rglob("*")
        if p.name.endswith(TEMPORARY) or p.name.startswith(".tmp-")
    )


def landed(data: Path) -> list[str]:
    return sorted(str(p.relative_to(data)) for p in (data / "landing").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """The same simulated inbox in two data folders: one for the reference, one to crash."""
    import shutil

    import simulator
    from tests.support.e2e import data_dir

    root = tmp_path_factory.mktemp("crash")
    with data_dir(root / "reference") as settings:
        simulator.simulate(settings, WEEKS, PROVINCES, seed=3, fault_rate=0.3)
    shutil.copytree(root / "reference" / "inbox", root / "crashed" / "inbox")
    for source in (root / "reference" / "inbox").rglob("*"):  # received times are mtimes
        target = root / "crashed" / "inbox" / source.relative_to(root / "reference" / "inbox")
        os.utime(target, (source.stat().st_atime, source.stat().st_mtime))
    return root / "reference", root / "crashed"


def test_kills_at_every_point_then_a_rerun_equal_an_uninterrupted_run(worlds):
    reference, crashed = worlds
    code, err = finish(run_cycle(reference))
    assert code == 0, err[-3000:]

    table = ["| # | kill point | the killed run left | after the next run |", "|---|---|---|---|"]
    left_before: list[str] = []
    for number, point in enumerate(KILL_POINTS, start=1):
        process = run_cycle(crashed, point)
        if point == "dbt":
            kill_during_dbt(process, crashed)
        code, err = finish(process)
        assert code == -signal.SIGKILL, f"{point}: not reached (exit {code}): {err[-3000:]}"
        left = temporaries(crashed)
        swept = [p for p in left_before if p not in left]
        if number > 1:
            table[-1] += f" {len(swept)} of {len(left_before)} removed |"
        table.append(f"| {number} | {point} | {', '.join(left) or 'no temporary file'} |")
        left_before = left
    code, err = finish(run_cycle(crashed))
    assert code == 0, err[-3000:]
    table[-1] += f" {len([p for p in left_before if p not in temporaries(crashed)])} of " + (
        f"{len(left_before)} removed |"
    )
    print("\n" + "\n".join(table))

    assert temporaries(crashed) == [] and temporaries(reference) == []
    assert landed(crashed) == landed(reference)
    assert published(crashed) == published(reference)
    got, want = warehouse(crashed), warehouse(reference)
    assert got.keys() == want.keys()
    assert [t for t in want if got[t] != want[t]] == []
    versions = sorted(
        str(p.relative_to(crashed / "outbox")) for p in (crashed / "outbox").glob("*/v*")
    )
    assert versions == [f"{week}/v1" for week in WEEKS]
