"""Immutable copies of received files at ``landing/<pp>/<week|no_week>/<sha256>/<safe name>``.

The safe name is the sender's (``ingestion.intake.filenames.safe_name``) unless it is over-long or
unsafe on a disk, when it is a hash of it; the registry keeps the original.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.crashpoints import crash_point
from core.settings import Settings
from core.tempfiles import sweep
from ingestion.intake.filenames import safe_name

NO_WEEK = "no_week"
INCOMING = ".incoming"


@dataclass(frozen=True)
class Incoming:
    """A file copied next to landing while hashing."""

    tmp_path: Path
    sha256: str
    size: int


def landing_path(
    settings: Settings, province_code: str, week: str | None, sha256: str, name: str
) -> Path:
    return settings.landing / province_code / (week or NO_WEEK) / sha256 / safe_name(name)


def sweep_incoming(settings: Settings, province_code: str) -> list[Path]:
    """Remove partial copies a killed run left (call while holding the province's lock)."""
    return sweep(settings.landing / province_code / INCOMING, ["*.part"], recursive=False)


def receive(settings: Settings, province_code: str, chunks: Iterable[bytes]) -> Incoming:
    """Copy ``chunks`` to a temporary file under landing, hashing them."""
    incoming = settings.landing / province_code / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    tmp = incoming / f"{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    crash_point("ingest.received")
    return Incoming(tmp, digest.hexdigest(), size)


def discard(incoming: Incoming) -> None:
    incoming.tmp_path.unlink(missing_ok=True)


def land(
    settings: Settings, province_code: str, week: str | None, name: str, incoming: Incoming
) -> Path:
    """Move the received copy into place (atomic rename); an existing copy is never rewritten."""
    target = landing_path(settings, province_code, week, incoming.sha256, name)
    if target.exists():
        discard(incoming)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(incoming.tmp_path, 0o444)
    os.replace(incoming.tmp_path, target)
    return target
