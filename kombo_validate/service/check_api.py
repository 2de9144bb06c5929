"""The check API: ``POST /v1/check``, ``POST /v1/prepare``, ``GET /v1/operations``,
``GET /healthz`` and the service's own ``GET /openapi.json``.

``/v1/check`` and ``/v1/prepare`` take ``{"operation"?, "body", "questions"?,
"restrictions"?}`` and answer the :class:`Report` as JSON (``operation``, ``ok``,
``issues``, ``changes``, ``body``: the wire body, or null). ``/v1/check`` answers 200
whatever the verdict; ``/v1/prepare`` answers 422 when the body has errors. A request
that cannot be checked at all (not JSON, the wrong shape, an unknown operation,
malformed questions or restrictions, too large) is a 400 (413) with
``{"error": {"code", "message"}}``; never a 500. A worker already holding
``--max-inflight-mb`` of request bodies answers 503 (Kombo's error shape, which has
those two members too) with ``Retry-After``.

``/v1/check`` and ``/v1/prepare`` are served on raw ASGI (:meth:`CheckAPI.handle`), not
through Starlette's Request/Response: they are the hot path.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..api import Validator
from ..issues import ContextError, Report, SpecError
from ..jsontext import json_int
from ..responses import parse_json
from .budget import BodyTooLarge, Budget, Busy, ClientGone, Reading, declared_length, read_body
from .errors import Send, busy, json_bytes, send_json
from .proxy import THREAD_BYTES
from .registry import Registry
from .textinput import FORMATS, parse_text

__all__ = ["API_PATHS", "FAST_PATHS", "CheckAPI"]

#: the paths served on raw ASGI: True for /v1/prepare
FAST_PATHS = {"/v1/check": False, "/v1/prepare": True}
API_PATHS = frozenset({*FAST_PATHS, "/v1/operations", "/healthz", "/openapi.json"})
_FIELDS = ("operation", "body", "text", "format", "questions", "questions_text", "restrictions")
_JSON = (b"content-type", b"application/json")


class BadRequest(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(json_bytes(payload), status, media_type="application/json")


async def _send_error(send: Send, exc: BadRequest) -> None:
    headers = [(b"connection", b"close")] if exc.status == 413 else []
    await send_json(
        send, exc.status, {"error": {"code": exc.code, "message": exc.message}}, headers
    )


class CheckAPI:
    """The endpoints, over one :class:`Registry`."""

    def __init__(self, registry: Registry, limit: int, proxying: bool, budget: Budget) -> None:
        self._registry = registry
        self._limit = limit
        self._proxying = proxying
        self._budget = budget
        #: operation names asked for → their Validator (bounded: names come from clients)
        self._named: dict[str, Validator] = {}

    async def handle(
        self,
        scope: MutableMapping[str, Any],
        receive: Any,
        send: Send,
        *,
        prepare: bool,
    ) -> None:
        """``POST /v1/check`` or ``/v1/prepare`` (the caller has checked method and path)."""
        reading = Reading(self._budget)
        try:
            try:
                raw = await self._read(scope["headers"], receive, reading)
                envelope = _envelope(raw)
                validator = await self._validator(envelope.get("operation"))
                if len(raw) >= THREAD_BYTES:
                    answer = await run_in_threadpool(_answer, validator, envelope)
                else:
                    answer = _answer(validator, envelope)
            except BadRequest as exc:
                await _send_error(send, exc)
                return
            except Busy:
                await busy(send, self._budget.limit)
                return
            except ClientGone:
                return
            status, body = _reply(validator, answer, prepare)
            headers = [_JSON, (b"content-length", b"%d" % len(body))]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
        finally:
            reading.release()

    def answer_now(
        self, headers: list[tuple[bytes, bytes]], raw: bytes, prepare: bool
    ) -> tuple[int, bytes] | None:
        """``(status, body)`` of a small request read whole already, computed at once:
        no task, no receive/send messages (the protocol's fast path, see
        :mod:`.lean_http`). None when it needs :meth:`handle`: a Validator not built yet,
        a body of :data:`THREAD_BYTES` or more, a full budget, or a request that cannot
        be checked (its 4xx is :meth:`handle`'s to give)."""
        size = len(raw)
        budget = self._budget
        if size >= THREAD_BYTES or size > self._limit or budget.held + size > budget.limit:
            return None
        if not declared_length(headers)[1]:
            return None
        try:
            envelope = _envelope(raw)
            validator = self._built(envelope.get("operation"))
            if validator is None:
                return None
            return _reply(validator, _answer(validator, envelope), prepare)
        except BadRequest:
            return None

    def _built(self, name: Any) -> Validator | None:
        """The Validator ``name`` asks for when it is built already, else None."""
        if name is None:
            default = self._registry.default
            return None if default is None else self._registry.ready(default)
        return self._named.get(name) if isinstance(name, str) else None

    def endpoint(self, *, prepare: bool) -> Any:
        """``handle`` as an ASGI app for a Starlette route (the app calls ``handle`` itself
        first; the route gives the 405 for other methods)."""

        async def app(scope: MutableMapping[str, Any], receive: Any, send: Send) -> None:
            await self.handle(scope, receive, send, prepare=prepare)

        return app

    async def _read(
        self, headers: list[tuple[bytes, bytes]], receive: Any, reading: Reading
    ) -> bytes:
        declared, valid = declared_length(headers)
        if not valid:
            raise BadRequest("REQUEST.SHAPE", "invalid Content-Length")
        try:
            return await read_body(receive, self._limit, reading, declared)
        except BodyTooLarge:
            mb = self._limit / (1024 * 1024)
            raise BadRequest(
                "REQUEST.TOO_LARGE", f"the request is larger than {mb:g} MB", 413
            ) from None

    async def _validator(self, name: Any) -> Validator:
        registry = self._registry
        if name is None:
            if registry.default is None:
                raise BadRequest(
                    "OPERATION.MISSING",
                    "the spec has several write operations and no Create application: "
                    'name one in "operation" (GET /v1/operations)',
                )
            ref = registry.default
        elif not isinstance(name, str):
            raise BadRequest(
                "REQUEST.SHAPE", '"operation" must be a string: an operationId or "METHOD /path"'
            )
        else:
            known = self._named.get(name)
            if known is not None:
                return known
            try:
                ref = registry.find(name)
            except LookupError as exc:
                raise BadRequest("OPERATION.UNKNOWN", str(exc)) from None
        ready = registry.ready(ref)
        if ready is None:
            try:  # built once, off the event loop
                ready = await run_in_threadpool(registry.validator, ref)
            except SpecError as exc:
                raise BadRequest("OPERATION.UNAVAILABLE", f"it cannot be checked: {exc}") from None
        if isinstance(name, str) and len(self._named) < 256:
            self._named[name] = ready
        return ready

    async def operations(self, request: Request) -> Response:
        registry = self._registry
        default = registry.default
        return json_response(
            {
                "default": None if default is None else default.id,
                "operations": [
                    {"id": r.id, "method": r.method.upper(), "path": r.path, "summary": r.summary}
                    for r in registry.refs
                ],
            }
        )

    async def healthz(self, request: Request) -> Response:
        return json_response({"status": "ok", "proxy": self._proxying})

    async def openapi(self, request: Request) -> Response:
        from .openapi_doc import document

        return json_response(document(self._registry, self._proxying))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: :func:`~kombo_validate.responses.parse_json`'s decoder, built once
_DECODER = json.JSONDecoder(parse_int=json_int, parse_constant=_reject_constant)
_NOT_READ = object()


def _loads(raw: bytes) -> Any:
    """``raw`` as strict UTF-8 JSON, or :data:`_NOT_READ`: then :func:`parse_json` decides
    (other encodings, a BOM) and words the problem. Where this reads, ``json.loads``
    reads the same (its other encodings put a NUL in the first two bytes: not JSON
    in UTF-8)."""
    try:
        return _DECODER.decode(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
        return _NOT_READ


def _envelope(raw: bytes) -> dict[str, Any]:
    data = _loads(raw)
    if data is _NOT_READ:
        data, problem = parse_json(raw)
        if problem is not None:
            message = problem.message.replace("the body", "the request", 1)
            raise BadRequest("REQUEST.NOT_JSON", message)
    if not isinstance(data, dict):
        raise BadRequest(
            "REQUEST.SHAPE",
            'the request must be a JSON object: {"body": ..., "operation"?, '
            '"questions"?, "restrictions"?}',
        )
    unknown = [key for key in data if key not in _FIELDS]
    if unknown:
        raise BadRequest(
            "REQUEST.SHAPE",
            f"unknown member {unknown[0][:80]!r}: the request takes {', '.join(_FIELDS)}",
        )
    if "body" not in data and "text" not in data:
        raise BadRequest("REQUEST.SHAPE", 'the request has no "body" (the payload to check)')
    for one, other in (("body", "text"), ("questions", "questions_text")):
        if one in data and other in data:
            raise BadRequest("REQUEST.SHAPE", f'give "{one}" or "{other}", not both')
    for name in ("text", "questions_text"):
        if name in data and not isinstance(data[name], str):
            raise BadRequest("REQUEST.SHAPE", f'"{name}" must be a string (JSON or YAML text)')
    if "format" in data:
        if "text" not in data and "questions_text" not in data:
            raise BadRequest("REQUEST.SHAPE", '"format" goes with "text" or "questions_text"')
        if data["format"] not in FORMATS:
            raise BadRequest("REQUEST.SHAPE", f'"format" must be one of {", ".join(FORMATS)}')
    return data


def _reply(validator: Validator, answer: dict[str, Any], prepare: bool) -> tuple[int, bytes]:
    """``(status, body)`` of a checked request: 422 for /v1/prepare with errors."""
    body = json_bytes({"operation": validator.operation.id, **answer})
    return (422 if prepare and not answer["ok"] else 200), body


def _answer(validator: Validator, envelope: dict[str, Any]) -> dict[str, Any]:
    """The report of the envelope's body (or text: then with its lines) as JSON data."""
    form = envelope.get("format", "auto")
    questions = envelope.get("questions")
    if "questions_text" in envelope:
        parsed = parse_text(envelope["questions_text"], form)
        if parsed.problem is not None:
            message = f"the questions, line {parsed.problem_line}: {parsed.problem.message}"
            raise BadRequest("CONTEXT.INVALID", message)
        questions = parsed.value
    restrictions = envelope.get("restrictions")
    if "text" not in envelope:
        return _check(validator, envelope["body"], questions, restrictions, True).to_dict()
    text = parse_text(envelope["text"], form)
    if text.problem is not None:
        report = Report([text.problem])
    else:
        report = _check(validator, text.value, questions, restrictions)
    answer = report.to_dict()
    paths = [issue.path for issue in report.issues] + [change.path for change in report.changes]
    answer["format"] = text.format
    answer["lines"] = {
        path: text.line_of(path) for path in dict.fromkeys(paths) if path[:1] in ("", "/")
    }
    return answer


def _check(
    validator: Validator, body: Any, questions: Any, restrictions: Any, decoded: bool = False
) -> Report:
    """``decoded``: ``body`` is the request's own, as its JSON decoder made it."""
    try:
        check = validator._check_decoded if decoded else validator.check
        return check(body, questions=questions, restrictions=restrictions)
    except ContextError as exc:
        raise BadRequest("CONTEXT.INVALID", str(exc)) from None
