"""The tables of docs/ that the code already holds, written into the hand-written pages.

Kinds, file names, columns and headers come from ``ingestion.contract.columns`` and
``ingestion.intake.filenames``; code lists and reason labels from the dbt seeds
(``core.reference``); messages from ``ingestion.contract.messages``; warnings from
``ingestion.contract.warnings``; limits and the configuration from ``core.settings``; the
published column names from ``core.metrics``. Each table sits between two marked lines of a
page::

    <!-- BEGIN GENERATED reasons: python -m tools.docs_tables -->
    <!-- END GENERATED reasons -->

``python -m tools.docs_tables`` rewrites every marked region in place; ``--check`` only names the
pages that differ (exit 1). ``tests/architecture/test_docs.py`` fails on any difference.
"""

from __future__ import annotations

import argparse
import csv
import re
import string
import sys
from collections.abc import Callable, Iterable

from core import metrics, reference
from core.settings import LIMITS, PROJECT_ROOT, SEEDS_DIR, VARIABLES, WINDOW, Variable
from ingestion.contract import columns as contract
from ingestion.contract import messages, warnings
from ingestion.intake import filenames

PAGES = (
    PROJECT_ROOT / "docs" / "analysts.md",
    PROJECT_ROOT / "docs" / "file-contract.md",
    PROJECT_ROOT / "docs" / "huong-dan-gui-tep.md",
    PROJECT_ROOT / "docs" / "configuration.md",
)
COMMAND = "python -m tools.docs_tables"
REGION = re.compile(
    r"<!-- BEGIN GENERATED (?P<name>[a-z0-9-]+): python -m tools\.docs_tables -->\n"
    r"(?P<body>.*?)"
    r"<!-- END GENERATED (?P=name) -->",
    re.DOTALL,
)

# The name of each code list a contract column is checked against, in English and Vietnamese.
LIST_TITLES = {
    reference.FIELDS: ("field", "Lĩnh vực"),
    reference.OBSTACLE_CATEGORIES: ("obstacle category", "Nhóm vướng mắc"),
    reference.LEVELS: ("level", "Cấp"),
    reference.SECONDMENT_STATUSES: ("secondment status", "Trạng thái biệt phái"),
    reference.OBSTACLE_STATUSES: ("obstacle status", "Trạng thái vướng mắc"),
}

ENGLISH, VIETNAMESE = 0, 1  # the languages of LIST_TITLES and LIST_NOTES
# How a column's values are described: from which list, then the part of it allowed.
LIST_NOTES = (
    ("code list *{}*", ": {} only"),
    ("mã hoặc tên trong danh mục «{}»", " (chỉ {})"),
)

# What each placeholder of a Vietnamese message stands for, as the clerks' guide shows it.
PLACEHOLDERS_VI = {
    "accepted": "các tên cột được chấp nhận",
    "allowed": "các mã hoặc tên trong danh mục",
    "cells": "số ô",
    "column": "tên cột",
    "dimension": "vùng dữ liệu",
    "file": "tên tệp",
    "first": "tuần đầu",
    "format": "định dạng tệp",
    "how": "cách lưu lại thành .xlsx",
    "key_label": "mã",
    "key_text": "giá trị mã",
    "last": "tuần cuối",
    "length": "số ký tự",
    "limit": "mức cho phép",
    "limit_mb": "mức cho phép",
    "merges": "số vùng ô gộp",
    "next_name": "tên tệp gửi tiếp",
    "other": "tỉnh khác",
    "owner": "tỉnh khác",
    "owner_rows": "số dòng",
    "packed_kb": "dung lượng nén",
    "pages": "số trang",
    "chars": "số ký tự",
    "province": "tỉnh mình",
    "raised": "ngày phát sinh",
    "ratio": "tỉ lệ",
    "rows": "các dòng trùng",
    "rows_total": "tổng số dòng",
    "seconds": "số giây",
    "sections": "tên các mục",
    "sheet": "tên trang tính",
    "sheets": "tên các trang tính",
    "size_mb": "dung lượng",
    "start": "ngày bắt đầu",
    "value": "giá trị",
    "week": "tuần",
    "week_end": "ngày cuối tuần",
    "week_start": "ngày đầu tuần",
}

# The limits a clerk meets, in the clerks' words (the variables of core.settings' LIMITS group).
LIMITS_VI = {
    "MOHA_MAX_FILE_MB": "Dung lượng tệp (MB)",
    "MOHA_MAX_SHEET_CELLS": "Vùng dữ liệu của mỗi trang tính được đọc (ô)",
    "MOHA_MAX_UNCOMPRESSED_MB": "Dung lượng tệp .xlsx, .ods khi giải nén (MB)",
    "MOHA_MAX_COMPRESSION_RATIO": "Tỉ lệ giải nén, với tệp trên 8 MB khi giải nén (lần)",
    "MOHA_MAX_CELL_CHARS": "Độ dài một ô (ký tự)",
    "MOHA_MAX_COUNT": "Số người của một xã, một lĩnh vực",
    "MOHA_MAX_PDF_PAGES": "Số trang của một báo cáo PDF",
    "MOHA_MAX_DOCUMENT_CHARS": "Số ký tự của một báo cáo (.docx, .pdf)",
    "MOHA_PARSE_TIMEOUT_SECONDS": "Thời gian đọc một tệp (giây)",
    "MOHA_PARSE_MEMORY_MB": "Bộ nhớ để đọc một tệp (MB)",
}


# --- Markdown -----------------------------------------------------------------------------------


def _cell(text: str, markdown: bool = False) -> str:
    """A table cell: pipes escaped; outside Markdown, angle brackets too (no HTML)."""
    text = text.replace("|", "\\|")
    if not markdown:
        text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _sections(parts: Iterable[tuple[str, str]]) -> str:
    """Bold titles over their tables."""
    return "\n\n".join(f"**{title}**\n\n{table}" for title, table in parts)


def _per_kind(
    title: Callable[[str], str],
    header: list[str],
    row: Callable[[str, contract.Column], list[str]],
) -> str:
    """One table per kind, a row per contract column."""
    return _sections(
        (title(kind), _table(header, (row(kind, column) for column in contract.COLUMNS[kind])))
        for kind in contract.KINDS
    )


def _each_code_list(title: Callable[[str, str], str], header: list[str]) -> str:
    """One table per code list, a row per code with its Vietnamese label."""
    return _sections(
        (
            title(*LIST_TITLES[name]),
            _table(header, ([_code(c), label] for c, label in reference.code_list(name).items())),
        )
        for name in LIST_TITLES
    )


# --- what the tables are made of ----------------------------------------------------------------


def _aliases(kind: str) -> list[str]:
    """File-name aliases of a kind, the Vietnamese ones first (as clerks write them)."""
    found = [alias for alias, canonical in contract.KIND_ALIASES.items() if canonical == kind]
    return sorted(found, key=lambda alias: alias == kind)


def _values(kind: str, column: str, language: int) -> str:
    """Which code list a column's values come from, in ``language``; "" when none."""
    name = contract.CODE_LISTS[kind].get(column)
    if name is None:
        return ""
    listed, narrowed = LIST_NOTES[language]
    allowed = contract.ALLOWED_CODES.get((kind, column))
    only = narrowed.format(", ".join(_code(c) for c in sorted(allowed))) if allowed else ""
    return listed.format(LIST_TITLES[name][language]) + only


def _kind_label(kind: str) -> str:
    return reference.code_list(reference.REPORT_KINDS)[kind]


def _reasons() -> list[tuple[str, str, str]]:
    """(code, scope, Vietnamese label) in the seed's order; every message code has its row."""
    path = SEEDS_DIR / f"{reference.REASON_CODES}.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [(r["reason_code"], r["scope"], r["label_vi"]) for r in csv.DictReader(handle)]
    seeded = {code for code, _, _ in rows}
    if seeded != set(messages.REASON_CODES):
        raise ValueError(
            f"reason codes differ between {path.name} and ingestion.contract.messages: "
            f"{sorted(seeded ^ set(messages.REASON_CODES))}"
        )
    return rows


def _variants(code: str) -> list[tuple[str, str, str]]:
    """(variant, Vietnamese template, English template) of a reason: the plain one first."""
    found = []
    for key, (vi, en) in messages.templates().items():
        name, _, variant = key.partition(":")
        if name == code:
            found.append((variant, vi, en))
    return found


def _placeholders_vi(template: str) -> str:
    """A Vietnamese message with each placeholder written as what it stands for."""
    missing = {field for _, field, _, _ in string.Formatter().parse(template) if field} - set(
        PLACEHOLDERS_VI
    )
    if missing:
        raise ValueError(
            f"no Vietnamese words for placeholders {sorted(missing)}: add them to "
            "PLACEHOLDERS_VI in tools/docs_tables.py"
        )
    return template.format_map({k: f"‹{v}›" for k, v in PLACEHOLDERS_VI.items()})


def _default(variable: Variable) -> str:
    if variable.shown_default is not None:
        return variable.shown_default
    if variable.default is None:
        return "unset"
    value = variable.default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _code(str(value))


# --- English: docs/file-contract.md -------------------------------------------------------------


def kinds() -> str:
    return _table(
        ["kind", "aliases in file names", "Vietnamese name", "one row per (the key, unique)"],
        (
            [
                _code(kind),
                ", ".join(_code(a) for a in _aliases(kind)),
                _kind_label(kind),
                " × ".join(_code(c) for c in contract.KEYS[kind]),
            ]
            for kind in contract.KINDS
        ),
    )


def file_name() -> str:
    extensions = "|".join(filenames.EXTENSIONS)
    return f"```\n<alias>_<YYYY>-W<ww>[_v<n>].<{extensions}>\n```"


def columns() -> str:
    return _per_kind(
        lambda kind: f"{kind} ({_kind_label(kind)})",
        ["column", "Vietnamese header", "also accepted", "values"],
        lambda kind, column: [
            _code(column.name),
            column.label_vi,
            ", ".join(column.aliases),
            _values(kind, column.name, ENGLISH),
        ],
    )


def code_lists() -> str:
    return _each_code_list(
        lambda english, vietnamese: f"{english} ({vietnamese})", ["code", "Vietnamese label"]
    )


def reasons() -> str:
    rows = []
    for code, scope, label in _reasons():
        for variant, vi, en in _variants(code):
            name = _code(code) + (f" ({variant})" if variant else "")
            rows.append(
                [
                    name,
                    scope if not variant else "",
                    label if not variant else "",
                    _cell(vi),
                    _code(en),
                ]
            )
    return _table(
        ["reason", "scope", "label (Vietnamese)", "message to the province", "English (logs)"],
        rows,
    )


def warnings_table() -> str:
    return _table(
        ["warning", "message to the province", "English (logs)"],
        (
            [_code(code), _cell(warnings.message_vi(code)), _cell(warnings.message_en(code))]
            for code in warnings.WARNING_CODES
        ),
    )


def limits() -> str:
    return _table(
        ["limit", "variable", "default"],
        (
            [_cell(v.doc, markdown=True), _code(v.name), _default(v)]
            for v in VARIABLES
            if v.group in (LIMITS, WINDOW)
        ),
    )


# --- Vietnamese: docs/huong-dan-gui-tep.md ------------------------------------------------------


def _column_label(kind: str, name: str) -> str:
    return next(c.label_vi for c in contract.COLUMNS[kind] if c.name == name)


def loai_tep() -> str:
    return _table(
        ["Loại báo cáo", "Tên tệp bắt đầu bằng", "Mỗi dòng là một (không trùng trong tệp)"],
        (
            [
                _kind_label(kind),
                " hoặc ".join(_code(a) for a in _aliases(kind)),
                " × ".join(_column_label(kind, c) for c in contract.KEYS[kind]),
            ]
            for kind in contract.KINDS
        ),
    )


def cot() -> str:
    return _per_kind(
        lambda kind: f"{_kind_label(kind)} ({' / '.join(_aliases(kind))})",
        ["Tiêu đề cột", "Tên khác cũng được chấp nhận", "Ghi"],
        lambda kind, column: [
            column.label_vi,
            ", ".join([*column.aliases, _code(column.name)]),
            _values(kind, column.name, VIETNAMESE),
        ],
    )


def danh_muc() -> str:
    return _each_code_list(lambda _, vietnamese: vietnamese, ["Mã", "Tên"])


def ly_do() -> str:
    rows = []
    for code, _, label in _reasons():
        for variant, vi, _ in _variants(code):
            rows.append(
                [
                    _code(code) if not variant else "",
                    label if not variant else "",
                    _cell(_placeholders_vi(vi)),
                ]
            )
    return _table(["Mã lý do", "Nghĩa là", "Hệ thống báo và cách sửa"], rows)


def canh_bao() -> str:
    return _table(
        ["Mã", "Nội dung"],
        ([_code(code), _cell(warnings.message_vi(code))] for code in warnings.WARNING_CODES),
    )


def gioi_han() -> str:
    limits = [v for v in VARIABLES if v.group == LIMITS]
    missing = [v.name for v in limits if v.name not in LIMITS_VI]
    if missing:
        raise ValueError(f"no Vietnamese words for {missing}: add them to LIMITS_VI")
    return _table(
        ["Giới hạn", "Mức mặc định"],
        ([LIMITS_VI[v.name], messages.vn_number(v.default)] for v in limits),
    )


# --- docs/analysts.md ---------------------------------------------------------------------------


def published_columns() -> str:
    return _table(
        ["table", "columns, in order"],
        (
            [_code(name), ", ".join(_code(c) for c in columns)]
            for name, columns in (
                ("province_weekly", metrics.PROVINCE_WEEKLY_PACKAGE),
                ("national_weekly", metrics.NATIONAL_WEEKLY_PACKAGE),
                ("vacancies_by_field", metrics.VACANCIES_BY_FIELD_COLUMNS),
            )
        ),
    )


# --- docs/configuration.md ----------------------------------------------------------------------


def configuration() -> str:
    groups: dict[str, list[Variable]] = {}
    for variable in VARIABLES:
        groups.setdefault(variable.group, []).append(variable)
    return "\n\n".join(
        f"### {group}\n\n"
        + _table(
            ["variable", "default", "meaning"],
            ([_code(v.name), _default(v), _cell(v.doc, markdown=True)] for v in variables),
        )
        for group, variables in groups.items()
    )


RENDERERS: dict[str, Callable[[], str]] = {
    "kinds": kinds,
    "file-name": file_name,
    "columns": columns,
    "code-lists": code_lists,
    "reasons": reasons,
    "warnings": warnings_table,
    "limits": limits,
    "loai-tep": loai_tep,
    "cot": cot,
    "danh-muc": danh_muc,
    "ly-do": ly_do,
    "canh-bao": canh_bao,
    "gioi-han": gioi_han,
    "published-columns": published_columns,
    "configuration": configuration,
}


def render(text: str) -> str:
    """``text`` with every marked region holding what its renderer writes now."""

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in RENDERERS:
            raise KeyError(f"no renderer for the region {name!r}")
        return (
            f"<!-- BEGIN GENERATED {name}: {COMMAND} -->\n\n"
            f"{RENDERERS[name]()}\n\n"
            f"<!-- END GENERATED {name} -->"
        )

    return REGION.sub(fill, text)


def regions(text: str) -> list[str]:
    """The names of the marked regions of a page, in order."""
    return [match["name"] for match in REGION.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        rendered = render(text)
        if rendered != text:
            stale.append(page)
            if not args.check:
                page.write_text(rendered, encoding="utf-8")
    verb = "differ from the code" if args.check else "rewritten"
    for page in stale:
        print(f"{page.relative_to(PROJECT_ROOT)}: {verb}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
