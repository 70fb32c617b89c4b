"""Scale-out tests: services on 127.0.0.1 (PostgreSQL, Redis), fresh databases, process control.

Every test here is marked ``scale``. When PostgreSQL or Redis cannot be reached the tests are
skipped with a reason starting with :data:`SKIP_PREFIX` (``.ci/run`` treats such a skip on CI as
a failure).
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SKIP_PREFIX = "SCALE SKIPPED:"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": ""}
REDIS_URL = "redis://127.0.0.1:6379/11"
ROOT = Path(__file__).resolve().parents[2]


def _tcp_error(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as error:
        return error.strerror or type(error).__name__


def postgres_missing() -> str | None:
    """Why PostgreSQL at 127.0.0.1:5432 (trust, user postgres) cannot be used, or None."""
    refused = _tcp_error(PG["host"], PG["port"])
    if refused:
        return f"PostgreSQL unreachable at {PG['host']}:{PG['port']} ({refused})"
    import psycopg2

    try:
        psycopg2.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except psycopg2.Error as error:
        return (
            f"PostgreSQL at {PG['host']}:{PG['port']} refused user postgres: "
            f"{str(error).strip().splitlines()[0]}"
        )
    return None


def redis_missing() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis unreachable at 127.0.0.1:6379 ({error})"
    return None


def require(*services: str) -> None:
    """Skip the test (reason starts with SKIP_PREFIX) unless every named service answers."""
    checks = {"postgres": postgres_missing, "redis": redis_missing}
    problems = [why for name in services if (why := checks[name]())]
    if problems:
        pytest.skip(f"{SKIP_PREFIX} {'; '.join(problems)}")


def _admin():
    import psycopg2

    con = psycopg2.connect(dbname="postgres", connect_timeout=5, **PG)
    con.autocommit = True
    return con


def drop_database(name: str) -> None:
    con = _admin()
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        con.close()


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database ``<prefix>_<random>``; dropped on exit, even on failure."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    con = _admin()
    try:
        with con.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        con.close()
    try:
        yield name
    finally:
        drop_database(name)


def warehouse_env(dbname: str) -> dict[str, str]:
    """MOHA_* variables pointing the pipeline at a PostgreSQL warehouse database."""
    return {
        "MOHA_WAREHOUSE": "postgres",
        "MOHA_PG_HOST": PG["host"],
        "MOHA_PG_PORT": str(PG["port"]),
        "MOHA_PG_USER": PG["user"],
        "MOHA_PG_PASSWORD": PG["password"],
        "MOHA_PG_DBNAME": dbname,
        "MOHA_PG_THREADS": "2",
    }


@pytest.fixture
def pg_warehouse(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh PostgreSQL warehouse database, exported through MOHA_PG_* for this test."""
    require("postgres")
    with fresh_database("moha_scale_wh") as name:
        for key, value in warehouse_env(name).items():
            monkeypatch.setenv(key, value)
        yield name


def env_without_scale_settings() -> dict[str, str]:
    """os.environ minus anything that would move a baseline run off the embedded defaults."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIRFLOW__DATABASE__", "AIRFLOW__CELERY__", "MOHA_PG_"))
        and k not in {"AIRFLOW__CORE__EXECUTOR", "MOHA_WAREHOUSE", "AIRFLOW_HOME", "MOHA_DATA_DIR"}
    }
