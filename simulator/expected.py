"""Writing the simulation's record: truth tables, expected files and rejections, and the plan."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from core import reference
from core.metrics import (
    NATIONAL_WEEKLY_PACKAGE,
    PROVINCE_WEEKLY_PACKAGE,
    VACANCIES_BY_FIELD_COLUMNS,
)
from core.weeks import IsoWeek
from simulator import quality, reports, truth
from simulator.drop import SentFile
from simulator.reports import SentReport

KINDS = ("staffing", "secondments", "obstacles")

EXPECTED_FILES = (
    "province_code",
    "file_name",
    "kind",
    "week",
    "version",
    "status",
    "rows_accepted",
    "rows_rejected",
    "rows_skipped",
    "format",
    "encoding",
    "shape",
    "sim_week",
)
EXPECTED_REJECTIONS = ("province_code", "file_name", "source_row", "column_name", "reason_code")


@dataclass
class Truth:
    """What the warehouse must hold, per table (rows of dicts)."""

    province_weekly: list[dict] = field(default_factory=list)
    national_weekly: list[dict] = field(default_factory=list)
    vacancies_by_field: list[dict] = field(default_factory=list)
    national_trend: list[dict] = field(default_factory=list)  # without prev_/change_ yet
    submission_status: list[dict] = field(default_factory=list)
    province_vacancy_rate: list[dict] = field(default_factory=list)
    data_quality_findings: list[dict] = field(default_factory=list)


def files_in_effect(files: list[SentFile]) -> tuple[dict[tuple, SentFile], dict[tuple, list]]:
    """Per (province, week, kind): the highest accepted version, and every accepted file's
    received time."""
    best: dict[tuple, SentFile] = {}
    received: dict[tuple, list] = defaultdict(list)
    for sent in files:
        if sent.kind is None or sent.accepted_rows is None:
            continue
        key = (sent.province_code, sent.week, sent.kind)
        received[key].append(sent.received)
        if key not in best or sent.version > best[key].version:
            best[key] = sent
    return best, received


def truth_tables(files: list[SentFile], weeks: list[IsoWeek], provinces: list[str]) -> Truth:
    """Every truth table from the accepted files (the highest accepted version per kind)."""
    best, received = files_in_effect(files)
    names = reference.provinces()
    out = Truth()
    for week in weeks:
        week_rows, days, statuses = [], [], []
        obstacles, secondments = [], []
        for pp in provinces:
            accepted = {}
            for kind in KINDS:
                sent = best.get((pp, week, kind))
                accepted[kind] = None if sent is None else sent.accepted_rows
                statuses.append(
                    truth.submission_status(
                        week,
                        pp,
                        kind,
                        received.get((pp, week, kind), []),
                        None if sent is None else sent.version,
                        None if sent is None else sent.name,
                    )
                )
            times = {k: received.get((pp, week, k), []) for k in accepted}
            row = truth.province_row(week, pp, names[pp].name, accepted, times)
            week_rows.append(row)
            if accepted["obstacles"] is not None:
                days.extend(truth.resolve_days(accepted["obstacles"], week))
                obstacles.append(accepted["obstacles"])
            if accepted["secondments"] is not None:
                secondments.append(accepted["secondments"])
            if accepted["staffing"] is not None:
                for field_code, values in truth.vacancies_by_field(accepted["staffing"]).items():
                    out.vacancies_by_field.append(
                        {"week": str(week), "province_code": pp, "field_code": field_code, **values}
                    )
        national = truth.national_row(week, week_rows, days)
        out.province_weekly.extend(week_rows)
        out.national_weekly.append(national)
        out.national_trend.append(
            national | truth.trend_extra(week, national, obstacles, secondments, statuses)
        )
        out.submission_status.extend(statuses)
        out.province_vacancy_rate.extend(truth.vacancy_ranks(week, week_rows))
    out.data_quality_findings = quality.expected_findings(
        {key: sent.accepted_rows for key, sent in best.items()},
        {(row["province_code"], IsoWeek.parse(row["week"])): row for row in out.province_weekly},
        weeks,
        provinces,
    )
    return out


def expected_file_rows(files: list[SentFile | SentReport]) -> list[dict]:
    return [
        {
            "province_code": f.province_code,
            "file_name": f.name,
            "kind": f.kind,
            "week": str(f.week) if f.week else None,
            "version": f.version,
            "status": f.status,
            "rows_accepted": f.rows_accepted,
            "rows_rejected": f.rows_rejected,
            "rows_skipped": f.rows_skipped,
            "format": f.format,
            "encoding": f.encoding,
            "shape": f.shape_name,
            "sim_week": str(f.sim_week),
        }
        for f in files
    ]


def expected_rejection_rows(files: list[SentFile | SentReport]) -> list[dict]:
    return [
        {
            "province_code": f.province_code,
            "file_name": f.name,
            "source_row": row,
            "column_name": column,
            "reason_code": reason,
        }
        for f in files
        for row, column, reason in f.rejections
    ]


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([truth.cell(row.get(c)) for c in columns])


def merge(old: list[dict], new: list[dict], replaced) -> list[dict]:
    """Earlier runs' rows that this run does not replace, then this run's rows."""
    return [row for row in old if not replaced(row)] + new


def write_all(
    sim_dir: Path,
    files: list[SentFile],
    weeks: list[IsoWeek],
    provinces: list[str],
    plan: dict,
    sent_reports: list[reports.SentReport] = (),
    wave_slots: set[tuple[str, IsoWeek]] = frozenset(),
    plants: list[quality.Plant] = (),
) -> None:
    """Write truth and expectations, keeping earlier runs' weeks (a rerun of a week replaces it).

    Every file written is stamped with the simulated time (the last file's received time, else
    the last week's deadline), never the wall clock: the same seed gives the same bytes and times.
    """
    week_names = {str(w) for w in weeks}
    slots = {(pp, w) for pp in provinces for w in week_names}
    found = truth_tables(files, weeks, provinces)
    facts, items = reports.truth_rows(list(sent_reports), weeks, provinces, wave_slots)
    tables = (
        ("truth/fct_official_reports.csv", reports.OFFICIAL_REPORTS, facts),
        ("truth/official_report_items.csv", reports.OFFICIAL_REPORT_ITEMS, items),
        ("truth/province_weekly.csv", PROVINCE_WEEKLY_PACKAGE, found.province_weekly),
        ("truth/national_weekly.csv", NATIONAL_WEEKLY_PACKAGE, found.national_weekly),
        ("truth/vacancies_by_field.csv", VACANCIES_BY_FIELD_COLUMNS, found.vacancies_by_field),
        ("truth/submission_status.csv", truth.SUBMISSION_STATUS, found.submission_status),
        (
            "truth/province_vacancy_rate.csv",
            truth.PROVINCE_VACANCY_RATE,
            found.province_vacancy_rate,
        ),
        (
            "truth/data_quality_findings.csv",
            quality.FINDINGS_COLUMNS,
            found.data_quality_findings,
        ),
        ("truth/planted_quality.csv", quality.PLANTS_COLUMNS, [p.row() for p in plants]),
    )
    for rel, columns, rows in tables:
        path = sim_dir / rel
        write_csv(path, columns, merge(read_csv(path), rows, lambda r: r["week"] in week_names))
    # the trend compares each week with the one before, which an earlier run may have written
    path = sim_dir / "truth/national_trend.csv"
    kept = [
        {k: truth.parse_cell(v) for k, v in row.items()}
        for row in read_csv(path)
        if row["week"] not in week_names
    ]
    write_csv(path, truth.NATIONAL_TREND, truth.with_previous_week(kept + found.national_trend))
    old_files = read_csv(sim_dir / "expected_files.csv")
    replaced_files = {
        (r["province_code"], r["file_name"])
        for r in old_files
        if (r["province_code"], r["sim_week"]) in slots
    }
    write_csv(
        sim_dir / "expected_files.csv",
        EXPECTED_FILES,
        merge(
            old_files,
            expected_file_rows([*files, *sent_reports]),
            lambda r: (r["province_code"], r["file_name"]) in replaced_files,
        ),
    )
    path = sim_dir / "expected_rejections.csv"
    write_csv(
        path,
        EXPECTED_REJECTIONS,
        merge(
            read_csv(path),
            expected_rejection_rows([*files, *sent_reports]),
            lambda r: (r["province_code"], r["file_name"]) in replaced_files,
        ),
    )
    (sim_dir / "plan.json").write_text(
        json.dumps(plan, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    received = [f.received for f in files] + [r.received for r in sent_reports]
    stamp = max(received, default=weeks[-1].deadline).timestamp()
    for path in sorted(sim_dir.rglob("*")):
        if path.is_file():
            os.utime(path, (stamp, stamp))


def stale_inbox_files(
    sim_dir: Path, provinces: list[str], weeks: list[IsoWeek]
) -> list[tuple[str, str]]:
    """(province, file name) an earlier run wrote for the weeks this run writes again."""
    slots = {(pp, str(w)) for pp in provinces for w in weeks}
    return [
        (r["province_code"], r["file_name"])
        for r in read_csv(sim_dir / "expected_files.csv")
        if (r["province_code"], r["sim_week"]) in slots
    ]
