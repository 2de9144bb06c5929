"""The transports guard every write operation of the loaded spec (issue 14, part 4): one router,
each operation's Validator built on first use and kept, the job context where it applies.

The first part drives the transport directly over the small multi-operation document; the
second drives the real official SDK (``kombo``) against Kombo's whole spec, and skips
without it. No network: every request ends in an ``httpx.MockTransport`` handler."""

from __future__ import annotations

import asyncio
import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from kombo_validate import PayloadError, SpecError, Validator
from kombo_validate.httpx import AsyncValidatingTransport, ValidatingTransport
from kombo_validate.routing import OperationTable, Route, Router
from kombo_validate.spec import load_document

from .helpers import QUESTIONS

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
BASE = "https://api.example.test/v1"
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"
CANDIDATE = {"candidate": {"first_name": "Grace"}, "application": {"job_id": "J1"}}


class Recorder:
    """A MockTransport handler that records what reached it; answers ``answers[path]``."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = answers or {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/v1")
        return httpx.Response(200, json=self.answers.get(path, {"status": "success"}))


def send(transport: httpx.BaseTransport, method: str, path: str, body: Any = None) -> None:
    content = json.dumps(body).encode() if body is not None else b""
    request = httpx.Request(
        method, BASE + path, content=content, headers={"X-Integration-Id": INTEGRATION}
    )
    transport.handle_request(request)


def refused(transport: httpx.BaseTransport, method: str, path: str, body: Any) -> list[Any]:
    with pytest.raises(PayloadError) as caught:
        send(transport, method, path, body)
    return [(i.path, i.code) for i in caught.value.issues]


def multi(handler: Recorder, **kw: Any) -> ValidatingTransport:
    return ValidatingTransport(httpx.MockTransport(handler), spec=MULTI, **kw)


# ------------------------------------------------------------------ every write operation


def test_each_write_operation_is_checked_by_its_own_schema() -> None:
    handler = Recorder()
    transport = multi(handler)
    assert refused(transport, "POST", "/ats/candidates", {"candidate": {}}) == [
        ("/application", "schema.required")
    ]
    assert refused(transport, "PATCH", "/hris/employees/E1", {"nationality": 7}) == [
        ("/nationality", "schema.type")
    ]
    assert handler.requests == []
    send(transport, "PATCH", "/hris/employees/remote:a%2Fb", {"nationality": "DE"})
    (sent,) = handler.requests
    assert sent.content == b'{"nationality":"DE"}'  # a new request, encoded as the SDK does
    assert sent.url.raw_path == b"/v1/hris/employees/remote:a%2Fb"


def test_path_parameters_are_checked_at_their_pointer() -> None:
    transport = multi(Recorder())
    assert refused(transport, "PATCH", "/hris/employees/a/b", {}) == [
        ("#path/employee_id", "param.unencoded")
    ]
    assert refused(transport, "PATCH", "/hris/employees/Remote:1", {}) == [
        ("#path/employee_id", "param.format")
    ]
    assert refused(transport, "PATCH", "/hris/employees/" + "x" * 41, {}) == [
        ("#path/employee_id", "schema.max_length")
    ]


def test_other_requests_pass_through_untouched() -> None:
    handler = Recorder()
    transport = multi(handler)
    others = [
        httpx.Request("GET", f"{BASE}/hris/employees/E1"),  # a read of a checked path
        httpx.Request("PUT", f"{BASE}/hris/employees/E1/documents", content=b"text"),  # no JSON
        httpx.Request("DELETE", f"{BASE}/ats/candidates", content=b"x"),
        httpx.Request("POST", f"{BASE}/ats/candidates/extra", content=b"x"),
    ]
    for request in others:
        transport.handle_request(request)
    assert all(a is b for a, b in zip(handler.requests, others, strict=True))


def test_only_the_operations_asked_for() -> None:
    handler = Recorder()
    transport = multi(handler, operations=["PATCH /hris/employees/{employee_id}"])
    send(transport, "POST", "/ats/candidates", {"candidate": 1})  # not checked: sent as is
    assert handler.requests[0].content == b'{"candidate": 1}'
    assert refused(transport, "PATCH", "/hris/employees/E1", {"nationality": 7}) == [
        ("/nationality", "schema.type")
    ]
    with pytest.raises(SpecError, match="operation 'PostAtsCandidate' not found"):
        multi(handler, operations=["PostAtsCandidate"])
    with pytest.raises(
        SpecError, match=r"GET /hris/employees/\{employee_id\} has no application/json"
    ):
        multi(handler, operations=["GetHrisEmployeesEmployeeId"])


def test_validator_is_one_operation_and_excludes_spec() -> None:
    handler = Recorder()
    v = Validator(MULTI, operation="PostAtsCandidates")
    transport = ValidatingTransport(httpx.MockTransport(handler), validator=v)
    send(transport, "PATCH", "/hris/employees/E1", {"nationality": 7})  # not its operation
    assert refused(transport, "POST", "/ats/candidates", {}) == [
        ("/candidate", "schema.required"),
        ("/application", "schema.required"),
    ]
    assert len(handler.requests) == 1
    with pytest.raises(TypeError, match="not both"):
        ValidatingTransport(httpx.MockTransport(handler), validator=v, spec=MULTI)


def test_questions_follow_the_job_the_body_names() -> None:
    handler = Recorder()
    transport = multi(handler, questions={"J1": QUESTIONS})
    assert refused(transport, "POST", "/ats/candidates", CANDIDATE) == [
        ("/screening_question_answers", "answer.required")
    ]
    other = {**CANDIDATE, "application": {"job_id": "J2"}}  # no questions known for J2
    send(transport, "POST", "/ats/candidates", other)
    send(transport, "PATCH", "/hris/employees/E1", {})  # takes no answers: not asked
    assert len(handler.requests) == 2


def test_an_ambiguous_path_of_any_operation_is_refused() -> None:
    transport = multi(Recorder())
    assert refused(transport, "PATCH", "/HRIS/employees/E1", {}) == [("", "path.ambiguous")]


def test_the_async_transport_guards_every_operation_too() -> None:
    handler = Recorder()
    transport = AsyncValidatingTransport(httpx.MockTransport(handler), spec=MULTI)

    async def main(request: httpx.Request) -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.send(request)

    bad = httpx.Request("PATCH", f"{BASE}/hris/employees/E1", json={"nationality": 7})
    with pytest.raises(PayloadError) as caught:
        asyncio.run(main(bad))
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("#header/X-Integration-Id", "param.missing"),
        ("/nationality", "schema.type"),
    ]
    assert handler.requests == []


# ------------------------------------------------------------------ the router and the table


def test_the_router_prefers_the_most_specific_template() -> None:
    router = Router(
        [
            Route("POST", "/hris/employees/{employee_id}", ("employee_id",), True),
            Route("POST", "/hris/employees/form", (), True),
            Route("POST", "/x/{id}/y/notes", ("id",), False),  # known, not checked
            Route("POST", "/x/{id}/notes", ("id",), True),
        ]
    )
    form = router.match("POST", "/v1/hris/employees/form")
    assert form is not None and form.route.path == "/hris/employees/form"
    one = router.match("POST", "/v1/hris/employees/E1?x=1")
    assert one is not None and (one.values, one.spilled) == ({"employee_id": "E1"}, ())
    # a known route is that route, not a checked one with a spilled parameter
    assert router.match("POST", "/v1/x/1/y/notes") is None
    spilled = router.match("POST", "/v1/x/1/z/notes")
    assert spilled is not None and spilled.spilled == ("id",)
    assert router.match("GET", "/v1/hris/employees/form") is None
    # a template inside the query is no match
    assert router.match("POST", "/other?next=/hris/employees/form") is None


def test_each_validator_is_built_once_on_first_use_thread_safely() -> None:
    table = OperationTable(MULTI)
    assert table.guarded == (
        "POST /ats/jobs/{job_id}/applications",
        "POST /ats/candidates",
        "PATCH /hris/employees/{employee_id}",
        "POST /hris/absences",
    )
    assert table._validators == {}  # nothing built before it is needed
    with ThreadPoolExecutor(8) as pool:
        built = list(pool.map(lambda _: table.validator("POST /ats/candidates"), range(32)))
    assert all(v is built[0] for v in built)
    assert table.validator("PostAtsCandidates") is built[0]
    assert list(table._validators) == ["POST /ats/candidates"]


# ------------------------------------------------------------------ the real SDK, Kombo's spec

kombo = pytest.importorskip("kombo")


def answers_of(spec: Path) -> dict[str, Any]:
    """The spec's example 200 responses by path, so the SDK can parse what the mock says."""
    doc, _ = load_document(spec)
    found = {}
    for path, method in [("/ats/candidates", "post"), ("/hris/absences", "post")]:
        content = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        found[path] = content["examples"]["example1"]["value"]
    return found


@pytest.fixture
def sdk(full_spec_path: Path) -> tuple[Any, Recorder]:
    handler = Recorder(answers_of(full_spec_path))
    transport = ValidatingTransport(httpx.MockTransport(handler), spec=full_spec_path)
    client = httpx.Client(transport=transport)
    return kombo.Kombo(integration_id=INTEGRATION, api_key="k", client=client), handler


ADA = {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com"}


def test_sdk_create_candidate(sdk: tuple[Any, Recorder]) -> None:
    k, handler = sdk
    k.ats.create_candidate(
        candidate={**ADA, "location": {"city": "Zürich", "country": "Germany"}},
        application={"job_id": "BDpgnpZ148nrGh4mYHNxJBgx"},
    )
    (sent,) = handler.requests
    expected = (
        b'{"candidate":{"first_name":"Ada","last_name":"Lovelace","email_address":'
        b'"ada@example.com","location":{"country":"DE","city":"Z\\u00fcrich"}},'
        b'"application":{"job_id":"BDpgnpZ148nrGh4mYHNxJBgx"}}'
    )
    assert sent.content == expected
    assert sent.headers["Content-Length"] == str(len(expected))
    assert sent.url == "https://api.kombo.dev/v1/ats/candidates"
    with pytest.raises(PayloadError) as caught:
        k.ats.create_candidate(
            candidate={**ADA, "email_address": "ada@"}, application={"job_id": "J1"}
        )
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("/candidate/email_address", "email.invalid")
    ]
    assert len(handler.requests) == 1


def test_sdk_create_absence(sdk: tuple[Any, Recorder]) -> None:
    k, handler = sdk
    absence: dict[str, Any] = {
        "employee_id": "remote:12",
        "absence_type_id": "T1",
        "start_date": datetime.datetime(2025, 3, 1),
        "end_date": datetime.datetime(2025, 3, 2),
        "employee_note": None,
    }
    k.hris.create_absence(**absence)
    (sent,) = handler.requests
    assert sent.url == "https://api.kombo.dev/v1/hris/absences"
    assert json.loads(sent.content)["employee_id"] == "remote:12"
    with pytest.raises(PayloadError) as caught:
        k.hris.create_absence(**absence, start_time="25:00", end_time="26:00")
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("/start_time", "schema.pattern"),
        ("/end_time", "schema.pattern"),
    ]
    assert len(handler.requests) == 1


def test_sdk_path_parameter_of_another_operation(sdk: tuple[Any, Recorder]) -> None:
    k, handler = sdk
    with pytest.raises(PayloadError) as caught:
        k.ats.add_application_note(application_id="a/b", content="hi", content_type="PLAIN_TEXT")
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("#path/application_id", "param.unencoded")
    ]
    assert handler.requests == []


def test_sdk_reads_pass_through_untouched(sdk: tuple[Any, Recorder]) -> None:
    k, handler = sdk
    with pytest.raises(kombo.errors.ResponseValidationError):  # the mock's answer is no list
        k.hris.get_employees()
    (sent,) = handler.requests
    assert (sent.method, sent.url.path) == ("GET", "/v1/hris/employees")
