"""Operations: finding one by operationId or ``METHOD /path``, listing them, and what the
:class:`Operation` profile reads from their shapes (a small document written for the tests)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import kombo_validate
from kombo_validate import ContextError, SpecError, Validator
from kombo_validate.operation import FACTS, JobSource, Operation, Parameter
from kombo_validate.spec import load_document, load_spec, write_operations

from .helpers import question

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"


def test_write_operations_lists_json_writes_in_document_order() -> None:
    doc, _ = load_document(MULTI)
    assert [(o.id, o.method, o.path, o.summary) for o in write_operations(doc)] == [
        ("PostAtsJobsJobIdApplications", "post", "/ats/jobs/{job_id}/applications", "Create application"),
        ("PostAtsCandidates", "post", "/ats/candidates", "Create candidate"),
        ("PatchHrisEmployeesEmployeeId", "patch", "/hris/employees/{employee_id}", "Update employee"),
        ("PostHrisAbsences", "post", "/hris/absences", "Create absence"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name", ["PostAtsCandidates", "POST /ats/candidates", "post /ats/candidates"]
)
def test_an_operation_by_id_or_method_and_path(name: str) -> None:
    info = load_spec(MULTI, operation=name)
    assert (info.operation_id, info.method, info.path, info.summary) == (
        "PostAtsCandidates",
        "post",
        "/ats/candidates",
        "Create candidate",
    )
    # a singular `example` counts as the operation's example
    assert info.request_example == {
        "candidate": {"first_name": "Grace", "email_address": "grace@example.com"},
        "application": {"job_id": "J1"},
    }


def test_the_default_operation_is_create_application() -> None:
    info = load_spec(MULTI)
    assert (info.operation_id, info.path) == (
        "PostAtsJobsJobIdApplications",
        "/ats/jobs/{job_id}/applications",
    )


def test_path_item_parameters_merge_with_the_operations_own() -> None:
    info = load_spec(MULTI)
    assert [(p["name"], p["in"], p["schema"]) for p in info.parameters] == [
        ("job_id", "path", {"type": "string"}),
        ("X-Integration-Id", "header", {"type": "string", "minLength": 1}),  # the operation's
    ]


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("PostAtsCandidate", "PostAtsCandidates (POST /ats/candidates)"),
        ("PATCH /hris/employee/{employee_id}", "PatchHrisEmployeesEmployeeId (PATCH"),
    ],
)
def test_an_unknown_operation_lists_the_known_ones_closest_first(name: str, first: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(MULTI, operation=name)
    message = str(caught.value)
    assert message.startswith(f"{MULTI}: operation {name!r} not found; the document has {first}")
    assert message.count("(POST ") + message.count("(PATCH ") == 4  # only the write operations


def test_a_read_operation_is_no_request_body() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(MULTI, operation="GetHrisEmployeesEmployeeId")
    assert str(caught.value) == (
        f"{MULTI}: GET /hris/employees/{{employee_id}} has no application/json request schema"
    )


def test_the_cache_keeps_each_operation_apart() -> None:
    # the conftest points the cache at a temporary directory: the second read is cached
    for _ in range(2):
        assert load_spec(MULTI, operation="PostAtsCandidates").path == "/ats/candidates"
        assert load_spec(MULTI).path == "/ats/jobs/{job_id}/applications"


def test_the_profile_of_each_operation() -> None:
    application = Operation.from_spec(load_spec(MULTI))
    assert (application.answers, application.uploads, application.job) == (
        "screening_question_answers",
        "attachments",
        JobSource("path", ("job_id",)),
    )
    assert application.uploads_total_warning == FACTS["*"].uploads_total_warning
    assert application.in_path() == (Parameter("job_id", "path", True, {"type": "string"}),)
    assert application.label == "POST /ats/jobs/{job_id}/applications"
    candidate = Operation.from_spec(load_spec(MULTI, operation="PostAtsCandidates"))
    assert (candidate.answers, candidate.uploads, candidate.job) == (
        "screening_question_answers",
        "attachments",
        JobSource("body", ("application", "job_id")),
    )
    employee = Operation.from_spec(load_spec(MULTI, operation="PatchHrisEmployeesEmployeeId"))
    assert (employee.answers, employee.uploads, employee.job) == (None, None, None)
    assert employee.uploads_total_warning is None
    assert employee.named("PATCH /hris/employees/{employee_id}")
    assert employee.named("PatchHrisEmployeesEmployeeId")
    assert not employee.named("POST /hris/employees/{employee_id}")


def test_the_bundled_spec_profile() -> None:
    op = Operation.from_spec(load_spec(None))
    assert (op.id, op.label, op.answers, op.uploads, op.job) == (
        "PostAtsJobsJobIdApplications",
        "POST /ats/jobs/{job_id}/applications",
        "screening_question_answers",
        "attachments",
        JobSource("path", ("job_id",)),
    )
    assert [p.name for p in op.in_path()] == ["job_id"]


def test_every_write_operation_of_the_full_spec_has_a_profile(full_spec_path: Path) -> None:
    doc, _ = load_document(full_spec_path)
    hooks = {}
    for ref in write_operations(doc):  # PostHrisEmployeesForm's recursive body included
        op = Operation.from_spec(load_spec(full_spec_path, operation=ref.id))
        assert (op.id, op.method, op.path) == (ref.id, ref.method.upper(), ref.path)
        if op.answers or op.uploads:
            hooks[op.id] = (op.answers, op.uploads, op.job and op.job.location)
    assert hooks["PostAtsCandidates"] == ("screening_question_answers", "attachments", "body")
    assert hooks["PostAtsJobsJobIdApplications"] == (
        "screening_question_answers",
        "attachments",
        "path",
    )
    assert hooks["PostAiApplyUnifiedApiJobsJobIdApplications"] == (
        "screening_question_answers",
        "attachments",
        "path",
    )


def test_a_validator_for_another_operation_checks_its_own_body() -> None:
    v = Validator(MULTI, operation="PostAtsCandidates")
    assert (str(v.operation), v.operation.id) == ("POST /ats/candidates", "PostAtsCandidates")
    report = v.check({"candidate": {"first_name": "Grace"}})
    assert [(i.path, i.code) for i in report.errors] == [("/application", "schema.required")]
    assert v.check({"candidate": {}, "application": {"job_id": "J1"}}).ok


def test_job_context_goes_where_the_operation_takes_it() -> None:
    questions = [question("Q1", "Pick", {"type": "TEXT"}, required=True)]
    v = Validator(MULTI, operation="PostAtsCandidates")
    body = {"candidate": {}, "application": {"job_id": "J1"}}
    report = v.check(body, questions=questions)
    assert [(i.path, i.code) for i in report.errors] == [
        ("/screening_question_answers", "answer.required")
    ]
    employee = Validator(MULTI, operation="PatchHrisEmployeesEmployeeId")
    with pytest.raises(ContextError) as caught:
        employee.check({}, questions=questions)
    assert str(caught.value) == (
        "PATCH /hris/employees/{employee_id} takes no screening question answers: "
        "questions= does not apply"
    )
    with pytest.raises(ContextError) as caught:
        employee.check({}, restrictions={})
    assert str(caught.value) == (
        "PATCH /hris/employees/{employee_id} uploads no attachments: restrictions= does not apply"
    )


@pytest.mark.parametrize("fast_path", [True, False])
def test_operation_and_fast_path_survive_pickling(fast_path: bool) -> None:
    v = Validator(MULTI, operation="PostAtsCandidates", fast_path=fast_path)
    again = pickle.loads(pickle.dumps(v))
    assert (again.operation.id, again.fast_path) == ("PostAtsCandidates", fast_path)
    body = {"candidate": {"first_name": 5}, "application": {"job_id": "J1"}}
    assert again.check(body).to_dict() == v.check(body).to_dict()


def test_the_package_lists_the_operations_a_validator_takes() -> None:
    listed = kombo_validate.operations(MULTI)
    assert [(o.id, o.method, o.path) for o in listed][:2] == [
        ("PostAtsJobsJobIdApplications", "post", "/ats/jobs/{job_id}/applications"),
        ("PostAtsCandidates", "post", "/ats/candidates"),
    ]
    assert [o.id for o in kombo_validate.operations()] == ["PostAtsJobsJobIdApplications"]
    for ref in listed:
        assert Validator(MULTI, operation=ref.id).operation.id == ref.id
    with pytest.raises(SpecError):
        kombo_validate.operations(MULTI.with_name("nope.yaml"))
