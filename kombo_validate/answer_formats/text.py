"""TEXT: a string, at most ``max_length`` UTF-16 units; an EMAIL or URL as the body's are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..context import Path
from ..issues import excerpt
from ..rules.emails import EMAIL_CHANGE, EMAIL_STRICT, email_plain, normalised_email
from ..rules.uris import URI_STRICT, is_http_url, uri_plain
from .base import Format, Run, count_limit, kind_of, utf16_length

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = ["Text"]


@dataclass(frozen=True)
class Text(Format):
    max_length: int | None = None
    display_type: str | None = None
    can_be_empty = True

    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> Text:
        return cls(raw.get("max_length"), raw.get("display_type"))

    def describe(self) -> str:
        extra = [self.display_type or ""]
        if self.max_length is not None:
            extra.append(f"≤{self.max_length}")
        return " ".join(["TEXT", *[e for e in extra if e]])

    def fine(self, value: object) -> bool:
        if type(value) is not str:
            return False
        limit = self.max_length
        # a string's UTF-16 length is len() when ASCII and at most 2 × len() otherwise
        if not (
            limit is None or len(value) * 2 <= limit or (len(value) <= limit and value.isascii())
        ):
            return False
        if self.display_type == "EMAIL":
            return email_plain(value) is not None  # a plain address is_email() takes
        if self.display_type == "URL":
            return uri_plain(value) is not None  # a plain http(s) URL is_http_url() takes
        return True

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        out: dict[str, Any] = {"type": "string"}
        if self.max_length is not None:  # UTF-16 units: 2 per character at most, 1 if ASCII
            limit = count_limit(self.max_length)
            if limit < 0:
                return False  # every answer is too long: never proven
            out["anyOf"] = [
                {"maxLength": limit // 2},
                {"maxLength": limit, "pattern": "^[\\x00-\\x7f]*$"},
            ]
        if self.display_type == "EMAIL":
            out["pattern"] = EMAIL_STRICT
        elif self.display_type == "URL":
            out["pattern"] = URI_STRICT
        return out

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        if not isinstance(value, str):
            run.error(
                p, "answer.type", f"Answer to {q.label} must be a string, not {kind_of(value)}."
            )
            return value
        email_problem = None
        if value and self.display_type == "EMAIL":  # as the body's email rule does
            after, email_problem = normalised_email(value)
            if email_problem is None and after != value:
                run.change(p, value, after, EMAIL_CHANGE)
                value = after
        if self.max_length is not None:
            n = utf16_length(value)
            if n > self.max_length:
                run.error(
                    p,
                    "answer.too_long",
                    f"Answer to {q.label} must be at most {self.max_length} characters long; "
                    f"it has {n}.",
                )
        if email_problem is not None:
            run.error(
                p,
                "answer.email",
                f"Answer to {q.label} must be an email address, not {excerpt(value)}.",
            )
        elif value and self.display_type == "URL" and not is_http_url(value):
            run.error(
                p,
                "answer.url",
                f"Answer to {q.label} must be an absolute http(s) URL, not {excerpt(value)}.",
            )
        return value
