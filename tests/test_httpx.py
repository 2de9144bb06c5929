"""The httpx transports, driven by the real official SDK (``kombo``) over MockTransport.

No network: every request ends in an ``httpx.MockTransport`` handler, and the
tests assert the bytes it received.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from kombo_validate import ContextError, PayloadError, Report, Validator
from kombo_validate.httpx import AsyncValidatingTransport, ValidatingTransport, encode_body
from kombo_validate.spec import load_document

from .helpers import OPT_PY, Q_LANG, QUESTIONS

kombo = pytest.importorskip("kombo")

INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"
JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
ROUTE = f"https://api.kombo.dev/v1/ats/jobs/{JOB}/applications"
CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com"}


def positive_response() -> dict[str, Any]:
    """The spec's example 200 response, so the SDK can parse what the mock answers."""
    doc, _ = load_document(None)
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    value = op["responses"]["200"]["content"]["application/json"]["examples"]["example1"]["value"]
    assert isinstance(value, dict)
    return value


class Recorder:
    """A MockTransport handler that records what reached it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = positive_response()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=self.answer)


def sdk(handler: Recorder, **transport: Any) -> Any:
    client = httpx.Client(transport=ValidatingTransport(httpx.MockTransport(handler), **transport))
    return kombo.Kombo(integration_id=INTEGRATION, api_key="test-key", client=client)


def async_sdk(handler: Recorder, **transport: Any) -> Any:
    inner = httpx.MockTransport(handler)
    client = httpx.AsyncClient(transport=AsyncValidatingTransport(inner, **transport))
    return kombo.Kombo(integration_id=INTEGRATION, api_key="test-key", async_client=client)


def post(content: bytes, url: str = ROUTE, **headers: str) -> httpx.Request:
    return httpx.Request(
        "POST", url, content=content, headers={"X-Integration-Id": INTEGRATION, **headers}
    )


def pairs_of(error: pytest.ExceptionInfo[PayloadError]) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in error.value.issues]


# ------------------------------------------------------------------ the SDK round trip

# what the SDK sends once normalised: compact, \u escapes, its model order (country, city)
GERMANY = (
    b'{"candidate":{"first_name":"Ada","last_name":"Lovelace","email_address":"ada@example.com",'
    b'"location":{"country":"DE","city":"Z\\u00fcrich"}}}'
)


def test_sdk_country_reaches_the_server_as_its_code() -> None:
    handler = Recorder()
    res = sdk(handler).ats.create_application(
        job_id=JOB, candidate={**CANDIDATE, "location": {"city": "Zürich", "country": "Germany"}}
    )
    (sent,) = handler.requests
    assert sent.content == GERMANY  # byte for byte
    assert sent.headers["Content-Length"] == str(len(GERMANY))
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["X-Integration-Id"] == INTEGRATION
    assert sent.headers["Authorization"] == "Bearer test-key"  # passed along, never added
    assert sent.url == ROUTE
    assert res.data.id == "H77fDF8uvEzGNPRubiz5DvQ7"  # the SDK parsed the mock's answer


def test_sdk_attachment_with_data_and_data_url_is_never_sent() -> None:
    handler = Recorder()
    attachment = {
        "name": "cv.pdf",
        "type": "CV",
        "content_type": "application/pdf",
        "data": "aGk=",
        "data_url": "https://example.com/cv.pdf",
    }
    with pytest.raises(PayloadError) as caught:
        sdk(handler).ats.create_application(
            job_id=JOB, candidate=CANDIDATE, attachments=[attachment]
        )
    assert pairs_of(caught) == [("/attachments/0", "attachment.data_and_data_url")]
    assert handler.requests == []


def test_a_body_needing_no_change_goes_out_exactly_as_the_sdk_made_it() -> None:
    plain, checked = Recorder(), Recorder()
    candidate = {**CANDIDATE, "first_name": "Zoë", "location": {"city": "Köln", "country": "DE"}}
    kwargs: dict[str, Any] = {"job_id": JOB, "candidate": candidate, "stage_id": "s1"}
    client = httpx.Client(transport=httpx.MockTransport(plain))
    kombo.Kombo(integration_id=INTEGRATION, api_key="k", client=client).ats.create_application(
        **kwargs
    )
    sdk(checked).ats.create_application(**kwargs)
    assert checked.requests[0].content == plain.requests[0].content
    assert (
        checked.requests[0].headers["Content-Length"] == plain.requests[0].headers["Content-Length"]
    )
    assert encode_body({"a": "ü"}) == b'{"a":"\\u00fc"}'


def test_sdk_job_id_with_a_slash_is_refused_unless_encoded() -> None:
    handler = Recorder()
    with pytest.raises(PayloadError) as caught:
        sdk(handler).ats.create_application(job_id="remote:a/b", candidate=CANDIDATE)
    assert pairs_of(caught) == [("#path/job_id", "param.unencoded")]
    assert "quote(job_id, safe=':')" in str(caught.value)
    assert handler.requests == []

    sdk(handler).ats.create_application(job_id=quote("remote:a/b", safe=":"), candidate=CANDIDATE)
    assert handler.requests[0].url.raw_path == b"/v1/ats/jobs/remote:a%2Fb/applications"


def test_an_unencoded_job_id_is_reported_with_the_body_issues() -> None:
    handler = Recorder()
    k = sdk(handler, questions={"remote:a/b": QUESTIONS})
    with pytest.raises(PayloadError) as caught:
        k.ats.create_application(job_id="remote:a/b", candidate={**CANDIDATE, "email_address": "x"})
    assert pairs_of(caught) == [
        ("#path/job_id", "param.unencoded"),
        ("/candidate/email_address", "email.invalid"),
        ("/screening_question_answers", "answer.required"),  # the questions of "remote:a/b"
    ]
    assert handler.requests == []


def test_sdk_job_id_with_a_hash_is_refused() -> None:
    handler = Recorder()
    with pytest.raises(PayloadError) as caught:
        sdk(handler).ats.create_application(job_id="remote:a#b", candidate=CANDIDATE)
    assert pairs_of(caught) == [("#path/job_id", "param.unencoded")]
    assert "'#'" in str(caught.value)
    assert handler.requests == []


def test_sdk_without_an_integration_id_is_refused() -> None:
    handler = Recorder()
    client = httpx.Client(transport=ValidatingTransport(httpx.MockTransport(handler)))
    k = kombo.Kombo(api_key="k", client=client)
    with pytest.raises(PayloadError) as caught:
        k.ats.create_application(job_id=JOB, candidate=CANDIDATE)
    assert pairs_of(caught) == [("#header/X-Integration-Id", "param.missing")]
    assert handler.requests == []


def test_sdk_questions_by_job_id() -> None:
    handler = Recorder()
    k = sdk(handler, questions={JOB: QUESTIONS})
    with pytest.raises(PayloadError) as caught:
        k.ats.create_application(job_id=JOB, candidate=CANDIDATE)
    assert pairs_of(caught) == [("/screening_question_answers", "answer.required")]
    # another job has no questions known: its answers are not checked against these
    k.ats.create_application(job_id="remote:77", candidate=CANDIDATE)
    assert len(handler.requests) == 1
    k.ats.create_application(
        job_id=JOB,
        candidate=CANDIDATE,
        screening_question_answers=[{"question_id": Q_LANG, "answer": OPT_PY}],
    )
    assert handler.requests[-1].content.endswith(
        b'"screening_question_answers":[{"question_id":"26vafvWSRmbhNcxJYqjCzuJg",'
        b'"answer":"GUzE666zfyjeoCJX6A8n7wh6"}]}'
    )


def test_sdk_questions_callable_gets_the_decoded_job_id() -> None:
    handler, asked = Recorder(), []

    def lookup(job_id: str) -> Any:
        asked.append(job_id)
        return QUESTIONS if job_id == "remote:a b/c" else None

    k = sdk(handler, questions=lookup)
    with pytest.raises(PayloadError):
        k.ats.create_application(job_id=quote("remote:a b/c", safe=":"), candidate=CANDIDATE)
    k.ats.create_application(job_id="remote:other", candidate=CANDIDATE)
    assert asked == ["remote:a b/c", "remote:other"]
    assert len(handler.requests) == 1


def test_sdk_restrictions() -> None:
    handler, asked = Recorder(), []
    restrictions = {"total_size_bytes": None, "types": {"CV": {"is_supported": False}}}

    def by_integration(integration_id: str | None) -> Any:
        asked.append(integration_id)
        return restrictions

    attachment = {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": "aGk="}
    for given in (restrictions, by_integration):
        with pytest.raises(PayloadError) as caught:
            sdk(handler, restrictions=given).ats.create_application(
                job_id=JOB, candidate=CANDIDATE, attachments=[attachment]
            )
        assert pairs_of(caught) == [("/attachments/0/type", "attachment.type_unsupported")]
    assert asked == [INTEGRATION]
    assert handler.requests == []


def test_sdk_async_round_trip() -> None:
    handler = Recorder()

    async def main() -> Any:
        k = async_sdk(handler)
        ok = await k.ats.create_application_async(
            job_id=JOB,
            candidate={**CANDIDATE, "location": {"city": "Zürich", "country": "Germany"}},
        )
        with pytest.raises(PayloadError) as caught:
            await k.ats.create_application_async(
                job_id=JOB,
                candidate=CANDIDATE,
                attachments=[{"name": "a", "type": "CV", "data": "aGk=", "data_url": "x"}],
            )
        return ok, caught

    ok, caught = asyncio.run(main())
    assert ok.data.id == "H77fDF8uvEzGNPRubiz5DvQ7"
    assert pairs_of(caught)[0] == ("/attachments/0", "attachment.data_and_data_url")
    (sent,) = handler.requests
    assert sent.content == GERMANY
    assert sent.headers["Content-Length"] == str(len(GERMANY))


# ------------------------------------------------------------------ the transport itself


def test_other_requests_pass_through_untouched() -> None:
    handler = Recorder()
    transport = ValidatingTransport(httpx.MockTransport(handler))
    others = [
        httpx.Request("GET", "https://api.kombo.dev/v1/ats/jobs"),
        httpx.Request("GET", ROUTE),
        httpx.Request("PUT", ROUTE, content=b"not json"),
        httpx.Request("POST", "https://api.kombo.dev/v1/ats/applications", content=b"x"),
        httpx.Request("POST", ROUTE + "/extra", content=b"x"),
        httpx.Request("POST", "https://api.kombo.dev/v1/ai-apply/jobs/x/apply", content=b"x"),
        httpx.Request("POST", "https://api.kombo.dev/v1/ats/jobs/x/applicationsX", content=b"x"),
    ]
    for request in others:
        transport.handle_request(request)
    assert len(handler.requests) == len(others)
    assert all(a is b for a, b in zip(handler.requests, others, strict=True))


@pytest.mark.parametrize(
    "url",
    [
        ROUTE,
        f"http://localhost:8080/ats/jobs/{JOB}/applications",  # a mock server, no /v1
        f"https://proxy.example.com/kombo/v1/ats/jobs/{JOB}/applications?trace=1",
    ],
)
def test_the_route_is_matched_with_any_prefix(validator: Validator, url: str) -> None:
    handler = Recorder()
    transport = ValidatingTransport(httpx.MockTransport(handler), validator=validator)
    with pytest.raises(PayloadError) as caught:
        transport.handle_request(post(b'{"candidate": {}}', url))
    assert pairs_of(caught) == [
        ("/candidate/first_name", "schema.required"),
        ("/candidate/last_name", "schema.required"),
        ("/candidate/email_address", "schema.required"),
    ]
    assert handler.requests == []


@pytest.mark.parametrize(
    "content", [b"", b"not json", b"{", b'{"candidate": NaN}', b"\xff\xfe{", b"[" * 100_000]
)
def test_a_body_that_is_not_json(content: bytes) -> None:
    handler = Recorder()
    transport = ValidatingTransport(httpx.MockTransport(handler))
    with pytest.raises(PayloadError) as caught:
        transport.handle_request(post(content))
    assert pairs_of(caught) == [("", "body.not_json")]
    assert handler.requests == []


def test_a_job_id_that_is_not_utf8() -> None:
    transport = ValidatingTransport(httpx.MockTransport(Recorder()))
    with pytest.raises(PayloadError) as caught:
        transport.handle_request(post(b"{}", ROUTE.replace(JOB, "remote:%FF")))
    assert pairs_of(caught) == [
        ("#path/job_id", "param.format"),
        ("/candidate", "schema.required"),
    ]


def test_parameter_issues_come_before_a_non_json_body() -> None:
    transport = ValidatingTransport(httpx.MockTransport(Recorder()))
    request = httpx.Request("POST", ROUTE.replace(JOB, "remote:"), content=b"nope")
    with pytest.raises(PayloadError) as caught:
        transport.handle_request(request)
    assert pairs_of(caught) == [
        ("#path/job_id", "param.empty"),
        ("#header/X-Integration-Id", "param.missing"),
        ("", "body.not_json"),
    ]


def test_a_new_request_with_the_normalised_body_and_its_length() -> None:
    handler = Recorder()
    transport = ValidatingTransport(httpx.MockTransport(handler))
    original = post(
        b'{ "candidate": {"first_name": "Ada", "last_name": "Lovelace",\n'
        b'  "email_address": "ada@example.com", "location": {"country": "germany"}},\n'
        b'  "stage_id": null }',
        **{"X-Trace": "t-1"},
    )
    original.extensions["timeout"] = {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}
    transport.handle_request(original)
    (sent,) = handler.requests
    expected = (
        b'{"candidate":{"first_name":"Ada","last_name":"Lovelace",'
        b'"email_address":"ada@example.com","location":{"country":"DE"}}}'
    )
    assert sent is not original
    assert sent.content == expected
    assert sent.headers["Content-Length"] == str(len(expected))
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["X-Trace"] == "t-1"
    assert sent.extensions["timeout"] == original.extensions["timeout"]
    assert sent.method == "POST" and sent.url == original.url


def test_a_streamed_body_is_read_and_sent_with_a_length() -> None:
    handler = Recorder()
    transport = ValidatingTransport(httpx.MockTransport(handler))

    def chunks() -> Any:
        yield b'{"candidate": {"first_name": "Ada", '
        yield b'"last_name": "Lovelace", "email_address": "ada@example.com"}}'

    request = httpx.Request(
        "POST", ROUTE, content=chunks(), headers={"X-Integration-Id": INTEGRATION}
    )
    assert request.headers.get("Transfer-Encoding") == "chunked"
    transport.handle_request(request)
    (sent,) = handler.requests
    assert "Transfer-Encoding" not in sent.headers
    assert sent.headers["Content-Length"] == str(len(sent.content))


def test_on_report_sees_warnings_and_changes() -> None:
    reports: list[Report] = []
    transport = ValidatingTransport(httpx.MockTransport(Recorder()), on_report=reports.append)
    transport.handle_request(
        post(
            b'{"candidate": {"first_name": "Ada", "last_name": "L", '
            b'"email_address": "a@example.com", "hobby": "chess", '
            b'"location": {"country": "France"}}}'
        )
    )
    (report,) = reports
    assert [(i.path, i.code) for i in report.warnings] == [("/candidate/hobby", "key.unknown")]
    assert [c.path for c in report.changes] == ["/candidate/location/country"]


def test_questions_must_be_a_mapping_or_a_callable() -> None:
    with pytest.raises(TypeError, match="map job ids"):
        ValidatingTransport(httpx.MockTransport(Recorder()), questions=QUESTIONS)  # type: ignore[arg-type]


def test_one_job_object_is_not_a_mapping_of_jobs() -> None:
    job = {"id": JOB, "screening_questions": QUESTIONS}
    with pytest.raises(TypeError, match="one job object"):
        ValidatingTransport(httpx.MockTransport(Recorder()), questions=job)
    transport = ValidatingTransport(httpx.MockTransport(Recorder()), questions={JOB: job})
    with pytest.raises(PayloadError) as caught:
        transport.handle_request(post(json.dumps({"candidate": CANDIDATE}).encode()))
    assert pairs_of(caught) == [("/screening_question_answers", "answer.required")]


def test_malformed_questions_fail_at_construction() -> None:
    with pytest.raises(ContextError):
        ValidatingTransport(httpx.MockTransport(Recorder()), questions={JOB: [{"bad": 1}]})


def test_close_reaches_the_inner_transport() -> None:
    closed: list[str] = []

    class Inner(httpx.MockTransport):
        def close(self) -> None:
            closed.append("sync")

        async def aclose(self) -> None:
            closed.append("async")

    with httpx.Client(transport=ValidatingTransport(Inner(Recorder()))):
        pass

    async def main() -> None:
        async with httpx.AsyncClient(transport=AsyncValidatingTransport(Inner(Recorder()))):
            pass

    asyncio.run(main())
    assert closed == ["sync", "async"]


def test_default_inner_transports() -> None:
    assert isinstance(ValidatingTransport()._inner, httpx.HTTPTransport)
    assert isinstance(AsyncValidatingTransport()._inner, httpx.AsyncHTTPTransport)


def test_async_transport_directly() -> None:
    handler = Recorder()
    transport = AsyncValidatingTransport(httpx.MockTransport(handler))

    async def main(request: httpx.Request) -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.send(request)

    with pytest.raises(PayloadError) as caught:
        asyncio.run(main(post(b"[]")))
    assert pairs_of(caught) == [("", "schema.type")]
    other = httpx.Request("GET", "https://api.kombo.dev/v1/ats/jobs")
    asyncio.run(main(other))
    assert handler.requests == [other]


def test_without_httpx_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx", None)
    monkeypatch.delitem(sys.modules, "kombo_validate.httpx")
    with pytest.raises(ImportError, match=r"pip install 'kombo_validate\[httpx\]'"):
        importlib.import_module("kombo_validate.httpx")
