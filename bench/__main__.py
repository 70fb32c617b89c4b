"""Entry point: `python -m bench [--quick] [--only N]` runs the figures and prints the ratios."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller smoke run (a few minutes)")
    parser.add_argument(
        "--only",
        type=int,
        action="append",
        choices=[1, 2, 3, 4],
        help="run only figure N (repeatable)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folders")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from bench import common

    root = common.scratch_root()
    # Before anything imports Airflow: a private metadata DB, short retry delays, no examples.
    os.environ.setdefault("AIRFLOW_HOME", str(root / "airflow"))
    os.environ.setdefault("MOHA_RETRY_DELAY_SECONDS", "5")
    os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "ERROR"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from moha.runtime import configure_environment

    configure_environment()
    common.quiet()
    machine = common.machine()

    from bench import fig1_ingest, fig2_incremental, fig3_orchestration, fig4_scale, report

    modules = {1: fig1_ingest, 2: fig2_incremental, 3: fig3_orchestration, 4: fig4_scale}
    chosen = sorted(set(args.only or modules))
    figures = []
    try:
        for number in chosen:
            t0 = time.perf_counter()
            print(f"figure {number}: {modules[number].__doc__.splitlines()[0]}", flush=True)
            try:
                record = modules[number].run(args.quick)
            except Exception as error:  # one figure failing still reports the others
                traceback.print_exc()
                record = {"figure": number, "error": f"{type(error).__name__}: {error}"}
            record["figure_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"  done in {record['figure_seconds']} s", flush=True)
            figures.append(record)
    finally:
        if not args.keep:
            common.cleanup()
    wall = time.perf_counter() - started
    options = {"quick": args.quick, "only": chosen}
    path = report.write(figures, machine, wall, options)
    report.show(figures, machine, wall)
    print(f"results: {path}  (wall {wall:.0f} s)")
    return 0 if all(f.get("pass") for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
