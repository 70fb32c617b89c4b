"""Load staged files into the warehouse, run one dbt build, then swap in the analysts' copy."""

from __future__ import annotations

from airflow.sdk import Asset, dag, task

from moha.orchestration import (
    STAGED_FILES_ASSET,
    START_DATE,
    WAREHOUSE_ASSET,
    default_args,
    warehouse_task_options,
)

STAGED_FILES = Asset(STAGED_FILES_ASSET)
WAREHOUSE = Asset(WAREHOUSE_ASSET)


@dag(
    dag_id="build_warehouse",
    schedule=[STAGED_FILES],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["moha", "warehouse"],
    doc_md=__doc__,
)
def build_warehouse():
    @task(**warehouse_task_options())
    def load_staged() -> dict:
        from moha.settings import load_settings
        from warehouse.load import load_staged as load

        return load(load_settings())

    @task(**warehouse_task_options())
    def dbt_build(loaded: dict) -> dict:
        from moha.settings import load_settings
        from warehouse.dbt import run_dbt_build

        return run_dbt_build(load_settings())

    @task(outlets=[WAREHOUSE], **warehouse_task_options())
    def refresh_analyst_copy(built: dict) -> dict:
        from moha.settings import load_settings
        from warehouse.snapshot import publish_analyst_copy

        return publish_analyst_copy(load_settings())

    refresh_analyst_copy(dbt_build(load_staged()))


build_warehouse()
