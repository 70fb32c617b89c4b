"""Where each province's files come from (config/sources.yml), listed and read through fsspec."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from fsspec.core import url_to_fs

from core.reference import provinces
from core.settings import Settings

DEFAULT_URL = "{data_dir}/inbox/{province_code}"
_CHUNK = 1024 * 1024


class SourceError(RuntimeError):
    """A province's source cannot be listed or read; the message names the province and URL."""


@dataclass(frozen=True)
class Source:
    """One province's drop: an fsspec URL and the keyword arguments its filesystem needs."""

    province_code: str
    url: str
    storage_options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceFile:
    """A file at a source: its path there, name, size and received (modification) time."""

    path: str
    name: str
    size: int | None
    received_at: datetime


def _config(settings: Settings) -> dict[str, Any]:
    path = settings.sources_file
    if not path or not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _fill(template: str, settings: Settings, province_code: str) -> str:
    return template.format(data_dir=settings.data_dir.as_posix(), province_code=province_code)


def province_source(settings: Settings, province_code: str) -> Source:
    """The configured source of one province: its override, else the default template."""
    config = _config(settings)
    default = config.get("default") or {}
    override = (config.get("provinces") or {}).get(province_code) or {}
    template = override.get("url") or default.get("url") or DEFAULT_URL
    options = override.get("storage_options", default.get("storage_options")) or {}
    return Source(province_code, _fill(template, settings, province_code), dict(options))


def public_url(url: str) -> str:
    """``url`` without a password or user in its authority (``sftp://user:pw@host/x`` →
    ``sftp://host/x``): safe for logs, outcomes and the warehouse."""
    parts = urlsplit(url)
    if not parts.netloc or "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def province_sources(settings: Settings) -> dict[str, str]:
    """Province code → fsspec URL for all 34 provinces."""
    return {code: province_source(settings, code).url for code in provinces()}


def _received_at(info: dict[str, Any]) -> datetime:
    for key in ("mtime", "LastModified", "last_modified", "modified", "updated", "created"):
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value), tz=UTC)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _ignored(name: str) -> bool:
    """Hidden files and Excel lock files (``~$bien_che….xlsx``) are not sent files."""
    return name.startswith((".", "~$"))


def _absent_for_real(fs: Any, root: str) -> None:
    """A local folder that "does not exist" may be a symlink loop, a dangling link or behind a
    folder we may not enter: raise for those (the province failed), return for a missing one."""
    if "file" not in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)):
        return
    try:
        os.stat(root)
    except FileNotFoundError:
        if os.path.islink(root):
            raise OSError(f"{root} is a link to nothing") from None
    # any other OSError (ELOOP, EACCES…) propagates: the caller turns it into a SourceError


def list_files(source: Source) -> list[SourceFile]:
    """Files directly in the source folder, by name; a folder that does not exist yet holds none.

    Raises :class:`SourceError` when the source cannot be listed, including a local folder that
    is a symlink loop, a dangling link or unreadable (the province's task fails, never "0 files").
    """
    try:
        fs, root = url_to_fs(source.url, **source.storage_options)
        if not fs.exists(root):
            _absent_for_real(fs, root)
            return []
        entries = fs.ls(root, detail=True)
    except Exception as error:
        raise SourceError(
            f"province {source.province_code}: cannot list {public_url(source.url)}: {error}"
        ) from error
    files = []
    for entry in entries:
        if entry.get("type") != "file":
            continue
        name = PurePosixPath(entry["name"]).name
        if _ignored(name):
            continue
        size = entry.get("size")
        files.append(
            SourceFile(
                entry["name"], name, int(size) if size is not None else None, _received_at(entry)
            )
        )
    return sorted(files, key=lambda item: item.name)


def stream_file(source: Source, file: SourceFile) -> Iterator[bytes]:
    """The file's bytes in chunks. Raises :class:`SourceError` when it cannot be read."""
    try:
        fs, _ = url_to_fs(source.url, **source.storage_options)
        with fs.open(file.path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
    except Exception as error:
        raise SourceError(
            f"province {source.province_code}: cannot read {file.name} at "
            f"{public_url(source.url)}: {error}"
        ) from error


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
