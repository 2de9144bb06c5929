"""``spec/screening-questions.schema.json`` as the question strategies read it.

The format types, each type's variant (its properties and enums) and the Kombo
id pattern come from the schema, so drawn questions follow it.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from ..questions import schema_path
from . import leaves

__all__ = [
    "format_types",
    "kombo_ids",
    "null_or",
    "nullable_enum",
    "schema_defs",
    "variant_of",
]


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def schema_defs() -> dict[str, Any]:
    """``$defs`` of ``spec/screening-questions.schema.json``."""
    defs: dict[str, Any] = _schema().get("$defs", {})
    return defs


def variant_of(kind: str) -> dict[str, Any]:
    """The schema of the format variant whose ``type`` is ``kind`` (``{}`` if none)."""
    for schema in schema_defs().values():
        if not isinstance(schema, dict):
            continue
        t = schema.get("properties", {}).get("type", {})
        if isinstance(t, dict) and t.get("const") == kind:
            return schema
    return {}


def format_types() -> tuple[str, ...]:
    """``format.type`` values, in the schema's order."""
    fmt = schema_defs().get("format", {})
    return tuple(fmt.get("properties", {}).get("type", {}).get("enum", ()))


def _enum(schema: Any) -> tuple[Any, ...]:
    return tuple(schema.get("enum", ())) if isinstance(schema, dict) else ()


@lru_cache(maxsize=1)
def _id_alphabet() -> tuple[str, int]:
    """The Kombo id alphabet and length, read from the schema's ``kombo_id``."""
    spec = schema_defs().get("kombo_id", {})
    size = int(spec.get("minLength", 24))
    ok = leaves.matches(spec.get("pattern"))
    alphabet = "".join(c for c in string.ascii_letters + string.digits if ok(c * size))
    return alphabet or string.ascii_letters, size


def kombo_ids() -> st.SearchStrategy[str]:
    alphabet, size = _id_alphabet()
    return st.text(alphabet, min_size=size, max_size=size)


def nullable_enum(draw: st.DrawFn, schema: Any) -> Any:
    values = _enum(schema)
    return draw(st.sampled_from(values)) if values else None


def null_or(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return None if draw(st.integers(0, 3)) == 0 else draw(strategy)
