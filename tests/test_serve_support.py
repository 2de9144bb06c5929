"""What the serve tests share: a fake upstream that records what reaches it, and the real
``kombo-validate serve`` in a subprocess on a free loopback port (stopped by the fixture).

Loopback only; every server started here is stopped in a ``finally``.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"
JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
SECRET = "Bearer sk-SECRET-TOKEN-4242"


class Seen:
    """One request as the fake upstream received it."""

    def __init__(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes):
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


class Upstream:
    """A threaded http.server on 127.0.0.1 that records every request.

    ``answers[(method, path)] = (status, headers, body)`` overrides the default answer
    (200, the given JSON); ``delay[path] = seconds`` makes it slow; ``streamed[path] =
    [first, *rest]`` answers 200 chunked: ``first`` at once, the rest once ``gate`` is
    set (or after 10 s)."""

    def __init__(self, default: dict[str, Any] | None = None) -> None:
        self.seen: list[Seen] = []
        self.answers: dict[tuple[str, str], tuple[int, list[tuple[str, str]], bytes]] = {}
        self.delay: dict[str, float] = {}
        self.streamed: dict[str, list[bytes]] = {}
        self.gate = threading.Event()
        self.default = json.dumps(default or {"status": "success", "data": {}}).encode()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.seen.append(Seen(self.command, self.path, list(self.headers.items()), body))
                time.sleep(outer.delay.get(self.path.split("?")[0], 0))
                if self.path in outer.streamed:
                    self._stream(outer.streamed[self.path])
                    return
                status, headers, out = outer.answers.get(
                    (self.command, self.path),
                    (200, [("Content-Type", "application/json")], outer.default),
                )
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(out)

            def _stream(self, chunks: list[bytes]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                with contextlib.suppress(OSError):
                    for i, chunk in enumerate(chunks):
                        if i == 1:
                            outer.gate.wait(10)
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.gate.set()  # no handler left waiting on it
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``kombo-validate serve`` running in a subprocess."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.log = open(_log_path(), "w+b")  # noqa: SIM115 - closed by serving()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kombo_validate", "serve", "--port", str(self.port), *args],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}: {self.output()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1):
                    break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("serve did not start within 30 s") from None
                time.sleep(0.1)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def _log_path() -> str:
    import tempfile

    fd, path = tempfile.mkstemp(prefix="kombo-serve-", suffix=".log")
    os.close(fd)
    return path


@contextlib.contextmanager
def serving(*args: str) -> Iterator[Served]:
    served = Served(*args)
    try:
        yield served
    finally:
        served.stop()
        served.log.close()
        with contextlib.suppress(OSError):
            os.unlink(served.log.name)


@contextlib.contextmanager
def upstream(default: dict[str, Any] | None = None) -> Iterator[Upstream]:
    fake = Upstream(default)
    try:
        yield fake
    finally:
        fake.close()


@contextlib.contextmanager
def proxying(
    *args: str, default: dict[str, Any] | None = None
) -> Iterator[tuple[Upstream, Served]]:
    """A recording fake upstream and the proxy in front of it (``args``: more options)."""
    with (
        upstream(default) as fake,
        serving("--upstream", fake.url, "--allow-insecure-upstream", *args) as served,
    ):
        yield fake, served


def fresh(fake: Upstream) -> Upstream:
    """``fake`` with what it saw, its scripted answers, delays and streams forgotten."""
    fake.seen.clear()
    fake.answers.clear()
    fake.delay.clear()
    fake.streamed.clear()
    fake.gate.clear()
    return fake


def call(
    url: str,
    data: bytes | None = None,
    method: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers lowercased, body) of one request (errors included)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers.items()), exc.read()


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


def raw_exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes on a fresh connection; everything answered until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # a server that answers early may close first
            sock.sendall(data)
        chunks = []
        with contextlib.suppress(OSError):
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


def candidate(**fields: Any) -> dict[str, Any]:
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@example.com",
        **fields,
    }
