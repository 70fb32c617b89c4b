"""The process environment Airflow and dbt need, set before either is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT
from moha.orchestration import WRITER_POOL

DAGS_DIR = PROJECT_ROOT / "dags"


_DEFAULTS = {
    "AIRFLOW_HOME": str(PROJECT_ROOT / ".airflow"),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
    "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    # Airflow's own chatter stays quiet; inside tasks the pipeline's loggers write INFO lines
    # (moha.tasklog).
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "GX_ANALYTICS_ENABLED": "False",
}


SCHEDULER_DEFAULTS: dict[str, str] = {
    # Tasks fork from LocalExecutor workers that already imported pandas, pyarrow, DuckDB, GX…
    "AIRFLOW__CORE__EXECUTOR": "moha.executors.PreloadedLocalExecutor",
    # The scheduler sleeps this long when a loop found nothing to do; each dependent task (and
    # the Asset-triggered build) waits up to one sleep. Default 1 s.
    "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.25",
    # A task's supervisor notices that the finished task process exited only when its select()
    # times out, up to this interval (default 5 s): a third of the province tasks held their
    # worker slot ~5 s after finishing. 1 s costs one heartbeat a second on long tasks.
    "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
    # The three DAG files change only on deploy: re-parse every 5 min, not every 30 s (each
    # parse costs CPU the tasks need on a small machine). New files are found every 5 min too.
    "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",
    "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
}
"""Settings for a real scheduler (``airflow standalone``), measured by benchmark figure 3b
(bench/README.md); ``dag.test()`` ignores them, scale-out mode sets its own (deploy/)."""


def embedded_defaults() -> dict[str, str]:
    """The environment the embedded mode sets when nothing else is given."""
    return dict(_DEFAULTS)


def configure_environment() -> None:
    """Fill in the embedded defaults; variables already set (e.g. scale-out mode) win."""
    for key, value in {**_DEFAULTS, **SCHEDULER_DEFAULTS}.items():
        os.environ.setdefault(key, value)
    if os.environ["AIRFLOW__CORE__DAGS_FOLDER"] == str(DAGS_DIR):
        Path(os.environ["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)


def ensure_airflow_db() -> None:
    """Create or upgrade Airflow's metadata database (SQLite by default) once per AIRFLOW_HOME."""
    configure_environment()
    home = Path(os.environ["AIRFLOW_HOME"])
    marker = home / ".migrated"
    if marker.exists():
        return
    airflow = str(Path(sys.executable).with_name("airflow"))
    for command in (
        [airflow, "db", "migrate"],
        [airflow, "pools", "set", WRITER_POOL, "1", "One writer at a time on the DuckDB file"],
    ):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"`{' '.join(command[1:])}` failed:\n{result.stderr[-2000:]}")
    marker.write_text("ok\n")


SCHEDULED_DEPLOYMENT = {
    # A person at the ministry approves each week's package before it is published (the
    # embedded `moha run` approves automatically and says so in the manifest).
    "MOHA_PUBLISH_APPROVAL": "required",
}
"""What ``make airflow`` (the scheduled deployment on one machine) sets unless given."""


def exec_airflow(*args: str) -> None:
    """Replace this process with ``airflow <args>`` (e.g. ``standalone``) under the project's
    environment (:func:`configure_environment`) and :data:`SCHEDULED_DEPLOYMENT`, after
    migrating its metadata DB once."""
    for key, value in SCHEDULED_DEPLOYMENT.items():
        os.environ.setdefault(key, value)
    ensure_airflow_db()
    bin_dir = str(Path(sys.executable).parent)
    # standalone starts its components by calling `airflow`: the venv's must come first
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    os.execve(str(Path(bin_dir) / "airflow"), ["airflow", *args], env)
