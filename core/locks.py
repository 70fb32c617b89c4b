"""Advisory file locks (``fcntl.flock``) that serialise work on one data directory.

A lock is held by an open file: the kernel drops it when the holder exits, however it exits
(kill -9 included), so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class LockBusy(RuntimeError):
    """Another process holds the lock; the message names the lock file and its holder."""


class FileLock:
    """An exclusive lock on ``path`` (created if missing), held from :meth:`acquire` until
    :meth:`release`, the end of a ``with`` block, or the holder's exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        return text or "another process"

    def acquire(self, wait_seconds: float | None = None) -> FileLock:
        """Wait for the lock (``None``: as long as it takes); :class:`LockBusy` after
        ``wait_seconds``. Writes the holder's pid and start time into the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if wait_seconds is None else time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockBusy(f"{self.path} is held by {self.holder()}") from None
                    time.sleep(0.1)
            os.ftruncate(fd, 0)
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            os.write(fd, f"pid {os.getpid()} since {stamp}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None

    def __enter__(self) -> FileLock:
        return self.acquire() if self._fd is None else self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()
