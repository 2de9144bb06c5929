"""Questions and restrictions through the public API: ``kombo_validate.check``/``prepare``."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from typing import Any

import pytest

import kombo_validate
from kombo_validate import ContextError, PayloadError, Questions, Restrictions

from .helpers import sdk_job
from .test_questions import MINIMAL, O_BER, O_GO, Q_CITY, Q_DATE, Q_FILE, Q_MOVE, Q_SKIL, Q_YEAR
from .test_questions import job_questions as job_questions_fixture
from .test_restrictions import EXAMPLE as RESTRICTIONS

A = "screening_question_answers"

# The question ids and option ids of the spec's own example body
YES_NO = "3phFBNXRweGnDmsU9o2vdPuQ"
LANGS = "EYJjhMQT3LtVKXnTbnRT8s6U"
YES, NO = "8x3YKRDcuRnwShdh96ShBNn1", "9y4ZLSEdvSoxTiei17TiCPo2"
L1, L2, L3 = "GUzE666zfyjeoCJX6A8n7wh6", "5WPHzzKAv8cx97KtHRUV96U8", "7yZfKGzWigXxxRTygqAfHvyE"


def example_questions() -> list[dict[str, Any]]:
    """Questions of a job that the spec's example body answers."""
    common = {"remote_id": None, "description": None, "category": None, "required": True}
    return [
        {
            "id": YES_NO,
            "title": "Do you have a work permit?",
            "format": {
                "display_type": "RADIO",
                "options": [
                    {"id": YES, "remote_id": "1", "name": "Yes"},
                    {"id": NO, "remote_id": "0", "name": "No"},
                ],
                "type": "SINGLE_SELECT",
            },
            "index": 0,
            **common,
        },
        {
            "id": LANGS,
            "title": "Which languages do you speak?",
            "format": {
                "options": [
                    {"id": L1, "remote_id": None, "name": "English"},
                    {"id": L2, "remote_id": None, "name": "German"},
                    {"id": L3, "remote_id": None, "name": "French"},
                ],
                "type": "MULTI_SELECT",
            },
            "index": 1,
            **common,
        },
    ]


def body(**extra: Any) -> dict[str, Any]:
    """The spec's example body (trimmed): a CV and two screening answers."""
    b: dict[str, Any] = {
        "candidate": {
            "first_name": "Frank",
            "last_name": "Doe",
            "email_address": "frank.doe@example.com",
        },
        "attachments": [
            {
                "name": "Frank Doe CV.txt",
                "data": "SGkgdGhlcmUsIEtvbWJvIGlzIGN1cnJlbnRseSBoaXJpbmcgZW5naW5lZXJzIQ==",
                "type": "CV",
                "content_type": "application/pdf",
            }
        ],
        A: [
            {"question_id": YES_NO, "answer": "Yes"},
            {"question_id": LANGS, "answer": [L1, L2, L3]},
        ],
    }
    b.update(extra)
    return b


def pairs(report: kombo_validate.Report) -> list[tuple[str, str, str]]:
    return [(i.path, i.code, i.severity) for i in report.issues]


def test_the_spec_example_passes_with_a_name_mapped_to_its_id() -> None:
    original = body()
    before = copy.deepcopy(original)
    report = kombo_validate.check(original, questions=example_questions())
    assert pairs(report) == []
    assert report.ok and report.body is not None
    assert report.body[A][0] == {"question_id": YES_NO, "answer": YES}
    assert report.body[A][1]["answer"] == [L1, L2, L3]
    assert [(c.path, c.before, c.after) for c in report.changes] == [(f"/{A}/0/answer", "Yes", YES)]
    assert original == before  # the caller's body is untouched


def test_errors_and_warnings_with_exact_paths() -> None:
    b = body()
    b[A] = [
        {"question_id": LANGS, "answer": [L1, "Klingon", L1]},
        {"question_id": "NotAQuestionOfThisJob123", "answer": "x"},
        {"question_id": LANGS, "answer": [L2]},
    ]
    report = kombo_validate.check(b, questions=example_questions())
    assert pairs(report) == [
        (f"/{A}", "answer.required", "error"),
        (f"/{A}/0/answer/1", "answer.unknown_option", "error"),
        (f"/{A}/0/answer/2", "answer.duplicate_option", "error"),
        (f"/{A}/1/question_id", "answer.unknown_question", "warning"),
        (f"/{A}/2/question_id", "answer.duplicate", "error"),
    ]
    assert not report.ok and report.body is None
    assert report.issues[0].message == 'Answer to "Do you have a work permit?" is required.'


def test_required_answers_when_the_key_is_absent() -> None:
    b = body()
    del b[A]
    report = kombo_validate.check(b, questions=example_questions())
    assert pairs(report) == [(f"/{A}", "answer.required", "error")] * 2


def test_a_job_object_and_a_precompiled_questions_object() -> None:
    job = {"id": "job1", "name": "Engineer", "screening_questions": example_questions()}
    compiled = Questions(job)
    for questions in (job, compiled):
        report = kombo_validate.check(body(), questions=questions)
        assert report.ok and report.body is not None
        assert report.body[A][0]["answer"] == YES


def test_malformed_questions_raise_context_error() -> None:
    bad = example_questions()
    bad[1]["format"]["options"][0]["name"] = None
    with pytest.raises(ContextError, match=r"screening question 1 .*format\.options\[0\]\.name"):
        kombo_validate.check(body(), questions=bad)


def test_prepare_raises_with_the_answer_errors() -> None:
    questions = job_questions_fixture()
    answers = [*MINIMAL, {"question_id": Q_YEAR, "answer": 51}]
    with pytest.raises(PayloadError) as info:
        kombo_validate.prepare(body(**{A: answers}), questions=questions)
    assert [(i.path, i.code) for i in info.value.issues] == [
        (f"/{A}/3/answer", "answer.out_of_range")
    ]
    assert info.value.issues[0].message == 'Answer to "Years of experience" must be at most 50.'


def test_every_format_end_to_end() -> None:
    answers = [
        *MINIMAL[:1],
        {"question_id": Q_MOVE, "answer": "yes"},  # no coercion
        MINIMAL[2],
        {"question_id": Q_CITY, "answer": O_BER},  # precondition not met (Q_MOVE not true)
        {"question_id": Q_DATE, "answer": "2025-02-30"},
        {
            "question_id": Q_FILE,
            "answer": {"name": "w.zip", "content_type": "application/zip", "data": "SGVsbG8="},
        },
    ]
    report = kombo_validate.check(body(**{A: answers}), questions=job_questions_fixture())
    assert pairs(report) == [
        (f"/{A}/1/answer", "answer.type", "error"),
        (f"/{A}/3/answer", "answer.precondition_unmet", "warning"),
        (f"/{A}/4/answer", "answer.date", "error"),
        (f"/{A}/5/answer/content_type", "answer.mime_type", "error"),
    ]


def test_date_objects_are_normalised_by_the_core_first() -> None:
    answers = [*MINIMAL, {"question_id": Q_DATE, "answer": dt.date(2025, 3, 1)}]
    report = kombo_validate.check(body(**{A: answers}), questions=job_questions_fixture())
    assert pairs(report) == []
    assert report.body is not None and report.body[A][3]["answer"] == "2025-03-01"


def test_an_offset_date_answer_is_converted_as_a_body_date_is() -> None:
    # one rule, one behaviour: the body's date rule converts +02:00 to UTC, and so do answers
    answers = [*MINIMAL, {"question_id": Q_DATE, "answer": "2025-03-01T10:00:00+02:00"}]
    report = kombo_validate.check(body(**{A: answers}), questions=job_questions_fixture())
    assert pairs(report) == []
    assert report.body is not None and report.body[A][3]["answer"] == "2025-03-01T08:00:00Z"
    assert [(c.path, c.before, c.after, c.reason) for c in report.changes] == [
        (
            f"/{A}/3/answer",
            "2025-03-01T10:00:00+02:00",
            "2025-03-01T08:00:00Z",
            "UTC offset converted to the same instant in UTC",
        )
    ]
    candidate = {"first_name": "A", "last_name": "B", "email_address": "a@example.com"}
    same = kombo_validate.check(
        {"candidate": {**candidate, "availability_date": "2025-03-01T10:00:00+02:00"}}
    )
    assert [(c.after, c.reason) for c in same.changes] == [
        ("2025-03-01T08:00:00Z", report.changes[0].reason)
    ]


def test_an_email_answer_is_trimmed_as_a_body_email_is() -> None:
    questions = [
        {
            "id": "q1",
            "remote_id": "1",
            "title": "Mail",
            "description": None,
            "category": None,
            "required": True,
            "format": {"type": "TEXT", "display_type": "EMAIL"},
            "index": 0,
            "precondition_question_id": None,
            "precondition_options": None,
        }
    ]
    answers = [{"question_id": "q1", "answer": " Ada@Example.COM "}]
    report = kombo_validate.check(body(**{A: answers}), questions=questions)
    assert pairs(report) == []
    assert report.body is not None and report.body[A][0]["answer"] == "Ada@example.com"
    assert [(c.path, c.reason) for c in report.changes] == [
        (f"/{A}/0/answer", "email trimmed and its domain lowercased")
    ]
    bad = kombo_validate.check(
        body(**{A: [{"question_id": "q1", "answer": "mailto:ada@example.com"}]}),
        questions=questions,
    )
    assert pairs(bad) == [(f"/{A}/0/answer", "answer.email", "error")]


def test_core_errors_are_not_doubled() -> None:
    # an object answer without name: the core's shape check speaks, not answer.type as well
    answers = [*MINIMAL, {"question_id": Q_YEAR, "answer": None}]
    report = kombo_validate.check(body(**{A: answers}), questions=job_questions_fixture())
    assert [p for p, _, _ in pairs(report)] == [f"/{A}/3/answer"]


def test_multi_select_names_end_to_end() -> None:
    b = body()
    b[A][1]["answer"] = ["english", "FRENCH"]
    report = kombo_validate.check(b, questions=example_questions())
    assert report.ok and report.body is not None
    assert report.body[A][1]["answer"] == [L1, L3]
    assert [c.path for c in report.changes] == [
        f"/{A}/0/answer",
        f"/{A}/1/answer/0",
        f"/{A}/1/answer/1",
    ]
    assert b[A][1]["answer"] == ["english", "FRENCH"]


# --------------------------------------------------------------------------- restrictions


def test_restrictions_end_to_end() -> None:
    b = body()
    b["attachments"] = [
        {"name": "cv.pdf", "type": "CV", "content_type": "image/png", "data": "SGVsbG8gV29ybGQh"},
        {"name": "x.pdf", "type": "OTHER", "content_type": "application/pdf", "data": "SGVsbG8="},
    ]
    report = kombo_validate.check(b, restrictions=RESTRICTIONS)
    assert pairs(report) == [
        ("/attachments/0/content_type", "attachment.mime_type", "error"),  # document order
        ("/attachments/0/data", "attachment.too_large", "error"),
        ("/attachments/1/type", "attachment.type_unsupported", "error"),
    ]


def test_restrictions_from_the_whole_response_and_precompiled() -> None:
    response = {"status": "success", "data": {"attachment_restrictions": RESTRICTIONS}}
    b = body()
    b["attachments"][0]["data"] = "SGVsbG8="
    for restrictions in (response, Restrictions(response)):
        assert kombo_validate.check(b, restrictions=restrictions).ok
    del b["attachments"]
    report = kombo_validate.check(b, restrictions=response)
    assert pairs(report) == [("/attachments", "attachments.too_few", "error")]


def test_malformed_restrictions_raise_context_error() -> None:
    with pytest.raises(ContextError, match=r"types\.CV\.max_amount"):
        kombo_validate.check(
            body(), restrictions={"types": {"CV": {"is_supported": True, "max_amount": "1"}}}
        )


def test_both_contexts_together() -> None:
    b = body()
    b["attachments"][0]["data"] = "SGVsbG8="
    report = kombo_validate.check(b, questions=example_questions(), restrictions=RESTRICTIONS)
    assert report.ok and pairs(report) == []
    validator = kombo_validate.Validator()
    assert validator.check(
        b, questions=Questions(example_questions()), restrictions=Restrictions(RESTRICTIONS)
    ).ok


def test_questions_with_a_go_precondition_end_to_end() -> None:
    answers = [*MINIMAL[:2], {"question_id": Q_SKIL, "answer": [O_GO]}]
    report = kombo_validate.check(body(**{A: answers}), questions=job_questions_fixture())
    assert pairs(report) == [(f"/{A}", "answer.required", "error")]
    assert "Go certification" in report.issues[0].message


# --------------------------------------------------------------------------- the README recipes, offline


def _job(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """One job as GET /ats/jobs returns it (the spec's example, trimmed to required keys)."""
    return sdk_job(
        id="H5daSm8e85Dmvmne3wLeCPhX",
        remote_id="32",
        name="Backend Engineer",
        description="<p>Kombo is hiring engineers!</p>",
        confidential=False,
        custom_fields={},
        integration_fields=[],
        changed_at="2022-08-07T14:01:29.196Z",
        screening_questions=questions,
    )


def test_readme_recipe_with_the_official_sdk() -> None:
    kombo = pytest.importorskip("kombo")
    httpx = pytest.importorskip("httpx")
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        payload = {
            "status": "success",
            "data": {"next": None, "results": [_job(example_questions())]},
        }
        return httpx.Response(200, json=payload)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with kombo.Kombo(api_key="test-key", integration_id="join:abc", client=client) as sdk:
        res = sdk.ats.get_jobs(ids=["H5daSm8e85Dmvmne3wLeCPhX"])
        job = res.result.data.results[0]
    assert seen[0].url.path.endswith("/ats/jobs")
    assert seen[0].headers["x-integration-id"] == "join:abc"
    for given in (job, job.screening_questions):  # the SDK's models, as they come
        qs = Questions(given)
        assert qs == Questions(example_questions())
        assert kombo_validate.check(body(), questions=qs).ok
    # and the checked body goes to the SDK as keyword arguments, unchanged on the wire
    report = kombo_validate.check(body(), questions=qs)
    assert report.body is not None
    with (
        kombo.Kombo(api_key="test-key", integration_id="join:abc", client=client) as sdk,
        contextlib.suppress(Exception),  # the mock's reply is no real application
    ):
        sdk.ats.create_application(job_id="H5daSm8e85Dmvmne3wLeCPhX", **report.body)
    sent = json.loads(seen[-1].content)
    assert seen[-1].method == "POST"
    assert sent[A] == report.body[A] and sent[A][0]["answer"] == YES


def test_readme_recipe_with_plain_httpx() -> None:
    httpx = pytest.importorskip("httpx")

    def handler(request: Any) -> Any:
        if request.url.path.endswith("/ats/jobs"):
            payload = {"status": "success", "data": {"next": None, "results": [_job([])]}}
        else:
            assert request.url.path.endswith("/ats/actions/ats_create_application")
            payload = {"status": "success", "data": {"attachment_restrictions": RESTRICTIONS}}
        return httpx.Response(200, json=payload)

    headers = {"Authorization": "Bearer test-key", "X-Integration-Id": "join:abc"}
    transport = httpx.MockTransport(handler)
    with httpx.Client(
        base_url="https://api.kombo.dev/v1", headers=headers, transport=transport
    ) as http:
        jobs = http.get("/ats/jobs", params={"ids": "H5daSm8e85Dmvmne3wLeCPhX"}).json()
        restrictions = Restrictions(http.get("/ats/actions/ats_create_application").json())
    questions = Questions(jobs["data"]["results"][0])
    assert len(questions) == 0 and restrictions == Restrictions(RESTRICTIONS)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2025-03-01", None),
        ("2025-03-01T10:00:00Z", None),
        ("2025-03-01T10:00:00+02:00", None),  # converted to UTC, as in the body
        ("2025-03-01 10:00:00", "answer.date"),
        ("2025-02-30", "answer.date"),
        ("１２３４-01-01", "answer.date"),
    ],
)
def test_date_answers_use_the_specs_date_rule(value: str, code: str | None) -> None:
    questions = [
        {
            "id": "q1",
            "remote_id": "1",
            "title": "Start",
            "description": None,
            "category": None,
            "required": True,
            "format": {"type": "DATE"},
            "index": 0,
            "precondition_question_id": None,
            "precondition_options": None,
        }
    ]
    body = {
        "candidate": {"first_name": "A", "last_name": "B", "email_address": "a@example.com"},
        "screening_question_answers": [{"question_id": "q1", "answer": value}],
    }
    report = kombo_validate.check(body, questions=questions)
    expected = [] if code is None else [("/screening_question_answers/0/answer", code)]
    assert [(i.path, i.code) for i in report.issues] == expected
