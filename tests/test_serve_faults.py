"""``kombo-validate serve``: security (no open proxy, hop-by-hop headers, body limits,
nothing secret logged or echoed) and faults (an upstream that refuses or is too slow, a
client that goes away, SIGTERM with a request in flight). Loopback only."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .test_serve_support import (
    INTEGRATION,
    JOB,
    SECRET,
    Served,
    Upstream,
    call,
    candidate,
    free_port,
    proxying,
    raw_exchange,
    serving,
    status_of,
    upstream,
)

ROUTE = f"/ats/jobs/{JOB}/applications"
PAYLOAD_SECRET = "zz-payload-value-77"


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Upstream, Served]]:
    with proxying("--max-body-mb", "0.5", "--upstream-timeout", "1") as stack:
        yield stack


def error_of(raw: bytes) -> dict[str, Any]:
    error = json.loads(raw.split(b"\r\n\r\n", 1)[1])["error"]
    assert isinstance(error, dict)
    return error


def echoes_credentials(headers: dict[str, str], body: bytes) -> bool:
    """Whether an answer holds the request's key or integration id anywhere."""
    text = body.decode("utf-8", "replace") + "".join(f"{k}: {v}\n" for k, v in headers.items())
    return any(s in text for s in (SECRET, "SECRET-TOKEN", INTEGRATION))


# ------------------------------------------------------------------ no open proxy


@pytest.mark.parametrize(
    "target",
    [
        b"http://evil.example/ats/jobs",  # absolute form
        b"//evil.example/ats/jobs",
        b"/ats/jobs/x/applications/../../../candidates",
        b"/ats/jobs/x/%2E%2e/y",
        b"*",
    ],
)
def test_targets_that_are_not_plain_paths_are_refused(
    fake: Upstream, served: Served, target: bytes
) -> None:
    raw = raw_exchange(
        served.port,
        b"GET " + target + b" HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    )
    assert status_of(raw) == 400
    assert error_of(raw)["code"] == "PLATFORM.INPUT_INVALID"
    assert fake.seen == []


def test_the_clients_host_header_never_chooses_the_destination(
    fake: Upstream, served: Served
) -> None:
    raw = raw_exchange(
        served.port,
        b"GET /ats/jobs HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n",
    )
    assert status_of(raw) == 200
    [seen] = fake.seen
    assert seen.header("Host") == [f"127.0.0.1:{fake.port}"]


def test_hop_by_hop_headers_are_dropped_both_ways(fake: Upstream, served: Served) -> None:
    fake.answers[("GET", "/v1/ats/jobs")] = (
        200,
        [
            ("Connection", "X-Up-Hop"),
            ("X-Up-Hop", "1"),
            ("Keep-Alive", "timeout=5"),
            ("X-End", "2"),
        ],
        b"{}",
    )
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        conn.request(
            "GET",
            "/ats/jobs",
            headers={
                "Connection": "keep-alive, X-Hop",
                "X-Hop": "secret-hop",
                "Keep-Alive": "timeout=5",
                "TE": "trailers",
                "Proxy-Authorization": "Basic eDp5",
                "Upgrade": "h2c",
                "X-End-To-End": "kept",
            },
        )
        response = conn.getresponse()
        assert response.read() == b"{}"
        names = {k.lower() for k, _ in response.getheaders()}
    finally:
        conn.close()
    assert "x-up-hop" not in names and "keep-alive" not in names and "x-end" in names
    [seen] = fake.seen
    sent = {k.lower() for k, _ in seen.headers}
    assert sent.isdisjoint({"x-hop", "keep-alive", "te", "proxy-authorization", "upgrade"})
    assert seen.header("X-End-To-End") == ["kept"]
    assert seen.header("Via") == ["1.1 kombo-validate"]


# ------------------------------------------------------------------ bodies


def test_a_body_over_the_limit_is_413_before_it_is_read(fake: Upstream, served: Served) -> None:
    head = (
        f"POST {ROUTE} HTTP/1.1\r\nHost: x\r\nX-Integration-Id: {INTEGRATION}\r\n"
        "Content-Length: 50000000\r\n\r\n"
    ).encode()
    raw = raw_exchange(served.port, head + b"{")  # 50 MB announced, 1 byte sent: answered anyway
    assert status_of(raw) == 413
    assert error_of(raw)["code"] == "PLATFORM.INPUT_INVALID"
    assert fake.seen == []


def test_a_chunked_body_over_the_limit_is_413(fake: Upstream, served: Served) -> None:
    chunk = b"a" * 400_000
    raw = raw_exchange(
        served.port,
        b"PUT /ats/anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * 2
        + b"0\r\n\r\n",
    )
    assert status_of(raw) == 413
    error = error_of(raw)
    assert (error["code"], error["message"]) == (
        "PLATFORM.INPUT_INVALID",
        "the request body is larger than 0.5 MB",
    )
    assert fake.seen == []


def test_a_client_gone_mid_body_leaves_nothing_behind(fake: Upstream, served: Served) -> None:
    for path in (ROUTE, "/ats/unchecked"):  # a checked operation, and one forwarded as it is
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n".encode()
                + b'{"candidate": {'
            )
            time.sleep(0.2)
    status, _, _ = call(served.base + "/ats/jobs")  # still serving
    assert status == 200
    time.sleep(0.2)
    assert [(s.method, s.path) for s in fake.seen] == [("GET", "/v1/ats/jobs")]


def test_credentials_and_payload_values_are_never_logged_or_echoed(
    fake: Upstream, served: Served
) -> None:
    headers = {"Authorization": SECRET, "X-Integration-Id": INTEGRATION}
    bad = json.dumps({"candidate": candidate(email_address=PAYLOAD_SECRET)}).encode()
    status, answered, out = call(served.base + ROUTE, bad, headers=headers)
    assert status == 400
    good = json.dumps({"candidate": candidate(first_name=PAYLOAD_SECRET)}).encode()
    assert call(served.base + ROUTE, good, headers=headers)[0] == 200
    fake.delay["/v1/ats/slow"] = 1.5
    assert call(served.base + "/ats/slow?token=" + PAYLOAD_SECRET, headers=headers)[0] == 504
    assert not echoes_credentials(answered, out)
    log = served.output()
    assert "POST PostAtsJobsJobIdApplications -> 400 refused" in log
    assert "SECRET-TOKEN" not in log and PAYLOAD_SECRET not in log and INTEGRATION not in log


# ------------------------------------------------------------------ upstream faults


def test_a_slow_upstream_is_504_in_kombos_shape_on_time(fake: Upstream, served: Served) -> None:
    fake.delay["/v1/ats/jobs"] = 3
    started = time.monotonic()
    headers = {"Authorization": SECRET, "X-Integration-Id": INTEGRATION}
    status, got, out = call(served.base + "/ats/jobs", headers=headers)
    assert time.monotonic() - started < 2.5
    assert status == 504
    assert json.loads(out)["error"]["code"] == "PLATFORM.TASK_TIMED_OUT"
    assert not echoes_credentials(got, out)
    [seen] = fake.seen  # they did go to the upstream
    assert seen.header("Authorization") == [SECRET]


def test_a_refusing_upstream_is_502_in_kombos_shape_at_once() -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    with serving("--upstream", closed, "--allow-insecure-upstream") as served:
        body = json.dumps({"candidate": candidate()}).encode()
        started = time.monotonic()
        sent = {"Authorization": SECRET, "X-Integration-Id": INTEGRATION}
        status, headers, out = call(served.base + ROUTE, body, headers=sent)
        assert time.monotonic() - started < 2
        assert status == 502
        assert json.loads(out)["error"]["code"] == "PLATFORM.UNKNOWN_ERROR"
        assert headers["x-kombo-validate"] == "checked; changes=0; warnings=0"
        assert not echoes_credentials(headers, out)


def test_sigterm_lets_the_request_in_flight_finish() -> None:
    with upstream() as fake, serving("--upstream", fake.url, "--allow-insecure-upstream") as served:
        fake.delay["/v1/ats/jobs"] = 1.0
        result: list[int] = []
        thread = threading.Thread(target=lambda: result.append(call(served.base + "/ats/jobs")[0]))
        thread.start()
        deadline = time.monotonic() + 5
        while not fake.seen and time.monotonic() < deadline:
            time.sleep(0.02)
        served.proc.send_signal(signal.SIGTERM)
        thread.join(10)
        assert result == [200]
        # uvicorn exits the way the signal asked, after its graceful shutdown
        assert served.proc.wait(10) in (0, -signal.SIGTERM)
        assert "Application shutdown complete." in served.output()
