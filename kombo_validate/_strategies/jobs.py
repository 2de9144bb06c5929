"""A job's screening questions (``questions()``) and valid answers to them (``answers_for``).

Questions are drawn from ``spec/screening-questions.schema.json`` (the format
types, their properties and enums, the Kombo id pattern), with the semantics
the schema cannot say: option ids unique, ``min <= max``, preconditions that
point at an earlier question whose answer picks from choices (a SINGLE_SELECT,
MULTI_SELECT or BOOLEAN: its checker's ``choices()``) and name some of them.

Answers follow the core's rules for each format (drawn as ``formats.DRAWINGS``
says) and the preconditions: a required question that is asked is answered
(not emptily), a question whose precondition is not met is not answered, an
INFORMATION block (its checker is not ``answered``) never.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ..answer_formats import Format, compile_format
from ..questions import Questions
from . import leaves
from .bodies import OMIT, Gen, Site
from .formats import Drawing, drawing, format_of
from .job_schema import format_types, kombo_ids, null_or, nullable_enum, schema_defs
from .model import Model, ObjNode

__all__ = ["AnswerInfo", "Job", "answer_lists", "question_sets"]

_TITLES = (
    "Years of experience",
    "Are you willing to relocate?",
    "Preferred office",
    "Which languages do you speak?",
    "Work email",
    "Portfolio",
    "Earliest start date",
    "Upload your certificate",
    "Equal opportunity statement",
)


# --------------------------------------------------------------------------- questions


def _precondition(draw: st.DrawFn, earlier: list[dict[str, Any]]) -> tuple[Any, Any]:
    """An earlier question whose answer picks from choices (options, true/false), and some."""
    parents = [(q, choices) for q in earlier if (choices := compile_format(q["format"]).choices())]
    if not parents or draw(st.integers(0, 2)) != 0:
        return None, None
    parent, choices = draw(st.sampled_from(parents))
    options = draw(
        st.lists(st.sampled_from(choices), min_size=1, max_size=len(choices), unique=True)
    )
    return parent["id"], options


@st.composite
def question_sets(draw: st.DrawFn, max_questions: int = 6) -> list[dict[str, Any]]:
    """See :func:`kombo_validate.strategies.questions`."""
    kinds = format_types()
    qprops = schema_defs().get("question", {}).get("properties", {})
    n = draw(st.integers(0, max_questions))
    ids: list[str] = []
    out: list[dict[str, Any]] = []
    for index in range(n):
        qid = draw(kombo_ids().filter(lambda i: i not in ids))
        ids.append(qid)
        kind = draw(st.sampled_from(kinds)) if kinds else None
        fmt = None if kind is None or draw(st.integers(0, 9)) == 0 else draw(format_of(kind, ids))
        pre_id, pre_options = _precondition(draw, out)
        out.append(
            {
                "id": qid,
                "remote_id": null_or(draw, leaves.texts(6)),
                "title": null_or(draw, st.one_of(st.sampled_from(_TITLES), leaves.texts(20))),
                "description": null_or(draw, leaves.texts(20)),
                "format": fmt,
                "category": nullable_enum(draw, qprops.get("category")),
                "index": null_or(draw, st.just(index)),
                "required": draw(st.sampled_from((False, True, None))),
                "precondition_question_id": pre_id,
                "precondition_options": pre_options,
            }
        )
    return out


# --------------------------------------------------------------------------- answers


def _items(raw: object) -> list[dict[str, Any]]:
    dump = getattr(raw, "model_dump", None)
    if callable(dump) and not isinstance(raw, Mapping):
        raw = dump(mode="json", by_alias=True)
    if isinstance(raw, Questions):
        raise TypeError(
            "pass the raw screening questions (the list GET /ats/jobs returns, or the job), "
            "not a compiled Questions object"
        )
    if isinstance(raw, Mapping):
        raw = raw.get("screening_questions")
    if not isinstance(raw, (list, tuple)):
        raise TypeError("questions must be a job's screening_questions list or the job object")
    items = []
    for item in raw:
        dump = getattr(item, "model_dump", None)
        items.append(dump(mode="json", by_alias=True) if callable(dump) else dict(item))
    return items


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _meets(answer: object, options: list[Any]) -> bool:
    """The core's precondition match: the id, any overlap of ids, or the boolean."""
    if isinstance(answer, list):
        return any(_same(a, o) for a in answer for o in options)
    return any(_same(answer, o) for o in options)


def _kind(q: Mapping[str, Any]) -> str | None:
    fmt = q.get("format")
    kind = fmt.get("type") if isinstance(fmt, Mapping) else None
    return kind if isinstance(kind, str) else None


@dataclass(frozen=True)
class AnswerInfo:
    """What a drawn answer answers: the question, and whether others depend on it."""

    question: dict[str, Any]
    #: the question is asked (True) or cannot be told (None)
    asked: bool | None
    #: another question's precondition names this one
    has_dependents: bool


class Job:
    """Screening questions, validated once, that draw answers for a :class:`Gen`."""

    def __init__(self, raw: object) -> None:
        self.questions = _items(raw)
        Questions(self.questions)  # malformed questions: ContextError, now
        self.by_id = {q["id"]: q for q in self.questions}
        self.parents = {q.get("precondition_question_id") for q in self.questions}
        self.order = self._topological()
        #: question id -> how its format is drawn, and its checker (which knows its limits)
        self.formats: dict[str, tuple[Drawing, Format]] = {
            q["id"]: (drawing(_kind(q)), compile_format(q.get("format"))) for q in self.questions
        }
        self.needs_answers = any(
            q.get("required") is True and self.formats[q["id"]][1].answered for q in self.questions
        )

    def _topological(self) -> list[dict[str, Any]]:
        done: dict[str, None] = {}

        def visit(q: dict[str, Any]) -> None:
            if q["id"] in done:
                return
            parent = self.by_id.get(q.get("precondition_question_id") or "")
            if parent is not None and parent is not q:
                visit(parent)
            done[q["id"]] = None

        for q in self.questions:
            visit(q)
        return [self.by_id[i] for i in done]

    def _asked(
        self, q: dict[str, Any], asked: dict[str, bool | None], given: dict[str, Any]
    ) -> Any:
        pid = q.get("precondition_question_id")
        if pid is None:
            return True
        options = q.get("precondition_options")
        parent = self.by_id.get(pid)
        if parent is None or not options:
            return None
        if asked[pid] is not True:
            return asked[pid]
        return pid in given and _meets(given[pid], options)

    def draw_answers(self, gen: Gen, path: tuple[str | int, ...]) -> Any:
        """``(raw, wire)`` answers list for ``gen``'s body, or OMIT."""
        draw = gen.draw
        asked: dict[str, bool | None] = {}
        given: dict[str, Any] = {}
        drawn: list[tuple[AnswerInfo, Any, Any, list[Site]]] = []
        for q in self.order:
            state = self._asked(q, asked, given)
            asked[q["id"]] = state
            how, checker = self.formats[q["id"]]
            if state is False or not checker.answered:
                continue
            required = q.get("required") is True and state is True
            if not required and (not checker.checked or not gen.flip(2)):
                continue  # an unchecked answer is warned about: only when required
            mark = len(gen.sites)
            pair = how.answer(gen, checker, required, (*path, len(drawn), "answer"))
            if pair is None:
                continue
            sites = gen.sites[mark:]
            del gen.sites[mark:]
            given[q["id"]] = pair[1]
            info = AnswerInfo(q, state, q["id"] in self.parents)
            drawn.append((info, pair[0], pair[1], sites))
        if not drawn and (not self.needs_answers and draw(st.booleans())):
            return OMIT
        order: list[int] = draw(st.permutations(range(len(drawn))))
        raw: list[Any] = []
        wire: list[Any] = []
        depth = len(path)
        for new, old in enumerate(order):
            info, r, w, sites = drawn[old]
            qid = info.question["id"]
            raw.append({"question_id": qid, "answer": r})
            wire.append({"question_id": qid, "answer": w})
            here = (*path, new)
            for site in sites:
                moved = (*here, *site.path[depth + 1 :])
                gen.sites.append(Site(moved, site.node))
            item = gen.model.answers
            item_node = item.items if item is not None else None
            if isinstance(item_node, ObjNode):
                for prop in item_node.props:
                    gen.sites.append(Site((*here, prop.name), prop.node))
                gen.sites.append(Site(here, item_node))
            gen.answered.append(info)
        if gen.model.answers is not None:
            gen.sites.append(Site(path, gen.model.answers))
        if gen.raw and gen.flip(4):
            return tuple(raw), wire
        return raw, wire


@st.composite
def answer_lists(draw: st.DrawFn, job: Job, model: Model) -> list[dict[str, Any]]:
    """See :func:`kombo_validate.strategies.answers_for`."""
    gen = Gen(draw, model, job=job)
    arr = model.answers
    if arr is None:
        return []
    assert model.answers_key is not None  # model.answers is not None
    pair = job.draw_answers(gen, (model.answers_key,))
    return [] if pair is OMIT else list(pair[1])
