"""A job's screening questions (``questions()``) and valid answers to them (``answers_for``).

Questions are drawn from ``spec/screening-questions.schema.json`` (the format
types, their properties and enums, the Kombo id pattern), with the semantics
the schema cannot say: option ids unique, ``min <= max``, preconditions that
point at an earlier SINGLE_SELECT, MULTI_SELECT or BOOLEAN question and name
its options (or booleans).

Answers follow the core's rules for each format and the preconditions: a
required question that is asked is answered (not emptily), a question whose
precondition is not met is not answered, an INFORMATION block never.
"""

from __future__ import annotations

import json
import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from ..questions import Questions, schema_path
from ..restrictions import normalise_mime_types
from . import leaves
from .bodies import OMIT, Gen, Int, Site
from .model import Model, ObjNode, StrNode

__all__ = ["AnswerInfo", "Job", "answer_lists", "question_sets"]

_SAFE_INT = 2**53
_TITLES = (
    "Years of experience",
    "Are you willing to relocate?",
    "Preferred office",
    "Which languages do you speak?",
    "Work email",
    "Portfolio",
    "Earliest start date",
    "Upload your certificate",
    "Equal opportunity statement",
)


# --------------------------------------------------------------------------- schema


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = _schema().get("$defs", {})
    return defs


def format_types() -> tuple[str, ...]:
    """``format.type`` values, in the schema's order."""
    fmt = _defs().get("format", {})
    return tuple(fmt.get("properties", {}).get("type", {}).get("enum", ()))


def _variant(kind: str) -> dict[str, Any]:
    """The schema of the format variant whose ``type`` is ``kind`` (``{}`` if none)."""
    for schema in _defs().values():
        if not isinstance(schema, dict):
            continue
        t = schema.get("properties", {}).get("type", {})
        if isinstance(t, dict) and t.get("const") == kind:
            return schema
    return {}


def _enum(schema: Any) -> tuple[Any, ...]:
    return tuple(schema.get("enum", ())) if isinstance(schema, dict) else ()


@lru_cache(maxsize=1)
def _id_alphabet() -> tuple[str, int]:
    """The Kombo id alphabet and length, read from the schema's ``kombo_id``."""
    spec = _defs().get("kombo_id", {})
    size = int(spec.get("minLength", 24))
    ok = leaves.matches(spec.get("pattern"))
    alphabet = "".join(c for c in string.ascii_letters + string.digits if ok(c * size))
    return alphabet or string.ascii_letters, size


def kombo_ids() -> st.SearchStrategy[str]:
    alphabet, size = _id_alphabet()
    return st.text(alphabet, min_size=size, max_size=size)


# --------------------------------------------------------------------------- questions


def _nullable_enum(draw: st.DrawFn, schema: Any) -> Any:
    values = _enum(schema)
    return draw(st.sampled_from(values)) if values else None


def _null_or(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return None if draw(st.integers(0, 3)) == 0 else draw(strategy)


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
        out.append({"id": oid, "remote_id": _null_or(draw, leaves.texts(6)), "name": name})
    return out


@st.composite
def _format(draw: st.DrawFn, kind: str, ids: list[str]) -> dict[str, Any]:
    variant = _variant(kind).get("properties", {})
    fmt: dict[str, Any] = {"type": kind}
    if "display_type" in variant:
        fmt["display_type"] = _nullable_enum(draw, variant["display_type"])
    if kind == "TEXT":
        small = fmt.get("display_type") in ("EMAIL", "URL")
        fmt["max_length"] = _null_or(draw, st.integers(60 if small else 1, 500))
    elif kind == "NUMBER":
        bounds = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2)))
        fmt["min"] = None if draw(st.booleans()) else bounds[0]
        fmt["max"] = None if draw(st.booleans()) else bounds[1]
    elif kind == "FILE":
        mimes = st.lists(
            st.sampled_from((*leaves.REALISTIC_CONTENT_TYPES, "image/*", "*/*")),
            min_size=1,
            max_size=3,
            unique=True,
        )
        fmt["accepted_mime_types"] = _null_or(draw, mimes)
        fmt["max_file_size_bytes"] = _null_or(draw, st.integers(0, 10_000_000))
    elif kind in ("SINGLE_SELECT", "MULTI_SELECT"):
        fmt["options"] = draw(_options(ids))
    elif kind == "UNKNOWN" and "raw_question" in variant:
        fmt["raw_question"] = {"label": draw(leaves.texts(8))}
    return fmt


def _precondition(draw: st.DrawFn, earlier: list[dict[str, Any]]) -> tuple[Any, Any]:
    parents = [
        q
        for q in earlier
        if isinstance(q.get("format"), dict)
        and q["format"].get("type") in ("SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN")
    ]
    if not parents or draw(st.integers(0, 2)) != 0:
        return None, None
    parent = draw(st.sampled_from(parents))
    fmt = parent["format"]
    if fmt["type"] == "BOOLEAN":
        options: list[Any] = draw(st.sampled_from(([True], [False], [True, False])))
    else:
        ids = [o["id"] for o in fmt["options"]]
        options = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
    return parent["id"], options


@st.composite
def question_sets(draw: st.DrawFn, max_questions: int = 6) -> list[dict[str, Any]]:
    """See :func:`kombo_validate.strategies.questions`."""
    kinds = format_types()
    qprops = _defs().get("question", {}).get("properties", {})
    n = draw(st.integers(0, max_questions))
    ids: list[str] = []
    out: list[dict[str, Any]] = []
    for index in range(n):
        qid = draw(kombo_ids().filter(lambda i: i not in ids))
        ids.append(qid)
        kind = draw(st.sampled_from(kinds)) if kinds else None
        fmt = None if kind is None or draw(st.integers(0, 9)) == 0 else draw(_format(kind, ids))
        pre_id, pre_options = _precondition(draw, out)
        out.append(
            {
                "id": qid,
                "remote_id": _null_or(draw, leaves.texts(6)),
                "title": _null_or(draw, st.one_of(st.sampled_from(_TITLES), leaves.texts(20))),
                "description": _null_or(draw, leaves.texts(20)),
                "format": fmt,
                "category": _nullable_enum(draw, qprops.get("category")),
                "index": _null_or(draw, st.just(index)),
                "required": draw(st.sampled_from((False, True, None))),
                "precondition_question_id": pre_id,
                "precondition_options": pre_options,
            }
        )
    return out


# --------------------------------------------------------------------------- answers


def _items(raw: object) -> list[dict[str, Any]]:
    dump = getattr(raw, "model_dump", None)
    if callable(dump) and not isinstance(raw, Mapping):
        raw = dump(mode="json", by_alias=True)
    if isinstance(raw, Questions):
        raise TypeError(
            "pass the raw screening questions (the list GET /ats/jobs returns, or the job), "
            "not a compiled Questions object"
        )
    if isinstance(raw, Mapping):
        raw = raw.get("screening_questions")
    if not isinstance(raw, (list, tuple)):
        raise TypeError("questions must be a job's screening_questions list or the job object")
    items = []
    for item in raw:
        dump = getattr(item, "model_dump", None)
        items.append(dump(mode="json", by_alias=True) if callable(dump) else dict(item))
    return items


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _meets(answer: object, options: list[Any]) -> bool:
    """The core's precondition match: the id, any overlap of ids, or the boolean."""
    if isinstance(answer, list):
        return any(_same(a, o) for a in answer for o in options)
    return any(_same(answer, o) for o in options)


def _kind(q: Mapping[str, Any]) -> str | None:
    fmt = q.get("format")
    kind = fmt.get("type") if isinstance(fmt, Mapping) else None
    return kind if isinstance(kind, str) else None


@dataclass(frozen=True)
class AnswerInfo:
    """What a drawn answer answers: the question, and whether others depend on it."""

    question: dict[str, Any]
    #: the question is asked (True) or cannot be told (None)
    asked: bool | None
    #: another question's precondition names this one
    has_dependents: bool


class Job:
    """Screening questions, validated once, that draw answers for a :class:`Gen`."""

    def __init__(self, raw: object) -> None:
        self.questions = _items(raw)
        Questions(self.questions)  # malformed questions: ContextError, now
        self.by_id = {q["id"]: q for q in self.questions}
        self.parents = {q.get("precondition_question_id") for q in self.questions}
        self.order = self._topological()
        self.needs_answers = any(
            q.get("required") is True and _kind(q) != "INFORMATION" for q in self.questions
        )

    def _topological(self) -> list[dict[str, Any]]:
        done: dict[str, None] = {}

        def visit(q: dict[str, Any]) -> None:
            if q["id"] in done:
                return
            parent = self.by_id.get(q.get("precondition_question_id") or "")
            if parent is not None and parent is not q:
                visit(parent)
            done[q["id"]] = None

        for q in self.questions:
            visit(q)
        return [self.by_id[i] for i in done]

    def _asked(
        self, q: dict[str, Any], asked: dict[str, bool | None], given: dict[str, Any]
    ) -> Any:
        pid = q.get("precondition_question_id")
        if pid is None:
            return True
        options = q.get("precondition_options")
        parent = self.by_id.get(pid)
        if parent is None or not options:
            return None
        if asked[pid] is not True:
            return asked[pid]
        return pid in given and _meets(given[pid], options)

    def draw_answers(self, gen: Gen, path: tuple[str | int, ...]) -> Any:
        """``(raw, wire)`` answers list for ``gen``'s body, or OMIT."""
        draw = gen.draw
        asked: dict[str, bool | None] = {}
        given: dict[str, Any] = {}
        drawn: list[tuple[AnswerInfo, Any, Any, list[Site]]] = []
        for q in self.order:
            state = self._asked(q, asked, given)
            asked[q["id"]] = state
            kind = _kind(q)
            if state is False or kind == "INFORMATION":
                continue
            required = q.get("required") is True and state is True
            checked = kind in _CHECKED
            if not required and (not checked or not gen.flip(2)):
                continue
            mark = len(gen.sites)
            pair = self._answer(gen, q, required, (*path, len(drawn), "answer"))
            if pair is None:
                continue
            sites = gen.sites[mark:]
            del gen.sites[mark:]
            given[q["id"]] = pair[1]
            info = AnswerInfo(q, state, q["id"] in self.parents)
            drawn.append((info, pair[0], pair[1], sites))
        if not drawn and (not self.needs_answers and draw(st.booleans())):
            return OMIT
        order: list[int] = draw(st.permutations(range(len(drawn))))
        raw: list[Any] = []
        wire: list[Any] = []
        depth = len(path)
        for new, old in enumerate(order):
            info, r, w, sites = drawn[old]
            qid = info.question["id"]
            raw.append({"question_id": qid, "answer": r})
            wire.append({"question_id": qid, "answer": w})
            here = (*path, new)
            for site in sites:
                moved = (*here, *site.path[depth + 1 :])
                gen.sites.append(Site(moved, site.node))
            item = gen.model.answers
            item_node = item.items if item is not None else None
            if isinstance(item_node, ObjNode):
                for prop in item_node.props:
                    gen.sites.append(Site((*here, prop.name), prop.node))
                gen.sites.append(Site(here, item_node))
            gen.answered.append(info)
        if gen.model.answers is not None:
            gen.sites.append(Site(path, gen.model.answers))
        if gen.raw and gen.flip(4):
            return tuple(raw), wire
        return raw, wire

    def _answer(
        self, gen: Gen, q: dict[str, Any], required: bool, path: tuple[str | int, ...]
    ) -> tuple[Any, Any] | None:
        draw = gen.draw
        fmt = q.get("format") or {}
        kind = _kind(q)
        if kind == "BOOLEAN":
            value = draw(st.booleans())
            return value, value
        if kind == "NUMBER":
            return _number(gen, fmt.get("min"), fmt.get("max"))
        if kind == "TEXT":
            return _text(gen, fmt.get("max_length"), fmt.get("display_type"), required)
        if kind in ("SINGLE_SELECT", "MULTI_SELECT"):
            return _select(gen, fmt.get("options") or [], kind == "MULTI_SELECT", required)
        if kind == "DATE":
            return _date(gen, gen.model)
        if kind == "FILE":
            node = _file_branch(gen.model)
            if node is None:
                return None
            limit = fmt.get("max_file_size_bytes")
            r, w, _ = gen.attachment(
                node,
                path,
                4,
                accepted=normalise_mime_types(fmt.get("accepted_mime_types")),
                max_bytes=None if limit is None else max(0, math.floor(limit)),
                url_ok=limit is None,
            )
            return r, w
        text = draw(leaves.texts(12, min_size=1))  # UNKNOWN or no format: any answer shape
        return text, text


_CHECKED = frozenset({"TEXT", "NUMBER", "FILE", "SINGLE_SELECT", "BOOLEAN", "DATE", "MULTI_SELECT"})


def _file_branch(model: Model) -> ObjNode | None:
    return next(
        (b for b in model.answer_branches() if isinstance(b, ObjNode) and b.attachment), None
    )


def _date(gen: Gen, model: Model) -> tuple[Any, Any]:
    pattern = next(
        (b.pattern for b in model.answer_branches() if isinstance(b, StrNode) and b.role == "date"),
        None,
    )
    forms = leaves.date_forms(pattern) or ("date",)
    if gen.raw and gen.flip(2):
        pair: tuple[Any, Any] = gen.draw(leaves.dates_raw(forms, strings=False))
        return pair
    wire = gen.draw(leaves.dates_wire(forms))
    return wire, wire


def _number(gen: Gen, lo: float | None, hi: float | None) -> tuple[Any, Any] | None:
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


def _utf16(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def _text(gen: Gen, max_length: int | None, display: Any, required: bool) -> tuple[Any, Any]:
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


def _select(
    gen: Gen, options: list[dict[str, Any]], multi: bool, required: bool
) -> tuple[Any, Any] | None:
    if not options:
        return None
    ids = [o["id"] for o in options]
    folded = [str(o["name"]).casefold() for o in options]

    def raw_of(option: dict[str, Any]) -> Any:
        name = str(option["name"])
        if not gen.raw or folded.count(name.casefold()) != 1 or name in ids or not gen.flip(2):
            return option["id"]
        variant = leaves.case_variant(gen.draw, name)
        return variant if variant.casefold() == name.casefold() else name

    if not multi:
        chosen = gen.draw(st.sampled_from(options))
        return raw_of(chosen), chosen["id"]
    picked = gen.draw(
        st.lists(
            st.sampled_from(range(len(options))),
            min_size=1 if required else 0,
            max_size=len(options),
            unique=True,
        )
    )
    wire = [ids[i] for i in picked]
    raw = [raw_of(options[i]) for i in picked]
    return (tuple(raw) if gen.raw and gen.flip(4) else raw), wire


@st.composite
def answer_lists(draw: st.DrawFn, job: Job, model: Model) -> list[dict[str, Any]]:
    """See :func:`kombo_validate.strategies.answers_for`."""
    gen = Gen(draw, model, job=job)
    arr = model.answers
    if arr is None:
        return []
    assert model.answers_key is not None  # model.answers is not None
    pair = job.draw_answers(gen, (model.answers_key,))
    return [] if pair is OMIT else list(pair[1])
