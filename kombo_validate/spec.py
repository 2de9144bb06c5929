"""Load the OpenAPI document, find an operation (Create application unless told), resolve
``$ref``s.

The result is a :class:`SpecInfo`: plain, fully dereferenced JSON Schemas for the
request body, the responses and the parameters, plus the servers. Nothing here
knows about rules or the walk; those are built from a SpecInfo by ``plan``.
An operation is named by its operationId (``"PostAtsCandidates"``) or as
``"METHOD /path"``; :func:`write_operations` lists the ones a document has.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from . import jsontext
from .files import read_regular
from .issues import SpecError

__all__ = [
    "DEFS_REF",
    "METHOD",
    "OPERATION_ID",
    "PATH",
    "OperationRef",
    "SpecInfo",
    "bundled_spec_path",
    "def_refs",
    "load_document",
    "load_spec",
    "names_operation",
    "operations",
    "write_operations",
]

OPERATION_ID = "PostAtsJobsJobIdApplications"
PATH = "/ats/jobs/{job_id}/applications"
METHOD = "post"
SPEC_FILE = "create-application.openapi.yaml"
_BASE_URI = "urn:kombo-validate:spec"
#: a recursive schema's back-edge: ``{"$ref": DEFS_REF + name}``, its schema in the
#: ``$defs`` table of the top-level schema holding it (request body, response, parameter)
DEFS_REF = "#/$defs/"
#: the HTTP methods whose operations write (and take a request body)
WRITE_METHODS = ("post", "put", "patch")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


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
        doc = jsontext.loads(text) if path.suffix.lower() == ".json" else _yaml_load(text)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(
            f"{label}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {reason}"
        ) from None
    if not isinstance(doc, dict):
        raise SpecError(f"{label}: an OpenAPI document must be a mapping, got {type(doc).__name__}")
    return doc, label


@dataclass(frozen=True)
class OperationRef:
    """One operation of a document, as :func:`write_operations` lists it."""

    id: str
    method: str
    path: str
    summary: str

    def __str__(self) -> str:
        return f"{self.id} ({self.method.upper()} {self.path})"


def _operations(doc: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation object) of the document, in its order."""
    paths = doc.get("paths")
    found = []
    for path, item in paths.items() if isinstance(paths, Mapping) else ():
        if isinstance(item, Mapping):
            for method, op in item.items():
                if method in _METHODS and isinstance(op, Mapping):
                    found.append((str(path), str(method), dict(op)))
    return found


def _has_json_body(op: Mapping[str, Any]) -> bool:
    body = op.get("requestBody")
    content = body.get("content") if isinstance(body, Mapping) else None
    return isinstance(content, Mapping) and any(
        ctype == "application/json" or str(ctype).endswith("+json") for ctype in content
    )


def write_operations(doc: Mapping[str, Any]) -> list[OperationRef]:
    """The document's write operations (POST/PUT/PATCH) with a JSON request body."""
    return [
        OperationRef(str(op.get("operationId") or ""), method, path, str(op.get("summary") or ""))
        for path, method, op in _operations(doc)
        if method in WRITE_METHODS and _has_json_body(op)
    ]


def operations(
    spec: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> list[OperationRef]:
    """The write operations of ``spec`` (None: the bundled document) that take a JSON
    body — POST, PUT and PATCH — in document order: each an :class:`OperationRef`
    (``id``, ``method``, ``path``, ``summary``), any of them a valid ``operation=``.
    """
    doc, _ = load_document(spec)
    return write_operations(doc)


def names_operation(name: str, operation_id: object, method: str, path: str) -> bool:
    """Whether ``name`` (an operationId, or ``"METHOD /path"`` in any case of METHOD)
    names the operation with this id, method and path."""
    if name == operation_id:
        return True
    words = name.split()
    return len(words) == 2 and words[0].lower() == method.lower() and words[1] == path


def _find_operation(
    doc: Mapping[str, Any], label: str, operation: str | None = None
) -> tuple[str, str, dict[str, Any]]:
    paths = doc.get("paths")
    if not isinstance(paths, Mapping):
        raise SpecError(f"{label}: no 'paths' object")
    name = OPERATION_ID if operation is None else operation
    everything = _operations(doc)
    for path, method, op in everything:
        if names_operation(name, op.get("operationId"), method, path):
            return path, method, op
    if operation is None:  # the default: Create application, by its path if not its id
        for path, method, op in everything:
            if (path, method) == (PATH, METHOD):
                return path, method, op
    raise SpecError(f"{label}: {_not_found(name, doc, len(paths))}")


def _not_found(name: str, doc: Mapping[str, Any], paths: int) -> str:
    """``name`` is no operation of ``doc``: say so, with the write operations it has
    (the closest names first)."""
    import difflib

    known = write_operations(doc)
    if not known:
        return f"operation {name!r} not found among {paths} paths (none writes a JSON body)"
    by_label = {f"{o.method.upper()} {o.path}": o for o in known}
    by_label.update({o.id: o for o in known if o.id})
    close = difflib.get_close_matches(name[:200], list(by_label), n=len(by_label), cutoff=0.0)
    ordered: list[OperationRef] = []
    for label in close:
        if by_label[label] not in ordered:
            ordered.append(by_label[label])
    shown = ", ".join(map(str, ordered[:8]))
    more = f", and {len(ordered) - 8} more" if len(ordered) > 8 else ""
    return f"operation {name[:200]!r} not found; the document has {shown}{more}"


def def_refs(node: Any) -> set[str]:
    """The ``$defs`` names ``node``'s back-edges refer to (not through ``$defs``)."""
    found: set[str] = set()
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(DEFS_REF):
                found.add(ref[len(DEFS_REF) :])
            stack.extend(v for k, v in item.items() if k != "$defs")
        elif isinstance(item, list):
            stack.extend(item)
    return found


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
        #: ref -> its name in ``$defs``, for each ref met again inside itself (a cycle)
        self._def_names: dict[str, str] = {}

    def deref(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.deref(x, stack) for x in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            # a back-edge of a cycle is kept, as a reference into $defs
            target = {"$ref": self._def(ref)} if ref in stack else self._lookup(ref, stack)
            siblings = {k: self.deref(v, stack) for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            if isinstance(target, dict) and not (set(target) & set(siblings)):
                return {**target, **siblings}
            return {"allOf": [target], **siblings}
        return {k: self.deref(v, stack) for k, v in node.items()}

    def _def(self, ref: str) -> str:
        """The ``#/$defs/<name>`` reference standing for ``ref``'s schema in a cycle."""
        name = self._def_names.get(ref)
        if name is None:
            base = re.sub(r"[^A-Za-z0-9_.-]", "_", ref.rsplit("/", 1)[-1]) or "def"
            name, n = base, 1
            while name in self._def_names.values():
                n += 1
                name = f"{base}_{n}"
            self._def_names[ref] = name
        return DEFS_REF + name

    def with_defs(self, schema: Any) -> Any:
        """``schema`` (dereferenced) with a ``$defs`` table of the recursive schemas its
        back-edges refer to; as it is when it has none (the common case)."""
        if not self._def_names or not isinstance(schema, dict):
            return schema
        by_name = {name: ref for ref, name in self._def_names.items()}
        found: dict[str, Any] = {}
        todo = list(def_refs(schema))
        while todo:
            name = todo.pop()
            if name not in found and name in by_name:
                found[name] = self._cache[by_name[name]]
                todo.extend(def_refs(found[name]))
        if not found:
            return schema
        return {**schema, "$defs": {name: found[name] for name in sorted(found)}}

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
    operation_id: str = OPERATION_ID
    summary: str = ""


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
    operation: str | None = None,
    validate_spec: bool = False,
) -> SpecInfo:
    """Load and dereference the spec's ``operation`` (an operationId or ``"METHOD /path"``;
    None: Create application); raise :class:`SpecError` naming the file and the reason.

    For a file, the dereferenced result is cached on disk keyed by the file's
    content hash and the operation (see :mod:`kombo_validate._cache`), so a cold
    start skips the YAML parse and the ``$ref`` resolution; an entry that fails its
    header or digest check is a miss, loaded from the file and written again.
    """
    if validate_spec or not (spec is None or isinstance(spec, (str, os.PathLike))):
        return _load_spec(spec, operation, validate_spec=validate_spec)
    from . import _cache

    path = bundled_spec_path() if spec is None else Path(spec)
    raw = read_spec_file(path)
    key = _cache.key(raw, operation or "")
    cached = _cache.read(key)
    if cached is not None:
        try:
            fields = {**cached, "parameters": tuple(cached["parameters"])}
            fields["servers"] = tuple(cached["servers"])
            return SpecInfo(source=str(path), **fields)
        except (KeyError, TypeError):
            pass
    info = _load_spec(spec, operation, raw=raw)
    fields = {name: getattr(info, name) for name in SpecInfo.__dataclass_fields__}
    del fields["source"]
    _cache.write(
        key, {**fields, "parameters": list(info.parameters), "servers": list(info.servers)}
    )
    return info


def _load_spec(
    spec: str | os.PathLike[str] | Mapping[str, Any] | None,
    operation: str | None = None,
    *,
    validate_spec: bool = False,
    raw: bytes | None = None,
) -> SpecInfo:
    doc, label = load_document(spec, raw)
    if not str(doc.get("openapi", "")).startswith("3."):
        raise SpecError(f"{label}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    if validate_spec:
        validate_document(doc, label)
    path, method, op = _find_operation(doc, label, operation)
    resolver = _Resolver(doc, label)
    shared = doc["paths"][path].get("parameters")
    op = resolver.deref(op)
    entry = _json_schema_of(op.get("requestBody"))
    if entry is None or not isinstance(entry.get("schema"), dict):
        raise SpecError(f"{label}: {method.upper()} {path} has no application/json request schema")
    schema = resolver.with_defs(entry["schema"])
    if schema.get("type") not in ("object", ["object"]):
        raise SpecError(f"{label}: the request body schema is not an object schema")
    responses: dict[str, dict[str, Any]] = {}
    for status, resp in (op.get("responses") or {}).items():
        found = _json_schema_of(resp)
        if found is not None and isinstance(found.get("schema"), dict):
            responses[str(status)] = resolver.with_defs(found["schema"])
    params = _parameters(resolver.deref(shared) if shared else [], op.get("parameters"))
    params = tuple(_with_schema(p, resolver.with_defs(p.get("schema"))) for p in params)
    servers = tuple(s for s in doc.get("servers") or () if isinstance(s, dict))
    return SpecInfo(
        label,
        path,
        method,
        schema,
        _example(entry),
        params,
        responses,
        servers,
        str(op.get("operationId") or f"{method.upper()} {path}"),
        str(op.get("summary") or ""),
    )


def _with_schema(param: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``param`` with ``schema`` (its own, given its ``$defs``), a copy only when it differs."""
    return param if schema is param.get("schema") else {**param, "schema": schema}


def _example(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """The media type's first example body: ``examples`` (named) or ``example``."""
    examples = entry.get("examples")
    if isinstance(examples, Mapping):
        for ex in examples.values():
            if isinstance(ex, Mapping) and isinstance(ex.get("value"), dict):
                return dict(ex["value"])
    example = entry.get("example")
    return dict(example) if isinstance(example, dict) else None


def _parameters(shared: Any, own: Any) -> tuple[dict[str, Any], ...]:
    """The operation's parameters: the path item's, overridden by the operation's own
    with the same name and place (OpenAPI 3.1, Path Item Object)."""
    merged: dict[tuple[Any, Any], dict[str, Any]] = {}
    for group in (shared, own):
        for param in group or ():
            if isinstance(param, dict):
                merged[(param.get("name"), param.get("in"))] = param
    return tuple(merged.values())


def validate_document(doc: Mapping[str, Any], label: str) -> None:
    """Full structural validation with openapi-spec-validator (the ``spec`` extra)."""
    try:
        from openapi_spec_validator import validate
    except ImportError:
        raise SpecError(
            "validate_spec=True needs openapi-spec-validator: pip install 'kombo_validate[spec]'"
        ) from None
    try:
        validate(cast(Any, doc))  # its stubs want Mapping[Hashable, Any] before 0.8
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(f"{label}: not a valid OpenAPI document: {reason}") from None
