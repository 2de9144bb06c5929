"""The per-call collector that rules and the normaliser report into.

One ``Ctx`` is made for each ``check`` call and thrown away after it, so a
Validator holds no mutable state and can be shared between threads.
Paths are tuples of keys and indexes into the *input*; they become JSON
Pointers only when an issue or change is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from .issues import Change, Issue

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .issues import Severity


#: Deepest nesting accepted, root = 0. Deeper values are ``json.too_deep``.
MAX_DEPTH = 64

#: Most objects and arrays walked in free-form data (passthrough objects, unknown keys)
#: per body; past it the walk reports ``json.too_large`` once and stops there.
MAX_CONTAINERS = 100_000

#: Most unknown keys per body that get a "did you mean" (difflib costs ~50 µs a key, and
#: a body with more unknown keys than this is not a typo away from right).
MAX_HINTS = 100

__all__ = [
    "MAX_CONTAINERS",
    "MAX_DEPTH",
    "MAX_HINTS",
    "Ctx",
    "ErrorTree",
    "IssueBuffer",
    "Path",
    "fast_pointer",
]

Path = tuple[str | int, ...]


#: the types of the path parts that one ``join`` writes (``str(int)`` is its digits)
_JOINED = frozenset({str, int})


def fast_pointer(path: Path) -> str:
    """:func:`~kombo_validate.issues.pointer`, the same string, without a generator."""
    if path and _JOINED.issuperset(map(type, path)):
        out = "/" + "/".join(map(str, path))
        if "~" not in out and out.count("/") == len(path):  # no part to escape
            return out
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += "/" + str(segment)
        elif "~" in segment or "/" in segment:
            out += "/" + segment.replace("~", "~0").replace("/", "~1")
        else:
            out += "/" + segment
    return out


pointer = fast_pointer
_new = object.__new__
# an Issue built through its slots: the checks of Issue.__init__ hold by construction
_slots = vars(Issue)
_set_path: Callable[[Issue, str], None] = _slots["path"].__set__
_set_code: Callable[[Issue, str], None] = _slots["code"].__set__
_set_message: Callable[[Issue, str], None] = _slots["message"].__set__
_set_severity: Callable[[Issue, str], None] = _slots["severity"].__set__


def _issue(ptr: str, code: str, message: str, severity: Severity) -> Issue:
    issue: Issue = _new(Issue)
    _set_path(issue, ptr)
    _set_code(issue, code)
    _set_message(issue, message)
    _set_severity(issue, severity)
    return issue


class Ctx:
    """Collects issues and changes during one walk over a body."""

    __slots__ = (
        "active",
        "budget",
        "changes",
        "error_paths",
        "hints",
        "issues",
        "paths",
        "totals",
    )

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        #: the path tuple of each issue, for sorting into document order
        self.paths: list[Path] = []
        #: running totals that rules keep over one body, by a name of the rule's own
        #: (the attachment rule's decoded bytes, for the size warning); a walk that keeps
        #: a sub-walk's results adds its totals (see :meth:`merge`)
        self.totals: dict[str, int] = {}
        self.changes: list[Change] = []
        #: pointers at which a rule reported an error: schema errors at (or
        #: below) these are dropped, the rule's message being the precise one
        self.error_paths: set[str] = set()
        #: ids of the containers on the current walk stack (cycle detection)
        self.active: set[int] = set()
        #: free-form containers that may still be walked
        self.budget = MAX_CONTAINERS
        #: unknown keys that may still get a suggestion
        self.hints = MAX_HINTS

    def issue(self, path: Path, code: str, message: str, severity: Severity) -> None:
        if severity not in ("error", "warning"):
            raise ValueError(f"severity must be 'error' or 'warning', not {severity!r}")
        ptr = pointer(path)
        self.issues.append(_issue(ptr, code, message, severity))
        self.paths.append(path)
        if severity == "error":
            self.error_paths.add(ptr)

    def error(self, path: Path, code: str, message: str) -> None:
        ptr = pointer(path)
        self.issues.append(_issue(ptr, code, message, "error"))
        self.paths.append(path)
        self.error_paths.add(ptr)

    def warning(self, path: Path, code: str, message: str) -> None:
        ptr = pointer(path)
        self.issues.append(_issue(ptr, code, message, "warning"))
        self.paths.append(path)

    def change(self, path: Path, before: object, after: object, reason: str) -> None:
        self.changes.append(Change(pointer(path), before, after, reason))

    def tally(self, name: str, amount: int) -> None:
        """Add ``amount`` to the running total ``name`` (see :attr:`totals`)."""
        self.totals[name] = self.totals.get(name, 0) + amount

    def merge(self, sub: Ctx) -> None:
        """Keep what ``sub``, a trial walk's collector, recorded: its issues, changes
        and totals added to this one's; its budgets (what it used of this one's) taken."""
        self.issues.extend(sub.issues)
        self.paths.extend(sub.paths)
        self.changes.extend(sub.changes)
        self.error_paths |= sub.error_paths
        for name, amount in sub.totals.items():
            self.tally(name, amount)
        self.budget = sub.budget
        self.hints = sub.hints

    @property
    def has_errors(self) -> bool:
        return bool(self.error_paths)

    def error_tree(self) -> ErrorTree:
        """Where the errors recorded so far are, as an :class:`ErrorTree`."""
        tree = ErrorTree()
        for issue, path in zip(self.issues, self.paths, strict=True):
            if issue.severity == "error":
                tree.add(path)
        return tree


class ErrorTree:
    """The paths of errors as a tree of their parts: whether an error is at or below a
    path costs that path's length, however many errors there are (testing each
    recorded pointer as a prefix cost one comparison per error, per question)."""

    __slots__ = ("_any", "_root")

    def __init__(self) -> None:
        self._root: dict[str | int, dict[str | int, Any]] = {}
        self._any = False

    def add(self, path: Path) -> None:
        self._any = True
        node = self._root
        for part in path:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            node = child

    def covers(self, path: Path) -> bool:
        """Whether an error was added at ``path`` or below it."""
        if not self._any:
            return False
        node: dict[str | int, Any] | None = self._root
        for part in path:
            node = node.get(part)  # type: ignore[union-attr]
            if node is None:
                return False
        return True


class IssueBuffer:
    """Issues held back so that they reach a :class:`Ctx` in document order."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[Path, str, str, Severity]] = []

    def error(self, path: Path, code: str, message: str) -> None:
        self.items.append((path, code, message, "error"))

    def warning(self, path: Path, code: str, message: str) -> None:
        self.items.append((path, code, message, "warning"))

    def flush(self, ctx: Ctx) -> None:
        items = self.items
        items.reverse()
        while items:  # each entry freed as its Issue is made: not all held twice at once
            path, code, message, severity = items.pop()
            ctx.issue(path, code, message, severity)
