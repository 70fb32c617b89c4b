"""What one untrusted file may cost, as a small picklable value handed to the parsing child."""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import Settings

ECHO_CHARS = 120  # how much of a cell or a file name is ever echoed back in a message


@dataclass(frozen=True)
class Limits:
    """The parse limits of :class:`core.settings.Settings` (see the README's configuration)."""

    max_file_bytes: int = Settings.max_file_bytes
    max_sheet_cells: int = Settings.max_sheet_cells
    max_uncompressed_bytes: int = Settings.max_uncompressed_bytes
    max_compression_ratio: float = Settings.max_compression_ratio
    max_cell_chars: int = Settings.max_cell_chars
    max_count: int = Settings.max_count
    max_pdf_pages: int = Settings.max_pdf_pages
    max_document_chars: int = Settings.max_document_chars
    timeout_seconds: float = Settings.parse_timeout_seconds
    memory_bytes: int = Settings.parse_memory_bytes

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            max_file_bytes=settings.max_file_bytes,
            max_sheet_cells=settings.max_sheet_cells,
            max_uncompressed_bytes=settings.max_uncompressed_bytes,
            max_compression_ratio=settings.max_compression_ratio,
            max_cell_chars=settings.max_cell_chars,
            max_count=settings.max_count,
            max_pdf_pages=settings.max_pdf_pages,
            max_document_chars=settings.max_document_chars,
            timeout_seconds=settings.parse_timeout_seconds,
            memory_bytes=settings.parse_memory_bytes,
        )


def echo(text: str | None, limit: int = ECHO_CHARS) -> str | None:
    """``text`` as it may be echoed back: its start, with "…" and the full length when cut."""
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} ký tự)".replace(",", ".")
