"""Through Airflow: every province task stages its outcome (failed ones too), the Asset is emitted
only when a file landed, and a failed task mails its alert."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy

import duckdb
import pytest

from core.weeks import IsoWeek
from tests.support.e2e import data_dir, run_dag

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

WEEK = IsoWeek.parse("2025-W35")


def _asset_events(uri: str) -> int:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        return (
            session.query(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.name == uri)
            .count()
        )


def _task_state(outcome, task_id: str) -> str:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        run = (
            session.query(DagRun)
            .filter(DagRun.dag_id == outcome.dag_id)
            .order_by(DagRun.id.desc())
            .first()
        )
        return str(run.get_task_instance(task_id, session=session).state)


def test_asset_only_when_a_file_landed_and_outcomes_reach_the_warehouse(tmp_path):
    import simulator
    from moha.orchestration import STAGED_FILES_ASSET
    from moha.runtime import ensure_airflow_db

    ensure_airflow_db()
    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], ["01", "11"], seed=3, fault_rate=0.0)
        before = _asset_events(STAGED_FILES_ASSET)

        first = run_dag("ingest_province_files", {"week": str(WEEK)})
        assert _task_state(first, "announce_staged_files") == "success"
        assert _asset_events(STAGED_FILES_ASSET) == before + 1

        second = run_dag("ingest_province_files", {"week": str(WEEK)})
        assert _task_state(second, "announce_staged_files") == "skipped"
        assert _asset_events(STAGED_FILES_ASSET) == before + 1  # nothing new: no build

        run_dag("build_warehouse")
        with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
            rows = con.sql(
                "select province_code, files_landed, files_skipped, status, warnings "
                "from province_ingest_outcomes where province_code in ('01', '11') "
                "order by finished_at, province_code"
            ).fetchall()
            runs = con.execute(
                "select count(distinct run_id) from province_ingest_outcomes"
            ).fetchone()
        assert runs == (2,)
        landed = [r for r in rows if r[1] > 0]
        assert {r[0] for r in landed} == {"01", "11"} and all(r[3] == "succeeded" for r in rows)
        # the files the simulator dropped (three tables, and a report inside a wave)
        sent = {
            pp: sum(p.is_file() for p in (settings.inbox / pp).iterdir()) for pp in ("01", "11")
        }
        assert min(sent.values()) >= 3
        assert {r[0]: r[2] for r in rows if r[1] == 0} == sent  # the rerun skips every one
        assert all(r[4] is None for r in rows)  # every answer reached the local drops


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_province_is_recorded_and_its_alert_mailed(tmp_path, monkeypatch):
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sources = tmp_path / "sources.yml"
        sources.write_text(
            "default:\n  url: '{data_dir}/inbox/{province_code}'\n"
            "provinces:\n  '11':\n    url: 'nosuchprotocol://drop/11'\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("MOHA_SOURCES_FILE", str(sources))
        monkeypatch.setenv("MOHA_ALERT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("MOHA_ALERT_SMTP_PORT", str(port))
        monkeypatch.setenv("MOHA_ALERT_SMTP_TO", "truc-ban@moha.gov.vn")
        with data_dir(tmp_path / "data") as settings:
            from moha.cycle import load_dags
            from moha.cycle import run_dag as run

            outcome = run(load_dags(("ingest_province_files",))["ingest_province_files"], None)
            assert outcome.state == "success"  # one failed province is under the limit
            assert outcome.failed_tasks == ["ingest_province[11 Điện Biên]"]
            deadline = time.monotonic() + 10
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.1)
            run_dag("build_warehouse")
            with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
                failed = con.sql(
                    "select province_code, status, error from province_ingest_outcomes "
                    "where status = 'failed'"
                ).fetchall()
    finally:
        controller.stop()

    assert [m["Subject"] for m in inbox.messages] == [
        "[moha] ingest_province_files.ingest_province[11 Điện Biên] failed (try 3)"
    ]
    body = inbox.messages[0].get_content()
    assert "dag_id: ingest_province_files" in body and "log_url: http" in body
    assert "nosuchprotocol" in body
    assert {(p, s) for p, s, _ in failed} == {("11", "failed")}  # each try staged, one row
    assert all("cannot list nosuchprotocol://drop/11" in e for _, _, e in failed)
