"""``kombo-validate serve --workers 2``: the parent hands the connections to the workers in
turn, SIGTERM still lets what is in flight finish, a worker that dies is replaced, and a
port already taken stops the command. Loopback only; every server is stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kombo_validate import Validator

from .test_serve_support import ROOT, Served, call, free_port, proxying, serving

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir() or not hasattr(socket, "send_fds"),
    reason="counts connections in /proc; connections are handed over with SCM_RIGHTS",
)

CHECK = json.dumps({"body": Validator().operation.request_example}).encode()


def workers_of(served: Served) -> list[int]:
    pid = served.proc.pid
    with open(f"/proc/{pid}/task/{pid}/children") as listed:
        return sorted(int(x) for x in listed.read().split())


def wait_for(predicate: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


def both_ready(served: Served, count: int = 2) -> None:
    """Wait until the parent has heard ``count`` workers say they are ready (their own
    "Application startup complete." comes before that: connections accepted in between
    all go to the worker heard first)."""
    wait_for(
        lambda: served.output().count("] takes connections") >= count,
        f"{count} workers taking connections",
    )


def established(port: int, pid: int) -> int:
    """How many established connections on local ``port`` process ``pid`` holds."""
    inodes = set()
    with open("/proc/net/tcp") as rows:
        for row in list(rows)[1:]:
            cols = row.split()
            if cols[1].endswith(f":{port:04X}") and cols[3] == "01":
                inodes.add(f"socket:[{cols[9]}]")
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}") in inodes
        except OSError:
            continue
    return count


def check_on(sock: socket.socket, port: int) -> bytes:
    """One keep-alive ``POST /v1/check`` on ``sock``: the answer's body."""
    head = (
        f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(CHECK)}\r\n\r\n"
    )
    sock.sendall(head.encode() + CHECK)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head_part, _, body = data.partition(b"\r\n\r\n")
    assert head_part.startswith(b"HTTP/1.1 200 "), head_part
    length = int(head_part.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return body


def test_two_workers_are_handed_the_connections_in_turn() -> None:
    with serving("--no-upstream", "--workers", "2") as served:
        both_ready(served)
        pids = workers_of(served)
        assert len(pids) == 2
        socks = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(8)]
        try:
            for sock in socks:
                report = json.loads(check_on(sock, served.port))
                assert (report["operation"], report["ok"]) == ("PostAtsJobsJobIdApplications", True)
            assert [established(served.port, pid) for pid in pids] == [4, 4]
        finally:
            for sock in socks:
                sock.close()


def test_sigterm_with_two_workers_lets_the_request_in_flight_finish() -> None:
    with proxying("--workers", "2") as (fake, served):
        both_ready(served)
        fake.delay["/v1/ats/jobs"] = 1.0
        result: list[int] = []
        thread = threading.Thread(target=lambda: result.append(call(served.base + "/ats/jobs")[0]))
        thread.start()
        wait_for(lambda: bool(fake.seen), "the request reached the upstream", 5)
        served.proc.send_signal(signal.SIGTERM)
        thread.join(10)
        assert result == [200]
        assert served.proc.wait(10) == 0
        assert served.output().count("Application shutdown complete.") == 2


def test_a_worker_that_dies_is_replaced_and_no_connection_goes_to_it() -> None:
    with serving("--no-upstream", "--workers", "2") as served:
        both_ready(served)
        victim = workers_of(served)[0]
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: victim not in workers_of(served) and len(workers_of(served)) == 2,
            "a replacement worker",
        )
        both_ready(served, 3)
        assert f"Worker process [{victim}] died" in served.output()
        for _ in range(6):  # every connection answered, whichever worker it is handed to
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
                assert json.loads(check_on(sock, served.port))["ok"] is True


def test_a_port_already_taken_stops_the_command_with_1() -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "kombo_validate", "serve", "--no-upstream", "--workers", "2",
             "--port", str(port)],
            env=env, capture_output=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr.decode()


def test_a_worker_that_cannot_start_stops_the_parent_with_3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kombo_validate.service.config import ENV_VAR, ServiceConfig
    from kombo_validate.service.workers import STARTUP_FAILURE, supervise

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv(ENV_VAR, '{"no_such_option": 1}')  # each worker's config: unreadable
    config = ServiceConfig(port=free_port(), workers=2, graceful_timeout=5)
    started = time.monotonic()
    assert supervise(config) == STARTUP_FAILURE
    assert time.monotonic() - started < 30
    with socket.socket() as sock:  # the port was let go
        sock.bind(("127.0.0.1", config.port))
