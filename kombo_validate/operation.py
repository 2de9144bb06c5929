"""What one operation means to the validator, in one immutable :class:`Operation`.

An Operation is built from the loaded spec (:class:`~kombo_validate.spec.SpecInfo`):
its id, method and path template, its path and header parameters, the request
schema and example — and the *job-context hooks* that :meth:`Validator.check
<kombo_validate.Validator.check>` reads instead of names of its own:

* ``answers``: the top-level array whose items have ``question_id`` and
  ``answer`` (where ``questions=`` checks the answers), found by shape;
* ``uploads``: the top-level array of attachment objects (``data`` and
  ``data_url``: where ``restrictions=`` applies, and whose decoded size is
  summed for the size warning), found by shape;
* ``job``: where the job whose questions apply is named — a path parameter, or
  a field of the body (Create candidate: ``application.job_id``), found from
  the names in :data:`FACTS`.

What the spec cannot say lives in :data:`FACTS`, one small table: the names a
job id goes by and the total attachment size Kombo's documentation recommends
staying under. Nothing else in the package names an endpoint's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .rules.attachment import is_attachment_schema
from .spec import SpecInfo, names_operation

__all__ = ["FACTS", "Facts", "JobSource", "Operation", "Parameter"]


class Facts(NamedTuple):
    """Endpoint facts the OpenAPI document does not state."""

    #: names of the path parameter or body field that identifies the job
    job_fields: tuple[str, ...] = ("job_id",)
    #: objects of the body that may hold the job field (besides the body itself)
    job_holders: tuple[str, ...] = ("application",)
    #: decoded attachment bytes per request past which a warning is given
    #: ("keep an application's attachments below 10 MB in total")
    uploads_total_warning: int = 10_000_000


#: the prose-only facts, by operationId; "*" holds what every operation shares
FACTS: Mapping[str, Facts] = {"*": Facts()}


class Parameter(NamedTuple):
    """A path, query or header parameter of the operation (its schema dereferenced)."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]


class JobSource(NamedTuple):
    """Where a request names its job: ``("path", ("job_id",))`` or
    ``("body", ("application", "job_id"))``."""

    location: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    """One operation of the loaded spec: what it is, and where its job context goes."""

    id: str
    method: str
    path: str
    summary: str
    request_schema: dict[str, Any] = field(repr=False)
    request_example: dict[str, Any] | None = field(repr=False)
    parameters: tuple[Parameter, ...] = field(repr=False)
    answers: str | None = None
    uploads: str | None = None
    job: JobSource | None = None
    uploads_total_warning: int | None = None

    @classmethod
    def from_spec(cls, info: SpecInfo) -> Operation:
        """The profile of ``info``'s operation, found by the shape of its schemas."""
        facts = FACTS.get(info.operation_id, FACTS["*"])
        params = tuple(_parameter(p) for p in info.parameters)
        props = _properties(info.request_schema)
        answers = next((name for name, s in props.items() if _is_answers(s)), None)
        uploads = next((name for name, s in props.items() if _is_upload_array(s)), None)
        return cls(
            id=info.operation_id,
            method=info.method.upper(),
            path=info.path,
            summary=info.summary,
            request_schema=info.request_schema,
            request_example=info.request_example,
            parameters=params,
            answers=answers,
            uploads=uploads,
            job=_job(params, props, facts) if answers is not None else None,
            uploads_total_warning=(facts.uploads_total_warning if uploads is not None else None),
        )

    @property
    def label(self) -> str:
        """``"POST /ats/jobs/{job_id}/applications"``."""
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        return self.label

    def named(self, name: str) -> bool:
        """Whether ``name`` (an operationId or ``"METHOD /path"``) names this operation."""
        return names_operation(name, self.id, self.method, self.path)

    def in_path(self) -> tuple[Parameter, ...]:
        """The path parameters, in the order the path template names them."""
        found = {p.name: p for p in self.parameters if p.location == "path"}
        order = [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
        return tuple(found[name] for name in order if name in found)


def _parameter(raw: Mapping[str, Any]) -> Parameter:
    schema = raw.get("schema")
    return Parameter(
        str(raw.get("name", "")),
        str(raw.get("in", "")),
        bool(raw.get("required", raw.get("in") == "path")),
        schema if isinstance(schema, Mapping) else {},
    )


def _properties(schema: Any) -> dict[str, Any]:
    """An object schema's properties, through ``allOf`` too."""
    found: dict[str, Any] = {}
    if isinstance(schema, Mapping):
        for part in schema.get("allOf") or ():
            found.update(_properties(part))
        props = schema.get("properties")
        if isinstance(props, Mapping):
            found.update(props)
    return found


def _items(schema: Any) -> list[Any]:
    """An array schema's item schemas (one, or the branches of an anyOf/oneOf)."""
    if not isinstance(schema, Mapping):
        return []
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            return [item for branch in schema[key] for item in _items(branch)]
    items = schema.get("items")
    return [items] if isinstance(items, Mapping) else []


def _is_answers(schema: Any) -> bool:
    return any({"question_id", "answer"} <= set(_properties(item)) for item in _items(schema))


def _is_upload_array(schema: Any) -> bool:
    return any(
        isinstance(item, dict) and is_attachment_schema({"properties": _properties(item)})
        for item in _items(schema)
    )


def _job(params: tuple[Parameter, ...], props: dict[str, Any], facts: Facts) -> JobSource | None:
    """Where the request names the job its answers are for."""
    for param in params:
        if param.location == "path" and param.name in facts.job_fields:
            return JobSource("path", (param.name,))
    for name in facts.job_fields:
        if name in props:
            return JobSource("body", (name,))
    for holder in facts.job_holders:
        inner = _properties(props.get(holder))
        for name in facts.job_fields:
            if name in inner:
                return JobSource("body", (holder, name))
    return None
