"""prepare_request for any write operation: the operation by id or ``METHOD /path``, its path
parameters from the spec (checked, percent-encoded), its header, its body (issue 14, part 4).

Most tests use the small multi-operation document written for the tests; the ones marked
with ``full_spec_path`` run against Kombo's whole spec and skip without it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import PayloadError, SpecError, Validator
from kombo_validate.request import prepare_request

from .helpers import QUESTIONS, minimal

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
BASE = "https://api.example.test/v1"
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"
JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
CANDIDATE = {"candidate": {"first_name": "Grace"}, "application": {"job_id": "J1"}}


def issues_of(operation: Any, body: Any, **kw: Any) -> list[tuple[str, str]]:
    kw.setdefault("spec", MULTI)
    with pytest.raises(PayloadError) as caught:
        prepare_request(operation, body, **kw)
    return [(i.path, i.code) for i in caught.value.issues]


def employee(employee_id: Any, **kw: Any) -> list[tuple[str, str]]:
    return issues_of(
        "PatchHrisEmployeesEmployeeId",
        {},
        path_params={"employee_id": employee_id},
        integration_id=INTEGRATION,
        **kw,
    )


# ------------------------------------------------------------------ the happy path


@pytest.mark.parametrize(
    "operation", ["PatchHrisEmployeesEmployeeId", "PATCH /hris/employees/{employee_id}"]
)
def test_an_operation_with_a_path_parameter(operation: str) -> None:
    body = {"nationality": "DE"}
    before = copy.deepcopy(body)
    req = prepare_request(
        operation,
        body,
        path_params={"employee_id": "remote:a/b c"},
        integration_id=INTEGRATION,
        spec=MULTI,
    )
    assert req == {
        "method": "PATCH",
        "url": f"{BASE}/hris/employees/remote:a%2Fb%20c",
        "headers": {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-Integration-Id": INTEGRATION,
        },
        "json": {"nationality": "DE"},
    }
    assert body == before


def test_an_operation_without_path_parameters_or_header() -> None:
    req = prepare_request("POST /ats/candidates", CANDIDATE, spec=MULTI)
    assert (req["method"], req["url"]) == ("POST", f"{BASE}/ats/candidates")
    assert req["headers"] == {"Content-Type": "application/json", "Accept": "application/json"}
    assert req["json"] == CANDIDATE


def test_a_validator_names_its_own_operation() -> None:
    v = Validator(MULTI, operation="PostAtsCandidates")
    assert prepare_request(v, CANDIDATE)["url"] == f"{BASE}/ats/candidates"
    assert prepare_request("PostAtsCandidates", CANDIDATE, validator=v)["url"] == (
        f"{BASE}/ats/candidates"
    )


def test_the_old_create_application_form_is_the_new_one() -> None:
    old = prepare_request(JOB, minimal(), integration_id=INTEGRATION)
    new = prepare_request(
        "PostAtsJobsJobIdApplications",
        minimal(),
        path_params={"job_id": JOB},
        integration_id=INTEGRATION,
    )
    assert old == new
    assert new["url"] == f"https://api.kombo.dev/v1/ats/jobs/{JOB}/applications"


def test_the_job_context_goes_where_the_operation_takes_it() -> None:
    assert issues_of("PostAtsCandidates", CANDIDATE, questions=QUESTIONS) == [
        ("/screening_question_answers", "answer.required")
    ]


# ------------------------------------------------------------------ path parameters


def test_a_missing_path_parameter() -> None:
    assert issues_of(
        "PatchHrisEmployeesEmployeeId", {}, path_params={}, integration_id=INTEGRATION
    ) == [("#path/employee_id", "param.missing")]


def test_an_unknown_path_parameter_comes_after_the_known_ones() -> None:
    found = issues_of(
        "PatchHrisEmployeesEmployeeId",
        {},
        path_params={"job_id": "J1", "employee_id": ""},
        integration_id=INTEGRATION,
    )
    assert found == [("#path/employee_id", "param.empty"), ("#path/job_id", "param.unknown")]


def test_path_parameters_on_an_operation_without_any() -> None:
    found = issues_of("PostAtsCandidates", CANDIDATE, path_params={"a/b": "x"})
    assert found == [("#path/a~1b", "param.unknown")]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("x" * 41, "schema.max_length"),  # the parameter's schema in the spec
        (7, "schema.type"),
        ("   ", "param.empty"),
        ("remote: ", "param.empty"),
        ("Remote:12", "param.format"),
        ("a b", "param.format"),  # the description offers remote: ids: a Kombo id or remote:
        ("E1\n", "param.format"),
    ],
)
def test_a_path_parameter_is_checked_against_the_spec(value: Any, code: str) -> None:
    assert employee(value) == [("#path/employee_id", code)]


def test_a_parameter_without_remote_ids_only_refuses_surrounding_whitespace() -> None:
    def job(value: str) -> list[tuple[str, str]]:
        return issues_of(
            "PostAtsJobsJobIdApplications",
            {"candidate": {}},
            path_params={"job_id": value},
            integration_id=INTEGRATION,
        )

    assert job(" J1") == [("#path/job_id", "param.format")]
    req = prepare_request(
        "PostAtsJobsJobIdApplications",
        {"candidate": {}},
        path_params={"job_id": "a b"},  # no remote: ids in this spec's words: taken, encoded
        integration_id=INTEGRATION,
        spec=MULTI,
    )
    assert req["url"] == f"{BASE}/ats/jobs/a%20b/applications"


def test_parameter_issues_come_first_path_then_header_then_body() -> None:
    found = issues_of(
        "PatchHrisEmployeesEmployeeId",
        {"date_of_birth": 5},
        path_params={"employee_id": ""},
    )
    assert found == [
        ("#path/employee_id", "param.empty"),
        ("#header/X-Integration-Id", "param.missing"),
        ("/date_of_birth", "schema.type"),
    ]


def test_a_header_the_operation_does_not_take() -> None:
    found = issues_of("PostAtsCandidates", CANDIDATE, integration_id=INTEGRATION)
    assert found == [("#header/X-Integration-Id", "param.unknown")]


def test_path_params_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="path_params must map"):
        prepare_request("PostAtsCandidates", CANDIDATE, path_params=["x"], spec=MULTI)  # type: ignore[arg-type]


# ------------------------------------------------------------------ naming the operation


def test_an_unknown_operation_names_the_closest() -> None:
    with pytest.raises(SpecError) as caught:
        prepare_request("PostAtsCandidate", CANDIDATE, spec=MULTI)
    assert str(caught.value).startswith(
        f"{MULTI}: operation 'PostAtsCandidate' not found; the document has "
        "PostAtsCandidates (POST /ats/candidates)"
    )


def test_a_validator_for_another_operation_is_refused() -> None:
    v = Validator(MULTI, operation="PostAtsCandidates")
    with pytest.raises(SpecError, match=r"^validator= checks POST /ats/candidates"):
        prepare_request("PatchHrisEmployeesEmployeeId", {}, path_params={}, validator=v)
    with pytest.raises(TypeError, match="not both"):
        prepare_request("PostAtsCandidates", CANDIDATE, validator=v, spec=MULTI)


def test_an_operation_the_bundled_spec_lacks_is_no_job_id_once_path_params_are_given() -> None:
    with pytest.raises(SpecError, match="operation 'PostAtsCandidates' not found"):
        prepare_request("PostAtsCandidates", CANDIDATE, path_params={})


# ------------------------------------------------------------------ Kombo's whole spec


def test_create_candidate_in_the_full_spec(full_spec_path: Path) -> None:
    body = {
        "candidate": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email_address": "ada@example.com",
            "location": {"country": "Germany"},
        },
        "application": {"job_id": JOB},
    }
    req = prepare_request(
        "PostAtsCandidates", body, integration_id=INTEGRATION, region="us", spec=full_spec_path
    )
    assert req["url"] == "https://api.us.kombo.dev/v1/ats/candidates"
    assert req["json"]["candidate"]["location"] == {"country": "DE"}


def test_an_hris_path_parameter_in_the_full_spec(full_spec_path: Path) -> None:
    req = prepare_request(
        "PATCH /hris/employees/{employee_id}",
        {"first_name": "Ada", "work_email": "ada@example.com"},
        path_params={"employee_id": "remote:12/3"},
        integration_id=INTEGRATION,
        spec=full_spec_path,
    )
    assert req["url"] == "https://api.kombo.dev/v1/hris/employees/remote:12%2F3"
    with pytest.raises(PayloadError) as caught:
        prepare_request(
            "PatchHrisEmployeesEmployeeId",
            {"first_name": "Ada", "work_email": "ada@example.com"},
            path_params={"employee_id": "not an id"},
            integration_id=INTEGRATION,
            spec=full_spec_path,
        )
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("#path/employee_id", "param.format")
    ]
    assert "for the HRIS's own id write 'remote:'" in caught.value.issues[0].message
