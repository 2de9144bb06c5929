"""The façade: :class:`Questions`, compiled once per job (and once per content, cached)."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from ..answer_formats import DateCheck, DateWire
from ..context import Ctx, Path
from ..frozen import Immutable
from .answers import check_answers
from .model import Plan, Question, check_references, compile_question
from .schema import plain, question_items, validate

__all__ = ["Questions"]


class Questions(Immutable):
    """A job's screening questions, validated and compiled once; immutable and picklable.

    ``Questions(raw)`` takes the job's ``screening_questions`` list as
    ``GET /ats/jobs`` returns it, or the job object (a dict, or the official
    SDK's model). Malformed questions raise
    :class:`~kombo_validate.issues.ContextError` naming the question (index and
    id) and the field.
    """

    __slots__ = ("_fast", "_plan", "_questions")

    _questions: tuple[Question, ...]
    _plan: Plan
    #: id(date check) -> (that check, the compiled answers proof), built on first use
    _fast: dict[int, tuple[dict[str, Any] | bool, Callable[[Any], bool]]]

    def __init__(self, raw: object) -> None:
        self._compile(plain(question_items(raw)))

    def _compile(self, items: list[object]) -> None:
        """``items``: the questions as exact JSON data (``schema.plain``)."""
        validate(items)
        questions = tuple(compile_question(i) for i in items if isinstance(i, Mapping))
        check_references(questions)
        self._setup(questions)

    def _setup(self, questions: tuple[Question, ...]) -> None:
        self._init(_questions=questions, _plan=Plan(questions), _fast={})

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
        # the front cache: looked up by the length and the last bytes, then compared
        # whole (equal bytes: equal data), so that no hash runs over all the bytes
        tag = (len(quick), quick[-_TAIL:])
        found = _QUICK.get(tag)
        if found is not None and found[0] == quick:
            return found[1]
        questions = _compiled_quick(quick)
        if len(_QUICK) >= _QUICK_MAX:
            _QUICK.clear()  # a race at worst compiles again
        _QUICK[tag] = (quick, questions)
        return questions

    @classmethod
    def _restore(cls, questions: tuple[Question, ...]) -> Questions:
        self = cls.__new__(cls)
        self._setup(questions)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Questions._restore, (self._questions,))

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
            from ..answers_fast import compile_proof

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
        return check_answers(self._plan, answers, ctx, path, date_check, date_wire)


#: ``Questions.coerce``'s front cache: the marshalled questions (version 4) and their
#: compiled form by (length, last :data:`_TAIL` bytes); hashing all 6.7 KB of 30
#: questions as an ``lru_cache`` key cost 2 µs a call, this tag ~0.1 µs
_QUICK: dict[tuple[int, bytes], tuple[bytes, Questions]] = {}
_QUICK_MAX = 64
_TAIL = 64


@lru_cache(maxsize=64)
def _compiled(key: bytes) -> Questions:
    # key is the version-2 marshal of the questions read as plain JSON data (plain)
    questions: Questions = Questions.__new__(Questions)
    questions._compile(marshal.loads(key))
    return questions


@lru_cache(maxsize=64)
def _compiled_quick(quick: bytes) -> Questions:
    # quick is what Questions.coerce marshalled (version 4): loading it gives equal data,
    # its shared sub-objects shared again. Read as plain JSON data first (the container
    # budget: version 2 writes every shared sub-object out again, exponential in a DAG)
    items = plain(question_items(marshal.loads(quick)))
    try:
        # version 2: no back-references, so equal data always gives equal bytes
        key = marshal.dumps(items, 2)
    except (ValueError, RecursionError):  # not expected of plain data: compile uncached
        questions: Questions = Questions.__new__(Questions)
        questions._compile(items)
        return questions
    return _compiled(key)
