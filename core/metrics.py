"""The published metric and column names, in their published order (never renamed); what each
means: docs/analysts.md#metrics.

One list for everything that names them: the simulator's truth, the package extract, the
quality gate's national = Σ provinces check and the synthetic warehouses of the tests.
"""

from __future__ import annotations

STAFFING_METRICS = ("approved_posts", "filled_posts", "vacancies", "surplus", "communes_short")
SECONDMENT_METRICS = (
    "active_secondments",
    "active_secondments_bo",
    "active_secondments_tinh",
    "secondments_started",
)
OBSTACLE_METRICS = (
    "obstacles_raised",
    "obstacles_resolved",
    "obstacles_open",
    "obstacles_escalated",
    "median_days_to_resolve",
)
METRICS = (*STAFFING_METRICS, *SECONDMENT_METRICS, *OBSTACLE_METRICS, "files_received", "on_time")

PROVINCE_WEEKLY_COLUMNS = ("week", "province_code", "province_name", *METRICS)
NATIONAL_WEEKLY_COLUMNS = ("week", *METRICS)
VACANCIES_BY_FIELD_COLUMNS = (
    "week",
    "province_code",
    "field_code",
    "approved_posts",
    "filled_posts",
    "vacancies",
    "surplus",
)
# Added after the metric columns of national_weekly: how many provinces each kind's figures cover.
COVERAGE_COLUMNS = (
    "provinces_reporting_staffing",
    "provinces_reporting_secondments",
    "provinces_reporting_obstacles",
)
# Commune coverage of the staffing figures (SPEC §3b), after the columns above in province_weekly
# and national_weekly: communes the accepted staffing files report, of the reference communes.
COMMUNE_COVERAGE_COLUMNS = ("communes_reported", "communes_total")
PROVINCE_WEEKLY_PACKAGE = (*PROVINCE_WEEKLY_COLUMNS, *COMMUNE_COVERAGE_COLUMNS)
NATIONAL_WEEKLY_PACKAGE = (*NATIONAL_WEEKLY_COLUMNS, *COVERAGE_COLUMNS, *COMMUNE_COVERAGE_COLUMNS)

# Not sums: the national median is taken over all obstacles, `on_time` counts provinces.
NON_ADDITIVE = ("median_days_to_resolve", "on_time")
# Counts whose national value is the plain sum of the province rows.
ADDITIVE_METRICS = tuple(m for m in METRICS if m not in NON_ADDITIVE)
# Stocks at week end, compared week over week. Flows (raised, resolved, started in the week)
# swing by nature; they are shown as a trend, not flagged.
STOCK_METRICS = (
    *STAFFING_METRICS,
    *SECONDMENT_METRICS[:3],
    "obstacles_open",
    "obstacles_escalated",
)
