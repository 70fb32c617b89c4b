"""A simulated quarter run through Airflow once per session, shared by the end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from unittest import mock

import pytest

from core.settings import Settings
from core.weeks import week_range
from tests.support import hostile, real_forms
from tests.support.e2e import Quarter, data_dir, run_dag

QUARTER = "2025-W35:2025-W47"
SEED = 7


@pytest.fixture(scope="session")
def quarter(tmp_path_factory) -> Quarter:
    """34 provinces × 13 weeks with faults: the first week through the whole weekly cycle, then
    the rest of the quarter ingested and built at once and every week published."""
    import simulator
    from moha.cycle import run_week

    root = tmp_path_factory.mktemp("quarter") / "data"
    weeks = week_range(QUARTER)
    timings: dict[str, float] = {}
    with data_dir(root) as settings:
        started = time.perf_counter()
        simulator.simulate(settings, weeks, seed=SEED)
        timings["simulate"] = time.perf_counter() - started
        started = time.perf_counter()
        run_week(weeks[0])
        timings["first week cycle"] = time.perf_counter() - started
        started = time.perf_counter()
        run_dag("ingest_province_files")
        timings["ingest rest of quarter"] = time.perf_counter() - started
        started = time.perf_counter()
        run_dag("build_warehouse")
        timings["build"] = time.perf_counter() - started
        started = time.perf_counter()
        for week in weeks[1:]:
            run_dag("publish_weekly_aggregate", {"week": str(week)})
        timings["publish 12 weeks"] = time.perf_counter() - started
    print("\nquarter timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    return Quarter(settings, weeks, timings)


@pytest.fixture
def quarter_env(quarter: Quarter, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    """The quarter, with MOHA_DATA_DIR pointing at it for tasks run inside the test."""
    monkeypatch.setenv("MOHA_DATA_DIR", str(quarter.settings.data_dir))
    return quarter


DEMO_WEEK = "2025-W40"
DEMO_PROVINCES = ["01", "11", "48", "79"]


@pytest.fixture(scope="session")
def demo_week(tmp_path_factory) -> Settings:
    """A small demo-like warehouse: week 2025-W40 of four provinces (the example week of
    docs/analysts.md), simulated with faults, ingested, built and published by the pipeline's own
    functions (no Airflow), dbt docs generated."""
    import simulator
    from core.weeks import IsoWeek
    from ingestion.province import process_province
    from publishing import GateFailed
    from publishing.publish import publish_week
    from warehouse.dbt import generate_docs
    from warehouse.refresh import refresh

    root = tmp_path_factory.mktemp("demo_week") / "data"
    week = IsoWeek.parse(DEMO_WEEK)
    with data_dir(root) as settings:
        simulator.simulate(settings, [week], DEMO_PROVINCES, seed=SEED)
        for province in DEMO_PROVINCES:
            process_province(settings, province, week)
        refresh(settings)
        with contextlib.suppress(GateFailed):  # a blocked gate still writes its report
            publish_week(settings, week)
        generate_docs(settings)
    return settings


@dataclass
class PlantedRun:
    """Good simulated provinces, the hostile corpus and the real form layouts, ingested, built
    and published in one Airflow run; the registry by (province, file name) and every
    rejection, as the warehouse holds them."""

    settings: Settings
    cases: list[hostile.Case]
    forms: list[real_forms.RealForm]
    registry: dict[tuple[str, str], tuple]
    rejections: list[tuple]


REGISTRY_SQL = (
    "select province_code, file_name, status, file_reason_code, rows_accepted, warnings, "
    "landing_path, rows_rejected, rows_skipped, kind, week, sheet_name from file_registry"
)
REJECTIONS_SQL = (
    "select province_code, file_name, source_row, reason_code, message_vi, value, column_name "
    "from rejections order by province_code, file_name, source_row nulls first"
)


@pytest.fixture(scope="session")
def real_form_corpus(tmp_path_factory) -> list[real_forms.RealForm]:
    """The real form layouts, built once a session (one LibreOffice batch per format)."""
    return real_forms.build_corpus(tmp_path_factory.mktemp("real_forms"))


@pytest.fixture(scope="session")
def planted_run(tmp_path_factory, real_form_corpus) -> PlantedRun:
    """One ingest, one build and one publish for the hostile corpus and the real forms (CI time
    is tight: they share the run, each in provinces of its own)."""
    import duckdb

    import simulator

    root = tmp_path_factory.mktemp("planted")
    forms = real_form_corpus
    timeout = {"MOHA_PARSE_TIMEOUT_SECONDS": str(hostile.PARSE_TIMEOUT_SECONDS)}
    with mock.patch.dict(os.environ, timeout), data_dir(root / "data") as settings:
        simulator.simulate(
            settings, [hostile.WEEK], list(hostile.GOOD_PROVINCES), seed=11, fault_rate=0.0
        )
        cases = hostile.build_corpus()
        hostile.place(settings, cases, root / "outside")
        real_forms.place(settings, forms)
        run_dag("ingest_province_files")  # every file, whatever week its name says
        run_dag("build_warehouse")
        run_dag("publish_weekly_aggregate", {"week": str(hostile.WEEK)})
    with duckdb.connect(str(settings.analyst_path), read_only=True) as con:
        registry = {(row[0], row[1]): row for row in con.execute(REGISTRY_SQL).fetchall()}
        rejections = con.execute(REJECTIONS_SQL).fetchall()
    return PlantedRun(settings, cases, forms, registry, rejections)
