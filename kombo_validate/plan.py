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
from typing import Any

from .codegen import AnyOfGen, ArrayGen, ObjectGen, StrSkip, Walker, attach, generate_bulk
from .context import MAX_DEPTH, Ctx, Path
from .issues import REMOVED, excerpt
from .jsondata import JSON_TYPE_NAMES, exact_key, json_type, refuse, scalar, walk_any
from .rules import ALWAYS, RULES, Plain, Where
from .schemas import merge_all_of, schema_types

__all__ = ["Walker", "compile_plan"]


def compile_plan(schema: dict[str, Any]) -> Walker:
    """The walker for the request body schema."""
    return _compile(schema, Where())


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

    return walk_string


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


class _Prop:
    __slots__ = ("droppable", "fast", "walker")

    def __init__(self, walker: Walker, droppable: bool, fast: type | None) -> None:
        self.walker = walker
        self.droppable = droppable
        #: values of exactly this type are copied as they are (no call, no path)
        self.fast = fast


def _compile_object(schema: dict[str, Any], where: Where) -> Walker:
    props_schema = schema.get("properties")
    props_schema = props_schema if isinstance(props_schema, dict) else {}
    required = set(schema.get("required") or ())
    props: dict[str, _Prop] = {}
    skips: dict[str, StrSkip] = {}
    #: properties that hold a number and nothing the rules look at
    numeric: dict[str, bool] = {}
    for name, sub in props_schema.items():
        merged = merge_all_of(sub) if isinstance(sub, dict) else sub
        nullable = isinstance(merged, dict) and (
            "null" in schema_types(merged)
            or merged.get("nullable") is True
            or not schema_types(merged)
        )
        walker, skips[name] = _compile_with_skip(sub, Where(name, schema))
        droppable = name not in required and not nullable
        props[name] = _Prop(walker, droppable, _fast_type(sub, walker))
        numeric[name] = (
            walker is walk_any
            and isinstance(merged, dict)
            and bool(schema_types(merged))
            and schema_types(merged) <= {"number", "integer"}
        )
    additional = schema.get("additionalProperties")
    extra: Walker = _compile(additional, Where()) if isinstance(additional, dict) else walk_any
    warn_unknown = bool(props) and additional is None and "patternProperties" not in schema
    known = sorted(props)
    #: key -> the exact type its value may have to be copied without a call
    fast_of = {name: prop.fast for name, prop in props.items() if prop.fast is not None}
    fast_get = fast_of.get
    props_get = props.get
    object_rules = [
        r.build(schema, where) for r in RULES if r.kind == "object" and r.applies(schema, where)
    ]

    def walk_object(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        if type(value) is not dict and not issubclass(type(value), dict):
            return walk_any(value, path, ctx, depth)
        active = ctx.active
        vid = id(value)
        if depth > MAX_DEPTH or vid in active:
            return refuse(value, path, ctx, depth)
        active.add(vid)
        depth += 1
        out = {}
        for k, item in dict.items(value):  # the dict's own items, never an override
            if type(k) is not str:  # made an exact str before it is hashed or compared
                k = exact_key(k, path, ctx)
                if k is None:
                    continue
            if fast_get(k) is type(item):  # a plain value of the right type: as it is
                out[k] = item
                continue
            prop = props_get(k)
            if prop is None:
                here = path + (k,)
                if warn_unknown:
                    _unknown_key(k, known, here, ctx)
                out[k] = extra(item, here, ctx, depth)
            elif item is None and prop.droppable:
                ctx.change(
                    path + (k,), None, REMOVED, "None given for an optional property: dropped"
                )
            else:
                out[k] = prop.walker(item, path + (k,), ctx, depth)
        active.discard(vid)
        for rule in object_rules:
            rule(out, path, ctx)
        return out

    if not warn_unknown:  # open objects: every key takes the generic path
        return walk_object
    specials = [
        (name, prop.walker, skips[name], numeric[name])
        for name, prop in props.items()
        if prop.fast is None
    ]
    plain = tuple(name for name, prop in props.items() if prop.fast is not None)
    label = f"{where.name or 'body'}: {', '.join(known)}"
    gen = ObjectGen(
        schema, where, label, frozenset(props), specials, plain, object_rules, walk_object
    )
    gen.walkers = {name: prop.walker for name, prop in props.items()}
    gen.fast_types = fast_of
    return generate_bulk(gen)


def _unknown_key(key: str, known: list[str], path: Path, ctx: Ctx) -> None:
    import difflib

    hint = ""
    # difflib's ratio is 2·matches / (len(a) + len(b)): a key over 1.86 times the longest
    # name can never reach 0.7, and matching a long one would cost its length squared
    if ctx.hints > 0 and len(key) <= 2 * max(map(len, known)):
        ctx.hints -= 1  # the first MAX_HINTS unknown keys of a body get a suggestion
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ""
    ctx.warning(
        path,
        "key.unknown",
        f"{excerpt(key)} is not a property the API defines here (it is kept){hint}",
    )


class _Branch:
    __slots__ = ("accepts", "schema", "walker")

    def __init__(self, schema: Any, where: Where) -> None:
        self.schema = schema
        self.walker = _compile(schema, where)
        types = set(schema_types(schema)) if isinstance(schema, dict) else set()
        if "number" in types:
            types.add("integer")
        if isinstance(schema, dict) and schema.get("format") in ("date-time", "date"):
            types.add("date")
        self.accepts = frozenset(types) if types else None  # None: anything


def _compile_any_of(schema: dict[str, Any], where: Where) -> tuple[Walker, type | None]:
    raw = schema.get("anyOf") if isinstance(schema.get("anyOf"), list) else schema.get("oneOf")
    branches = [_Branch(b, where) for b in raw]  # type: ignore[union-attr]
    by_type: dict[str | None, list[_Branch]] = {
        jt: [b for b in branches if b.accepts is None or jt in b.accepts]
        for jt in (*sorted(set(JSON_TYPE_NAMES.values())), "date", None)
    }
    # a value of exactly this type fits the first branch that takes it, untouched
    fast = next((t for t, name in _FAST_NAMES.items() if _infallible(by_type[name])), None)

    def walk_any_of(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        if type(value) is fast:
            return value
        jt = json_type(value)
        if jt is None and _is_date_like(value):
            jt = "date"
        candidates = by_type[jt]
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
                    _merge_ctx(ctx, sub)
                    return result
                warned = warned or (sub, result)
            if fallback is None:
                fallback = (sub, result)
        chosen = warned or fallback
        assert chosen is not None
        _merge_ctx(ctx, chosen[0])
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


def _is_date_like(value: object) -> bool:
    import datetime

    return issubclass(type(value), datetime.date)


def _merge_ctx(ctx: Ctx, sub: Ctx) -> None:
    ctx.issues.extend(sub.issues)
    ctx.paths.extend(sub.paths)
    ctx.changes.extend(sub.changes)
    ctx.error_paths |= sub.error_paths
    ctx.attachment_bytes += sub.attachment_bytes
    ctx.budget = sub.budget
    ctx.hints = sub.hints
