"""Open a page from disk in headless Chromium and record every request it makes.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: commands on
fd 3, replies and events on fd 4, NUL-separated JSON), so no port is opened and nothing is
missed: the ``Network`` domain reports each request the page makes (``requestWillBeSent``), each
one that failed or was blocked (``loadingFailed``, e.g. a ``file://`` page fetching
``manifest.json``), and the ``Runtime``/``Log`` domains report script exceptions and console
errors.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.tools import require_tool

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


@dataclass
class Visit:
    """What a page did while it loaded and settled."""

    url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page itself and inline ``data:`` / ``blob:`` URLs."""
        return [
            url
            for url in self.requests
            if url.split("#", 1)[0] != self.url.split("#", 1)[0]
            and not url.startswith(("data:", "blob:", "about:"))
        ]


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive(timeout=60)
            if reply is None:
                raise TimeoutError(f"no reply to {method}")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                return None
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)


def open_page(
    path: Path, *, fragment: str = "", settle: float = 3.0, screenshot: Path | None = None
) -> Visit:
    """Load ``file://path`` (plus ``fragment``, e.g. a single-page app's route); wait for the
    load event, then until ``settle`` seconds pass with no new request; return what happened
    (and save a screenshot when asked)."""
    chromium = require_tool("chromium")["chromium"]
    url = path.resolve().as_uri() + fragment
    commands_read, commands_write = os.pipe()
    events_read, events_write = os.pipe()

    def wire_fds() -> None:  # in the child: the protocol's fixed descriptors 3 and 4
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, events_write)]
        os.dup2(high[0], 3)  # dup2 makes the copies inheritable
        os.dup2(high[1], 4)

    with tempfile.TemporaryDirectory(prefix="moha-chromium-") as profile:
        browser = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1600"],
            preexec_fn=wire_fds,
            close_fds=False,  # keep 3 and 4; our other descriptors are not inheritable (PEP 446)
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(events_write)
        pipe = _Pipe(commands_write, events_read)
        visit = Visit(url)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Network", "Page", "Runtime", "Log"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send("Page.navigate", {"url": url}, session=session)
            loaded, quiet_since = False, time.monotonic()
            urls: dict[str, str] = {}
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not (
                loaded and time.monotonic() - quiet_since > settle
            ):
                event = pipe.events.pop(0) if pipe.events else pipe.receive(timeout=0.5)
                if event is None:
                    continue
                method, params = event.get("method"), event.get("params", {})
                if method == "Page.loadEventFired":
                    loaded, quiet_since = True, time.monotonic()
                elif method == "Network.requestWillBeSent":
                    urls[params["requestId"]] = params["request"]["url"]
                    visit.requests.append(params["request"]["url"])
                    quiet_since = time.monotonic()
                elif method == "Network.loadingFailed":
                    reason = params.get("blockedReason") or params.get("corsErrorStatus") or ""
                    visit.failed.append(
                        f"{urls.get(params['requestId'], '?')}: {params.get('errorText')} {reason}"
                    )
                elif method == "Runtime.exceptionThrown":
                    details = params["exceptionDetails"]
                    visit.errors.append(
                        (details.get("exception") or {}).get("description") or details["text"]
                    )
                elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                    entry = params["entry"]
                    visit.errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
                elif method == "Page.javascriptDialogOpening":  # an alert() blocks the page
                    visit.errors.append(f"dialog: {params.get('message')}")
                    pipe.send("Page.handleJavaScriptDialog", {"accept": True}, session=session)
                elif method == "Runtime.consoleAPICalled" and params["type"] == "error":
                    visit.errors.append(
                        " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                    )
            assert loaded, f"{url} did not finish loading"
            visit.text = pipe.send(
                "Runtime.evaluate",
                {"expression": "document.body.innerText", "returnByValue": True},
                session=session,
            )["result"].get("value", "")
            if screenshot is not None:
                shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            pipe.send("Browser.close")
        finally:
            os.close(commands_write)
            os.close(events_read)
            try:
                browser.wait(timeout=20)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait(timeout=10)
    return visit
