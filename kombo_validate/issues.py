"""The result types: Issue, Change, Report, and the exceptions.

Everything here is immutable and JSON-friendly (``to_dict``), so a report can be
logged, pickled or sent to another process as it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Severity = Literal["error", "warning"]


__all__ = [
    "REMOVED",
    "Change",
    "ContextError",
    "Issue",
    "PayloadError",
    "Report",
    "Severity",
    "SpecError",
    "excerpt",
    "listing",
    "pointer",
    "type_name",
]


def __getattr__(name: str) -> Any:
    # ``Severity`` for code that reads it at run time (typing loads then)
    if name == "Severity":
        from typing import Literal

        return Literal["error", "warning"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: How much of a value a message may quote: payloads hold personal data.
EXCERPT_CHARS = 40


#: the real name of a class: never a metaclass's ``__name__`` (user code)
_class_name: Callable[[type], str] = type.__dict__["__name__"].__get__


def type_name(value: object) -> str:
    """The name of ``value``'s real type, read without calling any code of the value's."""
    return _class_name(type(value))


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable rendering of ``value`` for messages.

    Strings longer than ``limit`` are cut with an ellipsis, so a message never
    echoes more than a short excerpt of what the caller sent. Values are read
    through their real built-in type's own methods (``issubclass(type(x), ...)``,
    never ``isinstance``, which believes a ``__class__`` that lies): an excerpt
    never runs code of the value's.
    """
    v: Any = value  # read below only through the methods of its real built-in type
    t = type(v)
    if t is str or issubclass(t, str):
        if str.__len__(v) > limit:
            return repr(str.__getitem__(v, slice(0, limit)) + "…")
        return repr(str.__str__(v))
    if t is bool or v is None or v is REMOVED:
        text = repr(v)
    elif issubclass(t, int):
        if int.bit_length(v) > 256:
            digits = int(int.bit_length(v) * 0.30103) + 1
            return f"<an integer of about {digits} digits>"
        text = int.__repr__(v)
    elif issubclass(t, float):
        text = float.__repr__(v)
    elif issubclass(t, (bytes, bytearray)) or t is memoryview:
        base: Any = bytes if issubclass(t, bytes) else bytearray if t is not memoryview else t
        try:
            size = base.__len__(v)
        except ValueError:  # a released memoryview
            return f"<{type_name(v)}>"
        return f"<{type_name(v)} of {size} bytes>"
    elif issubclass(t, dict):
        return f"<object with {dict.__len__(v)} keys>"
    elif issubclass(t, list):
        return f"<array of {list.__len__(v)} items>"
    elif issubclass(t, tuple):
        return f"<array of {tuple.__len__(v)} items>"
    else:
        return f"<{type_name(v)}>"
    return text if len(text) <= limit else text[:limit] + "…"


#: how many items of a list a message shows before "and N more"
LISTED = 8


def listing(items: Sequence[str], total: int | None = None, limit: int = LISTED) -> str:
    """``a, b, c and 5 more``: the first ``limit`` of ``items`` (each cut to an excerpt's
    length), then how many more there are (``total``: all of them, when ``items`` holds
    only the first few). A message never grows with the list it describes."""
    count = len(items) if total is None else total
    shown = ", ".join(
        i if len(i) <= EXCERPT_CHARS else i[:EXCERPT_CHARS] + "…" for i in items[:limit]
    )
    more = count - min(len(items), limit)
    return f"{shown} and {more:,} more" if more > 0 else shown


def _escape(segment: str | int) -> str:
    if isinstance(segment, int):
        return str(segment)
    return segment.replace("~", "~0").replace("/", "~1")


def pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 JSON Pointer for a sequence of keys and indexes (``""`` is the root)."""
    return "".join("/" + _escape(s) for s in path)


class Issue:
    """One problem found in a payload.

    ``path`` is an RFC 6901 pointer into the *input* (``""`` is the root; a
    missing property is reported at its own path), ``code`` a stable dotted id,
    ``message`` one readable sentence, ``severity`` ``"error"`` or ``"warning"``.
    """

    __slots__ = ("code", "message", "path", "severity")

    path: str
    code: str
    message: str
    severity: Severity

    def __init__(self, path: str, code: str, message: str, severity: Severity = "error") -> None:
        if severity not in ("error", "warning"):
            raise ValueError(f"severity must be 'error' or 'warning', not {severity!r}")
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "severity", severity)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Issue is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Issue, (self.path, self.code, self.message, self.severity))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Issue):
            return NotImplemented
        return (self.path, self.code, self.message, self.severity) == (
            other.path,
            other.code,
            other.message,
            other.severity,
        )

    def __hash__(self) -> int:
        return hash((self.path, self.code, self.message, self.severity))

    def __repr__(self) -> str:
        return (
            f"Issue(path={self.path!r}, code={self.code!r}, "
            f"severity={self.severity!r}, message={self.message!r})"
        )

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def _json_safe(value: object, depth: int = 0) -> object:
    """A JSON-safe rendering of a Change's before/after value: short, of exact JSON types,
    read through the built-in types' own methods (never the value's code, never raising)."""
    v: Any = value  # read below only through the methods of its real built-in type
    t = type(v)
    if v is None or t is bool:
        return v
    if issubclass(t, int):
        return int.__int__(v)
    if issubclass(t, float):
        number = float.__float__(v)
        return number if math.isfinite(number) else float.__repr__(number)
    if issubclass(t, str):
        if str.__len__(v) <= 200:
            return str.__str__(v)
        return str.__getitem__(v, slice(0, 200)) + "…"
    if depth < 3 and issubclass(t, (list, tuple)):
        seq: Any = list if issubclass(t, list) else tuple
        if seq.__len__(v) <= 20:
            return [_json_safe(item, depth + 1) for item in seq.__iter__(v)]
    return excerpt(v)


class _Removed:
    """The ``after`` of a Change that removed the value (a ``None`` optional dropped)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<removed>"

    def __reduce__(self) -> str:
        return "REMOVED"

    def __bool__(self) -> bool:
        return False


#: ``Change.after`` when the normaliser removed the value from the wire body.
REMOVED = _Removed()


class Change:
    """One normalisation applied to the input: where, from what, to what, and why.

    ``after`` is :data:`REMOVED` when the value was dropped from the wire body.
    """

    __slots__ = ("after", "before", "path", "reason")

    path: str
    before: object
    after: object
    reason: str

    def __init__(self, path: str, before: object, after: object, reason: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "after", after)
        object.__setattr__(self, "reason", reason)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Change is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Change, (self.path, self.before, self.after, self.reason))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Change):
            return NotImplemented
        return (self.path, self.reason) == (other.path, other.reason) and _same(
            (self.before, self.after), (other.before, other.after)
        )

    def __hash__(self) -> int:
        return hash((self.path, self.reason))

    def __repr__(self) -> str:
        return (
            f"Change(path={self.path!r}, before={excerpt(self.before)}, "
            f"after={excerpt(self.after)}, reason={self.reason!r})"
        )

    @property
    def removed(self) -> bool:
        return self.after is REMOVED

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "before": _json_safe(self.before),
            "after": None if self.removed else _json_safe(self.after),
            "reason": self.reason,
        }
        if self.removed:
            data["removed"] = True
        return data


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:  # pragma: no cover - exotic __eq__
        return a is b


_severity: Callable[[Issue], str] = attrgetter("severity")


class Report:
    """The outcome of one ``check``: every issue at once, the changes, and the wire body.

    ``issues`` are in document order; ``body`` is the wire-ready dict, or
    ``None`` unless ``ok`` (no errors; warnings allowed).
    """

    __slots__ = ("body", "changes", "issues")

    issues: tuple[Issue, ...]
    changes: tuple[Change, ...]
    body: dict[str, Any] | None

    def __init__(
        self,
        issues: Sequence[Issue] = (),
        changes: Sequence[Change] = (),
        body: dict[str, Any] | None = None,
    ) -> None:
        issues = tuple(issues)
        _set_report["issues"](self, issues)
        _set_report["changes"](self, tuple(changes))
        _set_report["body"](self, None if "error" in map(_severity, issues) else body)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Report is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Report, (self.issues, self.changes, self.body))

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not count)."""
        return "error" not in map(_severity, self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return (
            f"<Report ok={self.ok} errors={len(self.errors)} "
            f"warnings={len(self.warnings)} changes={len(self.changes)}>"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "issues": [i.to_dict() for i in self.issues],
            "changes": [c.to_dict() for c in self.changes],
            "body": self.body,
        }

    def to_kombo_error(self) -> dict[str, Any]:
        """The errors as Kombo's own error body (``PLATFORM.INPUT_INVALID``), for proxies."""
        from .kombo_error import to_kombo_error  # a sibling: it builds on Report

        return to_kombo_error(self)

    def raise_for_errors(self) -> dict[str, Any]:
        """The wire body, or :class:`PayloadError` carrying the errors."""
        if self.body is None:
            raise PayloadError(self.errors)
        return self.body


_set_report = {name: vars(Report)[name].__set__ for name in Report.__slots__}
_set_issues, _set_changes, _set_body = (_set_report[n] for n in ("issues", "changes", "body"))
_new_object = object.__new__


def clean_report(body: dict[str, Any]) -> Report:
    """``Report((), (), body)`` for a body with nothing to say (the fast path), built
    through the slots: ``__init__``'s conversions and error scan have nothing to do."""
    report: Report = _new_object(Report)
    _set_issues(report, ())
    _set_changes(report, ())
    _set_body(report, body)
    return report


class PayloadError(ValueError):
    """A payload has errors; ``.issues`` lists them (errors only, document order)."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        first = self.issues[0] if self.issues else None
        head = f"{len(self.issues)} error(s) in payload"
        if first is not None:
            head += f"; first at {first.path or '/'!s}: {first.message}"
        super().__init__(head)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PayloadError, (self.issues,))


class SpecError(ValueError):
    """The OpenAPI document is missing, unparseable or not what we need."""


class ContextError(ValueError):
    """Job questions or attachment restrictions given to ``check`` are malformed."""
