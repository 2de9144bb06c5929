"""BOOLEAN, NUMBER and DATE: one JSON value each, no options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..context import Path
from ..issues import excerpt
from ..limits import number_text
from ..rules.numbers import DOUBLE_MAX, number_within
from .base import Format, Run, kind_of

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = ["Boolean", "Date", "Number"]


@dataclass(frozen=True)
class Boolean(Format):
    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> Boolean:
        return cls()

    def choices(self) -> tuple[str | bool, ...] | None:
        return (True, False)

    def fine(self, value: object) -> bool:
        return type(value) is bool

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        return {"type": "boolean"}

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        if not isinstance(value, bool):
            run.error(
                p,
                "answer.type",
                f"Answer to {q.label} must be true or false, not {excerpt(value)}.",
            )
        return value


@dataclass(frozen=True)
class Number(Format):
    min: float | None = None
    max: float | None = None

    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> Number:
        return cls(raw.get("min"), raw.get("max"))

    def describe(self) -> str:
        lo = "" if self.min is None else number_text(self.min)
        hi = "" if self.max is None else number_text(self.max)
        return f"NUMBER[{lo}..{hi}]" if lo or hi else "NUMBER"

    def _bounds(self) -> tuple[float, float]:
        """The accepted range: the question's min/max, else what a double holds."""
        lo = -DOUBLE_MAX if self.min is None else self.min
        hi = DOUBLE_MAX if self.max is None else self.max
        return lo, hi

    def fine(self, value: object) -> bool:
        if type(value) is not int and type(value) is not float:
            return False
        lo, hi = self._bounds()
        return lo <= value <= hi

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        # "number", not "integer": jsonschema-rs takes a 4,300-digit int for an integer
        return number_within(*self._bounds())

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            run.error(
                p, "answer.type", f"Answer to {q.label} must be a number, not {kind_of(value)}."
            )
            return value
        if not (-DOUBLE_MAX <= value <= DOUBLE_MAX):  # NaN, ±inf, huge ints
            run.error(p, "answer.type", f"Answer to {q.label} must be a finite number.")
            return value
        if self.min is not None and value < self.min:
            run.error(
                p,
                "answer.out_of_range",
                f"Answer to {q.label} must be at least {number_text(self.min)}.",
            )
        elif self.max is not None and value > self.max:
            run.error(
                p,
                "answer.out_of_range",
                f"Answer to {q.label} must be at most {number_text(self.max)}.",
            )
        return value


@dataclass(frozen=True)
class Date(Format):
    """The spec's date form and a real date: the core's date rule decides (``date_check``)."""

    can_be_empty = True

    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> Date:
        return cls()

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        return date

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        if not isinstance(value, str):
            run.error(
                p,
                "answer.type",
                f"Answer to {q.label} must be a date string, not {kind_of(value)}.",
            )
            return value
        problem = run.date_check(value)
        if problem is not None:
            run.error(p, "answer.date", f"Answer to {q.label}: {problem}")
        elif run.date_wire is not None:
            wire = run.date_wire(value)
            if wire is not None:
                run.change(p, value, wire[0], wire[1])
                return wire[0]
        return value
