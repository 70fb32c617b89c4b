"""An SMTP server on 127.0.0.1 (aiosmtpd, in this process, in a thread) that keeps every message
it receives, and the Airflow connection that points mail at it."""

from __future__ import annotations

import email
import email.policy
import json
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.remote import free_port


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def connection(self) -> str:
        """``AIRFLOW_CONN_…`` JSON of an Airflow SMTP connection to this server (no TLS)."""
        return json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": self.port,
                "extra": {
                    "from_email": "bao-cao@bonoivu.example",
                    "disable_tls": True,
                    "disable_ssl": True,
                    "retry_limit": 0,
                    "timeout": 10,
                },
            }
        )

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]
