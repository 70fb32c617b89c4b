"""Headless Chromium over the DevTools pipe: open a local page, record what it logged and every
request it made, take a full-page screenshot. Used to check the HTML report and to draw page 1.

The protocol runs over ``--remote-debugging-pipe`` (file descriptors 3 and 4, NUL-separated
JSON): no port is opened and nothing but the page is loaded.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    """Chromium is missing, exited, or did not answer in time."""


@dataclass
class PageVisit:
    """What happened when the page was opened."""

    url: str
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[str] = field(default_factory=list)  # requests that failed or were blocked
    console: list[dict[str, Any]] = field(default_factory=list)  # console messages and log entries
    exceptions: list[str] = field(default_factory=list)
    text: str = ""  # the page's visible text once it settled
    screenshot: bytes = b""

    @property
    def errors(self) -> list[str]:
        """Console errors, browser log errors (CSP violations, failed loads) and exceptions."""
        found = [m["text"] for m in self.console if m["level"] in ("error", "warning")]
        return found + self.exceptions

    @property
    def outside_requests(self) -> list[str]:
        """Requests that would leave the file: anything but the page itself and inline URLs."""
        page = self.url.split("#", 1)[0]
        return [
            u
            for u in self.requests
            if u.split("#", 1)[0] != page and not u.startswith(("data:", "blob:", "about:"))
        ]


def _high(fd: int) -> int:
    """``fd`` moved to a close-on-exec descriptor numbered 10 or more (the original closed)."""
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class _Pipe:
    def __init__(self, executable: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # the child's ends moved above fd 10 first, so putting them on 3 and 4 clobbers neither
        child_r, child_w = _high(to_chrome_r), _high(from_chrome_w)

        def on_3_and_4() -> None:  # Chromium reads commands on fd 3 and answers on fd 4
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        try:
            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=False,  # our descriptors are close-on-exec; 3 and 4 (dup2) are not
                preexec_fn=on_3_and_4,
            )
        finally:
            os.close(child_r)
            os.close(child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read_message(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], remaining)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 16)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, session: str, timeout: float = 30.0) -> dict[str, Any]:
        """The first ``method`` event (an ``alert()`` on the way is accepted)."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._keep(self._read_message(deadline), session)
            if message.get("method") == method:
                return message

    def _keep(self, message: dict[str, Any], session: str) -> dict[str, Any]:
        """Record an event; accept an ``alert()``, which would block the page."""
        self.events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            self.send("Page.handleJavaScriptDialog", {"accept": True}, session=session)
        return message

    def settle(self, quiet: float, session: str, timeout: float = 90.0) -> None:
        """Read events until ``quiet`` seconds pass with no new request (a single-page app keeps
        fetching after its load event)."""
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < quiet and time.monotonic() < deadline:
            try:
                message = self._keep(
                    self._read_message(min(deadline, quiet_since + quiet)), session
                )
            except BrowserError:
                break
            if message.get("method") == "Network.requestWillBeSent":
                quiet_since = time.monotonic()

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)
        finally:
            os.close(self._to_chrome)
            os.close(self._from_chrome)


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError("Chromium not found (apt-get install -y chromium)")


def visit(
    path: Path,
    width: int = 1280,
    executable: str | None = None,
    fragment: str = "",
    settle: float = 0.5,
) -> PageVisit:
    """Open ``path`` (a local file; ``fragment`` is a single-page app's route), wait for it to
    load and then for ``settle`` seconds without a new request; return its requests, failures,
    console messages, visible text and a full-page PNG screenshot ``width`` CSS pixels wide."""
    url = Path(path).resolve().as_uri() + fragment
    with tempfile.TemporaryDirectory(prefix="moha-chromium-") as profile:
        pipe = _Pipe(executable or find_chromium(), profile)
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                pipe.call(f"{domain}.enable", session=session)
            pipe.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            pipe.events.clear()
            pipe.call("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired", session)
            pipe.settle(settle, session)  # late requests, console messages and failures
            text = pipe.call(
                "Runtime.evaluate",
                {"expression": "document.body.innerText", "returnByValue": True},
                session=session,
            )["result"].get("value", "")
            metrics = pipe.call("Page.getLayoutMetrics", session=session)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            shot = pipe.call(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1},
                },
                session=session,
            )
        finally:
            pipe.close()
    return _read_events(
        PageVisit(url=url, text=text, screenshot=base64.b64decode(shot["data"])), pipe.events
    )


def _read_events(found: PageVisit, events: list[dict[str, Any]]) -> PageVisit:
    urls: dict[str, str] = {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
            found.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            reason = params.get("blockedReason") or params.get("corsErrorStatus") or ""
            where = urls.get(params["requestId"], "?")
            found.failed.append(f"{where}: {params.get('errorText')} {reason}".strip())
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            level = {"warning": "warning", "error": "error", "assert": "error"}.get(
                params["type"], "info"
            )
            found.console.append({"level": level, "text": text})
        elif method == "Log.entryAdded":
            entry = params["entry"]
            found.console.append({"level": entry["level"], "text": entry["text"]})
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            exception = details.get("exception") or {}
            found.exceptions.append(
                exception.get("description") or details.get("text", "exception")
            )
        elif method == "Page.javascriptDialogOpening":
            found.exceptions.append(f"dialog: {params.get('message')}")
    return found
