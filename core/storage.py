"""Errors of the data directory itself (disk full, read-only, permission), told in one line."""

from __future__ import annotations

import errno

# An OSError with one of these is the machine's problem, not the data's: it fails the task
# (retried) instead of rejecting a file.
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}
)


def is_environment_error(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in ENVIRONMENT_ERRNOS


def one_line(error: OSError, action: str = "cannot write") -> str:
    """``cannot write /data/outbox/2025-W35: [Errno 28] No space left on device``."""
    path = error.filename or "the data directory"
    return f"{action} {path}: [Errno {error.errno}] {error.strerror or error}"
