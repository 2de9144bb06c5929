"""The public entry points: :class:`Validator`, and ``check``/``prepare`` on a default one.

Data flows one way: spec → plan (built once per Validator) and the fast path's
strict schema (built from the plan) → a body proven wire-ready in jsonschema-rs,
or walked where it is not (JSON-ness, normalisation, domain rules) → the schema
engine on the wire copy (only for details when it is not proven) → one Report.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from operator import indexOf
from typing import Any

from .context import Ctx, Path
from .engine import ENGINES, Engine, make_engine
from .fastpath import FastPath, strict_leaf
from .issues import Issue, PayloadError, Report, clean_report, excerpt
from .jsondata import unicode_issues
from .plan import Walker, compile_plan
from .rules import Where
from .rules.attachments import TOTAL_SIZE_WARNING_BYTES
from .rules.dates import make_date_plain, make_date_rule
from .schema_errors import issues_from
from .spec import SpecInfo, load_spec

__all__ = ["Validator", "check", "default_validator", "prepare"]

SpecArg = str | os.PathLike[str] | Mapping[str, Any] | None
_ANSWERS = "screening_question_answers"
_ATTACHMENTS = "attachments"


class Validator:
    """Checks and normalises Create-application bodies against one OpenAPI document.

    ``spec`` is None (the bundled document), a path to a YAML or JSON OpenAPI
    document, or a parsed mapping. Everything derived from it is built here,
    once; a Validator is immutable, thread-safe and picklable.
    """

    __slots__ = (
        "_answers_date",
        "_date_plain",
        "_date_rule",
        "_engine",
        "_fast",
        "_info",
        "_spec_arg",
        "_walk",
        "engine_name",
    )

    _info: SpecInfo
    _spec_arg: Any
    _walk: Walker
    _engine: Engine
    _fast: FastPath | None
    _date_rule: Callable[[str, Path, Ctx], str]
    _date_plain: Callable[[str], bool] | None
    _answers_date: dict[str, Any] | bool
    engine_name: str

    def __init__(
        self, spec: SpecArg = None, *, engine: str = "rust", validate_spec: bool = False
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        info = load_spec(spec, validate_spec=validate_spec)
        object.__setattr__(self, "_info", info)
        object.__setattr__(self, "_spec_arg", None if spec is None else _picklable(spec))
        object.__setattr__(self, "engine_name", engine)
        object.__setattr__(self, "_walk", compile_plan(info.request_schema))
        object.__setattr__(self, "_engine", make_engine(info.request_schema, engine))
        # the fast path proves bodies in jsonschema-rs; engine="python" walks every body
        object.__setattr__(self, "_fast", FastPath(self._walk) if engine == "rust" else None)
        date_schema = _date_schema(info.request_schema)
        object.__setattr__(self, "_date_rule", make_date_rule(date_schema))
        object.__setattr__(self, "_date_plain", make_date_plain(date_schema))
        # DATE answers in the form _date_check takes silently, for Questions.proves: the
        # fast path's strict schema of the spec's date string (False: never proven)
        object.__setattr__(self, "_answers_date", strict_leaf(date_schema, Where()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Validator is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._spec_arg, self.engine_name))

    def __repr__(self) -> str:
        return (
            f"<Validator spec={self._info.source!r} operation={self.operation!r} "
            f"engine={self.engine_name!r}>"
        )

    @property
    def spec(self) -> SpecInfo:
        """What was loaded from the OpenAPI document (dereferenced schemas, servers)."""
        return self._info

    @property
    def operation(self) -> str:
        return f"{self._info.method.upper()} {self._info.path}"

    @property
    def request_schema(self) -> dict[str, Any]:
        return self._info.request_schema

    def check(self, body: Any, *, questions: Any = None, restrictions: Any = None) -> Report:
        """Every problem in ``body`` at once, the changes, and the wire body if there is no error.

        Never raises for a bad payload; malformed ``questions``/``restrictions``
        raise :class:`ContextError`.
        """
        qs = None if questions is None else _coerce_questions(questions)
        rs = None if restrictions is None else _coerce_restrictions(restrictions)
        fast = self._fast
        wire: Any = None
        proven: bool | None = None
        answered = False  # the answers proven against qs
        if fast is not None:
            wire, proven = fast.prove(body)
            if proven and qs is not None:
                given = wire.get(_ANSWERS)
                answered = type(given) is list and qs.proves(given, self._answers_date)
            if proven and rs is None and (qs is None or answered):
                return clean_report(wire)  # nothing to say, nothing changed
        ctx = Ctx()
        exact_keys = proven is not None  # the proof's marshal took the body: no str subclass
        if proven is None:
            wire, proven = self._walk(body, (), ctx, 0), False
            # a proof (and so a repair) needs a body without lone surrogates: only here
            unicode_issues(wire, (), ctx)
        elif fast is not None and not proven:
            wire = fast.repair(body, wire, ctx)
        if isinstance(wire, dict):
            if qs is not None and not answered:
                given = wire.get(_ANSWERS)
                # proven: the answers' proof was tried above, and failed
                if proven or not (type(given) is list and qs.proves(given, self._answers_date)):
                    answers = qs.check_answers(given, ctx, (_ANSWERS,), date_check=self._date_check)
                    if answers is not None:
                        if given is not None:
                            _replaced_strings(given, answers, ctx)
                        wire[_ANSWERS] = answers
            if rs is not None:
                rs.check_attachments(wire.get(_ATTACHMENTS), ctx, (_ATTACHMENTS,))
        if ctx.attachment_bytes > TOTAL_SIZE_WARNING_BYTES:
            where: Path = (_ATTACHMENTS,) if isinstance(wire, dict) and _ATTACHMENTS in wire else ()
            ctx.warning(
                where,
                "attachments.too_large",
                f"attachments total {ctx.attachment_bytes:,} bytes decoded; Kombo recommends "
                f"staying under {TOTAL_SIZE_WARNING_BYTES:,}",
            )
        try:
            if not proven and not self._engine.is_valid(wire):
                self._schema_issues(wire, ctx)
        except Exception as exc:  # an engine must never turn a bad payload into a traceback
            ctx.error((), "schema.engine_error", f"the schema engine failed: {type(exc).__name__}")
        return Report(
            _document_order(body, ctx, exact_keys),
            ctx.changes,
            wire if isinstance(wire, dict) else None,
        )

    def prepare(
        self, body: Any, *, questions: Any = None, restrictions: Any = None
    ) -> dict[str, Any]:
        """The wire-ready dict, or :class:`PayloadError` with ``.issues`` (the errors)."""
        report = self.check(body, questions=questions, restrictions=restrictions)
        if report.body is None:
            raise PayloadError(report.errors)
        return report.body

    def _schema_issues(self, wire: Any, ctx: Ctx) -> None:
        reported = ctx.error_tree()
        for path, code, message in issues_from(
            self._engine.iter_errors(wire), self._info.request_schema
        ):
            if reported.covers(path):
                continue  # an error at or below it already says what is wrong, more precisely
            ctx.error(path, code, message)
            reported.add(path)

    def _date_check(self, value: str) -> str | None:
        """For DATE answers: an error message unless ``value`` is in the spec's date form."""
        if self._date_plain is not None and self._date_plain(value):
            return None  # the date rule would leave it alone and say nothing
        probe = Ctx()
        after = self._date_rule(value, (), probe)
        if probe.issues:
            return probe.issues[0].message
        if after != value:  # convertible (a UTC offset), but not the form the API takes
            return f"{excerpt(value)} is not in the API's date form; in UTC it is {after!r}"
        return None


def _date_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The spec's own date schema: the first string schema with a date format (for DATE answers)."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("format") in ("date-time", "date") and "pattern" in node:
                return node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return {"type": "string", "format": "date-time"}


def _coerce_questions(questions: Any) -> Any:
    if questions is None:
        return None
    from .questions import Questions

    return Questions.coerce(questions)


def _coerce_restrictions(restrictions: Any) -> Any:
    if restrictions is None:
        return None
    from .restrictions import Restrictions

    return Restrictions.coerce(restrictions)


def _replaced_strings(given: list[Any], answers: list[Any], ctx: Ctx) -> None:
    """Lone surrogates in the answers the questions replaced (an option name by its id):
    the job's strings, not the body's, so no scan of the body has seen them."""
    for i, (old, new) in enumerate(zip(given, answers, strict=True)):
        if new is not old:
            unicode_issues(new.get("answer"), (_ANSWERS, i, "answer"), ctx)


def _document_order(body: Any, ctx: Ctx, exact_keys: bool) -> list[Issue]:
    if len(ctx.issues) < 2:
        return ctx.issues
    key = _Order(exact_keys).key
    paths = ctx.paths
    if len(paths) > _FEW:  # many issues, mostly in order already: then no key is kept
        last = key(body, paths[0])
        for n in range(1, len(paths)):
            here = key(body, paths[n])
            if here < last:
                break
            last = here
        else:
            return ctx.issues
    keys = [key(body, path) for path in paths]
    return [ctx.issues[i] for i in sorted(range(len(paths)), key=keys.__getitem__)]


#: up to this many issues, their keys are computed once and sorted, in order or not
_FEW = 256


#: the index of a path part that is in no container (after every real one)
_NOWHERE = 1 << 30


class _Order:
    """The position of each issue's path in the input, for sorting into document order.

    Linear in the body and the issues: each issue's parent is looked up once (the
    10^6 issues of one array share one), and a dict's keys are indexed once
    (``indexOf`` per issue cost the dict's length: 40,000 unknown keys took 11 s),
    except a small dict whose keys are known exact ``str`` (the proof's marshal took
    them), where ``indexOf`` in C is cheaper than an index. The input is read
    through the built-in types' own methods: a subclass's ``items``/``__getitem__``
    (or a key's ``__eq__``) is the caller's code and never runs here.
    """

    __slots__ = ("_exact", "_keys", "_parents")

    def __init__(self, exact_keys: bool) -> None:
        self._exact = exact_keys
        #: id of a dict -> its keys (as exact str) -> (position, value)
        self._keys: dict[int, dict[Any, tuple[int, Any]]] = {}
        #: the path of a parent -> (its positions, the node there)
        self._parents: dict[Path, tuple[tuple[int, ...], Any]] = {}

    def key(self, body: Any, path: Path) -> tuple[int, ...]:
        if len(path) < 3:  # walked: a slice and a lookup would cost as much
            return self._walk(body, path)[0]
        parent = path[:-1]
        found = self._parents.get(parent)
        if found is None:
            found = self._parents[parent] = self._walk(body, parent)
        return (*found[0], self._step(found[1], path[-1])[0])

    def _walk(self, node: Any, path: Path) -> tuple[tuple[int, ...], Any]:
        positions: list[int] = []
        small = self._exact  # the commonest step inlined: a small exact dict, exact keys
        for part in path:
            if small and type(node) is dict and len(node) <= 16:
                try:
                    positions.append(indexOf(node, part))  # in C, no index to build
                    node = node.get(part)
                except ValueError:
                    positions.append(len(node))
                    node = None
                continue
            index, node = self._step(node, part)
            positions.append(index)
        return tuple(positions), node

    def _step(self, node: Any, part: str | int) -> tuple[int, Any]:
        """The position of ``part`` in ``node``, and the value there (None: no value)."""
        t = type(node)
        if t is list and type(part) is int:
            return part, node[part] if 0 <= part < len(node) else None
        if t is dict or issubclass(t, dict):
            if self._exact and t is dict and len(node) <= 16:
                try:
                    return indexOf(node, part), node.get(part)  # in C, no index to build
                except ValueError:
                    return len(node), None
            return self._of(node).get(part, (dict.__len__(node), None))
        if issubclass(t, (list, tuple)) and type(part) is int:
            base: Any = list if issubclass(t, list) else tuple
            return part, base.__getitem__(node, part) if 0 <= part < base.__len__(node) else None
        return _NOWHERE, None

    def _of(self, node: dict[Any, Any]) -> dict[Any, tuple[int, Any]]:
        found = self._keys.get(id(node))
        if found is None:
            found = self._keys[id(node)] = {}
            for i, (k, v) in enumerate(dict.items(node)):
                if type(k) is not str:
                    if not issubclass(type(k), str):
                        continue  # not a key any path names
                    k = str.__str__(k)
                found.setdefault(k, (i, v))
        return found


def _picklable(spec: Any) -> Any:
    if isinstance(spec, Mapping):
        import copy

        return copy.deepcopy(dict(spec))
    return os.fspath(spec)


def _rebuild(spec: Any, engine: str) -> Validator:
    return Validator(spec, engine=engine)


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
