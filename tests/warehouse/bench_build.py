"""Times load_staged + dbt build (incremental and full refresh) on synthetic staged input.

Run: ``.venv/bin/python tests/warehouse/bench_build.py --weeks 13 --scale large``.
Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from staged_builder import StagedBuilder, vn_time

from moha.reference import code_list, communes_of, provinces
from moha.settings import load_settings
from moha.weeks import week_range
from warehouse.dbt import run_dbt_build
from warehouse.load import load_staged

FIELDS = list(code_list("field_codes"))
CATEGORIES = list(code_list("obstacle_categories"))


def stage_week(b: StagedBuilder, week, rng: random.Random, large: bool) -> None:
    for pp in provinces():
        communes = communes_of(pp) if large else communes_of(pp)[:3]
        fields = FIELDS if large else FIELDS[:3]
        day = week.monday + timedelta(days=4)
        staffing = [
            {
                "commune_code": c,
                "field_code": f,
                "approved_posts": rng.randint(0, 6),
                "filled_posts": rng.randint(0, 6),
                "report_date": day,
            }
            for c in communes
            for f in fields
        ]
        b.add(pp, "staffing", str(week), staffing, received_at=vn_time(day))
        n_sec = 100 if large else 3
        secondments = [
            {
                "assignment_id": f"BP{i}",
                "official_id": f"CB{i}",
                "full_name": "X",
                "origin_unit": "Sở",
                "origin_level": rng.choice(["bo", "tinh", "xa"]),
                "destination_code": communes[i % len(communes)],
                "field_code": rng.choice(FIELDS),
                "start_date": week.monday - timedelta(days=rng.randint(-6, 60)),
                "end_date": None,
                "status": rng.choice(["dang_biet_phai", "da_ket_thuc", "huy"]),
            }
            for i in range(n_sec)
        ]
        b.add(pp, "secondments", str(week), secondments, received_at=vn_time(day))
        n_obs = 200 if large else 3
        obstacles = []
        for i in range(n_obs):
            raised = week.monday - timedelta(days=rng.randint(0, 40))
            resolved = rng.random() < 0.4
            obstacles.append(
                {
                    "obstacle_id": f"VM{i}",
                    "commune_code": communes[i % len(communes)],
                    "category_code": rng.choice(CATEGORIES),
                    "description": "…",
                    "raised_date": raised,
                    "resolution_level": "tinh",
                    "status": "da_thao_go" if resolved else rng.choice(["moi", "kien_nghi"]),
                    "resolved_date": min(raised + timedelta(days=rng.randint(0, 20)), week.sunday)
                    if resolved
                    else None,
                }
            )
        b.add(pp, "obstacles", str(week), obstacles, received_at=vn_time(day))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", default="2025-W35:2025-W47")
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    args = parser.parse_args()
    weeks = week_range(args.weeks)
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"MOHA_DATA_DIR": tmp})
        b = StagedBuilder(settings)
        for week in weeks[:-1]:
            stage_week(b, week, rng, args.scale == "large")
        out = {"scale": args.scale, "weeks": len(weeks)}
        out["load_initial"] = load_staged(settings)["seconds"]
        out["build_initial"] = run_dbt_build(settings)
        stage_week(b, weeks[-1], rng, args.scale == "large")
        out["load_one_week"] = load_staged(settings)["seconds"]
        out["build_incremental_one_week"] = run_dbt_build(settings)
        out["build_noop"] = run_dbt_build(settings)
        out["build_full_refresh"] = run_dbt_build(settings, full_refresh=True)
        import duckdb

        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        out["rows"] = {
            t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("files", "staffing", "secondments", "obstacles")
        }
        con.close()
        for key, value in out.items():
            if isinstance(value, dict) and "seconds" in value:
                out[key] = {"seconds": value["seconds"], "dbt": value["dbt_elapsed_seconds"]}
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
