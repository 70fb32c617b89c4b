"""The data-quality rules as the simulator applies them (the truth data_quality_findings is held
to), and the plants that must trip them."""

from __future__ import annotations

from core.weeks import IsoWeek
from simulator import quality

RULES = quality.read_rules()
W = [IsoWeek.parse(f"2025-W{n}") for n in range(35, 41)]


def test_the_thresholds_are_the_seed_s() -> None:
    assert RULES["value_outlier"]["threshold"] == 3.5
    assert RULES["value_outlier"]["window_weeks"] == 8
    assert RULES["flat_value_changed"]["threshold"] == 0.5
    assert RULES["flat_value_changed"]["min_change"] == 5
    assert RULES["province_total_shift"]["threshold"] == 0.2


def test_history_rules_modified_z_and_the_flat_fallback() -> None:
    rule = quality._history_rule
    assert rule([5, 6, 5, 6, 5, 6, 5, 6], 50, RULES) == "value_outlier"
    assert rule([5, 6, 5, 6, 5, 6, 5, 6], 7, RULES) is None  # z 4.0, but 1.5 posts only
    assert rule([9, 1, 5, 6, 5, 6, 5, 6, 5, 6], 50, RULES) == "value_outlier"  # last 8 only
    assert rule([4, 4, 4, 4], 11, RULES) == "flat_value_changed"
    assert rule([4, 4, 4, 4], 9, RULES) is None  # 5 posts: not more than 5
    assert rule([20, 20, 20, 20], 29, RULES) is None  # 45 %: not more than 50 %
    assert rule([4, 4, 4], 40, RULES) is None  # three weeks: too short a history


def _staffing(week: IsoWeek, filled: dict[str, int], communes=("00004", "00008")) -> list[dict]:
    return [
        {"commune_code": c, "field_code": f, "approved_posts": 4, "filled_posts": n}
        for c in communes
        for f, n in filled.items()
    ]


def test_expected_findings_from_accepted_rows() -> None:
    accepted, rows = {}, {}
    for i, week in enumerate(W):
        filled = {"van_phong": 4, "y_te": 13 if i == 5 else 4}
        communes = ("00004",) if i == 4 else ("00004", "00008")
        accepted[("01", week, "staffing")] = _staffing(week, filled, communes)
        accepted[("01", week, "obstacles")] = [
            {"status": "moi", "resolved_date": None} for _ in range(3 if i == 3 else 5)
        ]
        rows[("01", week)] = {
            "approved_posts": 8 * len(communes),
            "filled_posts": sum(filled.values()) * len(communes),
            "obstacles_open": 3 if i == 3 else 5,
        }
    found = {
        (f["week"], f["rule_id"], f["commune_code"], f["field_code"], f["measure"])
        for f in quality.expected_findings(accepted, rows, W, ["01"])
    }
    assert ("2025-W39", "commune_missing", "00008", None, "commune") in found
    assert ("2025-W38", "obstacles_fell_unresolved", None, None, "obstacles_open") in found
    assert ("2025-W40", "filled_over_approved", "00004", "y_te", "filled_posts") in found
    assert ("2025-W40", "flat_value_changed", "00004", "y_te", "filled_posts") in found
    # the province total halves in W39 (one commune of two) and moves back in W40
    assert ("2025-W39", "province_total_shift", None, None, "approved_posts") in found


def test_plants_change_only_their_target() -> None:
    rows = [
        {"commune_code": "00004", "field_code": "dat_dai", "approved_posts": 3, "filled_posts": 3},
        {"commune_code": "00008", "field_code": "dat_dai", "approved_posts": 3, "filled_posts": 3},
    ]
    jump = quality.Plant(
        "jump", "01", W[5], "staffing", ("00004|dat_dai",), "filled_posts", ("value_outlier",)
    )
    assert [r["filled_posts"] for r in jump.apply(rows)] == [43, 3]
    slip = quality.Plant(
        "decimal_slip", "01", W[5], "staffing", ("00008|dat_dai",), "approved_posts", ()
    )
    assert [r["approved_posts"] for r in slip.apply(rows)] == [3, 30]
    gone = quality.Plant("partial_coverage", "01", W[5], "staffing", ("00008",), "commune", ())
    assert [r["commune_code"] for r in gone.apply(rows)] == ["00004"]
    obstacles = [{"obstacle_id": "01-VM0001"}, {"obstacle_id": "01-VM0002"}]
    fall = quality.Plant("obstacles_fall", "01", W[5], "obstacles", ("01-VM0001",), "", ())
    assert fall.apply(obstacles) == [{"obstacle_id": "01-VM0002"}]
    assert rows[0]["filled_posts"] == 3  # the clean rows are not changed in place
