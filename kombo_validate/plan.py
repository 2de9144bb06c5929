"""Compile a (dereferenced) JSON Schema into a tree of walkers: the plan.

The plan is built once per Validator. Walking a body with it does, in one pass:
check that the input is JSON data (types, finite numbers, no cycles, bounded
depth, string keys), apply the normalisations of the rules table, run the
domain rules, and build the wire-ready copy. Type, required, enum and pattern
constraints are left to the schema engine, which runs on the wire copy.

A walker is ``(value, path, ctx, depth) -> wire value``. It never raises for a
bad value: it records an issue and returns a JSON-safe stand-in (``None``).
"""

from __future__ import annotations

import itertools
import linecache
import math
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

from .context import MAX_CONTAINERS, Ctx, Path
from .issues import REMOVED, excerpt
from .rules import ALWAYS, RULES, Plain, Where

__all__ = [
    "MAX_CONTAINERS",
    "MAX_DEPTH",
    "AnyOfGen",
    "ArrayGen",
    "ObjectGen",
    "Repair",
    "Walker",
    "compile_plan",
    "define",
    "json_type",
    "node_of",
    "repair_walker",
    "walk_any",
]

#: Deepest nesting accepted, root = 0. Deeper values are ``json.too_deep``.
MAX_DEPTH = 64


Walker = Callable[[Any, Path, Ctx, int], Any]

_TYPE_NAMES = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
    dict: "object",
    list: "array",
    tuple: "array",
}


def json_type(value: object) -> str | None:
    """The JSON type a Python value maps to, or None for non-JSON values."""
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    for cls, cls_name in _TYPE_NAMES.items():
        if isinstance(value, cls):
            return cls_name
    return None


def _enter(value: object, path: Path, ctx: Ctx, depth: int) -> bool:
    """Depth, cycle and size guard for a container the schema says nothing about."""
    if depth > MAX_DEPTH or id(value) in ctx.active:
        _refuse(value, path, ctx, depth)
        return False
    ctx.budget -= 1
    if ctx.budget < 0:  # shared sub-objects can make a small graph an exponential tree
        if ctx.budget == -1:
            ctx.error(
                path,
                "json.too_large",
                f"more than {MAX_CONTAINERS:,} objects and arrays in free-form data",
            )
        return False
    ctx.active.add(id(value))
    return True


def _refuse(value: object, path: Path, ctx: Ctx, depth: int) -> Any:
    if depth > MAX_DEPTH:
        ctx.error(path, "json.too_deep", f"nesting deeper than {MAX_DEPTH} levels is not accepted")
    else:
        ctx.error(path, "json.cycle", "this value contains itself (a reference cycle)")
    return None


def _scalar(value: Any, path: Path, ctx: Ctx) -> Any:
    """Non-container, non-exact-type values: subclasses of JSON types, or non-JSON."""
    if isinstance(value, bool):  # pragma: no cover - bool cannot be subclassed
        return bool(value)
    if isinstance(value, str):
        after = str.__str__(value)
        ctx.change(path, value, after, f"{type(value).__name__} converted to str")
        return after
    if isinstance(value, int):
        after_int = int(value)
        if not -_INT_LIMIT <= after_int <= _INT_LIMIT:
            return walk_any(after_int, path, ctx, 0)
        ctx.change(path, value, after_int, f"{type(value).__name__} converted to int")
        return after_int
    if isinstance(value, float):
        after_float = float(value)
        if not math.isfinite(after_float):
            ctx.error(path, "number.not_finite", f"{after_float!r} is not a finite number")
            return None
        ctx.change(path, value, after_float, f"{type(value).__name__} converted to float")
        return after_float
    ctx.error(
        path,
        "json.not_json",
        f"a {type(value).__name__} is not JSON data (use a string, number, boolean, "
        "null, object or array)",
    )
    return None


#: the largest magnitude a JSON number keeps once parsed as a double (Kombo's parser)
_INT_LIMIT = int(sys.float_info.max)


def walk_any(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
    """Walk a value the schema says nothing about: JSON data, copied."""
    t = type(value)
    if t is str or t is bool or value is None:
        return value
    if t is int:
        if -_INT_LIMIT <= value <= _INT_LIMIT:
            return value
        ctx.error(
            path, "number.out_of_range", f"{excerpt(value)} is beyond what a JSON number holds"
        )
        return None
    if t is float:
        if math.isfinite(value):
            return value
        ctx.error(path, "number.not_finite", f"{value!r} is not a finite number")
        return None
    if isinstance(value, dict):
        if not _enter(value, path, ctx, depth):
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            k = _key(key, path, ctx)
            if k is not None:
                out[k] = walk_any(item, path + (k,), ctx, depth + 1)
        ctx.active.discard(id(value))
        return out
    if isinstance(value, (list, tuple)):
        if not _enter(value, path, ctx, depth):
            return None
        items = [walk_any(item, path + (i,), ctx, depth + 1) for i, item in enumerate(value)]
        ctx.active.discard(id(value))
        if not isinstance(value, list):
            ctx.change(path, value, items, "tuple converted to list")
        return items
    return _scalar(value, path, ctx)


def _key(key: object, path: Path, ctx: Ctx) -> str | None:
    if type(key) is str:
        return key
    if isinstance(key, str):
        return str.__str__(key)
    ctx.error(
        path,
        "json.key_not_string",
        f"object key {excerpt(key)} is a {type(key).__name__}; JSON keys are strings",
    )
    return None


def _types(schema: dict[str, Any]) -> frozenset[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return frozenset({t})
    if isinstance(t, list):
        return frozenset(x for x in t if isinstance(x, str))
    if "properties" in schema or "additionalProperties" in schema:
        return frozenset({"object"})
    if "items" in schema:
        return frozenset({"array"})
    return frozenset()


def _merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Fold ``allOf`` object branches into one schema for walking (the engine sees the original)."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in parts:
        if isinstance(part, dict):
            merged = _merge(merged, _merge_all_of(part))
    return merged


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key == "properties" and isinstance(out.get(key), dict) and isinstance(value, dict):
            props = dict(out[key])
            for name, sub in value.items():
                old = props.get(name)
                both = isinstance(old, dict) and isinstance(sub, dict)
                props[name] = _merge(old, sub) if both else sub  # type: ignore[arg-type]
            out[key] = props
        elif key == "required" and isinstance(out.get(key), list) and isinstance(value, list):
            out[key] = [*out[key], *(r for r in value if r not in out[key])]
        else:
            out.setdefault(key, value)
    return out


def compile_plan(schema: dict[str, Any]) -> Walker:
    """The walker for the request body schema."""
    return _compile(schema, Where())


def _fast_type(schema: Any, walker: Walker) -> type | None:
    """The exact Python type a value may have to be copied as it is, without a call."""
    if walker is _plain_string:
        return str
    if walker is walk_any and isinstance(schema, dict) and _types(schema) == {"boolean"}:
        return bool
    return None  # numbers always take a call: finite floats, ints within a double's range


def _plain_string(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, str):
        return _scalar(value, path, ctx)
    return walk_any(value, path, ctx, depth)


#: when a walker may be skipped for a value of exactly type ``str``: None (never), or
#: the checks that must all be truthy for it (``()``: any ``str`` is left as it is)
StrSkip = tuple[Plain, ...] | None


def _compile(schema: Any, where: Where) -> Walker:
    return _compile_with_skip(schema, where)[0]


def _compile_with_skip(schema: Any, where: Where) -> tuple[Walker, StrSkip]:
    """The walker for ``schema``, and when an exact ``str`` needs no call of it."""
    if not isinstance(schema, dict):
        return walk_any, None
    schema = _merge_all_of(schema)
    if isinstance(schema.get("anyOf"), list) or isinstance(schema.get("oneOf"), list):
        walker, fast = _compile_any_of(schema, where)
        return walker, (() if fast is str else None)
    types = _types(schema)
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
                if not isinstance(value, str):
                    return walk_any(value, path, ctx, depth)
                value = _scalar(value, path, ctx)
            return only(value, path, ctx)

        return walk_string_rule

    def walk_string(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        for convert in converters:
            value = convert(value, path, ctx)
        if type(value) is not str:
            if not isinstance(value, str):
                return walk_any(value, path, ctx, depth)
            value = _scalar(value, path, ctx)
        for rule in rules:
            value = rule(value, path, ctx)
        return value

    return walk_string


def _compile_array(schema: dict[str, Any], where: Where) -> Walker:
    item_schema = schema.get("items")
    item_walker = _compile(item_schema, Where())
    fast = _fast_type(item_schema, item_walker)

    def walk_array(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        if not isinstance(value, (list, tuple)):
            return walk_any(value, path, ctx, depth)
        active = ctx.active
        if depth > MAX_DEPTH or id(value) in active:
            return _refuse(value, path, ctx, depth)
        active.add(id(value))
        depth += 1
        items = list(value)
        for i, item in enumerate(items):
            if type(item) is not fast:
                items[i] = item_walker(item, path + (i,), ctx, depth)
        ctx.active.discard(id(value))
        if not isinstance(value, list):
            ctx.change(path, value, items, "tuple converted to list")
        return items

    setattr(walk_array, _GEN_ATTR, ArrayGen(schema, item_walker))
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
        merged = _merge_all_of(sub) if isinstance(sub, dict) else sub
        nullable = isinstance(merged, dict) and (
            "null" in _types(merged) or merged.get("nullable") is True or not _types(merged)
        )
        walker, skips[name] = _compile_with_skip(sub, Where(name, schema))
        droppable = name not in required and not nullable
        props[name] = _Prop(walker, droppable, _fast_type(sub, walker))
        numeric[name] = (
            walker is walk_any
            and isinstance(merged, dict)
            and bool(_types(merged))
            and _types(merged) <= {"number", "integer"}
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
        if not isinstance(value, dict):
            return walk_any(value, path, ctx, depth)
        active = ctx.active
        vid = id(value)
        if depth > MAX_DEPTH or vid in active:
            return _refuse(value, path, ctx, depth)
        active.add(vid)
        depth += 1
        out = {}
        for key, item in value.items():
            if fast_get(key) is type(item):  # a plain value of the right type: as it is
                out[key] = item
                continue
            prop = props_get(key)
            k = key if type(key) is str else _key(key, path, ctx)
            if k is None:
                continue
            if prop is None:
                if warn_unknown:
                    _unknown_key(k, known, path + (k,), ctx)
                out[k] = extra(item, path + (k,), ctx, depth)
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
    return _generate_bulk(gen)


# ----------------------------------------------------------------------------- generated code
#
# The common case of a closed object (fixed properties, no unknown key) is one
# specialised function per object schema, generated as Python source when the plan
# is compiled (like fastjsonschema): an exact dict whose keys are all known and
# whose values are of ``_PLAIN_TYPES`` is copied in C, and only the properties that
# need it are looked at, each with the rule's "nothing to do" checks (``StrSkip``)
# tested before any call and the path tuple built only when a call is made.
# Anything else (not a dict, too deep, a cycle, an unknown key, None, a tuple, a
# subclass, a number out of range) goes to the generic walker of that object, which
# reports it. The generators (``ObjectGen``, ``ArrayGen``, ``AnyOfGen``) stay on the
# walkers: the fast path (``fastpath``) builds its strict schemas from them.
# ``generated_source(walker)`` returns the source for debugging; tracebacks show
# its lines.

#: value types an object's bulk path accepts as a whole; each property is then tested
#: on its own (plain keys must hold ``_SCALAR_OR_ABSENT``, numbers are range-checked)
_PLAIN_TYPES = frozenset({str, bool, int, float, dict, list})
#: what a property with a plain (scalar) schema may hold on the bulk path (NoneType: absent,
#: since a present None has already sent the dict to the generic walker)
_SCALAR_OR_ABSENT = frozenset({str, bool, type(None)})

_MISSING = object()


class AnyOfGen:
    """An ``anyOf``/``oneOf`` walker's branches, for the fast path (not inlined)."""

    __slots__ = ("by_type", "fast", "schema")

    def __init__(
        self,
        schema: dict[str, Any],
        by_type: dict[str | None, list[tuple[dict[str, Any] | bool, Walker]]],
        fast: type | None,
    ) -> None:
        self.schema = schema
        #: JSON type -> the (schema, walker) of the branches a value of that type tries, in order
        self.by_type = by_type
        #: values of exactly this type are returned as they are
        self.fast = fast


class ObjectGen:
    """What the generator (and the fast path) needs of one closed object schema."""

    __slots__ = (
        "fast_types",
        "generic",
        "known",
        "label",
        "plain",
        "rules",
        "schema",
        "specials",
        "walkers",
        "where",
    )

    def __init__(
        self,
        schema: dict[str, Any],
        where: Where,
        label: str,
        known: frozenset[str],
        specials: list[tuple[str, Walker, StrSkip, bool]],
        plain: tuple[str, ...],
        rules: list[Callable[[dict[str, Any], Path, Ctx], None]],
        generic: Walker,
    ) -> None:
        #: the object schema (``allOf`` merged) and where it sits
        self.schema = schema
        self.where = where
        self.label = label
        self.known = known
        #: (name, walker, when an exact str needs no call, whether it is a number)
        self.specials = specials
        self.plain = plain
        self.rules = rules
        self.generic = generic
        #: every property's walker (what the object's walk calls for its value)
        self.walkers: dict[str, Walker] = {}
        #: property -> the exact type its value is copied as without a call
        self.fast_types: dict[str, type] = {}


class ArrayGen:
    """What the fast path needs of an array walker."""

    __slots__ = ("item", "schema")

    def __init__(self, schema: dict[str, Any], item: Walker) -> None:
        self.schema = schema
        self.item = item


_GEN_ATTR = "_kombo_validate_gen"


def _gen_of(walker: Walker) -> ObjectGen | ArrayGen | None:
    gen = getattr(walker, _GEN_ATTR, None)
    return gen if isinstance(gen, (ObjectGen, ArrayGen)) else None


def node_of(walker: Walker) -> ObjectGen | ArrayGen | AnyOfGen | None:
    """What the plan knows about a container walker (None: a free-form or scalar one)."""
    any_of = getattr(walker, ANY_OF_ATTR, None)
    return any_of if isinstance(any_of, AnyOfGen) else _gen_of(walker)


def generated_source(walker: Walker) -> str | None:
    """The generated Python source of a plan walker, or None for a hand-written one."""
    filename = getattr(getattr(walker, "__code__", None), "co_filename", "")
    if not filename.startswith("<kombo_validate.plan "):
        return None
    return "".join(linecache.getlines(filename)) or None


class _Emitter:
    """Writes the source of one generated walker; constants go to its globals."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {
            "PLAIN": _PLAIN_TYPES,
            "SCALAR": _SCALAR_OR_ABSENT,
            "MISSING": _MISSING,
            "LIM": _INT_LIMIT,
        }
        self.lines: list[str] = []
        self.serial = itertools.count()

    def const(self, prefix: str, value: object) -> str:
        for name, known in self.env.items():
            if known is value and name.startswith(prefix):
                return name
        name = f"{prefix}{next(self.serial)}"
        self.env[name] = value
        return name

    def local(self, prefix: str) -> str:
        return f"{prefix}{next(self.serial)}"

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def plain_test(self, var: str, skip: tuple[Plain, ...]) -> str:
        tests = [f"type({var}) is str"]
        for check in skip:
            container = getattr(check, "__self__", None)
            if getattr(check, "__name__", "") == "__contains__" and isinstance(
                container, (frozenset, set, dict)
            ):
                tests.append(f"{var} in {self.const('S', container)}")  # no call
            else:
                tests.append(f"{self.const('p', check)}({var})")
        return " and ".join(tests)

    def special(self, o: str, name: str, skip: StrSkip, numeric: bool, indent: int) -> str:
        """``v = o[name]`` and ``if`` it needs its walker (the bulk path's test); returns v."""
        v = self.local("v")
        self.line(indent, f"{v} = {o}.get({name!r}, MISSING)")
        test = f"{v} is not MISSING"
        if numeric:
            test += (
                f" and not (type({v}) is int and -LIM <= {v} <= LIM"
                f" or type({v}) is float and {v} - {v} == 0.0)"
            )
        elif skip is not None:
            test += f" and not ({self.plain_test(v, skip)})"
        self.line(indent, f"if {test}:")
        return v

    def takes(self, gen: ObjectGen, x: str) -> list[str]:
        """The tests (all must hold) under which the bulk path takes the value ``x``:
        an exact dict of known keys and plain value types, scalars where plain."""
        cond = [
            f"type({x}) is dict",
            f"{self.const('K', gen.known)}.issuperset({x})",
            f"PLAIN.issuperset(map(type, {x}.values()))",
        ]
        if gen.plain:
            keys = self.const("PK", gen.plain)
            cond.append(f"SCALAR.issuperset(map(type, map({x}.get, {keys})))")
        return cond

    def object(
        self, gen: ObjectGen, x: str, o: str, path: tuple[str, ...], depth: int, indent: int
    ) -> None:
        cond = self.takes(gen, x)
        if gen.specials:  # only a container's children can make it its own ancestor
            cond.append(f"id({x}) not in active")
        self.line(indent, f"if {' and '.join(cond)}:")
        self.line(indent + 1, f"{o} = {x}.copy()")
        if gen.specials:
            self.line(indent + 1, f"active.add(id({x}))")
        for name, walker, skip, numeric in gen.specials:
            v = self.special(o, name, skip, numeric, indent + 1)
            # a call, not inlined: generating each object's whole subtree tripled the
            # plan's build time (cold start) for 6% of a walk the fast path mostly skips
            self.call(walker, v, f"{o}[{name!r}]", (*path, repr(name)), depth + 1, indent + 2)
        if gen.specials:
            self.line(indent + 1, f"active.discard(id({x}))")
        for rule in gen.rules:
            self.line(indent + 1, f"{self.const('r', rule)}({o}, {_path_code(path)}, ctx)")
        self.line(indent, "else:")
        self.call(gen.generic, x, o, path, depth, indent + 1)

    def call(
        self, walker: Walker, x: str, target: str, path: tuple[str, ...], depth: int, indent: int
    ) -> None:
        w = self.const("w", walker)
        self.line(indent, f"{target} = {w}({x}, {_path_code(path)}, ctx, {_depth_code(depth)})")


def _path_code(path: tuple[str, ...]) -> str:
    """Source for the path tuple: ``path`` extended by the given key expressions."""
    return "path" if len(path) == 1 else f"({', '.join(path)})"


def _depth_code(depth: int) -> str:
    return f"depth + {depth}" if depth else "depth"


def _generate_bulk(gen: ObjectGen) -> Walker:
    em = _Emitter()
    em.line(1, "active = ctx.active")
    em.object(gen, "value", "out", ("*path",), 0, 1)
    em.line(1, "return out")
    em.env["LIMIT"] = MAX_DEPTH
    em.env["generic"] = gen.generic
    source = "\n".join(
        [
            f"# the bulk path of the object schema at {gen.label}",
            "def walk_object_bulk(value, path, ctx, depth):",
            "    if depth > LIMIT:",
            "        return generic(value, path, ctx, depth)",
            *em.lines,
            "",
        ]
    )
    bulk: Walker = define(source, f"{gen.label[:60]} #{next(_serial)}", em.env, lazy=True)
    setattr(bulk, _GEN_ATTR, gen)
    return bulk


_serial = itertools.count()


def define(source: str, label: str, env: dict[str, Any], *, lazy: bool = False) -> Any:
    """The one function ``source`` defines, executed in ``env`` under a file name that
    ``generated_source`` and tracebacks can show (``<kombo_validate.plan label>``).

    ``lazy``: compiled on its first call (``compile`` costs ~0.5 ms a walker, and a
    body the fast path proves calls none): until then the function runs a stub's
    code, which compiles ``source`` and takes its code object, so every reference
    to the function then runs the generated code directly (a race compiles twice).
    """
    filename = f"<kombo_validate.plan {label}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    if not lazy:
        return _exec(source, filename, env)
    name = _defined_name(source)
    stub = types.FunctionType(_FIRST_CALL.replace(co_filename=filename, co_name=name), env, name)

    def compile_now(function: Any) -> Any:
        function.__code__ = _exec(source, filename, env).__code__
        return function

    env["KV_COMPILE"], env["KV_SELF"] = compile_now, stub
    return stub


def _exec(source: str, filename: str, env: dict[str, Any]) -> Any:
    exec(compile(source, filename, "exec"), env)  # our own generated source
    return env[_defined_name(source)]


def _defined_name(source: str) -> str:
    """The name of the one top-level function ``source`` defines."""
    for line in source.splitlines():
        if line.startswith("def "):
            return line[4 : line.index("(")]
    raise ValueError("no function in the generated source")


#: the code a lazily defined function runs first (its globals name the real compile)
_FIRST_CALL: types.CodeType = next(
    c
    for c in compile(
        "def first_call(*args):\n    return KV_COMPILE(KV_SELF)(*args)\n", "<stub>", "exec"
    ).co_consts
    if isinstance(c, types.CodeType)
)


#: ``(value, out, path, ctx, depth)``: repairs ``out``, the wire copy of ``value`` at
#: ``path`` (``depth`` its length); returns the repaired wire value
Repair = Callable[[Any, Any, Path, Ctx, int], Any]


def repair_walker(gen: ObjectGen, parts: Mapping[str, Any], walker: Walker) -> Repair:
    """The bulk path of ``gen`` on the wire copy ``out`` of an object, for the fast path.

    ``parts`` maps each container property to what the fast path knows of it: an
    object with ``full(wire) -> bool`` (the wire value needs nothing) and
    ``repair`` (a :data:`Repair`). A dict the bulk path takes (known keys, plain
    value types; not too deep, not its own ancestor) has its properties walked in
    the bulk path's order: a scalar as the bulk path does, a container only when
    ``full`` fails, by its ``repair``. Anything else goes to ``walker`` (the plan's
    walker of the object) from the input, whole. Issues, changes and their order
    are then the plan walk's.
    """
    em = _Emitter()
    # the copy has the input's keys and value types: the bulk path's test reads it
    cond = [*em.takes(gen, "out"), "id(value) not in active", "depth <= LIMIT"]
    em.line(1, "active = ctx.active")
    em.line(1, f"if not ({' and '.join(cond)}):")
    em.line(2, f"return {em.const('w', walker)}(value, path, ctx, depth)")
    em.line(1, "active.add(id(value))")
    for name, sub_walker, skip, numeric in gen.specials:
        part = parts.get(name)
        if part is None:  # not a container the fast path knows: as the bulk path walks it
            v = em.special("out", name, skip, numeric, 1)
            em.call(sub_walker, v, f"out[{name!r}]", ("*path", repr(name)), 1, 2)
            continue
        h = em.const("h", part)
        v = em.local("v")
        em.line(1, f"{v} = out.get({name!r}, MISSING)")
        em.line(1, f"if {v} is not MISSING and not {h}.full({v}):")
        em.line(
            2,
            f"out[{name!r}] = {h}.repair(value[{name!r}], {v}, (*path, {name!r}), ctx, depth + 1)",
        )
    em.line(1, "active.discard(id(value))")
    em.line(1, "return out")
    em.env["LIMIT"] = MAX_DEPTH
    source = "\n".join(
        [
            f"# the fast path's repair of the object schema at {gen.label}",
            "def repair_object(value, out, path, ctx, depth):",
            *em.lines,
            "",
        ]
    )
    repair: Repair = define(source, f"repair {gen.label[:53]} #{next(_serial)}", em.env)
    return repair


def _unknown_key(key: str, known: list[str], path: Path, ctx: Ctx) -> None:
    import difflib

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
        types = set(_types(schema)) if isinstance(schema, dict) else set()
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
        for jt in (*sorted(set(_TYPE_NAMES.values())), "date", None)
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
        fallback: tuple[Ctx, Any] | None = None
        for branch in candidates:
            sub = Ctx()
            sub.active = ctx.active
            sub.budget = ctx.budget
            result = branch.walker(value, path, sub, depth)
            if not sub.error_paths:
                _merge_ctx(ctx, sub)
                return result
            if fallback is None:
                fallback = (sub, result)
        assert fallback is not None
        _merge_ctx(ctx, fallback[0])
        return fallback[1]

    setattr(
        walk_any_of,
        ANY_OF_ATTR,
        AnyOfGen(
            schema,
            {t: [(b.schema, b.walker) for b in bs] for t, bs in by_type.items()},
            fast,
        ),
    )
    return walk_any_of, fast


ANY_OF_ATTR = "_kombo_validate_any_of"

_FAST_NAMES: dict[type, str] = {str: "string", bool: "boolean"}


def _infallible(candidates: list[_Branch]) -> bool:
    return bool(candidates) and candidates[0].walker is _plain_string


def _is_date_like(value: object) -> bool:
    import datetime

    return isinstance(value, datetime.date)


def _merge_ctx(ctx: Ctx, sub: Ctx) -> None:
    ctx.issues.extend(sub.issues)
    ctx.paths.extend(sub.paths)
    ctx.changes.extend(sub.changes)
    ctx.error_paths |= sub.error_paths
    ctx.attachment_bytes += sub.attachment_bytes
    ctx.budget = sub.budget
