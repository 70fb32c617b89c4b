"""One simulated week through a real scale-out cluster equals the embedded run, cell by cell.

The cluster: Airflow scheduler, dag-processor, triggerer, api-server and one Celery worker, each
started with ``deploy/run-node.sh <role>`` (after ``run-node.sh init``) against a fresh
PostgreSQL metadata database and Redis (db 11, a queue of its own), exactly as an operator would
start them. The weekly cycle is driven as a data engineer would: unpause the three DAGs (cron
schedules off, ``MOHA_SCHEDULES=off``, so no other run competes), trigger
``ingest_province_files`` for the week (REST API), let the Asset start ``build_warehouse``, then
trigger ``publish_weekly_aggregate`` for the week; where the cycle's time went
(``bench.run_timings``) is printed. The published ``province_weekly.csv``,
``national_weekly.csv`` and ``vacancies_by_field.csv`` must equal those of the embedded run
(``moha.cycle.run_week``: ``dag.test()``, SQLite metadata, DuckDB) of the same simulated files,
once with the DuckDB warehouse and once with the PostgreSQL warehouse.

Skipped (reason starting ``SCALE SKIPPED:``) when PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.support.services import (
    PG,
    ROOT,
    drop_database,
    env_without_scale_settings,
    fresh_database,
    require,
    warehouse_env,
)

pytestmark = [pytest.mark.scale, pytest.mark.slow]

WEEK = "2025-W35"
PROVINCES = ["01", "11", "79", "96"]
SEED = 3
PUBLISHED = ("province_weekly.csv", "national_weekly.csv", "vacancies_by_field.csv")
CYCLE = ("ingest_province_files", "build_warehouse", "publish_weekly_aggregate")
ROLES = ("scheduler", "dag-processor", "triggerer", "api-server", "worker")
REDIS_DB = 11
RUN_TIMEOUT = 900  # seconds for one DAG run on a loaded 2-core machine
STOP_TIMEOUT = 30
VENV_BIN = Path(sys.executable).parent
TIMINGS: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    """``command`` run to its end from the repository root, its output kept as text."""
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _copy_inbox(simulated: Path, data_dir: Path) -> None:
    """The same files with the same modification times (= received times)."""
    shutil.copytree(simulated / "inbox", data_dir / "inbox", copy_function=shutil.copy2)


# --- the simulated week and the embedded baseline ------------------------------------------


@pytest.fixture(scope="module")
def services() -> None:
    require("postgres", "redis")


@pytest.fixture(scope="module")
def simulated(services, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.settings import load_settings
    from core.weeks import IsoWeek
    from simulator import simulate

    data = tmp_path_factory.mktemp("simulated") / "data"
    summary = simulate(
        load_settings({"MOHA_DATA_DIR": str(data)}),
        [IsoWeek.parse(WEEK)],
        provinces=PROVINCES,
        seed=SEED,
    )
    assert summary["files_written"] > 0
    return data


@pytest.fixture(scope="module")
def embedded(simulated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """outbox/<week>/v1 of the embedded default run (own data folder, own SQLite AIRFLOW_HOME)."""
    base = tmp_path_factory.mktemp("embedded")
    data = base / "data"
    _copy_inbox(simulated, data)
    env = env_without_scale_settings()
    env.update(
        MOHA_DATA_DIR=str(data), AIRFLOW_HOME=str(base / "airflow"), MOHA_RETRY_DELAY_SECONDS="1"
    )
    code = (
        "from moha.cycle import run_week; from core.weeks import IsoWeek; "
        f"[print(o) for o in run_week(IsoWeek.parse({WEEK!r}))]"
    )
    started = time.perf_counter()
    done = _run([sys.executable, "-c", code], env, timeout=1800)
    TIMINGS["embedded run (subprocess: SQLite migrate + 3 DAGs via dag.test)"] = (
        time.perf_counter() - started
    )
    assert done.returncode == 0, (
        f"embedded run failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    )
    return data / "outbox" / WEEK / "v1"


# --- the cluster -----------------------------------------------------------------------------


class Cluster:
    """Processes started with deploy/run-node.sh; every one is stopped by :meth:`stop`."""

    def __init__(self, base: Path, airflow_db: str, data_dir: Path, warehouse: dict[str, str]):
        self.base = base
        self.logs = base / "logs"
        self.logs.mkdir(parents=True)
        self.airflow_db = airflow_db
        self.data_dir = data_dir
        self.port = _free_port()
        self.queue = f"moha_scale_{secrets.token_hex(4)}"
        pg_url = f"postgresql+psycopg2://{PG['user']}@{PG['host']}:{PG['port']}/{airflow_db}"
        self.values = {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg_url,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{pg_url}",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.queue,  # never share Redis db 11's queue
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{self.port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",  # the test's REST calls
            "AIRFLOW__CORE__PARALLELISM": "8",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
            # as deploy/scale.env.example: task start-up and scheduler latency
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "moha.celery_config.CELERY_CONFIG",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.25",
            "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",
            # Only the runs this test triggers: with the cron schedules on, unpausing also
            # started the hourly ingest and a publish of the real previous week, which took
            # the worker's slots and made the cycle wait for them.
            "MOHA_SCHEDULES": "off",
            "MOHA_DATA_DIR": str(data_dir),
            "MOHA_RETRY_DELAY_SECONDS": "1",
            **warehouse,
        }
        self.env_file = base / "scale.env"
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in self.values.items()))
        self.env = env_without_scale_settings()
        self.env.update(self.values)
        self.env.update(
            MOHA_SCALE_ENV=str(self.env_file),
            AIRFLOW_HOME=str(base / "airflow-home"),
            AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
        )
        self.processes: dict[str, subprocess.Popen] = {}

    def run_node(self, role: str, *args: str) -> subprocess.Popen:
        log = open(self.logs / f"{role}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            ["bash", str(ROOT / "deploy" / "run-node.sh"), role, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: killpg reaches its children
        )
        log.close()
        self.processes[role] = process
        return process

    def init(self) -> None:
        done = _run(["bash", str(ROOT / "deploy" / "run-node.sh"), "init"], self.env, timeout=600)
        assert done.returncode == 0, f"run-node.sh init failed:\n{done.stdout}\n{done.stderr}"

    def trigger(self, dag_id: str, run_id: str, conf: dict) -> None:
        """Trigger through the API server's REST API: an `airflow dags trigger` process would
        add its own start-up (seconds of imports) to the measured cycle."""
        base = f"http://127.0.0.1:{self.port}"
        with urllib.request.urlopen(f"{base}/auth/token", timeout=30) as answer:
            token = json.loads(answer.read())["access_token"]
        request = urllib.request.Request(
            f"{base}/api/v2/dags/{dag_id}/dagRuns",
            method="POST",
            data=json.dumps({"dag_run_id": run_id, "logical_date": None, "conf": conf}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status in (200, 201), answer.read()

    def airflow(self, *args: str) -> str:
        done = _run([str(VENV_BIN / "airflow"), *args], self.env, timeout=300)
        assert done.returncode == 0, f"airflow {' '.join(args)} failed:\n{done.stderr[-3000:]}"
        return done.stdout

    def stop(self) -> None:
        """SIGINT every process group, SIGKILL what is left after STOP_TIMEOUT, reap all."""
        import psutil

        tree: list[psutil.Process] = []
        for process in self.processes.values():
            try:
                parent = psutil.Process(process.pid)
                tree += [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)
        _, alive = psutil.wait_procs(tree, timeout=5)
        for straggler in alive:  # a descendant that left the group (own session)
            with contextlib.suppress(psutil.NoSuchProcess):
                straggler.kill()
        psutil.wait_procs(alive, timeout=5)
        self.processes.clear()
        self._forget_queue()

    def _forget_queue(self) -> None:
        import redis

        try:
            client = redis.Redis.from_url(
                f"redis://127.0.0.1:6379/{REDIS_DB}", socket_connect_timeout=3
            )
            keys = list(client.scan_iter(f"*{self.queue}*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass

    # -- the metadata database ---------------------------------------------------------------

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg2

        con = psycopg2.connect(dbname=self.airflow_db, connect_timeout=5, **PG)
        try:
            with con.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            con.close()

    def check_alive(self) -> None:
        dead = {role: p.returncode for role, p in self.processes.items() if p.poll() is not None}
        assert not dead, f"cluster processes exited: {dead}\n{self.diagnostics()}"

    def wait(self, what: str, condition, timeout: float = RUN_TIMEOUT, every: float = 2.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            result = condition()
            if result:
                return result
            time.sleep(every)
        raise AssertionError(
            f"timed out after {timeout:.0f}s waiting for {what}\n{self.diagnostics()}"
        )

    def run_state(self, dag_id: str, run_id: str) -> str | None:
        rows = self.query(
            "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", (dag_id, run_id)
        )
        return rows[0][0] if rows else None

    def wait_run(self, dag_id: str, run_id: str) -> None:
        state = self.wait(
            f"{dag_id} {run_id} to finish",
            lambda: (s := self.run_state(dag_id, run_id)) in {"success", "failed"} and s,
        )
        assert state == "success", f"{dag_id} {run_id} ended {state}\n{self.diagnostics()}"

    def unfinished_runs(self, dag_ids: tuple[str, ...] = CYCLE) -> list[tuple]:
        return self.query(
            "SELECT dag_id, run_id, state FROM dag_run WHERE dag_id = ANY(%s) "
            "AND state IN ('queued', 'running')",
            (list(dag_ids),),
        )

    def cycle_report(self, started: float, run_ids: list[str]) -> dict:
        """Where the cycle's time went (bench.run_timings), from this cluster's metadata DB."""
        from bench.run_timings import RunTimes, TaskTimes, cycle_report

        def epoch(value):
            return value.timestamp() if value else None

        runs = [
            RunTimes(d, r, t, s, epoch(q), epoch(b), epoch(e))
            for d, r, t, s, q, b, e in self.query(
                "SELECT dag_id, run_id, run_type, state, queued_at, start_date, end_date "
                "FROM dag_run WHERE run_id = ANY(%s) ORDER BY id",
                (run_ids,),
            )
        ]
        tis = [
            TaskTimes(d, r, t, m, s, n, epoch(q), epoch(b), epoch(e))
            for d, r, t, m, s, n, q, b, e in self.query(
                "SELECT dag_id, run_id, task_id, map_index, state, try_number, queued_dttm, "
                "start_date, end_date FROM task_instance WHERE run_id = ANY(%s)",
                (run_ids,),
            )
        ]
        return cycle_report(started, runs, tis)

    def diagnostics(self) -> str:
        lines = []
        try:
            for row in self.query(
                "SELECT dag_id, run_id, run_type, state FROM dag_run ORDER BY id"
            ):
                lines.append(f"run {row}")
            for row in self.query(
                "SELECT dag_id, run_id, task_id, map_index, state, try_number FROM task_instance "
                "WHERE state NOT IN ('success', 'skipped') ORDER BY dag_id, task_id"
            ):
                lines.append(f"task {row}")
        except Exception as error:
            lines.append(f"(metadata unreadable: {error})")
        for log in sorted(self.logs.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-15:]
            lines += [f"--- {log.name}", *tail]
        task_logs = sorted(
            (self.base / "airflow-home" / "logs").rglob("*.log"), key=lambda p: p.stat().st_mtime
        )[-3:]
        for log in task_logs:
            lines += [f"--- {log}", *log.read_text(errors="replace").splitlines()[-25:]]
        return "\n".join(lines)


@pytest.fixture
def cluster_factory(tmp_path: Path) -> Iterator:
    """Builds a started cluster; every process and database is gone after the test, pass or fail."""
    from contextlib import ExitStack

    stack = ExitStack()

    def start(warehouse: str) -> Cluster:
        airflow_db = stack.enter_context(fresh_database("moha_scale_airflow"))
        wh_env = {"MOHA_WAREHOUSE": "duckdb"}
        if warehouse == "postgres":
            wh_env = warehouse_env(stack.enter_context(fresh_database("moha_scale_wh")))
        cluster = Cluster(tmp_path / "cluster", airflow_db, tmp_path / "data", wh_env)
        stack.callback(drop_database, airflow_db)  # again after stop(): no backend left
        stack.callback(cluster.stop)
        cluster.init()
        for role in ROLES:
            cluster.run_node(role)
        return cluster

    try:
        yield start
    finally:
        stack.close()


def _published(folder: Path, name: str) -> pd.DataFrame:
    found = sorted(folder.rglob(name))
    assert len(found) == 1, f"{name} under {folder}: {found}"
    return pd.read_csv(found[0], dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("warehouse", ["duckdb", "postgres"])
def test_cluster_week_equals_embedded_run(
    warehouse: str, services, simulated: Path, embedded: Path, cluster_factory, tmp_path: Path
) -> None:
    started = time.perf_counter()
    _copy_inbox(simulated, tmp_path / "data")
    cluster: Cluster = cluster_factory(warehouse)
    cluster.wait(
        "the three DAGs to be parsed",
        lambda: (
            len(cluster.query("SELECT dag_id FROM dag WHERE dag_id = ANY(%s)", (list(CYCLE),))) == 3
        ),
        timeout=300,
    )
    cluster.wait("the api-server", lambda: _healthy(cluster.port), timeout=300)
    ready = time.perf_counter()
    cluster.airflow(
        "dags", "unpause", "-y", "--treat-dag-id-as-regex", "^(" + "|".join(CYCLE) + ")$"
    )

    conf = {"week": WEEK}
    tag = secrets.token_hex(3)
    ingest_id, publish_id = f"scale_ingest_{tag}", f"scale_publish_{tag}"
    cycle_started, cycle_wall_started = time.perf_counter(), time.time()
    cluster.trigger("ingest_province_files", ingest_id, conf)
    cluster.wait_run("ingest_province_files", ingest_id)

    def build_of_my_ingest() -> str | None:
        rows = cluster.query(
            "SELECT dr.run_id, dr.state FROM dag_run dr "
            "JOIN dagrun_asset_event dae ON dae.dag_run_id = dr.id "
            "JOIN asset_event ae ON ae.id = dae.event_id "
            "WHERE dr.dag_id = 'build_warehouse' AND ae.source_run_id = %s",
            (ingest_id,),
        )
        return rows[0][0] if rows else None

    build_id = cluster.wait("the asset-triggered build_warehouse run", build_of_my_ingest)
    cluster.wait_run("build_warehouse", build_id)
    cluster.trigger("publish_weekly_aggregate", publish_id, conf)
    cluster.wait_run("publish_weekly_aggregate", publish_id)
    cycle_seconds = time.perf_counter() - cycle_started
    assert not cluster.unfinished_runs(), "a run the test did not trigger is running"
    assert {r[0] for r in cluster.query("SELECT run_id FROM dag_run")} == {
        ingest_id,
        build_id,
        publish_id,
    }, "only the triggered runs (and the Asset's build) may exist"
    breakdown = cluster.cycle_report(cycle_wall_started, [ingest_id, build_id, publish_id])

    TIMINGS[f"cluster ({warehouse} warehouse): start-up, init to DAGs parsed"] = ready - started
    TIMINGS[f"cluster ({warehouse} warehouse): weekly cycle, trigger to publish success"] = (
        cycle_seconds
    )
    for dag_id, run_id, run_type, state, seconds in cluster.query(
        "SELECT dag_id, run_id, run_type, state, "
        "extract(epoch FROM end_date - start_date) FROM dag_run ORDER BY id"
    ):
        print(
            f"\n  {dag_id:26} {run_type:15} {state:8} {float(seconds or 0):6.1f}s  {run_id}", end=""
        )
    print(
        "\nwall times (s): "
        + json.dumps({k: round(v, 1) for k, v in TIMINGS.items()}, indent=1, ensure_ascii=False)
    )
    print(f"cycle breakdown ({warehouse} warehouse): " + json.dumps(breakdown, indent=1))

    published = tmp_path / "data" / "outbox" / WEEK / "v1"
    assert published.is_dir(), f"nothing published in {published}"
    for name in PUBLISHED:
        ours, theirs = _published(published, name), _published(embedded, name)
        assert list(ours.columns) == list(theirs.columns), name
        assert ours.shape == theirs.shape, name
        differences = [
            (row, column, theirs.at[row, column], ours.at[row, column])
            for row in range(len(theirs))
            for column in theirs.columns
            if theirs.at[row, column] != ours.at[row, column]
        ]
        assert not differences, f"{name}: (row, column, embedded, cluster) {differences[:20]}"
    # something real was compared: the week's provinces reported
    province = _published(published, "province_weekly.csv")
    assert len(province) == 34
    assert (province.loc[province.province_code.isin(PROVINCES), "files_received"] != "0").any()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5
        ) as answer:
            return answer.status == 200
    except OSError:
        return False
