"""``--fetch-context``: a job's screening questions fetched from the upstream
(``GET /ats/jobs?ids=…``, or ``remote_ids=`` for a ``remote:`` job id) with the caller's
own ``Authorization`` and ``X-Integration-Id``, and cached per integration, credential
and job: a caller's answers are checked only against questions fetched with its own
``Authorization``. The key holds a keyed digest of that header (BLAKE2b, with a key
made per :class:`ContextFetcher`), never the credential itself; a request without one
has its own entries.

Bounded: the fetch has its own short timeout and a size cap; the cache holds
:data:`MAX_ENTRIES` jobs for :data:`TTL_SECONDS`. When the fetch fails (an error, a
timeout, a job the answer does not list, questions that do not compile), the request is
checked without fetched questions (``--questions`` still applies) and forwarded; the
note (``fetched``, ``cached``, ``unavailable``) goes back in ``X-Kombo-Validate-Context``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import httpx

from ..issues import ContextError
from ..request import INTEGRATION_HEADER, REMOTE_PREFIX
from ..responses import parse_json
from .config import ServiceConfig
from .guards import UNSET

__all__ = ["MAX_ENTRIES", "TTL_SECONDS", "ContextFetcher"]

log = logging.getLogger(__package__)  # kombo_validate.service

TTL_SECONDS = 300.0
MAX_ENTRIES = 1024
MAX_BYTES = 2 * 1024 * 1024
FETCH_TIMEOUT = 5.0


class _Unavailable(Exception):
    pass


class ContextFetcher:
    """Fetches and caches the questions of the jobs that requests name."""

    def __init__(self, config: ServiceConfig, clock: Callable[[], float] = time.monotonic) -> None:
        assert config.upstream is not None
        self._jobs_url = httpx.URL(config.upstream.rstrip("/") + "/ats/jobs")
        self._timeout = min(FETCH_TIMEOUT, config.upstream_timeout)
        self._clock = clock
        #: keys the credential digests: they mean nothing outside this process
        self._digest_key = os.urandom(32)
        #: (integration, credential digest or None, job id) -> (expiry, questions)
        self._cache: OrderedDict[tuple[str, bytes | None, str], tuple[float, Any]] = OrderedDict()
        self._client: httpx.AsyncClient | None = None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def questions_for(self, job_id: str | None, request: httpx.Request) -> tuple[Any, str]:
        """``(compiled questions or None, note)`` for the job ``job_id`` (from the path
        or the body); ``(UNSET, "unavailable")`` on failure."""
        integration = request.headers.get(INTEGRATION_HEADER)
        if job_id is None or integration is None:
            return UNSET, "unavailable"
        key = (integration, self._credential(request), job_id)
        hit = self._cache.get(key)
        if hit is not None and hit[0] > self._clock():
            self._cache.move_to_end(key)
            return hit[1], "cached"
        try:
            questions = await self._fetch(job_id, request)
        except _Unavailable as exc:
            log.info("job context unavailable: %s", exc)
            return UNSET, "unavailable"
        self._cache[key] = (self._clock() + TTL_SECONDS, questions)
        self._cache.move_to_end(key)
        while len(self._cache) > MAX_ENTRIES:
            self._cache.popitem(last=False)
        return questions, "fetched"

    def _credential(self, request: httpx.Request) -> bytes | None:
        """A keyed digest of the ``Authorization`` value the fetch sends, or None
        without one."""
        value = request.headers.get("Authorization")
        if value is None:
            return None
        raw = value.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(raw, key=self._digest_key, digest_size=16).digest()

    async def _fetch(self, job_id: str, request: httpx.Request) -> Any:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self._timeout, follow_redirects=False, trust_env=False
            )
        remote = job_id.startswith(REMOTE_PREFIX)
        params = {
            "remote_ids" if remote else "ids": job_id[len(REMOTE_PREFIX) :] if remote else job_id
        }
        headers = {"Accept": "application/json"}
        for name in ("Authorization", INTEGRATION_HEADER):
            if name in request.headers:
                headers[name] = request.headers[name]
        try:
            async with self._client.stream(
                "GET", self._jobs_url, params=params, headers=headers
            ) as response:
                if response.status_code != 200:
                    raise _Unavailable(f"GET /ats/jobs answered {response.status_code}")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise _Unavailable("GET /ats/jobs answered more than 2 MB")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise _Unavailable(f"GET /ats/jobs failed: {type(exc).__name__}") from None
        data, problem = parse_json(b"".join(chunks))
        inner = data.get("data") if isinstance(data, dict) else None
        results = inner.get("results") if isinstance(inner, dict) else None
        if problem is not None or not isinstance(results, list):
            raise _Unavailable("GET /ats/jobs answered no data.results")
        field = "remote_id" if remote else "id"
        wanted = job_id[len(REMOTE_PREFIX) :] if remote else job_id
        for job in results:
            if isinstance(job, dict) and job.get(field) == wanted:
                from ..questions import Questions

                try:
                    return Questions.coerce(job.get("screening_questions") or [])
                except ContextError as exc:
                    raise _Unavailable(f"the job's questions do not compile: {exc}") from None
        raise _Unavailable("GET /ats/jobs did not list the job")
