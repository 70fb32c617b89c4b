"""A value to check again (one row of the mart ``data_quality_findings``): what the warehouse
finds after a build and what the province's weekly summary lists as "đề nghị kiểm tra lại".
Never a rejection: the value stays accepted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueToCheck:
    week: str
    province_code: str
    rule_order: int
    rule_label_vi: str
    commune_name: str | None  # None for a rule on the province's totals
    field_code: str | None
    measure: str
    value: float | None
    expected_low: float | None
    expected_high: float | None
    history: str | None  # the last accepted weeks' values, oldest first
    finding_key: str
