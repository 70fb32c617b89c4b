"""Entry point: `python -m bench [--quick] [--only N]` runs the figures and prints the ratios."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

FIGURES = {
    "1": "fig1_ingest",
    "2": "fig2_incremental",
    "3": "fig3_orchestration",
    "3b": "fig3b_scheduler",
    "3c": "fig3c_cosmos",
    "4": "fig4_scale",
    "5": "fig5_backfill",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller smoke run (a few minutes)")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(FIGURES),
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

    import importlib

    from bench import report

    modules = {number: importlib.import_module(f"bench.{name}") for number, name in FIGURES.items()}
    chosen = [number for number in FIGURES if number in set(args.only or FIGURES)]
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
