"""The proxy's own HTTP/1.1 client (:mod:`kombo_validate.service.upstream`) against a
scripted server on loopback: every way an answer can be framed (RFC 9112 §6.3), 1xx,
keep-alive reuse and its limits, answers that break off, timeouts, and that a POST is
never sent twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

pytest.importorskip("starlette")

from kombo_validate.service.upstream import Unreachable, Upstream, UpstreamTimeout

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[bool]]


class Scripted:
    """A loopback server answering each request with ``script`` (which returns whether to
    keep the connection); counts connections and requests."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self.requests: list[bytes] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length) if length else b""
                self.requests.append(head.split(b"\r\n", 1)[0] + b" " + body)
                if not await self.script(reader, writer, head):
                    return
        finally:
            writer.close()

    async def run(self, test: Callable[[Upstream], Awaitable[Any]], timeout: float = 5) -> Any:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        upstream = Upstream(f"http://127.0.0.1:{port}/v1", timeout)
        try:
            return await test(upstream)
        finally:
            await upstream.aclose()
            server.close()
            await server.wait_closed()


def answer(raw: bytes, keep: bool = True) -> Script:
    async def script(reader: Any, writer: asyncio.StreamWriter, head: bytes) -> bool:
        writer.write(raw)
        await writer.drain()
        return keep

    return script


async def fetch(upstream: Upstream, method: bytes = b"GET", body: bytes | None = None) -> Any:
    headers = [(b"host", upstream.host_header)]
    if body is not None:
        headers.append((b"content-length", b"%d" % len(body)))
    got = await upstream.send(method, upstream.prefix + b"/ats/jobs", headers, body)
    chunks = [chunk async for chunk in got.chunks()]
    await got.aclose()
    return got.status, got.headers, b"".join(chunks)


def twice(method: bytes = b"GET") -> Callable[[Upstream], Awaitable[list[Any]]]:
    async def test(upstream: Upstream) -> list[Any]:
        return [await fetch(upstream, method), await fetch(upstream, method)]

    return test


def test_a_content_length_answer_and_the_connection_is_reused() -> None:
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello"))
    results = asyncio.run(server.run(twice()))
    assert [(s, b) for s, _, b in results] == [(200, b"hello"), (200, b"hello")]
    assert results[0][1] == [(b"Content-Length", b"5"), (b"X-A", b"1")]  # as sent
    assert server.connections == 1
    assert server.requests == [b"GET /v1/ats/jobs HTTP/1.1 "] * 2


def test_a_chunked_answer_is_dechunked_with_extensions_and_trailers_dropped() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    server = Scripted(answer(raw))
    results = asyncio.run(server.run(twice()))
    assert [b for _, _, b in results] == [b"hello world", b"hello world"]
    assert server.connections == 1


def test_chunked_wins_over_a_content_length_and_the_connection_is_not_reused() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n"
    )
    server = Scripted(answer(raw))

    async def test(upstream: Upstream) -> list[Any]:
        got = await upstream.send(b"GET", b"/v1/x", [(b"host", upstream.host_header)], None)
        relayed = got.relayed_headers  # the overridden length is not passed on
        await got.aclose()
        return [relayed, await fetch(upstream), await fetch(upstream)]

    relayed, *results = asyncio.run(server.run(test))
    assert relayed == [(b"Transfer-Encoding", b"chunked")]
    assert [b for _, _, b in results] == [b"hello", b"hello"]
    assert server.connections == 3


def test_an_answer_until_close_is_read_whole_and_not_reused() -> None:
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\n\r\nuntil the end", keep=False))
    results = asyncio.run(server.run(twice()))
    assert [b for _, _, b in results] == [b"until the end", b"until the end"]
    assert server.connections == 2


def test_head_204_and_304_have_no_body_and_keep_the_connection() -> None:
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"))
    results = asyncio.run(server.run(twice(b"HEAD")))
    assert [(s, b) for s, _, b in results] == [(200, b""), (200, b"")]
    assert server.connections == 1
    for status in (204, 304):
        server = Scripted(answer(b"HTTP/1.1 %d X\r\n\r\n" % status))
        results = asyncio.run(server.run(twice()))
        assert [(s, b) for s, _, b in results] == [(status, b""), (status, b"")]
        assert server.connections == 1


def test_informational_answers_before_the_real_one_are_skipped() -> None:
    raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
    server = Scripted(answer(raw + b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"))
    [(status, headers, body), _] = asyncio.run(server.run(twice()))
    assert (status, headers, body) == (201, [(b"Content-Length", b"2")], b"ok")


def test_connection_close_from_either_side_is_honoured() -> None:
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"))
    asyncio.run(server.run(twice()))
    assert server.connections == 2


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n folded: header\r\n\r\n",
        b"SPDY/3 200 OK\r\n\r\n",
    ],
    ids=["two-lengths", "negative-length", "obs-fold", "not-http"],
)
def test_a_malformed_answer_is_unreachable(raw: bytes) -> None:
    server = Scripted(answer(raw, keep=False))
    with pytest.raises(Unreachable):
        asyncio.run(server.run(fetch))


def test_an_answer_that_breaks_off_mid_body_raises_while_read() -> None:
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b", False))
    with pytest.raises(Unreachable, match="broke off"):
        asyncio.run(server.run(fetch))


def test_a_silent_upstream_is_a_timeout() -> None:
    async def silent(reader: Any, writer: Any, head: bytes) -> bool:
        await asyncio.sleep(2)
        return False

    server = Scripted(silent)
    with pytest.raises(UpstreamTimeout):
        asyncio.run(server.run(fetch, timeout=0.3))


def test_an_idle_connection_the_upstream_closed_is_not_used() -> None:
    # the server answers, then closes the kept-alive connection while it is idle
    server = Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", keep=False))

    async def test(upstream: Upstream) -> list[Any]:
        first = await fetch(upstream, b"POST", b"{}")
        await asyncio.sleep(0.1)  # the close reaches the idle connection
        return [first, await fetch(upstream, b"POST", b"{}")]

    results = asyncio.run(server.run(test))
    assert [(s, b) for s, _, b in results] == [(200, b"ok"), (200, b"ok")]
    assert server.connections == 2
    assert server.requests == [b"POST /v1/ats/jobs HTTP/1.1 {}"] * 2


def test_a_post_whose_connection_dies_unanswered_is_never_sent_twice() -> None:
    first = True

    async def then_vanish(reader: Any, writer: asyncio.StreamWriter, head: bytes) -> bool:
        nonlocal first
        if first:  # a normal answer that keeps the connection for reuse
            first = False
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            return True
        return False  # took the request, then went away without answering

    server = Scripted(then_vanish)

    async def test(upstream: Upstream) -> Any:
        await fetch(upstream, b"POST", b"{}")
        return await fetch(upstream, b"POST", b'{"n":2}')

    with pytest.raises(Unreachable):
        asyncio.run(server.run(test))
    assert server.requests == [
        b"POST /v1/ats/jobs HTTP/1.1 {}",
        b'POST /v1/ats/jobs HTTP/1.1 {"n":2}',
    ]


def test_a_get_whose_kept_connection_died_is_resent_once_on_a_new_one() -> None:
    count = 0

    async def vanish_on_second(reader: Any, writer: asyncio.StreamWriter, head: bytes) -> bool:
        nonlocal count
        count += 1
        if count == 2:
            return False  # the kept-alive connection dies as the second request arrives
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        return True

    server = Scripted(vanish_on_second)
    results = asyncio.run(server.run(twice()))
    assert [(s, b) for s, _, b in results] == [(200, b"ok"), (200, b"ok")]
    assert server.connections == 2
    assert len(server.requests) == 3  # the GET was resent: it is idempotent
