"""SINGLE_SELECT and MULTI_SELECT: option ids (an option's name is taken and replaced)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..context import Path
from ..issues import excerpt
from .base import LISTED_OPTIONS, Format, Run, kind_of

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = ["Option", "Select"]


@dataclass(frozen=True)
class Option:
    id: str
    name: str


@dataclass(frozen=True)
class Select(Format):
    options: tuple[Option, ...] = ()
    multi: bool = False
    can_be_empty = True
    _ids: frozenset[str] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    @classmethod
    def single(cls, raw: Mapping[str, Any]) -> Select:
        return cls(tuple(Option(o["id"], o["name"]) for o in raw["options"]), False)

    @classmethod
    def several(cls, raw: Mapping[str, Any]) -> Select:
        return cls(tuple(Option(o["id"], o["name"]) for o in raw["options"]), True)

    def __post_init__(self) -> None:
        by_name: dict[str, dict[str, None]] = {}
        for o in self.options:
            by_name.setdefault(o.name.casefold(), {})[o.id] = None
        object.__setattr__(self, "_ids", frozenset(o.id for o in self.options))
        object.__setattr__(self, "_by_name", {k: tuple(v) for k, v in by_name.items()})

    def choices(self) -> tuple[str | bool, ...] | None:
        return tuple(o.id for o in self.options)

    def fine(self, value: object) -> bool:
        if not self.multi:
            return type(value) is str and value in self._ids
        if type(value) is not list:
            return False
        try:
            return len(set(value)) == len(value) and self._ids.issuperset(value)
        except TypeError:  # an unhashable element
            return False

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        ids = {"type": "string", "enum": sorted(self._ids)}
        return {"type": "array", "items": ids, "uniqueItems": True} if self.multi else ids

    def describe(self) -> str:
        kind = "MULTI_SELECT" if self.multi else "SINGLE_SELECT"
        return f"{kind}({len(self.options)})"

    def names(self) -> dict[str, str]:
        """Option id → name."""
        return {o.id: o.name for o in self.options}

    def _listing(self) -> str:
        """The first options' names (the same few, whatever the number of options)."""
        names = [excerpt(o.name) for o in self.options[:LISTED_OPTIONS]]
        shown = ", ".join(names)
        return shown + (", …" if len(self.options) > LISTED_OPTIONS else "") if names else "none"

    def _resolve(self, q: Question, value: str, p: Path, run: Run) -> str | None:
        """The option id ``value`` stands for (recording a name → id Change), or None."""
        if value in self._ids:
            return value
        hits = self._by_name.get(value.casefold(), ())
        if len(hits) == 1:
            run.change(p, value, hits[0], f"option name of {q.label} replaced by the option's id")
            return hits[0]
        if hits:
            run.error(
                p,
                "answer.ambiguous_option",
                f"Answer to {q.label}: {excerpt(value)} matches the names of {len(hits)} options; "
                "send the option id instead.",
            )
        else:
            run.error(
                p,
                "answer.unknown_option",
                f"Answer to {q.label} must be an option id (or option name); {excerpt(value)} "
                f"is neither. Options: {self._listing()}.",
            )
        return None

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        if not self.multi:
            if not isinstance(value, str):
                run.error(
                    p,
                    "answer.type",
                    f"Answer to {q.label} must be an option id, not {kind_of(value)}.",
                )
                return value
            resolved = self._resolve(q, value, p, run)
            return value if resolved is None else resolved
        if not isinstance(value, list):
            run.error(
                p,
                "answer.type",
                f"Answer to {q.label} must be an array of option ids, not {kind_of(value)}.",
            )
            return value
        new: list[object] | None = None
        seen: dict[str, int] = {}
        for j, element in enumerate(value):
            ep = (*p, j)
            if not isinstance(element, str):
                run.error(
                    ep,
                    "answer.type",
                    f"Answer to {q.label}: element {j} must be an option id, "
                    f"not {kind_of(element)}.",
                )
                continue
            oid = self._resolve(q, element, ep, run)
            if oid is None:
                continue
            if oid in seen:
                run.error(
                    ep,
                    "answer.duplicate_option",
                    f"Answer to {q.label} chooses the same option at {seen[oid]} and {j}.",
                )
                continue
            seen[oid] = j
            if oid is not element:
                if new is None:
                    new = list(value)
                new[j] = oid
        return value if new is None else new
