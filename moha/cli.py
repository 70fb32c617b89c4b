"""`moha` command line: simulate province drops, run the weekly cycle, show a week's status."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.settings import SettingsError, load_settings
from core.weeks import IsoWeek, week_range

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _console() -> Console:
    """Tables stay readable when piped or captured: no terminal, 160 columns unless COLUMNS says."""
    return Console(width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160")))


console = _console()

WeekOption = Annotated[str, typer.Option("--week", help="ISO week, e.g. 2025-W35")]


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@app.command()
def simulate(
    weeks: Annotated[str, typer.Option(help="2025-W35:2025-W47 or one week")] = "2025-W35:2025-W47",
    provinces: Annotated[str, typer.Option(help="comma-separated codes; default all 34")] = "",
    seed: Annotated[int, typer.Option()] = 0,
    fault_rate: Annotated[float, typer.Option(help="share of files with planted faults")] = 0.05,
    scale: Annotated[int, typer.Option(help="multiplies secondment and obstacle rows")] = 1,
) -> None:
    """Write the files provinces send into the inbox, and the truth they imply."""
    import simulator
    from core.reference import provinces as all_provinces

    settings = load_settings()
    chosen = [p.strip().zfill(2) for p in provinces.split(",") if p.strip()] or None
    span = week_range(weeks)
    with _progress() as bar:
        task = bar.add_task("simulating", total=len(span) * len(chosen or all_provinces()))
        summary = simulator.simulate(
            settings,
            span,
            chosen,
            seed=seed,
            fault_rate=fault_rate,
            scale=scale,
            progress=lambda n=1: bar.advance(task, n),
        )
    console.print(f"inbox: {settings.inbox}")
    console.print(f"truth: {settings.simulation}")
    console.print({k: v for k, v in summary.items() if not isinstance(v, (dict, list))})


@app.command()
def run(
    week: Annotated[str, typer.Option("--week", help="ISO week or range 2025-W35:2025-W47")],
) -> None:
    """Run ingest → build → publish through Airflow in-process (dag.test); a range ingests every
    week in one run, builds the warehouse once, then publishes each week."""
    from moha.cycle import CycleFailed, cycle_steps, run_weeks
    from moha.runlock import RunRefused, hold_run_lock

    settings = load_settings()
    try:
        held = hold_run_lock(settings)  # one run per data directory, released when `run` returns
    except RunRefused as error:
        console.print(str(error), style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    span = week_range(week)
    with _progress() as bar:
        task = bar.add_task("weekly cycle", total=len(cycle_steps(span)))

        started: list[str] = []

        def step(dag_id: str, conf: dict | None) -> None:
            bar.update(task, completed=len(started), description=_step_label(dag_id, conf))
            started.append(dag_id)

        try:
            outcomes = run_weeks(span, on_step=step)
        except CycleFailed as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
        bar.update(task, completed=len(outcomes), description="weekly cycle")
    for outcome in outcomes:
        console.print(
            f"{_step_label(outcome.dag_id, {'week': outcome.week})}: {outcome.seconds:.1f}s"
            + (f" (failed: {', '.join(outcome.failed_tasks)})" if outcome.failed_tasks else "")
            + (
                " (files rejected: see why below)"
                if "rejected_files" in outcome.skipped_tasks
                else ""
            )
        )
    last = span[-1]
    _print_status(settings, last)
    console.print(f"published packages: {settings.outbox}")
    console.print(f"feedback to provinces: {settings.feedback}")
    console.print(f"analyst warehouse (read-only): {settings.analyst_path}")
    held.release()


def _step_label(dag_id: str, conf: dict | None) -> str:
    week = (conf or {}).get("week")
    return f"{dag_id} {week}" if week else dag_id


@app.command()
def status(
    week: WeekOption,
    province: Annotated[str, typer.Option("--province", help="one province in full, e.g. 15")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="the same as JSON, for scripts")] = False,
) -> None:
    """Per province: kinds missing or late, files rejected (reason code and Vietnamese reason),
    misnamed files, rows rejected by reason; read from the warehouse (DuckDB or PostgreSQL)."""
    _print_status(
        load_settings(), IsoWeek.parse(week), province.strip().zfill(2) if province else "", as_json
    )


ON_TIME = {True: "yes", False: "[red]no[/red]"}
STATUS_STYLE = {
    "complete": "green",
    "rejections": "yellow",
    "late": "yellow",
    "incomplete": "red",
    "ingest_failed": "red",
}


def _print_status(settings, week: IsoWeek, province: str = "", as_json: bool = False) -> None:
    import json

    from moha.status import WeekNotBuilt, to_json, week_status

    try:
        statuses = week_status(settings, week, province or None)
    except WeekNotBuilt as error:
        console.print(f"[yellow]{error}: run `moha run --week {week}`[/]")
        raise typer.Exit(1) from error
    if as_json:
        document = {"week": str(week), "provinces": to_json(statuses)}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    out = _console()
    out.print(_status_table(week, statuses))
    if province:
        _print_province(out, statuses[0])
    outbox = settings.outbox / str(week)
    versions = sorted(outbox.glob("v*"), key=lambda p: int(p.name[1:])) if outbox.exists() else []
    if versions:
        out.print(f"package: {versions[-1]}")


def _status_table(week: IsoWeek, statuses) -> Table:
    from moha.status import why_lines

    table = Table(title=f"{week}: province status", show_lines=True)
    for column in ("province", "status", "kinds", "files", "rows acc/rej", "on time", "to check"):
        table.add_column(column, overflow="fold")
    table.add_column("why", overflow="fold", ratio=1)
    for status in statuses:
        row = status.row
        style = STATUS_STYLE.get(row["status"], "")
        extra = [f"{row['files_rejected']} rejected"] * bool(row["files_rejected"])
        extra += [f"{row['files_misnamed']} misnamed"] * bool(row["files_misnamed"])
        table.add_row(
            f"{row['province_code']} {row['province_name']}",
            f"[{style}]{row['status']}[/]",
            f"{row['kinds_received']}/3",
            f"{row['files_accepted']}/{row['files_received']} accepted"
            + "".join(f"\n{e}" for e in extra),
            f"{row['rows_accepted']}/{row['rows_rejected']}",
            ON_TIME[row["is_on_time"]],
            str(row["values_to_check"] or "-"),
            "\n".join(why_lines(status.findings)) or "-",
        )
    return table


def _print_province(out: Console, status) -> None:
    from moha.status import file_in_effect, finding_text, kind_status, when

    kinds = Table(
        title=f"{status.row['province_code']} {status.row['province_name']}: report kinds"
    )
    for column in ("kind", "status", "file in effect", "first received", "deadline"):
        kinds.add_column(column, overflow="fold")
    for column in ("rows acc/rej", "files rejected"):
        kinds.add_column(column, overflow="fold", justify="right")
    for kind in status.kinds:
        kinds.add_row(
            f"{kind['kind']} ({kind['kind_label_vi']})",
            kind_status(kind),
            file_in_effect(kind),
            when(kind["first_received_at"]),
            when(kind["deadline_at"]),
            "-"
            if kind["rows_accepted"] is None
            else f"{kind['rows_accepted']}/{kind['rows_rejected']}",
            str(kind["rejected_files"]),
        )
    out.print(kinds)
    findings = Table(title="why", show_lines=True)
    for column in ("finding", "reason code", "reason", "detail"):
        findings.add_column(column, overflow="fold")
    for finding in status.findings:
        findings.add_row(
            finding_text(finding),
            finding["reason_code"] or finding["finding"],
            finding["reason_label_vi"] or "-",
            finding["detail_vi"],
        )
    out.print(
        findings
        if status.findings
        else "nothing to report: all three kinds on time, nothing rejected"
    )
    if status.row["ingest_error"]:
        out.print(f"latest ingest error: {status.row['ingest_error']}")


@app.command()
def templates(
    province: Annotated[str, typer.Option("--province", help="2-digit province code, e.g. 15")],
    week: Annotated[str, typer.Option("--week", help="ISO week: names and dates for it")] = "",
) -> None:
    """Write a province's blank forms (one .xlsx per kind) and put them in its drop's phan_hoi/."""
    from ingestion.province import give_templates

    written, warnings = give_templates(
        load_settings(), province.strip().zfill(2), IsoWeek.parse(week) if week else None
    )
    for template in written:
        console.print(f"{template.kind}: {template.path}")
    for warning in warnings:
        console.print(f"[yellow]{warning.code}[/yellow]: {warning.message}")


@app.command()
def check(
    airflow_only: Annotated[bool, typer.Option(help="only Airflow's database and broker")] = False,
) -> None:
    """Can this machine reach the metadata database, the broker, the data folder, the warehouse?"""
    from moha.checks import run_checks

    results = run_checks(load_settings(), airflow_only=airflow_only)
    table = Table(title="moha check")
    for column in ("service", "target", "status", "detail"):
        table.add_column(column)
    for result in results:
        status = "[green]ok[/green]" if result.ok else "[red]UNREACHABLE[/red]"
        table.add_row(result.name, result.target, status, result.detail)
    console.print(table)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


reports_app = typer.Typer(no_args_is_help=True, help="The seconded officials' weekly reports.")
app.add_typer(reports_app, name="reports")


@reports_app.command("search")
def reports_search(
    query: Annotated[str, typer.Argument(help='words or a phrase, e.g. "cấp phó" or "vuong mac"')],
    week: Annotated[str, typer.Option("--week", help="one ISO week, e.g. 2025-W36")] = "",
    province: Annotated[str, typer.Option("--province", help="province code, e.g. 01")] = "",
    section: Annotated[
        str,
        typer.Option("--section", help="situation, results, obstacles, proposals or next_week"),
    ] = "",
    limit: Annotated[int, typer.Option(help="hits shown")] = 20,
) -> None:
    """Search the reports' items, with or without accents (đ = d): province, week, section and
    the matching passage, the section whose heading holds the words first."""
    from moha.report_search import search

    try:
        hits = search(
            load_settings(),
            query,
            week=str(IsoWeek.parse(week)) if week else None,
            province=province.strip().zfill(2) if province else None,
            section=section or None,
            limit=limit,
        )
    except FileNotFoundError as error:
        console.print(f"[yellow]{error}: run `moha run --week …` first[/]")
        raise typer.Exit(1) from error
    if not hits:
        console.print(f"no report item holds «{query}»")
        return
    table = Table(title=f"moha reports search «{query}»: {len(hits)} hit(s)")
    for column in ("province", "week", "section", "passage"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(
            f"{hit.province_name} ({hit.province_code})",
            hit.week,
            hit.section_label_vi,
            hit.passage,
        )
    _console().print(table)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except SettingsError as error:  # a misconfigured variable: one line, not a traceback
        console.print(f"[red]configuration:[/red] {error}")
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    app()
