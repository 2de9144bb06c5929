"""A job's screening questions, checked against a body's ``screening_question_answers``.

The input is the job's ``screening_questions`` exactly as ``GET /ats/jobs``
returns them (``data.results[].screening_questions``), or the job object itself.
It is checked against ``spec/screening-questions.schema.json`` (transcribed from
Kombo's ``GetAtsJobsPositiveResponse``) and compiled once into one small,
immutable checker per question, so a job board checking thousands of
applications for one job prepares the job once.

Where issues go: problems with an answer's value are reported at its
``/answer`` (a MULTI_SELECT element at ``/answer/<j>``, a FILE's size at
``/answer/data`` and its type at ``/answer/content_type``); problems with the
question an answer names at its ``/question_id``; a missing required answer at
the answers array itself (``/screening_question_answers``, also when absent).
"""

from __future__ import annotations

import json
import marshal
import pathlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from .answer_formats import (
    LISTED_OPTIONS,
    DateCheck,
    DateWire,
    Format,
    Information,
    Run,
    Select,
    compile_format,
    kind_of,
)
from .context import Ctx, Path
from .issues import (
    EXCERPT_CHARS,
    LISTED,
    ContextError,
    excerpt,
    listing,
    pointer,
    type_name,
)
from .jsondata import plain_json
from .rules.emails import is_email
from .rules.uris import is_http_url

__all__ = [
    "FORMAT_TYPES",
    "SCHEMA_FILE",
    "DateCheck",
    "Questions",
    "is_email",
    "is_http_url",
    "schema_path",
]

SCHEMA_FILE = "screening-questions.schema.json"

#: ``format.type`` values of the spec, in its order.
FORMAT_TYPES: tuple[str, ...] = (
    "TEXT",
    "NUMBER",
    "FILE",
    "SINGLE_SELECT",
    "BOOLEAN",
    "DATE",
    "MULTI_SELECT",
    "INFORMATION",
    "UNKNOWN",
)

_TITLE_CHARS = 80


# --------------------------------------------------------------------------- schema


def schema_path() -> pathlib.Path:
    """The shipped schema: inside the wheel, else the source checkout's ``spec/``."""
    here = pathlib.Path(__file__).resolve().parent
    for candidate in (here / "_spec" / SCHEMA_FILE, here.parent / "spec" / SCHEMA_FILE):
        if candidate.is_file():
            return candidate
    raise ContextError(f"the bundled schema {SCHEMA_FILE} is missing from the installation")


@lru_cache(maxsize=1)
def _schema() -> Any:
    return json.loads(schema_path().read_text(encoding="utf-8"))


#: errors kept per branch of an ``anyOf`` (python-jsonschema keeps every one: 100,000
#: bad array elements under an ``anyOf`` of array types built 300,000 errors)
_BRANCH_ERRORS = 20
#: top-level schema errors read for the message; past it the count is given as a bound
_ERRORS_READ = 1_000


@lru_cache(maxsize=1)
def _validator() -> Any:
    """python-jsonschema: precise errors, for the message when the questions are malformed.

    Its ``anyOf`` keeps at most ``_BRANCH_ERRORS`` errors of each branch as the error's
    context (what ``best_match`` descends into), so one error costs what its first few
    causes cost, however many elements fail the same way."""
    from itertools import islice

    from jsonschema import Draft202012Validator, ValidationError
    from jsonschema.validators import extend

    def any_of(validator: Any, any_of: Any, instance: Any, schema: Any) -> Any:
        context: list[Any] = []
        for index, subschema in enumerate(any_of):
            errors = list(
                islice(validator.descend(instance, subschema, schema_path=index), _BRANCH_ERRORS)
            )
            if not errors:
                return
            context.extend(errors)
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas", context=context
        )

    return extend(Draft202012Validator, validators={"anyOf": any_of})(_schema())


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """jsonschema-rs: the quick yes (some 200× faster), so that valid questions compile fast."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema(), validate_formats=False)


#: what ``_dump`` passes on as it is: JSON's own types (and subclasses), and mappings
_PLAIN_TYPES = (dict, list, tuple, str, int, float, type(None))


def _reason(exc: BaseException) -> str:
    """An exception's message, bounded, never running more code that may raise."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    text = text if len(text) <= 200 else text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _dump(value: object) -> object:
    """Plain data from an official-SDK (pydantic) model; anything else unchanged."""
    t = type(value)
    if issubclass(t, _PLAIN_TYPES) or issubclass(t, Mapping):
        return value
    try:
        dump = getattr(value, "model_dump", None)
        if not callable(dump):
            return value
        return dump(mode="json", by_alias=True)
    except Exception as exc:
        raise ContextError(f"cannot read the {type_name(value)} given: {_reason(exc)}") from None


def _field_name(parts: Sequence[object]) -> str:
    """``format.options[0].id``: each key cut to an excerpt, the whole to a few of them."""
    out = ""
    for n, part in enumerate(parts):
        if n == 8:
            return out + "…"
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            text = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
            out += f".{text}" if out else text
    return out


def _question_name(items: Sequence[object], index: object) -> str:
    if not isinstance(index, int):
        return "questions"
    item = items[index] if 0 <= index < len(items) else None
    qid = item.get("id") if isinstance(item, Mapping) else None
    return f"screening question {index}" + (f" (id {excerpt(qid)})" if isinstance(qid, str) else "")


def _plain(items: list[object]) -> list[object]:
    """The questions as exact JSON data (``jsondata.plain_json``): a non-finite bound, a
    value that is not JSON, nesting past 64 levels are refused here, naming the place."""
    data, path, problem = plain_json(items)
    if problem is None:
        return data  # type: ignore[no-any-return]
    where = _field_name(path[1:])
    raise ContextError(
        f"{_question_name(data, path[0] if path else None)}: "
        + (f"{where}: " if where else "")
        + problem
    )


def _validate(items: list[object]) -> None:
    from jsonschema.exceptions import best_match

    try:
        if _fast_validator().is_valid(items):
            return
    except Exception:  # a value jsonschema-rs cannot take (not JSON): let jsonschema say
        pass
    from itertools import islice

    errors = list(islice(_validator().iter_errors(items), _ERRORS_READ + 1))
    if not errors:
        return
    bounded = len(errors) > _ERRORS_READ
    del errors[_ERRORS_READ:]
    first_index = min(e.absolute_path[0] if e.absolute_path else -1 for e in errors)
    mine = [e for e in errors if (e.absolute_path[0] if e.absolute_path else -1) == first_index]
    error = best_match(mine)
    where = list(error.absolute_path)[1:]
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    more = len(errors) - 1
    raise ContextError(
        f"{_question_name(items, first_index)}: "
        + (f"{_field_name(where)}: " if where else "")
        + message
        + (
            f" (and over {more} more problems in the questions)"
            if bounded
            else f" (and {more} more problem(s) in the questions)"
            if more
            else ""
        )
    )


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class _Question:
    id: str
    title: str | None
    required: bool
    format: Format
    precondition_question_id: str | None = None
    #: option ids or booleans; None when the question has no (usable) precondition
    precondition_options: tuple[str | bool, ...] | None = None

    @cached_property  # every message names it: built once (into the instance's __dict__)
    def label(self) -> str:
        title = (self.title or "").strip()
        if not title:
            return f"question {self.id!r}"
        if len(title) > _TITLE_CHARS:
            title = title[:_TITLE_CHARS] + "…"
        return f'"{title}"'

    def describe(self) -> str:
        bits = [self.label, self.format.describe()]
        if self.required:
            bits.append("required")
        if self.precondition_question_id is not None:
            bits.append(f"if {self.precondition_question_id}")
        return " ".join(bits)


def _compile_question(raw: Mapping[str, Any]) -> _Question:
    options = raw.get("precondition_options")
    return _Question(
        id=raw["id"],
        title=raw.get("title"),
        required=raw.get("required") is True,
        format=compile_format(raw.get("format")),
        precondition_question_id=raw.get("precondition_question_id"),
        precondition_options=tuple(options) if options is not None else None,
    )


def _key_text(key: object) -> str:
    return key if type(key) is str else excerpt(key)


def _pairs(raw: object) -> list[tuple[object, object]]:
    """An object's (key, value) pairs, read as the walk reads a body: a dict (or subclass)
    through ``dict.items`` (never an override); another mapping through its protocol,
    anything it raises a ContextError."""
    if issubclass(type(raw), dict):
        return list(dict.items(raw))  # type: ignore[arg-type]
    try:
        return list(raw.items())  # type: ignore[attr-defined]
    except Exception as exc:
        raise ContextError(
            f"cannot read the {type_name(raw)} given as questions: {_reason(exc)}"
        ) from None


def _named(pairs: list[tuple[object, object]], name: str) -> tuple[bool, object]:
    """(found, value) of the key ``name``: keys compared as exact strings (a str subclass's
    content; no key's ``__eq__`` or ``__hash__`` runs)."""
    for key, value in pairs:
        if issubclass(type(key), str) and str.__str__(key) == name:
            return True, value
    return False, None


def _question_items(raw: object) -> list[object]:
    """The question list of ``raw`` (a job, or its list), read without running the
    caller's code (but an SDK model's ``model_dump``): the items as given."""
    raw = _dump(raw)
    where = "questions"
    t = type(raw)
    if not issubclass(t, (list, tuple)) and (issubclass(t, dict) or issubclass(t, Mapping)):
        pairs = _pairs(raw)
        found, value = _named(pairs, "screening_questions")
        if not found:
            data = _named(pairs, "data")[1]
            if issubclass(type(data), dict) and _named(_pairs(data), "results")[0]:
                raise ContextError(
                    "questions must be one job (data.results[i] of GET /ats/jobs) or its "
                    "screening_questions, not the whole response"
                )
            keys = listing([_key_text(k) for k, _ in pairs[:LISTED]], len(pairs))
            raise ContextError(
                "questions must be a job's screening_questions list (GET /ats/jobs → "
                "data.results[].screening_questions) or a job object that has that key; "
                f"got an object with keys {keys}"
            )
        raw = _dump(value)
        t = type(raw)
        where = "job.screening_questions"
    if issubclass(t, list):
        items: list[object] = list(list.__iter__(raw))  # type: ignore[arg-type]
    elif issubclass(t, tuple):
        items = list(tuple.__iter__(raw))  # type: ignore[arg-type]
    else:
        raise ContextError(f"{where} must be a list of screening questions, got {kind_of(raw)}")
    return [_dump(item) for item in items]


def _check_references(questions: Sequence[_Question]) -> None:
    by_id: dict[str, int] = {}
    for i, q in enumerate(questions):
        if q.id in by_id:
            raise ContextError(
                f"screening question {i} (id {excerpt(q.id)}): id: the same id as question "
                f"{by_id[q.id]}"
            )
        by_id[q.id] = i
    # each chain of preconditions is followed once: a question already known to lead to
    # no cycle ends the walk (a 10,000-long chain is 10,000 steps, not 50 million)
    ends: set[str] = set()
    for i, q in enumerate(questions):
        chain: set[str] = set()
        step: str | None = q.id
        while step is not None and step in by_id and step not in ends:
            if step in chain:
                raise ContextError(
                    f"screening question {i} (id {excerpt(q.id)}): precondition_question_id: "
                    f"the preconditions form a cycle through {excerpt(step)}"
                )
            chain.add(step)
            step = questions[by_id[step]].precondition_question_id
        ends |= chain


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _matches(answer: object, options: tuple[str | bool, ...]) -> bool:
    """SINGLE_SELECT: the id; MULTI_SELECT: any overlap; BOOLEAN: the boolean (no coercion)."""
    if isinstance(answer, list):
        return any(_same(a, o) for a in answer for o in options)
    return any(_same(answer, o) for o in options)


def _is_empty(answer: object) -> bool:
    if type(answer) is str:
        return not answer or answer.isspace()
    return type(answer) is list and not answer


class Questions:
    """A job's screening questions, validated and compiled once; immutable and picklable.

    ``Questions(raw)`` takes the job's ``screening_questions`` list as
    ``GET /ats/jobs`` returns it, or the job object (a dict, or the official
    SDK's model). Malformed questions raise
    :class:`~kombo_validate.issues.ContextError` naming the question (index and
    id) and the field.
    """

    __slots__ = (
        "_by_id",
        "_conditional_required",
        "_fast",
        "_plan",
        "_questions",
        "_required",
        "_required_ids",
    )

    _questions: tuple[_Question, ...]
    _by_id: dict[str, _Question]
    #: required questions that can be answered (an INFORMATION block never needs one)
    _required: tuple[_Question, ...]
    _required_ids: frozenset[str]
    _conditional_required: bool
    #: question id -> (question, its format's fast check, whether an empty answer is
    #: warned about right away: required and unconditional), for check_answers
    _plan: dict[str, tuple[_Question, Callable[[object], bool], bool]]
    _fast: dict[int, tuple[dict[str, Any] | bool, Callable[[Any], bool]]]

    def __init__(self, raw: object) -> None:
        self._compile(_plain(_question_items(raw)))

    def _compile(self, items: list[object]) -> None:
        """``items``: the questions as exact JSON data (``_plain``)."""
        _validate(items)
        questions = tuple(_compile_question(i) for i in items if isinstance(i, Mapping))
        _check_references(questions)
        self._setup(questions)

    def _setup(self, questions: tuple[_Question, ...]) -> None:
        object.__setattr__(self, "_questions", questions)
        object.__setattr__(self, "_by_id", {q.id: q for q in questions})
        required = tuple(
            q for q in questions if q.required and not isinstance(q.format, Information)
        )
        object.__setattr__(self, "_required", required)
        object.__setattr__(self, "_required_ids", frozenset(q.id for q in required))
        conditional = any(q.precondition_question_id is not None for q in required)
        object.__setattr__(self, "_conditional_required", conditional)
        plan = {
            q.id: (q, q.format.fine, q.required and q.precondition_question_id is None)
            for q in questions
        }
        object.__setattr__(self, "_plan", plan)
        #: id(date check) -> (that check, the compiled answers proof), built on first use
        fast: dict[int, tuple[dict[str, Any] | bool, Callable[[Any], bool]]] = {}
        object.__setattr__(self, "_fast", fast)

    @classmethod
    def coerce(cls, value: object) -> Questions:
        """``value`` itself if it is a Questions, else ``Questions(value)``.

        Plain JSON-like questions are compiled once per content: the same
        questions given again (even as a new list) reuse the compiled object
        from a small LRU cache keyed by their ``marshal`` serialisation, which
        is exact (types included) and costs some 1 µs a question. Anything
        marshal cannot take (the SDK's models, subclasses) is compiled on every
        call. Before anything unfolds them, questions are read as JSON data
        within the walk's limits (``jsondata.plain_json``: depth, and the
        container budget that a graph of shared sub-objects exhausts).
        """
        if issubclass(type(value), Questions):  # never a __class__ that claims it
            return value  # type: ignore[return-value]
        try:
            # version 4 first: twice as fast as 2, but its bytes depend on how objects
            # are shared, so it only keys a front cache over the exact version-2 key
            quick = marshal.dumps(value, 4)  # type: ignore[arg-type]
        except (ValueError, TypeError, RecursionError):
            return cls(value)
        return _compiled_quick(quick)

    @classmethod
    def _restore(cls, questions: tuple[_Question, ...]) -> Questions:
        self = cls.__new__(cls)
        self._setup(questions)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Questions._restore, (self._questions,))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Questions is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Questions is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Questions):
            return NotImplemented
        return self._questions == other._questions

    def __hash__(self) -> int:
        return hash(self._questions)

    def __len__(self) -> int:
        return len(self._questions)

    def __repr__(self) -> str:
        if not self._questions:
            return "<Questions 0>"
        shown = "; ".join(q.describe() for q in self._questions[:5])
        more = f"; … {len(self._questions) - 5} more" if len(self._questions) > 5 else ""
        return f"<Questions {len(self._questions)}: {shown}{more}>"

    @property
    def ids(self) -> tuple[str, ...]:
        """The question ids, in the job's order."""
        return tuple(q.id for q in self._questions)

    # ----------------------------------------------------------------------- check

    def proves(self, answers: list[Any], date: dict[str, Any] | bool) -> bool:
        """True when :meth:`check_answers` would report nothing and change nothing.

        Decided by jsonschema-rs against a schema built from these questions on
        first use per ``date`` (the Validator's strict date schema; see
        ``answers_fast``). False means "not proven", never "wrong".
        """
        entry: tuple[dict[str, Any] | bool, Callable[[Any], bool]] | None
        entry = self._fast.get(id(date))
        if entry is None or entry[0] is not date:
            from .answers_fast import compile_proof

            entry = (date, compile_proof(self._questions, date))
            if len(self._fast) >= 8:  # one per Validator: bounded for long-lived Questions
                self._fast.clear()
            self._fast[id(date)] = entry
        return entry[1](answers)

    def check_answers(
        self,
        answers: object,
        ctx: Ctx,
        path: Path,
        *,
        date_check: DateCheck,
        date_wire: DateWire | None = None,
    ) -> list[Any] | None:
        """Check the WIRE ``screening_question_answers`` against the questions.

        ``answers`` is the body's list (None when the key is absent); items or
        fields of the wrong type are left to the core's schema checks, and an
        answer at or under which the core already reported an error is not
        checked again. Issues and changes go into ``ctx``; ``path`` is the tuple
        path of the answers array. Returns a new list (a new dict where an
        answer changed, e.g. an option name replaced by its id), or None when
        ``answers`` is not a list (leave the body as it is).
        """
        if answers is None:
            items: list[Any] = []
        elif isinstance(answers, list):
            items = answers
        else:
            return None
        by_id = self._by_id
        buf = Run(ctx, date_check, date_wire)
        first: dict[str, int] = {}
        given: dict[str, object] = {}
        replaced: dict[int, dict[str, Any]] = {}
        conditional: list[tuple[_Question, int]] = []  # answers to questions with a precondition
        # the core's errors, to be left alone (a tree: one lookup per answer, not per error)
        reported = ctx.error_tree() if ctx.error_paths else None
        plan_get = self._plan.get
        for i, item in enumerate(items):
            if type(item) is not dict and not isinstance(item, Mapping):
                continue
            qid = item.get("question_id")
            if type(qid) is not str and not isinstance(qid, str):
                continue
            entry = plan_get(qid)
            if entry is None:
                buf.warning(
                    (*path, i, "question_id"),
                    "answer.unknown_question",
                    f"The job has no question with id {excerpt(qid)}; Kombo ignores this answer.",
                )
                continue
            q, fine, warn_empty = entry
            if qid in first:
                buf.error(
                    (*path, i, "question_id"),
                    "answer.duplicate",
                    f"{q.label} is already answered at {pointer((*path, first[qid]))}.",
                )
                continue
            first[qid] = i
            if q.precondition_question_id is not None:
                conditional.append((q, i))
            if "answer" not in item:
                continue
            value = item["answer"]
            if reported is not None and reported.covers((*path, i, "answer")):
                given[qid] = value
                continue
            if not fine(value):  # the fast path takes most answers; the full check:
                new = q.format.check(q, value, (*path, i, "answer"), buf)
                if new is not value:
                    changed = dict(item)
                    changed["answer"] = new
                    replaced[i] = changed
                    value = new
            given[qid] = value
            if warn_empty and (
                (type(value) is str and (not value or value.isspace()))
                or (type(value) is list and not value)
            ):
                buf.warning(
                    (*path, i, "answer"),
                    "answer.empty",
                    f"Answer to {q.label} is empty but required.",
                )
        shown = _Visibility(by_id, given)
        for q, i in conditional:
            state = shown(q)
            if state is False:
                pre = by_id[q.precondition_question_id or ""]
                buf.warning(
                    (*path, i, "answer"),
                    "answer.precondition_unmet",
                    f"{q.label} is only asked when {pre.label} is answered with "
                    f"{_options_text(pre, q.precondition_options)}; this answer is not expected.",
                )
            elif state and q.required and q.id in given and _is_empty(given[q.id]):
                buf.warning(
                    (*path, i, "answer"),
                    "answer.empty",
                    f"Answer to {q.label} is empty but required.",
                )
        if self._conditional_required or not first.keys() >= self._required_ids:
            for q in self._required:
                if q.id not in first and (q.precondition_question_id is None or shown(q) is True):
                    ctx.error(path, "answer.required", f"Answer to {q.label} is required.")
        if buf.items:
            depth = len(path)
            buf.items.sort(key=lambda entry: entry[0][depth] if len(entry[0]) > depth else -1)
            buf.flush(ctx)
        if answers is None:
            return None
        out = list(items)
        for i, changed in replaced.items():
            out[i] = changed
        return out


@lru_cache(maxsize=64)
def _compiled(key: bytes) -> Questions:
    # key is the version-2 marshal of the questions read as plain JSON data (_plain)
    questions: Questions = Questions.__new__(Questions)
    questions._compile(marshal.loads(key))
    return questions


@lru_cache(maxsize=64)
def _compiled_quick(quick: bytes) -> Questions:
    # quick is what Questions.coerce marshalled (version 4): loading it gives equal data,
    # its shared sub-objects shared again. Read as plain JSON data first (the container
    # budget: version 2 writes every shared sub-object out again, exponential in a DAG)
    items = _plain(_question_items(marshal.loads(quick)))
    try:
        # version 2: no back-references, so equal data always gives equal bytes
        key = marshal.dumps(items, 2)
    except (ValueError, RecursionError):  # not expected of plain data: compile uncached
        questions: Questions = Questions.__new__(Questions)
        questions._compile(items)
        return questions
    return _compiled(key)


def _options_text(pre: _Question, options: tuple[str | bool, ...] | None) -> str:
    if not options:
        return "one of its options"
    names: dict[str, str] = {}
    if isinstance(pre.format, Select):
        names = {o.id: o.name for o in pre.format.options}
    shown = [
        ("true" if o else "false") if isinstance(o, bool) else excerpt(names.get(o, o))
        for o in options[:LISTED_OPTIONS]
    ]
    return " or ".join(shown) + (" or …" if len(options) > LISTED_OPTIONS else "")


class _Visibility:
    """Whether each question is asked, given the answers: True, False, or None (cannot tell).

    A question is asked when it has no precondition, or when its precondition
    question is asked and answered with one of ``precondition_options``. A
    precondition naming a question the job does not have, or without options,
    cannot be decided: such a question is neither required nor warned about.
    """

    __slots__ = ("_by_id", "_given", "_memo")

    def __init__(self, by_id: Mapping[str, _Question], given: Mapping[str, object]) -> None:
        self._by_id = by_id
        self._given = given
        self._memo: dict[str, bool | None] = {}

    def __call__(self, q: _Question) -> bool | None:
        if q.precondition_question_id is None:
            return True
        memo = self._memo
        if q.id in memo:
            return memo[q.id]
        # up the chain of preconditions to a question decided already (or unconditional,
        # or undecidable), then down it deciding each: no recursion, however long the chain
        chain: list[_Question] = []
        node: _Question | None = q
        while node is not None and node.precondition_question_id is not None:
            if node.id in memo:
                break
            chain.append(node)
            pre_id = node.precondition_question_id
            node = self._by_id.get(pre_id) if node.precondition_options else None
        for node in reversed(chain):
            state: bool | None
            pre = self._by_id.get(node.precondition_question_id or "")
            if pre is None or not node.precondition_options:
                state = None
            else:  # no cycles: refused when the questions were compiled
                parent = True if pre.precondition_question_id is None else memo[pre.id]
                if parent is not True:
                    state = parent
                elif pre.id not in self._given:
                    state = False
                else:
                    state = _matches(self._given[pre.id], node.precondition_options)
            memo[node.id] = state
        return memo[q.id]
