"""The transport matches paths as a router would: no bypass by a trailing slash, an escaped
letter, a capital or a ``;`` parameter (issue 15, item 9). MockTransport only: no network."""

from __future__ import annotations

import json

import httpx
import pytest

from kombo_validate import PayloadError
from kombo_validate.httpx import ValidatingTransport, normalise_path

INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"
JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
BASE = "https://api.kombo.dev/v1"
BAD = json.dumps({"candidate": {"first_name": "Ada"}}).encode()  # no last name, no email
GOOD = json.dumps(
    {"candidate": {"first_name": "Ada", "last_name": "L", "email_address": "ada@example.com"}}
).encode()


def send(path: str, content: bytes, method: str = "POST") -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "success"})

    transport = ValidatingTransport(httpx.MockTransport(handler))
    with httpx.Client(transport=transport) as client:
        client.request(
            method, BASE + path, content=content, headers={"X-Integration-Id": INTEGRATION}
        )
    return seen


@pytest.mark.parametrize(
    "path",
    [
        f"/ats/jobs/{JOB}/applications/",
        f"/ats/jobs/{JOB}/applicati%6Fns",
        f"/ats/jobs/{JOB}/applicati%6fns/",
        f"/%61ts/jobs/{JOB}/applications",
    ],
)
def test_router_equivalent_paths_are_checked(path: str) -> None:
    with pytest.raises(PayloadError) as caught:
        send(path, BAD)
    assert [(i.path, i.code) for i in caught.value.issues] == [
        ("/candidate/last_name", "schema.required"),
        ("/candidate/email_address", "schema.required"),
    ]
    (sent,) = send(path, GOOD)
    assert sent.url.raw_path.decode() == "/v1" + path  # the caller's path is kept


@pytest.mark.parametrize(
    "path",
    [
        f"/ats/jobs/{JOB}/Applications",
        f"/ATS/jobs/{JOB}/applications",
        f"/ats/jobs/{JOB}/applications;x=1",
        f"/ats/jobs;v=2/{JOB}/applications",
        f"/ats//jobs/{JOB}/applications",
    ],
)
def test_ambiguous_paths_are_refused(path: str) -> None:
    for body in (BAD, GOOD):  # refused before the body is looked at
        with pytest.raises(PayloadError) as caught:
            send(path, body)
        assert [(i.path, i.code) for i in caught.value.issues] == [("", "path.ambiguous")]
        assert "send the exact path" in caught.value.issues[0].message


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"/ats/jobs/{JOB}/applications/extra"),
        ("POST", "/ats/jobs"),
        ("GET", f"/ats/jobs/{JOB}/applications/"),
        ("POST", f"/ats/jobs/{JOB}/applications%2F"),  # an escaped '/' is not a separator
    ],
)
def test_other_routes_pass_through_untouched(method: str, path: str) -> None:
    (sent,) = send(path, BAD, method)
    assert sent.read() == BAD


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/a/b/", "/a/b"),
        ("/", "/"),
        ("/a%2Fb", "/a%2Fb"),  # reserved: stays escaped
        ("/%7E%2d%2E%5F%41", "/~-._A"),
        ("/a%20b", "/a%20b"),
        ("/a%zz", "/a%zz"),
    ],
)
def test_normalise_path(raw: str, expected: str) -> None:
    assert normalise_path(raw) == expected
