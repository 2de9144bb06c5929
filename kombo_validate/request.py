"""Whole requests: the path parameters, the ``X-Integration-Id`` header and the body, checked
together, for any write operation of the spec.

:func:`prepare_request` returns ``{"method", "url", "headers", "json"}``, ready for
any HTTP client (``httpx.Client.request(**req)``, ``requests.request(**req)``).
It never adds credentials: put your ``Authorization`` header on the client.

Where parameter issues go: a parameter is named by a pointer that starts with
``#`` and says where it lives, ``#path/job_id``, ``#path/employee_id`` and
``#header/X-Integration-Id`` (the spec's spelling). Body issues keep their RFC 6901
pointers (``""`` or ``/...``), so ``issue.path.startswith("#")`` tells the two
apart. Parameter issues come first in a :class:`PayloadError`, path parameters in
the order the path names them.

Every path parameter is checked against its schema in the spec, and must be a
non-blank string without control characters or surrounding whitespace; one whose
spec description offers ``remote:`` ids (``job_id``, ``employee_id``) must be a
Kombo id or ``remote:`` + the remote id. Values are percent-encoded into one path
segment each.

Parameter issue codes: ``param.missing``, ``param.unknown``, ``param.empty``,
``param.format``, ``schema.<keyword>`` (the spec's parameter schema), and, from
the httpx transport only, ``param.unencoded``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from .api import Validator, default_validator
from .context import Ctx
from .engine import Engine, make_engine
from .issues import Issue, PayloadError, SpecError, excerpt, pointer
from .jsondata import unicode_issues, walk_any
from .schema_errors import issues_from

__all__ = [
    "INTEGRATION_HEADER",
    "JOB_ID",
    "REMOTE_PREFIX",
    "RequestPlan",
    "encode_job_id",
    "encode_segment",
    "integration_id_issues",
    "job_id_issues",
    "path_issues",
    "path_param_issues",
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
_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class _Param:
    """One parameter of the operation, as the spec declares it."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    engine: Engine
    example: str | None
    #: the spec's description offers ``remote:`` ids: a Kombo id or ``remote:`` + an id
    remote_ids: bool = False

    @property
    def pointer(self) -> str:
        return f"#{self.location}{pointer((self.name,))}"

    @property
    def noun(self) -> str:
        """``job_id`` → ``the job id``."""
        return "the " + self.name.replace("_", " ")


@dataclass(frozen=True)
class RequestPlan:
    """What building a request needs from a Validator's spec, compiled once."""

    method: str
    path: str
    #: the path parameters, in the order the path names them
    path_params: tuple[_Param, ...]
    #: the ``X-Integration-Id`` header, or None when the operation takes none
    integration: _Param | None
    #: region name (lowercase, e.g. ``"eu"``) → server URL, in the spec's order
    servers: tuple[tuple[str, str], ...]
    #: whose own ids ``remote:`` ids are, for messages: ``ATS`` for ``/ats/...``
    system: str = "remote system"

    def path_param(self, name: str) -> _Param | None:
        return next((p for p in self.path_params if p.name == name), None)

    @property
    def job_id(self) -> _Param:
        """The ``job_id`` path parameter (Create application)."""
        found = self.path_param(JOB_ID)
        if found is None:
            raise AttributeError(f"{self.method} {self.path} has no {JOB_ID} path parameter")
        return found

    @property
    def integration_id(self) -> _Param:
        """The ``X-Integration-Id`` header (AttributeError when the operation takes none)."""
        if self.integration is None:
            raise AttributeError(f"{self.method} {self.path} takes no {INTEGRATION_HEADER} header")
        return self.integration


def _param(validator: Validator, location: str, name: str) -> _Param:
    spec: dict[str, Any] = {}
    for p in validator.spec.parameters:
        if p.get("in") == location and str(p.get("name", "")).lower() == name.lower():
            spec = p
            break
    return _param_of(spec, validator.engine_name, location, name)


def _param_of(spec: Mapping[str, Any], engine: str, location: str, name: str) -> _Param:
    schema = spec.get("schema")
    schema = schema if isinstance(schema, dict) else {"type": "string"}
    example = spec.get("example")
    return _Param(
        name=str(spec.get("name", name)),
        location=location,
        required=location == "path" or bool(spec.get("required", True)),
        schema=schema,
        engine=make_engine(schema, engine),
        example=example if isinstance(example, str) else None,
        remote_ids=REMOTE_PREFIX in str(spec.get("description") or ""),
    )


def _region_of(server: dict[str, Any]) -> str | None:
    """``"Kombo EU API"`` → ``"eu"``; else a two-letter host label (``api.us.kombo.dev``)."""
    found = _REGION_WORD.search(str(server.get("description") or ""))
    if found:
        return found.group(1).lower()
    host = urlsplit(str(server.get("url", ""))).hostname or ""
    labels = [label for label in host.split(".")[1:-2] if len(label) == 2 and label.isalpha()]
    return labels[0].lower() if labels else None


def _system(path: str) -> str:
    """``/ats/jobs/...`` → ``ATS``: the kind of tool whose ids ``remote:`` ids are."""
    first = path.strip("/").split("/", 1)[0]
    return first.upper() if first.isalpha() and 2 <= len(first) <= 4 else "remote system"


@lru_cache(maxsize=256)
def request_plan(validator: Validator) -> RequestPlan:
    """The :class:`RequestPlan` of ``validator`` (built once per Validator, then cached)."""
    servers: dict[str, str] = {}
    for server in validator.spec.servers:
        region = _region_of(server)
        url = server.get("url")
        if region is not None and isinstance(url, str) and region not in servers:
            servers[region] = url
    path = validator.spec.path
    declared = {str(p.get("name")): p for p in validator.spec.parameters if p.get("in") == "path"}
    engine = validator.engine_name
    header = next(
        (
            p
            for p in validator.spec.parameters
            if p.get("in") == "header" and str(p.get("name", "")).lower() == "x-integration-id"
        ),
        None,
    )
    return RequestPlan(
        method=validator.spec.method.upper(),
        path=path,
        # every parameter the path names (one the spec forgot to declare: a plain string)
        path_params=tuple(
            _param_of(declared.get(name, {}), engine, "path", name)
            for name in dict.fromkeys(_TEMPLATE_PARAM.findall(path))
        ),
        integration=None if header is None else _param_of(header, engine, "header", ""),
        servers=tuple(servers.items()),
        system=_system(path),
    )


def regions(validator: Validator | None = None) -> dict[str, str]:
    """Region name → server URL, from the spec's ``servers`` (``{"eu": ..., "us": ...}``)."""
    return dict(request_plan(validator or default_validator()).servers)


def encode_segment(value: str) -> str:
    """``value`` as one path segment: everything but letters, digits, ``-._~`` and ``:``
    is percent-encoded, so ``/``, ``?``, ``#``, ``%`` and spaces cannot change the route,
    while ``remote:`` stays readable (``:`` is allowed in a path segment, RFC 3986 §3.3).
    """
    return quote(value, safe=":")


encode_job_id = encode_segment


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


def path_param_issues(param: _Param, value: object, system: str = "remote system") -> list[Issue]:
    """Problems with one path parameter's value (decoded, as the caller means it), at
    ``#path/<name>``; ``system`` names whose own ids ``remote:`` ids are."""
    found, value = _base_issues(param, value)
    if value is None:
        return found
    where = param.pointer
    if param.remote_ids and value[: len(REMOTE_PREFIX)].lower() == REMOTE_PREFIX:
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
    if param.remote_ids and not _KOMBO_ID.fullmatch(value):
        return [
            Issue(
                where,
                "param.format",
                f"{excerpt(value)} is not a Kombo id (letters and digits); for the {system}'s "
                f"own id write {REMOTE_PREFIX!r} + the id",
            )
        ]
    return []


def job_id_issues(job_id: object, plan: RequestPlan) -> list[Issue]:
    """Problems with the job id (decoded, as the caller means it), at ``#path/job_id``."""
    return path_param_issues(plan.job_id, job_id, plan.system)


def path_issues(values: Mapping[str, object], plan: RequestPlan) -> list[Issue]:
    """Every path parameter's problems (in the path's order), then ``param.unknown`` for
    each name the path does not have."""
    found: list[Issue] = []
    for param in plan.path_params:
        found += path_param_issues(param, values.get(param.name), plan.system)
    names = {param.name for param in plan.path_params}
    for name in values:
        if name not in names:
            where = f"#path{pointer((str(name),))}"
            known = ", ".join(sorted(names)) or "none"
            message = f"{plan.method} {plan.path} has no path parameter {name!r} (it has {known})"
            found.append(Issue(where, "param.unknown", message))
    return found


def integration_id_issues(integration_id: object, plan: RequestPlan) -> list[Issue]:
    """Problems with the integration id, at ``#header/X-Integration-Id``."""
    param = plan.integration
    if param is None:
        if integration_id is None:
            return []
        where = f"#header{pointer((INTEGRATION_HEADER,))}"
        message = f"{plan.method} {plan.path} takes no {INTEGRATION_HEADER} header"
        return [Issue(where, "param.unknown", message)]
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


def _names_operation(name: str, validator: Validator | None, spec: Any) -> bool:
    """Whether the string ``name`` names a write operation of the spec in use."""
    if validator is not None:
        return validator.operation.named(name)
    from .routing import operation_table

    return operation_table(spec).find(name) is not None


def _validator_for(operation: Any, validator: Validator | None, spec: Any) -> Validator:
    """The Validator of ``operation`` (a Validator, an operationId or ``"METHOD /path"``)."""
    if isinstance(operation, Validator):
        return operation
    if not isinstance(operation, str):
        raise TypeError(
            "operation must be an operationId, 'METHOD /path' or a Validator, "
            f"not {type(operation).__name__}"
        )
    name = str.__str__(operation)
    if validator is not None:
        if not validator.operation.named(name):
            op = validator.operation
            raise SpecError(
                f"validator= checks {op} ({op.id}), not {name!r}: pass spec= (the document) "
                "to name another operation"
            )
        return validator
    from .routing import operation_table

    return operation_table(spec).validator(name)


def prepare_request(
    operation: Any,
    body: Any,
    *,
    path_params: Mapping[str, Any] | None = None,
    integration_id: Any = None,
    region: str = "eu",
    questions: Any = None,
    restrictions: Any = None,
    validator: Validator | None = None,
    spec: Any = None,
) -> dict[str, Any]:
    """A whole request for ``operation``, checked: ``{"method", "url", "headers", "json"}``.

    ``operation``: an operationId (``"PostAtsCandidates"``), ``"METHOD /path"`` or a
    :class:`Validator`, of ``spec`` (default: the bundled document) or of
    ``validator``; ``path_params`` the values of the path's parameters
    (``{"employee_id": "remote:12"}``), decoded: each is percent-encoded into its
    segment. The old form ``prepare_request(job_id, body, integration_id=...)``
    (Create application) keeps working: a first argument that names no operation
    of the spec in use, given without ``path_params`` and ``spec``, is the job id.

    Raises :class:`PayloadError` with every error (parameter issues first, then
    the body's), :class:`ValueError` for an unknown ``region``,
    :class:`~kombo_validate.SpecError` for an operation the spec does not have
    (naming the closest), and :class:`ContextError` for malformed
    ``questions``/``restrictions`` or ones the operation does not take.
    No credentials are added: send it with a client that carries your API key.
    """
    if spec is not None and validator is not None:
        raise TypeError("pass spec= (the document) or validator= (one operation), not both")
    if (
        path_params is None
        and spec is None
        and not isinstance(operation, Validator)
        and not (
            isinstance(operation, str) and _names_operation(str.__str__(operation), validator, spec)
        )
    ):  # the old form: prepare_request(job_id, body, ...) for Create application
        create = validator or default_validator()
        if request_plan(create).path_param(JOB_ID) is not None:
            path_params, operation = {JOB_ID: operation}, create
    if path_params is not None and not isinstance(path_params, Mapping):
        raise TypeError(f"path_params must map parameter names to values, not {path_params!r}")
    validator = _validator_for(operation, validator, spec)
    plan = request_plan(validator)
    base = _server(plan, region)
    values = dict(path_params or {})
    errors = path_issues(values, plan) + integration_id_issues(integration_id, plan)
    report = validator.check(body, questions=questions, restrictions=restrictions)
    if errors or report.body is None:
        raise PayloadError([*errors, *report.errors])
    path = _TEMPLATE_PARAM.sub(
        lambda m: encode_segment(str.__str__(values[m.group(1)])), plan.path
    )  # every value is an exact str now: checked above
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if plan.integration is not None and integration_id is not None:
        headers[plan.integration.name] = str.__str__(integration_id)
    return {
        "method": plan.method,
        "url": base.rstrip("/") + path,
        "headers": headers,
        "json": report.body,
    }
