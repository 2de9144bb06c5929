"""The fast path for screening-question answers: most lists have nothing to report.

``Questions.check_answers`` reports unknown questions, duplicates, missing and
empty required answers, unmet preconditions and each format's problems, and may
change an answer (an option name to its id). :func:`compile_proof` builds, once
per job, one tight loop that returns True only when that check would report
nothing and change nothing: every answer a dict with a ``question_id`` of a
question whose format's ``fine`` check takes the answer (not empty if required),
no question answered twice, every required question answered, and every
conditional answer's precondition met. False means "not proven", never "wrong":
the full check then runs and says what is wrong.

(A jsonschema-rs schema of the same conditions was tried first: its per-item
``if``/``then`` over 30 questions cost 200 µs, three times the full check.)
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["compile_proof"]

Fine = Callable[[object], bool]


def _not_empty(fine: Fine) -> Fine:
    """``fine``, and not an answer check_answers warns is empty (a required question)."""

    def fine_and_given(value: object) -> bool:
        if type(value) is str:
            return bool(value) and not value.isspace() and fine(value)
        if type(value) is list:
            return bool(value) and fine(value)
        return fine(value)

    return fine_and_given


def compile_proof(
    questions: Sequence[Any],
    matches: Callable[[object, tuple[Any, ...]], bool],
    date_fine: Fine,
) -> Callable[[Any], bool]:
    """``proves(answers)`` for these compiled questions (see the module docstring).

    ``matches`` is how a precondition reads an answer; ``date_fine`` says a DATE
    answer is in the Validator's date form (the format itself defers to it).
    """
    by_id: Mapping[str, Any] = {q.id: q for q in questions}
    fines: dict[str, Fine] = {}
    required: set[str] = set()
    #: (question, its precondition question id, options), for decidable preconditions
    conditional: list[tuple[str, str, tuple[Any, ...], bool]] = []
    for q in questions:
        fine: Fine = q.format.proof_fine(date_fine)
        pre = by_id.get(q.precondition_question_id or "")
        if q.precondition_question_id is not None:
            # decidable here: a precondition on an unconditional question, with options
            if (
                pre is None
                or pre.precondition_question_id is not None
                or not (q.precondition_options)
            ):
                if q.required:
                    return _never  # whether it must be answered is not decided here
                continue  # answering it takes the full check
            conditional.append((q.id, pre.id, q.precondition_options, q.required))
        elif q.required:
            required.add(q.id)
        fines[q.id] = _not_empty(fine) if q.required and q.format.can_be_empty else fine
    if any(q.required and q.id not in fines for q in questions):
        return _never
    fine_of = fines.get
    must = frozenset(required)

    def proves(answers: Any) -> bool:
        try:  # wire items are exact dicts: anything else raises here
            qids = [item["question_id"] for item in answers]
            values = [item["answer"] for item in answers]
            given = dict(zip(qids, values, strict=True))
            # None: an unknown question, or one only the full check takes
            checks: list[Fine] = list(map(fine_of, qids, _NOT_PROVEN))
        except (KeyError, TypeError):
            return False
        if len(given) != len(qids) or not must <= given.keys():
            return False  # a question answered twice, or a required one not at all
        if not all(map(_call, checks, values)):
            return False
        for qid, pre, options, is_required in conditional:
            shown = pre in given and matches(given[pre], options)
            if (qid in given) is not shown and (is_required or not shown):
                return False  # answered but not asked, or asked, required and missing
        return True

    return proves


def _never(answers: Any) -> bool:
    return False


#: what an answer to a question without a proof gets: never proven
_NOT_PROVEN = itertools.repeat(_never)

if sys.version_info >= (3, 11):
    from operator import call as _call
else:  # pragma: no cover - Python 3.10

    def _call(fine: Fine, value: object) -> bool:
        return fine(value)
