"""Load the OpenAPI document, find the Create-application operation, resolve ``$ref``s.

The result is a :class:`SpecInfo`: plain, fully dereferenced JSON Schemas for the
request body, the responses and the parameters, plus the servers. Nothing here
knows about rules or the walk; those are built from a SpecInfo by ``plan``.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import read_regular
from .issues import SpecError

__all__ = [
    "METHOD",
    "OPERATION_ID",
    "PATH",
    "SpecInfo",
    "bundled_spec_path",
    "load_document",
    "load_spec",
]

OPERATION_ID = "PostAtsJobsJobIdApplications"
PATH = "/ats/jobs/{job_id}/applications"
METHOD = "post"
SPEC_FILE = "create-application.openapi.yaml"
_BASE_URI = "urn:kombo-validate:spec"


def bundled_spec_path() -> Path:
    """The shipped OpenAPI document: inside the wheel, else the source checkout's ``spec/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_spec" / SPEC_FILE, here.parent / "spec" / SPEC_FILE):
        if candidate.is_file():
            return candidate
    raise SpecError(f"the bundled spec {SPEC_FILE} is missing from the installation")


def _yaml_load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def read_spec_file(path: Path) -> bytes:
    """A spec file's bytes (only a regular file, at most ``MAX_FILE_BYTES``), or SpecError."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise SpecError(f"{path}: cannot read: {reason}") from None


def load_document(
    spec: str | os.PathLike[str] | Mapping[str, Any] | None, raw: bytes | None = None
) -> tuple[dict[str, Any], str]:
    """Parse ``spec`` (None, a YAML/JSON path, or a mapping) into a dict and a label
    (``raw``: the file's bytes, when the caller has read them already)."""
    if spec is None:
        spec = bundled_spec_path()
    if isinstance(spec, Mapping):
        try:
            doc = copy.deepcopy(dict(spec))
        except Exception as exc:
            raise SpecError(f"<mapping>: cannot copy the spec mapping: {exc}") from None
        return doc, "<mapping>"
    if not isinstance(spec, (str, os.PathLike)):
        raise SpecError(f"spec must be None, a path or a mapping, not {type(spec).__name__}")
    path = Path(spec)
    label = str(path)
    try:
        text = (read_spec_file(path) if raw is None else raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{label}: cannot read: {exc}") from None
    try:
        doc = json.loads(text) if path.suffix.lower() == ".json" else _yaml_load(text)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(
            f"{label}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {reason}"
        ) from None
    if not isinstance(doc, dict):
        raise SpecError(f"{label}: an OpenAPI document must be a mapping, got {type(doc).__name__}")
    return doc, label


def _find_operation(doc: Mapping[str, Any], label: str) -> tuple[str, str, dict[str, Any]]:
    paths = doc.get("paths")
    if not isinstance(paths, Mapping):
        raise SpecError(f"{label}: no 'paths' object")
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method, op in item.items():
            if isinstance(op, Mapping) and op.get("operationId") == OPERATION_ID:
                return str(path), str(method), dict(op)
    item = paths.get(PATH)
    if isinstance(item, Mapping) and isinstance(item.get(METHOD), Mapping):
        return PATH, METHOD, dict(item[METHOD])
    raise SpecError(
        f"{label}: operation {OPERATION_ID!r} (POST {PATH}) not found among {len(paths)} paths"
    )


class _Resolver:
    """Dereferences local ``$ref``s through a ``referencing`` registry (Draft 2020-12)."""

    def __init__(self, doc: dict[str, Any], label: str) -> None:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        resource = DRAFT202012.create_resource(doc)
        registry: Registry[Any] = Registry().with_resource(_BASE_URI, resource)
        self._resolver = registry.resolver(base_uri=_BASE_URI)
        self._label = label
        self._cache: dict[str, Any] = {}

    def deref(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.deref(x, stack) for x in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                raise SpecError(f"{self._label}: recursive $ref {ref!r} is not supported")
            target = self._lookup(ref, stack)
            siblings = {k: self.deref(v, stack) for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            if isinstance(target, dict) and not (set(target) & set(siblings)):
                return {**target, **siblings}
            return {"allOf": [target], **siblings}
        return {k: self.deref(v, stack) for k, v in node.items()}

    def _lookup(self, ref: str, stack: tuple[str, ...]) -> Any:
        if ref in self._cache:
            return self._cache[ref]
        from referencing.exceptions import Unresolvable

        try:
            contents = self._resolver.lookup(ref).contents
        except Unresolvable as exc:
            raise SpecError(f"{self._label}: cannot resolve $ref {ref!r}: {exc}") from None
        resolved = self.deref(contents, (*stack, ref))
        self._cache[ref] = resolved
        return resolved


@dataclass(frozen=True)
class SpecInfo:
    """What the validator needs from the OpenAPI document, dereferenced."""

    source: str
    path: str
    method: str
    request_schema: dict[str, Any]
    request_example: dict[str, Any] | None
    parameters: tuple[dict[str, Any], ...]
    responses: dict[str, dict[str, Any]]
    servers: tuple[dict[str, Any], ...]


def _json_schema_of(media: Any) -> Any:
    if isinstance(media, Mapping):
        content = media.get("content")
        if isinstance(content, Mapping):
            for ctype in ("application/json", *content):
                entry = content.get(ctype)
                if isinstance(entry, Mapping) and "schema" in entry:
                    return entry
    return None


def load_spec(
    spec: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    validate_spec: bool = False,
) -> SpecInfo:
    """Load and dereference the spec; raise :class:`SpecError` naming the file and the reason.

    For a file, the dereferenced result is cached on disk keyed by the file's
    content hash (see :mod:`kombo_validate._cache`), so a cold start skips the
    YAML parse and the ``$ref`` resolution.
    """
    if validate_spec or not (spec is None or isinstance(spec, (str, os.PathLike))):
        return _load_spec(spec, validate_spec=validate_spec)
    from . import _cache

    path = bundled_spec_path() if spec is None else Path(spec)
    raw = read_spec_file(path)
    key = _cache.key(raw)
    cached = _cache.read(key)
    if cached is not None:
        try:
            return SpecInfo(
                source=str(path),
                path=cached["path"],
                method=cached["method"],
                request_schema=cached["request_schema"],
                request_example=cached["request_example"],
                parameters=tuple(cached["parameters"]),
                responses=cached["responses"],
                servers=tuple(cached["servers"]),
            )
        except (KeyError, TypeError):
            pass
    info = _load_spec(spec, raw=raw)
    _cache.write(
        key,
        {
            "path": info.path,
            "method": info.method,
            "request_schema": info.request_schema,
            "request_example": info.request_example,
            "parameters": list(info.parameters),
            "responses": info.responses,
            "servers": list(info.servers),
        },
    )
    return info


def _load_spec(
    spec: str | os.PathLike[str] | Mapping[str, Any] | None,
    *,
    validate_spec: bool = False,
    raw: bytes | None = None,
) -> SpecInfo:
    doc, label = load_document(spec, raw)
    if not str(doc.get("openapi", "")).startswith("3."):
        raise SpecError(f"{label}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    if validate_spec:
        validate_document(doc, label)
    path, method, op = _find_operation(doc, label)
    resolver = _Resolver(doc, label)
    op = resolver.deref(op)
    entry = _json_schema_of(op.get("requestBody"))
    if entry is None or not isinstance(entry.get("schema"), dict):
        raise SpecError(f"{label}: {method.upper()} {path} has no application/json request schema")
    schema = entry["schema"]
    if schema.get("type") not in ("object", ["object"]):
        raise SpecError(f"{label}: the request body schema is not an object schema")
    example = None
    examples = entry.get("examples")
    if isinstance(examples, Mapping):
        for ex in examples.values():
            if isinstance(ex, Mapping) and isinstance(ex.get("value"), dict):
                example = ex["value"]
                break
    responses: dict[str, dict[str, Any]] = {}
    for status, resp in (op.get("responses") or {}).items():
        found = _json_schema_of(resp)
        if found is not None and isinstance(found.get("schema"), dict):
            responses[str(status)] = found["schema"]
    params = tuple(p for p in op.get("parameters") or () if isinstance(p, dict))
    servers = tuple(s for s in doc.get("servers") or () if isinstance(s, dict))
    return SpecInfo(label, path, method, schema, example, params, responses, servers)


def validate_document(doc: Mapping[str, Any], label: str) -> None:
    """Full structural validation with openapi-spec-validator (the ``spec`` extra)."""
    try:
        from openapi_spec_validator import validate
    except ImportError:
        raise SpecError(
            "validate_spec=True needs openapi-spec-validator: pip install 'kombo_validate[spec]'"
        ) from None
    try:
        validate(doc)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(f"{label}: not a valid OpenAPI document: {reason}") from None
