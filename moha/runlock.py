"""One `moha run` per data directory at a time, on a data directory it can write.

A second `moha run` on the same data directory exits at once with one line naming the run that
holds it (it does not wait): two cycles on one DuckDB file would fight over its lock. A data
folder that cannot be written (read-only disk, permissions, a file where a folder should be) is
told in one line naming the path before anything starts.
"""

from __future__ import annotations

import uuid

from core.locks import FileLock, LockBusy
from core.settings import Settings
from core.storage import one_line

LOCK_NAME = ".moha-run.lock"


class RunRefused(RuntimeError):
    """`moha run` cannot start; the message is one line for the operator."""


def _writable_folders(settings: Settings) -> list:
    return [
        settings.landing,
        settings.staged,
        settings.feedback,
        settings.warehouse_dir,
        settings.outbox,
        settings.reports,
    ]


def check_writable(settings: Settings) -> None:
    """Create (if needed) and write a probe file in every folder the cycle writes to."""
    for folder in _writable_folders(settings):
        probe = folder / f".moha-probe-{uuid.uuid4().hex}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            if error.filename is None:
                error.filename = str(probe)
            raise RunRefused(one_line(error)) from None


def hold_run_lock(settings: Settings) -> FileLock:
    """The data directory's run lock, held until released or the process ends; RunRefused when
    another run holds it or the folders cannot be written."""
    lock = FileLock(settings.data_dir / LOCK_NAME)
    try:
        lock.acquire(wait_seconds=0)
    except LockBusy:
        raise RunRefused(
            f"another `moha run` is using {settings.data_dir} ({lock.holder()}); "
            "wait for it to finish, or stop it, then run again"
        ) from None
    except OSError as error:
        raise RunRefused(one_line(error)) from None
    try:
        check_writable(settings)
    except RunRefused:
        lock.release()
        raise
    return lock
