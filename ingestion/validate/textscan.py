"""Pure scans of free text: person ids and phone numbers to mask, legacy font encodings to flag.

Analysts' tables must not carry a person's citizen id or phone number typed into a free-text
column; clerks still using TCVN3 (ABC) or VNI fonts send text that no code list can match.
"""

from __future__ import annotations

import re
from functools import lru_cache

MASK = "[đã ẩn]"

# 9-digit (CMND) and 12-digit (CCCD / personal id) numbers, standing alone; Vietnamese phone
# numbers (0 or +84, then 8-10 digits, optionally grouped by spaces, dots or dashes).
_PERSON_NUMBER = re.compile(
    r"(?<![0-9])(?:[0-9]{12}|[0-9]{9}|(?:\+84|84|0)(?:[ .\-]?[0-9]){8,10})(?![0-9])", re.ASCII
)

# Characters Vietnamese never uses that TCVN3 (ABC) text shows when read as Unicode
# ("V¨n phßng", "®Êt ®ai") and VNI text shows ("Haø Noäi", "ñaát ñai", "Xaõ ñoäi").
_LEGACY = frozenset("¸µ¶·¹¨©ª«¬®¢£¤¥¦§×ØÞßæçëîïñöøûþÑËÄÅÆÇÎÏÛ¿¾½¼»º±²³´°¯åäüÖ")
_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ơưăđƠƯĂĐ]")


def mask_person_numbers(text: str) -> tuple[str, bool]:
    """``text`` with every person-id or phone-number pattern replaced by :data:`MASK`."""
    masked, count = _PERSON_NUMBER.subn(MASK, text)
    return masked, count > 0


@lru_cache(maxsize=8192)
def legacy_font_encoding(text: str) -> bool:
    """True when ``text`` reads like Vietnamese typed in a TCVN3 (ABC) or VNI font: at least two
    of their telltale characters and no Unicode Vietnamese letter."""
    sample = text[:500]
    if sample.isascii() or _VIETNAMESE.search(sample):
        return False
    return sum(1 for ch in sample if ch in _LEGACY) >= 2
