"""The compiled questions: one immutable :class:`Question` per question, and the
:class:`Plan` that ``check_answers`` follows for a whole job."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..answer_formats import Format, compile_format
from ..issues import ContextError, excerpt

__all__ = ["Plan", "Question", "check_references", "compile_question"]

_TITLE_CHARS = 80


@dataclass(frozen=True)
class Question:
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


def compile_question(raw: Mapping[str, Any]) -> Question:
    options = raw.get("precondition_options")
    return Question(
        id=raw["id"],
        title=raw.get("title"),
        required=raw.get("required") is True,
        format=compile_format(raw.get("format")),
        precondition_question_id=raw.get("precondition_question_id"),
        precondition_options=tuple(options) if options is not None else None,
    )


def check_references(questions: Sequence[Question]) -> None:
    """Ids unique, preconditions free of cycles: else a ContextError naming the question."""
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


class Plan:
    """What ``check_answers`` reads of a job's questions, worked out once."""

    __slots__ = ("by_id", "conditional_required", "entries", "required", "required_ids")

    by_id: dict[str, Question]
    #: required questions that can be answered (an INFORMATION block never needs one)
    required: tuple[Question, ...]
    required_ids: frozenset[str]
    conditional_required: bool
    #: question id -> (question, its format's fast check, whether an empty answer is
    #: warned about right away: required and unconditional)
    entries: dict[str, tuple[Question, Callable[[object], bool], bool]]

    def __init__(self, questions: tuple[Question, ...]) -> None:
        self.by_id = {q.id: q for q in questions}
        self.required = tuple(q for q in questions if q.required and q.format.answered)
        self.required_ids = frozenset(q.id for q in self.required)
        self.conditional_required = any(
            q.precondition_question_id is not None for q in self.required
        )
        self.entries = {
            q.id: (q, q.format.fine, q.required and q.precondition_question_id is None)
            for q in questions
        }
