"""Data-quality plants (SPEC §3b) and the findings the rules must make of the accepted rows.

The simulator plants values a province really gets wrong without breaking the contract: a
staffing file that leaves communes out, a jump, a decimal slip, a flat cell that changes, open
obstacles that vanish from the list. :func:`expected_findings` applies the rules of
``dbt_project/seeds/quality_rules.csv`` (their thresholds read from there) to the accepted rows
the simulator knows, independently of the warehouse: what ``data_quality_findings`` must hold.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from core.settings import SEEDS_DIR
from core.weeks import IsoWeek
from simulator.world import province_world

RULES_CSV = SEEDS_DIR / "quality_rules.csv"
MIN_WEEKS = 6  # a run shorter than this plants nothing: the rules need a history
MAD_SCALE = 0.6745
HISTORY = 4  # clean files of the kind in the weeks before a plant: a history the rules can use

Key = tuple[str, str, str | None, str | None, str]  # rule, province, commune, field, measure


@dataclass(frozen=True)
class Plant:
    """One planted data-quality problem: where, what it does, and the rules that must find it."""

    name: str  # partial_coverage, jump, decimal_slip, flat_change, obstacles_fall
    province_code: str
    week: IsoWeek
    kind: str
    targets: tuple[str, ...]  # communes left out, the one cell "commune|field", obstacle ids
    measure: str
    rules: tuple[str, ...]  # the rules that must flag it (at least one per target)

    def apply(self, rows: list[dict]) -> list[dict]:
        """The rows of the planted file (every version the province sends for the week)."""
        if self.name == "partial_coverage":
            return [r for r in rows if r["commune_code"] not in self.targets]
        if self.name == "obstacles_fall":
            return [r for r in rows if r["obstacle_id"] not in self.targets]
        commune, field = self.targets[0].split("|")
        out = []
        for row in rows:
            if row["commune_code"] == commune and row["field_code"] == field:
                row = dict(row)
                value = row[self.measure]
                row[self.measure] = {
                    "jump": value + 40,
                    "decimal_slip": value * 10,
                    "flat_change": value + 7,
                }[self.name]
            out.append(row)
        return out

    def row(self) -> dict:
        return {
            "plant": self.name,
            "week": str(self.week),
            "province_code": self.province_code,
            "kind": self.kind,
            "targets": " ".join(self.targets),
            "measure": self.measure,
            "rules": " ".join(self.rules),
        }


PLANTS_COLUMNS = ("plant", "week", "province_code", "kind", "targets", "measure", "rules")
FINDINGS_COLUMNS = ("week", "province_code", "rule_id", "commune_code", "field_code", "measure")


def read_rules() -> dict[str, dict[str, float]]:
    """Thresholds per rule id, as the dbt seed holds them."""
    with RULES_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["rule_id"]: {
                k: float(row[k]) for k in ("threshold", "min_change", "window_weeks", "min_history")
            }
            for row in csv.DictReader(handle)
        }


def plan_plants(
    seed: int,
    provinces: list[str],
    weeks: list[IsoWeek],
    scale: int,
    usable,
) -> dict[tuple[str, IsoWeek, str], Plant]:
    """One plant of each sort in a run of at least :data:`MIN_WEEKS` weeks, each in its own
    province when there are enough, in a week with a clean file of the kind, as in the
    :data:`HISTORY` weeks before (``usable(pp, week, kind)``); none in a shorter run."""
    if len(weeks) < MIN_WEEKS:
        return {}
    rng = random.Random(f"{seed}:quality-plants")
    order = list(provinces)
    rng.shuffle(order)
    candidates = [(pp, w) for pp in order for w in weeks[HISTORY:]]
    plants: dict[tuple[str, IsoWeek, str], Plant] = {}
    taken: set[str] = set()

    def slots(kind: str):
        fresh = [(pp, w) for pp, w in candidates if pp not in taken]
        for pp, week in fresh or candidates:
            if all(usable(pp, week.shift(-back), kind) for back in range(HISTORY + 1)):
                yield pp, week, province_world(seed, pp, scale, weeks[-1])

    for name in ("partial_coverage", "jump", "decimal_slip", "flat_change"):
        for pp, week, world in slots("staffing"):
            plant = _staffing_plant(name, pp, week, world, weeks, rng)
            if plant is not None:
                plants[(pp, week, "staffing")] = plant
                taken.add(pp)
                break
    for pp, week, world in slots("obstacles"):
        plant = _obstacles_plant(pp, week, world)
        if plant is not None:
            plants[(pp, week, "obstacles")] = plant
            break
    return plants


# The plants in one commune × field cell: the measure each changes and the rules that must flag it.
_CELL_PLANTS = {
    "jump": ("filled_posts", ("flat_value_changed", "value_outlier")),
    "decimal_slip": ("approved_posts", ("flat_value_changed", "value_outlier")),
    "flat_change": ("filled_posts", ("flat_value_changed",)),
}


def _staffing_plant(name, pp, week, world, weeks, rng) -> Plant | None:
    staffing = world.staffing
    if name == "partial_coverage":
        communes = sorted({c for c, _ in staffing.cells})
        dropped = rng.sample(communes, max(2, len(communes) // 12))
        return Plant(
            name, pp, week, "staffing", tuple(sorted(dropped)), "commune", ("commune_missing",)
        )
    measure, rules = _CELL_PLANTS[name]
    seen = [w for w in weeks if w < week]
    for i in rng.sample(range(len(staffing.cells)), len(staffing.cells)):
        commune, field = staffing.cells[i]
        history = [staffing.filled[w][i] for w in seen]
        if _cell_fits(name, staffing.approved[i], staffing.filled[week][i], history):
            return Plant(name, pp, week, "staffing", (f"{commune}|{field}",), measure, rules)
    return None


def _cell_fits(name: str, approved: int, filled: int, history: list[int]) -> bool:
    """Whether a commune × field cell can carry the plant: a decimal slip wants 2 or more approved
    posts, a jump 3 to 8 filled posts over a history that varies, a flat change 3 or more filled
    posts over a history that never moved."""
    if name == "decimal_slip":
        return approved >= 2
    if name == "jump":
        return 3 <= filled <= 8 and _spread(history)
    return len(set(history)) == 1 and filled >= 3


def _spread(values: list[int]) -> bool:
    """A history whose median absolute deviation is not 0 (the modified z-score applies)."""
    if not values:
        return False
    middle = median(values)
    return median(abs(v - middle) for v in values) > 0


def _obstacles_plant(pp, week, world) -> Plant | None:
    """Two open obstacles left out of a week's list in which none was resolved since the week
    before: the open count falls with nothing resolved."""
    before = week.shift(-1).sunday
    rows = world.obstacle_rows(week.sunday)
    if any(r["resolved_date"] and before < r["resolved_date"] for r in rows):
        return None
    open_ids = [r["obstacle_id"] for r in rows if r["status"] != "da_thao_go"]
    if len(open_ids) < 3:
        return None
    return Plant(
        "obstacles_fall",
        pp,
        week,
        "obstacles",
        tuple(sorted(open_ids)[:2]),
        "obstacles_open",
        ("obstacles_fell_unresolved",),
    )


# --- the rules, applied to the accepted rows --------------------------------------------------


def _history_rule(values: list[int], value: int, rules: dict) -> str | None:
    """value_outlier / flat_value_changed for one value against its cell's earlier values."""
    outlier, flat = rules["value_outlier"], rules["flat_value_changed"]
    window = values[-int(outlier["window_weeks"]) :]
    if len(window) < outlier["min_history"] or (len(set(window)) == 1 and value == window[0]):
        return None
    middle = median(window)
    mad = median(abs(v - middle) for v in window)
    change = abs(value - middle)
    if mad > 0:
        z = MAD_SCALE * change / mad
        if z > outlier["threshold"] and change > outlier["min_change"]:
            return "value_outlier"
        return None
    if change > flat["threshold"] * middle and change > flat["min_change"]:
        return "flat_value_changed"
    return None


def _staffing_findings(week: IsoWeek, pp: str, rows: list[dict], history, rules) -> set[Key]:
    found: set[Key] = set()
    bound, usual = rules["filled_over_approved"], rules["approved_above_province"]
    by_field: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_field[row["field_code"]].append(row["approved_posts"])
    medians = {field: median(values) for field, values in by_field.items()}
    for row in rows:
        commune, field = row["commune_code"], row["field_code"]
        for measure in ("approved_posts", "filled_posts"):
            values = history[(commune, field, measure)]
            rule = _history_rule(values, row[measure], rules)
            if rule:
                found.add((rule, pp, commune, field, measure))
            values.append(row[measure])
        if row["filled_posts"] > bound["threshold"] * row["approved_posts"]:
            found.add(("filled_over_approved", pp, commune, field, "filled_posts"))
        middle = medians[field]
        if (
            row["approved_posts"] > usual["threshold"] * middle
            and row["approved_posts"] - middle > usual["min_change"]
        ):
            found.add(("approved_above_province", pp, commune, field, "approved_posts"))
    return found


def _total_findings(pp: str, totals: dict[str, list[int]], row: dict, rules) -> set[Key]:
    shift = rules["province_total_shift"]
    found: set[Key] = set()
    for measure in ("approved_posts", "filled_posts"):
        window = totals[measure][-int(shift["window_weeks"]) :]
        value = row[measure]
        if len(window) >= shift["min_history"]:
            middle = median(window)
            if abs(value - middle) > shift["threshold"] * middle:
                found.add(("province_total_shift", pp, None, None, measure))
        totals[measure].append(value)
    return found


def expected_findings(
    accepted: dict[tuple[str, IsoWeek, str], list[dict] | None],
    province_rows: dict[tuple[str, IsoWeek], dict],
    weeks: list[IsoWeek],
    provinces: list[str],
) -> list[dict]:
    """Every finding of ``data_quality_findings`` over the run's weeks: ``accepted`` maps
    (province, week, kind) to the accepted rows of the file in effect (None: none accepted);
    ``province_rows`` are the truth's province_weekly rows."""
    rules = read_rules()
    out = []
    for pp in provinces:
        history: dict[tuple, list[int]] = defaultdict(list)
        totals: dict[str, list[int]] = defaultdict(list)
        last_communes: set[str] | None = None
        last_obstacles: tuple[IsoWeek, int] | None = None
        for week in sorted(weeks):
            found: set[Key] = set()
            staffing = accepted.get((pp, week, "staffing"))
            row = province_rows[(pp, week)]
            if staffing is not None:
                communes = {r["commune_code"] for r in staffing}
                if last_communes is not None:
                    gone = last_communes - communes
                    found |= {("commune_missing", pp, c, None, "commune") for c in gone}
                last_communes = communes
                found |= _staffing_findings(week, pp, staffing, history, rules)
                found |= _total_findings(pp, totals, row, rules)
            obstacles = accepted.get((pp, week, "obstacles"))
            if obstacles is not None:
                if last_obstacles is not None:
                    since, was = last_obstacles
                    resolved = sum(
                        1
                        for r in obstacles
                        if r["status"] == "da_thao_go"
                        and r["resolved_date"]
                        and since.sunday < r["resolved_date"] <= week.sunday
                    )
                    if row["obstacles_open"] < was and resolved == 0:
                        found.add(("obstacles_fell_unresolved", pp, None, None, "obstacles_open"))
                last_obstacles = (week, row["obstacles_open"])
            out += [
                dict(zip(FINDINGS_COLUMNS, (str(week), p, rule, c, f, m), strict=True))
                for rule, p, c, f, m in sorted(found, key=str)
            ]
    return out
