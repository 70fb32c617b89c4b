"""The ministry's notice after a publish, received by a real SMTP server on 127.0.0.1 (aiosmtpd):
page 1 inline with its charts as related images (no ``data:`` image left, which mail readers
block), where the package is, plain text too; once per version."""

from __future__ import annotations

import pytest

from core.settings import Settings
from moha.ministry_mail import notify_ministry
from publishing.publish import html_name, publish_week
from tests.publishing.conftest import warehouse_copy
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.slow

WEEK = "2025-W37"
MINISTRY = ("bao-cao-tuan@bonoivu.example", "vu-chinh-quyen@bonoivu.example")


def test_the_ministry_is_told_once_with_page_one_inline(world: Settings, tmp_path, monkeypatch):
    import dataclasses

    server = SmtpServer().start()
    contacts = tmp_path / "contacts.yml"
    contacts.write_text(f"ministry: {{to: [{', '.join(MINISTRY)}]}}\n", encoding="utf-8")
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", server.connection())
    settings = warehouse_copy(world, tmp_path)
    settings = dataclasses.replace(
        settings, mail=dataclasses.replace(settings.mail, contacts_file=contacts)
    )
    try:
        published = publish_week(settings, WEEK).to_json()
        assert notify_ministry(settings, published)
        assert not notify_ministry(settings, published)  # the task retried: no second mail
        unchanged = {**published, "status": "unchanged", "version": "v2"}  # a re-publish, same
        assert not notify_ministry(settings, unchanged)  # content: nothing new to tell
    finally:
        server.stop()

    [mail] = server.messages
    assert sorted(mail["X-Envelope-To"].split(", ")) == sorted(MINISTRY)
    assert WEEK in mail["Subject"] and published["version"] in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert published["path"] in text and f"phiên bản {published['version']}" in text
    html = mail.get_body(("html",)).get_content()
    page = (settings.outbox / WEEK / published["version"] / html_name(WEEK)).read_text("utf-8")
    embedded = page.count('src="data:image/png;base64,')
    assert embedded == 3 and "data:image" not in html  # the three charts, as cid: images
    assert "img-src cid: data:" in html  # which page 1's Content-Security-Policy allows
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert len(images) == embedded and all(p["Content-ID"][1:-1] in html for p in images)
    assert all(p.get_content().startswith(b"\x89PNG") for p in images)
    assert published["path"] in html
