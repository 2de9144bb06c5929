"""How each screening question's format checks an answer (``questions`` compiles them).

One frozen checker per ``format.type`` of the spec: ``fine`` says an answer is
plainly right and stays as it is (most answers, no call beyond it), ``strict``
says the same as a JSON Schema (``answers_fast`` proves whole answer lists with
it), and ``check`` reports into a :class:`Run` and returns the answer to send
(an option name becomes its id, say).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .context import Ctx, Path
from .issues import excerpt, listing, type_name
from .restrictions import IssueBuffer, decoded_size, mime_accepted, normalise_mime_types
from .rules.emails import EMAIL_CHANGE, EMAIL_STRICT, email_plain, normalised_email
from .rules.numbers import DOUBLE_MAX, number_within
from .rules.uris import URI_STRICT, is_http_url, uri_plain

if TYPE_CHECKING:
    from .questions import _Question

__all__ = [
    "LISTED_OPTIONS",
    "Boolean",
    "Date",
    "DateCheck",
    "DateWire",
    "File",
    "Format",
    "Information",
    "Number",
    "Option",
    "Run",
    "Select",
    "Text",
    "Unchecked",
    "compile_format",
    "kind_of",
    "number_text",
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

# --------------------------------------------------------------------------- predicates


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


def _count(limit: float) -> int:
    """A length limit as the whole number a JSON Schema takes (the spec's "integer" lets
    10.0 through), capped where jsonschema-rs's integers end (no string is longer)."""
    return min(math.floor(limit), sys.maxsize)


def number_text(value: float) -> str:
    # bounded: an int limit of 10**300 is shown as the double Kombo reads, not 301 digits
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


# --------------------------------------------------------------------------- formats


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
    """

    #: whether an answer this format takes can be empty (a string or a list)
    can_be_empty = False

    def fine(self, value: object) -> bool:
        return False

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        """``fine`` as a JSON Schema for jsonschema-rs, formats asserted (False: none).

        For ``Questions.proves``; ``date`` is the Validator's strict date schema.
        """
        return False

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.strip("_").upper()


@dataclass(frozen=True)
class Text(Format):
    max_length: int | None = None
    display_type: str | None = None
    can_be_empty = True

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
            limit = _count(self.max_length)
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

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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

    def __post_init__(self) -> None:
        by_name: dict[str, dict[str, None]] = {}
        for o in self.options:
            by_name.setdefault(o.name.casefold(), {})[o.id] = None
        object.__setattr__(self, "_ids", frozenset(o.id for o in self.options))
        object.__setattr__(self, "_by_name", {k: tuple(v) for k, v in by_name.items()})

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

    def _listing(self) -> str:
        """The first options' names (the same few, whatever the number of options)."""
        names = [excerpt(o.name) for o in self.options[:LISTED_OPTIONS]]
        shown = ", ".join(names)
        return shown + (", …" if len(self.options) > LISTED_OPTIONS else "") if names else "none"

    def _resolve(self, q: _Question, value: str, p: Path, run: Run) -> str | None:
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

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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


@dataclass(frozen=True)
class Boolean(Format):
    def fine(self, value: object) -> bool:
        return type(value) is bool

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        return {"type": "boolean"}

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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

    def strict(self, date: dict[str, Any] | bool) -> dict[str, Any] | bool:
        return date

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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


@dataclass(frozen=True)
class File(Format):
    #: normalised (lowercase, no parameters); None = any type
    accepted_mime_types: tuple[str, ...] | None = None
    max_file_size_bytes: int | None = None
    _exact: frozenset[str] = field(init=False, repr=False, compare=False)

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
            if (
                isinstance(content_type, str)
                and content_type not in self._exact  # already in normalised form
                and not mime_accepted(content_type, accepted)
            ):
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
            limit = _count(self.max_file_size_bytes)
            # decodes to at most ``limit`` (no file at all is that small when it is negative)
            props["data"] = {"maxLength": limit // 3 * 4} if limit >= 0 else {"not": {}}
            props["data_url"] = {"not": {"type": "string"}}  # a size nobody knows
        return {"type": "object", "properties": props}

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
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
        if (
            self.accepted_mime_types is not None
            and isinstance(content_type, str)
            and not mime_accepted(content_type, self.accepted_mime_types)
        ):
            run.error(
                (*p, "content_type"),
                "answer.mime_type",
                f"Answer to {q.label}: {excerpt(content_type)} is not an accepted file type "
                f"({listing(self.accepted_mime_types)}).",
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


@dataclass(frozen=True)
class Information(Format):
    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
        run.warning(
            p,
            "answer.not_expected",
            f"{q.label} is an information text, not a question; the answer is not submitted.",
        )
        return value


@dataclass(frozen=True)
class Unchecked(Format):
    kind: str | None = None  # "UNKNOWN", or None for a null format

    def describe(self) -> str:
        return self.kind or "NO-FORMAT"

    def check(self, q: _Question, value: object, p: Path, run: Run) -> object:
        what = "an UNKNOWN format" if self.kind else "no format"
        run.warning(
            p,
            "answer.unchecked",
            f"{q.label} has {what} in Kombo's data, so its answer cannot be checked "
            "before submission.",
        )
        return value


def compile_format(raw: object) -> Format:
    if not isinstance(raw, Mapping):
        return Unchecked(None)
    kind = raw["type"]
    if kind == "TEXT":
        return Text(raw.get("max_length"), raw.get("display_type"))
    if kind in ("SINGLE_SELECT", "MULTI_SELECT"):
        options = tuple(Option(o["id"], o["name"]) for o in raw["options"])
        return Select(options, kind == "MULTI_SELECT")
    if kind == "BOOLEAN":
        return Boolean()
    if kind == "NUMBER":
        return Number(raw.get("min"), raw.get("max"))
    if kind == "DATE":
        return Date()
    if kind == "FILE":
        return File(
            normalise_mime_types(raw.get("accepted_mime_types")), raw.get("max_file_size_bytes")
        )
    if kind == "INFORMATION":
        return Information()
    return Unchecked("UNKNOWN")
