"""Temporary files left by an interrupted step, found and removed by the next run of that step.

Every writer in the pipeline writes beside its target under a recognisable temporary name and
renames into place; a kill between the two leaves the temporary behind. Each step sweeps its own
kind at start, while it holds the lock (or the single-writer slot) that makes them stale.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


def sweep(root: Path, patterns: Iterable[str], recursive: bool = True) -> list[Path]:
    """Remove files and folders under ``root`` matching any glob of ``patterns``; returns them."""
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for pattern in patterns:
        for path in sorted((root.rglob if recursive else root.glob)(pattern)):
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
