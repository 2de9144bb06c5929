"""The service's own answers: Kombo's error shape for the proxy, a small JSON one for the
check API, and sending either over raw ASGI.

Messages never quote a header or a payload value beyond the issues' own short excerpts.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ..kombo_error import ERROR_CODE, ERROR_TITLE

__all__ = ["Send", "json_bytes", "kombo_error", "send_json"]

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: Kombo's error codes the proxy answers with (all in the spec's ErrorResponseATS enum)
INPUT_INVALID = ERROR_CODE
UNKNOWN_ERROR = "PLATFORM.UNKNOWN_ERROR"
TIMED_OUT = "PLATFORM.TASK_TIMED_OUT"

_TITLES = {
    INPUT_INVALID: ERROR_TITLE,
    UNKNOWN_ERROR: "The request could not be forwarded.",
    TIMED_OUT: "The upstream did not answer in time.",
}


def kombo_error(code: str, message: str) -> dict[str, Any]:
    """``{"status": "error", "error": {...}}``, as Kombo answers."""
    title = _TITLES.get(code, ERROR_TITLE)
    return {
        "status": "error",
        "error": {"code": code, "title": title, "message": message, "log_url": None},
    }


def json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, default=repr).encode("utf-8")


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
