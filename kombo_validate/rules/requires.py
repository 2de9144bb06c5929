"""Paired fields: a property whose description says it needs a sibling.

Kombo's spec says some pairings in prose only, in the description of the field
that needs the other (HRIS absences' ``amount``/``unit`` and
``start_time``/``end_time``, AI Apply's ``additional_clicks_scatter_duration``):

    "Specifying this also requires specifying `unit`."
    "If `start_time` is specified, `end_time` has to be specified as well."
    "Cannot be used without `additional_clicks`."

Every object schema with such a property gets this rule, wherever it is: the
phrasings are :data:`REQUIRES_PHRASES`, one small table. ``null`` counts as not
given (a nullable field set to null specifies nothing). The missing sibling is
reported at its own path (``field.requires``), like a missing required property.

Left out on purpose: "Provide either this or `X`" (Workday's ``job_requisition_id``
/ ``position_id`` remote fields): whether one of them is needed, or at most one is
allowed, the prose does not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..context import Ctx, Path

__all__ = ["REQUIRES_PHRASES", "make_requires_rule", "requirements", "requires_strict"]

#: how a property's description says that it needs a sibling (``needed``); a phrase
#: that names the property itself (``given``) must name the one it describes
REQUIRES_PHRASES: tuple[re.Pattern[str], ...] = (
    re.compile(r"[Ss]pecifying this also requires specifying `(?P<needed>\w+)`"),
    re.compile(r"If `(?P<given>\w+)` is specified, `(?P<needed>\w+)` has to be specified as well"),
    re.compile(r"[Cc]annot be used without `(?P<needed>\w+)`"),
)


def requirements(schema: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``(field, needed)`` for each property whose description says it needs the
    sibling ``needed``, in property order; ``()`` when there is none."""
    props = schema.get("properties")
    if not isinstance(props, dict):
        return ()
    found: list[tuple[str, str]] = []
    for name, sub in props.items():
        text = sub.get("description") if isinstance(sub, dict) else None
        if not isinstance(text, str):
            continue
        for phrase in REQUIRES_PHRASES:
            for m in phrase.finditer(text):
                given, needed = m.groupdict().get("given"), m["needed"]
                names_self = given is None or given == name
                if names_self and needed != name and needed in props:
                    found.append((name, needed))
    return tuple(dict.fromkeys(found))


def make_requires_rule(schema: dict[str, Any]) -> Callable[[dict[str, Any], Path, Ctx], None]:
    """The rule for one object schema with :func:`requirements`."""
    pairs = requirements(schema)

    def rule(obj: dict[str, Any], path: Path, ctx: Ctx) -> None:
        for field, needed in pairs:
            if obj.get(field) is not None and obj.get(needed) is None:
                ctx.error(
                    (*path, needed),
                    "field.requires",
                    f"{needed} is required when {field} is given (the spec says so in "
                    f"{field}'s description)",
                )

    return rule


def requires_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """Objects the rule leaves alone (fast path): each ``needed`` present and not null
    wherever its ``field`` is present (a null ``field`` is left to the rule)."""
    needs: dict[str, list[str]] = {}
    for field, needed in requirements(schema):
        needs.setdefault(field, []).append(needed)
    return {
        "dependentSchemas": {
            field: {
                "required": needed,
                "properties": {name: {"not": {"type": "null"}} for name in needed},
            }
            for field, needed in needs.items()
        }
    }
