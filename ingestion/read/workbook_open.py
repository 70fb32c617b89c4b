"""A workbook's bytes opened as the format they are, told by their content and never by the name
(a zip holding ``xl/workbook.xml`` is .xlsx, one whose ``mimetype`` is the ODF spreadsheet's is
.ods, an OLE file with a Workbook stream is .xls, one holding an encrypted package is a
password-protected .xlsx): refused with the cause when protected, binary or over a limit, else
opened by calamine, with what the file's own parts say beyond its cells (the sheet it opens on,
the cells whose formula failed, the merged ranges of an .ods)."""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from ingestion.contract.limits import Limits
from ingestion.contract.rejections import Rejection, reject
from ingestion.read import ods_structure, xls_structure, xlsx_structure, xml_stream
from ingestion.read.cell_facts import SheetFacts
from ingestion.read.preflight import Finding, check_archive, check_sheets

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What can go wrong reading a damaged container or part (never a bug of ours: those raise).
_DAMAGED = (zipfile.BadZipFile, xml_stream.MalformedPart, OSError, EOFError, KeyError, ValueError)


@dataclass
class Opened:
    """calamine's workbook, the index (among all its sheets) of the one it opens on, and the
    facts of the file's own parts for the sheet at an index."""

    workbook: CalamineWorkbook
    active: int | None
    facts: Callable[[int], SheetFacts]


def _typed(data: bytes, extension: str) -> CalamineWorkbook:
    """calamine's reader for ``extension`` on ``data`` (opening a path picks the reader by the
    path's extension, and a failure keeps that reader's own error)."""
    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as copy:
        copy.write(data)
        copy.flush()
        return CalamineWorkbook.from_path(copy.name)


def calamine(data: bytes, extension: str) -> CalamineWorkbook:
    """calamine's workbook on ``data``; when it cannot open it, the error of its reader for
    ``extension`` (opening from bytes guesses the format and reduces every error to "Cannot
    detect file format")."""
    with contextlib.suppress(Exception):  # on failure, only to ask the right reader why
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    return _typed(data, extension)


def protected(file_name: str, detail: str) -> Rejection:
    """``unreadable_file`` for a workbook saved with a password: say so, and how to remove it."""
    return reject("unreadable_file", file_name, variant="protected", detail=detail)


def _too_complex(file_name: str, finding: Finding) -> Rejection:
    return reject(
        "file_too_complex",
        file_name,
        variant=finding.variant,
        detail=finding.detail,
        **finding.context,
    )


def _unreadable(
    data: bytes, file_name: str, extension: str, found: BaseException | None = None
) -> Rejection:
    """A file that cannot be read as ``extension``: calamine's reader for it says why, else
    what ``found`` (our own reading of its structure) ran into."""
    try:
        _typed(data, extension)
    except Exception as error:  # the reader's own error is the detail
        found = error
    if found is None:
        detail = f"calamine opens it as {extension}, but it holds no workbook part"
    else:
        detail = f"{type(found).__name__}: {found}"
    return reject("unreadable_file", file_name, detail=detail)


def open_workbook(data: bytes, file_name: str, limits: Limits) -> Opened | Rejection:
    """The workbook in ``data`` (a zip or an OLE file) ready to read, or why it cannot be."""
    if data.startswith(ZIP):
        return _open_zip(data, file_name, limits)
    return _open_ole(data, file_name)


def _open_zip(data: bytes, file_name: str, limits: Limits) -> Opened | Rejection:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))  # in memory: nothing to close
    except _DAMAGED as error:
        return _unreadable(data, file_name, "xlsx", error)
    names = set(archive.namelist())
    if finding := check_archive(archive, len(data), limits):
        return _too_complex(file_name, finding)
    if "xl/workbook.xml" in names:
        return _open_xlsx(data, archive, file_name, limits)
    if "xl/workbook.bin" in names:
        return reject("unreadable_file", file_name, variant="binary", detail="an .xlsb workbook")
    if _mimetype(archive) == ods_structure.MIMETYPE:
        return _open_ods(data, archive, file_name, limits)
    return _unreadable(data, file_name, "ods" if file_name.lower().endswith(".ods") else "xlsx")


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    try:
        with archive.open("mimetype") as member:
            return member.read(len(ods_structure.MIMETYPE) + 1).strip()
    except _DAMAGED:
        return b""


def _open_xlsx(
    data: bytes, archive: zipfile.ZipFile, file_name: str, limits: Limits
) -> Opened | Rejection:
    try:
        structure = xlsx_structure.read_structure(archive)
        finding = check_sheets(archive, structure.sheets, limits)
    except _DAMAGED as error:
        return _unreadable(data, file_name, "xlsx", error)
    if finding is not None:
        return _too_complex(file_name, finding)
    workbook = calamine(data, "xlsx")
    sheets = structure.sheets

    def facts(index: int) -> SheetFacts:
        member = sheets[index].member if index < len(sheets) else None
        if member is None:
            return SheetFacts()
        return SheetFacts(xlsx_structure.formula_errors(archive, member))

    return Opened(workbook, structure.active, facts)


def _open_ods(
    data: bytes, archive: zipfile.ZipFile, file_name: str, limits: Limits
) -> Opened | Rejection:
    try:
        if ods_structure.is_encrypted(archive):
            return protected(file_name, "META-INF/manifest.xml lists encryption-data")
        tables = ods_structure.tables(archive, limits)
        if isinstance(tables, Finding):
            return _too_complex(file_name, tables)
        active_name = ods_structure.active_table(archive)
    except _DAMAGED as error:
        return _unreadable(data, file_name, "ods", error)
    workbook = calamine(data, "ods")
    names = workbook.sheet_names
    # No view settings (a file written by a program, e.g. LibreOffice's headless conversion):
    # nobody chose a sheet, so none is taken as the one the workbook opens on.
    active = names.index(active_name) if active_name in names else None
    return Opened(workbook, active, lambda i: tables[i] if i < len(tables) else SheetFacts())


def _open_ole(data: bytes, file_name: str) -> Opened | Rejection:
    try:
        ole = xls_structure.open_ole(data)
    except _DAMAGED as error:
        return _unreadable(data, file_name, "xls", error)
    try:
        if xls_structure.is_encrypted_ooxml(ole):
            return protected(file_name, "an OLE container holding an EncryptedPackage")
        structure = xls_structure.read_structure(xls_structure.workbook_stream(ole))
    except _DAMAGED as error:  # NotAWorkbook too: a Word document, say
        return _unreadable(data, file_name, "xls", error)
    finally:
        ole.close()
    if structure.encrypted:
        return protected(file_name, "a FILEPASS record: the workbook stream is encrypted")
    workbook = calamine(data, "xls")
    errors = structure.errors
    return Opened(
        workbook,
        structure.active,
        lambda i: SheetFacts(errors[i]) if i < len(errors) else SheetFacts(),
    )
