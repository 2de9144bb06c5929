"""In YAML, a plain number or boolean where the schema wants a string is the string written.

``zip_code: 10016``, ``phone_number: 4930123456`` or ``stage_id: 123`` are
strings to their author; JSON would have quoted them, YAML lets one not.
So, for YAML fixtures only: an untagged plain scalar that resolved to a
number or boolean, at a place where the request schema does not accept that
type but does accept a string, is taken as its source text. ``null`` is never
changed (an empty value means "nothing"), quoted and tagged scalars neither,
and neither is any place where the schema accepts the number (an answer may
be a number, a salary amount is one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .yamlload import Node

__all__ = ["coerce_strings"]

Schema = Any


def _branches(schema: Schema) -> Iterator[dict[str, Any]]:
    """The schema and, recursively, its anyOf/oneOf/allOf branches."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or ():
            yield from _branches(sub)


def _properties(schemas: list[Schema], key: str) -> list[Schema]:
    found = []
    for schema in schemas:
        for branch in _branches(schema):
            props = branch.get("properties")
            if isinstance(props, dict) and key in props:
                found.append(props[key])
            elif isinstance(branch.get("additionalProperties"), dict):
                found.append(branch["additionalProperties"])
    return found


def _items(schemas: list[Schema]) -> list[Schema]:
    return [
        branch["items"]
        for schema in schemas
        for branch in _branches(schema)
        if isinstance(branch.get("items"), dict)
    ]


def _types(schemas: list[Schema]) -> set[str] | None:
    """JSON types the schemas accept at a place (None: unconstrained or unknown)."""
    accepted: set[str] = set()
    for schema in schemas:
        typed = False
        for branch in _branches(schema):
            kind = branch.get("type")
            if isinstance(kind, str):
                accepted.add(kind)
                typed = True
            elif isinstance(kind, list):
                accepted.update(k for k in kind if isinstance(k, str))
                typed = True
            if branch.get("nullable") is True:
                accepted.add("null")
        if not typed:
            return None
    return accepted or None


def _wanted_as_string(value: object, schemas: list[Schema]) -> bool:
    types = _types(schemas)
    if types is None or "string" not in types:
        return False
    if isinstance(value, bool):
        return "boolean" not in types
    if isinstance(value, int):
        return not types & {"integer", "number"}
    return "number" not in types


def _coerce(value: Any, node: Node, schemas: list[Schema]) -> Any:
    if not schemas:
        return value
    children = node.children
    if isinstance(value, dict) and isinstance(children, dict):
        result, changed = {}, False
        for key, item in value.items():
            child = children.get(key)
            new = item if child is None else _coerce(item, child, _properties(schemas, key))
            changed = changed or new is not item
            result[key] = new
        return result if changed else value
    if isinstance(value, list) and isinstance(children, list):
        item_schemas = _items(schemas)
        items = [_coerce(v, n, item_schemas) for v, n in zip(value, children, strict=False)]
        changed = any(new is not old for new, old in zip(items, value, strict=False))
        return items if changed else value
    if node.raw is not None and _wanted_as_string(value, schemas):
        return node.raw
    return value


def coerce_strings(data: Any, root: Node, schema: Schema) -> Any:
    """``data`` with wanted-as-string plain scalars replaced (new containers where changed)."""
    return _coerce(data, root, [schema])
