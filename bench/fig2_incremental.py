"""Figure 2: ingest + build + publish of week 53 after 52 weeks of history ÷ the same for week 1."""

from __future__ import annotations

from bench import common, pipeline
from core import reference
from core.weeks import IsoWeek

TARGET = 1.25
FIRST = "2025-W27"  # the reform's first week (1 July 2025)


def subset(count: int) -> list[str]:
    """``count`` provinces spread over the code list (north to south), the same every run."""
    codes = list(reference.provinces())
    step = max(1, len(codes) // count)
    return codes[::step][:count]


def run(quick: bool) -> dict:
    from simulator import simulate

    n_weeks = 13 if quick else 53
    provinces = subset(3 if quick else 6)
    reps = 2  # each repetition is two full cycles on a year of data; budget-bound
    weeks = [IsoWeek.parse(FIRST).shift(i) for i in range(n_weeks)]
    first, last = weeks[0], weeks[-1]

    tmpl = common.new_dir("fig2-template")
    simulate(common.use(tmpl), weeks, provinces=provinces, seed=common.SEED)

    # Warm-up cycle (untimed): imports (GX, pandas, dbt), and dbt's partial-parse cache.
    warm = common.clone(tmpl, "fig2-warm", ("inbox",))
    pipeline.cycle(common.use(warm), first, provinces)

    # History: every week but the last ingested, one build (untimed).
    history = common.clone(tmpl, "fig2-history", ("inbox",))
    common.seed_dbt_parse(warm, history)
    hist_settings = common.use(history)
    for week in weeks[:-1]:
        pipeline.ingest(hist_settings, week, provinces)
    pipeline.build(hist_settings)
    statuses: dict[str, list[str]] = {"first": [], "last": []}

    def run_first(rep: int) -> float:
        folder = common.clone(tmpl, f"fig2-first-{rep}", ("inbox",))
        common.seed_dbt_parse(warm, folder)
        seconds, out = common.timed(lambda: pipeline.cycle(common.use(folder), first, provinces))
        statuses["first"].append(out["publish"])
        return seconds

    def run_last(rep: int) -> float:
        folder = common.clone(history, f"fig2-last-{rep}")
        seconds, out = common.timed(lambda: pipeline.cycle(common.use(folder), last, provinces))
        statuses["last"].append(out["publish"])
        return seconds

    lasts, firsts = common.side_by_side(reps, run_last, run_first)
    return common.median_ratio_figure(
        2,
        f"Week {n_weeks} cycle ÷ week 1 cycle",
        reps=reps,
        numerator=common.Side(
            f"{last} after {n_weeks - 1} weeks of history", lasts, {"publish": statuses["last"]}
        ),
        denominator=common.Side(
            f"{first} on an empty warehouse", firsts, {"publish": statuses["first"]}
        ),
        target=TARGET,
        note=f"{len(provinces)} provinces ({','.join(provinces)}), not 34, to fit the time "
        f"budget; {n_weeks} weeks; direct calls",
        extra={"provinces": provinces, "weeks": n_weeks},
    )
