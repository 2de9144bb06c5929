"""The playground at ``GET /``: one static page (``playground.html``, beside this
module) for the people who debug a rejected application. Paste or drop a JSON or YAML
payload (and, optionally, the job's questions), pick the operation, and see every
issue beside its line, the changes and the wire body, from ``POST /v1/check`` with
``text`` (:mod:`.textinput`).

No build step and no external asset: the page's one script and one stylesheet are
inline, allowed by their hashes in its Content-Security-Policy (nothing else may run,
load or be framed; it connects only to this server). Nothing is stored, and payloads
are never logged (the service logs no request bodies at all).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["page"]

_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


@lru_cache(maxsize=1)
def _page() -> tuple[bytes, str]:
    name = __name__.rpartition(".")[2] + ".html"  # the page beside this module
    html = resources.files(__package__).joinpath(name).read_text("utf-8")
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(hashes["script"]),
            "style-src " + " ".join(hashes["style"]),
            "connect-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return html.encode("utf-8"), policy


async def page(request: Request) -> Response:
    body, policy = _page()
    return Response(
        body,
        headers={
            "Content-Security-Policy": policy,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        },
        media_type="text/html",
    )
