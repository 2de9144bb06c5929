"""The loaded spec's write operations: names, routes, and a Validator for each, built on
first use (thread-safe) and kept.

The proxy asks :meth:`Registry.route` which operation a request reaches (the httpx
transport's route matching: :func:`~kombo_validate.httpx.normalise_path`, and a
path that differs from an operation's only in case, ``;`` parameters or empty
segments refused as ``path.ambiguous``); the check API asks :meth:`Registry.find`
by name.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..api import Validator
from ..httpx import _loosened, _route, normalise_path
from ..issues import ContextError, Issue, PayloadError, SpecError, excerpt
from ..spec import OperationRef, load_document, names_operation, write_operations
from .config import ConfigError, ServiceConfig, read_data_file

__all__ = ["Context", "Registry", "Route"]


class Route(NamedTuple):
    ref: OperationRef
    exact: re.Pattern[str]
    loose: re.Pattern[str]


class Context(NamedTuple):
    """The job context from ``--questions``/``--restrictions``, compiled once."""

    #: job id (and ``remote:`` + remote id) → that job's questions
    by_job: Mapping[str, Any]
    #: questions for every job (a bare screening_questions list was given), or None
    every_job: Any
    restrictions: Any


def _literal_chars(template: str) -> int:
    return len(re.sub(r"\{[^{}]+\}", "", template))


class Registry:
    """The write operations of ``config.spec`` (None: the bundled spec)."""

    def __init__(self, config: ServiceConfig) -> None:
        self.spec = config.spec
        try:
            doc, self.source = load_document(config.spec)
        except SpecError as exc:
            raise ConfigError(f"--spec {exc}") from None
        self.refs = tuple(write_operations(doc))
        if not self.refs:
            raise ConfigError(f"--spec {self.source}: it has no write operation with a JSON body")
        routes = [
            Route(ref, _route(ref.path), _route(ref.path, re.IGNORECASE)) for ref in self.refs
        ]
        # the most specific template first, where two could take one path
        routes.sort(key=lambda r: -_literal_chars(r.ref.path))
        self._routes: dict[str, list[Route]] = {}
        for route in routes:
            self._routes.setdefault(route.ref.method.upper(), []).append(route)
        self._validators: dict[str, Validator] = {}
        self._lock = threading.Lock()
        self.default = self._default_ref()
        self.context = self._context(config)
        if self.default is not None:
            self.validator(self.default)  # a spec error shows at start, not at the first call

    def _default_ref(self) -> OperationRef | None:
        """Create application when the spec has it, else its only write operation."""
        for ref in self.refs:
            if ref.id == "PostAtsJobsJobIdApplications" or (
                ref.method == "post" and ref.path == "/ats/jobs/{job_id}/applications"
            ):
                return ref
        return self.refs[0] if len(self.refs) == 1 else None

    # -- names ---------------------------------------------------------------------------

    def find(self, name: str) -> OperationRef:
        """The operation ``name`` (operationId or ``METHOD /path``) names, or LookupError."""
        for ref in self.refs:
            if names_operation(name, ref.id, ref.method, ref.path):
                return ref
        shown = ", ".join(ref.id or f"{ref.method.upper()} {ref.path}" for ref in self.refs[:8])
        more = f" and {len(self.refs) - 8} more (GET /v1/operations)" if len(self.refs) > 8 else ""
        raise LookupError(
            f"operation {excerpt(name)} is no write operation of the spec: it has {shown}{more}"
        )

    def validator(self, ref: OperationRef) -> Validator:
        """The Validator of ``ref`` (built once; SpecError when the spec cannot give one)."""
        key = f"{ref.method} {ref.path}"
        found = self._validators.get(key)
        if found is None:
            with self._lock:
                found = self._validators.get(key)
                if found is None:
                    found = Validator(self.spec, operation=f"{ref.method.upper()} {ref.path}")
                    self._validators[key] = found
        return found

    # -- routes --------------------------------------------------------------------------

    def route(self, method: str, raw_path: str) -> OperationRef | None:
        """The write operation a request with this method and raw path (no query) reaches,
        None for any other request, or PayloadError (``path.ambiguous``)."""
        routes = self._routes.get(method.upper())
        if not routes:
            return None
        path = normalise_path(raw_path)
        for route in routes:
            if route.exact.match(path):
                return route.ref
        loose = _loosened(path)
        for route in routes:
            if route.loose.match(loose):
                ref = route.ref
                message = (
                    f"{method.upper()} {excerpt(path)} differs from {ref.path} only in case, "
                    "';' parameters or empty segments, so whether it reaches that operation "
                    "depends on the server: it is not sent unchecked; send the exact path"
                )
                raise PayloadError([Issue("", "path.ambiguous", message)])
        return None

    # -- job context ---------------------------------------------------------------------

    def _context(self, config: ServiceConfig) -> Context:
        by_job: dict[str, Any] = {}
        every_job = restrictions = None
        if config.questions is not None:
            by_job, every_job = questions_by_job(read_data_file(config.questions, "--questions"))
        if config.restrictions is not None:
            from ..restrictions import Restrictions

            data = read_data_file(config.restrictions, "--restrictions")
            inner = data.get("data") if isinstance(data, dict) else None
            if isinstance(inner, dict) and "attachment_restrictions" in inner:
                data = inner["attachment_restrictions"]  # the whole action response
            try:
                restrictions = Restrictions.coerce(data)
            except ContextError as exc:
                raise ConfigError(f"--restrictions {config.restrictions}: {exc}") from None
        return Context(by_job, every_job, restrictions)


def questions_by_job(data: Any) -> tuple[dict[str, Any], Any]:
    """``(job id → compiled questions, questions for every job)`` from a ``--questions``
    document: a ``GET /ats/jobs`` response (or its ``data``), a list of jobs, one job
    (each job under its ``id`` and ``remote:`` + its ``remote_id``), or a bare
    ``screening_questions`` list (for every job)."""
    from ..questions import Questions

    jobs: Any = None
    if isinstance(data, dict):
        inner = data.get("data")
        results = (inner if isinstance(inner, dict) else data).get("results")
        if isinstance(results, list):
            jobs = results
        elif "screening_questions" in data:
            jobs = [data]
    elif (
        isinstance(data, list)
        and data
        and all(isinstance(job, dict) and "screening_questions" in job for job in data)
    ):
        jobs = data
    try:
        if jobs is None:
            return {}, Questions.coerce(data)
        by_job: dict[str, Any] = {}
        for job in jobs:
            if not isinstance(job, dict) or "screening_questions" not in job:
                continue
            compiled = Questions.coerce(job["screening_questions"])
            if isinstance(job.get("id"), str):
                by_job[job["id"]] = compiled
            if isinstance(job.get("remote_id"), str):
                by_job["remote:" + job["remote_id"]] = compiled
        return by_job, None
    except ContextError as exc:
        raise ConfigError(f"--questions: {exc}") from None
