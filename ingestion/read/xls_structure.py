"""A legacy Excel (.xls) workbook's structure from the records of its Workbook stream (BIFF5 and
BIFF8): whether it is encrypted (``FILEPASS``), the sheet it opens on (``WINDOW1``), and the
cells whose formula failed (``FORMULA`` records caching an error, ``BOOLERR`` records holding
one), which calamine hands over as blanks."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

import olefile

from ingestion.read.cell_facts import UNKNOWN_ERROR, ErrorCells

_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _WINDOW1 = 0x0809, 0x000A, 0x002F, 0x0085, 0x003D
_FORMULA, _BOOLERR = 0x0006, 0x0205
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_CODES = b"[" + b"".join(re.escape(bytes([code])) for code in ERROR_CODES) + b"]"
# A BOOLERR record holding an error (fError = 1), and the tail every FORMULA value that is not
# a number ends in (type, _, code or flag, 0, 0, 0, FF FF): byte searches before any walk.
_BOOLERR_ERROR = re.compile(rb"\x05\x02\x08\x00[\s\S]{6}" + _CODES + rb"\x01")
_NOT_A_NUMBER = b"\x00\x00\x00\xff\xff"
_HEADER = struct.Struct("<HH")
_ENCRYPTED_OOXML = ("EncryptionInfo", "EncryptedPackage")


class NotAWorkbook(ValueError):
    """An OLE file without a Workbook stream (a Word document, say)."""


@dataclass(frozen=True)
class XlsStructure:
    encrypted: bool
    active: int  # WINDOW1 itabCur: an index among all sheets (0 when absent)
    errors: list[list[ErrorCells]]  # per sheet, in BOUNDSHEET order (calamine's order)


def _records(stream: bytes, position: int):
    """(type, data) of each record from ``position`` to the substream's EOF."""
    end = len(stream)
    while position + 4 <= end:
        kind, size = _HEADER.unpack_from(stream, position)
        data = stream[position + 4 : position + 4 + size]
        position += 4 + size
        yield kind, data
        if kind == _EOF:
            return


def is_encrypted_ooxml(ole: olefile.OleFileIO) -> bool:
    """An .xlsx (or any OOXML file) saved with a password: an OLE container holding the
    encrypted package."""
    return all(ole.exists(name) for name in _ENCRYPTED_OOXML)


def workbook_stream(ole: olefile.OleFileIO) -> bytes:
    """The BIFF stream (``Workbook``, or ``Book`` in Excel 5/95 files)."""
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            return ole.openstream(name).read()
    raise NotAWorkbook("an OLE file without a Workbook stream")


def open_ole(data: bytes) -> olefile.OleFileIO:
    """The OLE compound file in ``data`` (OSError when it is corrupt)."""
    return olefile.OleFileIO(io.BytesIO(data))


def read_structure(stream: bytes) -> XlsStructure:
    """Encryption, active sheet and formula errors of a BIFF stream."""
    sheets: list[int] = []  # stream position of each sheet's BOF
    active = 0
    windows = 0
    for kind, data in _records(stream, 0):
        if kind == _FILEPASS:
            return XlsStructure(True, 0, [])
        if kind == _BOUNDSHEET and len(data) >= 4:
            sheets.append(struct.unpack_from("<I", data)[0])
        elif kind == _WINDOW1 and len(data) >= 12:
            windows += 1
            if windows == 1:
                active = struct.unpack_from("<H", data, 10)[0]
    if not _holds_errors(stream):
        return XlsStructure(False, active, [[] for _ in sheets])
    return XlsStructure(False, active, [_sheet_errors(stream, start) for start in sheets])


def _holds_errors(stream: bytes) -> bool:
    """Whether some record may hold an error: a BOOLERR error, or a FORMULA record (06 00 at
    its head) whose cached value is an error (type 2, a known code)."""
    if _BOOLERR_ERROR.search(stream):
        return True
    position = 0
    while (found := stream.find(_NOT_A_NUMBER, position)) >= 0:
        value = found - 3  # the record's header is 10 bytes before its value
        header = stream[value - 10 : value - 8] if value >= 10 else b""
        if header == b"\x06\x00" and stream[value] == 2 and stream[value + 2] in ERROR_CODES:
            return True
        position = found + 1
    return False


def _sheet_errors(stream: bytes, start: int) -> list[ErrorCells]:
    found: list[ErrorCells] = []
    if not 0 <= start < len(stream):
        return found
    for kind, data in _records(stream, start):
        if kind == _FORMULA and len(data) >= 14 and data[12:14] == b"\xff\xff" and data[6] == 2:
            code = data[8]
        elif kind == _BOOLERR and len(data) >= 8 and data[7] == 1:
            code = data[6]
        else:
            continue
        row, column = struct.unpack_from("<HH", data)
        found.append(ErrorCells(row, column, ERROR_CODES.get(code, UNKNOWN_ERROR)))
    return found
