"""The fast path: most bodies are already wire-ready, so prove that in Rust and copy.

Built once per Validator from the plan (never from a second reading of the spec):

1. A copy of the typed part of the body: ``dict.copy``/``list.copy`` per container,
   strings and numbers shared, nothing else looked at (but the size of a string
   where a convert rule goes: a file's content).
2. ``marshal.dumps`` proves in C that the body holds only exact built-in types (no
   subclasses, enums, dates, custom objects); anything else takes the full walk.
3. One jsonschema-rs ``is_valid`` against the *strict* schema (``strict_schema``):
   the request schema narrowed to where the plan's walk does nothing. So when it
   passes, the plan's walk would change nothing and report nothing, and the schema
   engine would accept the body (the strict schema only narrows the request schema).

When it fails, only the failing parts are walked: each container's strict
sub-schema finds the containers that fail; an object in the shape the plan's bulk
path takes is repaired in that path's order by a generated function
(``codegen.repair_walker``, written from the object's ``walkplan.ObjectWalk`` as
the bulk path is: its scalars tested and walked as the bulk path does, its
containers asked their strict schema and repaired only if it fails), an array item
by item, anything else re-walked whole by its plan walker from the input, so
issues, changes and their order are exactly the full walk's. Nothing here ever
raises for a bad body: a jsonschema-rs error counts as "not proven".
"""

from __future__ import annotations

import functools
import marshal
import re
from collections.abc import Callable
from typing import Any

from .codegen import Repair, repair_walker
from .context import MAX_DEPTH, Ctx, Path
from .fastcopy import generate_copy
from .rules import STRICT_FORMATS, Where
from .strict_schema import (
    any_of_strict,
    array_strict,
    first_branches,
    is_free,
    object_strict,
    strict_leaf,
)
from .walkplan import AnyOfGen, ArrayGen, ObjectWalk, Walker, node_of

__all__ = ["MAX_FAST_BYTES", "FastPath", "strict_leaf"]

#: bodies whose marshalled form is larger take the full walk (it never copies a string)
MAX_FAST_BYTES = 256 * 1024

#: a lone surrogate as marshal writes it (UTF-8 with ``surrogatepass``): ED A0–BF. Valid
#: UTF-8 never holds these bytes; a number or a length may (then :func:`_has_surrogate`)
_SURROGATE = re.compile(b"\xed[\xa0-\xbf]").search


def _has_surrogate(body: Any) -> bool:
    """Whether a string of ``body`` (which marshal took: built-in types only, maybe
    cyclic) holds a lone surrogate; for the rare body whose marshalled bytes look so."""
    stack, seen = [body], set()
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            if not node.isascii():
                try:
                    node.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif kind in (dict, list, tuple, set, frozenset) and id(node) not in seen:
            seen.add(id(node))  # the body holds it: its id is not reused meanwhile
            stack.extend(node)  # a dict's keys
            if kind is dict:
                stack.extend(node.values())
    return False


class _Node:
    """One container position of the plan, with its strict validators and walker."""

    __slots__ = (
        "branches",
        "children",
        "full",
        "gen",
        "item",
        "kind",
        "repair",
        "shallow",
        "strict",
        "walker",
    )

    walker: Walker
    strict: Any
    children: tuple[tuple[str, _Node], ...]
    gen: ObjectWalk | None
    item: _Node | None
    #: the wire value at this position needs nothing (never raises)
    full: Callable[[Any], bool]
    #: walks the parts of a wire value that ``full`` rejects (built on first use)
    repair: Repair
    shallow: Callable[[Any], bool]
    #: "object", "array", "any" (anyOf/oneOf) or "free" (free-form data), for the copy
    kind: str
    #: an anyOf's container branches by Python type
    branches: dict[type, _Node]

    @property
    def measured(self) -> tuple[str, ...]:
        """An object's properties whose strings the copy measures: those a convert rule
        turns other values into (bytes into base64: a file's content goes there)."""
        return () if self.gen is None else tuple(p.name for p in self.gen.props if p.converts)


class _Lazy:
    """A jsonschema-rs ``is_valid``, compiled on its first call (a race compiles twice);
    False for what jsonschema-rs cannot take."""

    __slots__ = ("_is_valid", "_rs", "_schema")

    def __init__(self, rs: Any, schema: Any) -> None:
        self._rs = rs
        self._schema = schema
        self._is_valid: Callable[[Any], bool] | None = None

    def __call__(self, value: Any) -> bool:
        is_valid = self._is_valid
        if is_valid is None:
            compiled = self._rs.Draft202012Validator(
                self._schema, validate_formats=True, formats=STRICT_FORMATS
            )
            is_valid = self._is_valid = compiled.is_valid
        try:
            return bool(is_valid(value))
        except ValueError:  # what jsonschema-rs cannot take: not proven
            return False


def _never(value: Any) -> bool:
    return False


def _is_str(value: Any) -> bool:
    return type(value) is str


class FastPath:
    """Proves a body wire-ready in Rust, or walks only the parts that are not."""

    def __init__(self, root: Walker) -> None:
        import jsonschema_rs

        self._rs = jsonschema_rs
        self._root = self._node(root, Where())
        self._root.full = self._validator(self._root.strict, lazy=False)  # every body uses it
        self._full = self._root.full
        self._copy = generate_copy(self._root, MAX_FAST_BYTES)

    @property
    def root(self) -> _Node:
        """The body's node: its ``strict`` schema, ``children`` (an object's container
        properties, by name), ``item`` (an array's), ``repair`` (for tests and debugging)."""
        return self._root

    # ------------------------------------------------------------------ building

    def _validator(self, schema: Any, lazy: bool = True) -> Callable[[Any], bool]:
        """jsonschema-rs ``is_valid`` for ``schema``; it raises ValueError for what it
        cannot take (a set, a lone surrogate, an int key): callers treat that as False.

        ``lazy``: compiled on first use (most are only needed to repair a body)."""
        if schema is False:
            return _never
        if schema == {"type": "string"}:  # no call into Rust for the commonest leaf
            return _is_str
        if lazy:
            return _Lazy(self._rs, schema)
        compiled = self._rs.Draft202012Validator(
            schema, validate_formats=True, formats=STRICT_FORMATS
        )
        is_valid: Callable[[Any], bool] = compiled.is_valid
        return is_valid

    def _node(self, walker: Walker, where: Where) -> _Node:
        node = _Node()
        node.walker = walker
        node.children = ()
        node.gen = None
        node.item = None
        node.repair = functools.partial(_first_repair, node)
        node.kind, node.branches = "free", {}
        gen = node_of(walker)
        if isinstance(gen, ObjectWalk):
            self._object(node, gen)
        elif isinstance(gen, ArrayGen):
            self._array(node, gen)
        elif isinstance(gen, AnyOfGen):
            self._any_of(node, gen, where)
        else:  # free-form data: only the walk can check it
            node.strict = False
        node.full = self._validator(node.strict)
        if not hasattr(node, "shallow"):
            node.shallow = node.full
        return node

    def _object(self, node: _Node, plan: ObjectWalk) -> None:
        props = plan.schema.get("properties") or {}
        if "allOf" in plan.schema or not isinstance(props, dict):
            node.strict = False  # walked whole
            return
        children: list[tuple[str, _Node]] = []
        for prop in plan.specials:  # a container, or free-form data: a node of its own
            if node_of(prop.walker) is not None or is_free(props[prop.name]):
                where = Where(prop.name, plan.schema)
                children.append((prop.name, self._node(prop.walker, where)))
        node.strict = object_strict(plan, {name: child.strict for name, child in children})
        node.children = tuple(children)
        node.gen = plan
        node.kind = "object"

    def _array(self, node: _Node, gen: ArrayGen) -> None:
        if node_of(gen.item) is not None:
            node.item = self._node(gen.item, Where())
            node.strict, shallow = array_strict(gen.schema, node.item.strict)
            node.shallow = self._validator(shallow)
        else:
            node.strict, _ = array_strict(gen.schema)
        node.kind = "array"

    def _any_of(self, node: _Node, gen: AnyOfGen, where: Where) -> None:
        # The walk gives a value to the first branch its type fits that reports no
        # error: when the value passes that branch's strict schema, that is the one.
        strict: dict[str, Any] = {}
        for json_type, candidate in first_branches(gen).items():
            if json_type in _CONTAINERS and candidate is not None:
                child = self._node(candidate[1], where)
                node.branches[_CONTAINERS[json_type]] = child
                strict[json_type] = child.strict
        node.strict = any_of_strict(gen, strict, where)
        node.kind = "any"

    # ------------------------------------------------------------------ running

    def prove(self, body: Any) -> tuple[Any, bool | None]:
        """``(wire, True)``: the strict schema accepts the wire copy as it is (no
        issue, no change, and the request schema accepts it). ``(wire, False)``:
        not proven, :meth:`repair` walks the failing parts. ``(None, None)``: only
        the full walk can take this body.
        """
        wire, proven, _ = self.prove_sized(body)
        return wire, proven

    def prove_sized(self, body: Any) -> tuple[Any, bool | None, int]:
        """:meth:`prove`, and the size of the body's marshalled form (0 when not
        taken): no string or key of the body is longer than that."""
        try:
            wire = self._copy(body)  # first: it refuses a large file before marshal copies it
        except Exception:  # Bail; or a key whose __eq__ raised when its hash met a name's
            return None, None, 0
        try:
            data = marshal.dumps(body)
        except Exception:  # not only exact built-in types, too deep, ...
            return None, None, 0
        size = len(data)
        if size > MAX_FAST_BYTES or (
            0xED in data and _SURROGATE(data) is not None and _has_surrogate(body)
        ):
            return None, None, 0  # the walk reports a lone surrogate (marshal writes it as is)
        try:
            if self._full(wire):
                return wire, True, size
        except ValueError:
            pass
        return wire, False, size

    def proves_decoded(self, body: Any) -> bool:
        """Whether :meth:`prove_sized` proves ``body``, asked without its copy. For a body
        ``json.loads`` made (exact dicts, lists, strings, numbers, booleans and None: no
        tuple, and no string the copy refuses that marshal's size does not refuse too),
        the strict schema reads the body exactly as it reads the copy."""
        try:
            data = marshal.dumps(body)
        except Exception:  # too deep, ...
            return False
        if len(data) > MAX_FAST_BYTES or (
            0xED in data and _SURROGATE(data) is not None and _has_surrogate(body)
        ):
            return False
        try:
            return bool(self._full(body))
        except ValueError:
            return False

    def repair(self, body: Any, wire: Any, ctx: Ctx) -> Any:
        """The wire body, its failing parts walked into ``ctx`` (``prove`` gave False)."""
        return self._root.repair(body, wire, (), ctx, 0)

    def run(self, body: Any, ctx: Ctx) -> tuple[Any, bool] | None:
        """:meth:`prove`, then :meth:`repair` if not proven; None: the full walk."""
        wire, proven = self.prove(body)
        if proven is None:
            return None
        return (wire, True) if proven else (self.repair(body, wire, ctx), False)


_CONTAINERS: dict[str, type] = {"object": dict, "array": list}


def _first_repair(node: _Node, value: Any, wire: Any, path: Path, ctx: Ctx, depth: int) -> Any:
    """``node.repair`` on its first call: build it (a race builds it twice), then run it."""
    node.repair = _build_repair(node)
    return node.repair(value, wire, path, ctx, depth)


def _build_repair(node: _Node) -> Repair:
    """How the wire value at ``node`` is repaired once ``node.full`` has failed on it.

    An object in the bulk path's shape and an array are looked into (their parts
    that fail their own ``full`` repaired in the walk's order; an object's rules then
    run on its repaired copy, as the bulk path runs them); anything else (an anyOf,
    free-form data) is walked whole by the plan's walker, from the input.
    """
    walker = node.walker
    if node.gen is not None:
        return repair_walker(node.gen, dict(node.children), walker)
    item = node.item
    if item is None:

        def walk_whole(value: Any, wire: Any, path: Path, ctx: Ctx, depth: int) -> Any:
            return walker(value, path, ctx, depth)

        return walk_whole
    shallow = node.shallow

    def repair_array(value: Any, wire: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        active = ctx.active
        if depth > MAX_DEPTH or type(wire) is not list or id(value) in active or not shallow(wire):
            return walker(value, path, ctx, depth)
        active.add(id(value))
        for i, sub in enumerate(wire):
            if not item.full(sub):
                wire[i] = item.repair(value[i], sub, (*path, i), ctx, depth + 1)
        active.discard(id(value))
        return wire

    return repair_array
