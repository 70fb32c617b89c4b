"""Workbook parts (XML members of a zip) parsed as a stream: expat fed in chunks, never a DOM,
and a document type declaration (the door to entity expansion) refused."""

from __future__ import annotations

import zipfile
from pyexpat import ParserCreate, XMLParserType
from xml.parsers.expat import ExpatError

CHUNK_BYTES = 64 * 1024


class MalformedPart(ValueError):
    """A part that is not well-formed XML, or declares a document type."""


def _refuse_doctype(*_: object) -> None:
    raise MalformedPart("a document type declaration in a workbook part")


def parser(namespaces: bool = False) -> XMLParserType:
    """An expat parser; with ``namespaces``, names read ``"<namespace uri> <local name>"``
    whatever prefix the writer chose, without them they read as written (``table:table``)."""
    created = ParserCreate(namespace_separator=" ") if namespaces else ParserCreate()
    created.buffer_text = True
    created.StartDoctypeDeclHandler = _refuse_doctype
    created.EntityDeclHandler = _refuse_doctype
    return created


def feed(expat: XMLParserType, archive: zipfile.ZipFile, member: str) -> None:
    """Parse ``member`` of ``archive`` with ``expat``, chunk by chunk. A handler may raise to
    stop early: its exception comes out of here. MalformedPart when the XML is broken."""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                expat.Parse(chunk, False)
            expat.Parse(b"", True)
    except ExpatError as error:
        raise MalformedPart(f"{member}: {error}") from None
