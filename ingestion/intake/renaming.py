"""What a file name that breaks the naming rule still tells (kind, week) and what the sender
should rename the file to; pure functions over the name and its received time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.vietnamese import plain_words
from core.weeks import VN_TZ, IsoWeek
from ingestion.contract.columns import KIND_ALIASES, REPORT, REPORT_EXTENSIONS
from ingestion.contract.messages import SAVE_AS_FORMATS

# Aliases without separators, longest first, so "bienche" and "bien che" both read as staffing.
_SQUASHED_ALIASES = sorted(
    ((alias.replace("_", ""), alias, kind) for alias, kind in KIND_ALIASES.items()),
    key=lambda item: -len(item[0]),
)
_YEAR = r"(?<!\d)(?P<year>20\d{2})"
_WEEK = r"(?P<week>\d{1,2})(?!\d)"
# Tried in order on the name folded to ASCII words ("Biên chế tuần 35 năm 2025" →
# "bien che tuan 35 nam 2025"). A bare "2025 35" must end the name, so dates such as
# "2025-08-29" are never read as weeks.
_WEEK_PATTERNS = (
    re.compile(rf"{_YEAR} ?w ?{_WEEK}"),
    re.compile(rf"(?:\b|(?<=\d))w ?{_WEEK} ?(?:nam )?{_YEAR}"),
    re.compile(rf"(?:\b|(?<=\d))tuan ?{_WEEK}(?: nam)? {_YEAR}"),
    re.compile(rf"{_YEAR} {_WEEK}(?: v ?\d{{1,3}})?$"),
    re.compile(rf"(?:\b|(?<=\d))(?:w|tuan) ?{_WEEK}"),
)


@dataclass(frozen=True)
class NameReading:
    """What could be read from a file name: each part None when it could not be told."""

    kind: str | None
    alias: str | None  # the kind as the sender wrote it, e.g. "bien_che"
    week: IsoWeek | None
    extension: str


_DOCUMENTS = (*REPORT_EXTENSIONS, "doc", "docm")


def _kind(words: str, extension: str) -> tuple[str | None, str | None]:
    """The kind a malformed name gives; "báo cáo" names a report only in a document's name
    (clerks call every file a "báo cáo": "bao cao bien che tuan 35.xlsx")."""
    squashed = words.replace(" ", "")
    found = {
        (alias, kind)
        for key, alias, kind in _SQUASHED_ALIASES
        if key in squashed and (kind != REPORT or extension in _DOCUMENTS)
    }
    kinds = {kind for _, kind in found}
    if len(kinds) != 1:
        return None, None
    alias = max((alias for alias, _ in found), key=len)
    return kinds.pop(), alias


def _nearest_year(week: int, received_at: datetime) -> IsoWeek | None:
    """The ISO week numbered ``week`` closest to the day the file arrived (names without a year)."""
    day = received_at.astimezone(VN_TZ).date()
    candidates = []
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            candidates.append(IsoWeek(year, week))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda w: abs((w.monday - day).days))


def _week(words: str, received_at: datetime) -> IsoWeek | None:
    for pattern in _WEEK_PATTERNS:
        match = pattern.search(words)
        if match is None:
            continue
        number = int(match["week"])
        year = match.groupdict().get("year")
        if year is None:
            return _nearest_year(number, received_at)
        try:
            return IsoWeek(int(year), number)
        except ValueError:
            return None
    return None


def read_name(file_name: str, received_at: datetime) -> NameReading:
    """Kind and week read from a malformed name such as ``bien che 2025 W35.xlsx``,
    ``staffing_2025-35.xlsx`` or ``vuong_mac_tuan35_2025.csv``; a week without a year is taken
    in the year that puts it nearest to the day the file arrived."""
    stem, dot, extension = file_name.strip().rpartition(".")
    if not dot:
        stem, extension = file_name.strip(), ""
    words = plain_words(stem)
    extension = extension.strip().lower()
    kind, alias = _kind(words, extension)
    return NameReading(kind, alias, _week(words, received_at), extension)


def contract_name(alias: str, week: IsoWeek, version: int, extension: str) -> str:
    """A name as SPEC §2 writes it: ``<alias>_<YYYY>-W<ww>[_v<n>].<ext>`` (no ``_v1``)."""
    suffix = f"_v{version}" if version > 1 else ""
    return f"{alias}_{week}{suffix}.{extension}"


def suggested_name(reading: NameReading, next_version: int) -> str | None:
    """The name a misnamed file would carry under the contract, when its kind and week can be
    read; ``next_version`` is the first version not yet used for that kind and week. (Whether
    its extension is one the contract takes is for the caller to check with the name parser.)"""
    if reading.kind is None or reading.alias is None or reading.week is None:
        return None
    return contract_name(reading.alias, reading.week, next_version, reading.extension)


_EXAMPLE_ALIASES = (
    ("bien_che", "biên chế, nhân sự"),
    ("biet_phai", "biệt phái"),
    ("vuong_mac", "vướng mắc"),
)


@dataclass(frozen=True)
class RenameAdvice:
    """For a misnamed file: what its name lacks, the name to use (or a pattern), what to do."""

    problem: str
    rename_to: str
    action: str


def rename_advice(
    file_name: str, received_at: datetime, filed_week: str, suggested: str | None
) -> RenameAdvice:
    """Vietnamese advice for a misnamed file; ``suggested`` is its registry ``suggested_name``."""
    unchecked = "Nội dung tệp chưa được kiểm tra; tệp sẽ được kiểm tra khi gửi lại với tên đúng."
    if suggested:
        return RenameAdvice(
            "Tên tệp không theo mẫu <loại>_<năm>-W<tuần>[_v<số>].<đuôi>.",
            suggested,
            f"Đổi tên tệp thành «{suggested}» rồi gửi lại. {unchecked}",
        )
    reading = read_name(file_name, received_at)
    if reading.kind is None and reading.week is None:
        problem = "Không đọc được loại báo cáo và tuần báo cáo từ tên tệp."
    elif reading.kind is None:
        problem = f"Không đọc được loại báo cáo từ tên tệp (tuần đọc được: {reading.week})."
    elif reading.week is None:
        problem = "Không đọc được tuần báo cáo từ tên tệp (tuần ghi dạng 2025-W35, theo lịch ISO)."
    else:
        problem = f"Đuôi tệp «.{reading.extension}» không được nhận."
    aliases = [(a, label) for a, label in _EXAMPLE_ALIASES if reading.alias in (None, a)]
    if reading.alias is not None and not aliases:
        aliases = [(reading.alias, "")]
    extension = reading.extension if reading.extension in ("xlsx", "csv") else "xlsx"
    examples = ", ".join(
        f"{alias}_{filed_week}.{extension}" + (f" ({label})" if label and len(aliases) > 1 else "")
        for alias, label in aliases
    )
    name = "Đặt lại tên tệp"
    if reading.extension in SAVE_AS_FORMATS:  # a rename does not make it an .xlsx: a save does
        label, how, _ = SAVE_AS_FORMATS[reading.extension]
        name = f"Tệp là {label}: hãy mở tệp, {how}, đặt tên"
    return RenameAdvice(
        problem,
        f"<loại>_<năm>-W<tuần>.{extension}, ví dụ {examples}",
        f"{name} theo mẫu <loại>_<năm>-W<tuần>.{extension} (thêm _v2, _v3… cho bản "
        f"sửa), ví dụ cho tuần {filed_week}: {examples}; rồi gửi lại. {unchecked}",
    )
