"""`moha` command line: simulate province drops, run the weekly cycle, show a week's status."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.settings import load_settings
from core.weeks import IsoWeek, week_range

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()

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
    """Run ingest → build → publish through Airflow in-process (dag.test) for each week."""
    from moha.cycle import CycleFailed, run_week
    from moha.runlock import RunRefused, hold_run_lock

    settings = load_settings()
    try:
        held = hold_run_lock(settings)  # one run per data directory, released when `run` returns
    except RunRefused as error:
        console.print(str(error), style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    span = week_range(week)
    with _progress() as bar:
        task = bar.add_task("weekly cycle", total=len(span) * 3)
        for each in span:
            try:
                outcomes = run_week(
                    each,
                    on_step=lambda dag_id, w=each: bar.update(task, description=f"{w} {dag_id}"),
                )
            except CycleFailed as error:
                console.print(f"[red]{error}[/red]")
                raise typer.Exit(1) from error
            bar.advance(task, 3)
            bar.console.print(
                f"{each}: "
                + ", ".join(
                    f"{o.dag_id} {o.seconds:.1f}s"
                    + (f" (failed: {', '.join(o.failed_tasks)})" if o.failed_tasks else "")
                    for o in outcomes
                )
            )
    last = span[-1]
    _print_status(settings, last)
    console.print(f"published packages: {settings.outbox}")
    console.print(f"feedback to provinces: {settings.feedback}")
    console.print(f"analyst warehouse (read-only): {settings.analyst_path}")
    held.release()


@app.command()
def status(week: WeekOption) -> None:
    """Per province: files received, accepted and rejected rows, on time."""
    _print_status(load_settings(), IsoWeek.parse(week))


def _print_status(settings, week: IsoWeek) -> None:
    from moha.status import week_status

    rows = week_status(settings, week)
    if not rows:
        console.print(f"[yellow]{week} is not built yet: run `moha run --week {week}`[/]")
        raise typer.Exit(1)
    table = Table(title=f"{week}: province status")
    for column in (
        "province",
        "files (accepted/received)",
        "rows accepted",
        "rows rejected",
        "on time",
    ):
        table.add_column(column)
    for row in rows:
        on_time = {True: "yes", False: "[red]no[/red]", None: "-"}[row["on_time"]]
        table.add_row(
            f"{row['province_code']} {row['province_name']}",
            f"{row['files_accepted']}/{row['files_received']}",
            str(row["rows_accepted"]),
            str(row["rows_rejected"]),
            on_time,
        )
    console.print(table)
    outbox = settings.outbox / str(week)
    versions = sorted(outbox.glob("v*"), key=lambda p: int(p.name[1:])) if outbox.exists() else []
    if versions:
        console.print(f"package: {versions[-1]}")


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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
