"""``kombo-validate serve``: the check API and the validating proxy (the ``serve`` extra).

The service itself (:mod:`kombo_validate.service`, Starlette and uvicorn) is imported
only when the command runs. An unusable option (``--spec``, ``--questions``,
``--restrictions``, an ``http://`` upstream without ``--allow-insecure-upstream``) is a
usage error (exit 2) before anything binds.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .jobcontext import OptionError

__all__ = ["add_serve_parser", "run_serve"]


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError("must be more than 0")
        return value

    return parse


def add_serve_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the check API and a validating proxy in front of Kombo",
        description="Serve POST /v1/check and /v1/prepare, and forward every other request "
        "to the upstream (Kombo's first server in the spec), checking the write operations "
        "the spec knows on the way (needs the serve extra).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=_positive(int), default=8080, help="(default: 8080)")
    serve.add_argument("--workers", type=_positive(int), default=1, metavar="N", help="processes")
    where = serve.add_mutually_exclusive_group()
    where.add_argument(
        "--upstream",
        metavar="URL",
        help="base URL to forward to (default: the spec's first server, https://api.kombo.dev/v1)",
    )
    where.add_argument("--no-upstream", action="store_true", help="serve the check API only")
    serve.add_argument(
        "--allow-insecure-upstream",
        action="store_true",
        help="allow an http:// upstream (credentials travel unencrypted)",
    )
    serve.add_argument("--spec", metavar="FILE", help="OpenAPI document (default: bundled)")
    serve.add_argument(
        "--questions",
        metavar="FILE",
        help="JSON/YAML: GET /ats/jobs response, jobs, or one job's questions",
    )
    serve.add_argument(
        "--restrictions",
        metavar="FILE",
        help="JSON/YAML: attachment_restrictions for every request",
    )
    serve.add_argument(
        "--max-body-mb",
        type=_positive(float),
        default=25.0,
        metavar="MB",
        help="larger request bodies are refused with 413 (default: 25)",
    )
    serve.add_argument(
        "--max-inflight-mb",
        type=_positive(float),
        default=256.0,
        metavar="MB",
        help="request bodies one worker holds at once; beyond, new requests get 503 with "
        "Retry-After (default: 256; at least --max-body-mb)",
    )
    serve.add_argument(
        "--upstream-timeout",
        type=_positive(float),
        default=30.0,
        metavar="S",
        help="seconds to wait for the upstream (default: 30)",
    )
    serve.add_argument(
        "--fetch-context",
        action="store_true",
        help="fetch each job's screening questions from the upstream (cached)",
    )


def _config(options: Any, extra: dict[str, Any]) -> Any:
    from ..issues import SpecError
    from ..service.config import ServiceConfig, upstream_problem
    from ..spec import load_document

    upstream = None if extra["no_upstream"] else extra["upstream"]
    if upstream is None and not extra["no_upstream"]:
        try:
            doc, label = load_document(options.spec)
        except SpecError as exc:
            raise OptionError(f"--spec {exc}") from None
        servers = [s.get("url") for s in doc.get("servers") or () if isinstance(s, dict)]
        if not servers or not isinstance(servers[0], str):
            raise OptionError(f"--spec {label} names no server: pass --upstream URL")
        upstream = servers[0]
    if upstream is not None:
        problem = upstream_problem(upstream, extra["allow_insecure_upstream"])
        if problem is not None:
            raise OptionError(f"--upstream {upstream}: {problem}")
    if extra["max_inflight_mb"] < extra["max_body_mb"]:
        raise OptionError(
            f"--max-inflight-mb {extra['max_inflight_mb']:g} is less than --max-body-mb "
            f"{extra['max_body_mb']:g}: a body of the largest allowed size would never be taken"
        )
    if extra["fetch_context"] and upstream is None:
        raise OptionError("--fetch-context needs an upstream")
    return ServiceConfig(
        host=extra["host"],
        port=extra["port"],
        workers=extra["workers"],
        upstream=upstream,
        allow_insecure_upstream=extra["allow_insecure_upstream"],
        spec=options.spec,
        questions=options.questions,
        restrictions=options.restrictions,
        max_body_bytes=int(extra["max_body_mb"] * 1024 * 1024),
        max_inflight_bytes=int(extra["max_inflight_mb"] * 1024 * 1024),
        upstream_timeout=extra["upstream_timeout"],
        fetch_context=extra["fetch_context"],
    )


def run_serve(options: Any, out: TextIO, err: TextIO) -> int:
    try:
        from ..service.app import Service, run
        from ..service.config import ConfigError, is_loopback, url_host
    except ImportError as exc:
        raise OptionError(str(exc)) from None
    config = _config(options, options.extra)
    try:
        Service(config)  # every option used once here: errors before anything binds
    except ConfigError as exc:
        raise OptionError(str(exc)) from None
    if not is_loopback(config.host):
        err.write(f"kombo-validate: warning: serving on {config.host}, beyond this machine\n")
    where = config.upstream or "no upstream (check API only)"
    err.write(f"kombo-validate: serving http://{url_host(config.host)}:{config.port} -> {where}\n")
    return run(config)
