"""Draw page 1 of a simulated national week for the README: ``python -m tools.report_preview``.

Simulates 34 provinces over a quarter in a temporary data folder, ingests every file, builds the
warehouse, publishes the last week and screenshots its HTML page (headless Chromium) into
``docs/bao_cao_tuan_page1.png``. :func:`build_world` is the same path without Airflow, for tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path
from typing import Any

from core import reference
from core.settings import PROJECT_ROOT, Settings, load_settings
from core.weeks import IsoWeek, week_range

DEFAULT_WEEKS = "2025-W35:2025-W47"
DEFAULT_OUT = PROJECT_ROOT / "docs" / "bao_cao_tuan_page1.png"


def build_world(
    settings: Settings, weeks: list[IsoWeek], seed: int = 7, fault_rate: float = 0.05
) -> dict[str, Any]:
    """Simulate every province for ``weeks``, ingest all files, refresh the warehouse."""
    import simulator
    from ingestion.province import process_province
    from warehouse.refresh import refresh

    timings: dict[str, float] = {}
    started = time.perf_counter()
    simulated = simulator.simulate(settings, weeks, seed=seed, fault_rate=fault_rate)
    timings["simulate"] = time.perf_counter() - started
    started = time.perf_counter()
    for code in reference.provinces():
        process_province(settings, code)
    timings["ingest"] = time.perf_counter() - started
    started = time.perf_counter()
    refresh(settings)
    timings["build"] = time.perf_counter() - started
    return {"files": simulated["files_written"], "seconds": timings}


def render_page_one(html: Path, out: Path, width: int = 1280) -> Path:
    """Screenshot the HTML page into ``out``; fails on a console error or an outside request."""
    from tools.browser import visit

    page = visit(html, width=width)
    if page.errors or page.outside_requests:
        raise RuntimeError(f"{html}: errors {page.errors}, requests {page.outside_requests}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(page.screenshot)
    return out


def main(argv: list[str] | None = None) -> int:
    from publishing.publish import html_name, publish_week

    parser = argparse.ArgumentParser(prog="python -m tools.report_preview", description=__doc__)
    parser.add_argument("--weeks", default=DEFAULT_WEEKS, help="simulated weeks (the last one)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the simulated data folder here (reused when it already holds a warehouse)",
    )
    args = parser.parse_args(argv)
    weeks = week_range(args.weeks)
    with tempfile.TemporaryDirectory(prefix="moha-preview-") as tmp:
        data = args.data or Path(tmp) / "data"
        settings = dataclasses.replace(load_settings(), data_dir=data.resolve())
        if not settings.analyst_path.exists():
            build_world(settings, weeks, seed=args.seed)
        published = publish_week(settings, weeks[-1])
        html = Path(published.path) / html_name(weeks[-1])
        render_page_one(html, args.out)
    print(f"{args.out}: page 1 of {weeks[-1]} ({published.path})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
