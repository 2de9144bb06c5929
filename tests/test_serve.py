"""``kombo-validate serve`` as a validating proxy: the real server in a subprocess, a fake
upstream on loopback that records what reaches it, and the official SDK pointed at the
proxy. Faults and security at the HTTP level are in test_serve_faults.py.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kombo_validate.spec import load_document

from .helpers import OPT_PY, Q_LANG, QUESTIONS
from .test_serve_support import (
    INTEGRATION,
    JOB,
    SECRET,
    Served,
    Upstream,
    call,
    candidate,
    proxying,
    serving,
    upstream,
)

kombo = pytest.importorskip("kombo")

ROUTE = f"/v1/ats/jobs/{JOB}/applications"


def positive_response() -> dict[str, Any]:
    """The spec's example 200 response, so the SDK can parse what the fake answers."""
    doc, _ = load_document(None)
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    value = op["responses"]["200"]["content"]["application/json"]["examples"]["example1"]["value"]
    assert isinstance(value, dict)
    return value


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Upstream, Served]]:
    with proxying(default=positive_response()) as stack:
        yield stack


def sdk(served: Served) -> Any:
    return kombo.Kombo(integration_id=INTEGRATION, api_key="sk-test", server_url=served.base)


def test_sdk_valid_application_reaches_the_upstream_normalised(
    fake: Upstream, served: Served
) -> None:
    located = candidate(location={"country": "Germany", "city": "Berlin"})
    # what the SDK itself puts on the wire, sent straight to the fake (no proxy): compact
    # JSON (separators "," and ":"), keys in the SDK's order
    direct = kombo.Kombo(integration_id=INTEGRATION, api_key="sk-test", server_url=fake.url)
    direct.ats.create_application(job_id=JOB, candidate=located)
    [own] = fake.seen
    assert own.body == (
        b'{"candidate":{"first_name":"Ada","last_name":"Lovelace",'
        b'"email_address":"ada@example.com","location":{"country":"Germany","city":"Berlin"}}}'
    )
    fake.seen.clear()
    result = sdk(served).ats.create_application(job_id=JOB, candidate=located)
    assert result.data.id == positive_response()["data"]["id"]  # the SDK parsed the answer
    [seen] = fake.seen
    assert (seen.method, seen.path) == ("POST", ROUTE)
    # the proxy re-encodes as the SDK does: the SDK's own bytes with the one change
    assert seen.body == own.body.replace(b'"country":"Germany"', b'"country":"DE"')
    assert seen.header("Content-Length") == [str(len(seen.body))]
    assert seen.header("Authorization") == ["Bearer sk-test"]
    assert seen.header("X-Integration-Id") == [INTEGRATION]
    assert seen.header("Host") == [f"127.0.0.1:{fake.port}"]
    # the SDK's result exposes no headers: the same request by hand shows the proxy's note
    headers = {"X-Integration-Id": INTEGRATION, "Content-Type": "application/json"}
    status, got, _ = call(served.base + ROUTE[3:], own.body, headers=headers)
    assert (status, got["x-kombo-validate"]) == (200, "checked; changes=1; warnings=0")
    assert fake.seen[1].body == seen.body


def test_sdk_invalid_application_is_the_sdks_400_and_never_sent(
    fake: Upstream, served: Served
) -> None:
    with pytest.raises(kombo.errors.KomboAtsError) as caught:
        sdk(served).ats.create_application(
            job_id=JOB, candidate=candidate(email_address="not-an-email")
        )
    assert caught.value.status_code == 400
    error = caught.value.data.error
    assert error.code == "PLATFORM.INPUT_INVALID"
    assert error.message.startswith("1 problem in the request: /candidate/email_address: ")
    assert caught.value.raw_response.headers["x-kombo-validate"] == (
        "refused; errors=1; codes=email.invalid"
    )
    assert fake.seen == []


def test_the_job_id_and_integration_header_are_checked_too(fake: Upstream, served: Served) -> None:
    body = json.dumps({"candidate": candidate()}).encode()
    status, headers, out = call(
        served.base + "/ats/jobs/remote:%20x/applications",
        body,
        headers={"X-Integration-Id": "nope"},
    )
    assert status == 400
    assert headers["x-kombo-validate"] == "refused; errors=2; codes=param.format"
    message = json.loads(out)["error"]["message"]
    assert "#path/job_id: " in message and "#header/X-Integration-Id: " in message
    assert fake.seen == []


def test_a_get_passes_through_byte_for_byte(fake: Upstream, served: Served) -> None:
    payload = gzip.compress(b'{"status":"success","data":{"results":[]}}', mtime=0)
    fake.answers[("GET", "/v1/ats/jobs?ids=a%2Cb&page_size=2")] = (
        203,
        [
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("X-Upstream", "yes"),
        ],
        payload,
    )
    import urllib.request

    request = urllib.request.Request(
        served.base + "/ats/jobs?ids=a%2Cb&page_size=2",
        headers={
            "Authorization": SECRET,
            "X-Integration-Id": INTEGRATION,
            "Accept-Encoding": "gzip",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 203
        assert response.read() == payload  # still compressed: the raw bytes
        assert response.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
        assert response.headers["X-Upstream"] == "yes"
        assert response.headers["Content-Length"] == str(len(payload))
        assert response.headers["X-Kombo-Validate"] == "unchecked"
    [seen] = fake.seen
    assert (seen.method, seen.path, seen.body) == ("GET", "/v1/ats/jobs?ids=a%2Cb&page_size=2", b"")
    assert seen.header("Authorization") == [SECRET]
    assert seen.header("Accept-Encoding") == ["gzip"]


def test_an_upstream_error_comes_back_unchanged(fake: Upstream, served: Served) -> None:
    answer = b'{"status":"error","error":{"code":"ATS.JOB_CLOSED","title":"x","message":"closed"}}'
    fake.answers[("POST", ROUTE)] = (409, [("Content-Type", "application/json")], answer)
    body = json.dumps({"candidate": candidate()}).encode()
    status, headers, out = call(
        served.base + ROUTE[3:], body, headers={"X-Integration-Id": INTEGRATION}
    )
    assert (status, out) == (409, answer)
    assert headers["x-kombo-validate"] == "checked; changes=0; warnings=0"
    assert [s.body for s in fake.seen] == [
        b'{"candidate":{"first_name":"Ada","last_name":"Lovelace","email_address":"ada@example.com"}}'
    ]


def test_malformed_json_to_a_checked_operation_is_400_body_not_json(
    fake: Upstream, served: Served
) -> None:
    status, headers, out = call(
        served.base + ROUTE[3:], b'{"candidate": ', headers={"X-Integration-Id": INTEGRATION}
    )
    assert status == 400
    assert headers["x-kombo-validate"] == "refused; errors=1; codes=body.not_json"
    error = json.loads(out)["error"]
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert error["message"].startswith(
        "1 problem in the request: /: the body (14 bytes/chars) is not JSON"
    )
    assert fake.seen == []


def test_a_path_differing_only_in_case_is_refused_not_sent_unchecked(
    fake: Upstream, served: Served
) -> None:
    body = json.dumps({"candidate": candidate()}).encode()
    status, headers, _ = call(
        served.base + f"/ATS/jobs/{JOB}/applications",
        body,
        headers={"X-Integration-Id": INTEGRATION},
    )
    assert status == 400
    assert headers["x-kombo-validate"] == "refused; errors=1; codes=path.ambiguous"
    assert fake.seen == []


def test_the_check_api_is_served_beside_the_proxy(fake: Upstream, served: Served) -> None:
    status, _, out = call(served.base + "/v1/check", json.dumps({"body": {}}).encode())
    assert status == 200
    assert [(i["path"], i["code"]) for i in json.loads(out)["issues"]] == [
        ("/candidate", "schema.required")
    ]
    assert fake.seen == []


def test_the_playground_takes_get_root_and_the_rest_of_root_is_forwarded(
    fake: Upstream, served: Served
) -> None:
    status, headers, out = call(served.base + "/")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert b"kombo-validate playground" in out
    assert fake.seen == []
    status, headers, _ = call(
        served.base + "/", b"{}", headers={"Content-Type": "application/json"}
    )
    assert (status, headers["x-kombo-validate"]) == (200, "unchecked")
    assert [(s.method, s.path) for s in fake.seen] == [("POST", "/v1/")]


# ------------------------------------------------------------------ --questions, --fetch-context


def test_questions_file_applies_to_its_job(tmp_path: Any) -> None:
    jobs = {
        "status": "success",
        "data": {"results": [{"id": JOB, "screening_questions": QUESTIONS}]},
    }
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(jobs))
    body = json.dumps({"candidate": candidate()}).encode()
    with (
        upstream() as fake,
        serving("--upstream", fake.url, "--allow-insecure-upstream", "--questions", str(path)) as s,
    ):
        status, headers, _ = call(
            s.base + ROUTE[3:], body, headers={"X-Integration-Id": INTEGRATION}
        )
        assert (status, headers["x-kombo-validate"]) == (
            400,
            "refused; errors=1; codes=answer.required",
        )
        other = "/ats/jobs/OtherJob/applications"  # no questions known: not checked against them
        status, headers, _ = call(s.base + other, body, headers={"X-Integration-Id": INTEGRATION})
        assert (status, headers["x-kombo-validate"]) == (200, "checked; changes=0; warnings=0")
        assert [seen.path for seen in fake.seen] == ["/v1" + other]


def test_fetch_context_fetches_caches_and_degrades() -> None:
    listing = {
        "status": "success",
        "data": {"results": [{"id": JOB, "screening_questions": QUESTIONS}]},
    }
    answered = {
        "candidate": candidate(),
        "screening_question_answers": [{"question_id": Q_LANG, "answer": OPT_PY}],
    }
    headers = {"X-Integration-Id": INTEGRATION, "Authorization": SECRET}
    with (
        upstream() as fake,
        serving("--upstream", fake.url, "--allow-insecure-upstream", "--fetch-context") as s,
    ):
        fake.answers[("GET", f"/v1/ats/jobs?ids={JOB}")] = (
            200,
            [("Content-Type", "application/json")],
            json.dumps(listing).encode(),
        )
        missing = json.dumps({"candidate": candidate()}).encode()
        status, got, _ = call(s.base + ROUTE[3:], missing, headers=headers)
        assert (status, got["x-kombo-validate-context"]) == (400, "fetched")
        assert got["x-kombo-validate"] == "refused; errors=1; codes=answer.required"
        [fetch] = fake.seen
        assert (fetch.method, fetch.path) == ("GET", f"/v1/ats/jobs?ids={JOB}")
        assert fetch.header("Authorization") == [SECRET]
        assert fetch.header("X-Integration-Id") == [INTEGRATION]
        status, got, _ = call(s.base + ROUTE[3:], json.dumps(answered).encode(), headers=headers)
        assert (status, got["x-kombo-validate-context"]) == (200, "cached")
        assert [x.method for x in fake.seen] == ["GET", "POST"]
        # another caller's key: not the cached questions, a fetch of its own with its own key
        theirs = {**headers, "Authorization": "Bearer sk-someone-else"}
        status, got, _ = call(s.base + ROUTE[3:], missing, headers=theirs)
        assert (status, got["x-kombo-validate-context"]) == (400, "fetched")
        [refetch] = fake.seen[2:]
        assert (refetch.method, refetch.path) == ("GET", f"/v1/ats/jobs?ids={JOB}")
        assert refetch.header("Authorization") == ["Bearer sk-someone-else"]
        # a job the listing does not hold: checked without questions, and forwarded
        other = "/ats/jobs/Unlisted/applications"
        status, got, _ = call(s.base + other, missing, headers=headers)
        assert (status, got["x-kombo-validate-context"]) == (200, "unavailable")
        assert got["x-kombo-validate"] == "checked; changes=0; warnings=0"
        assert [x.path for x in fake.seen[3:]] == ["/v1/ats/jobs?ids=Unlisted", "/v1" + other]


FULL_SPEC = Path("/work/shared/seed/kombo-openapi.json")


@pytest.mark.skipif(not FULL_SPEC.is_file(), reason="the full Kombo spec is not present")
def test_any_write_operation_of_a_full_spec_is_checked_on_its_way() -> None:
    from kombo_validate import Validator

    example = Validator(FULL_SPEC, operation="PostAtsCandidates").operation.request_example
    with (
        upstream() as fake,
        serving("--upstream", fake.url, "--allow-insecure-upstream", "--spec", str(FULL_SPEC)) as s,
    ):
        headers = {"X-Integration-Id": INTEGRATION, "Content-Type": "application/json"}
        status, got, _ = call(s.base + "/ats/candidates", b'{"candidate": 1}', headers=headers)
        assert status == 400
        assert got["x-kombo-validate"].startswith("refused; errors=")
        assert "schema.type" in got["x-kombo-validate"]
        assert fake.seen == []
        status, got, _ = call(
            s.base + "/ats/candidates", json.dumps(example).encode(), headers=headers
        )
        assert status == 200
        assert got["x-kombo-validate"].startswith("checked; ")
        [seen] = fake.seen
        assert (seen.method, seen.path) == ("POST", "/v1/ats/candidates")
        assert json.loads(seen.body) == Validator(FULL_SPEC, operation="PostAtsCandidates").prepare(
            example
        )
