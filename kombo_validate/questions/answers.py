"""The answers algorithm: a body's ``screening_question_answers`` against a job's :class:`Plan`.

Where issues go: problems with an answer's value are reported at its
``/answer`` (a MULTI_SELECT element at ``/answer/<j>``, a FILE's size at
``/answer/data`` and its type at ``/answer/content_type``); problems with the
question an answer names at its ``/question_id``; a missing required answer at
the answers array itself (``/screening_question_answers``, also when absent).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answer_formats import LISTED_OPTIONS, DateCheck, DateWire, Run
from ..context import Ctx, Path
from ..issues import excerpt, pointer
from .model import Plan, Question

__all__ = ["check_answers"]


def check_answers(
    plan: Plan,
    answers: object,
    ctx: Ctx,
    path: Path,
    date_check: DateCheck,
    date_wire: DateWire | None,
) -> list[Any] | None:
    """See :meth:`kombo_validate.questions.Questions.check_answers`."""
    if answers is None:
        items: list[Any] = []
    elif isinstance(answers, list):
        items = answers
    else:
        return None
    by_id = plan.by_id
    buf = Run(ctx, date_check, date_wire)
    first: dict[str, int] = {}
    given: dict[str, object] = {}
    replaced: dict[int, dict[str, Any]] = {}
    conditional: list[tuple[Question, int]] = []  # answers to questions with a precondition
    # the core's errors, to be left alone (a tree: one lookup per answer, not per error)
    reported = ctx.error_tree() if ctx.error_paths else None
    plan_get = plan.entries.get
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
    if plan.conditional_required or not first.keys() >= plan.required_ids:
        for q in plan.required:
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


def _options_text(pre: Question, options: tuple[str | bool, ...] | None) -> str:
    if not options:
        return "one of its options"
    names = pre.format.names()
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

    def __init__(self, by_id: Mapping[str, Question], given: Mapping[str, object]) -> None:
        self._by_id = by_id
        self._given = given
        self._memo: dict[str, bool | None] = {}

    def __call__(self, q: Question) -> bool | None:
        if q.precondition_question_id is None:
            return True
        memo = self._memo
        if q.id in memo:
            return memo[q.id]
        # up the chain of preconditions to a question decided already (or unconditional,
        # or undecidable), then down it deciding each: no recursion, however long the chain
        chain: list[Question] = []
        node: Question | None = q
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
