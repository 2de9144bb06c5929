"""Write requests checked on their way through the proxy: which operation a request is,
its path parameters, the ``X-Integration-Id`` header, the body and the job's screening
questions — the httpx transport's ``_Guard`` doing the work, over the registry's
:class:`~kombo_validate.routing.OperationTable` (so each Validator is built once).

:meth:`ProxyGuard.check` returns the headers and body to send (the body normalised and
re-encoded as the SDK encodes JSON, with a matching ``Content-Length``) and the
:class:`Report`, or raises :class:`PayloadError`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import unquote

from ..httpx import _ambiguous, _Guard
from ..issues import PayloadError, Report
from ..responses import parse_json
from ..routing import Match, Route, normalise_path
from .registry import Registry

__all__ = ["UNSET", "ProxyGuard"]

#: no questions were fetched for this request: ``--questions`` applies
UNSET: Any = object()


class _Call:
    """What one check hands back from inside ``_Guard`` (its hooks take no request)."""

    __slots__ = ("fetched", "report")

    def __init__(self, fetched: Any) -> None:
        self.fetched = fetched
        self.report: Report | None = None


_CALL: ContextVar[_Call] = ContextVar("kombo_validate_service_call")


class ProxyGuard:
    """Checks the requests of every write operation of ``registry``'s spec."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._context = registry.context
        self._guard = _Guard(
            registry.spec,
            None,
            self._questions,
            registry.context.restrictions,
            None,
            self._record,
        )

    def match(self, method: str, target: str) -> Match | None:
        """The write operation a request of ``method`` to ``target`` (the upstream's path
        with its prefix, and the query) is, or None; PayloadError (``path.ambiguous``).
        As :meth:`kombo_validate.httpx._Guard.match`, without building a request."""
        try:
            return self._registry.table.router.match(method.upper(), target)
        except LookupError as exc:
            route: Route = exc.args[0]
            path = normalise_path(target.split("?", 1)[0])
            raise PayloadError([_ambiguous(route, path)]) from None

    def takes_questions(self, found: Match) -> bool:
        """The operation takes answers to a job it names, in its path (Create
        application) or its body (Create candidate): ``--fetch-context`` applies."""
        op = self._registry.table.validator(found.route.label).operation
        return op.answers is not None and op.job is not None

    def job_id(self, found: Match, content: bytes) -> str | None:
        """The job id of a request :meth:`takes_questions` holds for, decoded: its path
        segment, or the string at the operation's job path in the JSON body; None when
        there is none (the check then names what is wrong)."""
        op = self._registry.table.validator(found.route.label).operation
        if op.job is None:
            return None
        if op.job.location == "path":
            name = op.job.path[0]
            segment = None if name in found.spilled else found.values.get(name)
            return None if segment is None else unquote(segment)
        node, problem = parse_json(content)
        if problem is not None:
            return None
        for key in op.job.path:
            node = node.get(key) if isinstance(node, dict) else None
        return str.__str__(node) if isinstance(node, str) else None

    def _questions(self, job_id: str) -> Any:
        fetched = _CALL.get().fetched
        if fetched is not UNSET:
            return fetched
        return self._context.by_job.get(job_id, self._context.every_job)

    @staticmethod
    def _record(report: Report) -> None:
        _CALL.get().report = report

    def check(
        self,
        headers: list[tuple[bytes, bytes]],
        found: Match,
        content: bytes,
        fetched: Any = UNSET,
    ) -> tuple[list[tuple[bytes, bytes]], bytes, Report | None]:
        """``(headers, body)`` to send and the report, or PayloadError. ``headers``: the
        request's (hop-by-hop ones dropped), as the ASGI server gave them; ``fetched``:
        the job's questions fetched for this request (None: it has none). No httpx
        objects: building a ``URL`` and two ``Request`` s was most of a checked write's
        cost in the proxy (~90 of ~160 µs)."""
        token = _CALL.set(_Call(fetched))
        try:
            wire = self._guard.wire_body(found, content, _lookup(headers))
            report = _CALL.get().report
        finally:
            _CALL.reset(token)
        sent = [(k, v) for k, v in headers if k.lower() not in _REFRAMED]
        if not any(k.lower() == b"content-type" for k, _ in sent):
            sent.append((b"content-type", b"application/json"))
        sent.append((b"content-length", b"%d" % len(wire)))
        return sent, wire, report


#: headers the normalised body's framing replaces
_REFRAMED = frozenset({b"content-length", b"transfer-encoding"})


def _lookup(headers: list[tuple[bytes, bytes]]) -> Callable[[str], str | None]:
    """``name -> value`` over raw headers as ``httpx.Headers.get`` reads them: the name
    case-blind, several values joined by ``", "``, decoded as ASCII, else UTF-8, else
    Latin-1; None when absent."""

    def get(name: str) -> str | None:
        key = name.lower().encode("latin-1")
        values = [v for k, v in headers if k.lower() == key]
        if not values:
            return None
        raw = b", ".join(values)
        for encoding in ("ascii", "utf-8"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        return raw.decode("iso-8859-1")

    return get
