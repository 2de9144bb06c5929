"""The question formats: one :class:`FormatType` per ``format.type`` of the spec, in
:data:`FORMATS`, in the spec's order.

A format type names the spec's ``type`` and compiles a question's ``format``
object into its checker (a :class:`~.base.Format`: the fine check, the strict
fragment for the answers proof, the full check). What else the strategies need
to draw an answer (its kind, its choices, whether it is answered and checked)
the checker declares; ``_strategies.formats`` keeps how to draw and break each
type under the same names (a test holds the two tables to the same keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .base import Format
from .file import File
from .scalars import Boolean, Date, Number
from .select import Select
from .text import Text
from .unchecked import Information, Unchecked

__all__ = ["FORMATS", "FormatType", "compile_format"]


@dataclass(frozen=True)
class FormatType:
    """One ``format.type``: its name, and how a (schema-valid) ``format`` object compiles."""

    name: str
    compile: Callable[[Mapping[str, Any]], Format]


def _table(*types: FormatType) -> dict[str, FormatType]:
    return {t.name: t for t in types}


#: every ``format.type`` of ``spec/screening-questions.schema.json``, in its order
FORMATS: dict[str, FormatType] = _table(
    FormatType("TEXT", Text.from_format),
    FormatType("NUMBER", Number.from_format),
    FormatType("FILE", File.from_format),
    FormatType("SINGLE_SELECT", Select.single),
    FormatType("BOOLEAN", Boolean.from_format),
    FormatType("DATE", Date.from_format),
    FormatType("MULTI_SELECT", Select.several),
    FormatType("INFORMATION", Information.from_format),
    FormatType("UNKNOWN", Unchecked.unknown),
)


def compile_format(raw: object) -> Format:
    """A question's ``format`` (validated against the schema) as its checker."""
    if not isinstance(raw, Mapping):
        return Unchecked(None)
    entry = FORMATS.get(raw["type"])
    return Unchecked("UNKNOWN") if entry is None else entry.compile(raw)
