"""Figure 4: two years at scale 10 vs scale 1 — peak RSS of the process tree and time ratio."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import common

TARGET_RATIO = 10.0
TARGET_RSS_GIB = 2.0
FIRST = "2025-W27"


def scenario(data_dir: str, scale: int, n_weeks: int, provinces: list[str]) -> dict:
    """Inside the child: simulate + ingest + one build + publish of the last week (timed parts)."""
    common.quiet()
    from bench import pipeline
    from core.weeks import IsoWeek
    from simulator import simulate

    weeks = [IsoWeek.parse(FIRST).shift(i) for i in range(n_weeks)]
    # two simulated years reach past today: open the reporting window to the last of them
    settings = dataclasses.replace(common.use(Path(data_dir)), last_week=str(weeks[-1]))
    times = {}
    times["simulate"], sim = common.timed(
        lambda: simulate(settings, weeks, provinces=provinces, seed=common.SEED, scale=scale)
    )
    times["ingest"], ingested = common.timed(lambda: pipeline.ingest(settings, None, provinces))
    times["build"], _ = common.timed(lambda: pipeline.build(settings))
    times["publish"], status = common.timed(lambda: pipeline.publish(settings, weeks[-1]))
    return {
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "rows": sim["rows"],
        "rows_accepted": ingested["rows_accepted"],
        "publish": status,
    }


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a child that just ended
            total += p.memory_info().rss
    return total


def measure(scale: int, n_weeks: int, provinces: list[str]) -> dict:
    """Run one scenario in a child process; sample its process tree's RSS every 0.1 s."""
    import psutil

    data_dir = common.new_dir(f"fig4-scale{scale}")
    out = data_dir / "result.json"
    command = [
        sys.executable,
        "-m",
        "bench.fig4_scale",
        "--scenario",
        str(data_dir),
        str(scale),
        str(n_weeks),
        ",".join(provinces),
        str(out),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=Path(__file__).resolve().parents[1],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
    )
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, _tree_rss(proc))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"scale {scale} scenario failed (exit {child.returncode})")
    result = json.loads(out.read_text())
    timed_s = sum(result["seconds"].values())
    return {
        "scale": scale,
        "timed_s": round(timed_s, 2),
        "wall_s": round(wall, 2),
        "peak_tree_rss_mib": round(peak / 2**20, 1),
        **result,
    }


def run(quick: bool) -> dict:
    from bench.fig2_incremental import subset

    n_weeks = 26 if quick else 104
    provinces = subset(2 if quick else 4)
    # Order alternates with nothing to alternate against in one repetition: scale 10 first,
    # so the scale-1 run cannot look cheap by riding a page cache the big run warmed.
    big = measure(10, n_weeks, provinces)
    small = measure(1, n_weeks, provinces)
    ratio = big["timed_s"] / small["timed_s"]
    peak_gib = big["peak_tree_rss_mib"] / 1024
    record = common.figure(
        4,
        "Scale 10 ÷ scale 1 time (2 years)",
        reps=1,
        numerator={"what": "scale 10", "median_s": big["timed_s"], **big},
        denominator={"what": "scale 1", "median_s": small["timed_s"], **small},
        ratio=ratio,
        target=TARGET_RATIO,
        note=f"{len(provinces)} provinces ({','.join(provinces)}), not 34, to fit the time "
        f"budget; {n_weeks} weeks; one run each (subprocess); time = simulate + ingest + "
        "one build + publish of the last week",
        extra={
            "peak_rss_gib": round(peak_gib, 3),
            "rss_target_gib": TARGET_RSS_GIB,
            "rss_pass": peak_gib <= TARGET_RSS_GIB,
            "provinces": provinces,
            "weeks": n_weeks,
        },
    )
    record["pass"] = record["pass"] and record["rss_pass"]
    return record


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--scenario":
    _, _, data, scale, weeks, codes, result_path = sys.argv
    outcome = scenario(data, int(scale), int(weeks), codes.split(","))
    Path(result_path).write_text(json.dumps(outcome))
