"""One province's unreadable file and another's wrong-folder file never hold back the others."""

from __future__ import annotations

import hashlib
import os
import shutil

import duckdb
import pytest

from core.weeks import IsoWeek
from ingestion.intake.filenames import parse_file_name
from tests.support.e2e import data_dir, run_dag

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

WEEK = IsoWeek.parse("2025-W35")
PROVINCES = ["01", "11", "79", "96"]


def _staged_digest(settings) -> dict[str, str]:
    """Staged data files; staged/outcomes/ (a record of every ingest run) is left out."""
    return {
        str(p.relative_to(settings.staged)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(settings.staged.rglob("*.parquet"))
        if p.relative_to(settings.staged).parts[0] != "outcomes"
    }


def test_bad_files_are_rejected_alone_and_redelivery_changes_nothing(tmp_path):
    import simulator

    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], PROVINCES, seed=5, fault_rate=0.0)
        good = {
            p.parent.name: sorted(f.name for f in p.parent.iterdir())
            for p in settings.inbox.glob("*/*")
        }
        (settings.inbox / "01" / f"vuong_mac_{WEEK}_v7.xlsx").write_bytes(b"PK\x03\x04 broken")
        theirs = next(
            p
            for p in sorted((settings.inbox / "79").iterdir())
            if getattr(parse_file_name(p.name), "kind", None) == "staffing"
        )
        shutil.copy(theirs, settings.inbox / "11" / f"staffing_{WEEK}_v8{theirs.suffix}")

        run_dag("ingest_province_files", {"week": str(WEEK)})
        run_dag("build_warehouse")

        with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
            registry = {
                (p, f): s
                for p, f, s in con.sql(
                    "select province_code, file_name, status from file_registry"
                ).fetchall()
            }
            reasons = dict(
                con.sql("""select province_code || '/' || file_name, reason_code
                                      from rejections where source_row is null""").fetchall()
            )
            present = con.execute(f"""select count(*) from province_weekly
                                      where week = '{WEEK}' and files_received = 3""").fetchone()[0]
        assert reasons == {
            f"01/vuong_mac_{WEEK}_v7.xlsx": "unreadable_file",
            f"11/staffing_{WEEK}_v8{theirs.suffix}": "wrong_province_file",
        }
        for province, names in good.items():
            for name in names:
                assert registry[(province, name)] == "accepted", (province, name)
        assert present == len(PROVINCES)
        assert len(list(settings.landing.rglob(f"vuong_mac_{WEEK}_v7.xlsx"))) == 1

        before = _staged_digest(settings)
        for path in settings.inbox.rglob("*"):  # the same bytes delivered again, later
            if path.is_file():
                os.utime(path)
        run_dag("ingest_province_files", {"week": str(WEEK)})
        assert _staged_digest(settings) == before
