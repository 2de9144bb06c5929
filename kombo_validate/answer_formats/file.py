"""FILE: an attachment object; its content type and decoded size within the question's limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..context import Path
from ..issues import excerpt, listing
from ..limits import mime_refused, normalise_mime_types
from ..rules.attachment import decoded_size
from .base import Format, Run, count_limit, kind_of

if TYPE_CHECKING:
    from ..questions.model import Question

__all__ = ["File"]


@dataclass(frozen=True)
class File(Format):
    #: normalised (lowercase, no parameters); None = any type
    accepted_mime_types: tuple[str, ...] | None = None
    max_file_size_bytes: int | None = None
    _exact: frozenset[str] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_format(cls, raw: Mapping[str, Any]) -> File:
        return cls(
            normalise_mime_types(raw.get("accepted_mime_types")), raw.get("max_file_size_bytes")
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exact", frozenset(self.accepted_mime_types or ()))

    def describe(self) -> str:
        extra = []
        if self.max_file_size_bytes is not None:
            extra.append(f"≤{self.max_file_size_bytes:,}B")
        if self.accepted_mime_types is not None:
            extra.append("|".join(self.accepted_mime_types))
        return " ".join(["FILE", *extra])

    def fine(self, value: object) -> bool:
        # True exactly when check() would report nothing (it never changes the value)
        if type(value) is not dict:
            return False
        accepted = self.accepted_mime_types
        if accepted is not None:
            content_type = value.get("content_type")
            exact = isinstance(content_type, str) and content_type in self._exact
            if not exact and mime_refused(content_type, accepted):
                return False
        limit = self.max_file_size_bytes
        if limit is not None:
            data = value.get("data")
            if isinstance(data, str):
                return decoded_size(data) <= limit
            if isinstance(value.get("data_url"), str):
                return False
        return True

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        props: dict[str, Any] = {}
        if self.accepted_mime_types is not None:
            accepted: list[Any] = [{"not": {"type": "string"}}, {"enum": sorted(self._exact)}]
            for entry in self.accepted_mime_types:
                if entry == "*/*":
                    accepted = [True]
                    break
                if entry.endswith("/*") and re.fullmatch(r"[a-z0-9]+/\*", entry):
                    accepted.append({"pattern": "^" + entry[:-1]})
            # a content type the core proved is lowercase without parameters: _mime_key's
            props["content_type"] = {"anyOf": accepted}
        if self.max_file_size_bytes is not None:
            limit = count_limit(self.max_file_size_bytes)
            # decodes to at most ``limit`` (no file at all is that small when it is negative)
            props["data"] = {"maxLength": limit // 3 * 4} if limit >= 0 else {"not": {}}
            props["data_url"] = {"not": {"type": "string"}}  # a size nobody knows
        return {"type": "object", "properties": props}

    def check(self, q: Question, value: object, p: Path, run: Run) -> object:
        # name / data / data_url / base64 themselves are the core's attachment rules
        if not isinstance(value, Mapping):
            run.error(
                p,
                "answer.type",
                f"Answer to {q.label} must be a file object (name and data or data_url), "
                f"not {kind_of(value)}.",
            )
            return value
        content_type = value.get("content_type")
        if mime_refused(content_type, self.accepted_mime_types):
            run.error(
                (*p, "content_type"),
                "answer.mime_type",
                f"Answer to {q.label}: {excerpt(content_type)} is not an accepted file type "
                f"({listing(self.accepted_mime_types or ())}).",
            )
        if self.max_file_size_bytes is not None:
            data = value.get("data")
            if isinstance(data, str):
                size = decoded_size(data)
                if size > self.max_file_size_bytes:
                    run.error(
                        (*p, "data"),
                        "answer.file_too_large",
                        f"Answer to {q.label} is a file of {size:,} bytes; at most "
                        f"{self.max_file_size_bytes:,} bytes are accepted.",
                    )
            elif isinstance(value.get("data_url"), str):
                run.warning(
                    p,
                    "answer.file_size_unchecked",
                    f"Answer to {q.label} may be at most {self.max_file_size_bytes:,} bytes; "
                    "the size of a file given by data_url cannot be checked before Kombo "
                    "downloads it.",
                )
        return value
