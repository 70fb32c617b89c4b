"""Figure 1: ingest of a national week (34 provinces) ÷ a raw read of the same bytes."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import common, pipeline
from core.weeks import IsoWeek

TARGET = 3.0


def template(week: IsoWeek) -> Path:
    """A national simulated week (34 provinces, every commune × 15 fields), in its own folder in
    memory (see :func:`run`)."""
    from simulator import simulate

    folder = common.new_dir("fig1-template", memory=True)
    simulate(common.use(folder), [week], seed=common.SEED)
    return folder


def on_disk(tmpl: Path) -> Path:
    """A copy of the template's inbox on the disk (modification times kept)."""
    folder = common.new_dir("fig1-disk-template")
    shutil.copytree(tmpl / "inbox", folder / "inbox")
    return folder


def floor_files(inbox: Path, max_bytes: int) -> list[Path]:
    """What the pipeline parses: non-empty files within the size limit (larger ones are refused
    unread, so reading them would only inflate the floor)."""
    return sorted(p for p in inbox.glob("*/*") if p.is_file() and 0 < p.stat().st_size <= max_bytes)


def raw_read(files: list[Path]) -> int:
    """DuckDB read_csv (all varchar, no header, lenient) and calamine's first sheet; no checks."""
    import duckdb
    from python_calamine import CalamineWorkbook

    # One thread: the pipeline ingests on one core, and small files gain nothing from more.
    con = duckdb.connect(config={"threads": 1})
    cells = 0
    try:
        for path in files:
            data = path.read_bytes()
            try:
                if data[:4] == b"PK\x03\x04":
                    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
                    cells += len(grid)
                    continue
                try:
                    data.decode("utf-8")
                    encoding = "utf-8"
                except UnicodeDecodeError:
                    encoding = "latin-1"  # Windows-1258 bytes: same cost, no mapping needed
                rows = con.execute(
                    "SELECT * FROM read_csv(?, all_varchar = true, header = false, "
                    "strict_mode = false, ignore_errors = true, null_padding = true, "
                    "encoding = ?)",
                    [str(path), encoding],
                ).fetchall()
                cells += len(rows)
            except Exception:  # a planted unreadable file: the floor just moves on
                continue
    finally:
        con.close()
    return cells


# What process_province spends its time on, by the functions it calls. Reading, finding the
# header and the row rules run in the parsing child (ingestion.parsing.isolation), overlapped
# with the parent's work: the parent's share of them is the time it waits for the child's answers.
STAGES = (
    (
        "ingestion.parsing.isolation:_Worker",
        "receive",
        "waiting for the parsing child (read, header, rules)",
    ),
    ("ingestion.stage.staging", "stage_contents", "stage rows and rejections (Parquet)"),
    ("ingestion.stage.staging", "stage_registry", "stage the registry row (Parquet)"),
    ("ingestion.province", "write_feedback", "feedback per file (xlsx + csv)"),
    ("ingestion.province", "write_due_summaries", "weekly summaries (xlsx + csv)"),
    ("ingestion.intake.landing", "receive", "land (copy, sha256)"),
    ("ingestion.intake.landing", "land", "land (copy, sha256)"),
    ("ingestion.province", "province_source", "sources (config, listing)"),
    ("ingestion.province", "list_files", "sources (config, listing)"),
    ("ingestion.stage.staging", "stage_outcome", "province outcome (Parquet)"),
)


@contextmanager
def stage_timers() -> Iterator[dict[str, float]]:
    """Wall time per stage of the ingests run inside (wrapped functions, no profiler)."""
    import importlib

    spent: dict[str, float] = {}
    restore = []
    for target, attribute, label in STAGES:
        module_name, _, class_name = target.partition(":")
        module = importlib.import_module(module_name)
        if class_name:
            module = getattr(module, class_name)
        real = getattr(module, attribute, None)
        if real is None:
            continue

        def timed(*args, _real=real, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - started

        setattr(module, attribute, timed)
        restore.append((module, attribute, real))
    try:
        yield spent
    finally:
        for module, attribute, real in restore:
            setattr(module, attribute, real)


def profile(tmpl: Path, week: IsoWeek) -> dict:
    """One more, untimed ingest with stage timers: seconds and share per stage."""
    folder = common.clone(tmpl, "fig1-profile", ("inbox",))
    with stage_timers() as spent:
        total, _ = common.timed(lambda: pipeline.ingest(common.use(folder), week))
    spent["other (registry facts, logging, locks, sweeps)"] = total - sum(spent.values())
    return {
        "total_s": round(total, 3),
        "stages": {
            label: {"seconds": round(seconds, 3), "share": round(seconds / total, 3)}
            for label, seconds in sorted(spent.items(), key=lambda item: -item[1])
        },
    }


def side_by_side(tmpl: Path, week: IsoWeek, reps: int, info: dict) -> tuple[list, list]:
    """Ingest of a fresh copy of ``tmpl``'s inbox and the raw read of its files, alternating,
    after one untimed run of each (imports, reference data, page cache)."""
    settings = common.use(tmpl)
    files = floor_files(settings.inbox, settings.max_file_bytes)

    def ingest(rep: int) -> float:
        folder = common.clone(tmpl, f"fig1-ingest-{rep}", ("inbox",))
        seconds, out = common.timed(lambda: pipeline.ingest(common.use(folder), week))
        info.update(out)
        return seconds

    def floor(rep: int) -> float:
        seconds, rows = common.timed(lambda: raw_read(files))
        info["floor_rows"] = rows
        return seconds

    ingest(-1), floor(-1)
    return common.side_by_side(reps, ingest, floor)


def run(quick: bool) -> dict:
    """Data folders in memory where there is a tmpfs: the floor reads files the page cache holds,
    and the ingest's ~650 small files and ~25 MB written each run then cost what the pipeline
    costs, not what a virtual machine's throttled disk costs that minute. The same comparison on
    the disk, with fewer repetitions, is kept beside it (``on_disk``), not judged."""
    reps = 3 if quick else 5
    week = IsoWeek.parse(common.WEEK)
    tmpl = template(week)
    settings = common.use(tmpl)
    files = floor_files(settings.inbox, settings.max_file_bytes)
    all_files = [p for p in settings.inbox.glob("*/*") if p.is_file()]
    info: dict = {}
    ing, flo = side_by_side(tmpl, week, reps, info)
    disk_ing, disk_flo = side_by_side(on_disk(tmpl), week, 3, {})
    disk_ratio = common.median(disk_ing) / common.median(disk_flo)
    where = "memory (tmpfs)" if common.memory_parent() else "disk (no tmpfs here)"
    formats: dict[str, int] = {}
    for path in all_files:
        formats[path.suffix] = formats.get(path.suffix, 0) + 1
    return common.median_ratio_figure(
        1,
        "Ingest ÷ raw read (national week)",
        reps=reps,
        numerator=common.Side("process_province × 34", ing),
        denominator=common.Side("DuckDB read_csv + calamine to_python", flo),
        target=TARGET,
        note=f"{len(all_files)} files {formats}, {sum(p.stat().st_size for p in files) >> 20} MiB "
        f"read; {len(all_files) - len(files)} empty/over-limit files not in the floor; data "
        f"folders in {where}; on the disk: {disk_ratio:.2f}×",
        extra={
            "data": info,
            "data_folders": where,
            "on_disk": {
                "numerator": common.series(disk_ing),
                "denominator": common.series(disk_flo),
                "ratio": round(disk_ratio, 3),
                "io_pressure_after": common.io_pressure(),
            },
            "profile": profile(tmpl, week),
        },
    )
