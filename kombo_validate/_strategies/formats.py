"""How the strategies draw and break each question format: :data:`DRAWINGS`.

Keyed by the names of :data:`kombo_validate.answer_formats.FORMATS` (a test
holds the two tables to the same keys): for each format type, how to draw its
own ``format`` properties, a valid answer to a question of it (from the
compiled checker, which knows the question's limits), and the wrong answers a
defect can put in its place, each with the issue code the core reports.

The core declares what these need (its checker's ``answered``, ``checked``,
``choices()``); the drawing stays here, above it (the layers forbid the core
from naming it, even lazily).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ..answer_formats import File, Number, Select, Text
from ..limits import mime_accepted
from . import leaves
from .bodies import Gen, Int
from .job_schema import kombo_ids, null_or, nullable_enum, variant_of
from .model import Model, ObjNode, StrNode

__all__ = [
    "DRAWINGS",
    "NO_FORMAT",
    "UNACCEPTED",
    "Drawing",
    "Wrong",
    "drawing",
    "format_of",
]

Path = tuple[str | int, ...]

#: a MIME type no accepted list names (unless it accepts everything)
UNACCEPTED = "application/x-not-accepted"
_SAFE_INT = 2**53


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Wrong:
    """A wrong answer, and the issue code the core reports for it."""

    code: str
    #: what replaces the answer (or its ``part``)
    value: Any
    #: where under the answer ``value`` goes (``("data",)`` for a FILE's data)
    part: Path = ()
    #: where under the answer the issue is reported, when not at ``part``
    at: Path | None = None

    @property
    def where(self) -> Path:
        return self.part if self.at is None else self.at


#: ``props(draw, variant, fmt, ids)``: fills in the ``format`` object ``fmt`` (its
#: ``type`` and ``display_type`` are drawn already); ``variant`` is the schema's
#: properties of the type, ``ids`` the option ids drawn so far (each new one is added)
Props = Callable[[st.DrawFn, dict[str, Any], dict[str, Any], list[str]], None]
#: ``answer(gen, checker, required, path)``: a valid ``(raw, wire)`` answer (not empty
#: when ``required``), or None when the question admits none that can be drawn
Answer = Callable[[Gen, Any, bool, Path], "tuple[Any, Any] | None"]
#: ``wrong(checker, answer)``: the wrong answers offered in place of the wire ``answer``
Breaks = Callable[[Any, Any], "list[Wrong]"]


@dataclass(frozen=True)
class Drawing:
    """How one format type is drawn and broken."""

    props: Props
    answer: Answer
    wrong: Breaks


@st.composite
def format_of(draw: st.DrawFn, kind: str, ids: list[str]) -> dict[str, Any]:
    """A ``format`` object of type ``kind``, its properties from the schema's variant."""
    variant = variant_of(kind).get("properties", {})
    fmt: dict[str, Any] = {"type": kind}
    if "display_type" in variant:
        fmt["display_type"] = nullable_enum(draw, variant["display_type"])
    DRAWINGS[kind].props(draw, variant, fmt, ids)
    return fmt


def _no_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    pass


def _nothing_wrong(checker: Any, answer: Any) -> list[Wrong]:
    return []  # any answer is taken (with a warning at most): nothing to break


# --------------------------------------------------------------------------- TEXT


def _text_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    small = fmt.get("display_type") in ("EMAIL", "URL")
    fmt["max_length"] = null_or(draw, st.integers(60 if small else 1, 500))


def _utf16(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def _text(gen: Gen, fmt: Text, required: bool, path: Path) -> tuple[Any, Any]:
    max_length, display = fmt.max_length, fmt.display_type

    def fits(v: str) -> bool:
        return max_length is None or _utf16(v) <= max_length

    strategy: st.SearchStrategy[str]
    if display == "EMAIL":
        strategy = leaves.emails()
    elif display == "URL":
        strategy = leaves.http_urls()
    else:
        top = 20 if max_length is None else min(20, max_length)
        strategy = st.text(min_size=1 if required else 0, max_size=max(top, 1 if required else 0))
        if required:
            strategy = strategy.filter(lambda v: not v.isspace())
    wire = gen.draw(strategy.filter(fits))
    raw: Any = leaves.Text(wire) if gen.raw and gen.flip(4) else wire
    return raw, wire


def _text_wrong(fmt: Text, answer: Any) -> list[Wrong]:
    out = [Wrong("answer.type", 12345)]
    limit = fmt.max_length
    if isinstance(limit, int) and limit <= 1000:
        out.append(Wrong("answer.too_long", "x" * (limit + 1)))
    if fmt.display_type == "EMAIL":
        out.append(Wrong("answer.email", "not an email"))
    if fmt.display_type == "URL":
        out.append(Wrong("answer.url", "not a url"))
    return out


# --------------------------------------------------------------------------- NUMBER


def _number_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    bounds = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2)))
    fmt["min"] = None if draw(st.booleans()) else bounds[0]
    fmt["max"] = None if draw(st.booleans()) else bounds[1]


def _number(gen: Gen, fmt: Number, required: bool, path: Path) -> tuple[Any, Any] | None:
    lo, hi = fmt.min, fmt.max
    if lo is not None and hi is not None and lo > hi:
        return None
    ilo = -_SAFE_INT if lo is None else max(-_SAFE_INT, math.ceil(lo))
    ihi = _SAFE_INT if hi is None else min(_SAFE_INT, math.floor(hi))
    parts: list[st.SearchStrategy[Any]] = [
        st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
    ]
    if ilo <= ihi:
        parts.insert(0, st.integers(ilo, ihi))
    value = gen.draw(st.one_of(parts))
    if gen.raw and type(value) is int and gen.flip(6):
        return Int(value), value
    return value, value


def _number_wrong(fmt: Number, answer: Any) -> list[Wrong]:
    out = [Wrong("answer.type", "5"), Wrong("answer.type", True)]
    lo, hi = fmt.min, fmt.max
    if lo is not None and math.isfinite(lo - max(1, abs(lo))):
        out.append(Wrong("answer.out_of_range", lo - max(1, abs(lo))))
    if hi is not None and math.isfinite(hi + max(1, abs(hi))):
        out.append(Wrong("answer.out_of_range", hi + max(1, abs(hi))))
    return out


# --------------------------------------------------------------------------- FILE


def _file_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    mimes = st.lists(
        st.sampled_from((*leaves.REALISTIC_CONTENT_TYPES, "image/*", "*/*")),
        min_size=1,
        max_size=3,
        unique=True,
    )
    fmt["accepted_mime_types"] = null_or(draw, mimes)
    fmt["max_file_size_bytes"] = null_or(draw, st.integers(0, 10_000_000))


def _file_branch(model: Model) -> ObjNode | None:
    return next(
        (b for b in model.answer_branches() if isinstance(b, ObjNode) and b.attachment), None
    )


def _file(gen: Gen, fmt: File, required: bool, path: Path) -> tuple[Any, Any] | None:
    node = _file_branch(gen.model)
    if node is None:
        return None
    limit = fmt.max_file_size_bytes
    r, w, _ = gen.attachment(
        node,
        path,
        4,
        accepted=fmt.accepted_mime_types,
        max_bytes=None if limit is None else max(0, math.floor(limit)),
        url_ok=limit is None,
    )
    return r, w


def _file_wrong(fmt: File, answer: Any) -> list[Wrong]:
    if not isinstance(answer, dict):
        return []
    out = [Wrong("answer.type", "cv.pdf")]
    accepted = fmt.accepted_mime_types
    if accepted is not None and not mime_accepted(UNACCEPTED, accepted):
        out.append(Wrong("answer.mime_type", UNACCEPTED, ("content_type",)))
    limit = fmt.max_file_size_bytes
    if isinstance(limit, int) and limit <= 3000 and "data" in answer:
        big = base64.b64encode(b"\0" * (limit + 1)).decode("ascii")
        out.append(Wrong("answer.file_too_large", big, ("data",)))
    return out


# --------------------------------------------------------------------------- SELECT


@st.composite
def _options(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 4))
    names = draw(
        st.lists(
            st.one_of(
                st.sampled_from(("Berlin", "Munich", "Remote", "Yes", "No")), leaves.texts(8)
            ),
            min_size=n,
            max_size=n,
            unique_by=str.casefold,
        ).filter(lambda ns: all(ns))
    )
    out = []
    for name in names:
        oid = draw(kombo_ids().filter(lambda i: i not in ids and i not in names))
        ids.append(oid)
        out.append({"id": oid, "remote_id": null_or(draw, leaves.texts(6)), "name": name})
    return out


def _select_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    fmt["options"] = draw(_options(ids))


def _select(gen: Gen, fmt: Select, required: bool, path: Path) -> tuple[Any, Any] | None:
    options = fmt.options
    if not options:
        return None
    ids = [o.id for o in options]
    folded = [o.name.casefold() for o in options]

    def raw_of(i: int) -> Any:
        name = options[i].name
        if not gen.raw or folded.count(name.casefold()) != 1 or name in ids or not gen.flip(2):
            return ids[i]
        variant = leaves.case_variant(gen.draw, name)
        return variant if variant.casefold() == name.casefold() else name

    if not fmt.multi:
        chosen = gen.draw(st.sampled_from(range(len(options))))
        return raw_of(chosen), ids[chosen]
    picked = gen.draw(
        st.lists(
            st.sampled_from(range(len(options))),
            min_size=1 if required else 0,
            max_size=len(options),
            unique=True,
        )
    )
    wire = [ids[i] for i in picked]
    raw = [raw_of(i) for i in picked]
    return (tuple(raw) if gen.raw and gen.flip(4) else raw), wire


def _select_wrong(fmt: Select, answer: Any) -> list[Wrong]:
    names = {o.name.casefold() for o in fmt.options}
    bogus = next(b for b in ("no such option", "none of these", "?!") if b.casefold() not in names)
    if not fmt.multi:
        return [Wrong("answer.unknown_option", bogus), Wrong("answer.type", True)]
    n = len(answer)
    out = [
        Wrong("answer.type", "an option"),
        Wrong("answer.unknown_option", [*answer, bogus], at=(n,)),
    ]
    if answer:
        out.append(Wrong("answer.duplicate_option", [*answer, answer[0]], at=(n,)))
    return out


# --------------------------------------------------------------------------- BOOLEAN, DATE


def _boolean(gen: Gen, fmt: Any, required: bool, path: Path) -> tuple[Any, Any]:
    value = gen.draw(st.booleans())
    return value, value


def _boolean_wrong(fmt: Any, answer: Any) -> list[Wrong]:
    return [Wrong("answer.type", "yes"), Wrong("answer.type", 1)]


def _date(gen: Gen, fmt: Any, required: bool, path: Path) -> tuple[Any, Any]:
    pattern = next(
        (
            b.pattern
            for b in gen.model.answer_branches()
            if isinstance(b, StrNode) and b.role == "date"
        ),
        None,
    )
    forms = leaves.date_forms(pattern) or ("date",)
    if gen.raw and gen.flip(2):
        pair: tuple[Any, Any] = gen.draw(leaves.dates_raw(forms, strings=False))
        return pair
    wire = gen.draw(leaves.dates_wire(forms))
    return wire, wire


def _date_wrong(fmt: Any, answer: Any) -> list[Wrong]:
    return [
        Wrong("answer.date", "2021-02-30"),
        Wrong("answer.date", "next monday"),
        Wrong("answer.type", 20210101),
    ]


# --------------------------------------------------------------------------- unchecked


def _never(gen: Gen, fmt: Any, required: bool, path: Path) -> None:
    return None  # INFORMATION: never answered (its checker says so: ``answered``)


def _unknown_props(
    draw: st.DrawFn, variant: dict[str, Any], fmt: dict[str, Any], ids: list[str]
) -> None:
    if "raw_question" in variant:
        fmt["raw_question"] = {"label": draw(leaves.texts(8))}


def _any_text(gen: Gen, fmt: Any, required: bool, path: Path) -> tuple[Any, Any]:
    # UNKNOWN or no format: any answer shape, but not blank (that is answer.empty)
    text = gen.draw(leaves.texts(12, min_size=1).filter(lambda t: not t.isspace()))
    return text, text


#: a question whose ``format`` is null: answered as UNKNOWN is
NO_FORMAT = Drawing(_no_props, _any_text, _nothing_wrong)

#: one entry per name of ``answer_formats.FORMATS``
DRAWINGS: dict[str, Drawing] = {
    "TEXT": Drawing(_text_props, _text, _text_wrong),
    "NUMBER": Drawing(_number_props, _number, _number_wrong),
    "FILE": Drawing(_file_props, _file, _file_wrong),
    "SINGLE_SELECT": Drawing(_select_props, _select, _select_wrong),
    "BOOLEAN": Drawing(_no_props, _boolean, _boolean_wrong),
    "DATE": Drawing(_no_props, _date, _date_wrong),
    "MULTI_SELECT": Drawing(_select_props, _select, _select_wrong),
    "INFORMATION": Drawing(_no_props, _never, _nothing_wrong),
    "UNKNOWN": Drawing(_unknown_props, _any_text, _nothing_wrong),
}


def drawing(kind: str | None) -> Drawing:
    """The drawing of format type ``kind`` (None: a question without a format)."""
    return NO_FORMAT if kind is None else DRAWINGS[kind]
