"""Shared helpers: scratch data folders, side-by-side timing, medians, machine facts, quiet logs."""

from __future__ import annotations

import logging
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.settings import Settings

SEED = 0
WEEK = "2025-W40"  # a mid-transition week: secondments and obstacles are in full swing

MEMORY = Path("/dev/shm")  # RAM-backed (tmpfs) on Linux
_ROOTS: dict[bool, Path] = {}


def memory_parent() -> Path | None:
    """A RAM-backed folder to put data folders in, or None where there is none."""
    return MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else None


def scratch_root(memory: bool = False) -> Path:
    """One temporary folder per bench run, on the disk (the system's temporary directory) or,
    with ``memory``, in RAM where there is a tmpfs; every scenario's data folder lives under one."""
    if memory not in _ROOTS:
        parent = memory_parent() if memory else None
        _ROOTS[memory] = Path(tempfile.mkdtemp(prefix="moha-bench-", dir=parent))
    return _ROOTS[memory]


def cleanup() -> None:
    for root in _ROOTS.values():
        shutil.rmtree(root, ignore_errors=True)


def new_dir(tag: str, memory: bool = False) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=scratch_root(memory)))


def use(data_dir: Path) -> Settings:
    """Settings for ``data_dir``, also exported as MOHA_DATA_DIR (DAG tasks read the env)."""
    os.environ["MOHA_DATA_DIR"] = str(data_dir)
    return Settings(data_dir=data_dir)


def _link_or_copy(src: str, dst: str) -> None:
    # DuckDB files are rewritten in place: copy them. Everything else the pipeline writes once
    # and never modifies (inbox, landing, staged, feedback), so hard links are safe and fast;
    # links keep the inbox mtimes (received times), which the on-time metric reads.
    if ".duckdb" in os.path.basename(src):
        shutil.copy2(src, dst)
    else:
        os.link(src, dst)


def clone(template: Path, tag: str, parts: tuple[str, ...] | None = None) -> Path:
    """A fresh data folder beside ``template`` (same file system, for the hard links) holding
    its ``parts`` (default: everything)."""
    target = Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=template.parent))
    for part in parts or tuple(p.name for p in template.iterdir()):
        source = template / part
        if source.is_dir():
            shutil.copytree(source, target / part, copy_function=_link_or_copy)
    return target


def seed_dbt_parse(source: Path | None, target: Path) -> None:
    """Copy dbt's partial-parse cache so every build runs warm, as in a long-lived deployment."""
    if source is None:
        return
    cache = source / "warehouse" / "dbt" / "target" / "partial_parse.msgpack"
    if cache.exists():
        dest = target / "warehouse" / "dbt" / "target"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(cache, dest / cache.name)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def side_by_side(
    reps: int, a: Callable[[int], float], b: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """Run ``a`` and ``b`` ``reps`` times each, alternating which goes first (ABBA…)."""
    xs, ys = [], []
    for rep in range(reps):
        if rep % 2 == 0:
            xs.append(a(rep))
            ys.append(b(rep))
        else:
            ys.append(b(rep))
            xs.append(a(rep))
    return xs, ys


def quiet() -> None:
    """Keep the pipeline's per-file INFO/WARNING lines (and Airflow's chatter) off the table."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    for name in (
        "ingestion",
        "publishing",
        "warehouse",
        "quality",
        "simulator",
        "airflow",
        "great_expectations",
        "cosmos",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


def machine() -> dict:
    import psutil

    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "io_pressure_at_start": io_pressure(),
    }


def io_pressure() -> str | None:
    """Linux's pressure stall line for I/O (share of time tasks waited on it, last 10/60/300 s):
    a disk throttled by a virtual machine's host shows here, not in the load average."""
    try:
        return Path("/proc/pressure/io").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None


def figure(
    number: int | str,
    name: str,
    *,
    reps: int,
    numerator: dict,
    denominator: dict,
    ratio: float,
    target: float,
    unit: str = "x",
    note: str = "",
    extra: dict | None = None,
) -> dict:
    """One figure's record for latest.json (and a row of the printed table)."""
    return {
        "figure": number,
        "name": name,
        "repetitions": reps,
        "numerator": numerator,
        "denominator": denominator,
        "ratio": round(ratio, 3),
        "target": target,
        "unit": unit,
        "pass": bool(ratio <= target),
        "note": note,
        **(extra or {}),
    }


def series(samples: list[float]) -> dict:
    return {"median_s": round(median(samples), 3), "samples_s": [round(s, 3) for s in samples]}


@dataclass(frozen=True)
class Side:
    """One side of a figure's ratio: what was timed, its timings, and what its runs recorded."""

    what: str
    samples: list[float]
    recorded: dict = field(default_factory=dict)

    def record(self) -> dict:
        return {"what": self.what, **series(self.samples), **self.recorded}


def median_ratio_figure(
    number: int | str,
    name: str,
    *,
    reps: int,
    numerator: Side,
    denominator: Side,
    target: float,
    note: str = "",
    extra: dict | None = None,
) -> dict:
    """A figure whose ratio is the median of the numerator's timings ÷ the denominator's."""
    return figure(
        number,
        name,
        reps=reps,
        numerator=numerator.record(),
        denominator=denominator.record(),
        ratio=median(numerator.samples) / median(denominator.samples),
        target=target,
        note=note,
        extra=extra,
    )
