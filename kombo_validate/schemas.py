"""Small utilities over (dereferenced) JSON Schemas that several layers read."""

from __future__ import annotations

from typing import Any

__all__ = ["merge_all_of", "schema_types"]


def schema_types(schema: dict[str, Any]) -> frozenset[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return frozenset({t})
    if isinstance(t, list):
        return frozenset(x for x in t if isinstance(x, str))
    if "properties" in schema or "additionalProperties" in schema:
        return frozenset({"object"})
    if "items" in schema:
        return frozenset({"array"})
    return frozenset()


def merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Fold ``allOf`` object branches into one schema for walking (the engine sees the original)."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in parts:
        if isinstance(part, dict):
            merged = _merge(merged, merge_all_of(part))
    return merged


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key == "properties" and isinstance(out.get(key), dict) and isinstance(value, dict):
            props = dict(out[key])
            for name, sub in value.items():
                old = props.get(name)
                both = isinstance(old, dict) and isinstance(sub, dict)
                props[name] = _merge(old, sub) if both else sub  # type: ignore[arg-type]
            out[key] = props
        elif key == "required" and isinstance(out.get(key), list) and isinstance(value, list):
            out[key] = [*out[key], *(r for r in value if r not in out[key])]
        else:
            out.setdefault(key, value)
    return out
