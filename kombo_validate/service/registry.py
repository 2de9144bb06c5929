"""The loaded spec's write operations: names, and a Validator for each, built on first
use (thread-safe) and kept — :class:`~kombo_validate.routing.OperationTable`'s, shared
with the proxy's guard (:mod:`.guards`), which also tells which operation a request is.

The check API asks :meth:`Registry.find` by name.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..api import Validator
from ..issues import ContextError, SpecError, excerpt
from ..routing import OperationTable, operation_table
from ..spec import OperationRef
from .config import ConfigError, ServiceConfig, read_data_file

__all__ = ["Context", "Registry"]

#: the operation the check API takes when a request names none (if the spec has it)
DEFAULT_OPERATION = "POST /ats/jobs/{job_id}/applications"


class Context(NamedTuple):
    """The job context from ``--questions``/``--restrictions``, compiled once."""

    #: job id (and ``remote:`` + remote id) → that job's questions
    by_job: dict[str, Any]
    #: questions for every job (a bare screening_questions list was given), or None
    every_job: Any
    restrictions: Any


class Registry:
    """The write operations of ``config.spec`` (None: the bundled spec)."""

    def __init__(self, config: ServiceConfig) -> None:
        self.spec = config.spec
        self.source = str(config.spec) if config.spec is not None else "the bundled spec"
        try:
            self.table: OperationTable = operation_table(config.spec)
        except SpecError as exc:
            raise ConfigError(f"--spec {exc}") from None
        self.refs: tuple[OperationRef, ...] = self.table.refs
        #: the Validators built so far, by label: read without a lock on the hot path
        self._ready: dict[str, Validator] = {}
        if not self.refs:
            raise ConfigError(f"--spec {self.source}: it has no write operation with a JSON body")
        self.default = self._default_ref()
        self.context = self._context(config)
        if self.default is not None:
            self.validator(self.default)  # a spec error shows at start, not at the first call

    def _default_ref(self) -> OperationRef | None:
        """Create application when the spec has it, else its only write operation."""
        label = self.table.find(DEFAULT_OPERATION)
        if label is not None:
            return self.table.ref(label)
        return self.refs[0] if len(self.refs) == 1 else None

    # -- names ---------------------------------------------------------------------------

    def find(self, name: str) -> OperationRef:
        """The operation ``name`` (operationId or ``METHOD /path``) names, or LookupError."""
        label = self.table.find(name)
        if label is not None:
            return self.table.ref(label)
        shown = ", ".join(ref.id or f"{ref.method.upper()} {ref.path}" for ref in self.refs[:8])
        more = f" and {len(self.refs) - 8} more (GET /v1/operations)" if len(self.refs) > 8 else ""
        raise LookupError(
            f"operation {excerpt(name)} is no write operation of the spec: it has {shown}{more}"
        )

    def validator(self, ref: OperationRef) -> Validator:
        """The Validator of ``ref`` (built once; SpecError when the spec cannot give one)."""
        label = f"{ref.method.upper()} {ref.path}"
        found = self.table.validator(label)
        self._ready[label] = found
        return found

    def ready(self, ref: OperationRef) -> Validator | None:
        """The Validator of ``ref`` if it is built already (no lock, no building)."""
        return self._ready.get(f"{ref.method.upper()} {ref.path}")

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
