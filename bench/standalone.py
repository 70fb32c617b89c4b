"""`airflow standalone` in a private AIRFLOW_HOME for the benchmarks: start it, drive it through
the REST API, read task timings from its SQLite metadata DB, stop it.

The data folder is a symbolic link (``MOHA_DATA_DIR`` of every task) that the benchmark points at
a fresh copy before each repetition, so one running Airflow serves every repetition.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bench.run_timings import RunTimes, TaskTimes
from core.settings import PROJECT_ROOT
from moha.orchestration import WRITER_POOL
from moha.runtime import DAGS_DIR, SCHEDULER_DEFAULTS, embedded_defaults

VENV_BIN = Path(sys.executable).parent
ROLES = ("scheduler", "dag-processor", "api-server", "triggerer")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _utc(value: str | None) -> float | None:
    """A timestamp from the metadata DB (UTC, with or without offset) as epoch seconds."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def point_link(link: Path, folder: Path) -> None:
    """Atomically (re)point the symbolic link ``link`` at ``folder``."""
    tmp = link.with_name(link.name + ".new")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(folder)
    os.replace(tmp, link)


class Standalone:
    """One ``airflow standalone`` (scheduler, dag-processor, triggerer, api-server, LocalExecutor,
    SQLite), its own process group; :meth:`stop` ends all of it."""

    def __init__(
        self,
        home: Path,
        data_dir: Path,
        *,
        dags_folder: Path = DAGS_DIR,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.home = home
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "standalone.log"
        self.process: subprocess.Popen | None = None
        self._token: str | None = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        env.update(embedded_defaults())
        env["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
        env.update(SCHEDULER_DEFAULTS)  # the project's executor and scheduler settings
        env.update(settings or {})  # what a caller measures instead
        env.update(
            {
                "AIRFLOW_HOME": str(home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder),
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__API__BASE_URL": self.base,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base}/execution/",
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
                "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
                "MOHA_DATA_DIR": str(data_dir),
                "MOHA_SCHEDULES": "off",  # only the runs the benchmark triggers
                "MOHA_RETRY_DELAY_SECONDS": "5",
                "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                "PYTHONPATH": str(PROJECT_ROOT),
            }
        )
        self.env = env

    # -- life cycle ------------------------------------------------------------------------------

    def airflow(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [str(VENV_BIN / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=PROJECT_ROOT,
        )
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, dag_ids: tuple[str, ...], timeout: float = 900) -> float:
        """Migrate, create the writer pool, start standalone, wait until the API answers and
        ``dag_ids`` are parsed; returns the seconds it took."""
        started = time.perf_counter()
        self.home.mkdir(parents=True, exist_ok=True)
        self.airflow("db", "migrate")
        self.airflow("pools", "set", WRITER_POOL, "1", "One writer at a time on the DuckDB file")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "airflow"), "standalone"],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches every component
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            with contextlib.suppress(OSError, RuntimeError):
                if all(self.api("GET", f"/api/v2/dags/{d}") for d in dag_ids):
                    return time.perf_counter() - started
            with contextlib.suppress(sqlite3.Error):
                if errors := self.query("SELECT filename, stacktrace FROM import_error"):
                    raise RuntimeError(f"DAG import errors: {errors}")
            time.sleep(2)
        raise RuntimeError(f"standalone not ready after {timeout:.0f} s\n{self.tail()}")

    def stop(self, timeout: float = 60) -> None:
        """SIGINT to the whole process group (SIGTERM would leave task processes), then SIGKILL
        what is left."""
        if self.process is None:
            return
        import psutil

        try:
            tree = [psutil.Process(self.process.pid)]
            tree += tree[0].children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        for _ in range(2):  # standalone's parent may need a second Ctrl-C
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout / 2)
                break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        _, alive = psutil.wait_procs(tree, timeout=5)
        for straggler in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                straggler.kill()
        self.process = None

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each component: the scheduler itself, the
        task processes (LocalExecutor workers and the tasks they ran), the dag-processor, the
        api-server and the triggerer, each with the children it has reaped."""
        import psutil

        totals: dict[str, float] = defaultdict(float)
        if self.process is None:
            return {}
        try:
            parent = psutil.Process(self.process.pid)
            components = parent.children()
        except psutil.NoSuchProcess:
            return {}
        for component in components:
            try:
                role = next(
                    (r for r in ROLES if r in " ".join(component.cmdline())), component.name()
                )
                tree = [component, *component.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            for process in tree:
                try:
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                own = times.user + times.system
                reaped = times.children_user + times.children_system
                kind = "tasks" if role == "scheduler" and process is not component else role
                totals[kind] += own + reaped
        return {k: round(v, 1) for k, v in totals.items()}

    def _check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"standalone exited ({self.process.returncode})\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # -- REST API --------------------------------------------------------------------------------

    def api(self, method: str, path: str, body: dict | None = None) -> dict | None:
        """One call; None for 404. Authenticates once (all-admins mode of the private instance)."""
        if self._token is None:
            with urllib.request.urlopen(f"{self.base}/auth/token", timeout=10) as answer:
                self._token = json.loads(answer.read())["access_token"]
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from error

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

    def trigger(self, dag_id: str, run_id: str, conf: dict | None = None) -> float:
        """Create a manual run now; returns the wall-clock time (epoch) of the request."""
        sent = time.time()
        self.api(
            "POST",
            f"/api/v2/dags/{dag_id}/dagRuns",
            {"dag_run_id": run_id, "logical_date": None, "conf": conf or {}},
        )
        return sent

    def run_state(self, dag_id: str, run_id: str) -> str | None:
        rows = self.query(
            "SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", (dag_id, run_id)
        )
        return rows[0][0] if rows else None

    def wait_run(self, dag_id: str, run_id: str, timeout: float = 900, every: float = 0.25) -> str:
        """Poll the metadata DB (not the API: its requests would cost the api-server CPU that
        the tasks need) until the run ends; returns its state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            state = self.run_state(dag_id, run_id)
            if state in {"success", "failed"}:
                return state
            time.sleep(every)
        raise RuntimeError(f"{dag_id} {run_id} not finished after {timeout:.0f} s\n{self.tail()}")

    # -- the metadata DB (read-only) --------------------------------------------------------------

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        db = self.home / "airflow.db"
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def asset_triggered_run(self, dag_id: str, source_run_id: str) -> str | None:
        """The run of ``dag_id`` started by an Asset event that ``source_run_id`` emitted."""
        rows = self.query(
            "SELECT dr.run_id FROM dag_run dr "
            "JOIN dagrun_asset_event dae ON dae.dag_run_id = dr.id "
            "JOIN asset_event ae ON ae.id = dae.event_id "
            "WHERE dr.dag_id = ? AND ae.source_run_id = ?",
            (dag_id, source_run_id),
        )
        return rows[0][0] if rows else None

    def wait_asset_run(self, dag_id: str, source_run_id: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            found = self.asset_triggered_run(dag_id, source_run_id)
            if found:
                return found
            time.sleep(0.25)
        raise RuntimeError(f"no {dag_id} run from {source_run_id} after {timeout:.0f} s")

    def runs(self, run_ids: list[str]) -> list[RunTimes]:
        marks = ",".join("?" * len(run_ids))
        return [
            RunTimes(d, r, t, s, _utc(q), _utc(b), _utc(e))
            for d, r, t, s, q, b, e in self.query(
                "SELECT dag_id, run_id, run_type, state, queued_at, start_date, end_date "
                f"FROM dag_run WHERE run_id IN ({marks}) ORDER BY id",
                tuple(run_ids),
            )
        ]

    def work_seconds(self, run_ids: list[str]) -> dict[tuple[str, str, int], float]:
        """What each task's own function said its work took, from its returned XCom (a dict
        with ``seconds``, or ``started_at`` and ``finished_at``): by (run id, task id, map
        index)."""
        marks = ",".join("?" * len(run_ids))
        work = {}
        for run_id, task_id, map_index, value in self.query(
            "SELECT run_id, task_id, map_index, value FROM xcom "
            f"WHERE run_id IN ({marks}) AND key = 'return_value'",
            tuple(run_ids),
        ):
            found = json.loads(value) if isinstance(value, str | bytes) else value
            if not isinstance(found, dict):
                continue
            if isinstance(found.get("seconds"), int | float):
                work[(run_id, task_id, map_index)] = float(found["seconds"])
            elif found.get("started_at") and found.get("finished_at"):
                work[(run_id, task_id, map_index)] = _utc(found["finished_at"]) - _utc(
                    found["started_at"]
                )
        return work

    def task_instances(self, run_ids: list[str]) -> list[TaskTimes]:
        marks = ",".join("?" * len(run_ids))
        return [
            TaskTimes(d, r, t, m, s, n, _utc(q), _utc(b), _utc(e))
            for d, r, t, m, s, n, q, b, e in self.query(
                "SELECT dag_id, run_id, task_id, map_index, state, try_number, queued_dttm, "
                f"start_date, end_date FROM task_instance WHERE run_id IN ({marks})",
                tuple(run_ids),
            )
        ]
