"""Enum rule: every string schema with an ``enum`` of strings.

A value equal to exactly one allowed value up to case (``female``) becomes that
value (``FEMALE``), a Change. Anything else is left for the schema layer, which
reports ``schema.enum`` with the allowed values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..context import Ctx, Path
from .alone import NONE_KNOWN, Alone, OneOf, plain_of

__all__ = ["make_enum_alone", "make_enum_plain", "make_enum_rule"]


def make_enum_rule(schema: dict[str, Any]) -> Callable[[str, Path, Ctx], str] | None:
    values = [v for v in schema.get("enum", ()) if isinstance(v, str)]
    if not values:
        return None
    allowed = frozenset(values)
    folded: dict[str, str | None] = {}
    for v in values:
        key = v.casefold()
        folded[key] = None if key in folded and folded[key] != v else v

    # case folding never shortens a string (each character folds to one to three): a
    # value longer than every folded name matches none, and is never folded (casefold
    # of a 50 MB string allocates some 12 bytes a character)
    longest = max(map(len, folded))

    def rule(value: str, path: Path, ctx: Ctx) -> str:
        if value in allowed:
            return value
        value_stripped = value.strip()
        if len(value_stripped) > longest:
            return value
        canonical = folded.get(value_stripped.casefold())
        if canonical is None:
            return value
        ctx.change(path, value, canonical, "enum value matched case-insensitively")
        return canonical

    return rule


def make_enum_alone(schema: dict[str, Any]) -> Alone:
    """What the enum rule leaves as it is: the allowed values, exactly (the schema's own
    ``enum`` says so already)."""
    values = [v for v in schema.get("enum", ()) if isinstance(v, str)]
    return OneOf(frozenset(values), stated=True) if values else NONE_KNOWN


def make_enum_plain(schema: dict[str, Any]) -> Callable[[str], object] | None:
    """True when the enum rule leaves the value as it is (one of the allowed values)."""
    return plain_of(make_enum_alone(schema))
