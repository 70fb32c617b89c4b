"""What a workbook's own file tells about a sheet's cells that its reader (calamine) does not:
the cells whose formula failed, and merged ranges where calamine gives none (.ods); and the
column letters a cell reference is written with."""

from __future__ import annotations

from dataclasses import dataclass, field

# What Excel (and LibreOffice, for the errors Excel names) shows in a cell whose formula failed;
# LibreOffice's own codes read "Err:502" (see is_error_text).
ERROR_TEXTS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
UNKNOWN_ERROR = "#ERROR!"  # a cell flagged as an error whose file does not say which
MAX_MERGES = 100_000  # merged ranges kept per sheet: no form has a thousand


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def is_error_text(text: str) -> bool:
    """An error as Excel or LibreOffice shows it (``#REF!``, ``Err:502``)."""
    text = text.strip()
    return text in ERROR_TEXTS or (
        len(text) == 7 and text.startswith("Err:") and text[4:].isdigit()
    )


@dataclass(frozen=True)
class ErrorCells:
    """A block of cells (0-based row and column of its first cell) showing one formula error;
    one cell unless a repeated row or cell of an .ods stands for several."""

    row: int
    column: int
    text: str
    rows: int = 1
    columns: int = 1


@dataclass
class SheetFacts:
    """One sheet's formula errors and, for .ods, merged ranges (0-based first row, first
    column, last row, last column)."""

    errors: list[ErrorCells] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
