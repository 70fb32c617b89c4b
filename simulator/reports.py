"""The weekly reports the seconded officials send, inside the secondment waves: Word documents in
the administrative layout with sections in several wordings and numberings (parts "Phần thứ
nhất", wordings after "Những"/"Các"), list entries and a table; a couple of PDFs exported from
Word (LibreOffice), a scan, a Word 97 .doc, a missing week, a late one, a ``_v2``, one with no
recognisable section; and the truth each one plants (sections, items, communes, obstacle
categories)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import ClassVar

from core import reference
from core.vietnamese import plain_words
from core.weeks import IsoWeek
from simulator.report_documents import ReportLayout, Section, pages_pdf, report_docx
from simulator.schedule import window
from simulator.world import rng_for

SECTION_ORDER = ("situation", "results", "obstacles", "proposals", "next_week")
# Wordings of each section's heading (numbering added per document).
WORDINGS = {
    "situation": (
        "TÌNH HÌNH CHUNG",
        "Tình hình vận hành chính quyền địa phương 2 cấp",
        "Khái quát tình hình",
    ),
    "results": (
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "Kết quả công tác",
        "Công việc đã thực hiện",
        "Những việc đã làm trong tuần",
    ),
    "obstacles": ("KHÓ KHĂN, VƯỚNG MẮC", "Tồn tại, hạn chế", "Khó khăn, vướng mắc và nguyên nhân"),
    "proposals": ("ĐỀ XUẤT, KIẾN NGHỊ", "Kiến nghị, đề xuất", "KIẾN NGHỊ"),
    "next_week": (
        "KẾ HOẠCH TUẦN TỚI",
        "Nhiệm vụ tuần tới",
        "Phương hướng nhiệm vụ tuần tới",
        "Nhiệm vụ trọng tâm tuần tới",
    ),
}
# Wordings some officials write after "Những"/"Các", and the parts some number their sections
# as ("Phần thứ nhất. …"): drawn from a report's own headings stream (:func:`_heading`), so
# they leave every other draw of the report (items, communes, marks) as it was.
LED_WORDINGS = {
    "results": ("Những kết quả đạt được", "Các công việc đã thực hiện"),
    "obstacles": ("Những khó khăn, vướng mắc", "NHỮNG TỒN TẠI, HẠN CHẾ"),
    "proposals": ("Các kiến nghị, đề xuất", "CÁC ĐỀ XUẤT, KIẾN NGHỊ"),
    "next_week": ("Các nhiệm vụ tuần tới",),
}
LED_RATE, PART_RATE = 0.3, 0.2
_ROMAN = ("I", "II", "III", "IV", "V")
_ORDINAL_WORDS = ("nhất", "hai", "ba", "tư", "năm")
NUMBERINGS = ("roman", "arabic", "none", "roman_dash")
_PART_SEPARATORS = (". ", ": ", " – ")
MARKS = ("- ", "+ ", "• ", "a) ", "1. ", "")
# Item templates per section: (text, obstacle categories the text names). "{c}" is a commune.
TEMPLATES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "situation": (
        ("Chính quyền địa phương hai cấp tại {c} vận hành ổn định, thông suốt.", ()),
        ("Cán bộ, công chức đã ổn định công việc tại đơn vị mới.", ()),
        ("Người dân đến giao dịch tại {c} tăng so với tuần trước.", ()),
    ),
    "results": (
        ("Đã làm việc với Ủy ban nhân dân {c} về tiến độ giải quyết công việc.", ()),
        ("Hướng dẫn {c} rà soát quy trình tiếp nhận tại bộ phận một cửa.", ("thu_tuc_hanh_chinh",)),
        ("Tham dự họp giao ban với lãnh đạo tỉnh.", ()),
        ("Đầu mối liên hệ của Đoàn: {phone}.", ()),
    ),
    "obstacles": (
        ("{c} thiếu trụ sở làm việc, công chức làm việc tạm tại nhà văn hóa.", ("tru_so_tai_san",)),
        ("Số lượng cấp phó tại {c} vượt quy định sau sắp xếp.", ("so_luong_cap_pho",)),
        ("Đường truyền và dữ liệu dân cư chưa kết nối ổn định.", ("du_lieu_ha_tang_so",)),
        ("Thiếu công chức chuyên môn về đất đai, địa chính.", ("dat_dai", "nhan_su")),
        (
            "Chưa có văn bản hướng dẫn về chế độ phụ cấp cho người hoạt động không chuyên trách.",
            ("ban_hanh_van_ban", "che_do_chinh_sach"),
        ),
        ("Trang thiết bị, máy tính tại {c} còn thiếu.", ("phuong_tien_thiet_bi",)),
    ),
    "proposals": (
        ("Đề nghị Bộ Nội vụ sớm hướng dẫn về số lượng cấp phó ở cấp xã.", ("so_luong_cap_pho",)),
        (
            "Kiến nghị tỉnh bố trí kinh phí mua sắm trang thiết bị cho {c}.",
            ("phuong_tien_thiet_bi", "tai_chinh_ke_toan"),
        ),
        (
            "Đề xuất phân cấp thẩm quyền giải quyết thủ tục đất đai cho cấp xã.",
            ("dat_dai", "phan_cap_tham_quyen"),
        ),
        ("Đề nghị bổ sung biên chế công chức chuyển đổi số.", ("chuyen_doi_so",)),
        ("Kiến nghị hỗ trợ sửa chữa trụ sở làm việc của {c}.", ("tru_so_tai_san",)),
    ),
    "next_week": (
        ("Tiếp tục theo dõi, nắm tình hình tại {c}.", ()),
        ("Phối hợp Sở Nội vụ tổng hợp các kiến nghị của cơ sở.", ()),
        ("Làm việc với {c} về kết quả triển khai dịch vụ công trực tuyến.", ("chuyen_doi_so",)),
    ),
}
TABLE_HEADER = ("Nội dung công việc", "Kết quả")
TABLE_ROWS = (
    (("Rà soát vị trí việc làm", "Hoàn thành"), ()),
    (("Tập huấn phần mềm quản lý văn bản", "Đang thực hiện"), ("chuyen_doi_so",)),
)
PHONE_MASKED = "[đã ẩn]"
MISSING_RATE, LATE_RATE, CORRECTION_RATE = 0.04, 0.08, 0.05
DOC_RATE, SCAN_RATE, NO_SECTION_RATE, PARTIAL_RATE = 0.015, 0.015, 0.015, 0.2
PDFS_PER_RUN = 2  # exported from Word by LibreOffice (seconds each): kept to a couple
_DOC_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)  # a Word 97 (OLE) file's start


@dataclass(frozen=True)
class Item:
    """One item as the pipeline must read it."""

    section: str
    ordinal: int
    text: str
    communes: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass
class SentReport:
    """A report file sent and what it plants."""

    province_code: str
    week: IsoWeek
    name: str
    version: int
    received: datetime
    data: bytes
    format: str  # docx | pdf | doc
    reason: str | None = None  # the whole-file rejection it must get
    sections: tuple[str, ...] = ()
    items: list[Item] = field(default_factory=list)

    # What every sent file tells the expected tables (as simulator.drop.SentFile does): a report's
    # rows are its items, all accepted or, when the whole file is rejected, none.
    kind: ClassVar[str] = "bao_cao"
    shape_name: ClassVar[str] = "report"
    encoding: ClassVar[None] = None
    rows_rejected: ClassVar[int] = 0
    rows_skipped: ClassVar[int] = 0

    @property
    def accepted(self) -> bool:
        return self.reason is None

    @property
    def sim_week(self) -> IsoWeek:
        return self.week

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "rejected"

    @property
    def rows_accepted(self) -> int:
        return len(self.items) if self.accepted else 0

    @property
    def rejections(self) -> list[tuple[None, None, str]]:
        """The whole-file rejection it must get, as (row, column, reason), if any."""
        return [] if self.reason is None else [(None, None, self.reason)]


@cache
def _keywords() -> tuple[tuple[str, str], ...]:
    """(category, keyword) of the seed the warehouse tags items with."""
    with (reference.SEEDS_DIR / "report_keywords.csv").open(encoding="utf-8") as handle:
        return tuple(tuple(line.strip().split(",", 1)) for line in list(handle)[1:])


def _reads_as_planted(text: str, categories: tuple[str, ...]) -> bool:
    """No keyword of another category hides in ``text`` once a commune's name is in it ("Xã
    Diên Hà tăng so với…" holds "ha tang so"): such a commune is not used there."""
    words = f" {plain_words(text)} "
    return {c for c, k in _keywords() if f" {k} " in words} <= set(categories)


@cache
def nameable_communes(pp: str) -> tuple[str, ...]:
    """Communes of ``pp`` a report can name without ambiguity: a full name no other commune of
    the province shares or contains, and in which no category keyword hides."""
    names = {
        code: plain_words(reference.communes()[code].name) for code in reference.communes_of(pp)
    }
    words = [f" {n} " for n in names.values()]
    return tuple(
        code
        for code, name in names.items()
        if sum(f" {name} " in w for w in words) == 1
        and not any(f" {k} " in f" {name} " for _, k in _keywords())
    )


def _wordings(section: str) -> tuple[str, ...]:
    """Every wording the simulator writes a section's heading in."""
    return WORDINGS[section] + LED_WORDINGS.get(section, ())


def _heading(section: str, position: int, numbering: str, rng, headings) -> str:
    """The heading as written; ``headings`` draws the led wordings and the part's punctuation."""
    wording = rng.choice(WORDINGS[section])
    if section in LED_WORDINGS and headings.random() < LED_RATE:
        wording = headings.choice(LED_WORDINGS[section])
    if numbering == "part":
        part = f"Phần thứ {_ORDINAL_WORDS[position]}"
        return (
            (part.upper() if wording.isupper() else part)
            + headings.choice(_PART_SEPARATORS)
            + wording
        )
    number = {
        "roman": f"{_ROMAN[position]}. ",
        "arabic": f"{position + 1}. ",
        "none": "",
        "roman_dash": f"{_ROMAN[position]}- ",
    }[numbering]
    return number + wording


def _commune_text(code: str, rng) -> str:
    commune = reference.communes()[code]
    if rng.random() < 0.2:
        return f"{commune.division_type} mã {code}"
    return " ".join(commune.name.split())  # as a reader sees it: "Phường  Rạch Dừa" has two


def _content(
    pp: str, rng, headings, table: bool
) -> tuple[list[Section], list[Item], tuple[str, ...]]:
    """Sections (four or five, in SPEC order), the items they plant, the sections' codes;
    ``headings`` is the stream the headings' extra variants are drawn from."""
    numbering = rng.choice(NUMBERINGS)
    if headings.random() < PART_RATE:
        numbering = "part"
    present = [s for s in SECTION_ORDER if s != "next_week" or rng.random() < 0.7]
    communes = nameable_communes(pp)
    sections, items = [], []
    for position, section in enumerate(present):
        templates = rng.sample(TEMPLATES[section], rng.randint(1, min(3, len(TEMPLATES[section]))))
        written, ordinal = [], 0
        for text, categories in templates:
            phone = f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
            code, commune = None, ""
            for _ in range(5 * ("{c}" in text and bool(communes))):
                code = rng.choice(communes)
                commune = _commune_text(code, rng)
                if _reads_as_planted(text.format(c=commune, phone=phone), categories):
                    break
            else:
                if "{c}" in text:
                    continue
            shown = text.format(c=commune, phone=phone)
            read = text.format(c=commune, phone=PHONE_MASKED)
            mark = rng.choice(MARKS)
            written.append(mark + shown)
            ordinal += 1
            items.append(Item(section, ordinal, read, (code,) if code else (), categories))
        rows = ()
        if table and section == "results":
            rows = (TABLE_HEADER, *(cells for cells, _ in TABLE_ROWS))
            for cells, categories in TABLE_ROWS:
                ordinal += 1
                items.append(Item(section, ordinal, " | ".join(cells), (), categories))
        heading = _heading(section, position, numbering, rng, headings)
        sections.append(Section(heading, tuple(written), rows))
    return sections, items, tuple(present)


def _received(rng, week: IsoWeek, late: bool) -> datetime:
    start, on_time_end, late_end = window(week)
    if late:
        start, on_time_end = week.deadline + timedelta(minutes=15), late_end
    span = (on_time_end - start).total_seconds()
    return (start + timedelta(seconds=rng.uniform(0, span))).replace(microsecond=0)


def _docx(pp: str, week: IsoWeek, received: datetime, sections: list[Section], rng) -> bytes:
    province = reference.provinces()[pp].name
    layout = ReportLayout(province, f"{week.week}/{week.year}", received.date(), rng.randint(1, 99))
    return report_docx(layout, sections)


def province_reports(seed: int, pp: str, week: IsoWeek, pdf: bool) -> list[SentReport]:
    """The report files ``pp`` sends for ``week`` (a week of a wave); ``pdf``: this one is
    exported to PDF (when LibreOffice is there)."""
    rng = rng_for(seed, pp, week, "report")
    headings = rng_for(seed, pp, week, "report headings")
    roll = rng.random()
    if roll < MISSING_RATE:
        return []
    late = roll < MISSING_RATE + LATE_RATE
    received = _received(rng, week, late)
    alias = "report" if rng.random() < 0.15 else "bao_cao"
    odd = rng.random()
    name = f"{alias}_{week}"
    if odd < DOC_RATE:
        return [
            SentReport(pp, week, f"{name}.doc", 1, received, _DOC_BYTES, "doc", "unreadable_file")
        ]
    if odd < DOC_RATE + SCAN_RATE:
        return [
            SentReport(pp, week, f"{name}.pdf", 1, received, pages_pdf(2), "pdf", "unreadable_file")
        ]
    if odd < DOC_RATE + SCAN_RATE + NO_SECTION_RATE:
        section = Section("Một số nội dung trong tuần", ("Tuần này không có phát sinh mới.",))
        data = _docx(pp, week, received, [section], rng)
        return [SentReport(pp, week, f"{name}.docx", 1, received, data, "docx", "missing_section")]
    sent = []
    versions = 2 if rng.random() < CORRECTION_RATE else 1
    for version in range(1, versions + 1):
        sections, items, present = _content(pp, rng, headings, table=not pdf)
        data = _docx(pp, week, received, sections, rng)
        suffix = f"_v{version}" if version > 1 else ""
        fmt = "docx"
        if pdf and version == versions and (exported := export_pdf(data)) is not None:
            data, fmt = exported, "pdf"
        present = tuple(
            s
            for s in SECTION_ORDER
            if any(i.section == s for i in items)
            or any(
                sec.heading.upper().endswith(w.upper()) for sec in sections for w in _wordings(s)
            )
        )
        sent.append(
            SentReport(
                pp,
                week,
                f"{name}{suffix}.{fmt}",
                version,
                received,
                data,
                fmt,
                None,
                present,
                items,
            )
        )
        received = received + timedelta(hours=rng.uniform(20, 50))
    return sent


@cache
def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def export_pdf(docx_bytes: bytes) -> bytes | None:
    """The document as LibreOffice exports it to PDF (cached by content in the temp folder),
    or None without LibreOffice."""
    soffice = _soffice()
    if soffice is None:
        return None
    cache_dir = Path(tempfile.gettempdir()) / "moha-report-pdf-cache"
    cache_dir.mkdir(exist_ok=True)
    key = hashlib.sha256(docx_bytes).hexdigest()[:32]
    cached = cache_dir / f"{key}.pdf"
    if cached.exists():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"{key}.docx"
        source.write_bytes(docx_bytes)
        profile = Path(work) / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        made = Path(work) / f"{key}.pdf"
        if not made.exists():
            return None
        shutil.copyfile(made, cached)
        return made.read_bytes()


OFFICIAL_REPORTS = (
    "week",
    "province_code",
    "is_expected",
    "is_received",
    "is_on_time",
    "version",
    "sections_present",
    "sections_missing",
    *(f"items_{section}" for section in SECTION_ORDER),
)
OFFICIAL_REPORT_ITEMS = (
    "week",
    "province_code",
    "section",
    "item_ordinal",
    "item_text",
    "commune_codes",
    "category_codes",
)


def pdf_slots(seed: int, slots: list[tuple[str, IsoWeek]]) -> set[tuple[str, IsoWeek]]:
    """The few province × weeks whose report is exported to PDF (:data:`PDFS_PER_RUN`)."""
    ranked = sorted(slots, key=lambda slot: rng_for(seed, *slot, "pdf").random())
    return set(ranked[:PDFS_PER_RUN])


def truth_rows(
    reports: list[SentReport], weeks: list[IsoWeek], provinces: list[str], expected: set
) -> tuple[list[dict], list[dict]]:
    """fct_official_reports (every province × week) and official_report_items as planted:
    the highest accepted version is in effect, on time by its first accepted file."""
    accepted: dict[tuple, list[SentReport]] = {}
    for report in reports:
        if report.accepted:
            accepted.setdefault((report.province_code, report.week), []).append(report)
    facts, items = [], []
    for week in weeks:
        for pp in provinces:
            sent = accepted.get((pp, week), [])
            row = {"week": str(week), "province_code": pp, "is_expected": (pp, week) in expected}
            if not sent:
                facts.append(row | {"is_received": False, "is_on_time": False})
                continue
            current = max(sent, key=lambda r: r.version)
            counts = {s: sum(i.section == s for i in current.items) for s in SECTION_ORDER}
            facts.append(
                row
                | {
                    "is_received": True,
                    "is_on_time": min(r.received for r in sent) <= week.deadline,
                    "version": current.version,
                    "sections_present": ";".join(current.sections),
                    "sections_missing": ";".join(
                        s for s in SECTION_ORDER if s not in current.sections
                    ),
                    **{f"items_{s}": n for s, n in counts.items()},
                }
            )
            items.extend(
                {
                    "week": str(week),
                    "province_code": pp,
                    "section": item.section,
                    "item_ordinal": item.ordinal,
                    "item_text": item.text,
                    "commune_codes": ";".join(item.communes) or None,
                    "category_codes": ";".join(sorted(item.categories)) or None,
                }
                for item in current.items
            )
    return facts, items
