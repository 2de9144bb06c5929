"""The protocol that answers small checks itself (``service/lean_http.py``), on the wire:
pipelined and split requests, the hand-over to uvicorn for anything else on the same
connection, ``Connection: close`` and HTTP/1.0, the keep-alive timeout and SIGTERM.
Loopback only; every server is stopped."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kombo_validate import Validator

from .test_serve_support import Served, Upstream, candidate, fresh, proxying, serving

JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[Upstream, Served]]:
    with proxying() as pair:
        yield pair


def request(
    path: str, payload: Any = None, *, method: str = "POST", version: str = "1.1", **headers: str
) -> bytes:
    body = (
        b""
        if payload is None
        else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    )
    lines = [f"{method} {path} HTTP/{version}", "Host: 127.0.0.1"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    if method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def answers(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Every response in ``data``: (status, headers, body)."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:])
        length = int(headers["content-length"])
        out.append((int(lines[0].split(" ")[1]), headers, rest[:length]))
        data = rest[length:]
    return out


def exchange(port: int, *chunks: bytes, pause: float = 0.0) -> bytes:
    """Send ``chunks`` on one connection (``pause`` between them); all received until
    the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for i, chunk in enumerate(chunks):
            if i and pause:
                time.sleep(pause)
            sock.sendall(chunk)
        received = []
        while True:
            data = sock.recv(65536)
            if not data:
                return b"".join(received)
            received.append(data)


def report_of(body: Any) -> dict[str, Any]:
    return {"operation": "PostAtsJobsJobIdApplications", **Validator().check(body).to_dict()}


GOOD = {"candidate": candidate()}
BAD = {"candidate": candidate(email_address="x")}


def test_pipelined_checks_are_answered_in_order_then_closed(both: tuple[Upstream, Served]) -> None:
    _, served = both
    raw = exchange(
        served.port,
        request("/v1/check", {"body": GOOD})
        + request("/v1/check", {"body": BAD})
        + request("/v1/prepare", {"body": BAD}, Connection="close"),
    )
    got = answers(raw)
    assert [status for status, _, _ in got] == [200, 200, 422]
    assert [json.loads(body) for _, _, body in got] == [
        report_of(GOOD),
        report_of(BAD),
        report_of(BAD),
    ]
    assert [h.get("connection") for _, h, _ in got] == [None, None, "close"]
    assert got[0][1]["content-type"] == "application/json"


def test_a_check_arriving_in_pieces_is_answered(both: tuple[Upstream, Served]) -> None:
    _, served = both
    whole = request("/v1/check", {"body": GOOD}, Connection="close")
    cut = whole.index(b"\r\n\r\n") + 10
    got = answers(exchange(served.port, whole[:20], whole[20:cut], whole[cut:], pause=0.1))
    assert [(status, json.loads(body)) for status, _, body in got] == [(200, report_of(GOOD))]


def test_what_it_does_not_answer_goes_to_uvicorn_on_the_same_connection(
    both: tuple[Upstream, Served],
) -> None:
    fake, served = fresh(both[0]), both[1]
    route = f"/ats/jobs/{JOB}/applications"
    raw = exchange(
        served.port,
        request("/v1/check", {"body": GOOD})
        + request("/v1/check", b"{not json")  # a 400: the ASGI path's to give
        + request(route, GOOD, X_Integration_Id=INTEGRATION)  # the proxy
        + request("/v1/check?pretty=1", {"body": BAD})
        + request("/healthz", method="GET", Connection="close"),
    )
    got = answers(raw)
    assert [status for status, _, _ in got] == [200, 400, 200, 200, 200]
    assert json.loads(got[0][2]) == report_of(GOOD)
    assert json.loads(got[1][2])["error"]["code"] == "REQUEST.NOT_JSON"
    assert json.loads(got[3][2]) == report_of(BAD)
    assert json.loads(got[4][2]) == {"status": "ok", "proxy": True}
    assert [(seen.method, seen.path) for seen in fake.seen] == [("POST", "/v1" + route)]


def test_an_http_1_0_check_is_answered_and_the_connection_closed(
    both: tuple[Upstream, Served],
) -> None:
    _, served = both
    raw = exchange(served.port, request("/v1/check", {"body": GOOD}, version="1.0"))
    got = answers(raw)
    assert [(status, h.get("connection")) for status, h, _ in got] == [(200, "close")]


def test_malformed_http_is_uvicorns_400(both: tuple[Upstream, Served]) -> None:
    _, served = both
    raw = exchange(served.port, b"POST /v1/check HTTP/1.1\r\nContent-Length: x\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 400 ")


def test_an_idle_keep_alive_connection_is_closed_after_the_timeout(
    both: tuple[Upstream, Served],
) -> None:
    _, served = both
    with socket.create_connection(("127.0.0.1", served.port), timeout=15) as sock:
        sock.sendall(request("/v1/check", {"body": GOOD}))
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the server: uvicorn's 5 s keep-alive
        assert 4 < time.monotonic() - started < 8


def test_sigterm_closes_idle_connections_and_finishes_a_check_half_received() -> None:
    with serving("--no-upstream") as served:
        whole = request("/v1/check", {"body": GOOD})
        cut = len(whole) - 20
        with (
            socket.create_connection(("127.0.0.1", served.port), timeout=10) as idle,
            socket.create_connection(("127.0.0.1", served.port), timeout=10) as busy,
        ):
            idle.sendall(request("/v1/check", {"body": GOOD}))
            assert idle.recv(65536).startswith(b"HTTP/1.1 200 ")
            busy.sendall(whole[:cut])
            time.sleep(0.3)
            served.proc.send_signal(signal.SIGTERM)
            assert idle.recv(65536) == b""  # closed at once
            time.sleep(0.3)
            busy.sendall(whole[cut:])
            data = b""
            while chunk := busy.recv(65536):
                data += chunk
        got = answers(data)
        assert [(status, h.get("connection")) for status, h, _ in got] == [(200, "close")]
        assert json.loads(got[0][2]) == report_of(GOOD)
        assert served.proc.wait(10) in (0, -signal.SIGTERM)
