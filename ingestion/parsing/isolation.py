"""Parse untrusted files in a child process with a memory cap and a time limit.

One long-lived child, forked from the caller (so it starts with the caller's imports in a few
milliseconds), serves every file of the process: it caps what it may add to its address space
(``RLIMIT_AS``: the size it was forked with plus the parse budget), then answers parse requests
one at a time over two pipes (length-prefixed pickles). A file that makes
it run out of memory, crash (a reader aborting on a huge allocation) or overrun the time limit
costs only that child: it is killed, the file is rejected ``file_too_complex`` (or
``unreadable_file`` for a crash) with the measured figure, and the next file starts a new one.
The answers are unpickled with an allow-list of the few classes a parse returns.

The child shares the caller's process group, so whatever stops the caller stops it too; it also
exits when its stdin closes (the caller died).
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import gc
import io
import logging
import os
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from core.crashpoints import crash_point
from core.weeks import IsoWeek
from ingestion.contract.limits import Limits
from ingestion.contract.messages import vn_number
from ingestion.contract.normalise import FormulaError
from ingestion.contract.rejections import Rejection, reject
from ingestion.outcomes import FileStatus
from ingestion.parsing.parse import Parsed, whole_file
from ingestion.table.structure import SubtotalMismatch
from ingestion.validate.rules import Validation

_HEADER = struct.Struct(">Q")
WINDOW = 8  # requests queued ahead of the one being answered
_READY = b"ready"
_RESERVE_BYTES = 16 * 1024 * 1024
STARTUP_SECONDS = 120.0  # for the child to import its readers (not counted in a file's time)
_CLASSES = {
    ("ingestion.parsing.parse", "Parsed"): Parsed,
    ("ingestion.validate.rules", "Validation"): Validation,
    ("ingestion.outcomes", "FileStatus"): FileStatus,
    ("ingestion.table.structure", "SubtotalMismatch"): SubtotalMismatch,
    ("ingestion.contract.rejections", "Rejection"): Rejection,
    ("core.weeks", "IsoWeek"): IsoWeek,
    ("ingestion.contract.normalise", "FormulaError"): FormulaError,
    ("datetime", "date"): date,
    ("datetime", "datetime"): datetime,
    ("datetime", "timedelta"): timedelta,
    ("datetime", "timezone"): timezone,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _CLASSES[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not an answer of a parse") from None


def _loads(payload: bytes) -> Any:
    return _Unpickler(io.BytesIO(payload)).load()


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    """``size`` bytes from ``fd``; TimeoutError past ``deadline``, EOFError when it closes."""
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None = None) -> bytes:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return _read_exact(fd, size, deadline)


class ParserUnavailable(RuntimeError):
    """The parsing child cannot be started: the machine's problem, never the file's."""


class _Worker:
    """One forked child and its two pipes (requests in, answers out)."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self.returncode: int | None = None
        try:
            self.pid, self.requests, self.answers = _fork_child(memory_bytes)
        except OSError as error:
            raise ParserUnavailable(f"cannot start the parsing child: {error}") from error
        try:
            ready = _read_frame(self.answers, time.monotonic() + STARTUP_SECONDS)
        except (TimeoutError, EOFError):
            ready = b""
        if ready != _READY:
            returncode = self.stop(kill=True)
            raise ParserUnavailable(f"the parsing child did not start (exit status {returncode})")

    def alive(self) -> bool:
        return self._reap(os.WNOHANG) is None

    def send(self, request: dict[str, Any]) -> None:
        """Queue a request (BrokenPipeError when the child has died)."""
        _write_frame(self.requests, pickle.dumps(request))

    def receive(self, timeout: float) -> tuple[str, Any, int]:
        """(status, value, peak RSS growth in KiB) of the oldest queued request, which must be
        answered within ``timeout`` of the child starting it; TimeoutError or EOFError."""
        # The child says when it starts a file (the monotonic clock is system-wide), so the
        # file's time counts from then, not from when this process got round to waiting.
        started = _loads(_read_frame(self.answers, time.monotonic() + timeout + STARTUP_SECONDS))
        payload = _read_frame(self.answers, started + timeout)
        status, value, max_rss_kib = _loads(payload)
        return status, value, max_rss_kib

    def stop(self, kill: bool = False) -> int | None:
        """Stop the child (closing its stdin, or SIGKILL) and return its exit status
        (``-N`` for signal N, as ``subprocess`` reports it)."""
        if kill and self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        for fd in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        deadline = time.monotonic() + 10
        while self._reap(os.WNOHANG) is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap(0)
        return self.returncode

    def _reap(self, flags: int) -> int | None:
        """The exit status once the child has ended (``None`` while it runs)."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                pid, status = self.pid, 255 << 8
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _fork_child(memory_bytes: int) -> tuple[int, int, int]:
    """Fork the parsing child: (pid, the fd requests are written to, the fd answers come from).

    Forked, not a new interpreter: the child starts with the caller's imports (the readers,
    the reference data) in a few milliseconds instead of ~0.3 s, which a pipeline that starts a
    process per province (an Airflow task each) pays 34 times a run.
    """
    requests_read, requests_write = os.pipe()
    answers_read, answers_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 70
        try:
            os.close(requests_write)
            os.close(answers_read)
            os.dup2(requests_read, 0)
            os.dup2(answers_write, 1)
            os.close(requests_read)
            os.close(answers_write)
            _become_child()
            serve(memory_bytes)
            status = 0
        except BaseException:  # the child reports on stderr and exits, always
            with contextlib.suppress(BaseException):
                traceback.print_exc()
        finally:
            os._exit(status)
    os.close(requests_read)
    os.close(answers_write)
    return pid, requests_write, answers_read


def _become_child() -> None:
    """Let go of what the child inherited from its parent and must not act on.

    The parent's objects stay referenced and out of the garbage collector's reach, so none of
    their finalizers runs here (a buffered file flushed twice, a DuckDB connection checkpointed).
    Its descriptors are closed: a lock the parent holds through one (``core.locks``, ``flock``)
    would otherwise stay held by the child after the parent lets go, and block its next run.
    Its signal handlers (an Airflow task's SIGTERM handler), log handlers and fault handler are
    replaced by a new interpreter's defaults (logging and tracebacks to stderr, fd 2).
    """
    gc.freeze()
    _INHERITED.extend([logging.root.handlers[:], sys.stdout, sys.stderr])
    faulthandler.disable()
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    sys.stdout = sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    logging.root.handlers[:] = [logging.StreamHandler(sys.stderr)]
    logging.root.setLevel(logging.WARNING)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, signal.SIG_DFL)


_INHERITED: list[object] = []  # the parent's handlers and streams, kept alive in the child


class IsolatedParser:
    """Parses files in a child process within :class:`ingestion.contract.limits.Limits`."""

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self.last_max_rss_kib = 0  # the child's peak RSS after its last answer

    def _ensure(self, memory_bytes: int) -> _Worker:
        if self._owner != os.getpid():  # a forked process: the child and its pipes are not ours
            self._worker, self._owner = None, os.getpid()
        if self._worker is not None and (
            self._worker.memory_bytes != memory_bytes or not self._worker.alive()
        ):
            self._worker.stop(kill=True)
            self._worker = None
        if self._worker is None:
            self._worker = _Worker(memory_bytes)
        return self._worker

    def close(self) -> None:
        with self._lock:
            if self._worker is not None and self._owner == os.getpid():
                self._worker.stop()
                self._worker = None

    def parse_many(self, requests: list[dict[str, Any]], limits: Limits) -> Iterator[Parsed]:
        """Each request's :class:`Parsed`, in order, or a whole-file rejection when parsing that
        file broke a limit or the child: the caller never sees an exception caused by a file.

        Up to :data:`WINDOW` requests are queued ahead, so the child parses the next files
        while the caller stages and answers the previous one. A child that dies or overruns
        takes only the file it was parsing with it; the files queued behind it go to a new
        child. Raises :class:`ParserUnavailable` when no child can be started.
        """
        pending = deque(requests)
        queued: deque[dict[str, Any]] = deque()
        idle_deaths = 0
        with self._lock:
            try:
                while pending or queued:
                    worker = self._ensure(limits.memory_bytes)
                    try:
                        while pending and len(queued) < WINDOW:
                            worker.send(pending[0])
                            queued.append(pending.popleft())
                        status, value, max_rss = worker.receive(limits.timeout_seconds)
                    except (BrokenPipeError, TimeoutError, EOFError) as error:
                        returncode = self._drop()
                        if not queued:  # it died before taking a file: start another
                            idle_deaths += 1
                            if idle_deaths > 1:
                                raise ParserUnavailable("the parsing child keeps dying") from None
                            continue
                        request = queued.popleft()
                        pending.extendleft(reversed(queued))  # resent to the next child
                        queued.clear()
                        if isinstance(error, TimeoutError):
                            yield _timeout(request["file_name"], limits)
                        else:
                            yield _died(request["file_name"], limits, returncode)
                        continue
                    request = queued.popleft()
                    self.last_max_rss_kib = max_rss
                    if status == "ok":
                        yield value
                        continue
                    self._drop()  # after a MemoryError or a bug its state is not trusted
                    pending.extendleft(reversed(queued))
                    queued.clear()
                    yield _failed(request["file_name"], limits, status, value)
            finally:
                if queued:  # abandoned with answers on their way: they must not reach the next
                    self._drop()

    def _drop(self) -> int | None:
        """Kill the current child; its exit status."""
        returncode = self._worker.stop(kill=True) if self._worker is not None else None
        self._worker = None
        return returncode

    def parse(
        self,
        path: str,
        file_name: str,
        kind: str,
        province_code: str,
        week: IsoWeek,
        limits: Limits,
    ) -> Parsed:
        """One file's :meth:`parse_many`."""
        return next(
            self.parse_many([request(path, file_name, kind, province_code, week, limits)], limits)
        )


def request(
    path: str, file_name: str, kind: str, province_code: str, week: IsoWeek, limits: Limits
) -> dict[str, Any]:
    """A parse request: the arguments of :func:`ingestion.parsing.parse.parse_path`."""
    return {
        "path": path,
        "file_name": file_name,
        "kind": kind,
        "province_code": province_code,
        "week": week,
        "limits": limits,
    }


def _failed(file_name: str, limits: Limits, status: str, detail: str) -> Parsed:
    """The child's own report that a file ran it out of memory or broke it."""
    if status == "memory":
        return _memory(file_name, limits, detail)
    return whole_file([reject("unreadable_file", file_name, detail=f"parsing failed: {detail}")])


def _memory(file_name: str, limits: Limits, detail: str) -> Parsed:
    return whole_file(
        [
            reject(
                "file_too_complex",
                file_name,
                variant="memory",
                limit_mb=vn_number(limits.memory_bytes // 1024 // 1024),
                detail=detail,
            )
        ]
    )


def _timeout(file_name: str, limits: Limits) -> Parsed:
    return whole_file(
        [
            reject(
                "file_too_complex",
                file_name,
                variant="timeout",
                seconds=vn_number(limits.timeout_seconds),
                detail=f"no answer within {limits.timeout_seconds:g} s of starting it",
            )
        ]
    )


def _died(file_name: str, limits: Limits, returncode: int | None) -> Parsed:
    """A child that died: an abort or a kill is what a failed huge allocation ends in."""
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name
        if -returncode in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS):
            return _memory(file_name, limits, f"parser died of {name}")
        detail = f"parser died of {name}"
    else:
        detail = f"parser exited with status {returncode}"
    return whole_file([reject("unreadable_file", file_name, detail=detail)])


_PARSER = IsolatedParser()
atexit.register(_PARSER.close)


def parse_isolated(
    path: str, file_name: str, kind: str, province_code: str, week: IsoWeek, limits: Limits
) -> Parsed:
    """:meth:`IsolatedParser.parse` on this process's parser (one child, started on first use)."""
    return _PARSER.parse(path, file_name, kind, province_code, week, limits)


def parse_many(requests: list[dict[str, Any]], limits: Limits) -> Iterator[Parsed]:
    """:meth:`IsolatedParser.parse_many` on this process's parser."""
    return _PARSER.parse_many(requests, limits)


def restart() -> None:
    """Stop this process's parsing child; the next parse starts a new one (whose peak RSS,
    :func:`last_max_rss_kib`, then counts only the files it parsed)."""
    _PARSER.close()


def last_max_rss_kib() -> int:
    """The parsing child's peak RSS (KiB) as of its last answer."""
    return _PARSER.last_max_rss_kib


def _status_kib(field: str) -> int:
    """A size from ``/proc/self/status`` in KiB (``VmSize``, ``VmRSS``, ``VmHWM``); 0 where
    there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def serve(memory_bytes: int) -> None:
    """The child's loop: cap memory, then answer requests until stdin closes.

    A reserve allocated at start is released when a parse runs out of memory, so the child can
    still answer "memory" (and then exits: its heap is not trusted after that).
    """
    # The cap is on what a parse adds to the address space the child was forked with.
    cap = _status_kib("VmSize") * 1024 + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    rss_at_start = _status_kib("VmRSS")
    answers = os.dup(1)
    os.dup2(2, 1)  # a stray print must never corrupt the answers
    from core import reference
    from ingestion.parsing.parse import parse_path

    reference.communes()  # loaded once, before any file's clock starts
    reserve: bytearray | None = bytearray(_RESERVE_BYTES)
    _write_frame(answers, _READY)
    while True:
        try:
            request = pickle.loads(_read_frame(0))
        except EOFError:
            return
        _write_frame(answers, pickle.dumps(time.monotonic()))
        answer: tuple[str, Any]
        try:
            answer = ("ok", parse_path(**request))
        except MemoryError:
            reserve = None
            answer = ("memory", "MemoryError")
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a bug, or a reader's panic: that file only
            answer = ("error", f"{type(error).__name__}: {error}")
        crash_point("ingest.parsed")  # the child shares the run's process group
        max_rss = max(0, _status_kib("VmHWM") - rss_at_start)
        try:
            payload = pickle.dumps((*answer, max_rss), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            reserve = None
            payload = pickle.dumps(("memory", "MemoryError while answering", max_rss))
        _write_frame(answers, payload)
        if answer[0] != "ok" or reserve is None:
            return
