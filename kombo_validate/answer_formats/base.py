"""What every answer format shares: the :class:`Format` checker, the :class:`Run` it
reports into, and the small helpers their messages and schemas use."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..context import Ctx, IssueBuffer, Path
from ..issues import type_name

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = [
    "LISTED_OPTIONS",
    "DateCheck",
    "DateWire",
    "Format",
    "Run",
    "count_limit",
    "kind_of",
    "utf16_length",
]

#: ``date_check(value)``: why ``value`` is not the spec's date form or not a real date, or None.
DateCheck = Callable[[str], "str | None"]
#: ``date_wire(value)``: for a date the check passed, ``(wire form, reason)`` when the body's
#: date rule would change it (``+02:00`` converted to UTC), else None: DATE answers behave
#: as body dates do
DateWire = Callable[[str], "tuple[str, str] | None"]

#: how many options a message lists before "…"
LISTED_OPTIONS = 8


def utf16_length(value: str) -> int:
    # Kombo measures strings as JavaScript does (UTF-16 code units): an emoji is 2.
    # That is never less than the code-point count, so it is the safe side too.
    return len(value) if value.isascii() else len(value.encode("utf-16-le")) // 2


def kind_of(value: object) -> str:
    """What ``value`` is, in a message: by its real type (``isinstance`` would believe a
    ``__class__`` that claims ``dict``), without running any code of the value's."""
    t = type(value)
    if value is None:
        return "null"
    if issubclass(t, bool):
        return "a boolean"
    if issubclass(t, (int, float)):
        return "a number"
    if issubclass(t, str):
        return "a string"
    if issubclass(t, (list, tuple)):
        return "an array"
    if issubclass(t, Mapping):
        return "an object"
    return type_name(value)


def count_limit(limit: float) -> int:
    """A length limit as the whole number a JSON Schema takes (the spec's "integer" lets
    10.0 through), capped where jsonschema-rs's integers end (no string is longer)."""
    return min(math.floor(limit), sys.maxsize)


class Run(IssueBuffer):
    """One ``check_answers`` call: issues held back for document order, changes, the date check."""

    __slots__ = ("ctx", "date_check", "date_wire")

    def __init__(self, ctx: Ctx, date_check: DateCheck, date_wire: DateWire | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.date_check = date_check
        self.date_wire = date_wire

    def change(self, path: Path, before: object, after: object, reason: str) -> None:
        self.ctx.change(path, before, after, reason)


@dataclass(frozen=True)
class Format:
    """One question's answer checker.

    ``fine`` is the fast path: True when ``value`` is plainly right and stays
    as it is (most answers); ``check`` is the full check, reporting into
    ``run`` and returning the (possibly new) answer.

    The class attributes declare what the strategies (``_strategies.formats``)
    and the answers algorithm need to know of a format without asking its checks.
    """

    #: whether an answer this format takes can be empty (a string or a list)
    can_be_empty: ClassVar[bool] = False
    #: whether a question of this format is answered at all (INFORMATION: never)
    answered: ClassVar[bool] = True
    #: whether its answers are checked (else every answer is warned about, never refused)
    checked: ClassVar[bool] = True

    def choices(self) -> tuple[str | bool, ...] | None:
        """The values an answer picks from (what a precondition on it names), or None."""
        return None

    def names(self) -> dict[str, str]:
        """The names of its choices, by choice (option id → name); empty when unnamed."""
        return {}

    def fine(self, value: object) -> bool:
        return False

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        """``fine`` as a JSON Schema for jsonschema-rs, formats asserted (False: none).

        For ``Questions.proves``; ``date`` is the Validator's strict date schema.
        """
        return False

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.strip("_").upper()
