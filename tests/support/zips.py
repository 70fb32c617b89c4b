"""Zip packages (workbooks, Word documents) rebuilt with members replaced or added: how the
hostile corpus makes its bombs from good files."""

from __future__ import annotations

import io
import zipfile


def rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """The package ``data`` with members replaced or added, deflated at the highest level."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()
