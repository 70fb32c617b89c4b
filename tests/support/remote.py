"""Remote province drops on 127.0.0.1: an SFTP server (asyncssh) and an S3 server (moto).

Both run in this process, in threads, so the source tests need no system tool and cannot skip.
The SFTP server serves a local folder (chroot), accepts one user and password, and can go away
on demand: :meth:`SftpServer.stop` closes the listener and every connection, and
:meth:`SftpServer.drop_during_listing` makes the next directory listing abort the connection
after its first entry (the server dying mid-listing). With :attr:`SftpServer.read_only` set it
refuses every write (permission denied), as a province's server that only lets us read.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SftpServer:
    """An SSH server with the SFTP subsystem only, chrooted to ``root``, with a host key whose
    ``known_hosts`` line is written to :attr:`known_hosts` (clients verify it)."""

    def __init__(self, root: Path, username: str = "moha") -> None:
        # one INFO line per channel otherwise, some logged at exit, after pytest closed its capture
        logging.getLogger("asyncssh").setLevel(logging.WARNING)
        self.root = root
        self.username = username
        self.password = secrets.token_urlsafe(16)
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.port = 0
        self.known_hosts = root.parent / f"known_hosts_{secrets.token_hex(4)}"
        self.listings = 0
        self.read_only = False
        self._drop_listing = 0  # listings still to abort; -1: every one
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._listener: asyncssh.SSHAcceptor | None = None
        self._connections: set[asyncssh.SSHServerConnection] = set()

    # -- control (called from the test's thread) -----------------------------------------------

    def start(self) -> SftpServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=30)
        self.known_hosts.write_text(
            f"[127.0.0.1]:{self.port} {self.host_key.export_public_key().decode().strip()}\n"
        )
        return self

    def drop_during_listing(self, every_time: bool = False) -> None:
        """The next directory listing (or every one) aborts the connection after its first
        entry: the server goes away in the middle of a listing."""
        self._drop_listing = -1 if every_time else 1

    def stop(self) -> None:
        """Close the listener and abort every open connection: the server is gone."""
        if self._listener is not None:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=30)
            self._listener = None

    def shutdown(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    # -- the server (runs on its own event loop) -------------------------------------------------

    async def _listen(self) -> None:
        server = self

        class Auth(asyncssh.SSHServer):
            def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
                server._connections.add(conn)

            def connection_lost(self, exc: Exception | None) -> None:
                server._connections = {c for c in server._connections if not c.is_closed()}

            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                return username == server.username and secrets.compare_digest(
                    password, server.password
                )

        class Drop(asyncssh.SFTPServer):
            def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs):
                if server.read_only and pflags & (asyncssh.FXF_WRITE | asyncssh.FXF_CREAT):
                    raise asyncssh.SFTPPermissionDenied("read-only drop")
                return super().open(path, pflags, attrs)

            def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
                if server.read_only:
                    raise asyncssh.SFTPPermissionDenied("read-only drop")
                super().mkdir(path, attrs)

            async def scandir(self, path: bytes) -> AsyncIterator[asyncssh.SFTPName]:
                server.listings += 1
                async for name in super().scandir(path):
                    yield name
                    if server._drop_listing and name.filename not in (b".", b".."):
                        server._drop_listing -= server._drop_listing > 0
                        self.connection.abort()
                        return

        self._listener = await asyncssh.listen(
            "127.0.0.1",
            self.port,
            server_host_keys=[self.host_key],
            server_factory=Auth,
            sftp_factory=lambda chan: Drop(chan, chroot=str(self.root)),
            allow_scp=False,
        )
        self.port = self._listener.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        assert self._listener is not None
        self._listener.close()
        await self._listener.wait_closed()
        for conn in list(self._connections):
            conn.abort()
        self._connections.clear()


class S3Server:
    """moto's S3 (``ThreadedMotoServer``) on 127.0.0.1 with a fixed access key and secret."""

    region = "us-east-1"

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.access_key = "AKIA" + secrets.token_hex(8).upper()
        self.secret_key = secrets.token_urlsafe(30)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.running = False

    def start(self) -> S3Server:
        """Start it empty: moto keeps its buckets in process-wide state, which a server started
        earlier in the same test session would otherwise hand on."""
        import urllib.request

        self._server.start()
        self.running = True
        urllib.request.urlopen(
            urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST"), timeout=10
        ).close()
        return self

    def stop(self) -> None:
        if self.running:
            self._server.stop()
            self.running = False

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )
