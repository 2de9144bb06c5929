"""Known defects, injected one at a time into a drawn wire body: ``(body, path, code)``.

Each defect is chosen by the node the value was drawn from (its type, role,
required set, attachment shape; with job context, the question an answer
answers and the integration's restrictions) and says where the core reports
it and with which code. Only defects whose consequences stay at their path or
below it are offered: e.g. with restrictions, an attachment's ``type`` is
never touched (the per-type counts would move), and with questions only
answers that no precondition depends on get a bad value.
"""

from __future__ import annotations

import base64
import copy
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ..context import MAX_DEPTH
from ..issues import pointer
from ..limits import mime_accepted
from ..rules.attachment import decoded_size
from .bodies import Gen, Site
from .formats import UNACCEPTED
from .jobs import AnswerInfo, Job
from .model import (
    AnyNode,
    AnyOfNode,
    ArrNode,
    BoolNode,
    ConstNode,
    Model,
    Node,
    NumNode,
    ObjNode,
    RefNode,
    StrNode,
)
from .roles import ROLES, naive
from .sites import at as _get

__all__ = ["Defect", "invalid_cases"]

Path = tuple[str | int, ...]
Apply = Callable[[Any, st.DrawFn], Any]

_URL = "https://files.example.com/cv.pdf"
_UNACCEPTED = UNACCEPTED


@dataclass(frozen=True)
class Defect:
    path: Path
    code: str
    #: mutates the body in place and returns the (possibly new) root
    apply: Apply


def _takes_null(node: Node) -> bool:
    """Whether ``None`` may fit ``node`` (a branch of an anyOf)."""
    if isinstance(node, RefNode):
        return True  # not looked into: a recursive schema's target
    if isinstance(node, ConstNode):
        return None in node.values
    return node.nullable or isinstance(node, (AnyNode, AnyOfNode))


def _setter(path: Path, value: Any) -> Apply:
    def apply(body: Any, draw: st.DrawFn) -> Any:
        if not path:
            return value() if callable(value) else value
        _get(body, path[:-1])[path[-1]] = value() if callable(value) else value
        return body

    return apply


def _deleter(path: Path) -> Apply:
    def apply(body: Any, draw: st.DrawFn) -> Any:
        del _get(body, path[:-1])[path[-1]]
        return body

    return apply


class _Cases:
    """Collects the defects a drawn body offers."""

    def __init__(self, gen: Gen, body: dict[str, Any]) -> None:
        self.gen = gen
        self.body = body
        self.job: Job | None = gen.job
        self.restricted = gen.restrictions is not None
        #: where the operation takes answers and attachments ("" for none: no path starts so)
        self.answers = gen.model.answers_key or ""
        self.uploads = gen.model.uploads_key or ""
        #: the node each path was declared with, and the node its value was drawn from
        self.declared: dict[Path, Node] = {}
        self.drawn: dict[Path, Node] = {}
        for site in gen.sites:
            if not site.in_any_of:
                self.declared.setdefault(site.path, site.node)
            if site.in_any_of or site.path not in self.drawn:
                self.drawn[site.path] = site.node
        self.out: list[Defect] = []

    def add(self, path: Path, code: str, apply: Apply) -> None:
        self.out.append(Defect(path, code, apply))

    def replace(self, path: Path, code: str, value: Any) -> None:
        self.add(path, code, _setter(path, value))

    # ----------------------------------------------------------------- which sites

    def offered(self, site: Site) -> bool:
        path = site.path
        if self.job is not None and path[:1] == (self.answers,):
            # with questions only the values of answers nothing depends on
            if len(path) < 3 or path[2] != "answer":
                return False
            info: AnswerInfo = self.gen.answered[int(path[1])]
            return not info.has_dependents
        if self.restricted and path[:1] == (self.uploads,):
            # counts per type must not move: not the array, nor an attachment's type
            return len(path) > 1 and path[2:3] != ("type",)
        return True

    def keep_shape(self, path: Path) -> bool:
        """Restricted attachments keep their type (and stay objects): counts must not move."""
        return self.restricted and path[:1] == (self.uploads,)

    def sized(self, path: Path) -> bool:
        """Whether a file's size is limited here (by restrictions or a FILE question)."""
        return (self.restricted and path[:1] == (self.uploads,)) or (
            self.job is not None and path[:1] == (self.answers,)
        )

    # ----------------------------------------------------------------- by node

    def site(self, site: Site) -> None:
        path, node = site.path, site.node
        if not self.offered(site):
            return
        if site.in_any_of and not isinstance(node, ObjNode):
            return  # another branch of the anyOf may well take a wrong value
        if isinstance(node, ConstNode) and self._later_branch(path[:-1]):
            return  # a later object branch's discriminator: broken, an earlier one matches
        if path and self._required_here(path):
            self.replace(path, "schema.type", None)
        if isinstance(node, StrNode):
            self.string(path, node)
        elif isinstance(node, NumNode):
            for bad in (math.nan, math.inf, -math.inf):
                self.replace(path, "number.not_finite", bad)
            self.replace(path, "schema.type", True)
            self.replace(path, "schema.type", "12")
            if node.integer:
                self.replace(path, "schema.type", 1.5)
        elif isinstance(node, BoolNode):
            self.replace(path, "schema.type", "true")
            self.replace(path, "schema.type", 1)
        elif isinstance(node, ObjNode):
            self.obj(path, node, shape=not site.in_any_of and not self.keep_shape(path))
        elif isinstance(node, ArrNode):
            self.arr(path, node)
        elif isinstance(node, AnyOfNode):
            self.any_of(path, node)
        elif isinstance(node, AnyNode):
            self.replace(path, "number.not_finite", math.nan)
            self.replace(path, "json.not_json", lambda: {"a", "b"})
            self.replace(path, "json.not_json", naive)
            self.replace(path, "json.not_json", b"bytes")

    def _later_branch(self, path: Path) -> bool:
        """Whether the object at ``path`` was drawn for a union's object branch other than
        its first (the one the best match falls back on)."""
        union = self.declared.get(path)
        return isinstance(union, AnyOfNode) and _first(union, (ObjNode,)) is not self.drawn.get(
            path
        )

    def _required_here(self, path: Path) -> bool:
        """A required, non-nullable property: ``None`` there is a type error (not dropped)."""
        parent = self.drawn.get(path[:-1])
        node = self.declared.get(path)
        if not isinstance(parent, ObjNode) or not isinstance(path[-1], str):
            return False
        return (
            path[-1] in parent.required
            and node is not None
            and not node.nullable
            and not isinstance(node, (AnyNode, AnyOfNode))
        )

    def string(self, path: Path, node: StrNode) -> None:
        self.replace(path, "schema.type", 12345)
        role = ROLES.get(node.role)
        if role is not None:  # a rule's role: broken as the role table says
            role.breaks(self, path, node)
        elif node.max_length is not None:
            self.replace(path, "schema.max_length", "x" * (node.max_length + 1))

    def obj(self, path: Path, node: ObjNode, *, shape: bool) -> None:
        if path and shape:
            self.replace(path, "schema.type", "an object")
            self.replace(path, "schema.type", lambda: [])
        value = _get(self.body, path)
        if not isinstance(value, dict):
            return  # a nullable object drawn as null: only its shape to break
        # in a union, only the first object branch: without a property of a later one,
        # an earlier branch may be the best match and report its own required siblings
        if not self._later_branch(path):
            self.required(path, node, value)
        for key in (1, None, ("k",), 2.5):
            self.add(path, "json.key_not_string", _setter((*path, key), "x"))  # type: ignore[arg-type]
        role = ROLES.get(node.role)
        if role is not None:  # a rule's role (an attachment): broken as the role table says
            role.breaks(self, path, node)
        if node.extra is not None and not node.props:
            self.passthrough(path, value)

    def required(self, path: Path, node: ObjNode, value: dict[str, Any]) -> None:
        for name in sorted(node.required):
            if name in value and not (self.keep_shape(path) and name == "type"):
                self.add((*path, name), "schema.required", _deleter((*path, name)))

    def passthrough(self, path: Path, value: dict[str, Any]) -> None:
        key = next(k for k in ("bad", "bad_", "bad__") if k not in value)
        here = (*path, key)
        self.replace(here, "number.not_finite", math.nan)
        self.replace(here, "json.not_json", lambda: {1, 2})
        self.replace(here, "json.not_json", object)

        def cycle(body: Any, draw: st.DrawFn) -> Any:
            obj = _get(body, path)
            obj[key] = obj
            return body

        self.add(here, "json.cycle", cycle)
        depth = len(here)
        levels = max(1, MAX_DEPTH + 1 - depth)  # the container at depth MAX_DEPTH + 1 is refused

        def deep() -> Any:
            inner: Any = []
            for _ in range(levels):
                inner = [inner]
            return inner

        self.add((*here, *([0] * levels)), "json.too_deep", _setter(here, deep))

    def arr(self, path: Path, node: ArrNode) -> None:
        self.replace(path, "schema.type", lambda: {})
        self.replace(path, "json.not_json", lambda: {"x"})
        value = _get(self.body, path)
        if isinstance(value, list) and isinstance(node.items, ObjNode):  # not a null drawn
            n = len(value)

            def cycle(body: Any, draw: st.DrawFn) -> Any:
                arr = _get(body, path)
                arr.append(arr)
                return body

            self.add((*path, n), "json.cycle", cycle)

    def any_of(self, path: Path, node: AnyOfNode) -> None:
        self.replace(path, "number.not_finite", math.nan)
        self.replace(path, "json.not_json", lambda: {"x"})
        if self.job is not None and path[:1] == (self.answers,):
            # the question's own check runs before the schema engine and reports a value
            # that fits no answer shape in its terms (answer.type, at the answer)
            return
        # each of the rest only where the union's best match reports it (schema_errors):
        # null where no branch takes it, at the union's keyword; a list or an object by
        # the first branch of its type
        if not node.nullable and not any(_takes_null(b) for b in node.branches):
            self.replace(path, f"schema.{_UNION_KEYWORDS[node.keyword]}", None)
        first_list = _first(node, (ArrNode, AnyNode))
        if (
            isinstance(first_list, ArrNode)
            and isinstance(first_list.items, StrNode)
            and not first_list.items.nullable
        ):
            self.add((*path, 1), "schema.type", _setter(path, lambda: ["ok", 5]))
        first_object = _first(node, (ObjNode, AnyNode))
        if isinstance(first_object, ObjNode) and first_object.attachment:
            self.replace(path, "attachment.no_data", lambda: {"name": "cv.pdf"})

    def root(self) -> None:
        self.replace((), "schema.type", lambda: [])
        self.replace((), "schema.type", "a body")
        self.replace((), "json.not_json", lambda: {"candidate"})


#: a value that fits no branch of a union gets the code of the union's keyword (the
#: ``schema.<keyword>`` family: ``schema.any_of``, ``schema.one_of``, ``schema.type``)
_UNION_KEYWORDS = {"anyOf": "any_of", "oneOf": "one_of", "type": "type"}


def _first(node: AnyOfNode, kinds: tuple[type[Node], ...]) -> Node | None:
    """The first branch of one of ``kinds`` (those a value of that JSON type fits)."""
    return next((b for b in node.branches if isinstance(b, kinds)), None)


# --------------------------------------------------------------------------- job context


def _answers(cases: _Cases) -> None:
    """Defects against the questions: one per answer format, required, duplicate."""
    gen = cases.gen
    for i, info in enumerate(gen.answered):
        here: Path = (cases.answers, i)
        q = info.question
        if q.get("required") is True and info.asked is True:
            cases.add((cases.answers,), "answer.required", _deleter(here))
        item = _get(cases.body, here)

        def duplicate(body: Any, draw: st.DrawFn, item: Any = item) -> Any:
            body[cases.answers].append(dict(item))
            return body

        n = len(cases.body[cases.answers])
        cases.add((cases.answers, n, "question_id"), "answer.duplicate", duplicate)
        if not info.has_dependents:
            _answer_value(cases, (*here, "answer"), q, item["answer"])


def _answer_value(cases: _Cases, path: Path, q: dict[str, Any], answer: Any) -> None:
    """The wrong answers its format offers (``formats.DRAWINGS``), each at its place."""
    assert cases.job is not None
    how, checker = cases.job.formats[q["id"]]
    for wrong in how.wrong(checker, answer):
        where, at = (*path, *wrong.part), (*path, *wrong.where)
        cases.add(at, wrong.code, _setter(where, wrong.value))


def _restrictions(cases: _Cases) -> None:
    """Defects against the integration's attachment restrictions."""
    at = cases.uploads
    restrictions = cases.gen.restrictions
    model = cases.gen.model
    arr = model.uploads
    if restrictions is None or arr is None or not isinstance(arr.items, ObjNode):
        return
    body = cases.body
    items: list[dict[str, Any]] = body.get(at) or []
    sizes = [decoded_size(a["data"]) if isinstance(a.get("data"), str) else 0 for a in items]
    total = restrictions.total_size_bytes
    counts: dict[str, int] = {}
    for a in items:
        counts[a["type"]] = counts.get(a["type"], 0) + 1
    from .restricted import count_ranges

    for kind in count_ranges(restrictions, model):
        tr = restrictions.for_type(kind)
        if tr is None:
            continue
        n = len(items)
        if not tr.is_supported:
            extra = {"name": "extra.pdf", "type": kind, "data_url": _URL}
            cases.add(
                (at, n, "type"),
                "attachment.type_unsupported",
                _append(at, extra),
            )
            continue
        have = counts.get(kind, 0)
        at_most = tr.max_amount is not None and have == math.floor(tr.max_amount)
        if at_most and tr.max_file_size_bytes is None:  # a data_url: no size warning
            extra = {"name": "extra.pdf", "type": kind, "data_url": _URL}
            cases.add((at, n), "attachments.too_many", _append(at, extra))
        if tr.min_amount is not None and have == math.ceil(tr.min_amount) and have > 0:
            last = max(i for i, a in enumerate(items) if a["type"] == kind)
            cases.add((at,), "attachments.too_few", _deleter((at, last)))
        for i, a in enumerate(items):
            if a["type"] != kind:
                continue
            here = (at, i)
            accepted = tr.accepted_mime_types
            if accepted is not None and not mime_accepted(_UNACCEPTED, accepted):
                cases.replace((*here, "content_type"), "attachment.mime_type", _UNACCEPTED)
            limit = tr.max_file_size_bytes
            if limit is not None and limit <= 3000 and "data" in a:
                grow = math.floor(limit) + 1
                if total is None or sum(sizes) - sizes[i] + grow <= total:
                    big = base64.b64encode(b"\0" * grow).decode("ascii")
                    cases.replace((*here, "data"), "attachment.too_large", big)
    if total is not None and total <= 3000:
        for i, a in enumerate(items):
            if "data" in a:
                grow = math.floor(total) - (sum(sizes) - sizes[i]) + 1
                big = base64.b64encode(b"\0" * grow).decode("ascii")
                where = (at, i, "data")
                cases.add((at,), "attachments.total_too_large", _setter(where, big))
                break


def _append(where: str, item: dict[str, Any]) -> Apply:
    def apply(body: Any, draw: st.DrawFn) -> Any:
        body.setdefault(where, []).append(dict(item))
        return body

    return apply


@st.composite
def invalid_cases(
    draw: st.DrawFn, model: Model, job: Job | None, restrictions: Any
) -> tuple[dict[str, Any], Any, str, str]:
    """``(valid, invalid, path, code)``; see :func:`kombo_validate.strategies.invalid_bodies`."""
    gen = Gen(draw, model, job=job, restrictions=restrictions)
    _, body = gen.body()
    cases = _Cases(gen, body)
    for site in gen.sites:
        cases.site(site)
    cases.root()
    if job is not None and cases.answers in body:
        _answers(cases)
    if restrictions is not None:
        _restrictions(cases)
    by_code: dict[str, list[Defect]] = {}
    for defect in cases.out:
        by_code.setdefault(defect.code, []).append(defect)
    code = draw(st.sampled_from(sorted(by_code)))
    defect = draw(st.sampled_from(by_code[code]))
    valid = copy.deepcopy(body)
    return valid, defect.apply(body, draw), pointer(defect.path), defect.code
