"""One problem in one file, with its place: what every reporter prints."""

from __future__ import annotations

from typing import NamedTuple

from ..issues import Severity

__all__ = ["Finding"]


class Finding(NamedTuple):
    """An issue located in a file (``line``/``column`` are 1-based).

    ``path`` is the RFC 6901 pointer into the payload (``""`` is the root); a
    finding about the file itself (unreadable, syntax error) has path ``""``
    and, when there is no better place, line 1 column 1. ``document`` is the
    0-based index of the payload in its file, None for a finding about the file.
    A NamedTuple: cheap, immutable and picklable across the process pool.
    """

    file: str
    line: int
    column: int
    path: str
    code: str
    severity: Severity
    message: str
    document: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
