"""Parse untrusted files in a child process with a memory cap and a time limit.

One long-lived child (``python -m ingestion.isolation``) serves every file of the process: it
caps its own address space (``RLIMIT_AS``) before importing a reader, then answers parse
requests one at a time over its stdin/stdout pipes (length-prefixed pickles). A file that makes
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
import io
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

from core.crashpoints import crash_point
from core.settings import PROJECT_ROOT
from core.weeks import IsoWeek
from ingestion.limits import Limits
from ingestion.messages import vn_number
from ingestion.parse import Parsed, whole_file
from ingestion.rejections import Rejection, reject
from ingestion.rules import Validation

_HEADER = struct.Struct(">Q")
_READY = b"ready"
_RESERVE_BYTES = 16 * 1024 * 1024
STARTUP_SECONDS = 120.0  # for the child to import its readers (not counted in a file's time)
_CLASSES = {
    ("ingestion.parse", "Parsed"): Parsed,
    ("ingestion.rules", "Validation"): Validation,
    ("ingestion.rejections", "Rejection"): Rejection,
    ("core.weeks", "IsoWeek"): IsoWeek,
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
    """One child process and its pipes."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        try:
            self.process = self._spawn(memory_bytes)
        except OSError as error:
            raise ParserUnavailable(f"cannot start the parsing child: {error}") from error
        try:
            ready = _read_frame(self.process.stdout.fileno(), time.monotonic() + STARTUP_SECONDS)
        except (TimeoutError, EOFError):
            ready = b""
        if ready != _READY:
            self.stop(kill=True)
            raise ParserUnavailable(
                f"the parsing child did not start ({sys.executable} -m {__name__})"
            )

    @staticmethod
    def _spawn(memory_bytes: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "ingestion.isolation", str(memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            close_fds=True,
            # a reader aborting on a huge allocation says so in one line, without a backtrace
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )

    def ask(self, request: dict[str, Any], timeout: float) -> tuple[str, Any, int]:
        """(status, value, peak RSS in KiB) of one request; TimeoutError, EOFError or
        BrokenPipeError when the child fails to answer."""
        _write_frame(self.process.stdin.fileno(), pickle.dumps(request))
        payload = _read_frame(self.process.stdout.fileno(), time.monotonic() + timeout)
        status, value, max_rss_kib = _loads(payload)
        return status, value, max_rss_kib

    def stop(self, kill: bool = False) -> int | None:
        """Stop the child (closing its stdin, or SIGKILL) and return its exit status."""
        if kill and self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class IsolatedParser:
    """Parses files in a child process within :class:`ingestion.limits.Limits`."""

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self.last_max_rss_kib = 0  # the child's peak RSS after its last answer

    def _ensure(self, memory_bytes: int) -> _Worker:
        if self._owner != os.getpid():  # a forked process: the child and its pipes are not ours
            self._worker, self._owner = None, os.getpid()
        if self._worker is not None and (
            self._worker.memory_bytes != memory_bytes or self._worker.process.poll() is not None
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

    def parse(
        self,
        path: str,
        file_name: str,
        kind: str,
        province_code: str,
        week: IsoWeek,
        limits: Limits,
    ) -> Parsed:
        """The file's :class:`Parsed`, or a whole-file rejection when parsing it broke a limit
        or the child: the caller never sees an exception caused by the file. Raises
        :class:`ParserUnavailable` when no child can be started."""
        request = {
            "path": path,
            "file_name": file_name,
            "kind": kind,
            "province_code": province_code,
            "week": week,
            "limits": limits,
        }
        with self._lock:
            started = time.monotonic()
            for attempt in (1, 2):
                worker = self._ensure(limits.memory_bytes)
                try:
                    status, value, max_rss = worker.ask(request, limits.timeout_seconds)
                except BrokenPipeError:
                    # The child had died since its last answer: one fresh try.
                    worker.stop(kill=True)
                    self._worker = None
                    if attempt == 2:
                        raise
                    continue
                except TimeoutError:
                    worker.stop(kill=True)
                    self._worker = None
                    return _timeout(file_name, limits, time.monotonic() - started)
                except EOFError:
                    returncode = worker.stop(kill=True)
                    self._worker = None
                    return _died(file_name, limits, returncode)
                break
            self.last_max_rss_kib = max_rss
            if status == "ok":
                return value
            worker.stop(kill=True)  # after a MemoryError or a bug its state is not trusted
            self._worker = None
            if status == "memory":
                return _memory(file_name, limits, value)
            return whole_file(
                [reject("unreadable_file", file_name, detail=f"parsing failed: {value}")]
            )


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


def _timeout(file_name: str, limits: Limits, seconds: float) -> Parsed:
    return whole_file(
        [
            reject(
                "file_too_complex",
                file_name,
                variant="timeout",
                seconds=vn_number(limits.timeout_seconds),
                detail=f"no answer after {seconds:.1f} s",
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


def last_max_rss_kib() -> int:
    """The parsing child's peak RSS (KiB) as of its last answer."""
    return _PARSER.last_max_rss_kib


def serve(memory_bytes: int) -> None:
    """The child's loop: cap memory, then answer requests until stdin closes.

    A reserve allocated at start is released when a parse runs out of memory, so the child can
    still answer "memory" (and then exits: its heap is not trusted after that).
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    answers = os.dup(1)
    os.dup2(2, 1)  # a stray print must never corrupt the answers
    from core import reference
    from ingestion.parse import parse_path

    reference.communes()  # loaded once, before any file's clock starts
    reserve: bytearray | None = bytearray(_RESERVE_BYTES)
    _write_frame(answers, _READY)
    while True:
        try:
            request = pickle.loads(_read_frame(0))
        except EOFError:
            return
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
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            payload = pickle.dumps((*answer, max_rss), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            reserve = None
            payload = pickle.dumps(("memory", "MemoryError while answering", max_rss))
        _write_frame(answers, payload)
        if answer[0] != "ok" or reserve is None:
            return


if __name__ == "__main__":
    serve(int(sys.argv[1]))
