"""Drawing bodies from the model: the wire form, or a raw form paired with its wire form.

One :class:`Gen` draws one body. Every value is drawn as a ``(raw, wire)``
pair: in wire mode the two are the same object; in raw mode the raw side takes
the forms users pass (case variants, ``date`` objects, bytes, tuples, ``None``
optionals, ...) and the wire side is exactly what the normaliser must make of
it. Each wire value's path and node are recorded as a :class:`Site`, for the
defects of :mod:`.defects`.
"""

from __future__ import annotations

import enum
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..patterns import to_python_regex
from ..rules.dates import date_problem
from . import leaves
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
    StrNode,
)

if TYPE_CHECKING:
    from ..restrictions import Restrictions
    from .jobs import Job

__all__ = ["DEFAULT_MAX_BYTES", "OMIT", "Gen", "Int", "Site", "json_data"]

Path = tuple[str | int, ...]

#: decoded size of a drawn attachment, by default (bodies stay small and fast)
DEFAULT_MAX_BYTES = 48
#: integers drawn for number fields stay exact in a double (and in JavaScript)
_SAFE_INT = 2**53
#: a hook's answer meaning "leave this property out"
OMIT: Any = object()


@dataclass(frozen=True)
class Site:
    """Where a drawn wire value sits, and the node it was drawn from."""

    path: Path
    node: Node
    #: drawn for one branch of an ``anyOf`` (the anyOf's own site is recorded too)
    in_any_of: bool = False


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


@lru_cache(maxsize=64)
def _str_enum(values: tuple[str, ...]) -> type[enum.Enum]:
    """A ``(str, Enum)`` class over ``values``, as SDK users define them."""
    return enum.Enum("SpecEnum", [(f"V{i}", v) for i, v in enumerate(values)], type=str)  # type: ignore[return-value]


def _cap_optional(depth: int) -> int:
    return 1_000 if depth == 0 else 8 if depth == 1 else 2 if depth <= 3 else 1


def _cap_items(depth: int) -> int:
    return 3 if depth <= 1 else 2


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
        if node.nullable and not isinstance(node, (AnyNode, ConstNode)) and self.flip(8):
            pair: tuple[Any, Any] = (None, None)
        elif isinstance(node, ObjNode):
            pair = self.obj(node, path, depth)
        elif isinstance(node, ArrNode):
            pair = self.arr(node, path, depth)
        elif isinstance(node, StrNode):
            pair = self.string(node, in_any_of=in_any_of)
        elif isinstance(node, NumNode):
            pair = self.number(node)
        elif isinstance(node, BoolNode):
            value = self.draw(st.booleans())
            pair = (value, value)
        elif isinstance(node, ConstNode):
            value = self.draw(st.sampled_from(node.values))
            pair = (value, value)
        elif isinstance(node, AnyOfNode):
            branch = self.draw(st.sampled_from(node.branches))
            pair = self.value(branch, path, depth, in_any_of=True)
            if not in_any_of:
                self.sites.append(Site(path, node))
            return pair
        else:
            pair = self.passthrough(depth)
        self.sites.append(Site(path, node, in_any_of))
        return pair

    # ------------------------------------------------------------------ containers

    def obj(self, node: ObjNode, path: Path, depth: int) -> tuple[Any, dict[str, Any]]:
        if node.attachment:
            raw_a, wire_a, _ = self.attachment(node, path, depth)
            return raw_a, wire_a
        optional = [p for p in node.props if p.name not in node.required]
        chosen: set[str] = set()
        if optional:
            picked = self.draw(
                st.lists(
                    st.sampled_from([p.name for p in optional]),
                    unique=True,
                    max_size=min(len(optional), _cap_optional(depth)),
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
        keys = self.draw(st.lists(leaves.texts(6), unique=True, max_size=_cap_items(depth)))
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
        hi = _cap_items(depth)
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

    def string(self, node: StrNode, *, in_any_of: bool = False) -> tuple[Any, str]:
        draw = self.draw
        role = node.role
        raw_ok = self.raw and not in_any_of
        if node.enum:
            wire = draw(st.sampled_from(node.enum))
            raw: Any = self._enum_raw(node.enum, wire) if raw_ok else wire
        elif role == "date":
            forms = leaves.date_forms(node.pattern)
            if self.raw and forms and self.flip(2):
                pair: tuple[Any, str] = draw(leaves.dates_raw(forms, strings=not in_any_of))
                return pair
            wire = draw(_dates(node.pattern))
            raw = wire
        elif role == "country":
            wire = draw(leaves.countries(node.pattern))
            raw = draw(leaves.country_raw(wire)) if raw_ok and self.flip(2) else wire
        elif role == "email":
            wire = draw(leaves.emails().filter(leaves.matches(node.pattern)))
            raw = self._email_raw(wire) if raw_ok and self.flip(2) else wire
        elif role == "http_url":
            wire = draw(leaves.http_urls().filter(leaves.matches(node.pattern)))
            raw = wire
        elif role == "uri":
            wire = draw(leaves.uris().filter(leaves.matches(node.pattern)))
            raw = wire
        elif role == "content_type":
            strategy = leaves.content_types(node.pattern)
            assert strategy is not None
            wire = draw(strategy)
            raw = self.content_type_raw(wire) if raw_ok else wire
        elif role == "data":
            wire = draw(leaves.b64(DEFAULT_MAX_BYTES))[1]
            raw = wire
        else:
            wire = draw(_plain(node.pattern, node.min_length, node.max_length))
            raw = wire
        if self.raw and type(raw) is str and self.flip(6):
            raw = leaves.Text(raw)
        return raw, wire

    def _enum_raw(self, values: Sequence[str], wire: str) -> Any:
        folded = [v.casefold() for v in values]
        if folded.count(wire.casefold()) != 1:
            return wire  # two values differ only in case: the core keeps such values as given
        if self.flip(4):
            return _str_enum(tuple(values))(wire)
        variant = leaves.case_variant(self.draw, wire)
        if variant.casefold() != wire.casefold():
            variant = wire
        pad = self.draw(st.sampled_from(("", " ")))
        return pad + variant + pad

    def _email_raw(self, wire: str) -> str:
        local, _, domain = wire.rpartition("@")
        pad = self.draw(st.sampled_from(("", " ", "\t", "\n")))
        return f"{pad}{local}@{leaves.case_variant(self.draw, domain)}{pad}"

    def content_type_raw(self, wire: str) -> str:
        if not self.flip(2):
            return wire
        params = self.draw(st.sampled_from(("", "; charset=utf-8", ";name=cv", " ; q=1")))
        return leaves.case_variant(self.draw, wire) + params

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
        """One attachment-shaped object: ``(raw, wire, decoded size)``.

        Exactly one of ``data``/``data_url``; ``content_type`` with ``data``,
        within ``accepted``; at most ``max_bytes`` decoded; ``data_url`` only
        when ``url_ok`` (a per-file size limit makes it a warning).
        """
        draw = self.draw
        ct_prop = node.prop("content_type")
        ct_pattern = ct_prop.node.pattern if ct_prop and isinstance(ct_prop.node, StrNode) else None
        ctypes = leaves.content_types(ct_pattern, accepted) if ct_prop else None
        has_url = node.prop("data_url") is not None
        has_data = node.prop("data") is not None and (ctypes is not None or ct_prop is None)
        use_data = has_data and (not (has_url and url_ok) or draw(st.booleans()))
        if not use_data and not has_url:  # pragma: no cover - not an attachment shape
            use_data = True
        ct_wire: str | None = None
        if ctypes is not None and (use_data or draw(st.booleans())):
            ct_wire = draw(ctypes)
        form = "plain"
        if self.raw and use_data and ct_wire is not None:
            forms = ["plain", "data_uri", "data_uri_ct"]
            if leaves.ext_for(ct_wire, ct_pattern):
                forms.append("infer")
            form = draw(st.sampled_from(forms))
        size = 0
        raw: dict[str, Any] = {}
        wire: dict[str, Any] = {}
        ct_late: str | None = None  # inferred or taken from data: goes last in the wire body
        for prop in node.props:
            name = prop.name
            here = (*path, name)
            if name == "name":
                value = self._file_name(ct_wire, ct_pattern, form == "infer")
                raw[name], wire[name] = value, value
            elif name == "content_type":
                if ct_wire is None:
                    continue
                if form in ("infer", "data_uri"):
                    if prop.droppable and self.flip(3):
                        raw[name] = None
                    ct_late = ct_wire
                else:
                    raw[name] = self.content_type_raw(ct_wire) if self.raw else ct_wire
                    wire[name] = ct_wire
            elif name == "data":
                if not use_data:
                    if self.raw and prop.droppable and self.flip(4):
                        raw[name] = None
                    continue
                limit = (
                    DEFAULT_MAX_BYTES if max_bytes is None else min(max_bytes, DEFAULT_MAX_BYTES)
                )
                content, encoded = draw(leaves.b64(limit))
                size = len(content)
                raw[name], wire[name] = self._data_raw(content, encoded, form, ct_wire), encoded
            elif name == "data_url":
                if use_data:
                    if self.raw and prop.droppable and self.flip(4):
                        raw[name] = None
                    continue
                url = draw(leaves.http_urls())
                raw[name], wire[name] = url, url
            elif name == "type" and kind is not None:
                raw[name] = self._enum_raw((kind,), kind) if self.raw else kind
                wire[name] = kind
            elif name in node.required or self.flip(4):
                raw[name], wire[name] = self.value(prop.node, here, depth + 1)
            else:
                continue
            if name not in ("name", "content_type", "data", "data_url") or name in wire:
                self.sites.append(Site(here, prop.node))
        if ct_late is not None:
            wire["content_type"] = ct_late
            self.sites.append(Site((*path, "content_type"), ct_prop.node if ct_prop else AnyNode()))
        return raw, wire, size

    def _file_name(self, ct: str | None, pattern: str | None, infer: bool) -> str:
        exts = leaves.ext_for(ct, pattern) if ct is not None else ()
        if infer or (exts and self.flip(2)):
            stem = self.draw(leaves.file_stems())
            ext = self.draw(st.sampled_from(exts))
            return stem + (ext.upper() if self.flip(4) else ext)
        name: str = self.draw(leaves.texts(12))
        return name

    def _data_raw(self, content: bytes, encoded: str, form: str, ct: str | None) -> Any:
        if not self.raw:
            return encoded
        text = encoded
        if self.flip(3):
            newline = self.draw(st.sampled_from(("\n", "\r\n")))
            lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
            text = newline.join(lines) + (newline if lines and self.flip(2) else "")
        if form in ("data_uri", "data_uri_ct"):
            mime = ct or "application/pdf"
            if form == "data_uri_ct":
                mime = self.draw(st.sampled_from((mime, "application/pdf", "")))
            params = self.draw(st.sampled_from(("", ";charset=utf-8", ";name=cv.pdf")))
            prefix = self.draw(st.sampled_from(("data:", "DATA:", "Data:")))
            return f"{prefix}{leaves.case_variant(self.draw, mime)}{params};base64,{text}"
        if text == encoded and self.flip(2):
            kind = self.draw(st.sampled_from((bytes, bytearray, memoryview)))
            return kind(content)
        return text


def _needs_uploads(restrictions: Restrictions, model: Model) -> bool:
    from .restricted import minimum_counts

    return any(minimum_counts(restrictions, model).values())


@lru_cache(maxsize=32)
def _dates(pattern: str | None) -> st.SearchStrategy[str]:
    forms = leaves.date_forms(pattern)
    if forms:
        return leaves.dates_wire(forms)
    # a spec whose date pattern admits none of the usual forms: draw from the pattern
    source = pattern if pattern is not None else r"^\d{4}-\d{2}-\d{2}$"
    return st.from_regex(to_python_regex(source)).filter(
        lambda v: leaves.matches(pattern)(v) and date_problem(v) is None
    )


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
