"""prepare_request: the job id, the X-Integration-Id header and the body, checked together."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kombo_validate
from kombo_validate import ContextError, PayloadError, Validator
from kombo_validate.request import encode_job_id, prepare_request, regions, request_plan
from kombo_validate.spec import load_document

from .helpers import OPT_PY, Q_LANG, QUESTIONS, minimal, with_attachment

JOB = "BDpgnpZ148nrGh4mYHNxJBgx"  # the spec's example job id
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"  # the spec's example integration id
EU = "https://api.kombo.dev/v1"
US = "https://api.us.kombo.dev/v1"


def issues_of(
    job_id: Any, body: Any, integration_id: Any = INTEGRATION, **kw: Any
) -> list[tuple[str, str]]:
    with pytest.raises(PayloadError) as caught:
        prepare_request(job_id, body, integration_id=integration_id, **kw)
    return [(i.path, i.code) for i in caught.value.issues]


# ------------------------------------------------------------------ the happy path


def test_spec_example_becomes_a_whole_request(
    validator: Validator, example: dict[str, Any]
) -> None:
    before = copy.deepcopy(example)
    req = prepare_request(JOB, example, integration_id=INTEGRATION, validator=validator)
    assert req == {
        "method": "POST",
        "url": f"{EU}/ats/jobs/{JOB}/applications",
        "headers": {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-Integration-Id": INTEGRATION,
        },
        "json": validator.check(example).body,
    }
    assert example == before  # the caller's body is not touched
    assert req["json"] is not example


def test_the_wire_body_is_normalised() -> None:
    body = minimal(location={"country": "Germany"})
    req = prepare_request(JOB, body, integration_id=INTEGRATION)
    assert req["json"]["candidate"]["location"] == {"country": "DE"}
    assert body["candidate"]["location"] == {"country": "Germany"}


def test_no_credentials_are_added() -> None:
    req = prepare_request(JOB, minimal(), integration_id=INTEGRATION)
    assert set(req["headers"]) == {"Content-Type", "Accept", "X-Integration-Id"}
    assert not any(k.lower() in ("authorization", "x-api-key") for k in req["headers"])


def test_the_result_unpacks_into_an_httpx_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    req = prepare_request("remote:a/b", minimal(), integration_id=INTEGRATION)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        client.request(**req)
    (sent,) = seen
    assert sent.url.raw_path == b"/v1/ats/jobs/remote:a%2Fb/applications"
    assert sent.headers["X-Integration-Id"] == INTEGRATION
    assert sent.headers["Content-Type"] == "application/json"


def test_warnings_do_not_block() -> None:
    req = prepare_request(JOB, minimal(favourite_colour="green"), integration_id=INTEGRATION)
    assert req["json"]["candidate"]["favourite_colour"] == "green"


# ------------------------------------------------------------------ job id in the path


@pytest.mark.parametrize(
    ("job_id", "segment"),
    [
        (JOB, JOB),
        ("remote:1234", "remote:1234"),
        ("remote:12/34", "remote:12%2F34"),
        ("remote:a b", "remote:a%20b"),
        ("remote:a?b#c", "remote:a%3Fb%23c"),
        ("remote:50%", "remote:50%25"),
        ("remote:../x", "remote:..%2Fx"),
        ("remote:Zürich", "remote:Z%C3%BCrich"),
        ("remote:a:b", "remote:a:b"),
        ("remote:a+b&c=d", "remote:a%2Bb%26c%3Dd"),
    ],
)
def test_job_id_is_one_percent_encoded_segment(job_id: str, segment: str) -> None:
    req = prepare_request(job_id, minimal(), integration_id=INTEGRATION)
    assert req["url"] == f"{EU}/ats/jobs/{segment}/applications"
    url = httpx.URL(req["url"])  # what a client sends keeps it one segment
    assert url.raw_path.decode().split("/") == ["", "v1", "ats", "jobs", segment, "applications"]
    assert url.query == b"" and url.fragment == ""


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).map(str.strip))
def test_any_remote_id_round_trips_through_the_path(rest: str) -> None:
    if not rest:
        return
    job_id = "remote:" + rest
    url = httpx.URL(prepare_request(job_id, minimal(), integration_id=INTEGRATION)["url"])
    parts = url.raw_path.decode("ascii").split("/")
    assert parts[:4] == ["", "v1", "ats", "jobs"] and parts[5:] == ["applications"]
    assert unquote(parts[4]) == job_id and parts[4].startswith("remote:")


def test_encode_job_id_keeps_the_remote_prefix_readable() -> None:
    assert encode_job_id("remote:a/b") == "remote:a%2Fb"


@pytest.mark.parametrize(
    ("job_id", "code"),
    [
        (None, "param.missing"),
        ("", "param.empty"),
        ("   ", "param.empty"),
        (5, "schema.type"),
        (["x"], "schema.type"),
        ("remote:", "param.empty"),
        ("remote:  ", "param.empty"),
        ("Remote:12", "param.format"),
        ("REMOTE:12", "param.format"),
        ("remote: 12", "param.format"),
        (" " + JOB, "param.format"),
        (JOB + "\n", "param.format"),
        ("remote:a\x00b", "param.format"),
        ("job/1", "param.format"),
        ("..", "param.format"),
        ("12 34", "param.format"),
        (object(), "json.not_json"),
        (b"BDpgnpZ148nrGh4mYHNxJBgx", "json.not_json"),
        (float("nan"), "number.not_finite"),
        (True, "schema.type"),
    ],
)
def test_bad_job_ids(validator: Validator, job_id: Any, code: str) -> None:
    assert issues_of(job_id, minimal(), validator=validator) == [("#path/job_id", code)]


def test_job_id_messages_quote_only_an_excerpt() -> None:
    with pytest.raises(PayloadError) as caught:
        prepare_request("bad id " + "x" * 500, minimal(), integration_id=INTEGRATION)
    (issue,) = caught.value.issues
    assert "x" * 60 not in issue.message and "remote:" in issue.message


# ------------------------------------------------------------------ X-Integration-Id


@pytest.mark.parametrize(
    "integration_id",
    [INTEGRATION, "workday:HWUTwvyx2wLoSUHphiWVrp28", "sap-successfactors:abc_DEF-1", "a.b:1"],
)
def test_good_integration_ids(integration_id: str) -> None:
    req = prepare_request(JOB, minimal(), integration_id=integration_id)
    assert req["headers"]["X-Integration-Id"] == integration_id


@pytest.mark.parametrize(
    ("integration_id", "code"),
    [
        (None, "param.missing"),
        ("", "param.empty"),
        (" ", "param.empty"),
        (42, "schema.type"),
        ("HWUTwvyx2wLoSUHphiWVrp28", "param.format"),
        ("join:", "param.format"),
        (":HWUTwvyx2wLoSUHphiWVrp28", "param.format"),
        ("join: HWUTwvyx2wLoSUHphiWVrp28", "param.format"),
        ("join:HWUT\r\nX-Evil: 1", "param.format"),
        (INTEGRATION + " ", "param.format"),
        ("join:a:b", "param.format"),
        (object(), "json.not_json"),
        (b"join:HWUTwvyx2wLoSUHphiWVrp28", "json.not_json"),
    ],
)
def test_bad_integration_ids(validator: Validator, integration_id: Any, code: str) -> None:
    found = issues_of(JOB, minimal(), integration_id, validator=validator)
    assert found == [("#header/X-Integration-Id", code)]


def test_malformed_integration_id_message_names_the_spec_example() -> None:
    with pytest.raises(PayloadError) as caught:
        prepare_request(JOB, minimal(), integration_id="nope")
    assert "<tool>:<id>" in str(caught.value) and INTEGRATION in str(caught.value)


# ------------------------------------------------------------------ all issues at once


def test_parameter_issues_come_first_then_the_body(validator: Validator) -> None:
    body = with_attachment(data="aGk=", data_url="https://example.com/cv.pdf")
    body["candidate"]["email_address"] = "nope"
    assert issues_of("", body, "nope", validator=validator) == [
        ("#path/job_id", "param.empty"),
        ("#header/X-Integration-Id", "param.format"),
        ("/candidate/email_address", "email.invalid"),
        ("/attachments/0", "attachment.data_and_data_url"),
    ]


def test_only_errors_are_raised() -> None:
    body = minimal(favourite_colour="green", email_address="nope")
    assert issues_of(JOB, body) == [("/candidate/email_address", "email.invalid")]


def test_not_a_body_at_all() -> None:
    assert issues_of(JOB, ["not", "an", "object"]) == [("", "schema.type")]


# ------------------------------------------------------------------ questions, restrictions


def test_questions_are_checked() -> None:
    assert issues_of(JOB, minimal(), questions=QUESTIONS) == [
        ("/screening_question_answers", "answer.required")
    ]
    body = minimal()
    body["screening_question_answers"] = [{"question_id": Q_LANG, "answer": OPT_PY}]
    req = prepare_request(JOB, body, integration_id=INTEGRATION, questions=QUESTIONS)
    assert req["json"]["screening_question_answers"] == [{"question_id": Q_LANG, "answer": OPT_PY}]


def test_restrictions_are_checked() -> None:
    restrictions = {"total_size_bytes": None, "types": {"CV": {"is_supported": False}}}
    body = with_attachment(data="aGk=", content_type="application/pdf")
    assert issues_of(JOB, body, restrictions=restrictions) == [
        ("/attachments/0/type", "attachment.type_unsupported")
    ]


def test_malformed_questions_are_a_context_error() -> None:
    with pytest.raises(ContextError):
        prepare_request(JOB, minimal(), integration_id=INTEGRATION, questions=[{"bad": 1}])


# ------------------------------------------------------------------ regions


def test_regions_come_from_the_spec() -> None:
    assert regions() == {"eu": EU, "us": US}


@pytest.mark.parametrize(("region", "base"), [("eu", EU), ("EU", EU), ("us", US), ("Us", US)])
def test_region_picks_the_server(region: str, base: str) -> None:
    req = prepare_request(JOB, minimal(), integration_id=INTEGRATION, region=region)
    assert req["url"] == f"{base}/ats/jobs/{JOB}/applications"


@pytest.mark.parametrize("region", ["ca", "", "europe", None])
def test_unknown_region_lists_the_choices(region: Any) -> None:
    with pytest.raises(ValueError, match=r"unknown region .*choose one of 'eu', 'us'"):
        prepare_request(JOB, minimal(), integration_id=INTEGRATION, region=region)


def test_unknown_region_is_raised_before_the_payload_is_looked_at() -> None:
    with pytest.raises(ValueError, match="unknown region") as caught:
        prepare_request("", {}, integration_id="", region="mars")
    assert not isinstance(caught.value, PayloadError)


def test_regions_of_another_spec() -> None:
    doc, _ = load_document(None)
    doc["servers"] = [
        {"url": "https://api.ca.kombo.dev/v1", "description": "Kombo CA API"},
        {"url": "https://api.au.kombo.dev/v1/", "description": "Australia"},  # from the host
    ]
    v = Validator(doc)
    assert regions(v) == {"ca": "https://api.ca.kombo.dev/v1", "au": "https://api.au.kombo.dev/v1/"}
    req = prepare_request(JOB, minimal(), integration_id=INTEGRATION, region="au", validator=v)
    assert req["url"] == f"https://api.au.kombo.dev/v1/ats/jobs/{JOB}/applications"
    with pytest.raises(ValueError, match="choose one of 'ca', 'au'"):
        prepare_request(JOB, minimal(), integration_id=INTEGRATION, validator=v)


def test_the_plan_is_built_once_per_validator(validator: Validator) -> None:
    assert request_plan(validator) is request_plan(validator)


def test_through_the_package() -> None:
    if not hasattr(kombo_validate, "prepare_request"):
        pytest.skip("kombo_validate.prepare_request is not exported yet")
    assert kombo_validate.prepare_request is prepare_request
