"""Drawing bodies from the model: the wire form, or a raw form paired with its wire form.

One :class:`Gen` draws one body. Every value is drawn as a ``(raw, wire)``
pair: in wire mode the two are the same object; in raw mode the raw side takes
the forms users pass (case variants, ``date`` objects, bytes, tuples, ``None``
optionals, ...) and the wire side is exactly what the normaliser must make of
it. Each wire value's path and node are recorded as a :class:`Site`, for the
defects of :mod:`.defects`.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..patterns import to_python_regex
from . import leaves
from .attachment import draw_attachment
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
from .roles import ROLES, textify
from .sites import DEFAULT_MAX_BYTES, Path, Site

if TYPE_CHECKING:
    from ..restrictions import Restrictions
    from .jobs import Job

__all__ = ["DEFAULT_MAX_BYTES", "OMIT", "Gen", "Int", "Site", "json_data"]

#: integers drawn for number fields stay exact in a double (and in JavaScript)
_SAFE_INT = 2**53
#: a hook's answer meaning "leave this property out"
OMIT: Any = object()


class Int(int):
    """An ``int`` subclass, as users pass them (``IntEnum`` members, numpy-like scalars)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Int({int.__repr__(self)})"


_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-_SAFE_INT, _SAFE_INT),
    st.floats(allow_nan=False, allow_infinity=False),
    leaves.texts(8),
)


def json_data(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Small JSON data (finite numbers, string keys): a passthrough object's contents."""
    return st.recursive(
        _JSON_LEAF,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(leaves.texts(6), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def _cap_optional(depth: int) -> int:
    return 1_000 if depth == 0 else 8 if depth == 1 else 2 if depth <= 3 else 1


def _cap_items(depth: int) -> int:
    return 3 if depth <= 1 else 2


#: a recursive schema is followed this many times deep on one path; below that, a body
#: is closed: only what the schema requires, and branches that do not recurse
MAX_REFS = 3


@lru_cache(maxsize=1024)
def closes(node: Node) -> bool:
    """Whether ``node`` is drawn without following a recursive schema when only what it
    requires is drawn (required properties, the fewest items, no extra keys)."""
    if isinstance(node, RefNode):
        return False
    if isinstance(node, ObjNode):
        return all(closes(p.node) for p in node.props if p.name in node.required)
    if isinstance(node, ArrNode):
        return node.min_items == 0 or closes(node.items)
    if isinstance(node, AnyOfNode):
        return any(closes(b) for b in node.branches)
    return True


class Gen:
    """Draws one body (see the module docstring)."""

    def __init__(
        self,
        draw: st.DrawFn,
        model: Model,
        *,
        raw: bool = False,
        job: Job | None = None,
        restrictions: Restrictions | None = None,
    ) -> None:
        self.draw = draw
        self.model = model
        self.raw = raw
        self.job = job
        self.restrictions = restrictions
        self.sites: list[Site] = []
        #: with a job: the question each wire answer (by index) answers
        self.answered: list[Any] = []
        #: recursive schemas followed on the current path; past MAX_REFS the body closes
        self.refs = 0
        self.closing = False

    def flip(self, one_in: int = 2) -> bool:
        """True with probability about ``1/one_in`` (shrinks to False)."""
        return bool(self.draw(st.integers(0, one_in - 1)) == one_in - 1)

    # ------------------------------------------------------------------ dispatch

    def body(self) -> tuple[Any, dict[str, Any]]:
        raw, wire = self.obj(self.model.root, (), 0)
        self.sites.append(Site((), self.model.root))
        return raw, wire

    def value(
        self, node: Node, path: Path, depth: int, *, in_any_of: bool = False
    ) -> tuple[Any, Any]:
        if isinstance(node, RefNode):
            return self.ref(node, path, depth, in_any_of)
        if node.nullable and not isinstance(node, (AnyNode, ConstNode)) and self.flip(8):
            pair: tuple[Any, Any] = (None, None)
        elif isinstance(node, ObjNode):
            pair = self.obj(node, path, depth)
        elif isinstance(node, ArrNode):
            pair = self.arr(node, path, depth)
        elif isinstance(node, StrNode):
            pair = self.string(node, path, depth, in_any_of=in_any_of)
        elif isinstance(node, NumNode):
            pair = self.number(node)
        elif isinstance(node, BoolNode):
            value = self.draw(st.booleans())
            pair = (value, value)
        elif isinstance(node, ConstNode):
            value = self.draw(st.sampled_from(node.values))
            pair = (value, value)
        elif isinstance(node, AnyOfNode):
            branches = node.branches
            if self.closing:
                branches = tuple(b for b in branches if closes(b)) or branches
            branch = self.draw(st.sampled_from(branches))
            pair = self.value(branch, path, depth, in_any_of=True)
            if not in_any_of:
                self.sites.append(Site(path, node))
            return pair
        else:
            pair = self.passthrough(depth)
        self.sites.append(Site(path, node, in_any_of))
        return pair

    def ref(self, node: RefNode, path: Path, depth: int, in_any_of: bool) -> tuple[Any, Any]:
        """A recursive schema's value: followed up to :data:`MAX_REFS` deep, then closed."""
        if self.closing:
            return self.value(node.target, path, depth, in_any_of=in_any_of)
        if self.refs >= MAX_REFS:
            self.closing = True
            try:
                return self.value(node.target, path, depth, in_any_of=in_any_of)
            finally:
                self.closing = False
        self.refs += 1
        try:
            return self.value(node.target, path, depth, in_any_of=in_any_of)
        finally:
            self.refs -= 1

    # ------------------------------------------------------------------ containers

    def obj(self, node: ObjNode, path: Path, depth: int) -> tuple[Any, dict[str, Any]]:
        role = ROLES.get(node.role)
        if role is not None:  # a rule's role (an attachment): drawn as the role table says
            return role.draw(self, node, path, depth, False)
        return self.fields(node, path, depth)

    def fields(self, node: ObjNode, path: Path, depth: int) -> tuple[Any, dict[str, Any]]:
        """An object of ``node``'s properties, by the schema alone (no object rule's role)."""
        optional = [p for p in node.props if p.name not in node.required]
        chosen: set[str] = set()
        if optional:
            picked = self.draw(
                st.lists(
                    st.sampled_from([p.name for p in optional]),
                    unique=True,
                    max_size=0 if self.closing else min(len(optional), _cap_optional(depth)),
                )
            )
            chosen = set(picked)
        raw: dict[str, Any] = {}
        wire: dict[str, Any] = {}
        for prop in node.props:
            here = (*path, prop.name)
            if prop.name in node.required or prop.name in chosen:
                hook = self._hook(path, prop.name, prop.node, depth)
                if hook is None:
                    raw[prop.name], wire[prop.name] = self.value(prop.node, here, depth + 1)
                elif hook is not OMIT:
                    raw[prop.name], wire[prop.name] = hook
            elif path == () and self._hook_forced(prop.name):
                hook = self._hook(path, prop.name, prop.node, depth)
                if hook is not None and hook is not OMIT:
                    raw[prop.name], wire[prop.name] = hook
            elif self.raw and prop.droppable and self.flip(6):
                raw[prop.name] = None
        if node.extra is not None and not node.props:
            extra_raw, extra_wire = self.passthrough_entries(node.extra, path, depth)
            raw.update(extra_raw)
            wire.update(extra_wire)
        if self.raw and self.flip(8):
            return OrderedDict(raw), wire
        return raw, wire

    def _hook_forced(self, name: str) -> bool:
        """Top-level properties the job context makes necessary."""
        if name == self.model.answers_key and self.job is not None:
            return self.job.needs_answers
        if name == self.model.uploads_key and self.restrictions is not None:
            return _needs_uploads(self.restrictions, self.model)
        return False

    def _hook(self, path: Path, name: str, node: Node, depth: int) -> Any:
        """Job-context generation for top-level answers/attachments, else None."""
        if path != ():
            return None
        if name == self.model.answers_key and self.job is not None and isinstance(node, ArrNode):
            return self.job.draw_answers(self, (name,))
        if (
            name == self.model.uploads_key
            and self.restrictions is not None
            and isinstance(node, ArrNode)
        ):
            from .restricted import draw_uploads

            return draw_uploads(self, node, (name,), self.restrictions)
        return None

    def passthrough_entries(
        self, node: Node, path: Path, depth: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        most = 0 if self.closing else _cap_items(depth)
        keys = self.draw(st.lists(leaves.texts(6), unique=True, max_size=most))
        raw: dict[str, Any] = {}
        wire: dict[str, Any] = {}
        for key in keys:
            raw[key], wire[key] = self.value(node, (*path, key), depth + 1)
        return raw, wire

    def passthrough(self, depth: int) -> tuple[Any, Any]:
        wire = self.draw(json_data(6 if depth < 6 else 1))
        return (self.rawify(wire) if self.raw else wire), wire

    def rawify(self, value: Any) -> Any:
        """JSON data in forms the normaliser maps back to it: tuples, ``str`` subclasses."""
        if isinstance(value, list):
            items = [self.rawify(v) for v in value]
            return tuple(items) if self.flip(3) else items
        if isinstance(value, dict):
            return {k: self.rawify(v) for k, v in value.items()}
        if type(value) is str and self.flip(4):
            return leaves.Text(value)
        return value

    def arr(self, node: ArrNode, path: Path, depth: int) -> tuple[Any, list[Any]]:
        hi = node.min_items if self.closing else _cap_items(depth)
        if node.max_items is not None:
            hi = min(hi, node.max_items)
        n = self.draw(st.integers(min(node.min_items, hi), max(node.min_items, hi)))
        raw: list[Any] = []
        wire: list[Any] = []
        for i in range(n):
            r, w = self.value(node.items, (*path, i), depth + 1)
            raw.append(r)
            wire.append(w)
        if self.raw and self.flip(4):
            return tuple(raw), wire
        return raw, wire

    # ------------------------------------------------------------------ scalars

    def number(self, node: NumNode) -> tuple[Any, Any]:
        lo = max(
            -math.inf if node.minimum is None else node.minimum,
            -math.inf
            if node.exclusive_minimum is None
            else math.nextafter(node.exclusive_minimum, math.inf),
        )
        hi = min(
            math.inf if node.maximum is None else node.maximum,
            math.inf
            if node.exclusive_maximum is None
            else math.nextafter(node.exclusive_maximum, -math.inf),
        )
        ints = st.integers(
            max(-_SAFE_INT, math.ceil(lo)) if lo > -math.inf else -_SAFE_INT,
            min(_SAFE_INT, math.floor(hi)) if hi < math.inf else _SAFE_INT,
        )
        parts: list[st.SearchStrategy[Any]] = [ints]
        if not node.integer:
            parts.append(
                st.floats(
                    min_value=None if lo == -math.inf else lo,
                    max_value=None if hi == math.inf else hi,
                    allow_nan=False,
                    allow_infinity=False,
                )
            )
        value = self.draw(st.one_of(parts))
        if self.raw and type(value) is int and self.flip(6):
            return Int(value), value
        return value, value

    def string(
        self, node: StrNode, path: Path, depth: int, *, in_any_of: bool = False
    ) -> tuple[Any, str]:
        role = ROLES.get(node.role)
        if role is not None:  # a rule's role: drawn as the role table says
            pair: tuple[Any, str] = role.draw(self, node, path, depth, in_any_of)
            return pair
        wire = self.draw(_plain(node.pattern, node.min_length, node.max_length))
        return textify(self, wire), wire

    # ------------------------------------------------------------------ attachments

    def attachment(
        self,
        node: ObjNode,
        path: Path,
        depth: int,
        *,
        kind: str | None = None,
        accepted: tuple[str, ...] | None = None,
        max_bytes: int | None = None,
        url_ok: bool = True,
    ) -> tuple[Any, dict[str, Any], int]:
        """One attachment-shaped object: ``(raw, wire, decoded size)`` (see
        :func:`.attachment.draw_attachment`)."""
        return draw_attachment(
            self,
            node,
            path,
            depth,
            kind=kind,
            accepted=accepted,
            max_bytes=max_bytes,
            url_ok=url_ok,
        )


def _needs_uploads(restrictions: Restrictions, model: Model) -> bool:
    from .restricted import minimum_counts

    return any(minimum_counts(restrictions, model).values())


@lru_cache(maxsize=32)
def _plain(pattern: str | None, min_length: int, max_length: int | None) -> st.SearchStrategy[str]:
    if pattern is not None:
        base: st.SearchStrategy[str] = st.from_regex(to_python_regex(pattern)).filter(
            leaves.matches(pattern)
        )
    else:
        top = 12 if max_length is None else max_length
        base = leaves.texts(max(top, min_length), min_size=min_length)
    return base.filter(
        lambda v: min_length <= len(v) and (max_length is None or len(v) <= max_length)
    )
