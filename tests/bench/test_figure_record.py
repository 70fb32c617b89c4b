"""A figure's record: each side names what it timed, its median and samples, and what it kept."""

from __future__ import annotations

from bench.common import Side, median_ratio_figure


def test_ratio_is_the_median_of_one_side_over_the_other():
    record = median_ratio_figure(
        9,
        "slow ÷ fast",
        reps=3,
        numerator=Side("slow", [3.0, 1.0, 2.0], {"runs": ["a", "b", "c"]}),
        denominator=Side("fast", [4.0, 0.5, 1.0]),
        target=1.5,
        note="n",
    )
    assert record["ratio"] == 2.0
    assert record["pass"] is False
    assert record["numerator"] == {
        "what": "slow",
        "median_s": 2.0,
        "samples_s": [3.0, 1.0, 2.0],
        "runs": ["a", "b", "c"],
    }
    assert list(record["numerator"]) == ["what", "median_s", "samples_s", "runs"]
    assert record["denominator"] == {"what": "fast", "median_s": 1.0, "samples_s": [4.0, 0.5, 1.0]}
