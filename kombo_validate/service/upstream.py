"""The proxy's connection to its one upstream: a lean HTTP/1.1 client on asyncio streams
with a keep-alive pool. httpx's client (and httpcore, anyio and h11 under it) cost most
of the proxy's added latency under load: each request here is one write (head and body
together), and the answer's head is parsed with ``bytes`` methods.

Only the configured upstream is ever contacted: scheme, host and port are fixed here,
each request names only its target (path and query); no environment proxy is read, no
redirect followed. TLS uses httpx's default context (certifi's roots). Answers are
framed by RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked (which wins over
a ``Content-Length``, and then the connection is not reused); ``Content-Length``; else
until the upstream closes. A connection is reused only after its answer was read to
the end and when neither side said ``Connection: close``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator

import httpx

__all__ = ["Answer", "Unreachable", "Upstream", "UpstreamTimeout"]

#: the most connections kept open for reuse, and for how long one may sit idle
KEEP_ALIVE = 64
IDLE_SECONDS = 4.0  # below the common 5 s keep-alive timeouts of servers
#: methods resent once on a fresh connection when a kept-alive one turns out closed
#: (RFC 9110 §9.2.2); a POST is never resent: it might have been taken
IDEMPOTENT = frozenset({b"GET", b"HEAD", b"OPTIONS", b"PUT", b"DELETE", b"TRACE"})
#: an answer's head (status line and headers) may be no longer than this
MAX_HEAD = 64 * 1024
_CHUNK = 64 * 1024


class UpstreamTimeout(Exception):
    """The upstream did not answer (or take the request) within the timeout."""


class Unreachable(Exception):
    """The upstream could not be reached, or broke the exchange off."""


class _Conn:
    __slots__ = ("idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.idle_since = 0.0

    def usable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.is_closing()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class Answer:
    """The upstream's answer: status, raw headers, and its body as it comes (de-chunked,
    otherwise untouched: still compressed if it was)."""

    __slots__ = ("_conn", "_framing", "_length", "_pool", "_reusable", "headers", "status")

    def __init__(
        self,
        pool: Upstream,
        conn: _Conn,
        status: int,
        headers: list[tuple[bytes, bytes]],
        framing: str,
        length: int,
        reusable: bool,
    ) -> None:
        self._pool, self._conn = pool, conn
        self.status, self.headers = status, headers
        self._framing, self._length, self._reusable = framing, length, reusable

    @property
    def relayed_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers to pass on: a chunked answer's ``Content-Length`` (which the
        chunking overrides, RFC 9112 §6.3) is not among them."""
        if self._framing != "chunked":
            return self.headers
        return [(k, v) for k, v in self.headers if k.lower() != b"content-length"]

    @property
    def whole(self) -> bool:
        """Whether the body was read to its end: with a ``Content-Length``, already when
        :meth:`chunks` hands out the last chunk."""
        return self._framing in ("done", "none")

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body bytes, each as soon as it is read; :class:`Unreachable` if the answer
        breaks off."""
        reader, timeout = self._conn.reader, self._pool.timeout
        try:
            if self._framing == "length":
                left = self._length
                while left:
                    chunk = await asyncio.wait_for(reader.read(min(left, _CHUNK)), timeout)
                    if not chunk:
                        raise Unreachable("the answer broke off")
                    left -= len(chunk)
                    if not left:
                        self._framing = "done"  # known before the last chunk is taken
                    yield chunk
            elif self._framing == "chunked":
                async for chunk in _dechunked(reader, timeout):
                    yield chunk
            elif self._framing == "close":
                while chunk := await asyncio.wait_for(reader.read(_CHUNK), timeout):
                    yield chunk
        except asyncio.TimeoutError:
            raise Unreachable("ReadTimeout") from None
        except (OSError, asyncio.IncompleteReadError, ValueError, asyncio.LimitOverrunError):
            raise Unreachable("ReadError") from None
        self._framing = "done"

    async def aclose(self) -> None:
        """Give the connection back when the answer was read whole, else close it."""
        if self.whole and self._reusable:
            self._pool._release(self._conn)
        else:
            self._conn.close()


async def _dechunked(reader: asyncio.StreamReader, timeout: float) -> AsyncIterator[bytes]:
    while True:
        line = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 16:
            raise ValueError("bad chunk size")
        size = int(size_text, 16)
        if size == 0:
            while (await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)) != b"\r\n":
                pass  # trailers: dropped (hop-by-hop in effect)
            return
        left = size
        while left:
            chunk = await asyncio.wait_for(reader.read(min(left, _CHUNK)), timeout)
            if not chunk:
                raise ValueError("the answer broke off")
            left -= len(chunk)
            yield chunk
        if await asyncio.wait_for(reader.readexactly(2), timeout) != b"\r\n":
            raise ValueError("bad chunk end")


def _parse_head(head: bytes) -> tuple[int, list[tuple[bytes, bytes]]]:
    lines = head[:-4].split(b"\r\n")
    version, _, rest = lines[0].partition(b" ")
    code = rest[:3]
    if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
        raise ValueError("not an HTTP/1.x status line")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or line[:1] in (b" ", b"\t"):
            raise ValueError("malformed header line")
        headers.append((name, value.strip(b" \t")))
    return int(code), headers


class Upstream:
    """A keep-alive pool to ``base`` (an absolute http(s) URL; its path is the prefix)."""

    def __init__(self, base: str, timeout: float) -> None:
        url = httpx.URL(base)
        self.host = url.host
        self.prefix = url.raw_path.split(b"?", 1)[0].rstrip(b"/")
        #: the Host header httpx would send for this URL (no default port)
        self.host_header = httpx.Request("GET", url).headers.raw[0][1]
        self._tls = url.scheme == "https"
        self._port = url.port or (443 if self._tls else 80)
        self.timeout = timeout
        self._connect_timeout = min(timeout, 10.0)
        self._ssl: ssl.SSLContext | None = None
        self._idle: list[_Conn] = []

    async def _connect(self) -> _Conn:
        if self._tls and self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    self.host,
                    self._port,
                    ssl=self._ssl if self._tls else None,
                    limit=MAX_HEAD,
                ),
                self._connect_timeout,
            )
        except asyncio.TimeoutError:
            raise UpstreamTimeout from None
        except (OSError, ssl.SSLError) as exc:
            raise Unreachable("ConnectError") from exc
        return _Conn(reader, writer)

    def _acquire(self) -> _Conn | None:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if conn.usable() and now - conn.idle_since < IDLE_SECONDS:
                return conn
            conn.close()
        return None

    def _release(self, conn: _Conn) -> None:
        if conn.usable() and len(self._idle) < KEEP_ALIVE:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        else:
            conn.close()

    async def send(
        self,
        method: bytes,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        content: bytes | None,
    ) -> Answer:
        """Send one request (``target``: the prefixed path and query; ``headers`` with
        ``Host`` and, when there is a body, ``Content-Length``); the answer's head is
        read, its body is left to :meth:`Answer.chunks`."""
        data = b"".join(
            [
                method,
                b" ",
                target,
                b" HTTP/1.1\r\n",
                *[b"%s: %s\r\n" % (name, value) for name, value in headers],
                b"\r\n",
                content or b"",
            ]
        )
        conn = self._acquire()
        reused = conn is not None
        if conn is None:
            conn = await self._connect()
        try:
            try:
                status, answer_headers = await self._exchange(conn, data)
            except (ConnectionError, asyncio.IncompleteReadError):
                if not reused or method not in IDEMPOTENT:
                    raise
                # a kept-alive connection the upstream closed as we sent: it read nothing
                conn.close()
                conn = await self._connect()
                status, answer_headers = await self._exchange(conn, data)
        except asyncio.TimeoutError:
            conn.close()
            raise UpstreamTimeout from None
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            conn.close()
            raise Unreachable("RemoteProtocolError") from None
        return self._answer(conn, method, status, answer_headers, headers)

    async def _exchange(self, conn: _Conn, data: bytes) -> tuple[int, list[tuple[bytes, bytes]]]:
        conn.writer.write(data)
        await asyncio.wait_for(conn.writer.drain(), self.timeout)
        while True:
            head = await asyncio.wait_for(conn.reader.readuntil(b"\r\n\r\n"), self.timeout)
            status, headers = _parse_head(head)
            if status >= 200 or status == 101:
                return status, headers
            # 1xx (100 Continue, 103 Early Hints): the real answer follows

    def _answer(
        self,
        conn: _Conn,
        method: bytes,
        status: int,
        headers: list[tuple[bytes, bytes]],
        sent: list[tuple[bytes, bytes]],
    ) -> Answer:
        lengths, chunked, close = set(), False, False
        for name, value in headers:
            low = name.lower()
            if low == b"content-length":
                lengths.add(value)
            elif low == b"transfer-encoding":
                chunked = chunked or value.lower().rstrip().endswith(b"chunked")
            elif low == b"connection":
                close = close or b"close" in value.lower()
        close = close or any(n.lower() == b"connection" and b"close" in v.lower() for n, v in sent)
        if status == 101:
            conn.close()
            raise Unreachable("an upgrade (101) is not proxied")
        if method == b"HEAD" or status in (204, 304):
            return Answer(self, conn, status, headers, "none", 0, not close)
        if chunked:
            return Answer(self, conn, status, headers, "chunked", 0, not close and not lengths)
        if lengths:
            value = lengths.pop()
            if lengths or not value.isdigit():
                conn.close()
                raise Unreachable("RemoteProtocolError")
            length = int(value)
            framing = "length" if length else "none"
            return Answer(self, conn, status, headers, framing, length, not close)
        return Answer(self, conn, status, headers, "close", 0, False)

    async def aclose(self) -> None:
        while self._idle:
            self._idle.pop().close()
