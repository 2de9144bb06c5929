"""Each connection starts on a lean HTTP/1.1 protocol that answers small checks itself.

A ``POST /v1/check`` or ``/v1/prepare`` with a small declared body is answered right in
``data_received``: httptools parses it, the app computes the whole answer
(``Service.answer_now``) and the response goes out in one write. No ASGI task, no
receive/send messages, no per-request keep-alive timer: uvicorn's machinery cost about
as much CPU per check as the check itself (``scripts/serve_load.py``).

Anything else (another path or method, a query string, ``Expect``, chunked or large
bodies, an upgrade, a parse error, a request the app declines, e.g. one it must answer
4xx, or a Validator not built yet) hands the connection over to uvicorn's protocol
(:class:`~kombo_validate.service.coalesce.CoalescingHttpTools`) for good: the bytes of
the request it declined, and everything after, are replayed to it, so it answers
exactly as it would have from the start.

Kept from uvicorn: the connection is in the server's set (a graceful shutdown closes it
when idle, or after the request in hand), idle keep-alive connections close after
``timeout_keep_alive``, a client that does not read its answers stops being read, the
default headers, ``Connection: close`` for HTTP/1.0 and when asked.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from .coalesce import CoalescingHttpTools

__all__ = ["LeanHttp"]

#: the request targets answered here, as sent (no query, no escapes)
_PATHS = {b"/v1/check": "/v1/check", b"/v1/prepare": "/v1/prepare"}
_HEAD = b"content-type: application/json\r\ncontent-length: %d\r\n"
_CLOSE = b"connection: close\r\n"
_HEAD_END = b"\r\n\r\n"
_DECLINED_HEADERS = frozenset({b"expect", b"transfer-encoding", b"upgrade"})


class LeanHttp(asyncio.Protocol):
    """uvicorn's ``http_protocol_class`` (same constructor): see the module."""

    def __init__(self, config: Any, server_state: Any, app_state: Any, _loop: Any = None) -> None:
        self._handover = {"config": config, "server_state": server_state, "app_state": app_state}
        self.loop = _loop or asyncio.get_event_loop()
        app = config.loaded_app
        self.app: Any = app if getattr(app, "answer_now", None) is not None else None
        self.server_state = server_state
        self.idle_timeout = float(config.timeout_keep_alive)
        self.parser = httptools.HttpRequestParser(self)
        self.transport: Any = None
        self.buffer = bytearray()  # the bytes from the current request's start on
        self.start = 0  # where the current request starts in ``buffer``
        self.out: list[bytes] = []
        self.declined = False  # hand over once this feed is parsed
        self.done = False  # answered a last request (Connection: close): ignore the rest
        self.in_request = False  # a request's head is in, its body is not
        self.read_paused = False
        self.timer: asyncio.TimerHandle | None = None
        self.answered_at = 0.0
        # the request being parsed
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.odd = False  # Expect, Transfer-Encoding or Upgrade: uvicorn's
        self.scope: dict[str, Any] = {}
        self.body_at = 0
        self.keep_alive = True

    # ------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.server_state.connections.add(self)
        if self.app is None:  # an app with nothing to answer at once: uvicorn's
            self._hand_over()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade):
            self.declined = True  # uvicorn's parser answers it (a 400, ...)
        if self.out:
            out, self.out = self.out, []
            self.transport.write(out[0] if len(out) == 1 else b"".join(out))
        if self.declined:
            self._hand_over()
            return
        if self.done:
            self.transport.close()
            return
        del self.buffer[: self.start]
        self.start = 0

    def connection_lost(self, exc: Exception | None) -> None:
        self.server_state.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def pause_writing(self) -> None:  # the client does not read its answers: stop reading
        self.read_paused = True
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown: close now when idle, else after the request in hand."""
        if self.in_request:
            self.keep_alive = False
        elif not self.transport.is_closing():
            self.transport.close()

    # ------------------------------------------------------------ httptools callbacks

    def on_message_begin(self) -> None:
        self.url = b""
        self.headers = []
        self.body = []
        self.odd = False

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name in _DECLINED_HEADERS:
            self.odd = True
        self.headers.append((name, value.rstrip(b" \t")))

    def on_headers_complete(self) -> None:
        if self.declined or self.done:
            return
        path = _PATHS.get(self.url)
        parser = self.parser
        if path is None or parser.get_method() != b"POST":
            self.declined = True
            return
        headers = self.headers
        scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
        if self.odd or not self.app.answers_now(scope):
            self.declined = True
            return
        head = self.buffer.find(_HEAD_END, self.start)
        if head < 0 or self.buffer.find(b"\n\n", self.start, head) >= 0:
            self.declined = True  # bare-LF framing: not ours to slice
            return
        self.scope = scope
        self.body_at = head + 4 - self.start
        self.keep_alive = parser.get_http_version() != "1.0" and parser.should_keep_alive()
        self.in_request = True

    def on_body(self, body: bytes) -> None:
        if not (self.declined or self.done):
            self.body.append(body)

    def on_message_complete(self) -> None:
        if self.declined or self.done:
            return
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        at = self.start + self.body_at
        end = at + len(body)
        if self.buffer[at:end] != body:
            self.declined = True  # framing not as read: uvicorn's parser decides
            return
        try:
            answer = self.app.answer_now(self.scope, body)
        except Exception:  # uvicorn's path gives the 500 and logs it
            answer = None
        if answer is None:
            self.declined = True
            return
        status, content = answer
        parts = [STATUS_LINE[status], _HEAD % len(content)]
        for name, value in self.server_state.default_headers:
            parts += [name, b": ", value, b"\r\n"]
        if not self.keep_alive:
            parts.append(_CLOSE)
            self.done = True
        parts += [b"\r\n", content]
        self.out.append(b"".join(parts))
        self.start = end
        self.in_request = False
        self.server_state.total_requests += 1
        self.answered_at = self.loop.time()
        if self.timer is None and not self.done:
            self.timer = self.loop.call_later(self.idle_timeout, self._idle)

    # ------------------------------------------------------------ the rest

    def _idle(self) -> None:
        """Close a keep-alive connection idle for ``timeout_keep_alive`` (as uvicorn does:
        not while a request is coming in)."""
        self.timer = None
        if self.transport.is_closing() or self.buffer:
            return  # a request under way: armed again after its answer
        left = self.answered_at + self.idle_timeout - self.loop.time()
        if left <= 0:
            self.transport.close()
        else:
            self.timer = self.loop.call_later(left, self._idle)

    def _hand_over(self) -> None:
        """uvicorn's protocol from here on, given the bytes from the current request on."""
        transport = self.transport
        self.server_state.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.read_paused:
            self.read_paused = False
            transport.resume_reading()
        rest = bytes(self.buffer[self.start :])
        self.buffer = bytearray()
        protocol = CoalescingHttpTools(**self._handover, _loop=self.loop)
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if rest:
            protocol.data_received(rest)
