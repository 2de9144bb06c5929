"""Turn engine-neutral schema errors into Issues: stable codes, readable messages.

Codes are ``schema.<keyword>`` in snake case (``schema.required``,
``schema.min_length``). For ``anyOf``/``oneOf`` one error is reported, picked like
python-jsonschema's ``best_match``: the errors of the first branch whose type
fits the value, or, when no branch's type fits, one ``schema.any_of`` at the
value's path naming the shapes it may take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .context import Path
from .engine import RawError
from .issues import excerpt
from .jsondata import json_type
from .spec import DEFS_REF

__all__ = ["issues_from", "schema_at"]

_ARTICLE = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "null": "null",
    "object": "an object",
    "array": "an array",
}


@lru_cache(maxsize=256)
def _snake(keyword: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", keyword).lower()


def schema_at(schema: Any, path: Iterable[str | int]) -> Any:
    """The sub-schema of ``schema`` at a schema path, through a recursive schema's
    back-edges (``{"$ref": "#/$defs/<name>"}``): jsonschema-rs gives the path from
    the ``$defs`` entry on, python-jsonschema the path through the back-edge, with or
    without its ``$ref`` part."""
    node = schema
    for part in path:
        if isinstance(node, dict) and (part == "$ref" or part not in node):
            target = _target(schema, node)
            if part == "$ref" and target is not node:
                node = target
                continue
            node = target
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _target(root: Any, node: dict[str, Any]) -> Any:
    """The schema a back-edge ``node`` refers to in ``root``'s ``$defs`` (``node``
    when it is none; a chain of them followed)."""
    for _ in range(8):
        ref = node.get("$ref")
        defs = root.get("$defs") if isinstance(root, dict) else None
        if not (isinstance(ref, str) and ref.startswith(DEFS_REF) and isinstance(defs, dict)):
            break
        target = defs.get(ref[len(DEFS_REF) :])
        if not isinstance(target, dict):
            break
        node = target
    return node


def _branches(root: Any, value: Any) -> list[Any]:
    """An anyOf/oneOf's branches, a back-edge among them as the schema it refers to."""
    if not isinstance(value, list):
        return []
    return [_target(root, b) if isinstance(b, dict) else b for b in value]


def _types_of(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    if "properties" in schema:
        return ["object"]
    return []


def _fits(schema: Any, value: Any) -> bool:
    types = _types_of(schema)
    jt = json_type(value)
    if not types:
        return True
    return jt in types or (jt == "integer" and "number" in types)


def _discriminated(schema: Any, value: Any) -> bool:
    """True when a property of ``schema`` pins a const (or one-value enum) that ``value`` has."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict) or not isinstance(value, dict):
        return False
    for name, sub in props.items():
        if not isinstance(sub, dict) or name not in value:
            continue
        pinned = sub.get("const", sub["enum"][0] if len(sub.get("enum") or ()) == 1 else None)
        if pinned is not None and value[name] == pinned:
            return True
    return False


def _shape(schema: Any) -> str:
    types = _types_of(schema)
    if types == ["array"] and isinstance(schema, dict):
        inner = _types_of(schema.get("items"))
        if len(inner) == 1:
            return f"an array of {inner[0]}s"
    return " or ".join(_ARTICLE.get(t, t) for t in types) or "any value"


def _message(error: RawError, schema: dict[str, Any]) -> str:
    kw = error.keyword
    value = schema_at(schema, error.schema_path)
    inst = error.instance
    if kw == "type":
        wanted = value if isinstance(value, list) else [value]
        want = " or ".join(_ARTICLE.get(str(w), str(w)) for w in wanted)
        got = json_type(inst) or type(inst).__name__
        return f"expected {want}, got {_ARTICLE.get(got, got)}"
    if kw == "required":
        return f"the required property {error.missing!r} is missing"
    if kw == "enum" and isinstance(value, list):
        allowed = ", ".join(repr(v) for v in value[:12])
        return f"{excerpt(inst)} is not one of the allowed values: {allowed}"
    if kw == "const":
        return f"{excerpt(inst)} must be exactly {excerpt(value)}"
    if kw == "pattern":
        return f"{excerpt(inst)} does not match the pattern {value}"
    if kw in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}[kw]
        return f"{excerpt(inst)} must be {op} {value}"
    if kw in ("minLength", "maxLength"):
        return f"must have {'at least' if kw == 'minLength' else 'at most'} {value} characters"
    if kw in ("minItems", "maxItems"):
        return f"must have {'at least' if kw == 'minItems' else 'at most'} {value} items"
    if kw == "uniqueItems":
        return "items must be unique"
    if kw == "additionalProperties":
        return "holds a property the API does not allow here"
    if kw in ("anyOf", "oneOf"):
        branches = _branches(schema, value)
        shapes = ", ".join(dict.fromkeys(_shape(b) for b in branches))
        return f"{excerpt(inst)} fits none of the accepted shapes: {shapes}"
    return f"{excerpt(inst)} violates the schema keyword {kw!r}"


def issues_from(
    errors: Iterable[RawError], schema: dict[str, Any]
) -> Iterator[tuple[Path, str, str]]:
    """``(path, code, message)`` for each error, anyOf errors reduced to their best match."""
    for error in errors:
        yield from _one(error, schema)


def _one(error: RawError, schema: dict[str, Any]) -> Iterator[tuple[Path, str, str]]:
    if error.keyword in ("anyOf", "oneOf"):
        branches = _branches(schema, schema_at(schema, error.schema_path))
        if branches:
            fitting = [
                i
                for i, b in enumerate(branches)
                if _fits(b, error.instance) and i < len(error.branches)
            ]
            # a discriminated union: the branch whose const/enum matches the value comes first
            fitting.sort(key=lambda i: not _discriminated(branches[i], error.instance))
            for i in fitting:
                if error.branches[i]:
                    yield from issues_from(error.branches[i], schema)
                    return
        yield error.path, "schema." + _snake(error.keyword), _message(error, schema)
        return
    path: Path = error.path
    if error.keyword == "required" and error.missing is not None:
        path = (*path, error.missing)
    yield path, "schema." + _snake(error.keyword), _message(error, schema)
