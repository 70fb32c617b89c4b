"""Mail to people through Airflow's SMTP connection (``SmtpHook``, MOHA_MAIL_CONN_ID): Vietnamese
plain text and HTML, files attached, images inline; each mail recorded under a key with the
digest of what it said (``mail/sent.json``), so a rerun that has nothing new sends nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from core.locks import FileLock
from core.settings import Settings
from ingestion.feedback.printable import replace_into

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    attachments: tuple[Path, ...] = ()
    inline: tuple[tuple[str, bytes], ...] = ()  # (content id named in the HTML as cid:…, PNG)


def digest(*parts: bytes | str) -> str:
    """The sha256 of what a mail is about (the files it reports on), to send it once."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode() if isinstance(part, str) else part)
        sha.update(b"\0")
    return sha.hexdigest()


def message(mail: Mail, sender: str) -> EmailMessage:
    """multipart/mixed: the text and the HTML as alternatives (the HTML with its inline images
    as related parts), then the attachments."""
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender
    msg["To"] = ", ".join(mail.to)
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    html = msg.get_payload()[-1]
    for cid, image in mail.inline:
        html.add_related(image, "image", "png", cid=f"<{cid}>")
    for path in mail.attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


def _smtp_hook(conn_id: str):
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    class MessageSmtpHook(SmtpHook):
        """SmtpHook's connection, login, TLS and timeouts, sending a whole MIME message (its
        ``send_email_smtp`` builds HTML-only mail: no plain-text alternative, no inline image)."""

        def send_message(self, msg: EmailMessage) -> None:
            self._smtp_client.send_message(msg)

    return MessageSmtpHook(smtp_conn_id=conn_id)


def send(settings: Settings, mail: Mail) -> None:
    """Send ``mail`` through the configured Airflow SMTP connection (sender: its ``from_email``)."""
    with _smtp_hook(settings.mail.conn_id) as hook:
        sender = hook.from_email or f"moha@{hook.conn.host or 'localhost'}"
        hook.send_message(message(mail, sender))
    log.info("mailed %r to %s", mail.subject, ", ".join(mail.to))


# --- what was sent --------------------------------------------------------------------------


def ledger_path(settings: Settings) -> Path:
    return settings.data_dir / "mail" / "sent.json"


def sent(settings: Settings) -> dict[str, dict[str, str]]:
    """Key → {digest, sent_at} of every mail sent."""
    try:
        return json.loads(ledger_path(settings).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def send_once(settings: Settings, about: dict[str, str], mail: Mail) -> bool:
    """Send ``mail`` unless every key of ``about`` was last mailed with the same digest; then
    record each key's digest. True when it was sent."""
    path = ledger_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_suffix(".lock")):
        record = sent(settings)
        if all(record.get(key, {}).get("digest") == value for key, value in about.items()):
            return False
        send(settings, mail)
        now = datetime.now(UTC).isoformat()
        record.update({key: {"digest": value, "sent_at": now} for key, value in about.items()})
        text = json.dumps(record, indent=1, sort_keys=True)
        replace_into(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return True
