"""The fast path (kombo_validate/fastpath.py) against the full walk it stands in for.

Every test compares ``Validator().check`` (fast path on) with a twin whose fast
path is off: issues (path, code, severity, message), changes and the wire body
must be identical. ``proven`` (the strict schema accepted the body as it is) is
asserted where the test is about it.
"""

from __future__ import annotations

import copy
import datetime
import enum
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate import Report, Validator
from kombo_validate.context import Ctx
from kombo_validate.fastpath import MAX_FAST_BYTES, FastPath
from kombo_validate.plan import compile_plan
from kombo_validate.spec import bundled_spec_path
from kombo_validate.strategies import invalid_bodies, json_values, raw_bodies, wire_bodies

from .helpers import minimal, pairs, snapshot, with_attachment

FAST = Validator()
SLOW = Validator(fast_path=False)


def fast_path_of(validator: Validator) -> FastPath:
    """A fast path as ``validator`` builds its own: from the plan of its request schema."""
    assert validator.fast_path
    return FastPath(compile_plan(validator.request_schema))


_FAST_PATHS: dict[int, tuple[Validator, FastPath]] = {}


def proven(body: Any, validator: Validator = FAST) -> bool | None:
    """True: proven as it is; False: parts walked; None: the full walk took it."""
    if id(validator) not in _FAST_PATHS:
        _FAST_PATHS[id(validator)] = (validator, fast_path_of(validator))
    result = _FAST_PATHS[id(validator)][1].run(body, Ctx())
    return None if result is None else result[1]


def full(report: Report) -> tuple[Any, ...]:
    return (
        [(i.path, i.code, i.severity, i.message) for i in report.issues],
        [(c.path, c.before, c.after, c.reason) for c in report.changes],
        report.body,
    )


def same(body: Any, **context: Any) -> Report:
    """The fast report, after asserting it is the full walk's, field for field."""
    before = snapshot(body)
    report = FAST.check(body, **context)
    assert snapshot(body) == before, "the caller's input was mutated"
    assert full(report) == full(SLOW.check(body, **context))
    return report


# --------------------------------------------------------------------------- proven bodies


def test_the_spec_example_is_proven_and_copied() -> None:
    body = FAST.spec.request_example if hasattr(FAST.spec, "request_example") else None
    body = body or _example()
    assert proven(body) is True
    report = same(body)
    assert report.ok and len(report.issues) == len(report.changes) == 0
    assert report.body == body and report.body is not body
    assert report.body["candidate"] is not body["candidate"]
    assert report.body["attachments"][0] is not body["attachments"][0]
    assert (
        report.body["screening_question_answers"][1]["answer"]
        is not (body["screening_question_answers"][1]["answer"])
    )


def _example() -> dict[str, Any]:
    import yaml

    doc = yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    value: dict[str, Any] = op["requestBody"]["content"]["application/json"]["examples"][
        "example1"
    ]["value"]
    return value


def test_a_date_time_and_every_rule_site_in_plain_form_is_proven() -> None:
    body = minimal(
        availability_date="2024-09-01T00:00:00Z",
        gender="FEMALE",
        location={"country": "DE", "city": "Berlin"},
        salary_expectations={"period": "YEAR", "amount": 85000.5},
        social_links=[{"url": "https://github.com/ada"}],
        additional_email_addresses=[{"type": "WORK", "email_address": "a.l@work.example.com"}],
    )
    body["attachments"] = [
        {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": "SGk="},
        {"name": "x.pdf", "type": "OTHER", "data_url": "https://files.example.com/x.pdf"},
    ]
    body["screening_question_answers"] = [
        {"question_id": "q1", "answer": True},
        {"question_id": "q2", "answer": 7},
        {"question_id": "q3", "answer": ["a", "b"]},
        {
            "question_id": "q4",
            "answer": {"name": "f.txt", "content_type": "text/plain", "data": ""},
        },
    ]
    assert proven(body) is True
    assert same(body).ok


# --------------------------------------------------------------------------- repaired parts

_SITES: list[tuple[str, Any, Any, list[tuple[str, str]]]] = [
    # (what, where to put it, value, expected (path, code))
    ("real date", ("candidate", "availability_date"), "2024-02-29", []),
    (
        "no Feb 29",
        ("candidate", "availability_date"),
        "2023-02-29",
        [("/candidate/availability_date", "date.invalid")],
    ),
    (
        "year 0",
        ("candidate", "availability_date"),
        "0000-01-01",
        [("/candidate/availability_date", "date.invalid")],
    ),
    (
        "leap second",
        ("candidate", "availability_date"),
        "2016-12-31T23:59:60Z",
        [("/candidate/availability_date", "date.invalid")],
    ),
    ("no Z", ("candidate", "availability_date"), "2024-09-01T10:00:00", []),
    ("offset", ("candidate", "availability_date"), "2024-09-01T10:00:00+02:00", []),
    ("lower country", ("candidate", "location", "country"), "de", []),
    ("country name", ("candidate", "location", "country"), "Germany", []),
    (
        "unknown country",
        ("candidate", "location", "country"),
        "XX",
        [("/candidate/location/country", "country.unknown")],
    ),
    ("upper domain", ("candidate", "email_address"), "ada@Example.COM", []),
    ("unicode local part", ("candidate", "email_address"), "adä@example.com", []),
    (
        "two @",
        ("candidate", "email_address"),
        "a@b@example.com",
        [("/candidate/email_address", "email.invalid")],
    ),
    ("lower enum", ("candidate", "gender"), "female", []),
    ("bad enum", ("candidate", "gender"), "WEEK", [("/candidate/gender", "schema.enum")]),
    (
        "nan",
        ("candidate", "salary_expectations", "amount"),
        math.nan,
        [("/candidate/salary_expectations/amount", "number.not_finite")],
    ),
    (
        "too big",
        ("candidate", "salary_expectations", "amount"),
        10**400,
        [("/candidate/salary_expectations/amount", "number.out_of_range")],
    ),
    ("not http", ("candidate", "social_links", 0, "url"), "ftp://example.com/x", []),
    (
        "no scheme",
        ("candidate", "social_links", 0, "url"),
        "example.com",
        [("/candidate/social_links/0/url", "uri.invalid")],
    ),
    ("None optional", ("candidate", "title"), None, []),
    ("int for str", ("candidate", "first_name"), 42, [("/candidate/first_name", "schema.type")]),
    ("tuple", ("candidate", "social_links"), ({"url": "https://a.example"},), []),
    ("set", ("candidate", "title"), {"x"}, [("/candidate/title", "json.not_json")]),
    ("date object", ("candidate", "availability_date"), datetime.date(2024, 9, 1), []),
    ("unknown key", ("candidate", "nickname"), "Ada", [("/candidate/nickname", "key.unknown")]),
]


def _put(body: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = body
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    return body


def _site_body() -> dict[str, Any]:
    return minimal(
        availability_date="2024-09-01",
        location={"country": "DE"},
        salary_expectations={"period": "YEAR", "amount": 1},
        social_links=[{"url": "https://example.com"}],
    )


@pytest.mark.parametrize(("what", "where", "value", "expected"), _SITES, ids=[s[0] for s in _SITES])
def test_each_rule_site_matches_the_full_walk(
    what: str, where: tuple[Any, ...], value: Any, expected: list[tuple[str, str]]
) -> None:
    body = _put(_site_body(), where, value)
    report = same(body)
    assert [p for p in pairs(report) if p[1] != "key.unknown" or expected] == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"content_type": "Text/Plain; charset=utf-8", "data": "SGk="}, []),
        (
            {"content_type": "application/octet-stream", "data": "SGk="},
            [("/attachments/0/content_type", "attachment.generic_content_type")],
        ),
        ({"data": "SGk="}, []),  # inferred from cv.pdf
        ({"data": "data:application/pdf;base64,SGk="}, []),
        (
            {"content_type": "text/plain", "data": "SGk"},
            [("/attachments/0/data", "attachment.base64_invalid")],
        ),
        ({"content_type": "text/plain", "data": "SGk=\n"}, []),
        (
            {"content_type": "text/plain", "data": "SGk=", "data_url": "https://a.example/x"},
            [("/attachments/0", "attachment.data_and_data_url")],
        ),
        ({"content_type": "text/plain"}, [("/attachments/0", "attachment.no_data")]),
        ({"data_url": "http://"}, [("/attachments/0/data_url", "attachment.data_url_invalid")]),
        ({"content_type": "text/plain", "data": b"Hi"}, []),
    ],
)
def test_each_attachment_form_matches_the_full_walk(
    fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    report = same(with_attachment(**fields))
    assert pairs(report) == expected
    assert proven(with_attachment(**fields)) is not True or expected == [] == report.changes


def test_only_the_failing_parts_are_walked_and_issues_keep_document_order() -> None:
    body = _example()
    body["candidate"]["location"]["country"] = "XX"
    body["candidate"]["availability_date"] = "2021-02-30"
    body["attachments"][0]["data_url"] = "https://files.example.com/cv.txt"
    assert proven(body) is False
    report = same(body)
    assert pairs(report) == [
        ("/candidate/availability_date", "date.invalid"),
        ("/candidate/location/country", "country.unknown"),
        ("/attachments/0", "attachment.data_and_data_url"),
    ]


def test_parts_that_pass_their_strict_schema_are_not_walked() -> None:
    fast = fast_path_of(FAST)
    root = fast.root
    repaired: list[Any] = []
    for _name, child in root.children:
        real = child.repair

        def spy(value: Any, wire: Any, path: Any, ctx: Ctx, depth: int, real: Any = real) -> Any:
            repaired.append(path)
            return real(value, wire, path, ctx, depth)

        child.repair = spy
    body = _example()
    body["candidate"]["availability_date"] = "2021-02-30"
    ctx = Ctx()
    assert fast.run(body, ctx) is not None
    assert [(i.path, i.code) for i in ctx.issues] == [
        ("/candidate/availability_date", "date.invalid")
    ]
    assert pairs(FAST.check(body)) == [("/candidate/availability_date", "date.invalid")]
    # the attachments and answers passed their strict schemas: never walked
    assert repaired == [("candidate",)]


class _Gender(str, enum.Enum):
    FEMALE = "FEMALE"


class _Name(str):
    pass


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (minimal(gender=_Gender.FEMALE), []),
        (minimal(first_name=_Name("Ada")), []),
        (
            {"candidate": {**minimal()["candidate"], 1: "x"}},
            [("/candidate", "json.key_not_string")],
        ),
        (
            {
                **minimal(),
                "attachments": ({"name": "a", "type": "CV", "data_url": "https://a.b/c"},),
            },
            [],
        ),
    ],
    ids=["str enum member", "str subclass", "int key", "tuple of attachments"],
)
def test_what_marshal_or_the_copy_refuses_takes_the_full_walk(
    body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    # marshal takes int keys (jsonschema-rs does not: that object is walked)
    assert proven(body) is (False if expected else None)
    report = same(body)
    assert pairs(report) == expected


_MAX = 1.7976931348623157e308


@pytest.mark.parametrize(
    ("amount", "in_range"),
    [
        (85000, True),
        (85000.5, True),
        (-(2**62), True),  # the int-bounded branch's edges
        (2**62 + 1, True),  # past them: the double-range branch answers
        (1e300, True),
        (-_MAX, True),  # the spec's own minimum, which that branch implies
        (int(_MAX), True),
        (int(_MAX) * 2, False),
        (-(10**400), False),
    ],
    ids=["int", "float", "-2**62", "2**62+1", "1e300", "-max", "int(max)", "2*int(max)", "-1e400"],
)
def test_salary_amounts_are_proven_exactly_within_the_double_range(
    amount: float, in_range: bool
) -> None:
    body = minimal(salary_expectations={"period": "YEAR", "amount": amount})
    assert proven(body) is in_range
    report = same(body)
    expected = (
        [] if in_range else [("/candidate/salary_expectations/amount", "number.out_of_range")]
    )
    assert pairs(report) == expected


def test_a_cycle_in_typed_data_is_reported_where_it_closes() -> None:
    body = minimal()
    body["candidate"]["location"] = body["candidate"]
    report = same(body)
    assert ("/candidate/location", "json.cycle") in pairs(report)


def test_free_form_remote_fields_are_walked_there_only() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    body = {**minimal(), "remote_fields": {"personio": {"application": {"x": loop, "y": {1}}}}}
    assert proven(body) is False
    report = same(body)
    assert pairs(report) == [
        ("/remote_fields/personio/application/x/self", "json.cycle"),
        ("/remote_fields/personio/application/y", "json.not_json"),
    ]
    fine = {**minimal(), "remote_fields": {"personio": {"application": {"x": [1, {"y": "z"}]}}}}
    assert proven(fine) is False and same(fine).ok


def test_a_body_over_the_size_limit_takes_the_full_walk() -> None:
    body = with_attachment(content_type="text/plain", data="QUJD" * (MAX_FAST_BYTES // 4 + 1))
    assert proven(body) is None
    assert same(body).ok


def test_a_spec_with_another_enum_and_a_new_date_field_flows_through() -> None:
    import yaml

    doc = yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))
    text = yaml.safe_dump(doc)
    assert "DIVERSE" not in text
    schema = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]
    candidate = schema["properties"]["candidate"]
    candidate["properties"]["gender"]["enum"].append("DIVERSE")
    date_field = candidate["properties"]["availability_date"]
    candidate["properties"]["birth_date"] = copy.deepcopy(date_field)
    validator = Validator(doc)
    assert proven(minimal(gender="DIVERSE", birth_date="1990-05-17"), validator) is True
    report = validator.check(minimal(birth_date="1990-02-30"))
    assert pairs(report) == [("/candidate/birth_date", "date.invalid")]


def _spec_with_candidate_property(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    import yaml

    doc: dict[str, Any] = yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))
    body = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]
    body["properties"]["candidate"]["properties"][name] = schema
    return doc


def test_a_one_of_both_of_whose_branches_fit_is_not_proven() -> None:
    doc = _spec_with_candidate_property(
        "nickname", {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 3}]}
    )
    fast, slow = Validator(doc), Validator(doc, fast_path=False)
    body = minimal(nickname="Ada")  # fits both branches: oneOf fails
    assert proven(body, fast) is False
    assert full(fast.check(body)) == full(slow.check(body))
    assert pairs(fast.check(body)) == [("/candidate/nickname", "schema.one_of")]
    assert proven(minimal(nickname="Adelaide"), fast) is True


def test_an_all_of_object_is_proven_against_its_branches_as_written() -> None:
    doc = _spec_with_candidate_property(
        "pet",
        {
            "allOf": [
                {"type": "object", "properties": {"kind": {"type": "string", "enum": ["cat"]}}},
                {"type": "object", "properties": {"kind": {"type": "string", "enum": ["dog"]}}},
            ]
        },
    )
    fast, slow = Validator(doc), Validator(doc, fast_path=False)
    body = minimal(pet={"kind": "cat"})  # the merged walk sees the first enum only
    assert proven(body, fast) is False
    assert full(fast.check(body)) == full(slow.check(body))
    assert not fast.check(body).ok


# --------------------------------------------------------------------------- properties


@given(wire_bodies())
def test_drawn_wire_bodies_never_need_the_full_walk(body: dict[str, Any]) -> None:
    # a non-ASCII email local part, say, is walked there (the strict pattern is ASCII)
    assert proven(body) is not None
    assert same(body).ok


@given(raw_bodies())
def test_drawn_raw_bodies_match_the_full_walk(body: Any) -> None:
    assert same(body).ok


@given(invalid_bodies())
def test_drawn_invalid_bodies_match_the_full_walk(case: tuple[Any, str, str]) -> None:
    body, path, code = case
    assert (path, code) in pairs(same(body))


@given(
    st.dictionaries(
        st.sampled_from(["candidate", "attachments", "remote_fields", "x"]),
        json_values(),
        max_size=3,
    )
)
def test_arbitrary_values_anywhere_match_the_full_walk(body: dict[str, Any]) -> None:
    same(body)


@given(json_values())
def test_arbitrary_candidates_match_the_full_walk(value: Any) -> None:
    same({"candidate": value})
    same(minimal(location=value))
    same({**minimal(), "screening_question_answers": [{"question_id": "q", "answer": value}]})


@pytest.mark.parametrize(
    ("amount", "name", "expected"),
    [
        (135726606829.0, "Ada", True),  # marshal writes the float as ... ED A9 ...
        (135726606829.0, "Ad\ud800a", None),  # and a lone surrogate: the walk reports it
    ],
    ids=["number", "number and surrogate"],
)
def test_bytes_of_a_number_that_look_like_a_surrogate_do_not_stop_the_proof(
    amount: float, name: str, expected: bool | None
) -> None:
    body = minimal(first_name=name, salary_expectations={"period": "MONTH", "amount": amount})
    assert proven(body) is expected
    report = same(body)
    assert pairs(report) == (
        [] if expected else [("/candidate/first_name", "string.invalid_unicode")]
    )
