"""Whole requests: the job id, the ``X-Integration-Id`` header and the body, checked together.

:func:`prepare_request` returns ``{"method", "url", "headers", "json"}``, ready for
any HTTP client (``httpx.Client.request(**req)``, ``requests.request(**req)``).
It never adds credentials: put your ``Authorization`` header on the client.

Where parameter issues go: a parameter is named by a pointer that starts with
``#`` and says where it lives, ``#path/job_id`` and ``#header/X-Integration-Id``
(the spec's spelling). Body issues keep their RFC 6901 pointers (``""`` or
``/...``), so ``issue.path.startswith("#")`` tells the two apart. Parameter
issues come first in a :class:`PayloadError`.

Parameter issue codes: ``param.missing``, ``param.empty``, ``param.format``,
``schema.<keyword>`` (the spec's parameter schema), and, from the httpx
transport only, ``param.unencoded``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from .api import Validator, default_validator
from .context import Ctx
from .engine import Engine, make_engine
from .issues import Issue, PayloadError, excerpt, pointer
from .jsondata import unicode_issues, walk_any
from .schema_errors import issues_from

__all__ = [
    "INTEGRATION_HEADER",
    "JOB_ID",
    "REMOTE_PREFIX",
    "RequestPlan",
    "encode_job_id",
    "integration_id_issues",
    "job_id_issues",
    "prepare_request",
    "regions",
    "request_plan",
]

JOB_ID = "job_id"
INTEGRATION_HEADER = "X-Integration-Id"
REMOTE_PREFIX = "remote:"
_EXAMPLE_INTEGRATION_ID = "join:HWUTwvyx2wLoSUHphiWVrp28"

#: ``<tool>:<id>``: a tool name (``join``, ``workday``, ``sap-successfactors``) and a Kombo id
_INTEGRATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9_-]+")
#: Kombo's own ids are letters and digits; anything else must be a ``remote:`` id
_KOMBO_ID = re.compile(r"[A-Za-z0-9_-]+")
_REGION_WORD = re.compile(r"\b([A-Z]{2})\b")


@dataclass(frozen=True)
class _Param:
    """One parameter of the operation, as the spec declares it."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    engine: Engine
    example: str | None

    @property
    def pointer(self) -> str:
        return f"#{self.location}{pointer((self.name,))}"


@dataclass(frozen=True)
class RequestPlan:
    """What building a request needs from a Validator's spec, compiled once."""

    method: str
    path: str
    job_id: _Param
    integration_id: _Param
    #: region name (lowercase, e.g. ``"eu"``) → server URL, in the spec's order
    servers: tuple[tuple[str, str], ...]


def _param(validator: Validator, location: str, name: str) -> _Param:
    spec: dict[str, Any] = {}
    for p in validator.spec.parameters:
        if p.get("in") == location and str(p.get("name", "")).lower() == name.lower():
            spec = p
            break
    schema = spec.get("schema")
    schema = schema if isinstance(schema, dict) else {"type": "string"}
    example = spec.get("example")
    return _Param(
        name=str(spec.get("name", name)),
        location=location,
        required=bool(spec.get("required", True)),
        schema=schema,
        engine=make_engine(schema, validator.engine_name),
        example=example if isinstance(example, str) else None,
    )


def _region_of(server: dict[str, Any]) -> str | None:
    """``"Kombo EU API"`` → ``"eu"``; else a two-letter host label (``api.us.kombo.dev``)."""
    found = _REGION_WORD.search(str(server.get("description") or ""))
    if found:
        return found.group(1).lower()
    host = urlsplit(str(server.get("url", ""))).hostname or ""
    labels = [label for label in host.split(".")[1:-2] if len(label) == 2 and label.isalpha()]
    return labels[0].lower() if labels else None


@lru_cache(maxsize=16)
def request_plan(validator: Validator) -> RequestPlan:
    """The :class:`RequestPlan` of ``validator`` (built once per Validator, then cached)."""
    servers: dict[str, str] = {}
    for server in validator.spec.servers:
        region = _region_of(server)
        url = server.get("url")
        if region is not None and isinstance(url, str) and region not in servers:
            servers[region] = url
    return RequestPlan(
        method=validator.spec.method.upper(),
        path=validator.spec.path,
        job_id=_param(validator, "path", JOB_ID),
        integration_id=_param(validator, "header", INTEGRATION_HEADER),
        servers=tuple(servers.items()),
    )


def regions(validator: Validator | None = None) -> dict[str, str]:
    """Region name → server URL, from the spec's ``servers`` (``{"eu": ..., "us": ...}``)."""
    return dict(request_plan(validator or default_validator()).servers)


def encode_job_id(job_id: str) -> str:
    """``job_id`` as one path segment: everything but letters, digits, ``-._~`` and ``:``
    is percent-encoded, so ``/``, ``?``, ``#``, ``%`` and spaces cannot change the route,
    while ``remote:`` stays readable (``:`` is allowed in a path segment, RFC 3986 §3.3).
    """
    return quote(job_id, safe=":")


def _base_issues(param: _Param, value: object) -> tuple[list[Issue], str | None]:
    """Presence and the spec's schema; the value as a string when it may be checked further."""
    where = param.pointer
    if value is None:
        if not param.required:
            return [], None
        message = f"the required {param.location} parameter {param.name} is missing"
        return [Issue(where, "param.missing", message)], None
    ctx = Ctx()
    wire = walk_any(value, (), ctx, 0)  # not JSON data at all: say so, never crash
    unicode_issues(wire, (), ctx)  # a lone surrogate: no URL or header can carry it
    if ctx.issues:
        return [Issue(where + i.path, i.code, i.message) for i in ctx.issues], None
    value = wire  # an exact str from here on (a subclass's methods never run)
    if not param.engine.is_valid(wire):
        found = [
            Issue(where + pointer(path), code, message)
            for path, code, message in issues_from(param.engine.iter_errors(wire), param.schema)
        ]
        return found, None
    if not isinstance(value, str):
        return [
            Issue(where, "param.format", f"expected a string, got {type(value).__name__}")
        ], None
    if not value.strip():
        return [Issue(where, "param.empty", f"{param.name} is empty")], None
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return [
            Issue(where, "param.format", f"{excerpt(value)} contains a control character")
        ], None
    return [], value


def job_id_issues(job_id: object, plan: RequestPlan) -> list[Issue]:
    """Problems with the job id (decoded, as the caller means it), at ``#path/job_id``."""
    found, value = _base_issues(plan.job_id, job_id)
    if value is None:
        return found
    where = plan.job_id.pointer
    if value[: len(REMOTE_PREFIX)].lower() == REMOTE_PREFIX:
        if not value.startswith(REMOTE_PREFIX):
            return [
                Issue(where, "param.format", f"write the prefix as {REMOTE_PREFIX!r} (lowercase)")
            ]
        rest = value[len(REMOTE_PREFIX) :]
        if not rest.strip():
            return [
                Issue(where, "param.empty", f"{REMOTE_PREFIX!r} must be followed by the remote id")
            ]
        if rest != rest.strip():
            return [
                Issue(where, "param.format", f"whitespace around the remote id in {excerpt(value)}")
            ]
        return []
    if value != value.strip():
        return [
            Issue(where, "param.format", f"{excerpt(value)} has leading or trailing whitespace")
        ]
    if not _KOMBO_ID.fullmatch(value):
        return [
            Issue(
                where,
                "param.format",
                f"{excerpt(value)} is not a Kombo id (letters and digits); for the ATS's "
                f"own id write {REMOTE_PREFIX!r} + the id",
            )
        ]
    return []


def integration_id_issues(integration_id: object, plan: RequestPlan) -> list[Issue]:
    """Problems with the integration id, at ``#header/X-Integration-Id``."""
    param = plan.integration_id
    found, value = _base_issues(param, integration_id)
    if value is None or _INTEGRATION_ID.fullmatch(value):
        return found
    example = param.example or _EXAMPLE_INTEGRATION_ID
    spaced = " (it holds whitespace)" if any(ch.isspace() for ch in value) else ""
    return [
        Issue(
            param.pointer,
            "param.format",
            f"{excerpt(value)} is not an integration id of the form <tool>:<id> "
            f"(like {example!r}){spaced}",
        )
    ]


def _server(plan: RequestPlan, region: str) -> str:
    servers = dict(plan.servers)
    key = region.lower() if isinstance(region, str) else region
    if key not in servers:
        choices = ", ".join(repr(r) for r in servers) or "none (the spec lists no servers)"
        raise ValueError(f"unknown region {region!r}: choose one of {choices} (the spec's servers)")
    return servers[key]


def prepare_request(
    job_id: str,
    body: Any,
    *,
    integration_id: str,
    region: str = "eu",
    questions: Any = None,
    restrictions: Any = None,
    validator: Validator | None = None,
) -> dict[str, Any]:
    """The whole Create-application request, checked: ``{"method", "url", "headers", "json"}``.

    Raises :class:`PayloadError` with every error (parameter issues first, then
    the body's), :class:`ValueError` for an unknown ``region``, and
    :class:`ContextError` for malformed ``questions``/``restrictions``.
    No credentials are added: send it with a client that carries your API key.
    """
    validator = validator or default_validator()
    plan = request_plan(validator)
    base = _server(plan, region)
    errors = job_id_issues(job_id, plan) + integration_id_issues(integration_id, plan)
    report = validator.check(body, questions=questions, restrictions=restrictions)
    if errors or report.body is None:
        raise PayloadError([*errors, *report.errors])
    assert isinstance(job_id, str) and isinstance(integration_id, str)
    job_id, integration_id = str.__str__(job_id), str.__str__(integration_id)  # exact str
    path = plan.path.replace("{" + JOB_ID + "}", encode_job_id(job_id))
    return {
        "method": plan.method,
        "url": base.rstrip("/") + path,
        "headers": {
            "Content-Type": "application/json",
            "Accept": "application/json",
            plan.integration_id.name: integration_id,
        },
        "json": report.body,
    }
