"""uvicorn's httptools protocol, writing each response in one piece.

uvicorn writes a response's head and its body with two ``transport.write`` calls: two
syscalls and two TCP segments on a keep-alive connection, so the client wakes twice.
Here the writes of one event-loop turn are joined and written once, at the end of
that turn (``call_soon``); ``close`` and ``set_protocol`` write what is held first,
so nothing is reordered or lost. The request target is kept as sent (see
:class:`CoalescingHttpTools`). Measured with ``scripts/serve_load.py``: about
+15 % checks/s (two workers, 2 cores).

:func:`protocol` gives :class:`~kombo_validate.service.lean_http.LeanHttp` (which hands
every connection it does not answer itself to this class) when httptools is installed (the
serve extra brings it), else ``"auto"`` (uvicorn's own choice).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CoalescingHttpTools", "protocol"]


class _Coalescing:
    """An asyncio transport that holds the writes of one loop turn, then writes them."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: Any, loop: Any) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self._held is None:
            self._held = [data]
            self._loop.call_soon(self._flush)
        else:
            self._held.append(data)

    def _flush(self) -> None:
        held, self._held = self._held, None
        if held and not self._transport.is_closing():
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def set_protocol(self, protocol: Any) -> None:
        self._flush()
        self._transport.set_protocol(protocol)

    def __getattr__(self, name: str) -> Any:  # everything else: the real transport's
        return getattr(self._transport, name)


def protocol() -> str:
    """The protocol for ``uvicorn.run(http=...)`` by its import name (uvicorn's worker
    processes import it), or ``"auto"`` without httptools."""
    try:
        import httptools  # noqa: F401
    except ImportError:  # uvicorn picks h11
        return "auto"
    return "kombo_validate.service.lean_http:LeanHttp"  # small checks at once, else ours


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - protocol() does not name the class then
    pass
else:

    class CoalescingHttpTools(HttpToolsProtocol):
        """uvicorn's httptools protocol on a :class:`_Coalescing` transport, giving the
        request target as sent in ``raw_path`` (up to its ``?``), as uvicorn's h11
        protocol does: httptools would reduce an absolute-form target
        (``http://host/path``) to its path and drop a ``#fragment``, and the proxy
        refuses both (:func:`~kombo_validate.service.proxy.target_problem`)."""

        def connection_made(self, transport: Any) -> None:
            coalescing: Any = _Coalescing(transport, self.loop)  # a Transport by duck typing
            super().connection_made(coalescing)

        def on_headers_complete(self) -> None:
            target = bytes(self.url)
            super().on_headers_complete()
            self.scope["raw_path"] = target.split(b"?", 1)[0]
