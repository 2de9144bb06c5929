"""The validating reverse proxy: every request goes to the one configured upstream; a write
operation the spec knows is checked first.

* refused (an error in the body, the job id or the integration header): 400 in Kombo's
  error format, and the upstream is never called;
* valid: sent with the normalised body (and a correct ``Content-Length``);
* anything else: sent as it came.

The upstream's answer comes back unchanged (status, headers, raw body bytes), streamed:
each piece is passed on as it arrives. ``X-Kombo-Validate`` says what happened
(``checked; changes=2; warnings=0``, ``refused; errors=3; codes=email.invalid,…``,
``unchecked``). Only the configured upstream is contacted: the request target must be
a path (no absolute form, no ``.``/``..`` segments, no ``#``), the client's ``Host`` is
replaced, environment proxies are ignored, and redirects are handed back, not followed.
Hop-by-hop headers (RFC 9110 §7.6.1) are dropped both ways. Bodies are read whole (up to
``--max-body-mb``, else 413; within the worker's ``--max-inflight-mb``, else 503) before
anything is sent, so a client that goes away mid-body leaves nothing behind upstream.
The upstream is reached through :mod:`.upstream` (a keep-alive pool).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import MutableMapping
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool

from ..issues import ContextError, PayloadError, SpecError
from ..kombo_error import to_kombo_error
from .budget import (
    BodyTooLarge,
    Budget,
    Busy,
    ClientGone,
    Reading,
    Receive,
    declared_length,
    read_body,
)
from .config import ServiceConfig
from .errors import INPUT_INVALID, TIMED_OUT, UNKNOWN_ERROR, Send, busy, kombo_error, send_json
from .guards import UNSET, ProxyGuard
from .registry import Registry
from .upstream import Answer, Unreachable, Upstream, UpstreamTimeout

__all__ = ["HEADER", "Proxy", "Receive"]

log = logging.getLogger(__package__)  # kombo_validate.service

HEADER = b"x-kombo-validate"
CONTEXT_HEADER = b"x-kombo-validate-context"
#: RFC 9110 §7.6.1, plus the pre-standard ones still seen in the wild
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
#: inbound headers the proxy sets itself
_REPLACED = frozenset({b"host", b"content-length", b"expect"})
#: bodies at least this large are checked in a worker thread, not on the event loop
THREAD_BYTES = 64 * 1024
_DOT_SEGMENT = re.compile(rb"(?:^|/)(?:\.|%2e){1,2}(?:/|$)", re.IGNORECASE)


def _connection_tokens(headers: list[tuple[bytes, bytes]]) -> set[bytes]:
    return {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
    }


def hop_by_hop_dropped(
    headers: list[tuple[bytes, bytes]], also: frozenset[bytes] = frozenset()
) -> list[tuple[bytes, bytes]]:
    """``headers`` without the hop-by-hop ones and those ``Connection`` names."""
    drop = HOP_BY_HOP | also | _connection_tokens(headers)
    return [(name, value) for name, value in headers if name.lower() not in drop]


def target_problem(raw_path: bytes) -> str | None:
    """Why a request target is not forwarded, or None."""
    if not raw_path.startswith(b"/") or raw_path.startswith(b"//"):
        return "the request target must be a path (origin form): this is no open proxy"
    if b"#" in raw_path:
        return "the request target holds a '#'"
    if _DOT_SEGMENT.search(raw_path):
        return "the request target holds '.' or '..' segments"
    return None


class Proxy:
    """The ASGI app forwarding to ``config.upstream``."""

    def __init__(
        self, config: ServiceConfig, registry: Registry, budget: Budget, fetcher: Any = None
    ) -> None:
        assert config.upstream is not None
        self._upstream = Upstream(config.upstream, config.upstream_timeout)
        self._base = httpx.URL(config.upstream)
        self._prefix = self._upstream.prefix
        self._limit = config.max_body_bytes
        self._timeout = config.upstream_timeout
        self._budget = budget
        self._registry = registry
        self._fetcher = fetcher
        self._guard = ProxyGuard(registry)  # the default operation's Validator: built already
        #: operations whose Validator is built (checked), or the spec cannot give (unchecked)
        self._checked: set[str] = set()
        self._unchecked: set[str] = set()

    async def aclose(self) -> None:
        await self._upstream.aclose()
        if self._fetcher is not None:
            await self._fetcher.aclose()

    async def _checkable(self, label: str) -> bool:
        """Whether operation ``label``'s Validator can be built (built now, off the loop)."""
        if label in self._checked:
            return True
        if label in self._unchecked:
            return False
        try:
            await run_in_threadpool(self._registry.table.validator, label)
        except SpecError as exc:
            log.warning("%s is forwarded unchecked: %s", label, exc)
            self._unchecked.add(label)
            return False
        self._checked.add(label)
        return True

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("ascii", "replace")
        raw_path = raw_path.split(b"?", 1)[0]
        reading = Reading(self._budget)
        try:
            status, outcome = await self._handle(method, raw_path, scope, reading, receive, send)
        finally:
            reading.release()
        log.info(
            "%s %s -> %s %s %.1fms",
            method,
            outcome[1],
            status,
            outcome[0],
            (time.perf_counter() - started) * 1000,
        )

    async def _refuse(
        self, send: Send, status: int, code: str, message: str, close: bool = False
    ) -> tuple[int, tuple[str, str]]:
        extra = [(b"connection", b"close")] if close else []
        await send_json(send, status, kombo_error(code, message), [(HEADER, b"error"), *extra])
        return status, ("error", "-")

    async def _handle(
        self,
        method: str,
        raw_path: bytes,
        scope: MutableMapping[str, Any],
        reading: Reading,
        receive: Receive,
        send: Send,
    ) -> tuple[int, tuple[str, str]]:
        problem = target_problem(raw_path)
        if problem is not None or method == "CONNECT":
            return await self._refuse(send, 400, INPUT_INVALID, problem or "CONNECT is not proxied")
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        declared, valid = declared_length(headers)
        if not valid:
            return await self._refuse(send, 400, INPUT_INVALID, "invalid Content-Length", True)
        try:
            content = await read_body(receive, self._limit, reading, declared)
        except BodyTooLarge:
            return await self._too_large(send)
        except Busy:
            await busy(send, self._budget.limit, [(HEADER, b"error")])
            return 503, ("busy", "-")
        except ClientGone:
            return 499, ("client gone", "-")
        query: bytes = scope.get("query_string", b"")
        target = self._prefix + raw_path + (b"?" + query if query else b"")
        out = hop_by_hop_dropped(headers, _REPLACED)
        out.append((b"via", b"1.1 kombo-validate"))
        sends_body = (
            bool(content)
            or declared is not None
            or any(k == b"transfer-encoding" for k, _ in headers)
        )
        guard = self._guard
        try:
            found = guard.match(method, target.decode("ascii", "replace"))
        except PayloadError as exc:
            return await self._refused(send, exc, "-")
        plain = ("unchecked", "-")
        if found is not None:
            label = found.route.label
            ref = self._registry.table.ref(label)
            name = ref.id or label
            plain = ("unchecked", name)
        if found is None or not await self._checkable(found.route.label):
            wire = [(b"host", self._upstream.host_header), *out]
            if sends_body:
                wire.append((b"content-length", b"%d" % len(content)))
            return await self._forward(method, target, wire, content, send, b"unchecked", [], plain)
        fetched, context_headers = UNSET, []
        if self._fetcher is not None and guard.takes_questions(found):
            url = self._base.copy_with(raw_path=target)  # the caller's credentials, for the fetch
            request = httpx.Request(method, url, headers=out, content=content)
            job_id = guard.job_id(found, content)
            fetched, note = await self._fetcher.questions_for(job_id, request)
            context_headers = [(CONTEXT_HEADER, note.encode())]
        try:
            if len(content) >= THREAD_BYTES:
                sent, wire_body, report = await run_in_threadpool(
                    guard.check, out, found, content, fetched
                )
            else:
                sent, wire_body, report = guard.check(out, found, content, fetched)
        except (PayloadError, ContextError) as exc:
            return await self._refused(send, exc, name, context_headers)
        changes = len(report.changes) if report is not None else 0
        warnings = len(report.warnings) if report is not None else 0
        note = f"checked; changes={changes}; warnings={warnings}".encode()
        return await self._forward(
            method,
            target,
            [(b"host", self._upstream.host_header), *sent],
            wire_body,
            send,
            note,
            context_headers,
            ("checked", name),
        )

    async def _too_large(self, send: Send) -> tuple[int, tuple[str, str]]:
        mb = self._limit / (1024 * 1024)
        return await self._refuse(
            send, 413, INPUT_INVALID, f"the request body is larger than {mb:g} MB", True
        )

    async def _refused(
        self,
        send: Send,
        exc: PayloadError | ContextError,
        name: str,
        extra: list[tuple[bytes, bytes]] | None = None,
    ) -> tuple[int, tuple[str, str]]:
        if isinstance(exc, ContextError):  # the job context itself is unusable
            error = kombo_error(INPUT_INVALID, str(exc))
            await send_json(send, 400, error, [(HEADER, b"refused; errors=1"), *(extra or [])])
            return 400, ("refused", name)
        errors = [i for i in exc.issues if i.is_error]
        codes = ",".join(dict.fromkeys(i.code for i in errors[:5]))  # stable names, no values
        note = f"refused; errors={len(errors)}; codes={codes}".encode()
        await send_json(send, 400, to_kombo_error(errors), [(HEADER, note), *(extra or [])])
        return 400, ("refused", name)

    async def _forward(
        self,
        method: str,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        content: bytes,
        send: Send,
        note: bytes,
        extra: list[tuple[bytes, bytes]],
        outcome: tuple[str, str],
    ) -> tuple[int, tuple[str, str]]:
        host = self._upstream.host
        try:
            answer = await self._upstream.send(method.encode("ascii"), target, headers, content)
        except UpstreamTimeout:
            message = f"the upstream {host} did not answer within {self._timeout:g} s"
            await send_json(send, 504, kombo_error(TIMED_OUT, message), [(HEADER, note), *extra])
            return 504, outcome
        except Unreachable as exc:
            message = f"the upstream {host} could not be reached ({exc})"
            await send_json(
                send, 502, kombo_error(UNKNOWN_ERROR, message), [(HEADER, note), *extra]
            )
            return 502, outcome
        try:
            await self._relay(answer, send, [(HEADER, note), *extra])
        except Unreachable as exc:  # the answer broke off: the connection is closed
            log.warning("the upstream's answer broke off: %s", exc)
        finally:
            await answer.aclose()
        return answer.status, outcome

    @staticmethod
    async def _relay(answer: Answer, send: Send, extra: list[tuple[bytes, bytes]]) -> None:
        """The answer as it came, each chunk sent on as soon as it is read (never held
        for the next, which may be long in coming); the last chunk of a body of known
        length ends the body, so a short answer is one send."""
        headers = hop_by_hop_dropped(answer.relayed_headers) + extra
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        ended = False
        async for chunk in answer.chunks():
            ended = answer.whole
            await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
        if not ended:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
