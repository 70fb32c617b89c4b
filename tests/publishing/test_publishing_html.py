"""The HTML page 1 in headless Chromium: it loads from disk with no console error and no request
leaving the file, and it draws (a screenshot of the whole page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from publishing.publish import html_name, publish_week
from tests.publishing.conftest import warehouse_copy
from tests.support.tools import require_tool
from tools.browser import visit

pytestmark = pytest.mark.slow

WEEK = "2025-W37"


@pytest.fixture(scope="module")
def page(world: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("chromium")
    folder = Path(publish_week(warehouse_copy(world, tmp_path_factory.mktemp("html")), WEEK).path)
    return folder / html_name(WEEK)


def test_page_loads_from_disk_without_errors_or_outside_requests(page: Path) -> None:
    found = visit(page)
    assert found.errors == []
    assert found.outside_requests == []
    assert found.requests[0] == page.resolve().as_uri()
    assert sum(u.startswith("data:image/png") for u in found.requests) == 3
    shot = found.screenshot
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(shot[16:20], "big"), int.from_bytes(shot[20:24], "big")
    assert width == 1280 and height > 1500  # tables, then the charts below them


def test_a_remote_asset_would_be_caught(page: Path, tmp_path: Path) -> None:
    """The checks above can fail: a remote image is refused by the page's CSP (console error),
    and without the CSP it is a request leaving the file."""
    html = page.read_text(encoding="utf-8")
    remote = '<img src="https://example.invalid/logo.png"></body>'
    refused = tmp_path / "refused.html"
    refused.write_text(html.replace("</body>", remote), encoding="utf-8")
    assert visit(refused).errors
    loose = tmp_path / "loose.html"
    loose.write_text(
        html.replace("</body>", remote).replace('http-equiv="Content-Security-Policy"', ""),
        encoding="utf-8",
    )
    assert "https://example.invalid/logo.png" in visit(loose).outside_requests
