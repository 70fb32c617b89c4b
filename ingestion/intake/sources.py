"""Where each province's files come from (config/sources.yml), listed and read through fsspec.

A province's drop is any fsspec URL: a local folder, ``sftp://`` (sshfs), ``s3://`` (s3fs),
``memory://``. Credentials never sit in sources.yml: ``storage_options`` name an Airflow
Connection (``conn_id``) or environment variables (``"${MOHA_S3_SECRET}"``), and a secret written
in clear text is refused. Remote filesystems get connection timeouts, so a dead server fails its
province's task instead of hanging it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from fsspec import AbstractFileSystem
from fsspec.core import split_protocol, url_to_fs

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
    """The sources file, parsed once per version of it (every province task reads it)."""
    path = settings.sources_file
    if not path:
        return {}
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return _parsed(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """The YAML at ``path`` (``mtime_ns`` and ``size`` key the cache: an edited file is reread).
    Callers only read it."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


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
        with connected(source) as (fs, root):
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
        with connected(source) as (fs, _), fs.open(file.path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
    except Exception as error:
        raise SourceError(
            f"province {source.province_code}: cannot read {file.name} at "
            f"{public_url(source.url)}: {error}"
        ) from error


# --- remote sources: credentials, timeouts, one connection per source --------------------------

SFTP_PROTOCOLS = ("sftp", "ssh")
S3_PROTOCOLS = ("s3", "s3a")
CONNECT_TIMEOUT_SECONDS = 30
"""Default for establishing a connection (TCP + SSH handshake and login, or an S3 request)."""
READ_TIMEOUT_SECONDS = 120
"""Default for an S3 response; SFTP detects a silent server with keepalives (15 s × 3)."""

_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SECRET_NAMES = {"password", "passphrase", "secret", "key", "token", "credentials"}
_SECRET_SUFFIXES = ("_password", "_passphrase", "_secret", "_token", "_key", "_key_id")
_FILESYSTEMS: dict[str, tuple[AbstractFileSystem, str]] = {}


def _is_secret_name(name: str) -> bool:
    name = name.lower()
    return name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES)


def _clear_secrets(options: Any, path: str = "storage_options") -> list[str]:
    """Paths of option values that hold a secret written out rather than a ``${VAR}``."""
    found: list[str] = []
    if isinstance(options, dict):
        for name, value in options.items():
            where = f"{path}.{name}"
            if isinstance(value, dict | list):
                found += _clear_secrets(value, where)
            elif (
                _is_secret_name(str(name))
                and value not in (None, "")
                and not (isinstance(value, str) and _ENV_REFERENCE.fullmatch(value.strip()))
            ):
                found.append(where)
    elif isinstance(options, list):
        for index, value in enumerate(options):
            found += _clear_secrets(value, f"{path}[{index}]")
    return found


def refuse_clear_secrets(source: Source) -> None:
    """Raise :class:`SourceError` when sources.yml holds a password, key or token in clear text
    (in ``storage_options`` or as ``user:password@`` in the URL) for this province."""
    found = _clear_secrets(source.storage_options)
    if urlsplit(source.url).password:
        found.append("url (user:password@host)")
    if found:
        raise SourceError(
            f"sources.yml holds credentials in clear text ({', '.join(found)}); name an "
            'Airflow Connection (storage_options.conn_id) or an environment variable ("${MOHA_…}")'
        )


def _expand(value: Any) -> Any:
    """``${NAME}`` references replaced by the environment's values, in nested options too."""
    if isinstance(value, dict):
        return {key: _expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item) for item in value]
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise SourceError(f"environment variable {name} (named in sources.yml) is not set")
        return os.environ[name]

    return _ENV_REFERENCE.sub(lookup, value)


def _connection_options(conn_id: str, protocol: str) -> dict[str, Any]:
    """fsspec options from an Airflow Connection (from the metadata DB or a secrets backend in a
    task; from ``AIRFLOW_CONN_<ID>`` variables anywhere)."""
    from airflow.sdk import Connection

    try:
        conn = Connection.get(conn_id)
    except Exception as error:
        raise SourceError(f"Airflow connection {conn_id!r}: {error}") from error
    extra = dict(conn.extra_dejson or {})
    if protocol in SFTP_PROTOCOLS:
        options: dict[str, Any] = {"username": conn.login, "password": conn.password}
        if conn.host:
            options["host"] = conn.host
        if conn.port:
            options["port"] = int(conn.port)
        if "key_file" in extra:
            options["client_keys"] = [extra.pop("key_file")]
        for name in ("known_hosts", "client_keys", "passphrase"):
            if name in extra:
                options[name] = extra.pop(name)
    elif protocol in S3_PROTOCOLS:
        options = {"key": conn.login, "secret": conn.password}
        if extra.get("aws_session_token"):
            options["token"] = extra.pop("aws_session_token")
        if extra.get("endpoint_url"):
            options["endpoint_url"] = extra.pop("endpoint_url")
        if extra.get("region_name"):
            options["client_kwargs"] = {"region_name": extra.pop("region_name")}
    else:
        raise SourceError(
            f"Airflow connection {conn_id!r}: conn_id is supported for sftp:// and s3:// "
            f"sources, not {protocol}://"
        )
    return {key: value for key, value in options.items() if value not in (None, "")}


def filesystem_options(source: Source) -> dict[str, Any]:
    """The keyword arguments for the source's fsspec filesystem: the Airflow Connection's
    credentials (``conn_id``), then sources.yml's options with ``${VAR}`` expanded, then
    timeout defaults for remote protocols. Never log or store the result: it holds secrets."""
    refuse_clear_secrets(source)
    protocol = split_protocol(source.url)[0] or "file"
    configured = _expand(dict(source.storage_options))
    conn_id = configured.pop("conn_id", None)
    options = _connection_options(conn_id, protocol) if conn_id else {}
    for key, value in configured.items():
        if isinstance(value, dict) and isinstance(options.get(key), dict):
            options[key] = {**options[key], **value}
        else:
            options[key] = value
    if protocol in SFTP_PROTOCOLS:
        options.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        options.setdefault("login_timeout", CONNECT_TIMEOUT_SECONDS)
        options.setdefault("keepalive_interval", 15)
        options.setdefault("keepalive_count_max", 3)
        # sshfs turns host-key checking off unless told otherwise; () is asyncssh's default:
        # verify against ~/.ssh/known_hosts. Set known_hosts to a file of the province's key.
        options.setdefault("known_hosts", ())
    elif protocol in S3_PROTOCOLS:
        config = dict(options.get("config_kwargs") or {})
        config.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        config.setdefault("read_timeout", READ_TIMEOUT_SECONDS)
        config.setdefault("retries", {"max_attempts": 3, "mode": "standard"})
        options["config_kwargs"] = config
    return options


@contextmanager
def connected(source: Source) -> Iterator[tuple[AbstractFileSystem, str]]:
    """The source's filesystem and root path, opened once per process and source; a filesystem
    that raised is dropped, so the next call (a retry) connects afresh."""
    token = hashlib.sha256(
        json.dumps([source.url, source.storage_options], sort_keys=True, default=str).encode()
    ).hexdigest()
    if token not in _FILESYSTEMS:
        _FILESYSTEMS[token] = url_to_fs(
            source.url, skip_instance_cache=True, **filesystem_options(source)
        )
    try:
        yield _FILESYSTEMS[token]
    except Exception:
        _FILESYSTEMS.pop(token, None)
        raise
