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
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "GX_ANALYTICS_ENABLED": "False",
}


def configure_environment() -> None:
    """Fill in the embedded defaults; variables already set (e.g. scale-out mode) win."""
    for key, value in _DEFAULTS.items():
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
