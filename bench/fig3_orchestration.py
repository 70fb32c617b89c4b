"""Figure 3: the weekly cycle through Airflow (run_week) ÷ the same tasks called directly."""

from __future__ import annotations

from bench import common, pipeline
from core.weeks import IsoWeek

TARGET = 1.5


def run(quick: bool) -> dict:
    from moha.cycle import CycleFailed, run_week
    from simulator import simulate

    reps = 2 if quick else 3
    week = IsoWeek.parse(common.WEEK)
    tmpl = common.new_dir("fig3-template")
    simulate(common.use(tmpl), [week], seed=common.SEED)
    outcomes: dict[str, list] = {"airflow": [], "direct": []}
    warm_dir = None

    def direct(rep: int) -> float:
        folder = common.clone(tmpl, f"fig3-direct-{rep}", ("inbox",))
        common.seed_dbt_parse(warm_dir, folder)
        seconds, out = common.timed(lambda: pipeline.cycle(common.use(folder), week))
        outcomes["direct"].append(out["publish"])
        return seconds

    def airflow(rep: int) -> float:
        folder = common.clone(tmpl, f"fig3-airflow-{rep}", ("inbox",))
        common.seed_dbt_parse(warm_dir, folder)
        common.use(folder)

        def once():
            try:
                return [f"{o.dag_id}:{o.state}:{o.seconds:.1f}s" for o in run_week(week)]
            except CycleFailed as failed:
                return [f"failed: {failed}"[:300]]

        seconds, out = common.timed(once)
        outcomes["airflow"].append(out)
        if out and out[0].startswith("failed"):
            # A failed run is not a fast run: report the figure as an error, never a ratio.
            raise RuntimeError(f"Airflow run {rep} {out[0]}")
        return seconds

    # Warm both paths once (imports, Airflow metadata DB, DAG parsing, dbt partial parse).
    direct(-1)
    warm_dir = next(common.scratch_root().glob("fig3-direct--1-*"))
    airflow(-1)
    outcomes = {"airflow": [], "direct": []}
    flows, directs = common.side_by_side(reps, airflow, direct)
    return common.median_ratio_figure(
        3,
        "Airflow cycle ÷ direct calls",
        reps=reps,
        numerator=common.Side(
            "run_week: dag.test() of the 3 DAGs", flows, {"runs": outcomes["airflow"]}
        ),
        denominator=common.Side(
            "process_province ×34, load, dbt, snapshot, publish",
            directs,
            {"publish": outcomes["direct"]},
        ),
        target=TARGET,
        note="national week; warm (one untimed run of each first); order alternates",
    )
