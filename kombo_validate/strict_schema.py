"""The strict schema: the request schema narrowed to where the plan's walk does nothing.

At every place the plan would do something, the strict schema states the condition
under which it does nothing: each rule's ``strict`` fragment (a real calendar date,
an ISO country code, strict base64...), ``additionalProperties: false`` on closed
objects, numbers a double can hold, and ``false`` for free-form data. A value it
accepts is one the plan's walk would change nothing in and report nothing on, and
that the request schema accepts (the strict schema only narrows it).

Pure schema transforms, one per container kind: the fast path (``fastpath``)
builds them bottom-up from the plan's descriptions (``walkplan``) and compiles them
in jsonschema-rs.
"""

from __future__ import annotations

from typing import Any

from .rules import RULES, Where
from .rules.numbers import DOUBLE_MAX, number_within
from .schemas import schema_types
from .walkplan import AnyOfGen, ObjectWalk

__all__ = [
    "JSON_TYPES",
    "any_of_strict",
    "array_strict",
    "as_written",
    "is_free",
    "object_strict",
    "strict_leaf",
    "strip_formats",
]

#: keywords that hold annotations only, or that the strict schema rebuilds itself
_DROP = frozenset(
    {
        "format",
        "description",
        "title",
        "example",
        "examples",
        "externalDocs",
        "deprecated",
        "default",
        "readOnly",
        "writeOnly",
        "nullable",
        "properties",
        "items",
        "additionalProperties",
        "anyOf",
        "oneOf",
        "allOf",
        "$defs",
    }
)
#: keywords with sub-schemas that the strict schema keeps as written (formats stripped)
_RAW_SUBSCHEMAS = frozenset(
    {"not", "if", "then", "else", "contains", "dependentSchemas", "patternProperties"}
)

#: the JSON types an anyOf's branches are chosen by, in the order its clauses are written
JSON_TYPES = ("string", "boolean", "integer", "number", "null", "object", "array")


def strip_formats(node: Any) -> Any:
    """``node`` without its ``format`` keywords (the strict schema asserts formats)."""
    if isinstance(node, dict):
        return {k: strip_formats(v) for k, v in node.items() if k != "format"}
    if isinstance(node, list):
        return [strip_formats(v) for v in node]
    return node


def _base(schema: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in schema.items() if k not in _DROP}
    for key in _RAW_SUBSCHEMAS & out.keys():
        out[key] = strip_formats(out[key])
    return out


def _with(base: dict[str, Any], fragments: list[Any]) -> Any:
    if any(f is False for f in fragments):
        return False
    extra = [f for f in fragments if isinstance(f, dict) and f]
    if extra:
        base = {**base, "allOf": extra}
    return base


def strict_leaf(schema: Any, where: Where) -> Any:
    """The strict schema of a non-container property (see the module docstring)."""
    if not isinstance(schema, dict) or "allOf" in schema:
        return False
    types = schema_types(schema)
    if not types or "object" in types or "array" in types:
        return False  # free-form data, or a container the caller did not expect
    fragments: list[Any] = []
    base = _base(schema)
    if types & {"number", "integer"}:
        fragments.append(_in_double_range(types))
        base = _without_implied_bounds(base)
    if "string" in types:
        for rule in RULES:
            applies = rule.kind in ("convert", "string") and rule.applies(schema, where)
            if applies and rule.build(schema, where):  # as the plan builds its rules
                fragments.append(rule.strict(schema, where))
    return _with(base, fragments)


def object_strict(plan: ObjectWalk, children: dict[str, Any]) -> Any:
    """The strict schema of ``plan``'s object, given its container properties' own
    (``children``: name -> strict schema); the other properties get :func:`strict_leaf`.
    False for an object the plan merged from an ``allOf`` at its top."""
    schema = plan.schema
    props = schema.get("properties") or {}
    if "allOf" in schema or not isinstance(props, dict):
        return False
    full_props: dict[str, Any] = {}
    for name, sub in props.items():
        if name in children:
            full_props[name] = as_written(sub, children[name])
        else:
            full_props[name] = strict_leaf(sub, Where(name, schema))
    fragments = [
        rule.strict(schema, plan.where)
        for rule in RULES
        if rule.kind == "object" and rule.applies(schema, plan.where)
    ]
    base = {**_base(schema), "additionalProperties": False}
    return _with({**base, "properties": full_props}, fragments)


def array_strict(schema: dict[str, Any], item: Any = None) -> tuple[Any, Any]:
    """``(strict, shallow)`` of an array: ``item`` is its container items' strict schema
    (None: scalar items, given :func:`strict_leaf`); ``shallow`` (None without
    ``item``) takes any items, for the repair's test of the array itself."""
    base = _base(schema)
    if item is None:
        return {**base, "items": strict_leaf(schema.get("items"), Where())}, None
    return {**base, "items": as_written(schema.get("items"), item)}, {**base, "items": True}


def any_of_strict(gen: AnyOfGen, branches: dict[str, Any], where: Where) -> Any:
    """The strict schema of an anyOf/oneOf: a value passes when it passes the strict
    schema of the first branch its JSON type fits (the one the walk keeps when it
    reports nothing). ``branches``: JSON type -> that branch's strict schema, for
    container types (what :func:`first_branches` picked)."""
    clauses: list[Any] = []
    for json_type, candidate in first_branches(gen).items():
        if json_type == "string" and gen.fast is str:
            clauses.append({"type": "string"})  # a str is returned as it is
            continue
        if candidate is None:
            continue  # the walk says what is wrong: not proven
        if json_type in branches:
            strict = as_written(candidate[0], branches[json_type])
        else:
            strict = strict_leaf(candidate[0], where)
        if strict is not False:
            clauses.append({"allOf": [{"type": json_type}, strict]})
    strict_schema: Any = {"anyOf": clauses} if clauses else False
    if strict_schema is not False and "oneOf" in gen.schema:  # and no more than one
        strict_schema = {"allOf": [strip_formats({"oneOf": gen.schema["oneOf"]}), strict_schema]}
    return strict_schema


def first_branches(gen: AnyOfGen) -> dict[str, tuple[Any, Any] | None]:
    """JSON type -> the ``(schema, walker)`` of the first branch a value of it tries
    (None: none, or not one answer for both numbers and integers); no "integer"."""
    first: dict[str, tuple[Any, Any] | None] = {
        t: next(iter(gen.by_type.get(t) or ()), None) for t in JSON_TYPES
    }
    if _schema_of(first["integer"]) is not _schema_of(first["number"]):
        # one JSON type for both (jsonschema-rs takes 1.0 for an integer)
        first["integer"] = first["number"] = None
    first.pop("integer")
    return first


def _schema_of(candidate: tuple[Any, Any] | None) -> Any:
    return None if candidate is None else candidate[0]


def as_written(schema: Any, strict: Any) -> Any:
    """``strict`` for a container the plan walks with its ``allOf`` merged: and the
    schema as written (a merge keeps the first of two conflicting keywords)."""
    if strict is False or not (isinstance(schema, dict) and "allOf" in schema):
        return strict
    return {"allOf": [strip_formats(schema), strict]}


def is_free(schema: Any) -> bool:
    """Free-form data: only the walk can check it (no types, or an ``allOf``)."""
    return not isinstance(schema, dict) or not schema_types(schema) or "allOf" in schema


def _in_double_range(types: frozenset[str]) -> dict[str, Any]:
    """Numbers a double holds, as Kombo parses them. Spelled with "type": "number"
    and the schema's other types by name: an int of 4,300+ digits is neither a
    "number" nor "null" to jsonschema-rs, but passes "integer" and "not number"."""
    in_range = number_within()
    others = sorted(types - {"number", "integer"})
    return {"anyOf": [{"type": others}, in_range]} if others else in_range


def _without_implied_bounds(base: dict[str, Any]) -> dict[str, Any]:
    """``base`` without a ``minimum`` at or below -max double (or ``maximum`` at or
    above it): the double-range fragment implies them, and each costs jsonschema-rs a
    float comparison (the spec writes ``minimum: -1.7976931348623157e+308``)."""
    implied = {"minimum": -DOUBLE_MAX, "maximum": DOUBLE_MAX}
    return {k: v for k, v in base.items() if not (k in implied and _beyond(v, implied[k]))}


def _beyond(bound: Any, edge: float) -> bool:
    """``bound`` is a number at or past ``edge``, on ``edge``'s side of zero."""
    if type(bound) not in (int, float) or bound != bound:
        return False
    return bool(bound <= edge if edge < 0 else bound >= edge)
