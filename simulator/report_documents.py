"""Word documents of a seconded official's weekly report, in the administrative layout of Decree
30/2020/NĐ-CP (agency and motto, "Số: …/BC-…", place and date, "BÁO CÁO" and its subject,
"Kính gửi", numbered sections, "Nơi nhận", signature), written with python-docx; and the plain
PDFs (a scan without text, hostile ones) a test needs without LibreOffice."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


@dataclass(frozen=True)
class Section:
    """One section as written: its heading (numbering included), its paragraphs and list entries
    (each written with its own mark: "- ", "a) ", "1. " or none), and an optional table (header
    row first)."""

    heading: str
    items: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ReportLayout:
    """What surrounds the sections."""

    province_name: str
    week_label: str
    signed: date
    number: int = 1
    official: str = "Nguyễn Văn An"
    recipients: tuple[str, ...] = field(default=("Như trên;", "Lưu: VT."))


def _paragraph(document, text: str, bold: bool = False, center: bool = False, style=None):
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def report_docx(layout: ReportLayout, sections: list[Section]) -> bytes:
    """The .docx bytes of one report."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"BỘ NỘI VỤ\nĐOÀN CÔNG TÁC TẠI {layout.province_name.upper()}"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    _paragraph(document, f"Số: {layout.number}/BC-ĐCT")
    day = layout.signed
    _paragraph(document, f"{layout.province_name}, ngày {day.day} tháng {day.month} năm {day.year}")
    _paragraph(document, "BÁO CÁO", bold=True, center=True)
    _paragraph(
        document,
        f"Kết quả công tác tuần {layout.week_label} tại {layout.province_name}",
        bold=True,
        center=True,
    )
    _paragraph(document, "Kính gửi: Bộ trưởng Bộ Nội vụ", center=True)
    for section in sections:
        _paragraph(document, section.heading, bold=True)
        for item in section.items:
            _paragraph(document, item)
        if section.table:
            table = document.add_table(rows=len(section.table), cols=len(section.table[0]))
            for r, row in enumerate(section.table):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    _paragraph(document, "Nơi nhận:", bold=True)
    for line in layout.recipients:
        _paragraph(document, f"- {line}")
    _paragraph(document, "NGƯỜI BÁO CÁO", bold=True, center=True)
    _paragraph(document, "(Ký, ghi rõ họ tên)", center=True)
    _paragraph(document, layout.official, bold=True, center=True)
    signed = datetime(day.year, day.month, day.day, 8, 0)
    document.core_properties.created = document.core_properties.modified = signed
    buffer = io.BytesIO()
    document.save(buffer)
    return _stamped(buffer.getvalue(), signed)


def _stamped(data: bytes, when: datetime) -> bytes:
    """The package with every member dated ``when``: the same report gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            member = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(item.filename))
    return out.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pages_pdf(pages: int, text_lines: tuple[str, ...] = (), catalog_extra: bytes = b"") -> bytes:
    """A PDF of ``pages`` pages; the first carries ``text_lines`` (ASCII, Helvetica) when given,
    the others nothing (a scan's pages have no text either)."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    stream = (
        b"BT /F1 11 Tf 50 800 Td 14 TL "
        + b"".join(b"(" + line.encode("ascii") + b") Tj T* " for line in text_lines)
        + b"ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    for n in range(pages):
        content = b" /Contents 4 0 R" if n == 0 and text_lines else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >>" + content + b" >>"
        )
    return _pdf(objects)


PLAIN_REPORT_LINES = (
    "BAO CAO",
    "Ket qua cong tac tuan",
    "Kinh gui: Bo truong Bo Noi vu",
    "I. TINH HINH CHUNG",
    "Chinh quyen dia phuong hai cap van hanh on dinh.",
    "II. KHO KHAN, VUONG MAC",
    "- Thieu tru so lam viec cho cong chuc xa.",
)


def javascript_pdf() -> bytes:
    """A text PDF that runs a script when opened."""
    action = b"/OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>"
    return pages_pdf(1, PLAIN_REPORT_LINES, action)
