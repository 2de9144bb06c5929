"""The public entry points: :class:`Validator`, and ``check``/``prepare`` on a default one.

Data flows one way: spec → plan (built once per Validator) and the fast path's
strict schema (built from the plan) → a body proven wire-ready in jsonschema-rs,
or walked where it is not (JSON-ness, normalisation, domain rules) → the schema
engine on the wire copy (only for details when it is not proven) → one Report.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

from .context import Ctx, Path
from .docorder import document_order
from .issues import EXCERPT_CHARS, ContextError, PayloadError, Report, clean_report
from .jsondata import unicode_issues

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    from ._artifacts import ColdProof
    from .answer_dates import AnswerDates
    from .engine import Engine
    from .fastpath import FastPath
    from .operation import Operation
    from .plan import Walker
    from .spec import SpecInfo


# The rules, the plan compiler, the fast path and the schema engine are imported when
# a Validator is built (``Validator._build``): a cold start whose bodies the cached
# proof takes (``_artifacts``) never imports them.

__all__ = ["Validator", "check", "default_validator", "prepare"]

SpecArg: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | None"

#: ``engine.ENGINES``, named here so that a cold start need not import the engine module
#: (a test checks the two agree)
ENGINES = ("rust", "python")


class _Job:
    """The job context of one call: compiled questions and restrictions (or None)."""

    __slots__ = ("questions", "restrictions")

    def __init__(self, questions: Any, restrictions: Any) -> None:
        self.questions = questions
        self.restrictions = restrictions


_NO_JOB = _Job(None, None)

#: a string (value or key) this long that the rules already reported an error at is not
#: handed to the schema engine: its errors each copy the instance (jsonschema-rs aborted
#: the process on a 50 MB key), and python-jsonschema's messages quote it whole
HUGE_CHARS = 100_000


def _without_huge_reported(wire: Any, ctx: Ctx) -> Any:
    """``wire`` for the schema engine: where an error was reported at a string value of
    :data:`HUGE_CHARS` or more, its first characters instead; where an issue (an
    unknown key's warning, say) was reported at such a key, the object without that key
    (copies along the way; ``wire`` itself unchanged).

    The engine's errors at or above a reported error are dropped anyway (``covers``);
    a string has nothing below it; what a rule said of a key it has said: only the
    engine's verdicts on huge strings are skipped. Normal input has none, and is
    handed over as it is."""
    out = wire
    for issue, path in zip(ctx.issues, ctx.paths, strict=True):
        if not path:
            continue
        last = path[-1]
        huge_key = type(last) is str and len(last) >= HUGE_CHARS
        if not huge_key and issue.severity != "error":
            continue
        parents: list[Any] = []
        node = out
        for part in path:
            parents.append(node)
            if type(node) is dict and part in node:
                node = node[part]
            elif type(node) is list and type(part) is int and 0 <= part < len(node):
                node = node[part]
            else:
                break
        else:
            if not huge_key and not (type(node) is str and len(node) >= HUGE_CHARS):
                continue
            # copy the containers from the root down to the one holding the value
            copies = [p.copy() for p in parents]
            for parent, part, child in zip(copies, path, copies[1:], strict=False):
                parent[part] = child
            if huge_key:
                del copies[-1][last]
            else:
                copies[-1][last] = node[:EXCERPT_CHARS]
            out = copies[0]
    return out


class Validator:
    """Checks and normalises the request bodies of one operation of an OpenAPI document.

    ``spec`` is None (the bundled document), a path to a YAML or JSON OpenAPI
    document, or a parsed mapping; ``operation`` an operationId
    (``"PostAtsCandidates"``) or ``"METHOD /path"`` of it (None: Create
    application). What the operation means — its schema, its parameters, where
    screening answers and attachments go — is its :class:`Operation` profile
    (:attr:`operation`). Everything derived from it is built here, once; a
    Validator is immutable, thread-safe and picklable. ``fast_path=False`` walks
    every body in Python (the results are the same; for tests and comparisons).
    """

    __slots__ = (
        "_cached",
        "_cold",
        "_dates",
        "_engine",
        "_fast",
        "_info",
        "_op",
        "_sizes",
        "_spec_arg",
        "_walk",
        "engine_name",
    )

    #: None until first needed after a cold start (then made from ``_cached``)
    _info: SpecInfo | None
    #: a cold start's spec cache entry, until the SpecInfo is made from it
    _cached: dict[str, Any] | None
    _op: Operation
    _spec_arg: Any
    _walk: Walker
    _engine: Engine
    _fast: FastPath | None
    _dates: AnswerDates
    #: the attachments' total size warning: (limit, where, the attachment rule's total)
    _sizes: tuple[int | None, str | None, str]
    #: until the first body it cannot prove: the cached proof (``_artifacts``), the
    #: rest not built yet; then None
    _cold: ColdProof | None
    engine_name: str

    def __init__(
        self,
        spec: SpecArg = None,
        *,
        operation: str | None = None,
        engine: str = "rust",
        validate_spec: bool = False,
        fast_path: bool = True,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        setattr_ = object.__setattr__
        setattr_(self, "engine_name", engine)
        setattr_(self, "_cold", None)
        setattr_(self, "_cached", None)
        names = None
        if (
            engine == "rust"
            and fast_path
            and not validate_spec
            and (spec is None or isinstance(spec, (str, os.PathLike)))
        ):
            from . import _artifacts, _cache

            names = _artifacts.names(spec, operation)
            cold = None if names is None else _artifacts.load(names[1])
            cached = None if cold is None else _cache.read(names[0])  # type: ignore[index]
            if cold is not None and cached is not None:
                # this spec file was built before: the SpecInfo and the rest on first need
                setattr_(self, "_spec_arg", (None if spec is None else os.fspath(spec), operation))
                setattr_(self, "_info", None)
                setattr_(self, "_cached", cached)
                setattr_(self, "_fast", None)
                setattr_(self, "_cold", cold)
                return
        from .spec import load_spec

        setattr_(self, "_info", load_spec(spec, operation=operation, validate_spec=validate_spec))
        setattr_(self, "_spec_arg", (None if spec is None else _picklable(spec), operation))
        self._build(engine, fast_path)
        if names is not None:
            from .fastcopy import generate_copy
            from .fastpath import MAX_FAST_BYTES

            assert self._fast is not None
            root = self._fast.root
            copy = generate_copy(root, MAX_FAST_BYTES)
            _artifacts.store(names[1], root.strict, copy, MAX_FAST_BYTES)

    def _spec_info(self) -> SpecInfo:
        """The loaded spec; a cold start makes it from the spec cache's entry it read."""
        info = self._info
        if info is None:
            with _build_lock:
                info = self._info
                if info is None:
                    from ._artifacts import spec_info

                    spec, operation = self._spec_arg
                    info = spec_info(spec, operation, self._cached)
                    object.__setattr__(self, "_info", info)
                    object.__setattr__(self, "_cached", None)
        return info

    def _build(self, engine: str, fast_path: bool) -> None:
        """Everything derived from the spec: the operation's profile, the plan, the
        schema engine, the fast path, the DATE answers' rule."""
        from .answer_dates import AnswerDates
        from .engine import make_engine
        from .fastpath import FastPath
        from .operation import Operation
        from .plan import compile_plan
        from .rules.attachment import DECODED_BYTES

        info = self._spec_info()
        setattr_ = object.__setattr__
        op = Operation.from_spec(info)
        setattr_(self, "_op", op)
        setattr_(self, "_sizes", (op.uploads_total_warning, op.uploads, DECODED_BYTES))
        setattr_(self, "_walk", compile_plan(info.request_schema))
        setattr_(self, "_engine", make_engine(info.request_schema, engine))
        # the fast path proves bodies in jsonschema-rs; engine="python" walks every body
        fast = FastPath(self._walk) if engine == "rust" and fast_path else None
        setattr_(self, "_fast", fast)
        setattr_(self, "_dates", AnswerDates(info.request_schema))

    def _built(self) -> None:
        """Build what the cached proof let a cold start skip (once; thread-safe)."""
        if self._cold is None:
            return
        with _build_lock:
            if self._cold is not None:
                self._build(self.engine_name, True)
                object.__setattr__(self, "_cold", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Validator is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        spec, operation = self._spec_arg
        return (_rebuild, (spec, self.engine_name, operation, self.fast_path))

    def __repr__(self) -> str:
        self._built()
        return (
            f"<Validator spec={self._spec_info().source!r} operation={str(self._op)!r} "
            f"engine={self.engine_name!r}>"
        )

    @property
    def spec(self) -> SpecInfo:
        """What was loaded from the OpenAPI document (dereferenced schemas, servers)."""
        return self._spec_info()

    @property
    def operation(self) -> Operation:
        """The operation's profile (``str()`` of it: ``"POST /ats/jobs/{job_id}/applications"``)."""
        self._built()
        return self._op

    @property
    def fast_path(self) -> bool:
        """Whether bodies are first proven wire-ready in jsonschema-rs."""
        return self._cold is not None or self._fast is not None

    @property
    def request_schema(self) -> dict[str, Any]:
        return self._spec_info().request_schema

    @property
    def answer_dates(self) -> AnswerDates:
        """How DATE screening answers are checked: by this spec's own date rule."""
        self._built()
        return self._dates

    def check(self, body: Any, *, questions: Any = None, restrictions: Any = None) -> Report:
        """Every problem in ``body`` at once, the changes, and the wire body if there is no error.

        Never raises for a bad payload; malformed ``questions``/``restrictions``, or
        either for an operation that takes no answers or attachments, raise
        :class:`ContextError`. The stages, in order: prove the body wire-ready (and
        its answers against the questions); walk what the proof did not take; the job
        context (answers, attachment restrictions) where the operation puts them; the
        size warning; the schema engine's details (not for a body past the container
        budget: ``json.too_large`` says it cannot be sent); document order.
        """
        if questions is None and restrictions is None:  # the commonest call, inlined
            cold = self._cold
            if cold is None:
                fast = self._fast
                if fast is not None:
                    wire, proven, size = fast.prove_sized(body)
                    if proven:
                        return clean_report(wire)  # nothing to say, nothing changed
                    return self._report(body, _NO_JOB, wire, proven, False, size)
            else:
                proof = cold.prove(body)
                if proof is not None:
                    return clean_report(proof)  # what the built fast path returns for it
        self._built()
        job = self._job(questions, restrictions)
        wire, proven, answered, size = self._prove(body, job)
        if proven and job.restrictions is None and (job.questions is None or answered):
            return clean_report(wire)  # nothing to say, nothing changed
        return self._report(body, job, wire, proven, answered, size)

    def _check_decoded(
        self, body: Any, *, questions: Any = None, restrictions: Any = None
    ) -> Report:
        """:meth:`check` of a body that ``json.loads`` just made and the caller gives up
        (the adapters' parsed files and requests): without a job context, a body
        already wire-ready is the report's body itself, not a copy of it; anything
        else is :meth:`check`'s answer."""
        if questions is None and restrictions is None:
            cold = self._cold
            if cold is None:
                fast = self._fast
                if fast is not None and fast.proves_decoded(body):
                    return clean_report(body)
            elif cold.proves_decoded(body):
                return clean_report(body)
        return self.check(body, questions=questions, restrictions=restrictions)

    def _report(
        self, body: Any, job: _Job, wire: Any, proven: bool | None, answered: bool, size: int
    ) -> Report:
        """The stages after the proof, for a body it did not take whole (or its answers).

        ``size``: the length of the body's marshalled form when the proof took it (0
        otherwise), which no string or key of the body exceeds."""
        ctx = Ctx()
        exact_keys = proven is not None  # the proof's marshal took the body: no str subclass
        # no string of the wire body can be huge: the walk's strings are the body's, a
        # case mapping at most 3 times as long, base64 of its bytes 4/3 (the job's own
        # strings, answers' option ids, are not the body's)
        small = exact_keys and job.questions is None and size * 3 < HUGE_CHARS
        wire, proven = self._walk_unproven(body, wire, proven, ctx)
        if isinstance(wire, dict):
            if job.questions is not None and not answered:
                self._answers(wire, job.questions, proven, ctx)
            if job.restrictions is not None:
                where = self._op.uploads
                job.restrictions.check_uploads(wire.get(where), ctx, (where,))
        self._size_warning(wire, ctx)
        # past the container budget (json.too_large) the copy is cut short, and the
        # engine's errors would each carry a copy of a 100,000-container instance
        if not proven and ctx.budget >= 0:
            self._schema_details(wire, ctx, small)
        return Report(
            document_order(body, ctx, exact_keys),
            ctx.changes,
            wire if isinstance(wire, dict) else None,
        )

    # -- the stages of check --------------------------------------------------------------

    def _job(self, questions: Any, restrictions: Any) -> _Job:
        """The job context, compiled (or ContextError), where the operation takes it."""
        if questions is None and restrictions is None:
            return _NO_JOB
        op = self._op
        if questions is not None and op.answers is None:
            raise ContextError(
                f"{op} takes no screening question answers: questions= does not apply"
            )
        if restrictions is not None and op.uploads is None:
            raise ContextError(f"{op} uploads no attachments: restrictions= does not apply")
        return _Job(
            None if questions is None else _coerce_questions(questions),
            None if restrictions is None else _coerce_restrictions(restrictions),
        )

    def _prove(self, body: Any, job: _Job) -> tuple[Any, bool | None, bool, int]:
        """(wire copy, proven, answers proven, the body's marshalled size): proven None
        when the fast path did not take the body (no fast path, or not plain JSON data)."""
        fast = self._fast
        if fast is None:
            return None, None, False, 0
        wire, proven, size = fast.prove_sized(body)
        answered = False
        if proven and job.questions is not None:
            given = wire.get(self._op.answers)
            answered = type(given) is list and job.questions.proves(given, self._dates.strict)
        return wire, proven, answered, size

    def _walk_unproven(
        self, body: Any, wire: Any, proven: bool | None, ctx: Ctx
    ) -> tuple[Any, bool]:
        """The whole body walked (not taken by the proof), or only what failed it."""
        if proven is None:
            wire = self._walk(body, (), ctx, 0)
            # a proof (and so a repair) needs a body without lone surrogates: only here
            unicode_issues(wire, (), ctx)
            return wire, False
        if not proven:
            assert self._fast is not None
            wire = self._fast.repair(body, wire, ctx)
        return wire, proven

    def _answers(self, wire: dict[str, Any], questions: Any, proven: bool, ctx: Ctx) -> None:
        """The answers checked against the job's questions (replaced by their wire form)."""
        where = self._op.answers
        assert where is not None
        given = wire.get(where)
        # proven: the answers' proof was tried above, and failed
        if not proven and type(given) is list and questions.proves(given, self._dates.strict):
            return
        answers = questions.check_answers(
            given, ctx, (where,), date_check=self._dates.check, date_wire=self._dates.wire
        )
        if answers is not None:
            if given is not None:
                _replaced_strings(given, answers, ctx, where)
            wire[where] = answers

    def _size_warning(self, wire: Any, ctx: Ctx) -> None:
        limit, where, name = self._sizes
        total = ctx.totals.get(name, 0)
        if limit is None or total <= limit:
            return
        at: Path = (
            (where,) if where is not None and isinstance(wire, dict) and where in wire else ()
        )
        ctx.warning(
            at,
            "attachments.too_large",
            f"attachments total {total:,} bytes decoded; Kombo recommends staying under {limit:,}",
        )

    def _schema_details(self, wire: Any, ctx: Ctx, small: bool = False) -> None:
        """The schema engine's errors, where no rule said something more precise.

        ``small``: no string or key of ``wire`` can be :data:`HUGE_CHARS` long."""
        try:
            if not small:
                wire = _without_huge_reported(wire, ctx)
            if self._engine.is_valid(wire):
                return
            from .schema_errors import issues_from

            reported = ctx.error_tree()
            for path, code, message in issues_from(
                self._engine.iter_errors(wire), self._spec_info().request_schema
            ):
                if reported.covers(path):
                    continue  # an error at or below it already says what is wrong
                ctx.error(path, code, message)
                reported.add(path)
        except Exception as exc:  # an engine must never turn a bad payload into a traceback
            ctx.error((), "schema.engine_error", f"the schema engine failed: {type(exc).__name__}")

    def prepare(
        self, body: Any, *, questions: Any = None, restrictions: Any = None
    ) -> dict[str, Any]:
        """The wire-ready dict, or :class:`PayloadError` with ``.issues`` (the errors)."""
        report = self.check(body, questions=questions, restrictions=restrictions)
        if report.body is None:
            raise PayloadError(report.errors)
        return report.body


def _coerce_questions(questions: Any) -> Any:
    if questions is None:
        return None
    global _questions_coerce
    coerce = _questions_coerce
    if coerce is None:  # imported once: ``from`` a package runs Python code each time
        from .questions import Questions

        coerce = _questions_coerce = Questions.coerce
    return coerce(questions)


_questions_coerce: Any = None


def _coerce_restrictions(restrictions: Any) -> Any:
    if restrictions is None:
        return None
    from .restrictions import Restrictions

    return Restrictions.coerce(restrictions)


def _replaced_strings(given: list[Any], answers: list[Any], ctx: Ctx, where: str) -> None:
    """Lone surrogates in the answers the questions replaced (an option name by its id):
    the job's strings, not the body's, so no scan of the body has seen them."""
    for i, (old, new) in enumerate(zip(given, answers, strict=True)):
        if new is not old:
            unicode_issues(new.get("answer"), (where, i, "answer"), ctx)


def _picklable(spec: Any) -> Any:
    if isinstance(spec, Mapping):
        import copy

        return copy.deepcopy(dict(spec))
    return os.fspath(spec)


def _rebuild(spec: Any, engine: str, operation: str | None, fast_path: bool) -> Validator:
    return Validator(spec, operation=operation, engine=engine, fast_path=fast_path)


_build_lock = threading.RLock()  # a build loads the SpecInfo under it too
_default: Validator | None = None
_default_lock = threading.Lock()


def default_validator() -> Validator:
    """The Validator for the bundled spec, built on first use (thread-safe)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Validator()
    return _default


def check(body: Any, *, questions: Any = None, restrictions: Any = None) -> Report:
    """:meth:`Validator.check` with the bundled spec."""
    return default_validator().check(body, questions=questions, restrictions=restrictions)


def prepare(body: Any, *, questions: Any = None, restrictions: Any = None) -> dict[str, Any]:
    """:meth:`Validator.prepare` with the bundled spec."""
    return default_validator().prepare(body, questions=questions, restrictions=restrictions)
