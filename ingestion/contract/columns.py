"""The SPEC §2 file contract: kinds, file-name aliases, columns, header aliases and keys."""

from __future__ import annotations

from dataclasses import dataclass

from core import reference

STAFFING = "staffing"
SECONDMENTS = "secondments"
OBSTACLES = "obstacles"
KINDS = (STAFFING, SECONDMENTS, OBSTACLES)  # the tables
REPORT = "bao_cao"  # the seconded official's weekly report: a document (SPEC §2b)
REPORT_EXTENSIONS = ("docx", "pdf")

KIND_ALIASES: dict[str, str] = {
    "staffing": STAFFING,
    "bien_che": STAFFING,
    "nhan_su": STAFFING,
    "secondments": SECONDMENTS,
    "biet_phai": SECONDMENTS,
    "obstacles": OBSTACLES,
    "vuong_mac": OBSTACLES,
    "bao_cao": REPORT,
    "report": REPORT,
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, the Vietnamese label clerks know, and accepted headers."""

    name: str
    label_vi: str
    aliases: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        """Every accepted header text, the canonical name included."""
        return (self.name, self.label_vi, *self.aliases)


_COMMUNE = Column("commune_code", "Mã xã", ("Mã ĐVHC",))
_FIELD = Column("field_code", "Lĩnh vực", ("Mã lĩnh vực",))

COLUMNS: dict[str, tuple[Column, ...]] = {
    STAFFING: (
        _COMMUNE,
        _FIELD,
        Column("approved_posts", "Biên chế được giao"),
        Column("filled_posts", "Số có mặt", ("Số hiện có",)),
        Column("report_date", "Ngày báo cáo"),
    ),
    SECONDMENTS: (
        Column("assignment_id", "Mã biệt phái"),
        Column("official_id", "Mã cán bộ"),
        Column("full_name", "Họ và tên"),
        Column("origin_unit", "Đơn vị cử đi"),
        Column("origin_level", "Cấp cử đi"),
        Column("destination_code", "Nơi đến"),
        _FIELD,
        Column("start_date", "Ngày bắt đầu"),
        Column("end_date", "Ngày kết thúc"),
        Column("status", "Trạng thái"),
    ),
    OBSTACLES: (
        Column("obstacle_id", "Mã vướng mắc"),
        _COMMUNE,
        Column("category_code", "Nhóm vướng mắc"),
        Column("description", "Nội dung"),
        Column("raised_date", "Ngày phát sinh"),
        Column("resolution_level", "Cấp xử lý"),
        Column("status", "Trạng thái"),
        Column("resolved_date", "Ngày tháo gỡ"),
    ),
}

KEYS: dict[str, tuple[str, ...]] = {
    STAFFING: ("commune_code", "field_code"),
    SECONDMENTS: ("assignment_id",),
    OBSTACLES: ("obstacle_id",),
}

# Head counts: a merged count is never copied down (it would count people twice).
COUNT_COLUMNS = ("approved_posts", "filled_posts")

# Kinds whose file may hold the header and no data row: "nothing to report this week" (SPEC §2).
NIL_RETURN_KINDS = frozenset({SECONDMENTS, OBSTACLES})

# Which SPEC code list a coded column is checked against, per kind.
CODE_LISTS: dict[str, dict[str, str]] = {
    STAFFING: {"field_code": reference.FIELDS},
    SECONDMENTS: {
        "field_code": reference.FIELDS,
        "origin_level": reference.LEVELS,
        "status": reference.SECONDMENT_STATUSES,
    },
    OBSTACLES: {
        "category_code": reference.OBSTACLE_CATEGORIES,
        "resolution_level": reference.LEVELS,
        "status": reference.OBSTACLE_STATUSES,
    },
}

# SPEC restricts some columns to part of a list: origin levels exclude the government.
ALLOWED_CODES: dict[tuple[str, str], frozenset[str]] = {
    (SECONDMENTS, "origin_level"): frozenset({"bo", "tinh", "xa"}),
}


def column_names(kind: str) -> tuple[str, ...]:
    """Canonical column names of a kind, in contract order."""
    return tuple(column.name for column in COLUMNS[kind])


def column_label(column: str) -> str:
    """The Vietnamese label of a canonical column (any kind), or the name itself."""
    for columns in COLUMNS.values():
        for candidate in columns:
            if candidate.name == column:
                return candidate.label_vi
    return column
