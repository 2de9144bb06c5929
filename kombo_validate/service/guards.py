"""One write request checked on its way through the proxy: the body (and, for an
operation with a ``{job_id}`` path parameter such as Create application, the job id,
the ``X-Integration-Id`` header and the job's screening questions) — the httpx
transport's ``_Guard`` doing the work where it applies.

:meth:`OperationGuard.check` returns the request to send (its body normalised and
re-encoded as the SDK encodes JSON, with a matching ``Content-Length``) and the
:class:`Report`, or raises :class:`PayloadError`.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import httpx

from ..api import Validator
from ..httpx import _Guard, encode_body
from ..issues import PayloadError, Report
from ..request import JOB_ID
from ..responses import parse_json
from .registry import Context

__all__ = ["UNSET", "OperationGuard"]

#: no questions were fetched for this request: ``--questions`` applies
UNSET: Any = object()


class _Call:
    """What one check hands back from inside ``_Guard`` (its hooks take no request)."""

    __slots__ = ("fetched", "report")

    def __init__(self, fetched: Any) -> None:
        self.fetched = fetched
        self.report: Report | None = None


_CALL: ContextVar[_Call] = ContextVar("kombo_validate_service_call")


class OperationGuard:
    """Checks the requests of one operation (``validator``'s)."""

    def __init__(self, validator: Validator, context: Context) -> None:
        op = validator.operation
        self.operation = op
        self._v = validator
        self._context = context
        self._restrictions = context.restrictions if op.uploads is not None else None
        self._job: _Guard | None = None
        if "{" + JOB_ID + "}" in op.path:
            questions = self._questions if op.answers is not None else None
            self._job = _Guard(questions, self._restrictions, validator, self._record)

    @property
    def takes_questions(self) -> bool:
        return self._job is not None and self.operation.answers is not None

    def _questions(self, job_id: str) -> Any:
        fetched = _CALL.get().fetched
        if fetched is not UNSET:
            return fetched
        return self._context.by_job.get(job_id, self._context.every_job)

    @staticmethod
    def _record(report: Report) -> None:
        _CALL.get().report = report

    def job_id(self, request: httpx.Request) -> str | None:
        """The raw job-id path segment of ``request``, for an operation that has one."""
        found = self._job.job_id_of(request) if self._job is not None else None
        return None if found is None or found[1] else found[0]

    def check(
        self, request: httpx.Request, content: bytes, fetched: Any = UNSET
    ) -> tuple[httpx.Request, Report | None]:
        """``(request to send, report)``, or PayloadError; ``fetched``: the job's
        questions fetched for this request (None: it has none)."""
        call = _Call(fetched)
        token = _CALL.set(call)
        try:
            if self._job is not None:
                found = self._job.job_id_of(request)
                if found is not None:  # else: the body alone (Registry.route matched it)
                    return self._job.rebuild(request, found, content), call.report
            return self._body_only(request, content), call.report
        finally:
            _CALL.reset(token)

    def _body_only(self, request: httpx.Request, content: bytes) -> httpx.Request:
        body, problem = parse_json(content)
        if problem is not None:
            raise PayloadError([problem])
        report = self._v.check(body, restrictions=self._restrictions)
        _CALL.get().report = report
        if report.body is None:
            raise PayloadError(report.errors)
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
