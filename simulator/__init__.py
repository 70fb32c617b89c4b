"""Synthetic province drops (the files 34 provinces really send) and the truth they imply."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from core import reference
from core.settings import Settings
from core.weeks import IsoWeek, in_wave, secondment_waves
from simulator import expected, reports
from simulator.drop import Context, SentFile, plantable, province_week
from simulator.faults import plan_faults, plan_nil_returns
from simulator.quality import plan_plants
from simulator.schedule import schedule
from simulator.world import province_world, rng_for

__all__ = ["simulate"]


def simulate(
    settings: Settings,
    weeks: list[IsoWeek],
    provinces: list[str] | None = None,
    seed: int = 0,
    fault_rate: float = 0.05,
    scale: int = 1,
    progress: Callable[[int], object] | None = None,
) -> dict:
    """Write every province's files for ``weeks`` into ``settings.inbox/<pp>/`` and the truth into
    ``settings.simulation/``; same arguments → same bytes, times and truth.

    ``progress`` (optional) is called with 1 after each province × week.
    Files an earlier run wrote for the same province × week are replaced; truth rows of other
    weeks are kept.
    """
    started = time.perf_counter()
    weeks = sorted(set(weeks))
    if not weeks:
        raise ValueError("no weeks to simulate")
    known = reference.provinces()
    codes = list(known) if provinces is None else [f"{int(p):02d}" for p in provinces]
    unknown = [p for p in codes if p not in known]
    if unknown:
        raise ValueError(f"not province codes: {unknown}")
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    slots = [
        (pp, week, kind)
        for week in weeks
        for pp in codes
        for kind, versions in schedule(seed, pp, week).items()
        if versions
    ]
    faults = plan_faults(slots, fault_rate, rng_for(seed, "faults"))
    nil = plan_nil_returns(slots, faults, rng_for(seed, "nil"))
    ctx = Context(seed, scale, weeks[-1], settings.max_file_bytes, tuple(codes), faults, nil)
    if fault_rate > 0:  # a clean run (fault rate 0) plants no data-quality problem either
        ctx = replace(ctx, plants=plan_plants(seed, codes, weeks, scale, partial(plantable, ctx)))

    sim_dir = settings.simulation
    for pp, name in expected.stale_inbox_files(sim_dir, codes, weeks):
        (settings.inbox / pp / name).unlink(missing_ok=True)

    waves = secondment_waves(settings.report_waves)
    wave_slots = [(pp, week) for week in weeks if in_wave(week, waves) for pp in codes]
    exported = reports.pdf_slots(seed, wave_slots)
    files: list[SentFile] = []
    sent_reports: list[reports.SentReport] = []
    try:
        for week in weeks:
            for pp in codes:
                folder = settings.inbox / pp
                folder.mkdir(parents=True, exist_ok=True)
                for sent in province_week(ctx, pp, week):
                    path = folder / sent.name
                    path.write_bytes(sent.data)
                    stamp = sent.received.timestamp()
                    os.utime(path, (stamp, stamp))
                    sent.data = b""  # keep memory flat
                    files.append(sent)
                if (pp, week) in wave_slots:
                    for report in reports.province_reports(seed, pp, week, (pp, week) in exported):
                        path = folder / report.name
                        path.write_bytes(report.data)
                        os.utime(path, (report.received.timestamp(),) * 2)
                        report.data = b""
                        sent_reports.append(report)
                if progress is not None:
                    progress(1)
    finally:
        province_world.cache_clear()

    planted = Counter(reason for f in files for _, _, reason in f.rejections)
    rows = Counter()
    for f in files:
        if f.kind is not None:
            rows[f.kind] += f.rows_accepted + f.rows_rejected
    summary = {
        "seed": seed,
        "weeks": [str(w) for w in weeks],
        "provinces": codes,
        "fault_rate": fault_rate,
        "scale": scale,
        "files_written": len(files) + len(sent_reports),
        "reports_written": len(sent_reports),
        "reports_by_format": dict(Counter(r.format for r in sent_reports)),
        "files_by_format": dict(Counter(f.format for f in files)),
        "files_by_status": dict(Counter(f.status for f in files)),
        "rows": dict(rows),
        "rows_total": sum(rows.values()),
        "faulty_files": len(faults),
        "nil_returns": len(nil),
        "faults_planted": sum(planted.values()),
        "faults_by_reason": dict(sorted(planted.items())),
        "quality_plants": len(ctx.plants),
    }
    expected.write_all(
        sim_dir,
        files,
        weeks,
        codes,
        summary,
        sent_reports=sent_reports,
        wave_slots=set(wave_slots),
        plants=list(ctx.plants.values()),
    )
    summary.update(inbox=str(settings.inbox), simulation=str(sim_dir))
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary
