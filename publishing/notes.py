"""The gate's warnings worded for the ministry: short lines for page 1, full ones for the quality
sheet. The figures come from the checks' failing rows (quality.checks computes them)."""

from __future__ import annotations

from typing import Any

from core import vietnamese
from core.metrics import STOCK_METRICS
from quality.results import CheckResult

NATIONAL_CHECK = "national_week_over_week.national_figure_change_within_share"
PROVINCE_CHECK = "province_week_over_week.approved_posts_change_within_share"
COVERAGE_CHECK = "province_weekly.commune_coverage_not_fallen"


def page_notes(warnings: list[CheckResult]) -> list[str]:
    """One line per report kind whose national figures moved beyond the threshold: the first of
    them in headline order (approved posts before filled posts…), and how much of its move is
    coverage (provinces reporting in one of the two weeks only)."""
    rows = [r for c in warnings if c.name == NATIONAL_CHECK for r in c.failing_rows]
    order = {metric: i for i, metric in enumerate(STOCK_METRICS)}
    first: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: order.get(r["metric"], len(order))):
        first.setdefault(vietnamese.METRIC_KIND[row["metric"]], row)
    notes = []
    for kind in ("staffing", "secondments", "obstacles"):
        row = first.get(kind)
        if row is None:
            continue
        text = (
            f"{vietnamese.METRIC_LABELS[row['metric']]} "
            f"{vietnamese.percent(row['change_share_signed'], signed=True)} so với tuần trước"
        )
        if row.get("coverage_points") is not None:
            coverage = vietnamese.number(row["coverage_points"] * 100, 1, signed=True)
            like = vietnamese.number(row["like_for_like_points"] * 100, 1, signed=True)
            text += (
                f": {coverage} điểm % do số tỉnh có báo cáo {vietnamese.KIND_LABELS[kind]} "
                f"thay đổi, {like} điểm % là thay đổi ở các tỉnh báo cáo cả hai tuần"
            )
        notes.append(text + ".")
    return notes


def quality_notes(warnings: list[CheckResult], names: dict[str, str]) -> list[str]:
    """Every warning the ministry should read, in full: national moves with their coverage part,
    provinces whose approved posts moved beyond the threshold, provinces whose staffing file
    covers fewer communes than the week before."""
    notes = []
    for check in warnings:
        if check.name == NATIONAL_CHECK:
            notes += [row["explanation_vi"] for row in check.failing_rows]
        elif check.name == PROVINCE_CHECK:
            for row in check.failing_rows:
                before, now = row.get("previous_approved_posts"), row.get("approved_posts")
                share = None if not before else (now - before) / before
                change = vietnamese.percent(share, signed=True) if share is not None else "từ 0"
                notes.append(
                    f"{names.get(row['province_code'], row['province_code'])}: biên chế được "
                    f"giao {vietnamese.number(before)} → {vietnamese.number(now)} ({change}) so "
                    "với tuần trước; đề nghị tỉnh xác nhận."
                )
        elif check.name == COVERAGE_CHECK:
            for row in check.failing_rows:
                notes.append(
                    f"{names.get(row['province_code'], row['province_code'])}: tệp biên chế có "
                    f"{vietnamese.number(row['communes_reported'])}/"
                    f"{vietnamese.number(row['communes_total'])} xã (tuần trước "
                    f"{vietnamese.number(row['previous_communes_reported'])}); số liệu biên chế "
                    "của tỉnh chưa đủ các xã."
                )
    return notes
