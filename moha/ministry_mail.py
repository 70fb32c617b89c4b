"""The ministry's notice that a weekly package was published: page 1 inline (its charts as
related images, since mail readers block ``data:`` images) and where the package is. Sent once
per week and version to the ``ministry`` recipients of contacts.yml."""

from __future__ import annotations

import base64
import logging
import re
from html import escape
from pathlib import Path
from typing import Any

from core.reference import provinces
from core.settings import Settings
from core.weeks import IsoWeek
from moha.contacts import load_contacts
from moha.mailer import Mail, send_once
from publishing.html_report import CSP

log = logging.getLogger(__name__)

_DATA_IMAGE = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def inline_images(html: str) -> tuple[str, tuple[tuple[str, bytes], ...]]:
    """``html`` with each embedded PNG replaced by a ``cid:`` reference (its Content-Security-
    Policy allowing them), and those images."""
    images: list[tuple[str, bytes]] = []

    def to_cid(match: re.Match[str]) -> str:
        cid = f"trang1-hinh{len(images) + 1}@moha"
        images.append((cid, base64.b64decode(match.group(1))))
        return f'src="cid:{cid}"'

    html = html.replace(CSP, CSP.replace("img-src data:", "img-src cid: data:"))
    return _DATA_IMAGE.sub(to_cid, html), tuple(images)


def _names(codes: list[str] | None) -> str:
    """Province codes as names (``04, 48`` → ``Cao Bằng, Thành phố Đà Nẵng``), or "không có"."""
    known = provinces()
    return ", ".join(known[code].name if code in known else code for code in codes or ()) or (
        "không có"
    )


def notice(to: tuple[str, ...], published: dict[str, Any], page_one: str) -> Mail:
    """The mail for one published version (``published``: publishing's ``Published`` as JSON)."""
    week = IsoWeek.parse(published["week"])
    version, folder = published["version"], published["path"]
    subject = f"[Bộ Nội vụ] Đã công bố gói báo cáo tuần {week} ({version})"
    missing, late = (_names(published.get(key)) for key in ("missing_provinces", "late_provinces"))
    gate = published.get("gate") or {}
    lines = [
        f"Gói báo cáo tuần {week} (phiên bản {version}) đã qua kiểm tra chất lượng "
        "và được công bố.",
        f"Thư mục gói: {folder}",
        f"Tỉnh chưa nộp đủ: {missing}. Tỉnh nộp muộn: {late}.",
        f"Kiểm tra chất lượng: {gate.get('passed', '?')}/{gate.get('checks', '?')} đạt.",
        "Trang 1 của báo cáo ở dưới (bản HTML); bảng đầy đủ trong tệp Excel, CSV và Parquet của "
        "gói, manifest.json ghi mã băm của từng tệp.",
    ]
    body, images = inline_images(page_one)
    banner = (
        '<div style="font-family:Arial,sans-serif;font-size:14px;border:1px solid #9DC3E6;'
        'background:#EEF5FB;padding:8px 12px;margin-bottom:12px">'
        + "".join(f"<p style='margin:4px 0'>{escape(line)}</p>" for line in lines[:4])
        + "</div>"
    )
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
    if html == body:  # no <body> tag: the banner goes first
        html = banner + body
    return Mail(to, subject, "\n".join(lines), html, (), images)


def notify_ministry(settings: Settings, published: dict[str, Any]) -> bool:
    """Mail the ministry's recipients about a new version (none for an unchanged publish or
    without recipients); once per week and version however often it runs."""
    to = load_contacts(settings).ministry
    if published.get("status") != "published" or not to:
        log.info("no notice mailed (status %s, %d recipients)", published.get("status"), len(to))
        return False
    folder = Path(published["path"])
    pages = sorted(folder.glob("bao_cao_tuan_*.html"))
    page_one = pages[0].read_text(encoding="utf-8") if pages else "<html><body></body></html>"
    key = f"published:{published['week']}:{published['version']}"
    return send_once(
        settings, {key: published.get("content_digest", "")}, notice(to, published, page_one)
    )
