"""The machinery behind :mod:`kombo_validate.strategies` (needs Hypothesis).

``model`` reads the request schema into nodes (each with the role of the rule
that attaches there); ``leaves`` draws single values; ``roles`` says how each
rule's role is drawn and broken; ``bodies`` draws whole bodies as (raw, wire)
pairs (``attachment`` the attachment objects, ``sites`` what they share);
``restricted`` and ``jobs`` add the job context (attachment restrictions,
screening questions; ``formats`` draws and breaks each question format,
``job_schema`` reads the questions' schema); ``defects`` injects one known
defect; ``values`` draws arbitrary Python values.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .bodies import Gen
from .defects import invalid_cases
from .jobs import Job, answer_lists, question_sets
from .model import Model, model_of
from .values import json_values

__all__ = [
    "answers_for",
    "invalid_and_valid",
    "invalid_bodies",
    "json_values",
    "questions",
    "raw_and_wire",
    "raw_bodies",
    "wire_bodies",
]


def _context(validator: Any, questions: Any, restrictions: Any) -> tuple[Model, Job | None, Any]:
    from ..api import default_validator

    model = model_of(validator if validator is not None else default_validator())
    job = Job(questions) if questions is not None else None
    rs = None
    if restrictions is not None:
        from ..restrictions import Restrictions
        from .restricted import count_ranges

        rs = Restrictions.coerce(restrictions)
        count_ranges(rs, model)  # restrictions that admit no body: ValueError, now
    return model, job, rs


@st.composite
def _pairs(draw: st.DrawFn, model: Model, job: Job | None, rs: Any, raw: bool) -> tuple[Any, Any]:
    gen = Gen(draw, model, raw=raw, job=job, restrictions=rs)
    return gen.body()


def raw_and_wire(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> st.SearchStrategy[tuple[Any, dict[str, Any]]]:
    """``(raw, wire)``: a raw body and the exact wire body ``check`` must make of it."""
    model, job, rs = _context(validator, questions, restrictions)
    return _pairs(model, job, rs, True)


def wire_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> st.SearchStrategy[dict[str, Any]]:
    model, job, rs = _context(validator, questions, restrictions)
    return _pairs(model, job, rs, False).map(lambda pair: pair[1])


def raw_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> st.SearchStrategy[Any]:
    return raw_and_wire(questions=questions, restrictions=restrictions, validator=validator).map(
        lambda pair: pair[0]
    )


def invalid_and_valid(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> st.SearchStrategy[tuple[dict[str, Any], Any, str, str]]:
    """``(valid, invalid, path, code)``: the body before and after the defect."""
    model, job, rs = _context(validator, questions, restrictions)
    return invalid_cases(model, job, rs)


def invalid_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> st.SearchStrategy[tuple[Any, str, str]]:
    return invalid_and_valid(
        questions=questions, restrictions=restrictions, validator=validator
    ).map(lambda case: case[1:])


def questions(*, max_questions: int = 6) -> st.SearchStrategy[list[dict[str, Any]]]:
    return question_sets(max_questions)


def answers_for(questions: Any, *, validator: Any = None) -> st.SearchStrategy[list[Any]]:
    model, job, _ = _context(validator, questions, None)
    assert job is not None
    return answer_lists(job, model)
