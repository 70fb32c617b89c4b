"""What a task's log says: the pipeline's own INFO lines (each file landed / skipped / rejected
with its rows, the build's summary, what was published where), while Airflow and the libraries
stay at the configured level (WARNING in the embedded mode)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

PIPELINE_LOGGERS = ("core", "ingestion", "warehouse", "quality", "publishing", "moha")
"""The project's top-level packages."""


def pipeline_logging(context: Mapping[str, Any] | None = None) -> None:
    """Let the pipeline's loggers write INFO into this task's log (every task's
    ``on_execute_callback``, run in the task's process before its work).

    Airflow routes the standard library's records through the root logger's handler, which it
    sets to the configured level; its ``namespace_levels`` reach only its own structured loggers.
    So the handler lets INFO through and the levels are set per logger instead: the root (and
    with it every library) keeps the configured level, the pipeline's packages get INFO.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(min(handler.level, logging.INFO))
    for name in PIPELINE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(min(logger.getEffectiveLevel(), logging.INFO))
