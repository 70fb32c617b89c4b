"""Immutable copies of received files at ``landing/<pp>/<week|no_week>/<sha256>/<name>``."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings

NO_WEEK = "no_week"


@dataclass(frozen=True)
class Incoming:
    """A file copied next to landing while hashing; ``data`` is kept only under the size limit."""

    tmp_path: Path
    sha256: str
    size: int
    data: bytes | None


def landing_path(
    settings: Settings, province_code: str, week: str | None, sha256: str, name: str
) -> Path:
    return settings.landing / province_code / (week or NO_WEEK) / sha256 / name


def receive(
    settings: Settings, province_code: str, chunks: Iterable[bytes], keep_up_to: int
) -> Incoming:
    """Copy ``chunks`` to a temporary file under landing, hashing them; keep the bytes if small."""
    incoming = settings.landing / province_code / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    tmp = incoming / f"{uuid.uuid4().hex}.part"
    digest, size, kept = hashlib.sha256(), 0, bytearray()
    try:
        with tmp.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if size <= keep_up_to:
                    kept.extend(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Incoming(tmp, digest.hexdigest(), size, bytes(kept) if size <= keep_up_to else None)


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
