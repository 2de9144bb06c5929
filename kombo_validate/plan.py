"""Compile a (dereferenced) JSON Schema into a tree of walkers: the plan.

The plan is built once per Validator. Walking a body with it does, in one pass:
check that the input is JSON data (types, finite numbers, no cycles, bounded
depth, string keys), apply the normalisations of the rules table, run the
domain rules, and build the wire-ready copy. Type, required, enum and pattern
constraints are left to the schema engine, which runs on the wire copy.

A walker is ``(value, path, ctx, depth) -> wire value``. It never raises for a
bad value: it records an issue and returns a JSON-safe stand-in (``None``).
Closed objects get a generated walker (``codegen``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from .codegen import generate_bulk
from .context import MAX_DEPTH, Ctx, Path
from .jsondata import JSON_TYPE_NAMES, json_type, refuse, scalar, walk_any
from .rules import ALWAYS, RULES, Plain, Where
from .schemas import merge_all_of, schema_types
from .spec import DEFS_REF
from .walkplan import AnyOfGen, ArrayGen, ObjectWalk, Prop, StrSkip, Walker, attach

__all__ = ["Walker", "compile_plan"]


def compile_plan(schema: dict[str, Any]) -> Walker:
    """The walker for the request body schema.

    A recursive schema's back-edges (``{"$ref": "#/$defs/<name>"}``, see ``spec``) are
    walked by reference: each target is compiled once per place kind it is referred
    from, and its walker is called through the reference; the depth limit bounds the
    walk as it bounds any nesting."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return _compile(schema, Where())
    token = _REFS.set(_Refs(defs))
    try:
        return _compile(schema, Where())
    finally:
        _REFS.reset(token)


class _Refs:
    """The ``$defs`` of the schema being compiled and the walkers compiled for them."""

    __slots__ = ("defs", "walkers")

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        #: (name, the place's property name) -> [its walker, None while compiling]
        self.walkers: dict[tuple[str, str | None], list[Walker | None]] = {}


#: the reference table of the compile under way (none: the schema has no cycle)
_REFS: ContextVar[_Refs | None] = ContextVar("kombo_validate_plan_refs", default=None)


def _ref_name(schema: Any) -> str | None:
    """The ``$defs`` name a back-edge refers to (None: ``schema`` is no back-edge)."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref[len(DEFS_REF) :] if isinstance(ref, str) and ref.startswith(DEFS_REF) else None


def resolved(schema: Any) -> Any:
    """``schema``, or the schema a back-edge refers to (while compiling)."""
    name = _ref_name(schema)
    refs = _REFS.get()
    return schema if name is None or refs is None else refs.defs.get(name, True)


def _compile_ref(name: str, where: Where) -> Walker:
    """The walker of a back-edge to ``$defs[name]``: its target's walker once compiled
    (once per property name it sits at); while that is under way (the cycle), one that
    calls it by reference."""
    refs = _REFS.get()
    if refs is None or not isinstance(refs.defs.get(name), dict):
        return walk_any  # pragma: no cover - load_spec writes the table with its refs
    # by the place's name (what the rules read of it), not its parent schema: a merged
    # allOf is a new dict each time, and the compile must close the cycle
    key = (name, where.name)
    cell = refs.walkers.get(key)
    if cell is None:
        cell = refs.walkers[key] = [None]
        compiled = cell[0] = _compile(refs.defs[name], where)
        return compiled
    target = cell[0]
    if target is not None:
        return target

    def walk_ref(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        walker = cell[0]
        assert walker is not None  # set when the compile of its target returns
        return walker(value, path, ctx, depth)

    return walk_ref


def _fast_type(schema: Any, walker: Walker) -> type | None:
    """The exact Python type a value may have to be copied as it is, without a call."""
    if walker is _plain_string:
        return str
    if walker is walk_any and isinstance(schema, dict) and schema_types(schema) == {"boolean"}:
        return bool
    return None  # numbers always take a call: finite floats, ints within a double's range


def _plain_string(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
    if type(value) is str:
        return value
    if issubclass(type(value), str):
        return scalar(value, path, ctx)
    return walk_any(value, path, ctx, depth)


def _compile(schema: Any, where: Where) -> Walker:
    return _compile_with_skip(schema, where)[0]


def _compile_with_skip(schema: Any, where: Where) -> tuple[Walker, StrSkip]:
    """The walker for ``schema``, and when an exact ``str`` needs no call of it."""
    if not isinstance(schema, dict):
        return walk_any, None
    if "$ref" in schema:
        name = _ref_name(schema)
        if name is not None:
            return _compile_ref(name, where), None
    schema = merge_all_of(schema)
    if isinstance(schema.get("anyOf"), list) or isinstance(schema.get("oneOf"), list):
        walker, fast = _compile_any_of(schema, where)
        return walker, (() if fast is str else None)
    types = schema_types(schema)
    if "object" in types:
        return _compile_object(schema, where), None
    if "array" in types:
        return _compile_array(schema, where), None
    if "string" in types:
        converters: list[Callable[[Any, Path, Ctx], Any]] = []
        rules: list[Callable[[str, Path, Ctx], str]] = []
        plains: list[Plain | None] = []
        for r in RULES:
            if r.kind in ("convert", "string") and r.applies(schema, where):
                built = r.build(schema, where)
                if built:
                    (converters if r.kind == "convert" else rules).append(built)
                    plains.append(r.plain(schema, where))
        skip: StrSkip = None
        if None not in plains:
            skip = tuple(p for p in plains if p is not None and p is not ALWAYS)
        return _compile_string(converters, rules), skip
    return walk_any, None


def _compile_string(
    converters: list[Callable[[Any, Path, Ctx], Any]],
    rules: list[Callable[[str, Path, Ctx], str]],
) -> Walker:
    if not converters and not rules:
        return _plain_string
    if not converters and len(rules) == 1:
        (only,) = rules

        def walk_string_rule(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
            if type(value) is not str:
                if not issubclass(type(value), str):
                    return walk_any(value, path, ctx, depth)
                value = scalar(value, path, ctx)
            return only(value, path, ctx)

        return walk_string_rule

    def walk_string(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        for convert in converters:
            value = convert(value, path, ctx)
        if type(value) is not str:
            if not issubclass(type(value), str):
                return walk_any(value, path, ctx, depth)
            value = scalar(value, path, ctx)
        for rule in rules:
            value = rule(value, path, ctx)
        return value

    if converters:
        setattr(walk_string, _CONVERTS, True)
    return walk_string


#: set on a string walker that runs a ``convert`` rule: it takes values of other types
#: than JSON's (a ``date``, bytes) and may turn them into its string
_CONVERTS = "_kombo_validate_converts"


def _compile_array(schema: dict[str, Any], where: Where) -> Walker:
    item_schema = schema.get("items")
    item_walker = _compile(item_schema, Where())
    fast = _fast_type(item_schema, item_walker)

    def walk_array(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        listed = issubclass(type(value), list)
        if not listed and not issubclass(type(value), tuple):
            return walk_any(value, path, ctx, depth)
        active = ctx.active
        if depth > MAX_DEPTH or id(value) in active:
            return refuse(value, path, ctx, depth)
        active.add(id(value))
        depth += 1
        items = list.copy(value) if listed else [*tuple.__iter__(value)]
        for i, item in enumerate(items):
            if type(item) is not fast:
                items[i] = item_walker(item, path + (i,), ctx, depth)
        ctx.active.discard(id(value))
        if not listed:
            ctx.change(path, value, items, "tuple converted to list")
        return items

    attach(walk_array, ArrayGen(schema, item_walker))
    return walk_array


def _compile_object(schema: dict[str, Any], where: Where) -> Walker:
    """The object's :class:`~.walkplan.ObjectWalk`, and its walker: the generated
    bulk path for a closed object, the generic walker for an open one."""
    props_schema = schema.get("properties")
    props_schema = props_schema if isinstance(props_schema, dict) else {}
    required = set(schema.get("required") or ())
    props: list[Prop] = []
    for name, sub in props_schema.items():
        sub_schema = resolved(sub)
        merged = merge_all_of(sub_schema) if isinstance(sub_schema, dict) else sub_schema
        nullable = isinstance(merged, dict) and (
            "null" in schema_types(merged)
            or merged.get("nullable") is True
            or not schema_types(merged)
        )
        walker, skip = _compile_with_skip(sub, Where(name, schema))
        props.append(
            Prop(
                name,
                walker,
                droppable=name not in required and not nullable,
                fast=_fast_type(sub, walker),
                skip=skip,
                # a number and nothing the rules look at
                numeric=(
                    walker is walk_any
                    and isinstance(merged, dict)
                    and bool(schema_types(merged))
                    and schema_types(merged) <= {"number", "integer"}
                ),
                converts=getattr(walker, _CONVERTS, False),
            )
        )
    additional = schema.get("additionalProperties")
    plan = ObjectWalk(
        schema,
        where,
        props,
        extra=_compile(additional, Where()) if isinstance(additional, dict) else walk_any,
        warn_unknown=bool(props) and additional is None and "patternProperties" not in schema,
        rules=[
            r.build(schema, where) for r in RULES if r.kind == "object" and r.applies(schema, where)
        ],
    )
    if not plan.warn_unknown:  # open objects: every key takes the generic path
        return plan.generic
    return generate_bulk(plan)


class _Branch:
    __slots__ = ("accepts", "schema", "walker")

    def __init__(self, schema: Any, where: Where) -> None:
        self.schema = schema
        self.walker = _compile(schema, where)
        target = resolved(schema)
        types: set[str | None] = set(schema_types(target)) if isinstance(target, dict) else set()
        if "number" in types:
            types.add("integer")
        if getattr(self.walker, _CONVERTS, False):  # a rule converts some values that are
            types.add(None)  # not JSON data (a date, bytes): they are tried here
        self.accepts = frozenset(types) if types else None  # None: anything


def _compile_any_of(schema: dict[str, Any], where: Where) -> tuple[Walker, type | None]:
    raw = schema.get("anyOf") if isinstance(schema.get("anyOf"), list) else schema.get("oneOf")
    branches = [_Branch(b, where) for b in raw]  # type: ignore[union-attr]
    by_type: dict[str | None, list[_Branch]] = {
        jt: [b for b in branches if b.accepts is None or jt in b.accepts]
        for jt in (*sorted(set(JSON_TYPE_NAMES.values())), None)
    }
    # a value of exactly this type fits the first branch that takes it, untouched
    fast = next((t for t, name in _FAST_NAMES.items() if _infallible(by_type[name])), None)

    def walk_any_of(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        if type(value) is fast:
            return value
        candidates = by_type[json_type(value)]
        if not candidates:
            return walk_any(value, path, ctx, depth)
        if len(candidates) == 1:
            return candidates[0].walker(value, path, ctx, depth)
        # the first branch that takes the value without an issue; else the first with
        # warnings only (an object of a later branch draws key.unknown warnings from an
        # earlier one, whose rules then never ran); else the first
        fallback: tuple[Ctx, Any] | None = None
        warned: tuple[Ctx, Any] | None = None
        for branch in candidates:
            sub = Ctx()
            sub.active = ctx.active
            sub.budget = ctx.budget
            sub.hints = ctx.hints
            result = branch.walker(value, path, sub, depth)
            if not sub.error_paths:
                if not sub.issues:
                    ctx.merge(sub)
                    return result
                warned = warned or (sub, result)
            if fallback is None:
                fallback = (sub, result)
        chosen = warned or fallback
        assert chosen is not None
        ctx.merge(chosen[0])
        return chosen[1]

    attach(
        walk_any_of,
        AnyOfGen(
            schema,
            {t: [(b.schema, b.walker) for b in bs] for t, bs in by_type.items()},
            fast,
        ),
    )
    return walk_any_of, fast


_FAST_NAMES: dict[type, str] = {str: "string", bool: "boolean"}


def _infallible(candidates: list[_Branch]) -> bool:
    return bool(candidates) and candidates[0].walker is _plain_string
