"""The ASGI app: the check API on its own paths, every other path to the proxy (or a 404
without an upstream); :func:`run` serves it with uvicorn.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .budget import Budget, declared_length
from .check_api import API_PATHS, FAST_PATHS, CheckAPI, json_response
from .config import ServiceConfig
from .errors import Send
from .playground import page
from .proxy import THREAD_BYTES, Proxy, Receive
from .registry import Registry

__all__ = ["Service", "app_from_env", "create_app", "run"]


class Service:
    """One worker's app: the routes, the registry and the proxy, built from a config."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.registry = Registry(config)
        self.budget = Budget(config.max_inflight_bytes)
        self.proxy: Proxy | None = None
        if config.upstream is not None:
            fetcher = None
            if config.fetch_context:
                from .context_cache import ContextFetcher

                fetcher = ContextFetcher(config)
            self.proxy = Proxy(config, self.registry, self.budget, fetcher)
        api = CheckAPI(self.registry, config.max_body_bytes, self.proxy is not None, self.budget)
        self.check_api = api

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            # the spec and Validators live as long as the worker: out of the collector's
            # scans, so its full collections stay short under load (a p99 matter)
            gc.collect()
            gc.freeze()
            yield
            if self.proxy is not None:
                await self.proxy.aclose()

        async def not_found(request: Request, exc: Exception) -> Response:
            message = "no such path: this service has no upstream (--no-upstream)"
            return json_response({"error": {"code": "NOT_FOUND", "message": message}}, 404)

        async def not_allowed(request: Request, exc: Exception) -> Response:
            message = f"{request.method} is not allowed here"
            return json_response({"error": {"code": "METHOD_NOT_ALLOWED", "message": message}}, 405)

        self.api = Starlette(
            routes=[
                Route("/v1/check", api.endpoint(prepare=False), methods=["POST"]),
                Route("/v1/prepare", api.endpoint(prepare=True), methods=["POST"]),
                Route("/v1/operations", api.operations, methods=["GET"]),
                Route("/healthz", api.healthz, methods=["GET"]),
                Route("/openapi.json", api.openapi, methods=["GET"]),
                Route("/", page, methods=["GET"]),  # HEAD too (Starlette adds it)
            ],
            lifespan=lifespan,
            exception_handlers={404: not_found, 405: not_allowed},
        )

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            prepare = FAST_PATHS.get(path)
            if prepare is not None and scope["method"] == "POST":
                await self.check_api.handle(scope, receive, send, prepare=prepare)
                return
            if self.proxy is not None and path not in API_PATHS and not _is_page(scope):
                await self.proxy(scope, receive, send)
                return
        await self.api(scope, receive, send)

    def answers_now(self, scope: MutableMapping[str, Any]) -> bool:
        """Whether :meth:`answer_now` may take this request once its body is in: a POST
        to /v1/check or /v1/prepare declaring a small length (the protocol's fast path,
        :mod:`.lean_http`)."""
        if scope["method"] != "POST" or scope["path"] not in FAST_PATHS:
            return False
        declared, valid = declared_length(scope["headers"])
        return valid and declared is not None and declared < THREAD_BYTES

    def answer_now(self, scope: MutableMapping[str, Any], body: bytes) -> tuple[int, bytes] | None:
        """``(status, body)`` of a request :meth:`answers_now` took, or None: serve it
        through :meth:`__call__` instead."""
        prepare = FAST_PATHS[scope["path"]]
        return self.check_api.answer_now(scope["headers"], body, prepare)


def _is_page(scope: MutableMapping[str, Any]) -> bool:
    """``GET /`` (or HEAD): the playground, not the upstream's root."""
    return bool(scope["path"] == "/" and scope["method"] in ("GET", "HEAD"))


def create_app(config: ServiceConfig) -> Service:
    return Service(config)


def app_from_env() -> Service:
    """The app of a uvicorn worker process: its config from the environment."""
    return Service(ServiceConfig.from_env())


def uvicorn_options(config: ServiceConfig) -> dict[str, Any]:
    """What uvicorn is told, in one process or in each worker."""
    from .coalesce import protocol

    return {
        "host": config.host,
        "port": config.port,
        "access_log": False,  # our own line per request: no paths, no payload values
        "proxy_headers": False,
        "server_header": False,
        "date_header": False,
        "timeout_graceful_shutdown": config.graceful_timeout,
        "log_level": "info",
        "http": protocol(),  # httptools: small checks at once (.lean_http), else .coalesce
        # loop "auto": uvloop when installed (the serve extra brings it), else asyncio
    }


def run(config: ServiceConfig) -> int:
    """Serve until SIGINT/SIGTERM (in-flight requests finish first); the exit code."""
    import os

    import uvicorn

    from .workers import HANDS_OFF, supervise

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines quote whole URLs
    common = uvicorn_options(config)
    if config.workers > 1:
        os.environ["KOMBO_VALIDATE_SERVE_CONFIG"] = config.to_env()
        if HANDS_OFF:  # connections handed to the workers in turn (.workers)
            return supervise(config)
        uvicorn.run(
            "kombo_validate.service.app:app_from_env",
            factory=True,
            workers=config.workers,
            **common,
        )
    else:
        uvicorn.run(create_app(config), **common)
    return 0
