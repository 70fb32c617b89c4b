"""Figure 5: a 13-week backfill (`moha run --week A:B`) ÷ one week's cycle, both through Airflow."""

from __future__ import annotations

from bench import common
from core.weeks import week_range

TARGET = 4.0
RANGE = "2025-W35:2025-W47"


def _breakdown(outcomes) -> dict:
    """Seconds per kind of DAG run: the ingest, the build, the publishes (summed)."""
    parts: dict[str, float] = {}
    for outcome in outcomes:
        parts[outcome.dag_id] = round(parts.get(outcome.dag_id, 0.0) + outcome.seconds, 2)
    return parts


def run(quick: bool) -> dict:
    from moha.cycle import run_week, run_weeks
    from simulator import simulate

    weeks = week_range(RANGE)
    reps = 1 if quick else 2
    tmpl = common.new_dir("fig5-template")
    simulate(common.use(tmpl), weeks, seed=common.SEED)
    runs: dict[str, list] = {"backfill": [], "week": []}
    warm_dir = None

    def measure(tag: str, rep: int, cycle) -> float:
        folder = common.clone(tmpl, f"fig5-{tag}-{rep}", ("inbox",))
        common.seed_dbt_parse(warm_dir, folder)
        common.use(folder)
        seconds, outcomes = common.timed(cycle)
        runs[tag].append({"seconds": round(seconds, 2), "runs": _breakdown(outcomes)})
        return seconds

    def backfill(rep: int) -> float:
        return measure("backfill", rep, lambda: run_weeks(weeks))

    def one_week(rep: int) -> float:
        return measure("week", rep, lambda: run_week(weeks[0]))

    # Warm once, untimed (imports, Airflow metadata DB, DAG parsing, dbt's partial parse).
    one_week(-1)
    warm_dir = next(common.scratch_root().glob("fig5-week--1-*"))
    runs = {"backfill": [], "week": []}
    backfills, singles = common.side_by_side(reps, backfill, one_week)
    return common.median_ratio_figure(
        5,
        "13-week backfill ÷ one week's cycle",
        reps=reps,
        numerator=common.Side(
            f"moha run --week {RANGE}: one ingest, one build, 13 publishes (dag.test)",
            backfills,
            {"breakdown": runs["backfill"]},
        ),
        denominator=common.Side(
            f"moha run --week {weeks[0]}: ingest, build, publish (dag.test)",
            singles,
            {"breakdown": runs["week"]},
        ),
        target=TARGET,
        note="national, 34 provinces; seconds per DAG in 'breakdown'; week-by-week would be 13×",
    )
