"""Job context for Create candidate (the job in ``application.job_id``) and AI Apply's
unified application (the job in its path): the Create application cases, mirrored.

The questions are the spec example's job (``test_questions_e2e``); the full spec's
operations are used when that spec is present, the small test document's otherwise.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import Validator

from .test_questions import MINIMAL, O_GO, Q_SKIL
from .test_questions import job_questions as go_questions
from .test_questions_e2e import L1, L2, L3, LANGS, YES, YES_NO, A, example_questions
from .test_questions_e2e import body as application_body
from .test_questions_e2e import pairs as all_pairs

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
FULL = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kombo-openapi.json"

CASES = [("multi", "PostAtsCandidates")]
if FULL.exists():
    CASES += [("full", "PostAtsCandidates"), ("full", "PostAiApplyUnifiedApiJobsJobIdApplications")]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}:{c[1]}")
def v(request: pytest.FixtureRequest) -> Validator:
    spec, operation = request.param
    return Validator(MULTI if spec == "multi" else FULL, operation=operation)


def pairs(report: Any) -> list[tuple[str, str, str]]:
    """The answers' issues (the small test document lacks some of the example's keys:
    those warnings are not this file's concern, and no other issue is an error)."""
    assert not [i for i in report.errors if not i.path.startswith(f"/{A}")]
    return [p for p in all_pairs(report) if p[0].startswith(f"/{A}")]


def body(v: Validator, **extra: Any) -> dict[str, Any]:
    """Create application's example body, as this operation takes it."""
    b = application_body(**extra)
    if v.operation.job is not None and v.operation.job.location == "body":
        b["application"] = {"job_id": "H5daSm8e85Dmvmne3wLeCPhX"}
    if "attachments" not in (v.request_schema.get("properties") or {}):
        b.pop("attachments")
    return b


def test_the_job_is_found_where_the_operation_names_it(v: Validator) -> None:
    job = v.operation.job
    assert job is not None and v.operation.answers == A
    if v.operation.id == "PostAtsCandidates":
        assert (job.location, job.path) == ("body", ("application", "job_id"))
    else:
        assert (job.location, job.path) == ("path", ("job_id",))


def test_a_name_is_mapped_to_its_id(v: Validator) -> None:
    original = body(v)
    before = copy.deepcopy(original)
    report = v.check(original, questions=example_questions())
    assert pairs(report) == []
    assert report.body is not None
    assert report.body[A][0] == {"question_id": YES_NO, "answer": YES}
    assert report.body[A][1]["answer"] == [L1, L2, L3]
    assert [(c.path, c.before, c.after) for c in report.changes] == [(f"/{A}/0/answer", "Yes", YES)]
    assert original == before


def test_errors_and_warnings_with_exact_paths(v: Validator) -> None:
    b = body(v)
    b[A] = [
        {"question_id": LANGS, "answer": [L1, "Klingon", L1]},
        {"question_id": "NotAQuestionOfThisJob123", "answer": "x"},
        {"question_id": LANGS, "answer": [L2]},
    ]
    report = v.check(b, questions=example_questions())
    assert pairs(report) == [
        (f"/{A}", "answer.required", "error"),
        (f"/{A}/0/answer/1", "answer.unknown_option", "error"),
        (f"/{A}/0/answer/2", "answer.duplicate_option", "error"),
        (f"/{A}/1/question_id", "answer.unknown_question", "warning"),
        (f"/{A}/2/question_id", "answer.duplicate", "error"),
    ]


def test_required_answers_when_the_key_is_absent(v: Validator) -> None:
    b = body(v)
    del b[A]
    report = v.check(b, questions=example_questions())
    assert pairs(report) == [(f"/{A}", "answer.required", "error")] * 2


def test_a_precondition_makes_a_question_required(v: Validator) -> None:
    answers = [*MINIMAL[:2], {"question_id": Q_SKIL, "answer": [O_GO]}]
    report = v.check(body(v, **{A: answers}), questions=go_questions())
    assert pairs(report) == [(f"/{A}", "answer.required", "error")]
    [required] = [i for i in report.issues if i.code == "answer.required"]
    assert "Go certification" in required.message
