"""Rejections as values: what was refused, where the sender finds it, and why, in two languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingestion.contract import messages
from ingestion.contract.limits import echo

FILE_LEVEL = frozenset(
    {
        "unreadable_file",
        "empty_file",
        "file_too_large",
        "file_too_complex",
        "invalid_file_name",
        "wrong_province_file",
        "missing_column",
    }
)


@dataclass(frozen=True)
class Rejection:
    """One refused file or cell; ``row`` as the sender sees it, None for the whole file."""

    code: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    message_vi: str
    message_en: str
    sender_column: str | None = None  # the column's header as the sender wrote it
    key_value: str | None = None  # the row's key as the sender wrote it

    @property
    def whole_file(self) -> bool:
        return self.code in FILE_LEVEL


def reject(
    code: str,
    file: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    key_value: str | None = None,
    **context: Any,
) -> Rejection:
    """A rejection with both messages filled from ``context``
    (see :mod:`ingestion.contract.messages`).

    Only the start of a long value, key or file name is kept and echoed (:func:`echo`): a 64 MB
    cell never reaches the rejections table or the feedback.
    """
    if code not in messages.REASON_CODES:
        raise ValueError(f"unknown reason code {code!r}")
    context.setdefault("file", echo(file))
    value, key_value = echo(value), echo(key_value)
    return Rejection(
        code=code,
        file=file,
        row=row,
        column=column,
        value=value,
        message_vi=messages.message_vi(code, column, value, **context),
        message_en=messages.message_en(code, column, value, **context),
        sender_column=context.get("sender_column"),
        key_value=key_value,
    )
