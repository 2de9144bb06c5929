"""The service's own answers: Kombo's error shape for the proxy, a small JSON one for the
check API, and sending either over raw ASGI.

Messages never quote a header or a payload value beyond the issues' own short excerpts.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ..kombo_error import ERROR_CODE, ERROR_TITLE

__all__ = ["Send", "busy", "json_bytes", "kombo_error", "send_json"]

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: Kombo's error codes the proxy answers with (all in the spec's ErrorResponseATS enum)
INPUT_INVALID = ERROR_CODE
UNKNOWN_ERROR = "PLATFORM.UNKNOWN_ERROR"
TIMED_OUT = "PLATFORM.TASK_TIMED_OUT"
BUSY = "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"

_TITLES = {
    INPUT_INVALID: ERROR_TITLE,
    UNKNOWN_ERROR: "The request could not be forwarded.",
    TIMED_OUT: "The upstream did not answer in time.",
    BUSY: "Too many requests are in flight.",
}


def kombo_error(code: str, message: str) -> dict[str, Any]:
    """``{"status": "error", "error": {...}}``, as Kombo answers."""
    title = _TITLES.get(code, ERROR_TITLE)
    return {
        "status": "error",
        "error": {"code": code, "title": title, "message": message, "log_url": None},
    }


#: ``json.dumps(ensure_ascii=False, allow_nan=False, default=repr)``, built once (dumps
#: with options builds an encoder per call: a few µs of each check's answer)
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=repr)


def json_bytes(payload: Any) -> bytes:
    return _ENCODER.encode(payload).encode("utf-8")


async def send_json(
    send: Send,
    status: int,
    payload: Any,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """One whole JSON response."""
    body = json_bytes(payload)
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def busy(send: Send, limit: int, extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """503 in Kombo's shape: the worker holds ``--max-inflight-mb`` of bodies already.
    The connection is closed (the body may not have been read)."""
    from .budget import RETRY_AFTER

    mb = limit / (1024 * 1024)
    message = (
        f"the service holds {mb:g} MB of request bodies already (--max-inflight-mb): "
        f"try again in {RETRY_AFTER} s"
    )
    headers = [(b"retry-after", b"%d" % RETRY_AFTER), (b"connection", b"close"), *extra]
    await send_json(send, 503, kombo_error(BUSY, message), headers)
