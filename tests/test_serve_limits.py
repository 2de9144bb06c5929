"""``kombo-validate serve``: the in-flight bytes cap (``--max-inflight-mb``): bodies held
at once beyond it are turned away with 503 in Kombo's error shape and ``Retry-After``,
on the check API and on the proxy, and the room comes back when they are done. Also
``--fetch-context`` for an operation that names its job in the body (Create candidate).
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import OPT_PY, Q_LANG, QUESTIONS
from .test_serve_support import (
    INTEGRATION,
    JOB,
    SECRET,
    Served,
    Upstream,
    call,
    proxying,
    raw_exchange,
    serving,
    status_of,
    upstream,
)

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
ROUTE = f"/ats/jobs/{JOB}/applications"
#: a declared body of 0.4 MB: two of them fill --max-inflight-mb 1 (1 MiB)
BIG = 400_000


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Upstream, Served]]:
    with proxying("--max-body-mb", "0.5", "--max-inflight-mb", "1") as stack:
        yield stack


@contextlib.contextmanager
def held(port: int, path: str, count: int) -> Iterator[list[socket.socket]]:
    """``count`` requests whose ``BIG``-byte bodies are declared and half sent, held open."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"X-Integration-Id: {INTEGRATION}\r\nContent-Length: {BIG}\r\n\r\n".encode()
                + b" " * (BIG // 2)
            )
            socks.append(sock)
        yield socks
    finally:
        for sock in socks:
            sock.close()


def busy_answer(port: int, path: str, head_only: bool = True) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Integration-Id: {INTEGRATION}\r\n"
    ).encode()
    if head_only:  # the declared length is reserved before the body is read
        return raw_exchange(port, head + f"Content-Length: {BIG}\r\n\r\n".encode())
    # no declared length: reserved as the chunks arrive
    chunk = b" " * 100_000
    chunked = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    return raw_exchange(port, head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked * 4)


def headers_of(raw: bytes) -> dict[str, str]:
    lines = raw.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")[1:]
    return {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}


def kombo_error_of(raw: bytes) -> dict[str, Any]:
    payload = json.loads(raw.split(b"\r\n\r\n", 1)[1])
    assert payload["status"] == "error"
    error = payload["error"]
    assert isinstance(error, dict)
    return error


@pytest.mark.parametrize("path", ["/v1/check", ROUTE], ids=["check-api", "proxy"])
@pytest.mark.parametrize("head_only", [True, False], ids=["declared", "chunked"])
def test_bodies_beyond_the_inflight_cap_are_503_with_retry_after(
    stack: tuple[Upstream, Served], path: str, head_only: bool
) -> None:
    fake, served = stack
    fake.seen.clear()
    with held(served.port, path, 2):
        raw = busy_answer(served.port, path, head_only)
        assert status_of(raw) == 503
        headers = headers_of(raw)
        assert headers["retry-after"] == "1"
        assert headers["connection"] == "close"
        error = kombo_error_of(raw)
        assert error["code"] == "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED"
        assert error["message"].startswith(
            "the service holds 1 MB of request bodies already (--max-inflight-mb)"
        )
    assert fake.seen == []


def test_the_room_comes_back_when_held_bodies_are_done(stack: tuple[Upstream, Served]) -> None:
    _, served = stack
    with held(served.port, "/v1/check", 2):
        assert status_of(busy_answer(served.port, "/v1/check")) == 503
    # the held clients went away: what they reserved is released, so one held body and
    # one whole BIG request fit again (with a leak of 0.8 MB neither would)
    envelope = json.dumps({"body": {}}).encode()
    padded = envelope + b" " * (BIG - len(envelope))
    status = 0
    for _ in range(40):  # the server notices the closed connections within moments
        with held(served.port, "/v1/check", 1):
            status, _, out = call(served.base + "/v1/check", padded)
        if status == 200:
            break
        time.sleep(0.05)
    assert status == 200
    assert [(i["path"], i["code"]) for i in json.loads(out)["issues"]] == [
        ("/candidate", "schema.required")
    ]


def test_an_inflight_cap_below_the_body_limit_is_a_usage_error() -> None:
    import subprocess
    import sys

    from .test_serve_support import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "kombo_validate", "serve", "--no-upstream"]
        + ["--max-body-mb", "10", "--max-inflight-mb", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 2
    assert "--max-inflight-mb 5 is less than --max-body-mb 10" in done.stderr


# ------------------------------------------------------------------ --fetch-context, job in the body


def test_fetch_context_reads_the_job_from_the_body_of_create_candidate() -> None:
    listing = {
        "status": "success",
        "data": {"results": [{"id": JOB, "screening_questions": QUESTIONS}]},
    }
    missing = {
        "candidate": {"first_name": "Ada", "email_address": "ada@example.com"},
        "application": {"job_id": JOB},
    }
    answered = {
        **missing,
        "screening_question_answers": [{"question_id": Q_LANG, "answer": OPT_PY}],
    }
    headers = {"X-Integration-Id": INTEGRATION, "Authorization": SECRET}
    with (
        upstream() as fake,
        serving(
            "--spec",
            str(MULTI),
            "--upstream",
            fake.url,
            "--allow-insecure-upstream",
            "--fetch-context",
        ) as s,
    ):
        fake.answers[("GET", f"/v1/ats/jobs?ids={JOB}")] = (
            200,
            [("Content-Type", "application/json")],
            json.dumps(listing).encode(),
        )
        status, got, out = call(
            s.base + "/ats/candidates", json.dumps(missing).encode(), headers=headers
        )
        assert (status, got["x-kombo-validate-context"]) == (400, "fetched")
        assert got["x-kombo-validate"] == "refused; errors=1; codes=answer.required"
        assert "/screening_question_answers" in json.loads(out)["error"]["message"]
        [fetch] = fake.seen
        assert (fetch.method, fetch.path) == ("GET", f"/v1/ats/jobs?ids={JOB}")
        assert fetch.header("Authorization") == [SECRET]
        assert fetch.header("X-Integration-Id") == [INTEGRATION]
        status, got, _ = call(
            s.base + "/ats/candidates", json.dumps(answered).encode(), headers=headers
        )
        assert (status, got["x-kombo-validate-context"]) == (200, "cached")
        assert [(x.method, x.path) for x in fake.seen[1:]] == [("POST", "/v1/ats/candidates")]
        # no job id in the body: nothing to fetch; the check itself names the gap
        nojob = {"candidate": missing["candidate"], "application": {}}
        status, got, out = call(
            s.base + "/ats/candidates", json.dumps(nojob).encode(), headers=headers
        )
        assert (status, got["x-kombo-validate-context"]) == (400, "unavailable")
        assert got["x-kombo-validate"] == "refused; errors=1; codes=schema.required"
        assert len(fake.seen) == 2
