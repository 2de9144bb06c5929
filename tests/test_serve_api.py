"""The check API of ``kombo-validate serve --no-upstream``, through plain ``urllib``:
reports equal to the library's, and every request it cannot check a 400 naming why."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import Validator

from .helpers import OPT_PY, Q_LANG, QUESTIONS
from .test_serve_support import ROOT, Served, call, candidate, raw_exchange, serving, status_of

FULL_SPEC = Path("/work/shared/seed/kombo-openapi.json")


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving("--no-upstream", "--max-body-mb", "0.5") as served:
        yield served


def post(served: Served, path: str, payload: Any) -> tuple[int, dict[str, Any]]:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, _, out = call(served.base + path, data, headers={"Content-Type": "application/json"})
    return status, json.loads(out)


def test_check_answers_the_librarys_report(served: Served) -> None:
    body = {
        "candidate": candidate(location={"country": "Germany"}, email_address=" ADA@Example.COM")
    }
    status, report = post(served, "/v1/check", {"body": body})
    assert status == 200
    assert report == {
        "operation": "PostAtsJobsJobIdApplications",
        **Validator().check(body).to_dict(),
    }
    assert report["ok"] is True
    assert report["body"]["candidate"]["location"] == {"country": "DE"}
    assert [c["path"] for c in report["changes"]] == [
        "/candidate/email_address",
        "/candidate/location/country",
    ]


def test_check_of_an_invalid_body_is_200_with_its_issues(served: Served) -> None:
    status, report = post(
        served, "/v1/check", {"body": {"candidate": candidate(email_address="x")}}
    )
    assert status == 200
    assert (report["ok"], report["body"]) == (False, None)
    assert [(i["path"], i["code"], i["severity"]) for i in report["issues"]] == [
        ("/candidate/email_address", "email.invalid", "error")
    ]


def test_prepare_is_422_when_the_body_has_errors(served: Served) -> None:
    status, report = post(served, "/v1/prepare", {"body": {"candidate": {}}})
    assert status == 422
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("/candidate/first_name", "schema.required"),
        ("/candidate/last_name", "schema.required"),
        ("/candidate/email_address", "schema.required"),
    ]
    status, report = post(served, "/v1/prepare", {"body": {"candidate": candidate()}})
    assert (status, report["body"]) == (200, {"candidate": candidate()})


def test_questions_are_checked_against_the_answers(served: Served) -> None:
    answers = [{"question_id": Q_LANG, "answer": "Python"}]
    body = {"candidate": candidate(), "screening_question_answers": answers}
    status, report = post(served, "/v1/check", {"body": body, "questions": QUESTIONS})
    assert (status, report["ok"]) == (200, True)
    assert report["body"]["screening_question_answers"] == [
        {"question_id": Q_LANG, "answer": OPT_PY}
    ]
    status, report = post(
        served, "/v1/check", {"body": {"candidate": candidate()}, "questions": QUESTIONS}
    )
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("/screening_question_answers", "answer.required")
    ]


@pytest.mark.parametrize(
    ("payload", "code", "words"),
    [
        (b'{"body": ', "REQUEST.NOT_JSON", "the request (9 bytes/chars) is not JSON"),
        (b"", "REQUEST.NOT_JSON", "the request (0 bytes/chars) is empty"),
        (b'{"body": NaN}', "REQUEST.NOT_JSON", "is not JSON"),
        ([{"body": {}}], "REQUEST.SHAPE", "must be a JSON object"),
        ({"operation": "PostAtsJobsJobIdApplications"}, "REQUEST.SHAPE", 'has no "body"'),
        ({"body": {}, "bdy": 1}, "REQUEST.SHAPE", "unknown member 'bdy'"),
        ({"body": {}, "operation": 7}, "REQUEST.SHAPE", '"operation" must be a string'),
        (
            {"body": {}, "operation": "PostNope"},
            "OPERATION.UNKNOWN",
            "'PostNope' is no write operation",
        ),
        ({"body": {}, "questions": [{"id": 1}]}, "CONTEXT.INVALID", ""),
        ({"body": {}, "restrictions": "big"}, "CONTEXT.INVALID", ""),
    ],
)
def test_a_request_that_cannot_be_checked_is_a_400(
    served: Served, payload: Any, code: str, words: str
) -> None:
    status, answer = post(served, "/v1/check", payload)
    assert status == 400
    assert answer["error"]["code"] == code
    assert words in answer["error"]["message"]


def test_a_request_over_the_limit_is_413_before_it_is_read(served: Served) -> None:
    head = (
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 9999999\r\n\r\n"
    )
    raw = raw_exchange(served.port, head)  # the body is never sent, yet the answer comes
    assert status_of(raw) == 413
    assert b'"code": "REQUEST.TOO_LARGE"' in raw
    # no Content-Length: counted while read, refused at the limit
    chunk = b"a" * 300_000
    chunked = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    head = head.replace(b"Content-Length: 9999999", b"Transfer-Encoding: chunked")
    raw = raw_exchange(served.port, head + chunked * 2 + b"0\r\n\r\n")
    assert status_of(raw) == 413
    assert b'"code": "REQUEST.TOO_LARGE"' in raw


def test_operations_health_and_openapi(served: Served) -> None:
    status, _, out = call(served.base + "/v1/operations")
    assert (status, json.loads(out)) == (
        200,
        {
            "default": "PostAtsJobsJobIdApplications",
            "operations": [
                {
                    "id": "PostAtsJobsJobIdApplications",
                    "method": "POST",
                    "path": "/ats/jobs/{job_id}/applications",
                    "summary": "Create application",
                }
            ],
        },
    )
    status, _, out = call(served.base + "/healthz")
    assert (status, json.loads(out)) == (200, {"status": "ok", "proxy": False})
    status, _, out = call(served.base + "/openapi.json")
    document = json.loads(out)
    assert sorted(document["paths"]) == ["/healthz", "/v1/check", "/v1/operations", "/v1/prepare"]
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_without_an_upstream_other_paths_are_404(served: Served) -> None:
    status, _, out = call(served.base + "/ats/jobs", headers={"Authorization": "Bearer k"})
    assert (status, json.loads(out)["error"]["code"]) == (404, "NOT_FOUND")
    status, _, _ = call(served.base + "/v1/check")  # GET on a POST route
    assert status == 405


@pytest.mark.skipif(not FULL_SPEC.is_file(), reason="the full Kombo spec is not present")
def test_any_write_operation_of_a_full_spec() -> None:
    example = Validator(FULL_SPEC, operation="PostAtsCandidates").operation.request_example
    with serving("--no-upstream", "--spec", str(FULL_SPEC)) as served:
        status, report = post(
            served, "/v1/check", {"operation": "PostAtsCandidates", "body": example}
        )
        assert (status, report["operation"], report["ok"]) == (200, "PostAtsCandidates", True)
        status, report = post(
            served, "/v1/check", {"operation": "POST /ats/candidates", "body": {"candidate": 1}}
        )
        assert report["operation"] == "PostAtsCandidates"
        assert ("/candidate", "schema.type") in [(i["path"], i["code"]) for i in report["issues"]]
        status, _, out = call(served.base + "/v1/operations")
        assert len(json.loads(out)["operations"]) > 20


# ------------------------------------------------------------------ the command line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kombo_validate", *args],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--upstream", "http://127.0.0.1:9/v1"), "is plain http: credentials would travel"),
        (("--upstream", "https://user:pw@api.kombo.dev/v1"), "must not hold credentials"),
        (("--upstream", "ftp://x/"), "must be an absolute http(s) URL"),
        (
            ("--no-upstream", "--questions", "/nonexistent.json"),
            "--questions /nonexistent.json: no such file",
        ),
        (
            ("--no-upstream", "--spec", "/nonexistent.yaml"),
            "--spec /nonexistent.yaml: no such file",
        ),
        (("--no-upstream", "--fetch-context"), "--fetch-context needs an upstream"),
    ],
)
def test_unusable_options_are_usage_errors_before_binding(
    args: tuple[str, ...], words: str
) -> None:
    done = run_cli("serve", "--port", "1", *args)
    assert done.returncode == 2
    assert words in done.stderr


def test_the_package_and_lint_never_import_the_service(tmp_path: Path) -> None:
    fixture = tmp_path / "ok.json"
    fixture.write_text(json.dumps({"candidate": candidate()}))
    code = (
        "import sys, kombo_validate; from kombo_validate.cli import main; "
        f"rc = main(['lint', {str(fixture)!r}]); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn') "
        "or m.startswith('kombo_validate.service')]; print(rc, bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"
