"""``--fetch-context``'s :class:`~kombo_validate.service.context_cache.ContextFetcher` in
process, against the loopback fake upstream: the cache is per integration, credential and
job; every way a fetch fails is ``unavailable``; the TTL (an injected clock) and the LRU
bound. Each test asserts the notes and exactly which GETs the upstream received.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kombo_validate.service import context_cache
from kombo_validate.service.config import ServiceConfig
from kombo_validate.service.context_cache import TTL_SECONDS, ContextFetcher
from kombo_validate.service.guards import UNSET

from .helpers import Q_LANG, QUESTIONS
from .test_serve_support import INTEGRATION, JOB, SECRET, Upstream, free_port, upstream

OTHER_SECRET = "Bearer sk-OTHER-TOKEN-1717"
JOBS = "/v1/ats/jobs"
#: the fetch of JOB's listing as :func:`gets` shows it, with the default request's headers
MINE = ("GET", f"{JOBS}?ids={JOB}", [SECRET], [INTEGRATION])


@pytest.fixture
def fake() -> Iterator[Upstream]:
    with upstream() as fake:
        yield fake


def listing(job: str = JOB, questions: Any = QUESTIONS, **extra: Any) -> bytes:
    """A ``GET /ats/jobs`` answer listing ``job`` with ``questions``."""
    results = [{"id": job, "screening_questions": questions, **extra}]
    return json.dumps({"status": "success", "data": {"results": results}}).encode()


def lists(fake: Upstream, job: str = JOB, status: int = 200, body: bytes | None = None) -> None:
    """Script the fake's answer to ``GET /v1/ats/jobs?ids=<job>``."""
    answer = listing(job) if body is None else body
    fake.answers[("GET", f"{JOBS}?ids={job}")] = (
        status,
        [("Content-Type", "application/json")],
        answer,
    )


def fetcher(base: str, timeout: float = 10.0, clock: Any = time.monotonic) -> ContextFetcher:
    config = ServiceConfig(
        upstream=base, allow_insecure_upstream=True, fetch_context=True, upstream_timeout=timeout
    )
    return ContextFetcher(config, clock=clock)


def request(auth: str | None = SECRET, integration: str = INTEGRATION) -> httpx.Request:
    """The proxied request as the proxy hands it over, with headers the fetch must not copy."""
    headers = {"X-Integration-Id": integration, "Cookie": "c=1", "X-Other": "o"}
    if auth is not None:
        headers["Authorization"] = auth
    return httpx.Request(
        "POST", f"http://127.0.0.1/v1/ats/jobs/{JOB}/applications", headers=headers
    )


def run(fetch: ContextFetcher, *calls: tuple[str, httpx.Request]) -> list[tuple[Any, str]]:
    """``questions_for`` of each ``(job id, request)`` in turn, in one event loop."""

    async def go() -> list[tuple[Any, str]]:
        try:
            return [await fetch.questions_for(job, req) for job, req in calls]
        finally:
            await fetch.aclose()

    return asyncio.run(go())


def gets(fake: Upstream) -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path, Authorization, X-Integration-Id) of each request the fake received."""
    return [
        (s.method, s.path, s.header("Authorization"), s.header("X-Integration-Id"))
        for s in fake.seen
    ]


def test_each_credential_has_its_own_entry_and_the_fetch_uses_it(fake: Upstream) -> None:
    lists(fake)
    results = run(
        fetcher(fake.url),
        (JOB, request(SECRET)),
        (JOB, request(OTHER_SECRET)),  # another caller, same integration and job
        (JOB, request(SECRET)),
        (JOB, request(OTHER_SECRET)),
        (JOB, request(None)),  # no Authorization: an entry of its own
        (JOB, request(None)),
    )
    notes = [note for _, note in results]
    assert notes == ["fetched", "fetched", "cached", "cached", "fetched", "cached"]
    assert [q.ids for q, _ in results] == [(Q_LANG,)] * 6
    path = f"{JOBS}?ids={JOB}"
    assert gets(fake) == [
        ("GET", path, [SECRET], [INTEGRATION]),
        ("GET", path, [OTHER_SECRET], [INTEGRATION]),
        ("GET", path, [], [INTEGRATION]),
    ]
    names = {name.lower() for name, _ in fake.seen[0].headers}  # nothing else of the caller's
    assert names == {
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "user-agent",
        "authorization",
        "x-integration-id",
    }
    assert fake.seen[0].header("Accept") == ["application/json"]
    assert fake.seen[0].header("Host") == [f"127.0.0.1:{fake.port}"]


def test_another_integration_with_the_same_credential_fetches_again(fake: Upstream) -> None:
    lists(fake)
    other = "join:OtherIntegration1234567"
    results = run(fetcher(fake.url), (JOB, request()), (JOB, request(integration=other)))
    assert [note for _, note in results] == ["fetched", "fetched"]
    path = f"{JOBS}?ids={JOB}"
    assert gets(fake) == [("GET", path, [SECRET], [INTEGRATION]), ("GET", path, [SECRET], [other])]


def test_an_upstream_error_is_unavailable_and_not_cached(fake: Upstream) -> None:
    lists(fake, status=500)  # a listing that would do, but not with a 200
    results = run(fetcher(fake.url), (JOB, request()), (JOB, request()))
    assert results == [(UNSET, "unavailable"), (UNSET, "unavailable")]
    assert gets(fake) == [MINE] * 2


def test_an_upstream_slower_than_the_fetch_timeout_is_unavailable_on_time(
    fake: Upstream,
) -> None:
    lists(fake)
    fake.delay[JOBS] = 3.0
    started = time.monotonic()
    results = run(fetcher(fake.url, timeout=0.5), (JOB, request()))
    assert time.monotonic() - started < 2.0
    assert results == [(UNSET, "unavailable")]
    assert gets(fake) == [MINE]


def test_a_refused_connection_is_unavailable() -> None:
    nobody = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    started = time.monotonic()
    results = run(fetcher(nobody), (JOB, request()))
    assert time.monotonic() - started < 2.0
    assert results == [(UNSET, "unavailable")]


def test_an_answer_over_the_size_cap_is_unavailable(
    fake: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = listing(padding="x" * 4000)
    lists(fake, body=body)
    monkeypatch.setattr(context_cache, "MAX_BYTES", len(body) - 1)
    assert run(fetcher(fake.url), (JOB, request())) == [(UNSET, "unavailable")]
    monkeypatch.setattr(context_cache, "MAX_BYTES", len(body))  # exactly the cap: taken
    [(questions, note)] = run(fetcher(fake.url), (JOB, request()))
    assert (note, questions.ids) == ("fetched", (Q_LANG,))
    assert gets(fake) == [MINE] * 2


@pytest.mark.parametrize(
    "questions", ["not a list", [{"id": "q1", "format": {"type": "SINGLE_SELECT"}}]]
)
def test_questions_that_do_not_compile_are_unavailable(fake: Upstream, questions: Any) -> None:
    lists(fake, body=listing(questions=questions))
    results = run(fetcher(fake.url), (JOB, request()), (JOB, request()))
    assert results == [(UNSET, "unavailable"), (UNSET, "unavailable")]
    assert gets(fake) == [MINE] * 2


def test_an_entry_expires_after_the_ttl(fake: Upstream) -> None:
    lists(fake)
    now = [1000.0]
    fetch = fetcher(fake.url, clock=lambda: now[0])

    async def go() -> list[str]:
        notes = [(await fetch.questions_for(JOB, request()))[1]]
        now[0] += TTL_SECONDS - 0.001  # just before it expires
        notes.append((await fetch.questions_for(JOB, request()))[1])
        now[0] += 0.001  # the moment it expires
        notes.append((await fetch.questions_for(JOB, request()))[1])
        notes.append((await fetch.questions_for(JOB, request()))[1])
        await fetch.aclose()
        return notes

    assert asyncio.run(go()) == ["fetched", "cached", "fetched", "cached"]
    assert gets(fake) == [MINE] * 2


def test_the_least_recently_used_entry_is_evicted(
    fake: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context_cache, "MAX_ENTRIES", 2)
    for job in ("JobA", "JobB", "JobC"):
        lists(fake, job)
    results = run(
        fetcher(fake.url),
        ("JobA", request()),
        ("JobB", request()),
        ("JobA", request()),  # A is now the most recently used
        ("JobC", request()),  # evicts B, not A
        ("JobA", request()),
        ("JobB", request()),  # evicts C
        ("JobA", request()),
        ("JobC", request()),
    )
    assert [note for _, note in results] == [
        "fetched",
        "fetched",
        "cached",
        "fetched",
        "cached",
        "fetched",
        "cached",
        "fetched",
    ]
    assert [s.path for s in fake.seen] == [
        f"{JOBS}?ids=JobA",
        f"{JOBS}?ids=JobB",
        f"{JOBS}?ids=JobC",
        f"{JOBS}?ids=JobB",
        f"{JOBS}?ids=JobC",
    ]
