"""The clean world: every commune's posts per field, secondments and obstacles, week by week."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from core import reference
from core.weeks import IsoWeek
from simulator import vocab

EPOCH = date(2025, 7, 1)  # the two-level government starts
EPOCH_WEEK = IsoWeek.of(EPOCH)
MINISTRY_START = date(2025, 8, 20)
MINISTRY_END = date(2025, 10, 20)
DIEN_BIEN = "11"

# Share of a commune's approved posts per field; how filled posts lean (surplus > 0, shortage < 0).
FIELD_WEIGHT = {
    "van_phong": 5.0,
    "tu_phap": 2.0,
    "cntt_chuyen_doi_so": 1.5,
    "tai_chinh_ke_toan": 2.5,
    "xay_dung_giao_thong": 2.0,
    "cong_thuong": 1.5,
    "nong_nghiep_moi_truong": 2.5,
    "dat_dai": 2.5,
    "noi_vu": 2.0,
    "lao_dong_xa_hoi": 2.0,
    "van_hoa_thong_tin": 2.0,
    "giao_duc": 1.5,
    "y_te": 1.5,
    "dan_toc_ton_giao": 1.0,
    "hanh_chinh_cong": 3.0,
}
FIELD_LEAN = {
    "van_phong": (0, 3),
    "tu_phap": (-1, 1),
    "cntt_chuyen_doi_so": (-2, 0),
    "tai_chinh_ke_toan": (-1, 1),
    "xay_dung_giao_thong": (-2, 0),
    "cong_thuong": (-1, 0),
    "nong_nghiep_moi_truong": (-1, 1),
    "dat_dai": (-2, 0),
    "noi_vu": (0, 2),
    "lao_dong_xa_hoi": (-1, 1),
    "van_hoa_thong_tin": (0, 2),
    "giao_duc": (-1, 1),
    "y_te": (-1, 1),
    "dan_toc_ton_giao": (-1, 1),
    "hanh_chinh_cong": (-1, 1),
}


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible generator for one part of the world."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


@dataclass(frozen=True)
class Secondment:
    assignment_id: str
    official_id: str
    full_name: str
    origin_unit: str
    origin_level: str
    destination_code: str
    field_code: str
    start_date: date
    end_date: date | None
    listed_from: date  # first day it appears on the province's roster
    cancelled_on: date | None = None

    def row(self, day: date) -> dict:
        """The roster row as the province reports it on ``day``."""
        if self.cancelled_on is not None and self.cancelled_on <= day:
            status = "huy"
        elif self.end_date is not None and self.end_date < day:
            status = "da_ket_thuc"
        else:
            status = "dang_biet_phai"
        return {
            "assignment_id": self.assignment_id,
            "official_id": self.official_id,
            "full_name": self.full_name,
            "origin_unit": self.origin_unit,
            "origin_level": self.origin_level,
            "destination_code": self.destination_code,
            "field_code": self.field_code,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "status": status,
        }


@dataclass(frozen=True)
class Obstacle:
    obstacle_id: str
    commune_code: str
    category_code: str
    description: str
    raised_date: date
    level: str
    processing_on: date | None
    escalated_on: date | None
    escalated_level: str
    resolved_on: date | None

    def row(self, day: date) -> dict:
        """The obstacle with its latest status as of ``day`` (only call when raised by then)."""
        level, resolved = self.level, None
        if self.resolved_on is not None and self.resolved_on <= day:
            status, resolved = "da_thao_go", self.resolved_on
            if self.escalated_on is not None and self.escalated_on <= day:
                level = self.escalated_level
        elif self.escalated_on is not None and self.escalated_on <= day:
            status, level = "kien_nghi", self.escalated_level
        elif self.processing_on is not None and self.processing_on <= day:
            status = "dang_xu_ly"
        else:
            status = "moi"
        return {
            "obstacle_id": self.obstacle_id,
            "commune_code": self.commune_code,
            "category_code": self.category_code,
            "description": self.description,
            "raised_date": self.raised_date,
            "resolution_level": level,
            "status": status,
            "resolved_date": resolved,
        }


@dataclass(frozen=True)
class Staffing:
    """Approved posts per commune × field, and filled posts for each week since the epoch."""

    cells: tuple[tuple[str, str], ...]  # (commune_code, field_code)
    approved: tuple[int, ...]
    filled: dict[IsoWeek, tuple[int, ...]]


def _staffing(seed: int, pp: str, last: IsoWeek) -> Staffing:
    rng = rng_for(seed, pp, "staffing")
    fields = list(reference.code_list(reference.FIELDS))
    total_weight = sum(FIELD_WEIGHT[f] for f in fields)
    cells, approved, filled = [], [], []
    for commune in reference.communes_of(pp):
        posts = rng.randint(30, 40)
        well_staffed = rng.random() < 0.4  # no field short (yet)
        for field in fields:
            share = posts * FIELD_WEIGHT[field] / total_weight
            a = max(1, round(share + rng.uniform(-0.8, 0.8)))
            low, high = FIELD_LEAN[field]
            if well_staffed:
                low, high = max(low, 0), max(high, 0)
            cells.append((commune, field))
            approved.append(a)
            filled.append(max(0, a + rng.randint(low, high)))
    weeks: dict[IsoWeek, tuple[int, ...]] = {}
    week = EPOCH_WEEK
    current = filled
    while week <= last:
        weeks[week] = tuple(current)
        drift = rng_for(seed, pp, "drift", week)
        current = list(current)
        for _ in range(max(1, len(current) // 40)):
            i = drift.randrange(len(current))
            gap = approved[i] - current[i]
            roll = drift.random()
            if gap > 0 and roll < 0.6:
                current[i] += 1  # recruitment fills a shortage
            elif (gap < 0 and roll < 0.5) or (current[i] > 0 and roll < 0.15):
                current[i] -= 1  # retirement, Decree 178 exit, transfer
        week = week.shift(1)
    return Staffing(tuple(cells), tuple(approved), weeks)


def _secondments(seed: int, pp: str, scale: int) -> list[Secondment]:
    rng = rng_for(seed, pp, "secondments")
    province = reference.provinces()[pp]
    communes = reference.communes_of(pp)
    where = province.name if province.name.startswith("Thành phố") else f"tỉnh {province.name}"
    rows = [
        Secondment(
            f"BNV-BP-{pp}",
            f"BNV{rng.randint(10000, 99999)}",
            vocab.person_name(rng),
            "Bộ Nội vụ",
            "bo",
            pp,
            "noi_vu",
            MINISTRY_START,
            MINISTRY_END,
            MINISTRY_START - timedelta(days=rng.randint(0, 5)),
        )
    ]
    n_tinh = (
        86 if pp == DIEN_BIEN else max(12, min(110, round(len(communes) * rng.uniform(0.25, 0.7))))
    )
    n_xa = rng.randint(2, 6)
    serial = 0
    for _ in range(n_tinh * scale):
        serial += 1
        field = rng.choice(vocab.SECONDMENT_FIELDS)
        start = date(2025, 7, 15) + timedelta(days=rng.randint(0, 125))
        end = None if rng.random() < 0.08 else start + timedelta(days=rng.randint(175, 190))
        cancelled = start + timedelta(days=rng.randint(-5, 30)) if rng.random() < 0.04 else None
        rows.append(
            Secondment(
                f"{pp}-BP{serial:04d}",
                f"CB{pp}{rng.randint(100000, 999999)}",
                vocab.person_name(rng),
                f"{vocab.DEPARTMENT_OF_FIELD[field]} {where}",
                "tinh",
                rng.choice(communes),
                field,
                start,
                end,
                start - timedelta(days=rng.randint(0, 12)),
                cancelled,
            )
        )
    for _ in range(n_xa * scale):
        serial += 1
        field = rng.choice(vocab.SECONDMENT_FIELDS)
        origin, destination = rng.sample(communes, 2)
        origin_commune = reference.communes()[origin]
        start = date(2025, 7, 20) + timedelta(days=rng.randint(0, 110))
        rows.append(
            Secondment(
                f"{pp}-BP{serial:04d}",
                f"CB{pp}{rng.randint(100000, 999999)}",
                vocab.person_name(rng),
                f"UBND {origin_commune.name}",
                "xa",
                destination,
                field,
                start,
                start + timedelta(days=rng.randint(85, 95)),
                start - timedelta(days=rng.randint(0, 7)),
            )
        )
    return rows


def _obstacles(seed: int, pp: str, scale: int, last: IsoWeek) -> list[Obstacle]:
    rng = rng_for(seed, pp, "obstacles")
    communes = reference.communes_of(pp)
    categories = list(reference.code_list(reference.OBSTACLE_CATEGORIES))
    base_rate = len(communes) / 30 * rng.uniform(0.6, 1.4)
    rows: list[Obstacle] = []
    week = EPOCH_WEEK
    while week <= last:
        weekly = rng_for(seed, pp, "obstacles", week)
        rate = base_rate * (1.6 if week.monday < date(2025, 9, 1) else 1.0) * scale
        count = int(rate) + (1 if weekly.random() < rate - int(rate) else 0)
        for _ in range(count):
            category = weekly.choice(categories)
            raised = week.monday + timedelta(days=weekly.randint(0, 5))
            raised = max(raised, EPOCH)
            processing = (
                raised + timedelta(days=weekly.randint(1, 10)) if weekly.random() < 0.85 else None
            )
            escalated = None
            if processing is not None and weekly.random() < 0.2:
                escalated = processing + timedelta(days=weekly.randint(3, 14))
            resolved = None
            if weekly.random() < 0.7:
                resolved = raised + timedelta(days=round(weekly.lognormvariate(2.6, 0.6)))
                if escalated is not None:
                    resolved = max(resolved, escalated + timedelta(days=weekly.randint(5, 30)))
                if processing is not None and processing > resolved:
                    processing = resolved
            rows.append(
                Obstacle(
                    f"{pp}-VM{len(rows) + 1:04d}",
                    weekly.choice(communes),
                    category,
                    weekly.choice(vocab.DESCRIPTIONS[category]),
                    raised,
                    weekly.choice(("xa", "xa", "tinh")),
                    processing,
                    escalated,
                    weekly.choice(("bo", "bo", "chinh_phu")),
                    resolved,
                )
            )
        week = week.shift(1)
    return rows


@dataclass(frozen=True)
class ProvinceWorld:
    """Everything one province knows; snapshots are taken per reporting week."""

    code: str
    staffing: Staffing
    secondments: tuple[Secondment, ...]
    obstacles: tuple[Obstacle, ...]

    def staffing_rows(self, week: IsoWeek, report_date: date) -> list[dict]:
        filled = self.staffing.filled[week]
        return [
            {
                "commune_code": c,
                "field_code": f,
                "approved_posts": a,
                "filled_posts": n,
                "report_date": report_date,
            }
            for (c, f), a, n in zip(
                self.staffing.cells, self.staffing.approved, filled, strict=True
            )
        ]

    def secondment_rows(self, day: date) -> list[dict]:
        return [s.row(day) for s in self.secondments if s.listed_from <= day]

    def obstacle_rows(self, day: date) -> list[dict]:
        return [o.row(day) for o in self.obstacles if o.raised_date <= day]


@cache
def province_world(seed: int, pp: str, scale: int, last: IsoWeek) -> ProvinceWorld:
    """The clean model of one province, up to week ``last`` (same seed → same world)."""
    return ProvinceWorld(
        pp,
        _staffing(seed, pp, last),
        tuple(_secondments(seed, pp, scale)),
        tuple(_obstacles(seed, pp, scale, last)),
    )
