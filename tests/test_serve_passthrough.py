"""``kombo-validate serve`` forwards what it does not check as it came: a request with a
body to a path the spec does not know reaches the upstream byte for byte (method, path,
query, body, end-to-end headers), the upstream's answer comes back unchanged, a GET of
the official SDK passes through and the SDK parses the answer, and an answer is relayed
as it arrives, not once it is whole. Loopback only; the servers are stopped by fixtures
and every read is bounded.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .helpers import sdk_job
from .test_serve_support import (
    INTEGRATION,
    JOB,
    SECRET,
    Served,
    Upstream,
    proxying,
    raw_exchange,
)

kombo = pytest.importorskip("kombo")

#: a path the spec does not know, with an escaped slash and a parameter, and a query
#: with a repeated, an empty and a bare key, escapes and a reserved character left as is
TARGET = b"/ats/not-in-the-spec/a%2Fb;v=1?b=2&a=1&a=%20x&empty=&flag&q=caf%C3%A9:/"
#: not JSON: NUL, CR LF, invalid UTF-8 and every byte value
BODY = b"\x00\x01not json {\r\n\r\n\xff\xfe" + bytes(range(256))
#: odd but legal request headers (RFC 9110 §5): a repeated name, an empty value, padding
#: around a value (not part of it), mixed case, commas, a quoted parameter, obs-text
SENT_HEADERS = [
    (b"X-Dup", b"one"),
    (b"X-Dup", b"two"),
    (b"X-Empty", b""),
    (b"X-Padded", b"  padded value\t "),
    (b"x-MiXeD-CaSe", b"v"),
    (b"X-Commas", b"a, b,,c"),
    (b"Content-Type", b'application/x-odd; q="quoted;value"'),
    (b"X-Obs-Text", b"caf\xe9"),
    (b"Authorization", SECRET.encode()),
    (b"X-Integration-Id", INTEGRATION.encode()),
]
#: as the upstream receives them (names lowercased by the HTTP parser, padding gone)
RECEIVED_HEADERS = [
    ("x-dup", "one"),
    ("x-dup", "two"),
    ("x-empty", ""),
    ("x-padded", "padded value"),
    ("x-mixed-case", "v"),
    ("x-commas", "a, b,,c"),
    ("content-type", 'application/x-odd; q="quoted;value"'),
    ("x-obs-text", "caf\xe9"),
    ("authorization", SECRET),
    ("x-integration-id", INTEGRATION),
]
ANSWER = b"\xff\xd8 binary answer \x00\r\n" * 3
ANSWER_HEADERS = [
    ("Content-Type", "application/x-odd; v=1"),
    ("X-Up", "1"),
    ("X-Up", "2"),
    ("Set-Cookie", "s=1; Path=/; HttpOnly"),
    ("X-Up-Empty", ""),
]


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Upstream, Served]]:
    with proxying() as stack:
        yield stack


def parsed(raw: bytes) -> tuple[bytes, list[tuple[bytes, bytes]], bytes]:
    """(status line, headers in order as sent, body) of one raw HTTP/1.1 answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = [tuple(part.strip() for part in line.split(b":", 1)) for line in lines]
    return status, headers, body  # type: ignore[return-value]


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_an_unchecked_request_with_a_body_passes_through_byte_for_byte(
    fake: Upstream, served: Served, method: str
) -> None:
    path, _, query = TARGET.decode("ascii").partition("?")
    fake.answers[(method, "/v1" + TARGET.decode("ascii"))] = (201, ANSWER_HEADERS, ANSWER)
    head = b"%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (method.encode(), TARGET)
    head += b"".join(b"%s: %s\r\n" % pair for pair in SENT_HEADERS)
    head += b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(BODY)
    raw = raw_exchange(served.port, head + BODY)
    [seen] = fake.seen
    assert (seen.method, seen.path, seen.body) == (method, f"/v1{path}?{query}", BODY)
    assert [(k.lower(), v) for k, v in seen.headers] == [
        ("host", f"127.0.0.1:{fake.port}"),  # the proxy's own, never the caller's
        *RECEIVED_HEADERS,
        ("via", "1.1 kombo-validate"),
        ("content-length", str(len(BODY))),
    ]
    status, headers, body = parsed(raw)
    assert (status, body) == (b"HTTP/1.1 201 Created", ANSWER)
    # http.server's own Server and Date first, then the scripted ones in their order, values
    # as sent (uvicorn writes header names in lower case, which HTTP allows)
    assert [name for name, _ in headers[:2]] == [b"server", b"date"]
    assert headers[2:] == [
        *((k.lower().encode(), v.encode()) for k, v in ANSWER_HEADERS),
        (b"content-length", b"%d" % len(ANSWER)),
        (b"x-kombo-validate", b"unchecked"),
        (b"connection", b"close"),  # the proxy's, as the caller asked to close
    ]


def test_an_sdk_get_passes_through_and_the_sdk_parses_the_answer(
    fake: Upstream, served: Served
) -> None:

    listing = {
        "status": "success",
        "data": {
            "next": "cursor-2",
            "results": [sdk_job(id=JOB, remote_id="r-1", name="Engineer")],
        },
    }
    path = (
        "/v1/ats/jobs?page_size=2&include_deleted=false&ignore_unsupported_filters=false"
        f"&ids={JOB}%2Cother"
    )
    answer = json.dumps(listing).encode()
    fake.answers[("GET", path)] = (200, [("Content-Type", "application/json")], answer)

    def get_jobs(base: str) -> Any:
        client = kombo.Kombo(integration_id=INTEGRATION, api_key="sk-test", server_url=base)
        return client.ats.get_jobs(ids=[JOB, "other"], page_size=2)

    get_jobs(fake.url)  # straight to the fake: what the SDK itself sends
    [own] = fake.seen
    fake.seen.clear()
    result = get_jobs(served.base)
    assert result.result.data.next == "cursor-2"
    [parsed_job] = result.result.data.results
    assert (parsed_job.id, parsed_job.remote_id, parsed_job.name) == (JOB, "r-1", "Engineer")
    [seen] = fake.seen
    assert (seen.method, seen.path, seen.body) == ("GET", path, b"")
    assert (own.method, own.path, own.body) == ("GET", path, b"")
    # the SDK's own headers (Host is the fake's either way), less the hop-by-hop
    # Connection, plus Via
    expected = [(k.lower(), v) for k, v in own.headers if k.lower() != "connection"]
    assert [(k.lower(), v) for k, v in seen.headers] == [
        *expected,
        ("via", "1.1 kombo-validate"),
    ]


def dechunked(body: bytes) -> bytes:
    """The payload of a complete chunked body (no extensions, no trailers)."""
    out = b""
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            assert body == b"\r\n"
            return out
        out, body = out + body[:size], body[size + 2 :]


def test_an_answer_is_relayed_as_it_arrives_not_once_whole(fake: Upstream, served: Served) -> None:
    first, second = b"first part, sent at once;" * 4, b"second part, after the gate."
    fake.streamed["/v1/ats/stream"] = [first, second]
    got = b""
    try:
        # the fake holds the second part back for 10 s: the client gives up after 5
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
            sock.sendall(b"GET /ats/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while first not in got:
                data = sock.recv(65536)  # socket.timeout if the proxy holds the first part
                assert data, f"closed before the first part: {got!r}"
                got += data
            assert second not in got and not fake.gate.is_set()  # the upstream holds it still
            fake.gate.set()
            deadline = time.monotonic() + 5
            while data := sock.recv(65536):
                got += data
                assert time.monotonic() < deadline
    finally:
        fake.gate.set()
    status, headers, body = parsed(got)
    assert status == b"HTTP/1.1 200 OK"
    names = [name for name, _ in headers]
    assert (b"transfer-encoding", b"chunked") in headers and b"content-length" not in names
    assert (b"x-kombo-validate", b"unchecked") in headers
    assert dechunked(body) == first + second
    assert [(s.method, s.path) for s in fake.seen] == [("GET", "/v1/ats/stream")]
