"""Reference data: 34 provinces and 3,321 communes (`vietnam-provinces`), the contract's code
lists."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from core.settings import SEEDS_DIR


@dataclass(frozen=True)
class Province:
    code: str  # 2 digits, zero-padded
    name: str
    division_type: str  # "tỉnh" or "thành phố trung ương"

    @property
    def short_name(self) -> str:
        """The name without "Thành phố" ("Hồ Chí Minh"), as labels beside the code use it."""
        return self.name.removeprefix("Thành phố ")


@dataclass(frozen=True)
class Commune:
    code: str  # 5 digits, zero-padded
    name: str
    division_type: str  # "xã", "phường" or "đặc khu"
    province_code: str


@cache
def provinces() -> dict[str, Province]:
    """Province code → province, in code order."""
    from vietnam_provinces import Province as VnProvince

    rows = sorted(VnProvince.iter_all(), key=lambda p: int(p.code))
    return {
        f"{int(p.code):02d}": Province(f"{int(p.code):02d}", p.name, p.division_type.value)
        for p in rows
    }


@cache
def communes() -> dict[str, Commune]:
    """Commune code → commune, in code order."""
    from vietnam_provinces import Ward

    rows = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    return {
        f"{int(w.code):05d}": Commune(
            f"{int(w.code):05d}", w.name, w.division_type.value, f"{int(w.province_code):02d}"
        )
        for w in rows
    }


@cache
def communes_of(province_code: str) -> tuple[str, ...]:
    return tuple(c.code for c in communes().values() if c.province_code == province_code)


@cache
def code_list(name: str) -> dict[str, str]:
    """A code list of the contract (the dbt seed ``<name>.csv``) as code → Vietnamese label."""
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        code_column = reader.fieldnames[0]
        return {row[code_column]: row["label_vi"] for row in reader}


FIELDS = "field_codes"
OBSTACLE_CATEGORIES = "obstacle_categories"
LEVELS = "levels"
SECONDMENT_STATUSES = "secondment_statuses"
OBSTACLE_STATUSES = "obstacle_statuses"
REASON_CODES = "reason_codes"
REPORT_KINDS = "report_kinds"

# The levels an obstacle is escalated through, lowest first (the contract's resolution_level).
LEVEL_ORDER = ("xa", "tinh", "bo", "chinh_phu")
