"""Who is mailed (``config/contacts.yml``, MOHA_CONTACTS_FILE): each province's addresses and the
ministry's recipients. No file, or no address for someone, means nobody is mailed there."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from core.reference import provinces
from core.settings import Settings

_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class ContactsError(ValueError):
    """contacts.yml names an unknown province or holds something that is not an address."""


@dataclass(frozen=True)
class Contacts:
    ministry: tuple[str, ...] = ()
    provinces: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, province_code: str) -> tuple[str, ...]:
        return self.provinces.get(province_code, ())


def _addresses(value: object, where: str) -> tuple[str, ...]:
    listed = [value] if isinstance(value, str) else list(value or [])
    bad = [a for a in listed if not isinstance(a, str) or not _ADDRESS.match(a.strip())]
    if bad:
        raise ContactsError(f"contacts.yml: {where}: not a mail address: {bad!r}")
    return tuple(a.strip() for a in listed)


def load_contacts(settings: Settings) -> Contacts:
    path = settings.mail.contacts_file
    if not path.is_file():
        return Contacts()
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    known = provinces()
    by_province = {}
    for code, entry in (data.get("provinces") or {}).items():
        code = str(code).zfill(2)
        if code not in known:
            raise ContactsError(f"contacts.yml: unknown province code {code!r}")
        by_province[code] = _addresses((entry or {}).get("to"), f"provinces.{code}.to")
    ministry = _addresses((data.get("ministry") or {}).get("to"), "ministry.to")
    return Contacts(ministry, {code: to for code, to in by_province.items() if to})
