"""Issue 15, the job context and the remaining hostile families: questions read through
the built-in types' own methods, graphs of shared sub-objects within the container
budget, huge strings, bounded numbers in messages.

Every test asserts the exact outcome (a ContextError's message, or the (path, code) of
each issue); none asserts a timing or a memory size.
"""

from __future__ import annotations

from typing import Any

import pytest

import kombo_validate as kv
from kombo_validate import ContextError, Questions

from .helpers import minimal, pairs, question

A = "screening_question_answers"
Q = "26vafvWSRmbhNcxJYqjCzuJg"
TOO_LARGE = "more than 100,000 objects and arrays in free-form data"


def with_answer(answer: Any, **candidate: Any) -> dict[str, Any]:
    return {**minimal(**candidate), A: [{"question_id": Q, "answer": answer}]}


def dag(levels: int) -> Any:
    a: Any = "x"
    for _ in range(levels):
        a = {"l": a, "r": a}
    return a


# --------------------------------------------------------------------------- nesting, subclasses


class RaisingDict(dict):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("__iter__ ran")

    def items(self) -> Any:
        raise RuntimeError("items ran")

    def __contains__(self, key: object) -> bool:
        raise RuntimeError("__contains__ ran")


class RaisingList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("__iter__ ran")

    def __len__(self) -> int:
        raise RuntimeError("__len__ ran")


def test_a_dict_subclass_given_as_questions_is_read_by_dict_s_own_methods() -> None:
    with pytest.raises(
        ContextError,
        match=r"^questions must be a job's screening_questions.*"
        r"got an object with keys a$",
    ):
        kv.check(minimal(), questions=RaisingDict(a=1))
    job = RaisingDict(screening_questions=[question(Q, "T", {"type": "TEXT"})])
    assert Questions(job).ids == (Q,)


def test_a_list_subclass_given_as_questions_is_read_by_list_s_own_iterator() -> None:
    qs = RaisingList([question(Q, "T", {"type": "TEXT"})])
    assert pairs(kv.check(with_answer(1), questions=qs)) == [(f"/{A}/0/answer", "answer.type")]
    job = {"screening_questions": RaisingList([question(Q, "T", {"type": "TEXT"})])}
    assert Questions(job).ids == (Q,)


@pytest.mark.parametrize("claimed", [dict, list])
def test_an_object_that_claims_to_be_a_dict_or_list_is_not_questions(claimed: type) -> None:
    claims = type("Claims", (), {"__class__": property(lambda self: claimed)})()
    with pytest.raises(
        ContextError, match=r"^questions must be a list of screening questions, got Claims$"
    ):
        kv.check(minimal(), questions=claims)


def test_a_mapping_whose_items_raise_is_a_context_error() -> None:
    from collections.abc import Mapping

    class Broken(Mapping[str, Any]):
        def __getitem__(self, key: str) -> Any:
            raise RuntimeError("getitem")

        def __iter__(self) -> Any:
            raise RuntimeError("iter")

        def __len__(self) -> int:
            return 1

    with pytest.raises(
        ContextError, match=r"^cannot read the Broken given as questions: RuntimeError: iter$"
    ):
        Questions(Broken())


def test_a_model_whose_model_dump_raises_is_a_context_error() -> None:
    class Model:
        def model_dump(self, **kw: Any) -> Any:
            raise ValueError("dump")

    with pytest.raises(ContextError, match=r"^cannot read the Model given: ValueError: dump$"):
        Questions(Model())


# --------------------------------------------------------------------------- dags


def test_a_graph_of_shared_objects_as_an_answer_is_too_large_not_unfolded() -> None:
    report = kv.check(with_answer(dag(60)))
    got = pairs(report)
    assert [c for _, c in got].count("json.too_large") == 1
    assert got[0] == (f"/{A}/0/answer", "attachment.no_data")
    assert report.body is None


@pytest.mark.parametrize("levels", [30, 60])
def test_a_graph_of_shared_objects_in_a_raw_question_is_a_context_error(levels: int) -> None:
    qs = [question(Q, "T", {"type": "UNKNOWN", "raw_question": dag(levels)})]
    with pytest.raises(
        ContextError,
        match=f"^screening question 0 \\(id '{Q}'\\): "
        f"format.raw_question.l.l.l.l.l.l…: {TOO_LARGE}$",
    ):
        kv.check(with_answer("x"), questions=qs)


def test_shared_objects_within_the_budget_are_questions_like_any_other() -> None:
    qs = [question(Q, "T", {"type": "UNKNOWN", "raw_question": dag(8)})]
    assert Questions.coerce(qs) is Questions.coerce(qs)  # the cache keyed as before
    assert pairs(kv.check(with_answer("x"), questions=qs)) == [
        (f"/{A}/0/answer", "answer.unchecked")
    ]


def test_a_graph_of_shared_objects_in_free_form_data_reports_the_budget_once() -> None:
    where = "/remote_fields/" + "/".join(["l"] * 43 + list("rrllllrrllrrr"))
    assert pairs(kv.check({**minimal(), "remote_fields": dag(60)})) == [
        ("/remote_fields/l", "key.unknown"),
        (where, "json.too_large"),
        ("/remote_fields/r", "key.unknown"),
    ]


# --------------------------------------------------------------------------- huge


@pytest.mark.parametrize("field", ["gender", "last_name"])
def test_a_long_value_with_a_lone_surrogate_is_invalid_unicode(field: str) -> None:
    value = "a" * 2_000_000 + "\ud800"
    report = kv.check(minimal(**{field: value}))
    assert pairs(report) == [(f"/candidate/{field}", "string.invalid_unicode")]


def test_the_engine_still_reports_the_rest_beside_a_huge_reported_value() -> None:
    body = minimal(gender="a" * 1_000_000 + "\ud800", salary_expectations={"amount": "x"})
    del body["candidate"]["last_name"]
    assert pairs(kv.check(body)) == [
        ("/candidate/gender", "string.invalid_unicode"),
        ("/candidate/salary_expectations/amount", "schema.type"),
        ("/candidate/salary_expectations/period", "schema.required"),
        ("/candidate/last_name", "schema.required"),
    ]


@pytest.mark.parametrize("where", ["answer_object", "candidate"])
def test_a_huge_unknown_key_is_reported_and_not_validated_by_the_engine(where: str) -> None:
    key = "k" * 5_000_000
    if where == "candidate":
        report = kv.check(minimal(**{key: 1}))
        base = "/candidate"
    else:
        report = kv.check(with_answer({key: "x"}))
        base = f"/{A}/0/answer"
    got = [(p if len(p) < 1_000 else p[: len(base) + 4] + "…", c) for p, c in pairs(report)]
    assert got == (
        [(base + "/kkk…", "key.unknown")]
        if where == "candidate"
        else [
            (base, "attachment.no_data"),
            (base + "/kkk…", "key.unknown"),
            (base + "/name", "schema.required"),
        ]
    )


def test_a_long_enum_value_is_never_case_folded_but_still_wrong() -> None:
    report = kv.check(minimal(gender="MALE" * 500_000 + "é"))
    assert pairs(report) == [("/candidate/gender", "schema.enum")]
    report = kv.check(minimal(gender=" male "))
    assert pairs(report) == [] and [(c.path, c.after) for c in report.changes] == [
        ("/candidate/gender", "MALE")
    ]


def test_a_long_non_ascii_content_type_is_left_as_it_is() -> None:
    att = {"name": "a.txt", "type": "CV", "data": "QUFB", "content_type": "É" * 5_000}
    report = kv.check({**minimal(), "attachments": [att]})
    assert report.changes == ()
    assert pairs(report) == [("/attachments/0/content_type", "schema.pattern")]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("restrictions", "message"),
    [
        (
            {"total_size_bytes": -1e308},
            "The attachments add up to 3 bytes; the integration accepts at most -1e+308 bytes "
            "in all.",
        ),
        (
            {"types": {"CV": {"is_supported": True, "max_file_size_bytes": -1e308}}},
            "This CV file is 3 bytes; the integration accepts at most -1e+308 bytes.",
        ),
    ],
)
def test_a_huge_limit_is_printed_as_a_double(restrictions: dict[str, Any], message: str) -> None:
    att = {"name": "a.txt", "type": "CV", "data": "QUFB", "content_type": "text/plain"}
    report = kv.check({**minimal(), "attachments": [att]}, restrictions=restrictions)
    assert [i.message for i in report.issues] == [message]


def test_a_huge_number_bound_of_a_question_is_printed_as_a_double() -> None:
    qs = [question(Q, "T", {"type": "NUMBER", "max": -(10**300)})]
    report = kv.check(with_answer(1), questions=qs)
    assert [i.message for i in report.issues] == ['Answer to "T" must be at most -1e+300.']


# --------------------------------------------------------------------------- many bad elements


def test_many_bad_precondition_options_make_one_error_of_the_any_of() -> None:
    qs = [question(Q, "T", {"type": "TEXT"}, precondition_options=["a/b"] * 100_000)]
    with pytest.raises(ContextError) as info:
        Questions(qs)
    message = str(info.value)
    assert message.startswith(f"screening question 0 (id '{Q}'): precondition_options: ['a/b', ")
    assert message.endswith("…") and "more problem" not in message


def test_many_bad_options_are_counted_up_to_a_bound() -> None:
    qs = [question(Q, "T", {"type": "SINGLE_SELECT", "options": ["a/b"] * 100_000})]
    with pytest.raises(ContextError) as info:
        Questions(qs)
    assert str(info.value) == (
        f"screening question 0 (id '{Q}'): format.options[999]: 'a/b' is not of type 'object'"
        " (and over 999 more problems in the questions)"
    )
    few = [question(Q, "T", {"type": "SINGLE_SELECT", "options": ["a/b"] * 1_000})]
    with pytest.raises(ContextError, match=r"\(and 999 more problem\(s\) in the questions\)$"):
        Questions(few)
