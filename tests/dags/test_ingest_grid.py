"""Through Airflow: an ingest run with rejected files ends success with the `rejected_files` task
skipped (it stands out in the grid) naming them, province tasks labelled with their rejections,
and a run for one week carries the week in its conf (its id is Airflow's own)."""

from __future__ import annotations

import pytest

from core.weeks import IsoWeek
from tests.support.e2e import data_dir, run_dag

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

WEEK = IsoWeek.parse("2025-W35")


def _instances(run_id: str) -> dict[str, tuple[str, str | None]]:
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = session.query(TaskInstance).filter(TaskInstance.run_id == run_id).all()
        return {
            f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]": (str(ti.state), ti.task_id)
            for ti in rows
        }


def _conf(run_id: str) -> dict | None:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        return session.query(DagRun).filter(DagRun.run_id == run_id).one().conf


def test_rejected_files_stand_out_while_the_run_succeeds(tmp_path):
    import simulator

    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], ["01", "11"], seed=3, fault_rate=0.0)
        first = run_dag("ingest_province_files", {"week": str(WEEK)})
        assert first.run_id.startswith("manual__")
        assert _conf(first.run_id) == {"week": str(WEEK)}
        assert first.skipped_tasks == []  # nothing rejected: rejected_files is green

        (settings.inbox / "01" / f"vuong_mac_{WEEK}_v7.xlsx").write_bytes(b"PK\x03\x04 broken")
        (settings.inbox / "01" / "bao cao tuan 35.xlsx").write_bytes(b"x")
        second = run_dag("ingest_province_files", {"week": str(WEEK)})

        assert second.state == "success"
        assert second.skipped_tasks == ["rejected_files"]
        states = _instances(second.run_id)
        assert states["rejected_files[-1]"][0] == "skipped"
        assert states["ingest_province[01 Hà Nội · 2 tệp bị từ chối]"][0] == "success"
        assert states["ingest_province[11 Điện Biên]"][0] == "success"
