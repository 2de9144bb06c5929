"""Issue 15, the core: hostile input never crashes ``check``, never passes when it cannot
be sent, and costs time and memory linear in its size.

Every test asserts the exact (path, code) of each issue; none asserts a timing (the
sizes that were quadratic are at sizes a linear walk takes well under a second; the
bench rows ``schema errors`` and ``unknown keys`` show the scaling).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest.mock import MagicMock

import pytest

import kombo_validate as kv
from kombo_validate import ContextError, PayloadError, Questions
from kombo_validate.request import prepare_request

from .helpers import minimal, pairs, question

A = "screening_question_answers"
Q = "26vafvWSRmbhNcxJYqjCzuJg"


def with_answer(answer: Any, **candidate: Any) -> dict[str, Any]:
    return {**minimal(**candidate), A: [{"question_id": Q, "answer": answer}]}


def one(fmt: dict[str, Any] | None, qid: str = Q) -> Questions:
    return Questions([question(qid, "T", fmt)])


# --------------------------------------------------------------------------- 5: dates


@pytest.mark.parametrize(
    "text",
    [
        "2021-01-01T10:00:00+24:00",  # no such offset (datetime.timezone: ValueError)
        "2021-01-01T10:00:00+02:60",  # no such offset (was read as +03:00)
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC (OverflowError)
        "9999-12-31T23:00:00-02:00",  # after 9999 in UTC (OverflowError)
    ],
)
def test_offsets_out_of_range_are_invalid_dates_in_bodies_and_answers(text: str) -> None:
    report = kv.check(minimal(availability_date=text))
    assert pairs(report) == [("/candidate/availability_date", "date.invalid")]
    report = kv.check(with_answer(text), questions=one({"type": "DATE"}))
    assert pairs(report) == [(f"/{A}/0/answer", "answer.date")]


def test_a_timezone_whose_utcoffset_raises_is_not_json() -> None:
    class Broken(dt.tzinfo):
        def utcoffset(self, when: Any) -> dt.timedelta:
            raise RuntimeError("utcoffset")

    report = kv.check(minimal(availability_date=dt.datetime(2021, 1, 1, tzinfo=Broken())))
    assert pairs(report) == [("/candidate/availability_date", "json.not_json")]


def test_a_datetime_subclass_is_read_by_datetime_s_own_methods() -> None:
    class Stamp(dt.datetime):
        def isoformat(self, *args: Any, **kw: Any) -> str:
            raise RuntimeError("isoformat")

        def astimezone(self, tz: Any = None) -> Any:
            raise RuntimeError("astimezone")

    stamp = Stamp(2021, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    report = kv.check(minimal(availability_date=stamp))
    assert report.ok and report.body is not None
    assert report.body["candidate"]["availability_date"] == "2021-01-01T08:00:00Z"


# --------------------------------------------------------------------------- 5: questions


def test_negative_limits_make_every_answer_too_long_or_large() -> None:
    report = kv.check(with_answer("x"), questions=one({"type": "TEXT", "max_length": -1}))
    assert pairs(report) == [(f"/{A}/0/answer", "answer.too_long")]
    fmt = {"type": "FILE", "max_file_size_bytes": -1}
    cv = {"name": "cv.pdf", "content_type": "application/pdf", "data": "QUFB"}
    report = kv.check(with_answer(cv), questions=one(fmt))
    assert pairs(report) == [(f"/{A}/0/answer/data", "answer.file_too_large")]


@pytest.mark.parametrize(
    ("bound", "value"), [("min", float("nan")), ("max", float("inf")), ("min", float("-inf"))]
)
def test_non_finite_bounds_are_malformed_questions(bound: str, value: float) -> None:
    with pytest.raises(ContextError, match=f"format.{bound}: .* is not a finite number"):
        one({"type": "NUMBER", bound: value})


def test_a_question_id_that_is_a_str_subclass_is_an_exact_str() -> None:
    class Id(str):
        def __hash__(self) -> int:
            raise RuntimeError("hash")

        def __eq__(self, other: object) -> bool:
            raise RuntimeError("eq")

    qs = one({"type": "TEXT"}, Id(Q))
    assert type(qs.ids[0]) is str
    assert pairs(kv.check(with_answer("x"), questions=qs)) == []
    assert pairs(kv.check(with_answer(1), questions=qs)) == [(f"/{A}/0/answer", "answer.type")]


def test_a_question_id_that_is_not_valid_unicode_is_checked_in_full() -> None:
    qs = one({"type": "TEXT"}, "\ud800")
    body = {**minimal(), A: [{"question_id": "\ud800", "answer": 1}]}
    assert pairs(kv.check(body, questions=qs)) == [
        (f"/{A}/0/question_id", "string.invalid_unicode"),
        (f"/{A}/0/answer", "answer.type"),
    ]


def test_questions_nested_past_the_depth_limit_are_refused() -> None:
    deep: Any = question(Q, "T", None)
    for _ in range(1_000):
        deep = [deep]
    with pytest.raises(ContextError, match="nesting deeper than 64 levels"):
        Questions(deep)


# --------------------------------------------------------------------------- 5: values


def test_a_strided_memoryview_is_encoded_and_a_released_one_is_not_json() -> None:
    body = {**minimal(), "attachments": [{"name": "a.txt", "type": "CV"}]}
    body["attachments"][0]["data"] = memoryview(b"abcd")[::2]
    report = kv.check(body)
    assert pairs(report) == [] and report.body is not None
    assert report.body["attachments"][0]["data"] == "YWM="  # b"ac"
    released = memoryview(b"abcd")
    released.release()
    body["attachments"][0]["data"] = released
    assert pairs(kv.check(body)) == [
        ("/attachments/0", "attachment.no_data"),  # the rule sees no data
        ("/attachments/0/data", "json.not_json"),
    ]


class _ClaimsDict:
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return dict


class _ClaimsStr:
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return str


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (minimal(first_name=MagicMock(spec=str)), "/candidate/first_name"),
        ({"candidate": MagicMock(spec=dict)}, "/candidate"),
        ({"candidate": _ClaimsDict()}, "/candidate"),
        (minimal(first_name=_ClaimsStr()), "/candidate/first_name"),
        (_ClaimsStr(), ""),
        (minimal(availability_date=MagicMock(spec=dt.datetime)), "/candidate/availability_date"),
    ],
    ids=["mock-str", "mock-dict", "claims-dict", "claims-str", "claims-str-root", "mock-datetime"],
)
def test_objects_that_claim_a_json_type_are_not_json(body: Any, path: str) -> None:
    assert (path, "json.not_json") in pairs(kv.check(body))


def _raises(*names: str) -> dict[str, Any]:
    def boom(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("the caller's code ran")

    return dict.fromkeys(names, boom)


Dict = type("Dict", (dict,), _raises("items", "keys", "values", "__iter__", "get", "__len__"))
List = type("List", (list,), _raises("__iter__", "__len__", "__getitem__", "__contains__"))
Int = type("Int", (int,), _raises("__index__", "__int__", "__repr__", "__str__", "__eq__"))
Str = type("Str", (str,), _raises("__str__", "__repr__", "__len__", "__getitem__", "strip"))
Float = type("Float", (float,), _raises("__float__", "__repr__", "__str__"))


def test_subclasses_are_read_through_the_built_in_types_methods() -> None:
    candidate = Dict(first_name=Str("Ada"), last_name="L", email_address="a@example.com")
    candidate["salary_expectations"] = Dict(period="YEAR", amount=Float(1.5))
    cv = {"name": "x", "type": "CV", "data_url": "https://example.com/cv.pdf"}
    body = {"candidate": candidate, "attachments": List([cv])}
    body["remote_fields"] = {"x": Int(3)}
    report = kv.check(body)
    assert pairs(report) == [("/remote_fields/x", "key.unknown")]
    assert report.body is not None and report.body["candidate"]["first_name"] == "Ada"
    assert [type(c.after).__name__ for c in report.changes] == ["str", "float", "int"]
    # neither the report's rendering runs the caller's code
    assert "Str converted to str" in repr(report.changes)
    json.dumps(report.to_dict(), allow_nan=False)
    assert report.to_dict()["changes"][0]["before"] == "Ada"


def test_a_key_whose_eq_raises_never_has_it_called() -> None:
    Key = type("Key", (str,), {"__hash__": str.__hash__, **_raises("__eq__", "__ne__")})
    body = minimal()
    body["candidate"] = {Key("first_name"): "Ada", "last_name": "L", "email_address": "a@b.co"}
    body["candidate"][Key("nickname")] = "x"
    report = kv.check(body)
    assert pairs(report) == [("/candidate/nickname", "key.unknown")]
    assert report.body is not None and report.body["candidate"]["first_name"] == "Ada"


# --------------------------------------------------------------------------- 6: lone surrogates


@pytest.mark.parametrize("engine", ["rust", "python"])
def test_lone_surrogates_are_errors_where_they_are(engine: str) -> None:
    body = minimal(first_name="Ad\ud800", company="Acme")
    body["candidate"]["\udfffnick"] = "x"
    body["remote_fields"] = {"greenhouse": {"x": ["ok", "\udc00"]}}
    body[A] = [{"question_id": "q", "answer": ["\ud83d"]}]
    report = kv.Validator(engine=engine).check(body)
    assert pairs(report, "error") == [
        ("/candidate/first_name", "string.invalid_unicode"),
        ("/candidate/\udfffnick", "string.invalid_unicode"),
        ("/remote_fields/greenhouse/x/1", "string.invalid_unicode"),
        (f"/{A}/0/answer/0", "string.invalid_unicode"),
    ]
    assert "U+D800, character 2" in report.errors[0].message
    assert report.body is None


def test_a_surrogate_pair_is_fine_and_the_proof_still_holds() -> None:
    report = kv.check(minimal(first_name="Ada \U0001f600 한"))
    assert report.ok and report.body == minimal(first_name="Ada \U0001f600 한")


def test_an_option_id_replacing_a_name_is_checked_too() -> None:
    fmt = {"type": "SINGLE_SELECT", "options": [{"id": "\ud800", "name": "Yes"}]}
    report = kv.check(with_answer("yes"), questions=one(fmt))
    assert pairs(report) == [(f"/{A}/0/answer", "string.invalid_unicode")]


def test_prepare_request_refuses_lone_surrogates_instead_of_crashing() -> None:
    with pytest.raises(PayloadError) as info:
        prepare_request("remote:\ud800", minimal(), integration_id="join:\udc00")
    assert [(i.path, i.code) for i in info.value.issues] == [
        ("#path/job_id", "string.invalid_unicode"),
        ("#header/X-Integration-Id", "string.invalid_unicode"),
    ]
    with pytest.raises(PayloadError) as info:
        prepare_request("abc", minimal(last_name="\udfff"), integration_id="join:abc")
    assert [(i.path, i.code) for i in info.value.issues] == [
        ("/candidate/last_name", "string.invalid_unicode")
    ]


# --------------------------------------------------------------------------- 3: linear costs


def test_20k_schema_errors_are_each_reported_once() -> None:
    # quadratic before (each error compared with every one recorded): 28 s here
    n = 20_000
    report = kv.check({**minimal(), "attachments": [1] * n})
    assert pairs(report) == [(f"/attachments/{i}", "schema.type") for i in range(n)]


def test_40k_unknown_keys_are_each_reported_in_document_order() -> None:
    # quadratic before (indexOf per issue while sorting into document order): 11 s here
    body = minimal()
    body["candidate"].update((f"k{i}", i) for i in range(40_000))
    body["candidate"]["zeta"] = {"\ud800": 1}
    report = kv.check(body)
    assert pairs(report) == [
        *((f"/candidate/k{i}", "key.unknown") for i in range(40_000)),
        ("/candidate/zeta", "key.unknown"),
        ("/candidate/zeta/\ud800", "string.invalid_unicode"),
    ]
    # the first MAX_HINTS unknown keys get a "did you mean", the rest none (difflib)
    near = minimal()
    near["candidate"].update((f"k{i}", i) for i in range(200))
    near["candidate"]["last_nam"] = "x"
    messages = [i.message for i in kv.check(near).issues]
    assert "did you mean" not in messages[-1]
    typo = kv.check(minimal(last_nam="x")).issues[0].message
    assert typo.endswith("did you mean 'last_name'?")


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _kombo_id(i: int) -> str:
    text = ""
    while True:
        i, digit = divmod(i, 58)
        text = _BASE58[digit] + text
        if not i:
            return text.rjust(24, "1")


def test_a_3000_long_precondition_chain_is_followed_once_and_without_recursion() -> None:
    # each question asked only when the one before is answered true; the last required
    n = 3_000
    raw = [question(_kombo_id(0), "Q0", {"type": "BOOLEAN"})]
    for i in range(1, n):
        pre = {"precondition_question_id": _kombo_id(i - 1), "precondition_options": [True]}
        raw.append(question(_kombo_id(i), f"Q{i}", {"type": "BOOLEAN"}, **pre))
    raw[-1]["required"] = True
    qs = Questions(raw)  # the chain was walked once per question: 4.5 million steps
    answers = [{"question_id": _kombo_id(i), "answer": True} for i in range(n - 1)]
    report = kv.check({**minimal(), A: answers}, questions=qs)  # RecursionError before
    assert pairs(report) == [(f"/{A}", "answer.required")]
    answers[0]["answer"] = False  # no longer asked: nothing is required
    assert pairs(kv.check({**minimal(), A: answers[:1]}, questions=qs)) == []


# --------------------------------------------------------------------------- 7: bounded sizes


def test_a_huge_key_is_in_the_path_but_not_in_the_message() -> None:
    key = "k" * 1_000_000  # no difflib suggestion either: it could never match
    report = kv.check(minimal(**{key: 1}))
    assert pairs(report) == [(f"/candidate/{key}", "key.unknown")]
    assert len(report.issues[0].message) < 200
    with pytest.raises(ContextError) as info:
        Questions({key: 1})
    assert len(str(info.value)) < 400


def test_accepted_mime_types_are_listed_first_few_and_a_count() -> None:
    types = [f"application/x-{i}" for i in range(20_000)]
    fmt = {"type": "FILE", "accepted_mime_types": types}
    cv = {"name": "cv.pdf", "content_type": "application/pdf", "data": "QUFB"}
    report = kv.check(with_answer(cv), questions=one(fmt))
    assert pairs(report) == [(f"/{A}/0/answer/content_type", "answer.mime_type")]
    assert report.errors[0].message.endswith("application/x-7 and 19,992 more).")
    limits = {"types": {"CV": {"is_supported": True, "accepted_mime_types": types}}}
    body = {**minimal(), "attachments": [{"type": "CV", **cv}]}
    report = kv.check(body, restrictions=limits)
    assert pairs(report) == [("/attachments/0/content_type", "attachment.mime_type")]
    assert len(report.errors[0].message) < 400
    assert len(json.dumps(report.to_kombo_error())) < 1_000


def test_unknown_options_list_the_first_few_options_only() -> None:
    options = [{"id": f"o{i}", "remote_id": None, "name": f"Option {i}"} for i in range(10_000)]
    report = kv.check(
        with_answer(["nope"]), questions=one({"type": "MULTI_SELECT", "options": options})
    )
    assert pairs(report) == [(f"/{A}/0/answer/0", "answer.unknown_option")]
    assert len(report.errors[0].message) < 400
