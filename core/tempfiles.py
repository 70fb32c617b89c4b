"""Temporary files left by an interrupted step, found and removed by the next run of that step.

Every writer in the pipeline writes beside its target under a recognisable temporary name and
renames into place; a kill between the two leaves the temporary behind. Each step sweeps its own
kind at start, and only what no live run owns: a publish sweeps its own week's temporaries while
it holds that week's lock, a province's ingest its province's under the province lock, and the
analysts' copy those whose writer's pid (in the name) is no longer running.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (signal 0: nothing is sent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def sweep(
    root: Path,
    patterns: Iterable[str],
    recursive: bool = True,
    owned: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """Remove files and folders under ``root`` matching any glob of ``patterns``; returns them.
    ``owned`` tells a temporary that a live run still owns (left alone) from a stale one."""
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for pattern in patterns:
        for path in sorted((root.rglob if recursive else root.glob)(pattern)):
            if owned is not None and owned(path):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        log.warning(
            "removed %d temporary file(s) left by an interrupted run under %s: %s",
            len(removed),
            root,
            ", ".join(p.name for p in removed[:5]) + (" …" if len(removed) > 5 else ""),
        )
    return removed
