"""Every place a rule attaches: the bundled spec's request schema walked as the plan
walks it, and small schemas for the shapes (and any rule) the spec lacks."""

from __future__ import annotations

from typing import Any

from kombo_validate.api import default_validator
from kombo_validate.rules import RULES, Rule, Where
from kombo_validate.schemas import merge_all_of, schema_types

__all__ = ["EXTRA", "Place", "places"]

Place = tuple[str, Rule, dict[str, Any], Where]

#: shapes the bundled spec does not have, for the rules' other branches (and for any
#: rule the spec stops using: every rule must be covered, see the last test)
_ATTACHMENT = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "content_type": {"type": "string"},
        "data": {"type": "string"},
        "data_url": {"type": "string", "format": "uri"},
    },
}
#: an object with fields paired in prose (as HRIS absences' amount/unit, start/end time)
_PAIRED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "amount": {
            "type": "number",
            "description": "Specifying this also requires specifying `unit`.",
        },
        "unit": {
            "type": ["string", "null"],
            "description": "Specifying this also requires specifying `amount`.",
        },
        "start_time": {
            "type": "string",
            "description": "If `start_time` is specified, `end_time` has to be specified as well.",
        },
        "end_time": {"type": "string"},
        "clicks_window": {"type": "integer", "description": "Cannot be used without `clicks`."},
        "clicks": {"type": "integer"},
    },
}
EXTRA: list[tuple[str, dict[str, Any], Where]] = [
    ("date-time without a pattern", {"type": "string", "format": "date-time"}, Where()),
    ("date without a pattern", {"type": "string", "format": "date"}, Where()),
    ("enum with values alike but for case", {"type": "string", "enum": ["a", "A", "b"]}, Where()),
    ("iri", {"type": "string", "format": "iri"}, Where()),
    ("idn-email", {"type": "string", "format": "idn-email"}, Where()),
    ("country by description", {"type": "string", "description": "ISO 3166 code"}, Where()),
    ("attachment", _ATTACHMENT, Where()),
    ("paired fields", _PAIRED, Where()),
    *(
        (f"attachment {name}", sub, Where(name, _ATTACHMENT))
        for name, sub in _ATTACHMENT["properties"].items()
    ),
]


def _walk(
    schema: Any, where: Where, label: str, out: list[tuple[str, dict[str, Any], Where]]
) -> None:
    if not isinstance(schema, dict):
        return
    s = merge_all_of(schema)
    for key in ("anyOf", "oneOf"):
        if isinstance(s.get(key), list):
            for i, branch in enumerate(s[key]):
                _walk(branch, where, f"{label}/{key}/{i}", out)
            return
    out.append((label or "/", s, where))
    types = schema_types(s)
    if "object" in types:
        for name, sub in (s.get("properties") or {}).items():
            _walk(sub, Where(name, s), f"{label}/{name}", out)
        if isinstance(s.get("additionalProperties"), dict):
            _walk(s["additionalProperties"], Where(), f"{label}/*", out)
    if "array" in types:
        _walk(s.get("items"), Where(), f"{label}/[]", out)


def places() -> list[Place]:
    """Every (rule, schema, where) the plan builds a rule for, in the spec and in EXTRA."""
    found: list[tuple[str, dict[str, Any], Where]] = []
    _walk(default_validator().spec.request_schema, Where(), "", found)
    found += [(f"extra: {label}", s, w) for label, s, w in EXTRA]
    return [
        (label, rule, schema, where)
        for label, schema, where in found
        for rule in RULES
        if rule.applies(schema, where) and rule.build(schema, where)
    ]
