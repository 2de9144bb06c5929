"""httpx transports that check Create-application requests before they leave the process.

Put one under the official SDK (or any httpx client)::

    import httpx
    from kombo import Kombo
    from kombo_validate.httpx import ValidatingTransport

    kombo = Kombo(integration_id="join:HWUTwvyx2wLoSUHphiWVrp28", api_key=KEY,
                  client=httpx.Client(transport=ValidatingTransport()))

A ``POST`` whose path ends with the operation's path (``/ats/jobs/{job_id}/applications``,
after any prefix such as ``/v1``) is checked: the job id in the path, the
``X-Integration-Id`` header and the JSON body. Any error raises
:class:`~kombo_validate.PayloadError` and nothing is sent; otherwise a new request
goes out with the normalised body, encoded as the SDK encodes it
(``json.dumps(body, separators=(",", ":"))``: compact, ASCII with ``\\uXXXX``
escapes, so a body that needed no change goes out byte for byte as the SDK
made it) and a matching ``Content-Length``. Every other request passes through
untouched.

A transport replaces the client's own (``verify``, ``proxy``, ``retries``,
``http2`` are options of ``httpx.HTTPTransport``): pass a configured one as ``inner``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

try:
    import httpx
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kombo_validate.httpx needs httpx: pip install 'kombo_validate[httpx]'"
    ) from exc

from .api import Validator, default_validator
from .issues import Issue, PayloadError, Report, excerpt
from .request import (
    JOB_ID,
    RequestPlan,
    integration_id_issues,
    job_id_issues,
    request_plan,
)
from .responses import parse_json

__all__ = ["AsyncValidatingTransport", "ValidatingTransport", "encode_body", "normalise_path"]

QuestionsArg = Mapping[str, Any] | Callable[[str], Any] | None
RestrictionsArg = Any


def encode_body(body: Any) -> bytes:
    """The wire bytes of a body, exactly as the official SDK encodes JSON bodies."""
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _route(template: str, flags: int = 0) -> re.Pattern[str]:
    """``.../ats/jobs/{job_id}/applications`` at the end of a raw path, after any prefix."""
    parts = re.split(r"\{([^{}]+)\}", template)
    regex = "".join(
        "(.+?)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )  # a parameter spanning segments is caught, then refused
    return re.compile(f"^(?:.*?){regex}$", flags)


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
#: RFC 3986 §2.3: a router decodes these before matching, so ``applicati%6Fns`` is ``applications``
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _decoded_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group(0)


def normalise_path(raw: str) -> str:
    """A raw request path as a router matches it (RFC 3986 §6.2.2): percent-encoded
    unreserved characters decoded, and one trailing ``/`` dropped."""
    path = _ESCAPE.sub(_decoded_unreserved, raw) if "%" in raw else raw
    return path[:-1] if len(path) > 1 and path.endswith("/") else path


def _loosened(path: str) -> str:
    """What a lenient router might also take for the same route: ``;`` parameters of a
    segment dropped and empty segments collapsed (compared ignoring case)."""
    segments = [segment.split(";", 1)[0] for segment in path.split("/")]
    return "/" + "/".join(segment for segment in segments if segment)


class _Guard:
    """What both transports share: matching, checking and rebuilding one request."""

    __slots__ = (
        "_loose",
        "_names",
        "_on_report",
        "_plan",
        "_questions",
        "_restrictions",
        "_route",
        "_v",
    )

    def __init__(
        self,
        questions: QuestionsArg,
        restrictions: RestrictionsArg,
        validator: Validator | None,
        on_report: Callable[[Report], None] | None,
    ) -> None:
        from .questions import Questions
        from .restrictions import Restrictions

        self._v = validator or default_validator()
        self._plan: RequestPlan = request_plan(self._v)
        self._route = _route(self._plan.path)
        self._loose = _route(self._plan.path, re.IGNORECASE)
        self._names = re.findall(r"\{([^{}]+)\}", self._plan.path)
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

    def job_id_of(self, request: httpx.Request) -> tuple[str, bool] | None:
        """``(raw job-id segment, spilled)`` if ``request`` is this operation, else None.

        ``spilled``: the job id left its path segment through an unencoded ``/``,
        ``?`` or ``#``, so the request would reach another route.

        The path is matched as a router matches it (:func:`normalise_path`: a trailing
        ``/`` and ``%6F`` for ``o`` make no difference). A path that differs from the
        operation's only in case, ``;`` parameters or doubled slashes may or may not
        reach it, depending on the server: :class:`PayloadError` (``path.ambiguous``),
        nothing is sent.
        """
        if request.method.upper() != self._plan.method:
            return None
        raw = request.url.raw_path.decode("ascii", "replace")
        group = 1 + self._names.index(JOB_ID)
        path = normalise_path(raw.split("?", 1)[0])
        m = self._route.match(path)
        if m is not None:
            return m.group(group), "/" in m.group(group)
        fragment = request.url.fragment
        m = self._route.match(normalise_path(raw) + ("#" + fragment if fragment else ""))
        if m is not None:
            return m.group(group), True
        if self._loose.match(_loosened(path)):
            raise PayloadError([self._ambiguous(path)])
        return None

    def _ambiguous(self, path: str) -> Issue:
        return Issue(
            "",
            "path.ambiguous",
            f"{self._plan.method} {excerpt(path)} differs from {self._plan.path} only in "
            "case, ';' parameters or empty segments, so whether it reaches that operation "
            "depends on the server: it is not sent unchecked; send the exact path",
        )

    def _unencoded(self, segment: str) -> Issue:
        char = next((c for c in "/?#" if c in segment), "/")
        return Issue(
            self._plan.job_id.pointer,
            "param.unencoded",
            f"the job id holds an unencoded {char!r}, so the request would reach another "
            "route: percent-encode it (pass urllib.parse.quote(job_id, safe=':') to the SDK)",
        )

    def rebuild(
        self, request: httpx.Request, found: tuple[str, bool], content: bytes
    ) -> httpx.Request:
        """The request to send instead of ``request``, or :class:`PayloadError`."""
        segment, spilled = found
        header = request.headers.get(self._plan.integration_id.name)
        errors = integration_id_issues(header, self._plan)
        try:
            job_id = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            job_id = unquote(segment, errors="replace")
            where = self._plan.job_id.pointer
            errors.insert(0, Issue(where, "param.format", "the job id is not UTF-8 once decoded"))
        else:
            errors[:0] = (
                [self._unencoded(segment)] if spilled else job_id_issues(job_id, self._plan)
            )
        body, problem = parse_json(content)
        if problem is not None:
            raise PayloadError([*errors, problem])
        report = self._v.check(
            body,
            questions=self._questions_for(job_id),
            restrictions=self._restrictions_for(header),
        )
        if self._on_report is not None:
            self._on_report(report)
        if errors or report.body is None:
            raise PayloadError([*errors, *report.errors])
        headers = request.headers.copy()
        for name in ("Content-Length", "Transfer-Encoding"):
            headers.pop(name, None)
        headers.setdefault("Content-Type", "application/json")
        return httpx.Request(
            request.method,
            request.url,
            headers=headers,
            content=encode_body(report.body),
            extensions=request.extensions,
        )

    def _questions_for(self, job_id: str) -> Any:
        q = self._questions
        if q is None:
            return None
        if isinstance(q, Mapping):
            return q.get(job_id)
        return q(job_id)

    def _restrictions_for(self, integration_id: str | None) -> Any:
        r = self._restrictions
        return r(integration_id) if callable(r) else r


class ValidatingTransport(httpx.BaseTransport):
    """Checks Create-application requests, then hands every request to ``inner``.

    ``questions``: a mapping job id → that job's screening questions (compiled
    once, here), or a callable ``job_id -> questions or None``. The job id is
    the decoded path segment, as passed to the SDK (``"remote:123"`` included).
    ``restrictions``: attachment restrictions for every request, or a callable
    ``integration_id -> restrictions or None`` (the ``X-Integration-Id`` header).
    ``on_report`` is called with each body's :class:`Report` (warnings, changes)
    before the request is sent or refused.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        questions: QuestionsArg = None,
        restrictions: RestrictionsArg = None,
        validator: Validator | None = None,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        self._guard = _Guard(questions, restrictions, validator, on_report)
        self._inner = inner if inner is not None else httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        found = self._guard.job_id_of(request)
        if found is not None:
            request = self._guard.rebuild(request, found, request.read())
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncValidatingTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`ValidatingTransport`, for ``httpx.AsyncClient``."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        questions: QuestionsArg = None,
        restrictions: RestrictionsArg = None,
        validator: Validator | None = None,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        self._guard = _Guard(questions, restrictions, validator, on_report)
        self._inner = inner if inner is not None else httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        found = self._guard.job_id_of(request)
        if found is not None:
            request = self._guard.rebuild(request, found, await request.aread())
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
