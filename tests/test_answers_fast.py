"""``Questions.proves``: True only when ``check_answers`` would report and change nothing.

Soundness is the property: for drawn questions and answers — valid ones, and the
same with one defect of each kind — a proven list makes ``check_answers`` silent
and unchanged. The examples pin each condition the proof must refuse.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate import Questions, Validator
from kombo_validate.context import Ctx
from kombo_validate.strategies import answers_for, questions

from .helpers import minimal, option, pairs, question

V = Validator()
PATH = ("screening_question_answers",)


def proves(qs: Questions, answers: Any) -> bool:
    return qs.proves(answers, V.answer_dates.strict)


def silent(qs: Questions, answers: list[Any]) -> bool:
    ctx = Ctx()
    out = qs.check_answers(copy.deepcopy(answers), ctx, PATH, date_check=V.answer_dates.check)
    return not ctx.issues and not ctx.changes and out == answers


#: wire data: what check_answers sees after the core's walk
_wire = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _defects(answers: list[Any], qs: Questions) -> st.SearchStrategy[list[Any]]:
    ids = list(qs.ids)
    options: list[st.SearchStrategy[list[Any]]] = [st.just(answers)]
    if answers:
        options += [
            st.integers(0, len(answers) - 1).map(lambda i: answers[:i] + answers[i + 1 :]),
            st.integers(0, len(answers) - 1).map(lambda i: [*answers, answers[i]]),
            st.tuples(st.integers(0, len(answers) - 1), _wire).map(
                lambda t: [
                    *answers[: t[0]],
                    {**answers[t[0]], "answer": t[1]},
                    *answers[t[0] + 1 :],
                ]
            ),
        ]
    if ids:
        options.append(
            st.tuples(st.sampled_from(ids), _wire).map(
                lambda t: [*answers, {"question_id": t[0], "answer": t[1]}]
            )
        )
    options.append(st.just([*answers, {"question_id": "no-such-question", "answer": "x"}]))
    return st.one_of(options)


@given(st.data())
def test_a_proven_answer_list_leaves_the_full_check_silent(data: st.DataObject) -> None:
    raw = data.draw(questions())
    qs = Questions(raw)
    answers = data.draw(answers_for(raw))
    answers = data.draw(_defects(answers, qs))
    if proves(qs, answers):
        assert silent(qs, answers)


@given(st.data())
def test_drawn_valid_answers_get_the_same_report_either_way(data: st.DataObject) -> None:
    raw = data.draw(questions())
    body = {**minimal(), "screening_question_answers": data.draw(answers_for(raw))}
    report = V.check(body, questions=raw)
    ctx = Ctx()
    qs = Questions(raw)
    qs.check_answers(
        copy.deepcopy(body["screening_question_answers"]),
        ctx,
        PATH,
        date_check=V.answer_dates.check,
    )
    assert [(i.path, i.code) for i in ctx.issues] == [
        p for p in pairs(report) if p[0].startswith("/screening_question_answers")
    ]


# --------------------------------------------------------------------------- examples


# 24-character ids in the base58 alphabet, as the questions schema wants
T, P, F, W, D = (f"{n}{'A' * (24 - len(n))}" for n in ("Text", "Pick", "YesNo", "Why", "When"))
YES, NO = "optionYesAAAAAAAAAAAAAAA", "optionNoAAAAAAAAAAAAAAAA"


def _job() -> list[dict[str, Any]]:
    def q(qid: str, fmt: dict[str, Any], required: bool = True, **more: Any) -> dict[str, Any]:
        return question(qid, qid, fmt, required=required, **more)

    select = {"type": "SINGLE_SELECT", "options": [option(YES, "Yes"), option(NO, "No")]}
    return [
        q(T, {"type": "TEXT", "max_length": 10}),
        q(P, select),
        q(F, {"type": "BOOLEAN"}, required=False),
        q(W, {"type": "TEXT"}, precondition_question_id=P, precondition_options=[YES]),
        q(D, {"type": "DATE"}, required=False),
    ]


_KEYS = {"text": T, "pick": P, "flag": F, "why": W, "when": D}


def _answers(**values: Any) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"text": "hello", "pick": YES, "why": "because"}
    base.update(values)
    return [{"question_id": _KEYS[k], "answer": v} for k, v in base.items() if v is not None]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (_answers(), True),
        (_answers(when="2024-02-29"), True),
        (_answers(when="2024-09-01T10:00:00Z"), True),
        (_answers(when="2023-02-29"), False),  # answer.date
        (_answers(text="hello world!"), False),  # answer.too_long
        (_answers(text="   "), False),  # answer.empty (required)
        (_answers(pick="Yes"), False),  # the name: changed to its id
        (_answers(why=None), False),  # shown and required, missing
        (_answers(pick=NO), False),  # why answered, but only asked after Yes
        (_answers(pick=NO, why=None), True),
        (_answers(pick="o2", why=None), False),  # unknown option
        (_answers(flag=1), False),  # answer.type
        (_answers(text=None), False),  # answer.required
        ([*_answers(), {"question_id": T, "answer": "again"}], False),  # duplicate
        ([*_answers(), {"question_id": "zzz", "answer": "x"}], False),  # unknown question
        ([*_answers(), {"question_id": F}], None),  # no answer: the core reports it
        ([*_answers(), "not an object"], None),  # the core reports it
    ],
)
def test_each_condition_of_the_proof(answers: list[Any], expected: bool | None) -> None:
    """``expected``: proven and silent; None: not proven, and the check leaves it to the core."""
    qs = Questions(_job())
    assert proves(qs, answers) is bool(expected)
    assert silent(qs, answers) is (expected is not False)


def test_an_answer_to_a_question_whose_precondition_is_unmet_is_not_proven() -> None:
    job = _job()
    job[1]["required"] = False  # pick optional; why asked only when pick is Yes
    qs = Questions(job)
    answers = [a for a in _answers() if a["question_id"] != P]
    assert not proves(qs, answers) and not silent(qs, answers)
    assert proves(qs, [a for a in answers if a["question_id"] != W])


def test_the_bench_jobs_answers_are_proven() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import bench_bodies

    qs = Questions(bench_bodies.large_questions())
    answers = bench_bodies.large_body()["screening_question_answers"]
    assert proves(qs, answers) and silent(qs, answers)


N = "NumberAAAAAAAAAAAAAAAAAA"
_HUGE = 10**400


@pytest.mark.parametrize(
    ("bounds", "answer", "code"),
    [
        ({}, 85000.5, None),  # unbounded: tried within ±2**62 first
        ({}, 2**62 + 1, None),  # past that: the double range decides
        ({}, -1.7976931348623157e308, None),
        ({}, _HUGE, "answer.type"),  # no double holds it
        ({"min": 0}, 2**70, None),  # half-open
        ({"min": 0}, -1, "answer.out_of_range"),
        ({"max": 10.0}, 10, None),  # an integral float bound
        ({"max": 10.0}, 10.5, "answer.out_of_range"),
        ({"min": 0.5, "max": 2.5}, 0.25, "answer.out_of_range"),
        ({"min": 0.5, "max": 2.5}, 2.5, None),
    ],
)
def test_number_answers_are_proven_exactly_within_their_bounds(
    bounds: dict[str, Any], answer: float, code: str | None
) -> None:
    qs = Questions([question(N, "How many?", {"type": "NUMBER", **bounds})])
    answers = [{"question_id": N, "answer": answer}]
    assert proves(qs, answers) is (code is None)
    ctx = Ctx()
    qs.check_answers(answers, ctx, PATH, date_check=V.answer_dates.check)
    assert [(i.path, i.code) for i in ctx.issues] == (
        [] if code is None else [("/screening_question_answers/0/answer", code)]
    )
