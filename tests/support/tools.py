"""System tools some tests need (LibreOffice, Chromium, poppler, sshd): found, or skipped loudly.

A missing tool skips the test with a reason starting ``TOOL SKIPPED:``; ``.ci/run`` installs the
tools and fails the run when such a skip happens on CI, as it does for ``SCALE SKIPPED:``.
"""

from __future__ import annotations

import shutil

import pytest

SKIP_PREFIX = "TOOL SKIPPED:"

# command → the Debian package that provides it
APT_PACKAGES = {
    "soffice": "libreoffice-calc",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftotext": "poppler-utils",
    "chromium": "chromium",
    "sshd": "openssh-server",
}


def require_tool(*commands: str) -> dict[str, str]:
    """Paths of ``commands``; skips the test (``TOOL SKIPPED: …``) naming what to install."""
    found, missing = {}, []
    for command in commands:
        path = shutil.which(command) or shutil.which(command, path="/usr/sbin:/usr/bin")
        if path:
            found[command] = path
        else:
            missing.append(command)
    if missing:
        packages = " ".join(sorted({APT_PACKAGES.get(c, c) for c in missing}))
        pytest.skip(f"{SKIP_PREFIX} {', '.join(missing)} not found (apt-get install -y {packages})")
    return found
