"""The schema layer: every JSON Schema constraint of the spec, through both engines."""

from __future__ import annotations

from typing import Any

import pytest

from kombo_validate import Validator

from .helpers import minimal, pairs


def test_spec_example_is_valid_and_unchanged(validator: Validator, example: dict[str, Any]) -> None:
    report = validator.check(example)
    assert report.ok
    assert report.issues == ()
    assert report.changes == ()
    assert report.body == example
    assert report.body is not example


def test_required_properties_at_their_own_paths(validator: Validator) -> None:
    report = validator.check({"candidate": {"first_name": "Ada"}})
    assert pairs(report) == [
        ("/candidate/last_name", "schema.required"),
        ("/candidate/email_address", "schema.required"),
    ]
    assert validator.check({}).errors[0].path == "/candidate"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (minimal(first_name=42), "/candidate/first_name"),
        (minimal(gender=True), "/candidate/gender"),
        ({"candidate": "Ada"}, "/candidate"),
        ({**minimal(), "stage_id": 7}, "/stage_id"),
        ({**minimal(), "attachments": {}}, "/attachments"),
        ({**minimal(), "gdpr_consent": {"given": "yes"}}, "/gdpr_consent/given"),
    ],
)
def test_wrong_types(validator: Validator, body: dict[str, Any], path: str) -> None:
    assert pairs(validator.check(body)) == [(path, "schema.type")]


def test_root_must_be_an_object(validator: Validator) -> None:
    for body in ([], "x", 3, None):
        assert pairs(validator.check(body)) == [("", "schema.type")]


def test_bool_is_not_a_number(validator: Validator) -> None:
    body = minimal(salary_expectations={"period": "YEAR", "amount": True})
    assert pairs(validator.check(body)) == [
        ("/candidate/salary_expectations/amount", "schema.type")
    ]


def test_enum_lists_the_allowed_values(validator: Validator) -> None:
    report = validator.check(minimal(gender="DIVERSE"))
    assert pairs(report) == [("/candidate/gender", "schema.enum")]
    assert "'MALE', 'FEMALE', 'OTHER'" in report.errors[0].message


def test_nested_required_in_arrays(validator: Validator) -> None:
    body = minimal(additional_email_addresses=[{"type": "WORK"}])
    assert pairs(validator.check(body)) == [
        ("/candidate/additional_email_addresses/0/email_address", "schema.required")
    ]


def test_pattern_country_lowercase_long(validator: Validator) -> None:
    # three letters that are no country: the rule's code, not a second schema error
    report = validator.check(minimal(location={"country": "QQQ"}))
    assert pairs(report) == [("/candidate/location/country", "country.unknown")]


def test_content_type_pattern(validator: Validator) -> None:
    body = minimal()
    body["attachments"] = [{"name": "cv.pdf", "type": "CV", "data": "QUJD", "content_type": "pdf"}]
    assert pairs(validator.check(body)) == [("/attachments/0/content_type", "schema.pattern")]


@pytest.mark.parametrize("value", ["２０２１-01-01", "2021-01-01\n"])
def test_patterns_have_ecma_semantics(validator: Validator, value: str) -> None:
    # \d is ASCII-only and $ matches only at the very end (ECMA-262)
    report = validator.check(minimal(availability_date=value))
    assert pairs(report) == [("/candidate/availability_date", "date.format")]


def test_patterns_via_the_engine_directly(validator: Validator) -> None:
    from kombo_validate.engine import make_engine

    engine = make_engine({"type": "string", "pattern": r"^\d{2}$"}, validator.engine_name)
    assert engine.is_valid("12")
    assert not engine.is_valid("１２")
    assert not engine.is_valid("12\n")


def test_any_of_reports_one_error_at_the_answer(validator: Validator) -> None:
    body = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": None}]}
    report = validator.check(body)
    assert pairs(report) == [("/screening_question_answers/0/answer", "schema.any_of")]
    assert "a string" in report.errors[0].message
    assert "an array of strings" in report.errors[0].message


def test_any_of_best_match_goes_into_the_fitting_branch(validator: Validator) -> None:
    body = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": ["a", 2]}]}
    assert pairs(validator.check(body)) == [
        ("/screening_question_answers/0/answer/1", "schema.type")
    ]


def test_file_answer_without_name(validator: Validator) -> None:
    answer = {"data_url": "https://files.example.com/a.pdf"}
    body = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": answer}]}
    assert pairs(validator.check(body)) == [
        ("/screening_question_answers/0/answer/name", "schema.required")
    ]


def test_integer_keyword_in_remote_fields(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"avature": {"workflow": {"step": {"id": 1.5}}}}}
    assert pairs(validator.check(body)) == [
        ("/remote_fields/avature/workflow/step/id", "schema.type")
    ]


def test_all_of_remote_fields_both_branches_checked(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"workable": {"on_behalf_of_user_remote_id": 5}}}
    assert pairs(validator.check(body)) == [
        ("/remote_fields/workable/on_behalf_of_user_remote_id", "schema.type")
    ]


def test_engines_agree_on_a_corpus() -> None:
    rust, python = Validator(engine="rust"), Validator(engine="python")
    corpus: list[Any] = [
        minimal(),
        minimal(gender="X"),
        {"candidate": {}},
        minimal(location={"city": "Berlin"}),
        minimal(social_links=[{"url": 3}]),
        {**minimal(), "sourced_by": {}},
        {**minimal(), "screening_question_answers": [{"answer": 1}]},
    ]
    for body in corpus:
        assert pairs(rust.check(body)) == pairs(python.check(body)), body


def test_unknown_engine_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        Validator(engine="fast")


def test_any_of_prefers_the_branch_whose_const_matches() -> None:
    from kombo_validate.engine import make_engine
    from kombo_validate.schema_errors import issues_from

    schema = {
        "anyOf": [
            {"type": "object", "properties": {"type": {"const": "TEXT"}, "v": {"type": "string"}}},
            {
                "type": "object",
                "properties": {
                    "type": {"const": "DATE"},
                    "v": {"type": "string", "pattern": "^[0-9]{4}$"},
                },
            },
        ]
    }
    for name in ("rust", "python"):
        engine = make_engine(schema, name)
        found = [
            (p, c)
            for p, c, _ in issues_from(engine.iter_errors({"type": "DATE", "v": "x"}), schema)
        ]
        assert found == [(("v",), "schema.pattern")], name
