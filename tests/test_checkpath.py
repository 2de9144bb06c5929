"""The invalid body's path after the proof (issue 16): ordering few issues, skipping the
huge-string trim where the body's size rules it out. Each report is the full walk's."""

from __future__ import annotations

from typing import Any

import pytest

from kombo_validate import ContextError, Report, Validator
from kombo_validate.api import HUGE_CHARS
from kombo_validate.context import Ctx, fast_pointer
from kombo_validate.docorder import _FEWEST, document_order
from kombo_validate.issues import pointer
from kombo_validate.questions import Questions

from .helpers import minimal, pairs, question, snapshot, with_attachment

FAST = Validator()
SLOW = Validator(fast_path=False)


def _full(report: Report) -> tuple[Any, ...]:
    return (
        [(i.path, i.code, i.severity, i.message) for i in report.issues],
        [(c.path, c.before, c.after, c.reason) for c in report.changes],
        report.body,
    )


def _same(body: Any) -> Report:
    before = snapshot(body)
    report = FAST.check(body)
    assert snapshot(body) == before
    assert _full(report) == _full(SLOW.check(body))
    return report


def test_few_issues_follow_the_input_s_key_order_not_the_plan_s() -> None:
    body = with_attachment(
        data="SGk=", content_type="text/plain", data_url="https://files.example.com/cv.txt"
    )
    # the input's order: attachments first, then a location before the date
    body = {"attachments": body.pop("attachments"), **body}
    candidate = body["candidate"]
    candidate["location"] = {"country": "XX"}
    candidate["availability_date"] = "2021-02-30"
    report = _same(body)
    assert pairs(report) == [
        ("/attachments/0", "attachment.data_and_data_url"),
        ("/candidate/location/country", "country.unknown"),
        ("/candidate/availability_date", "date.invalid"),
    ]


def test_more_issues_than_the_few_take_the_indexed_order() -> None:
    count = _FEWEST + 3
    body = minimal()
    body["candidate"]["additional_email_addresses"] = [
        {"type": "WORK", "email_address": f"not-an-email-{i}"} for i in range(count)
    ]
    body = {"candidate": body["candidate"], "stage_id": body.get("stage_id", "s")}
    report = _same(body)
    assert pairs(report) == [
        (f"/candidate/additional_email_addresses/{i}/email_address", "email.invalid")
        for i in range(count)
    ]


def test_a_path_past_a_missing_part_sorts_after_the_present_ones() -> None:
    body = {"b": {"x": 1}, "a": [0, 1]}
    ctx = Ctx()
    ctx.error(("b", "nowhere", "deeper"), "c.one", "m")
    ctx.error(("a", 5), "c.two", "m")
    ctx.error(("a", 1), "c.three", "m")
    ctx.error(("b", "x", "past-a-number"), "c.four", "m")
    ordered = [(i.path, i.code) for i in document_order(body, ctx, True)]
    assert ordered == [
        ("/b/x/past-a-number", "c.four"),
        ("/b/nowhere/deeper", "c.one"),
        ("/a/1", "c.three"),
        ("/a/5", "c.two"),
    ]
    assert ordered == [(i.path, i.code) for i in document_order(body, ctx, False)]


def test_a_long_reported_string_under_the_size_bound_is_still_the_full_walk_s() -> None:
    # marshalled, the body is a little over the value: 3 times that stays under HUGE_CHARS
    value = "a" * (HUGE_CHARS // 3 - 2_000)
    body = minimal(gender=value)
    report = _same(body)
    assert pairs(report) == [("/candidate/gender", "schema.enum")]
    body = minimal(availability_date="9" * (HUGE_CHARS // 3 - 2_000))
    assert pairs(_same(body)) == [("/candidate/availability_date", "date.format")]


def test_a_reported_string_over_the_size_bound_is_cut_for_the_engine() -> None:
    value = "2021-02-30" + "x" * (HUGE_CHARS + 10)
    body = minimal(availability_date=value, salary_expectations={"amount": "x"})
    report = _same(body)
    assert pairs(report) == [
        ("/candidate/availability_date", "date.format"),
        ("/candidate/salary_expectations/amount", "schema.type"),
        ("/candidate/salary_expectations/period", "schema.required"),
    ]


# --------------------------------------------------------------------------- raw questions


def _number_question(qid: str, title: str) -> dict[str, Any]:
    return question(qid, title, {"type": "NUMBER", "min": 1, "max": 5})


def test_raw_questions_of_equal_length_and_tail_are_told_apart() -> None:
    # the front cache's tag is the length and the last bytes: these share both
    first = [_number_question("A" * 24, "Years?"), _number_question("C" * 24, "How many?")]
    second = [_number_question("B" * 24, "Years?"), _number_question("C" * 24, "How many?")]
    compiled = Questions.coerce(first), Questions.coerce(second)
    assert compiled[0].ids == ("A" * 24, "C" * 24)
    assert compiled[1].ids == ("B" * 24, "C" * 24)
    assert Questions.coerce(first) is compiled[0]  # a hit: equal bytes
    assert Questions.coerce(second) is compiled[1]


def test_raw_questions_changed_after_first_use_are_compiled_again() -> None:
    raw = [question("D" * 24, "Remote?", {"type": "BOOLEAN"}, required=True)]
    first = Questions.coerce(raw)
    raw[0]["required"] = 1  # == True, but not a boolean: never served from the cache
    with pytest.raises(ContextError, match="required: 1 is not of type 'boolean'"):
        Questions.coerce(raw)

    class Title(str):
        pass

    raw[0]["required"] = True
    assert Questions.coerce(raw) is first
    raw[0]["title"] = Title("Remote?")  # a subclass, equal: marshal refuses it, no cache
    assert Questions.coerce(raw) is not first
    assert Questions.coerce(raw) == first


def test_raw_questions_answer_a_body_through_check() -> None:
    qid = "E" * 24
    raw = [question(qid, "Years?", {"type": "NUMBER", "min": 1, "max": 5}, required=True)]
    body = minimal()
    body["screening_question_answers"] = [{"question_id": qid, "answer": 9}]
    report = FAST.check(body, questions=raw)
    assert pairs(report) == [("/screening_question_answers/0/answer", "answer.out_of_range")]
    body["screening_question_answers"][0]["answer"] = 3
    assert pairs(FAST.check(body, questions=raw)) == []


# --------------------------------------------------------------------------- pointers


class _Lying(str):
    def __str__(self) -> str:
        return "LIE"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ""),
        (("candidate", "location", "country"), "/candidate/location/country"),
        (("attachments", 0, "data"), "/attachments/0/data"),
        (("a/b", "~c"), "/a~1b/~0c"),
        (("", ""), "//"),
        ((True, "a"), "/True/a"),
        ((_Lying("s"), -1), "/s/-1"),
    ],
)
def test_a_recorded_pointer_is_the_rfc_6901_pointer(path: tuple[Any, ...], expected: str) -> None:
    assert fast_pointer(path) == pointer(path) == expected
    ctx = Ctx()
    ctx.error(path, "c.code", "m")
    assert [(i.path, i.code) for i in ctx.issues] == [(expected, "c.code")]
