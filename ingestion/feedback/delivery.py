"""Feedback back to the sender: every feedback file and weekly summary in ``feedback/<pp>/`` is
copied into the province's own drop, ``phan_hoi/<YYYY-Www>/`` beside its files (local, SFTP or
S3), under a temporary name then renamed (an S3 put is atomic by itself).

Intake lists only files directly in the drop, so nothing under ``phan_hoi/`` is read back as
input. What was delivered is recorded per province (``staged/delivered/<pp>.json``: path → size
and modification time), so a run copies only what changed since, and a drop that could not be
written is tried again by the next run. A drop that cannot be written is a warning of the run,
never a failed ingest.
"""

from __future__ import annotations

import json
import logging
import uuid
from contextlib import suppress
from pathlib import Path, PurePosixPath

from fsspec.core import split_protocol

from core.settings import Settings
from core.tempfiles import sweep
from ingestion.feedback.printable import replace_into
from ingestion.intake.sources import Source, connected, province_source, public_url
from ingestion.outcomes import ProvinceWarning, WarningCode

log = logging.getLogger(__name__)

FOLDER = "phan_hoi"
"""The folder inside a province's drop where its answers go; intake never reads it."""


def record_path(settings: Settings, province_code: str) -> Path:
    return settings.staged / "delivered" / f"{province_code}.json"


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _delivered(settings: Settings, province_code: str) -> dict[str, list[int]]:
    try:
        return json.loads(record_path(settings, province_code).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _save(settings: Settings, province_code: str, record: dict[str, list[int]]) -> None:
    text = json.dumps(record, sort_keys=True)
    replace_into(record_path(settings, province_code), lambda tmp: tmp.write_text(text, "utf-8"))


def pending(settings: Settings, province_code: str) -> list[str]:
    """Feedback files (paths relative to ``feedback/<pp>/``) not delivered as they are now."""
    root = settings.feedback / province_code
    if not root.is_dir():
        return []
    record = _delivered(settings, province_code)
    return [
        path.relative_to(root).as_posix()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not path.name.startswith(".")
        and record.get(path.relative_to(root).as_posix()) != _stamp(path)
    ]


def sweep_local(settings: Settings, province_code: str) -> list[Path]:
    """Remove what a killed delivery left half-written in a local drop's ``phan_hoi/``."""
    source = province_source(settings, province_code)
    if split_protocol(source.url)[0] not in (None, "file"):
        return []
    return sweep(Path(source.url.removeprefix("file://")) / FOLDER, [".*.tmp"])


def _is_s3(fs) -> bool:
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    return any(p in ("s3", "s3a") for p in protocols)


def put_atomically(fs, target: str, data: bytes) -> None:
    """``data`` at ``target`` on ``fs``: whole or not at all."""
    parent = str(PurePosixPath(target).parent)
    if _is_s3(fs):
        fs.pipe_file(target, data)  # one PUT: the object appears whole
        return
    fs.makedirs(parent, exist_ok=True)
    tmp = f"{parent}/.{PurePosixPath(target).name}.{uuid.uuid4().hex}.tmp"
    fs.pipe_file(tmp, data)
    try:
        fs.mv(tmp, target)
    except Exception:
        with suppress(Exception):  # the rename's error is the one to report
            fs.rm(tmp)
        raise


def deliver(settings: Settings, province_code: str) -> tuple[ProvinceWarning, ...]:
    """Copy the province's new or changed feedback files into its drop's ``phan_hoi/``; a
    warning (and the files left pending for the next run) when the drop cannot be written."""
    todo = pending(settings, province_code)
    if not todo:
        return ()
    source: Source = province_source(settings, province_code)
    root = settings.feedback / province_code
    record = _delivered(settings, province_code)
    done = 0
    try:
        with connected(source) as (fs, drop):
            for relative in todo:
                path = root / relative
                stamp = _stamp(path)
                put_atomically(fs, f"{drop.rstrip('/')}/{FOLDER}/{relative}", path.read_bytes())
                record[relative] = stamp
                done += 1
    except Exception as error:
        message = " ".join(
            f"province {province_code}: {len(todo) - done} feedback file(s) not delivered to "
            f"{public_url(source.url)}/{FOLDER} (retried next run): "
            f"{type(error).__name__}: {error}".split()
        )[:400]
        log.warning("%s", message)
        return (ProvinceWarning(WarningCode.FEEDBACK_NOT_DELIVERED, message),)
    finally:
        if done:
            _save(settings, province_code, record)
    log.info("province %s: %d feedback file(s) delivered to its drop", province_code, done)
    return ()
