"""Load staged files into the warehouse, run one dbt build, then swap in the analysts' copy; then
rewrite the provinces' weekly summaries whose values to check again changed."""

from __future__ import annotations

from airflow.sdk import Asset, chain, dag, task

from moha.orchestration import (
    STAGED_FILES_ASSET,
    WAREHOUSE_ASSET,
    dag_policy,
    warehouse_task_options,
)
from warehouse.refresh import STEPS

STAGED_FILES = Asset(STAGED_FILES_ASSET)
WAREHOUSE = Asset(WAREHOUSE_ASSET)


@dag(
    dag_id="build_warehouse",
    schedule=[STAGED_FILES],
    **dag_policy("warehouse"),
    doc_md=__doc__,
)
def build_warehouse():
    @task(multiple_outputs=False, **warehouse_task_options())
    def warehouse_step(step: str) -> dict:
        from core.settings import load_settings
        from warehouse.refresh import run_step

        return run_step(step, load_settings()).to_json()

    @task(**warehouse_task_options())
    def values_to_check() -> int:
        from core.settings import load_settings
        from moha.values_to_check import rewrite_summaries

        return len(rewrite_summaries(load_settings()))

    # One task per step of warehouse.refresh.STEPS, in its order; the last announces the Asset.
    steps = list(STEPS)
    chain(
        *(
            warehouse_step.override(task_id=step, outlets=[WAREHOUSE] if step == steps[-1] else [])(
                step
            )
            for step in steps
        ),
        values_to_check(),
    )


build_warehouse()
