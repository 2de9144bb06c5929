"""INFORMATION (a text, not a question) and UNKNOWN or no format: answers are not checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..context import Path
from .base import Format, Run

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = ["Information", "Unchecked"]


@dataclass(frozen=True)
class Information(Format):
    answered = False
    checked = False

    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> Information:
        return cls()

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        run.warning(
            p,
            "answer.not_expected",
            f"{q.label} is an information text, not a question; the answer is not submitted.",
        )
        return value


@dataclass(frozen=True)
class Unchecked(Format):
    kind: str | None = None  # "UNKNOWN", or None for a null format
    checked = False

    @classmethod
    def unknown(cls, raw: Mapping[str, Any]) -> Unchecked:
        return cls("UNKNOWN")

    def describe(self) -> str:
        return self.kind or "NO-FORMAT"

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        what = "an UNKNOWN format" if self.kind else "no format"
        run.warning(
            p,
            "answer.unchecked",
            f"{q.label} has {what} in Kombo's data, so its answer cannot be checked "
            "before submission.",
        )
        return value
