"""Bytes of a seconded official's report (.docx, text .pdf) → its blocks of text, in reading
order, judged before they are read: a .docx through the same zip preflight as a workbook (and
refused when it carries macros), a PDF by its page count and scripts before any text is taken.
Pure apart from reading the bytes it is given."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ingestion.contract.limits import Limits
from ingestion.contract.messages import vn_number
from ingestion.contract.normalise import nfc
from ingestion.contract.rejections import Rejection, reject
from ingestion.contract.report_sections import (
    LIST_MARK,
    ends_report,
    heading_section,
    is_other_heading,
)
from ingestion.read.preflight import check_archive

PARAGRAPH = "paragraph"
LIST_ENTRY = "list"
TABLE_ROW = "table_row"
TABLE_HEADER = "table_header"
MIN_PDF_LETTERS = 40  # fewer letters on every page: a scan, not a text PDF
_SPACES = re.compile(r"[ \t\u00a0]+")
_SENTENCE_END = re.compile(r"[.:;!?]$")
_VERSIONED = re.compile(r"^(?P<stem>.+?)(?:_v(?P<version>[0-9]{1,3}))?\.[A-Za-z]+$")


@dataclass(frozen=True)
class Block:
    """One paragraph, list entry or table row as the reader sees it."""

    text: str
    kind: str = PARAGRAPH


def docx_name(file_name: str) -> str:
    """The name to send a report again under: the next version, as .docx."""
    match = _VERSIONED.match(file_name)
    if match is None:
        return file_name
    version = int(match["version"] or 1) + 1
    return f"{match['stem']}_v{version}.docx"


def _send_docx(file_name: str, detail: str, variant: str = "send_docx") -> Rejection:
    """A report that cannot be read, told to send the .docx under the next name."""
    return reject(
        "unreadable_file", file_name, variant=variant, next_name=docx_name(file_name), detail=detail
    )


def _clean(text: str) -> str:
    return _SPACES.sub(" ", nfc(text)).strip()


def _over_limit(
    file_name: str, variant: str, counted: str, count: int, limit: int, unit: str
) -> Rejection:
    """A document over one of its limits: ``count`` (named ``counted`` in the message, in ``unit``
    in the detail) and the limit."""
    return reject(
        "file_too_complex",
        file_name,
        variant=variant,
        **{counted: vn_number(count)},
        limit=vn_number(limit),
        detail=f"{count} {unit}",
    )


def _too_long(file_name: str, chars: int, limits: Limits) -> Rejection:
    return _over_limit(
        file_name, "document_chars", "chars", chars, limits.max_document_chars, "characters of text"
    )


def _refused_docx(
    file_name: str, archive: zipfile.ZipFile, size: int, limits: Limits
) -> Rejection | None:
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        return _send_docx(file_name, "no word/document.xml")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return _send_docx(file_name, "macros (vbaProject.bin)")
    if finding := check_archive(archive, size, limits):
        return reject(
            "file_too_complex",
            file_name,
            variant=finding.variant,
            **finding.context,
            detail=finding.detail,
        )
    return None


def read_docx(data: bytes, file_name: str, limits: Limits) -> list[Block] | Rejection:
    """The body of a Word document, paragraphs and table rows in order (a table's first row is
    its header: kept apart as ``table_header``)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        return _send_docx(file_name, str(error))
    with archive:
        if refused := _refused_docx(file_name, archive, len(data), limits):
            return refused
    import docx  # imported when a report comes (the executors preload it for the tasks)
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a malformed package: python-docx raises many kinds
        return _send_docx(file_name, repr(error)[:300])
    blocks: list[Block] = []
    chars = 0
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            rows = [
                _clean(" | ".join(dict.fromkeys(cell.text for cell in row.cells)))
                for row in part.rows
            ]
            found = [
                Block(text, TABLE_HEADER if n == 0 else TABLE_ROW)
                for n, text in enumerate(rows)
                if text.strip(" |")
            ]
        else:
            text = _clean(part.text)
            style = (part.style.name if part.style is not None else "") or ""
            listed = part._p.pPr is not None and part._p.pPr.numPr is not None
            kind = LIST_ENTRY if listed or "List" in style else PARAGRAPH
            found = [Block(text, kind)] if text else []
        blocks.extend(found)
        chars += sum(len(block.text) for block in found)
        if chars > limits.max_document_chars:
            return _too_long(file_name, chars, limits)
    return blocks


def _pdf_refusal(reader, file_name: str, limits: Limits) -> Rejection | None:
    """Scripts (document or page actions) and page counts over the limit, before any text."""
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    scripted = "/JavaScript" in (names or {}) or "/AA" in root
    action = root.get("/OpenAction")
    if action is not None and not isinstance(action, list) and hasattr(action, "get_object"):
        action = action.get_object()
    if isinstance(action, dict) and action.get("/S") in ("/JavaScript", "/Launch"):
        scripted = True
    if scripted:
        return _send_docx(file_name, "JavaScript action", "pdf_script")
    pages = len(reader.pages)
    if pages > limits.max_pdf_pages:
        return _over_limit(file_name, "pdf_pages", "pages", pages, limits.max_pdf_pages, "pages")
    return None


def read_pdf(data: bytes, file_name: str, limits: Limits) -> list[Block] | Rejection:
    """The text layer of a PDF, line by line joined into paragraphs: a line opens a new block
    when it starts with a list mark or the line before ended a sentence. A PDF without text (a
    scan) is refused with advice to send the .docx."""
    from pypdf import PdfReader  # imported when a report comes (preloaded for the tasks)
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return reject("unreadable_file", file_name, variant="protected", detail="encrypted PDF")
        if refused := _pdf_refusal(reader, file_name, limits):
            return refused
        lines: list[str] = []
        chars = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > limits.max_document_chars:
                return _too_long(file_name, chars, limits)
            lines.extend(_clean(line) for line in text.splitlines())
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        return _send_docx(file_name, repr(error)[:300])
    if sum(ch.isalpha() for line in lines for ch in line) < MIN_PDF_LETTERS:
        return _send_docx(file_name, "no text layer", "scanned")
    return _paragraphs([line for line in lines if line])


def _stands_alone(line: str) -> bool:
    """A heading, "Nơi nhận" or a signature line: never joined to the lines around it."""
    return (
        line.isupper()
        or heading_section(line) is not None
        or is_other_heading(line)
        or ends_report(line)
    )


def _paragraphs(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    alone = False
    for line in lines:
        starts = (
            not blocks or alone or LIST_MARK.match(line) or _SENTENCE_END.search(blocks[-1].text)
        )
        alone = _stands_alone(line)
        if starts or alone:
            blocks.append(Block(line, LIST_ENTRY if LIST_MARK.match(line) else PARAGRAPH))
        else:
            blocks[-1] = Block(f"{blocks[-1].text} {line}", blocks[-1].kind)
    return blocks


def read_document(data: bytes, file_name: str, limits: Limits) -> list[Block] | Rejection:
    """A report's blocks by its extension (.docx or .pdf), or why it cannot be read."""
    if file_name.lower().endswith(".pdf"):
        return read_pdf(data, file_name, limits)
    return read_docx(data, file_name, limits)
