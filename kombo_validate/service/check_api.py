"""The check API: ``POST /v1/check``, ``POST /v1/prepare``, ``GET /v1/operations``,
``GET /healthz`` and the service's own ``GET /openapi.json``.

``/v1/check`` and ``/v1/prepare`` take ``{"operation"?, "body", "questions"?,
"restrictions"?}`` and answer the :class:`Report` as JSON (``operation``, ``ok``,
``issues``, ``changes``, ``body``: the wire body, or null). ``/v1/check`` answers 200
whatever the verdict; ``/v1/prepare`` answers 422 when the body has errors. A request
that cannot be checked at all (not JSON, the wrong shape, an unknown operation,
malformed questions or restrictions, too large) is a 400 (413) with
``{"error": {"code", "message"}}``; never a 500.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..issues import ContextError, SpecError
from ..responses import parse_json
from .errors import json_bytes
from .proxy import THREAD_BYTES, BodyTooLarge, ClientGone, read_body
from .registry import Registry

__all__ = ["API_PATHS", "CheckAPI"]

API_PATHS = frozenset({"/v1/check", "/v1/prepare", "/v1/operations", "/healthz", "/openapi.json"})
_FIELDS = ("operation", "body", "questions", "restrictions")


class BadRequest(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(json_bytes(payload), status, media_type="application/json")


def _error(exc: BadRequest) -> Response:
    headers = {"Connection": "close"} if exc.status == 413 else None
    payload = {"error": {"code": exc.code, "message": exc.message}}
    return Response(json_bytes(payload), exc.status, headers, "application/json")


class CheckAPI:
    """The endpoints, over one :class:`Registry`."""

    def __init__(self, registry: Registry, limit: int, proxying: bool) -> None:
        self._registry = registry
        self._limit = limit
        self._proxying = proxying

    async def check(self, request: Request) -> Response:
        return await self._run(request, prepare=False)

    async def prepare(self, request: Request) -> Response:
        return await self._run(request, prepare=True)

    async def _run(self, request: Request, *, prepare: bool) -> Response:
        try:
            raw = await self._read(request)
            envelope = _envelope(raw)
            validator = await self._validator(envelope.get("operation"))
            args = (envelope["body"], envelope.get("questions"), envelope.get("restrictions"))
            if len(raw) >= THREAD_BYTES:
                report = await run_in_threadpool(_check, validator, *args)
            else:
                report = _check(validator, *args)
        except BadRequest as exc:
            return _error(exc)
        except ClientDisconnect:
            return Response(status_code=499)
        payload = {"operation": validator.operation.id, **report.to_dict()}
        return json_response(payload, 422 if prepare and not report.ok else 200)

    async def _read(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._limit:
            raise self._too_large()
        try:
            return await read_body(request.receive, self._limit)
        except BodyTooLarge:
            raise self._too_large() from None
        except ClientGone:
            raise ClientDisconnect from None

    def _too_large(self) -> BadRequest:
        mb = self._limit / (1024 * 1024)
        return BadRequest("REQUEST.TOO_LARGE", f"the request is larger than {mb:g} MB", 413)

    async def _validator(self, name: Any) -> Any:
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
            try:
                ref = registry.find(name)
            except LookupError as exc:
                raise BadRequest("OPERATION.UNKNOWN", str(exc)) from None
        try:
            return await run_in_threadpool(registry.validator, ref)
        except SpecError as exc:
            raise BadRequest("OPERATION.UNAVAILABLE", f"it cannot be checked: {exc}") from None

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


def _envelope(raw: bytes) -> dict[str, Any]:
    data, problem = parse_json(raw)
    if problem is not None:
        raise BadRequest("REQUEST.NOT_JSON", problem.message.replace("the body", "the request", 1))
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
    if "body" not in data:
        raise BadRequest("REQUEST.SHAPE", 'the request has no "body" (the payload to check)')
    return data


def _check(validator: Any, body: Any, questions: Any, restrictions: Any) -> Any:
    try:
        return validator.check(body, questions=questions, restrictions=restrictions)
    except ContextError as exc:
        raise BadRequest("CONTEXT.INVALID", str(exc)) from None
