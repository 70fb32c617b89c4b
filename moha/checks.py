"""Reachability checks for the services a deployment needs, reported as plain sentences."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from core.settings import Settings

TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Check:
    name: str
    target: str
    ok: bool
    detail: str


def _tcp(host: str, port: int) -> str | None:
    """None when a TCP connection opens, else why it did not."""
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_SECONDS):
            return None
    except OSError as error:
        return error.strerror or type(error).__name__


def check_postgres(name: str, dsn_parts: dict) -> Check:
    target = (
        f"postgresql://{dsn_parts.get('user', '')}@{dsn_parts['host']}:{dsn_parts['port']}/"
        f"{dsn_parts['dbname']}"
    )
    refused = _tcp(dsn_parts["host"], int(dsn_parts["port"]))
    if refused:
        return Check(name, target, False, f"cannot reach PostgreSQL: {refused}")
    import psycopg2

    try:
        psycopg2.connect(connect_timeout=TIMEOUT_SECONDS, **dsn_parts).close()
    except psycopg2.OperationalError as error:
        return Check(name, target, False, str(error).strip().splitlines()[0])
    return Check(name, target, True, "connected")


def _postgres_url_parts(url: str) -> dict:
    parts = urlsplit(url.replace("db+", "", 1))
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
        "dbname": parts.path.lstrip("/") or "postgres",
    }


def check_metadata_db(environ: dict) -> Check:
    url = environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")
    if not url or url.startswith("sqlite"):
        home = Path(environ.get("AIRFLOW_HOME", "~/airflow")).expanduser()
        return Check("Airflow metadata", url or f"sqlite in {home}", True, "embedded SQLite")
    if url.startswith("postgresql"):
        return check_postgres("Airflow metadata", _postgres_url_parts(url))
    return Check("Airflow metadata", url.split("@")[-1], False, "unsupported database URL")


def check_broker(environ: dict) -> Check | None:
    if "Celery" not in environ.get("AIRFLOW__CORE__EXECUTOR", ""):
        return None
    url = environ.get("AIRFLOW__CELERY__BROKER_URL", "")
    parts = urlsplit(url)
    target = f"{parts.scheme}://{parts.hostname}:{parts.port}"
    if parts.scheme != "redis":
        refused = _tcp(parts.hostname or "127.0.0.1", parts.port or 5672)
        return Check("Celery broker", target, refused is None, refused or "reachable")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS).ping()
    except redis.RedisError as error:
        return Check("Celery broker", target, False, f"cannot reach Redis: {error}")
    return Check("Celery broker", target, True, "PING answered")


def check_warehouse(settings: Settings) -> Check:
    if settings.warehouse_target == "postgres":
        from warehouse.postgres import CONNECTION_VARIABLES

        result = check_postgres("Warehouse", settings.postgres.connect_kwargs())
        if result.ok:
            return result
        return Check(
            result.name,
            result.target,
            False,
            f"{result.detail}; check {', '.join(CONNECTION_VARIABLES)}",
        )
    if settings.warehouse_target != "duckdb":
        return Check(
            "Warehouse",
            f"MOHA_WAREHOUSE={settings.warehouse_target}",
            False,
            "unknown warehouse target: expected duckdb or postgres",
        )
    folder = settings.warehouse_dir
    folder.mkdir(parents=True, exist_ok=True)
    writable = os.access(folder, os.W_OK)
    return Check(
        "Warehouse",
        str(settings.warehouse_path),
        writable,
        "DuckDB file, folder writable" if writable else "folder is not writable",
    )


def check_data_dir(settings: Settings) -> Check:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        probe = settings.data_dir / ".write-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        return Check("Shared data directory", str(settings.data_dir), False, str(error))
    return Check("Shared data directory", str(settings.data_dir), True, "writable")


def run_checks(
    settings: Settings, environ: dict | None = None, airflow_only: bool = False
) -> list[Check]:
    env = dict(os.environ if environ is None else environ)
    checks = [check_metadata_db(env)]
    broker = check_broker(env)
    if broker:
        checks.append(broker)
    if not airflow_only:
        checks += [check_data_dir(settings), check_warehouse(settings)]
    return checks
