"""The per-call collector that rules and the normaliser report into.

One ``Ctx`` is made for each ``check`` call and thrown away after it, so a
Validator holds no mutable state and can be shared between threads.
Paths are tuples of keys and indexes into the *input*; they become JSON
Pointers only when an issue or change is recorded.
"""

from __future__ import annotations

from .issues import Change, Issue, Severity, pointer

__all__ = ["Ctx", "Path"]

Path = tuple[str | int, ...]


class Ctx:
    """Collects issues and changes during one walk over a body."""

    __slots__ = ("active", "attachment_bytes", "changes", "error_paths", "issues", "paths")

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        #: the path tuple of each issue, for sorting into document order
        self.paths: list[Path] = []
        #: decoded bytes of all base64 attachments seen (for the total-size warning)
        self.attachment_bytes = 0
        self.changes: list[Change] = []
        #: pointers at which a rule reported an error: schema errors at (or
        #: below) these are dropped, the rule's message being the precise one
        self.error_paths: set[str] = set()
        #: ids of the containers on the current walk stack (cycle detection)
        self.active: set[int] = set()

    def issue(self, path: Path, code: str, message: str, severity: Severity) -> None:
        ptr = pointer(path)
        self.issues.append(Issue(ptr, code, message, severity))
        self.paths.append(path)
        if severity == "error":
            self.error_paths.add(ptr)

    def error(self, path: Path, code: str, message: str) -> None:
        self.issue(path, code, message, "error")

    def warning(self, path: Path, code: str, message: str) -> None:
        self.issue(path, code, message, "warning")

    def change(self, path: Path, before: object, after: object, reason: str) -> None:
        self.changes.append(Change(pointer(path), before, after, reason))

    @property
    def has_errors(self) -> bool:
        return bool(self.error_paths)
