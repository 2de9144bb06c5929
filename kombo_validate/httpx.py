"""httpx transports that check write requests before they leave the process.

Put one under the official SDK (or any httpx client)::

    import httpx
    from kombo import Kombo
    from kombo_validate.httpx import ValidatingTransport

    kombo = Kombo(integration_id="join:HWUTwvyx2wLoSUHphiWVrp28", api_key=KEY,
                  client=httpx.Client(transport=ValidatingTransport(spec="kombo-openapi.json")))

Every request whose method and path are those of a write operation of the spec
(``spec=``, default: the bundled document; ``operations=`` to check only some) is
checked, after any prefix of the path (``/v1``): its path parameters, the
``X-Integration-Id`` header and the JSON body, by that operation's
:class:`~kombo_validate.Validator` (built on the first such request, then kept).
Any error raises :class:`~kombo_validate.PayloadError` and nothing is sent;
otherwise a new request goes out with the normalised body, encoded as the SDK
encodes it (``json.dumps(body, separators=(",", ":"))``: compact, ASCII with
``\\uXXXX`` escapes, so a body that needed no change goes out byte for byte as
the SDK made it) and a matching ``Content-Length``. Every other request (a GET,
an operation of no JSON body, another host's API) passes through untouched.

A transport replaces the client's own (``verify``, ``proxy``, ``retries``,
``http2`` are options of ``httpx.HTTPTransport``): pass a configured one as ``inner``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import unquote

try:
    import httpx
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kombo_validate.httpx needs httpx: pip install 'kombo_validate[httpx]'"
    ) from exc

from .api import Validator
from .issues import Issue, PayloadError, Report, excerpt
from .request import RequestPlan, integration_id_issues, path_param_issues, request_plan
from .responses import parse_json
from .routing import Match, OperationTable, Route, normalise_path, operation_table

__all__ = ["AsyncValidatingTransport", "ValidatingTransport", "encode_body", "normalise_path"]

QuestionsArg = Mapping[str, Any] | Callable[[str], Any] | None
RestrictionsArg = Any


def encode_body(body: Any) -> bytes:
    """The wire bytes of a body, exactly as the official SDK encodes JSON bodies."""
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


class _Guard:
    """What both transports share: matching, checking and rebuilding one request."""

    __slots__ = ("_on_report", "_questions", "_restrictions", "_table")

    def __init__(
        self,
        spec: Any,
        operations: Iterable[str] | None,
        questions: QuestionsArg,
        restrictions: RestrictionsArg,
        validator: Validator | None,
        on_report: Callable[[Report], None] | None,
    ) -> None:
        from .questions import Questions
        from .restrictions import Restrictions

        if validator is not None:
            if spec is not None or operations is not None:
                raise TypeError("pass validator= (one operation) or spec=/operations=, not both")
            self._table = OperationTable.single(validator)
        elif operations is None:
            self._table = operation_table(spec)  # shared: each Validator is built once
        else:
            self._table = OperationTable(spec, operations=operations)
        self._on_report = on_report
        if questions is None or (callable(questions) and not isinstance(questions, Mapping)):
            self._questions: QuestionsArg = questions
        elif isinstance(questions, Mapping) and "screening_questions" in questions:
            raise TypeError(
                "questions must map job ids to questions; this looks like one job object: "
                "pass {job['id']: job} (or 'remote:' + its remote id)"
            )
        elif isinstance(questions, Mapping) and not isinstance(questions, Questions):
            # compiled once, now: a malformed job's questions fail here, not mid-request
            self._questions = {
                str(job): None if q is None else Questions.coerce(q) for job, q in questions.items()
            }
        else:
            raise TypeError(
                "questions must map job ids to that job's questions, or be a callable "
                "job_id -> questions or None (for one job: {job_id: questions})"
            )
        if restrictions is None or callable(restrictions):
            self._restrictions: RestrictionsArg = restrictions
        else:
            self._restrictions = Restrictions.coerce(restrictions)

    def match(self, request: httpx.Request) -> Match | None:
        """The checked operation ``request`` is, with its raw path parameters, or None.

        The path is matched as a router matches it (:func:`normalise_path`: a trailing
        ``/`` and ``%6F`` for ``o`` make no difference). A path that differs from a
        checked operation's only in case, ``;`` parameters or doubled slashes may or
        may not reach it, depending on the server: :class:`PayloadError`
        (``path.ambiguous``), nothing is sent.
        """
        raw = request.url.raw_path.decode("ascii", "replace")
        method = request.method.upper()
        try:
            return self._table.router.match(method, raw, request.url.fragment)
        except LookupError as exc:
            route: Route = exc.args[0]
            path = normalise_path(raw.split("?", 1)[0])
            raise PayloadError([_ambiguous(route, path)]) from None

    def rebuild(self, request: httpx.Request, found: Match, content: bytes) -> httpx.Request:
        """The request to send instead of ``request``, or :class:`PayloadError`."""
        wire = self.wire_body(found, content, request.headers.get)
        headers = request.headers.copy()
        for name in ("Content-Length", "Transfer-Encoding"):
            headers.pop(name, None)
        headers.setdefault("Content-Type", "application/json")
        return httpx.Request(
            request.method,
            request.url,
            headers=headers,
            content=wire,
            extensions=request.extensions,
        )

    def wire_body(self, found: Match, content: bytes, header: Callable[[str], str | None]) -> bytes:
        """The body to send instead of ``content`` (the request's, of the operation
        ``found``; ``header``: its header by name), or :class:`PayloadError`."""
        validator = self._table.validator(found.route.label)
        plan = request_plan(validator)
        integration = header(plan.integration.name) if plan.integration is not None else None
        errors, decoded = self._path_issues(plan, found)
        errors += integration_id_issues(integration, plan)
        body, problem = parse_json(content)
        if problem is not None:
            raise PayloadError([*errors, problem])
        op = validator.operation
        report = validator._check_decoded(  # parse_json made it: ours to send
            body,
            questions=self._questions_for(self._job_of(op, decoded, body)),
            restrictions=self._restrictions_for(integration) if op.uploads is not None else None,
        )
        if self._on_report is not None:
            self._on_report(report)
        if errors or report.body is None:
            raise PayloadError([*errors, *report.errors])
        return encode_body(report.body)

    @staticmethod
    def _path_issues(plan: RequestPlan, found: Match) -> tuple[list[Issue], dict[str, str]]:
        """Each path parameter's issues (decoded as the caller meant it), and the values."""
        errors: list[Issue] = []
        decoded: dict[str, str] = {}
        for param in plan.path_params:
            segment = found.values.get(param.name, "")
            try:
                value = unquote(segment, errors="strict")
            except UnicodeDecodeError:
                decoded[param.name] = unquote(segment, errors="replace")
                message = f"{param.noun} is not UTF-8 once decoded"
                errors.append(Issue(param.pointer, "param.format", message))
                continue
            decoded[param.name] = value
            if param.name in found.spilled:
                errors.append(_unencoded(param.pointer, param.noun, param.name, segment))
            else:
                errors += path_param_issues(param, value, plan.system)
        return errors, decoded

    def _job_of(self, op: Any, decoded: dict[str, str], body: Any) -> str | None:
        """The job id whose questions apply, where the operation names its job (None:
        no questions given, or the operation takes no answers)."""
        if self._questions is None or op.answers is None or op.job is None:
            return None
        if op.job.location == "path":
            return decoded.get(op.job.path[0])
        node = body
        for key in op.job.path:
            node = node.get(key) if isinstance(node, dict) else None
        return str.__str__(node) if isinstance(node, str) else None

    def _questions_for(self, job_id: str | None) -> Any:
        q = self._questions
        if q is None or job_id is None:
            return None
        if isinstance(q, Mapping):
            return q.get(job_id)
        return q(job_id)

    def _restrictions_for(self, integration_id: str | None) -> Any:
        r = self._restrictions
        return r(integration_id) if callable(r) else r


def _ambiguous(route: Route, path: str) -> Issue:
    return Issue(
        "",
        "path.ambiguous",
        f"{route.method} {excerpt(path)} differs from {route.path} only in "
        "case, ';' parameters or empty segments, so whether it reaches that operation "
        "depends on the server: it is not sent unchecked; send the exact path",
    )


def _unencoded(where: str, noun: str, name: str, segment: str) -> Issue:
    char = next((c for c in "/?#" if c in segment), "/")
    return Issue(
        where,
        "param.unencoded",
        f"{noun} holds an unencoded {char!r}, so the request would reach another "
        f"route: percent-encode it (pass urllib.parse.quote({name}, safe=':') to the SDK)",
    )


_Inner = TypeVar("_Inner", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _Validating(Generic[_Inner]):
    """The constructor both transports share.

    ``spec``: the OpenAPI document whose write operations are checked (None: the
    bundled one), a path or a parsed mapping; ``operations``: only these of them
    (operationIds or ``"METHOD /path"``; an unknown one raises
    :class:`~kombo_validate.SpecError` naming the closest). ``validator``: check
    exactly its operation, with it (instead of ``spec``/``operations``).

    ``questions``: a mapping job id → that job's screening questions (compiled
    once, here), or a callable ``job_id -> questions or None``; it applies to the
    operations that take answers, by the job they name — the decoded path segment
    (Create application, ``"remote:123"`` included) or the body's field (Create
    candidate's ``application.job_id``). ``restrictions``: attachment restrictions
    for every operation that uploads attachments, or a callable ``integration_id ->
    restrictions or None`` (the ``X-Integration-Id`` header). ``on_report`` is
    called with each body's :class:`Report` (warnings, changes) before the request
    is sent or refused.
    """

    _inner: _Inner

    def __init__(
        self,
        inner: _Inner | None = None,
        *,
        spec: Any = None,
        operations: Iterable[str] | None = None,
        questions: QuestionsArg = None,
        restrictions: RestrictionsArg = None,
        validator: Validator | None = None,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        self._guard = _Guard(spec, operations, questions, restrictions, validator, on_report)
        self._inner = inner if inner is not None else self._default_inner()

    def _default_inner(self) -> _Inner:
        raise NotImplementedError


class ValidatingTransport(_Validating[httpx.BaseTransport], httpx.BaseTransport):
    """Checks the spec's write requests, then hands every request to ``inner``
    (default: ``httpx.HTTPTransport()``)."""

    def _default_inner(self) -> httpx.BaseTransport:
        return httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        found = self._guard.match(request)
        if found is not None:
            request = self._guard.rebuild(request, found, request.read())
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncValidatingTransport(_Validating[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """The async twin of :class:`ValidatingTransport`, for ``httpx.AsyncClient``."""

    def _default_inner(self) -> httpx.AsyncBaseTransport:
        return httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        found = self._guard.match(request)
        if found is not None:
            request = self._guard.rebuild(request, found, await request.aread())
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
