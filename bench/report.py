"""The printed table (rich) and bench/results/latest.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).parent / "results" / "latest.json"


def table(figures: list[dict], machine: dict, wall: float) -> Table:
    out = Table(
        title=f"moha bench — {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}, "
        f"{machine['date']}, wall {wall / 60:.1f} min",
        title_justify="left",
    )
    for column in (
        "#",
        "figure",
        "reps",
        "numerator (median)",
        "denominator (median)",
        "ratio",
        "target",
        "result",
        "note",
    ):
        out.add_column(column, overflow="fold")
    for f in figures:
        if "error" in f:
            out.add_row(
                str(f["figure"]),
                f.get("name", ""),
                "",
                "",
                "",
                "",
                "",
                "[red]ERROR[/red]",
                f["error"][:200],
            )
            continue
        target = f"≤ {f['target']}×"
        ratio = f"{f['ratio']:.2f}×"
        if f["figure"] == 4:
            target += f", RSS ≤ {f['rss_target_gib']} GiB"
            ratio += f", RSS {f['peak_rss_gib']:.2f} GiB"
        out.add_row(
            str(f["figure"]),
            f["name"],
            str(f["repetitions"]),
            f"{f['numerator']['median_s']:.2f} s",
            f"{f['denominator']['median_s']:.2f} s",
            ratio,
            target,
            "[green]pass[/green]" if f["pass"] else "[red]miss[/red]",
            f["note"],
        )
    return out


def write(figures: list[dict], machine: dict, wall: float, options: dict) -> Path:
    """This run's figures replace the same figures of the previous file; the others are kept,
    each with the date and options of the run that measured it."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    stamp = {"date": machine["date"], "options": options}
    for figure in figures:
        figure["measured"] = stamp
    fresh = {str(f["figure"]) for f in figures}
    kept = []
    for figure in previous.get("figures", []):
        if str(figure["figure"]) not in fresh:
            figure.setdefault(
                "measured",
                {"date": previous["machine"]["date"], "options": previous.get("options")},
            )
            kept.append(figure)
    merged = sorted([*kept, *figures], key=lambda f: str(f["figure"]))
    payload = {
        "machine": machine,
        "options": options,
        "wall_seconds": round(wall, 1),
        "figures": merged,
    }
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    os.replace(tmp, RESULTS)
    return RESULTS


def show(figures: list[dict], machine: dict, wall: float) -> None:
    Console(width=200).print(table(figures, machine, wall))
