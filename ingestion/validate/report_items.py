"""A report's blocks → its sections and items (SPEC §2b): what comes before the first section
heading (agency, motto, "Số: …", title, "Kính gửi") and what follows "Nơi nhận" or the signature
are not items; each paragraph, list entry and table row inside a section is one. Pure."""

from __future__ import annotations

import re
from functools import cache

from core import reference
from core.vietnamese import plain_words
from ingestion.contract.rejections import reject
from ingestion.contract.report_sections import (
    LIST_MARK,
    SECTION_LABELS,
    SECTIONS,
    ends_report,
    heading_section,
    is_other_heading,
)
from ingestion.outcomes import FileStatus
from ingestion.read.documents import TABLE_HEADER, Block
from ingestion.validate.rules import Validation
from ingestion.validate.textscan import mask_person_numbers

_CODE = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")


@cache
def _commune_names(province_code: str) -> tuple[tuple[str, str], ...]:
    """(folded full name such as "xa tan lap", code) of the province's communes, longest first
    (so "phuong tan lap 2" wins over "phuong tan lap")."""
    named = [
        (plain_words(reference.communes()[code].name), code)
        for code in reference.communes_of(province_code)
    ]
    return tuple(sorted(named, key=lambda pair: -len(pair[0])))


def communes_named(text: str, province_code: str) -> tuple[str, ...]:
    """Codes of the province's communes ``text`` names, by 5-digit code or by full name
    ("xã Tân Lập", any case and accents), in code order."""
    own = set(reference.communes_of(province_code))
    found = {code for code in _CODE.findall(text) if code in own}
    folded = f" {plain_words(text)} "
    for name, code in _commune_names(province_code):
        if f" {name} " in folded:
            found.add(code)
            folded = folded.replace(f" {name} ", " ")
    return tuple(sorted(found))


def header_end(blocks: list[Block]) -> int:
    """How many blocks the header takes (Decree 30/2020 layout): through "Kính gửi", else
    through the subject line under the title "BÁO CÁO", else none."""
    folded = [plain_words(block.text) for block in blocks]
    for number, words in enumerate(folded, start=1):
        if words.startswith("kinh gui"):
            return number
    for number, words in enumerate(folded, start=1):
        if words == "bao cao":
            return number + 1
    return 0


def report_items(blocks: list[Block], file_name: str, province_code: str) -> Validation:
    """One record per section heading (``item_ordinal`` 0) and per item; ``missing_section``
    when none of the five sections is found."""
    header = header_end(blocks)
    records: list[dict] = []
    section: str | None = None
    heading = ""
    ordinal = 0
    seen: set[str] = set()
    for number, block in enumerate(blocks, start=1):
        if number <= header:
            continue
        if ends_report(block.text):
            break
        found = heading_section(block.text) if block.kind != TABLE_HEADER else None
        if found is not None and found not in seen:
            section, heading, ordinal = found, block.text, 0
            seen.add(found)
            records.append(_record(number, section, heading, 0, None, province_code))
            continue
        if is_other_heading(block.text):
            section = None
            continue
        if section is None or block.kind == TABLE_HEADER:
            continue
        text = LIST_MARK.sub("", block.text, count=1).strip()
        if text:
            ordinal += 1
            records.append(_record(number, section, heading, ordinal, text, province_code))
    if not seen:
        rejection = reject(
            "missing_section",
            file_name,
            sections="; ".join(SECTION_LABELS.values()),
            detail=f"{len(blocks)} blocks, no section heading",
        )
        return Validation([], [rejection], 0, 0, 0, FileStatus.REJECTED, "missing_section")
    items = sum(1 for record in records if record["item_ordinal"])
    return Validation(records, [], items, items, 0, FileStatus.ACCEPTED, None)


def _record(
    number: int, section: str, heading: str, ordinal: int, text: str | None, province_code: str
) -> dict:
    """A staged row; ``number`` is the block's place in the document (its ``source_row``)."""
    masked = mask_person_numbers(text)[0] if text else None
    communes = communes_named(text, province_code) if text else ()
    return {
        "source_row": number,
        "section": section,
        "section_heading": heading,
        "item_ordinal": ordinal,
        "item_text": masked,
        "text_folded": plain_words(masked or heading),
        "commune_codes": ";".join(communes) or None,
    }


def sections_found(validation: Validation) -> tuple[str, ...]:
    """The sections a report's records hold, in SPEC order."""
    present = {record["section"] for record in validation.records}
    return tuple(section for section in SECTIONS if section in present)
