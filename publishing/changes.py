"""What changed between two versions of a week's package: rows added, removed and cells changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from publishing.files import read_parquet
from publishing.tables import TABLE_KEYS
from quality.results import json_safe

MAX_LISTED = 200


def _same(a: Any, b: Any) -> bool:
    if a is None and b is None:
        return True
    if a is None or b is None:
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _records(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, dict[str, Any]]:
    rows = {}
    for record in frame.to_dict("records"):
        record = json_safe(record)
        rows[tuple(record.get(k) for k in keys)] = record
    return rows


def compare_table(name: str, old: pd.DataFrame, new: pd.DataFrame) -> dict[str, Any] | None:
    """Differences of one table keyed by :data:`TABLE_KEYS`; None when nothing changed."""
    keys = [k for k in TABLE_KEYS.get(name, []) if k in old.columns and k in new.columns]
    if not keys:
        keys = list(new.columns)
    before, after = _records(old, keys), _records(new, keys)
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    cells = []
    columns = [c for c in new.columns if c not in keys]
    for key in after:
        if key not in before:
            continue
        for column in columns:
            old_value, new_value = before[key].get(column), after[key].get(column)
            if not _same(old_value, new_value):
                cells.append(
                    {
                        **dict(zip(keys, key, strict=True)),
                        "column": column,
                        "old": old_value,
                        "new": new_value,
                    }
                )
    added_columns = [c for c in new.columns if c not in old.columns]
    removed_columns = [c for c in old.columns if c not in new.columns]
    if not (added or removed or cells or added_columns or removed_columns):
        return None
    return {
        "rows_added": len(added),
        "rows_removed": len(removed),
        "cells_changed": len(cells),
        "rows_changed": len({tuple(c[k] for k in keys) for c in cells}),
        "columns_added": added_columns,
        "columns_removed": removed_columns,
        "added": [dict(zip(keys, k, strict=True)) for k in added[:MAX_LISTED]],
        "removed": [dict(zip(keys, k, strict=True)) for k in removed[:MAX_LISTED]],
        "cells": cells[:MAX_LISTED],
    }


def compare_versions(
    previous_dir: Path, tables: dict[str, pd.DataFrame], previous_version: str
) -> dict[str, Any]:
    """The manifest's ``changes`` section: every table of the new package vs the previous one."""
    changed: dict[str, Any] = {}
    unchanged: list[str] = []
    for name, frame in tables.items():
        path = previous_dir / f"{name}.parquet"
        if not path.exists():
            changed[name] = {"table_added": True, "rows_added": len(frame)}
            continue
        diff = compare_table(name, read_parquet(path), frame)
        if diff is None:
            unchanged.append(name)
        else:
            changed[name] = diff
    return {
        "previous_version": previous_version,
        "tables_changed": changed,
        "tables_unchanged": unchanged,
    }
