"""The feedback and weekly-summary workbooks read back as a clerk reads them: the header block,
the rejected-rows table, the summary's numbered sections."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook


def header_of(path: Path) -> dict[str, str]:
    """The feedback's header block: label → text (first sheet, until the blank row)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    block = {}
    for row in grid[1:]:
        if not row[0]:
            break
        block[row[0]] = next((cell for cell in row[1:] if cell != ""), "")
    return block


def table_of(path: Path) -> list[list]:
    """The rejected-rows table under the header block (header row first)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    start = next((i for i, row in enumerate(grid) if row[0] == "Dòng"), None)
    return [] if start is None else grid[start:]


def summary_sections(path: Path) -> dict[str, list[list]]:
    """The summary's numbered sections: title → rows under it (header row first)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    sections: dict[str, list[list]] = {}
    current = None
    for row in grid:
        if isinstance(row[0], str) and row[0][:2] in ("1.", "2.", "3.", "4."):
            current = row[0]
            sections[current] = []
        elif current and any(cell != "" for cell in row):
            sections[current].append(row)
    return sections
