"""Typed results as JSON: what a task hands to Airflow's XCom is plain values, not our classes
(Airflow 3 gives a nested dataclass back as a dict and loads a class only from an allow-list)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any


def as_json(record: Any) -> dict[str, Any]:
    """A dataclass as JSON values: enums as their value, tuples as lists, dates and datetimes in
    ISO 8601, nested dataclasses as dicts."""
    return json.loads(json.dumps(asdict(record), default=_iso))


class JsonRecord:
    """A dataclass that crosses XCom as JSON (:func:`as_json`)."""

    def to_json(self) -> dict[str, Any]:
        return as_json(self)


def _iso(value: object) -> str:
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON: {value!r}")
