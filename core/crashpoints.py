"""Test instrumentation: named points where a run can be killed on purpose (``kill -9``).

``crash_point("publish.renamed")`` does nothing unless the environment variable
``MOHA_CRASH_AT`` names that point; then it sends SIGKILL to its own process group, exactly as
an operator's ``kill -9`` or a machine losing power would stop the run there. Used only by the
crash-consistency test (``tests/e2e/test_crash_consistency.py``); never set it in production.
"""

from __future__ import annotations

import os
import signal

from core.settings import crash_point_name


def crash_point(name: str) -> None:
    """SIGKILL this process group when ``MOHA_CRASH_AT`` equals ``name``."""
    if crash_point_name() == name:
        os.killpg(os.getpgrp(), signal.SIGKILL)
