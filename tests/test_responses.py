"""check_response (Kombo's answers, against the spec) and to_kombo_error (Kombo's error body)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import kombo_validate
from kombo_validate import PayloadError, Report, Validator, check
from kombo_validate.issues import Issue
from kombo_validate.request import prepare_request
from kombo_validate.responses import (
    ERROR_CODE,
    check_response,
    response_plan,
    to_kombo_error,
)
from kombo_validate.spec import load_document

from .helpers import minimal, with_attachment

A = "/data/screening_question_answers/0"


@pytest.fixture(scope="module")
def spec_response() -> dict[str, Any]:
    doc, _ = load_document(None)
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    value = op["responses"]["200"]["content"]["application/json"]["examples"]["example1"]["value"]
    assert isinstance(value, dict)
    return value


@pytest.fixture
def response(spec_response: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(spec_response)


def pairs(report: Report) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in report.issues]


ERROR: dict[str, Any] = {
    "status": "error",
    "error": {
        "code": "ATS.JOB_CLOSED",
        "title": "The job is closed.",
        "message": "Job BDpgnpZ148nrGh4mYHNxJBgx no longer takes applications.",
        "log_url": "https://app.kombo.dev/my-prod/logs?interactionId=123456",
    },
}


# ------------------------------------------------------------------ 200


def test_the_spec_example_response_passes(validator: Validator, response: dict[str, Any]) -> None:
    report = check_response(200, response, validator=validator)
    assert report.ok and report.issues == ()
    assert report.body == response and report.body is not response


@pytest.mark.parametrize(
    ("where", "key", "path"),
    [
        ((), "status", "/status"),
        ((), "data", "/data"),
        (("data",), "id", "/data/id"),
        (("data",), "changed_at", "/data/changed_at"),
        (("data", "candidate"), "first_name", "/data/candidate/first_name"),
        (("data", "job"), "name", "/data/job/name"),
    ],
)
def test_a_missing_required_field_fails_at_its_path(
    validator: Validator, response: dict[str, Any], where: tuple[str, ...], key: str, path: str
) -> None:
    node = response
    for part in where:
        node = node[part]
    del node[key]
    report = check_response(200, response, validator=validator)
    assert pairs(report) == [(path, "schema.required")]
    assert report.body is None


def test_wrong_values_fail_at_their_paths(validator: Validator, response: dict[str, Any]) -> None:
    response["status"] = "ok"
    response["data"]["outcome"] = "MAYBE"
    response["data"]["current_stage"]["index"] = "2"
    report = check_response(200, response, validator=validator)
    assert pairs(report) == [
        ("/status", "schema.const"),
        ("/data/outcome", "schema.enum"),
        ("/data/current_stage/index", "schema.type"),
    ]


def test_issues_are_in_document_order(validator: Validator, response: dict[str, Any]) -> None:
    del response["data"]["candidate"]["last_name"]
    response["data"]["changed_at"] = "yesterday"
    response["status"] = "ok"
    assert [i.path for i in check_response(200, response, validator=validator).issues] == [
        "/status",
        "/data/changed_at",
        "/data/candidate/last_name",
    ]


# ------------------------------------------------------------------ date-times


@pytest.mark.parametrize(
    "value",
    [
        "2022-08-07T14:01:29.196Z",
        "2022-08-07T14:01:29Z",
        "2022-08-07t14:01:29z",
        "2022-08-07T14:01:29+02:00",
        "2022-08-07T14:01:29.123456-05:30",
        "2024-02-29T00:00:00Z",
    ],
)
def test_rfc3339_date_times_pass(response: dict[str, Any], value: str) -> None:
    response["data"]["changed_at"] = value
    response["data"]["candidate"]["remote_deleted_at"] = value
    assert check_response(200, response).ok


@pytest.mark.parametrize(
    "value",
    [
        "2022-04-02",  # a date alone
        "2022-04-02T00:00:00",  # no offset
        "2022-04-02 00:00:00Z",
        "2022-02-30T00:00:00Z",  # no such day
        "2023-02-29T00:00:00Z",
        "2022-04-02T24:00:00Z",
        "2022-04-02T00:00:00+25:00",
        "yesterday",
        "",
        "２０２２-04-02T00:00:00Z",  # non-ASCII digits
    ],
)
def test_bad_date_times_fail(validator: Validator, response: dict[str, Any], value: str) -> None:
    response["data"]["candidate"]["remote_created_at"] = value
    report = check_response(200, response, validator=validator)
    assert pairs(report) == [("/data/candidate/remote_created_at", "date.invalid")]


def test_nullable_date_times_may_be_null(response: dict[str, Any]) -> None:
    response["data"]["rejected_at"] = None
    assert check_response(200, response).ok
    response["data"]["changed_at"] = None  # not nullable
    assert pairs(check_response(200, response)) == [("/data/changed_at", "schema.type")]


def date_answer(value: Any, kind: str = "DATE") -> dict[str, Any]:
    key = {"DATE": "date", "TEXT": "content"}[kind]
    return {
        "question": {"remote_id": None, "title": "Start?", "type": kind},
        "answer": {key: value},
    }


def test_a_date_answer_inside_the_any_of(validator: Validator, response: dict[str, Any]) -> None:
    response["data"]["screening_question_answers"] = [date_answer("2022-02-01T00:00:00Z")]
    assert check_response(200, response, validator=validator).ok
    response["data"]["screening_question_answers"] = [date_answer("2022-02-30T00:00:00Z")]
    assert pairs(check_response(200, response, validator=validator)) == [
        (f"{A}/answer/date", "date.invalid")
    ]


def test_a_text_answer_is_not_held_to_dates(validator: Validator, response: dict[str, Any]) -> None:
    response["data"]["screening_question_answers"] = [date_answer("2022-02-30", "TEXT")]
    assert check_response(200, response, validator=validator).ok


# ------------------------------------------------------------------ errors (default)


@pytest.mark.parametrize("status", [400, 401, 404, 422, 429, 500, 503, "400"])
def test_a_kombo_error_passes_for_any_other_status(validator: Validator, status: Any) -> None:
    assert check_response(status, ERROR, validator=validator).ok


def test_the_docs_minimal_error_passes() -> None:
    minimal_error = {
        "status": "error",
        "error": {
            "code": None,
            "title": None,
            "message": "An error without a code.",
            "log_url": None,
        },
    }
    assert check_response(500, minimal_error).ok


def test_nullable_enums_admit_null(validator: Validator, response: dict[str, Any]) -> None:
    """The spec's enums omit null under a nullable type; the docs show null: null passes."""
    response["data"]["outcome"] = None
    assert check_response(200, response, validator=validator).ok
    response["data"]["outcome"] = "LOST"
    assert pairs(check_response(200, response, validator=validator)) == [
        ("/data/outcome", "schema.enum")
    ]


def test_an_error_body_is_not_a_200(validator: Validator) -> None:
    assert pairs(check_response(200, ERROR, validator=validator)) == [
        ("/status", "schema.const"),
        ("/data", "schema.required"),
        ("/warnings", "schema.required"),
    ]


def test_a_success_body_is_not_an_error(validator: Validator, response: dict[str, Any]) -> None:
    assert pairs(check_response(400, response, validator=validator)) == [
        ("/status", "schema.enum"),
        ("/error", "schema.required"),
    ]


def test_bad_error_bodies(validator: Validator) -> None:
    bad = copy.deepcopy(ERROR)
    bad["error"]["code"] = "PLATFORM.SOMETHING"
    del bad["error"]["log_url"]
    assert pairs(check_response(400, bad, validator=validator)) == [
        ("/error/code", "schema.enum"),
        ("/error/log_url", "schema.required"),
    ]


# ------------------------------------------------------------------ input forms


def test_text_and_bytes_are_parsed(response: dict[str, Any]) -> None:
    text = json.dumps(response)
    for form in (text, text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        report = check_response(200, form)
        assert report.ok and report.body == response


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "not json", '{"status": "success",', '{"x": NaN}', b"\xff\xfe", "[" * 100_000],
)
def test_text_that_is_not_json(raw: str | bytes) -> None:
    report = check_response(200, raw)
    assert pairs(report) == [("", "body.not_json")]
    assert report.body is None


def test_python_values_that_are_not_json(response: dict[str, Any]) -> None:
    response["data"]["id"] = b"H77f"
    response["data"]["current_stage"]["index"] = float("nan")
    report = check_response(200, response)
    assert pairs(report) == [
        ("/data/id", "json.not_json"),
        ("/data/current_stage/index", "number.not_finite"),
    ]


def test_a_cycle_is_an_issue_not_a_crash(response: dict[str, Any]) -> None:
    response["data"]["remote_data"] = response
    assert ("/data/remote_data", "json.cycle") in pairs(check_response(200, response))


@pytest.mark.parametrize("body", [None, [], "null", 3])
def test_not_an_object(body: Any) -> None:
    assert pairs(check_response(400, body)) == [("", "schema.type")]


@pytest.mark.parametrize("status", [True, 99, 600, "abc", "", None, 200.0])
def test_an_impossible_status_is_a_value_error(status: Any) -> None:
    with pytest.raises(ValueError, match="HTTP status code"):
        check_response(status, ERROR)


def test_a_spec_without_a_default_response() -> None:
    doc, _ = load_document(None)
    del doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]["responses"]["default"]
    v = Validator(doc)
    assert pairs(check_response(500, ERROR, validator=v)) == [("", "response.status")]


def test_the_plan_is_built_once_per_validator(validator: Validator) -> None:
    assert response_plan(validator) is response_plan(validator)


# ------------------------------------------------------------------ to_kombo_error


def test_kombo_error_shape_and_message() -> None:
    report = check({"candidate": {"first_name": 3, "last_name": "L", "email_address": "a@b.co"}})
    assert to_kombo_error(report) == {
        "status": "error",
        "error": {
            "code": "PLATFORM.INPUT_INVALID",
            "title": "The request input is invalid.",
            "message": "1 problem in the request: /candidate/first_name: expected a string, "
            "got an integer",
            "log_url": None,
        },
    }


def test_kombo_error_lists_the_first_few_then_how_many_more() -> None:
    report = check({"candidate": {}, "stage_id": 1, "attachments": "x", "source": 2})
    assert len(report.errors) == 6
    message = to_kombo_error(report)["error"]["message"]
    assert message.startswith("6 problems in the request: /candidate/first_name: ")
    assert message.count("; ") == 5 and message.endswith("; and 1 more")
    short = to_kombo_error(report, limit=2)["error"]["message"]
    assert short.endswith("; and 4 more") and short.count("; ") == 2


def test_kombo_error_validates_against_the_spec(validator: Validator) -> None:
    for body in (minimal(first_name=1), {"candidate": {}, "stage_id": 1}, [1], with_attachment()):
        report = check(body)
        error = to_kombo_error(report)
        assert error["error"]["code"] == ERROR_CODE
        assert check_response(400, error, validator=validator).ok
        assert check_response(422, json.dumps(error), validator=validator).ok


def test_kombo_error_never_echoes_long_personal_data() -> None:
    secret = "confidential-medical-history " * 200
    report = check(minimal(email_address=secret, first_name=["x" * 5000], phone_number=secret))
    message = to_kombo_error(report)["error"]["message"]
    assert "confidential-medical-history confidential" not in message
    assert "x" * 50 not in message
    assert len(message) < 1000


def test_kombo_error_from_a_payload_error_names_parameters() -> None:
    with pytest.raises(PayloadError) as caught:
        prepare_request("", minimal(), integration_id="join:HWUTwvyx2wLoSUHphiWVrp28")
    message = to_kombo_error(caught.value)["error"]["message"]
    assert message == "1 problem in the request: #path/job_id: job_id is empty"


def test_kombo_error_from_issues_skips_warnings() -> None:
    issues = [
        Issue("/a", "x.warn", "just a warning", "warning"),
        Issue("", "x.err", "the root is wrong"),
    ]
    assert to_kombo_error(issues)["error"]["message"] == (
        "1 problem in the request: /: the root is wrong"
    )


def test_kombo_error_needs_an_error() -> None:
    with pytest.raises(ValueError, match="no error"):
        to_kombo_error(check(minimal()))
    with pytest.raises(ValueError, match="no error"):
        to_kombo_error([Issue("/a", "x.warn", "w", "warning")])


def test_through_the_package(response: dict[str, Any]) -> None:
    if not hasattr(kombo_validate, "check_response"):
        pytest.skip("kombo_validate.check_response is not exported yet")
    assert kombo_validate.check_response(200, response).ok


def test_report_to_kombo_error_delegates() -> None:
    report = check(minimal(first_name=1))
    if not hasattr(report, "to_kombo_error"):
        pytest.skip("Report.to_kombo_error is not wired yet")
    assert report.to_kombo_error() == to_kombo_error(report)
