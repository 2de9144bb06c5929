"""Generated Python for the plan's closed objects, and for the fast path's repairs.

The common case of a closed object (fixed properties, no unknown key) is one
specialised function per object schema, generated as Python source when the plan
is compiled (like fastjsonschema) and compiled on its first call: an exact dict
whose keys are all known and whose values are of ``_PLAIN_TYPES`` is copied in C,
and only the properties that need it are looked at, each with the rule's "nothing
to do" checks (``StrSkip``) tested before any call and the path tuple built only
when a call is made. Anything else (not a dict, too deep, a cycle, an unknown key,
None, a tuple, a subclass, a number out of range) goes to the generic walker of
that object, which reports it. The generators (``ObjectGen``, ``ArrayGen``,
``AnyOfGen``) stay on the walkers (:func:`attach`, :func:`node_of`): the fast path
(``fastpath``) builds its strict schemas and repairs from them.
``generated_source(walker)`` returns the source for debugging; tracebacks show its
lines.
"""

from __future__ import annotations

import itertools
import linecache
import types
from collections.abc import Callable, Mapping
from typing import Any

from .context import MAX_DEPTH, Ctx, Path
from .rules import Plain, Where
from .rules.numbers import INT_LIMIT

__all__ = [
    "AnyOfGen",
    "ArrayGen",
    "ObjectGen",
    "Repair",
    "StrSkip",
    "Walker",
    "attach",
    "define",
    "generate_bulk",
    "generated_source",
    "node_of",
    "repair_walker",
]

Walker = Callable[[Any, Path, Ctx, int], Any]

#: when a walker may be skipped for a value of exactly type ``str``: None (never), or
#: the checks that must all be truthy for it (``()``: any ``str`` is left as it is)
StrSkip = tuple[Plain, ...] | None

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


def attach(walker: Walker, gen: ObjectGen | ArrayGen | AnyOfGen) -> None:
    """Keep what the plan knows of a container walker on it, for :func:`node_of`."""
    setattr(walker, _GEN_ATTR, gen)


def node_of(walker: Walker) -> ObjectGen | ArrayGen | AnyOfGen | None:
    """What the plan knows about a container walker (None: a free-form or scalar one)."""
    gen = getattr(walker, _GEN_ATTR, None)
    return gen if isinstance(gen, (ObjectGen, ArrayGen, AnyOfGen)) else None


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
            "LIM": INT_LIMIT,
            "STR": frozenset({str}),
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

    def takes(self, gen: ObjectGen, x: str, exact_keys: bool = False) -> list[str]:
        """The tests (all must hold) under which the bulk path takes the value ``x``:
        an exact dict of known keys and plain value types, scalars where plain.

        Keys are proven exact ``str`` before they are hashed or compared (a subclass's
        ``__hash__``/``__eq__`` is the caller's code), unless ``exact_keys`` says that
        is known already."""
        cond = [f"type({x}) is dict"]
        if not exact_keys:
            cond.append(f"STR.issuperset(map(type, {x}))")
        cond += [
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


def generate_bulk(gen: ObjectGen) -> Walker:
    """The bulk walker of ``gen``'s object (compiled on its first call)."""
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
    attach(bulk, gen)
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
    name = _defined_name(source)
    if not lazy:
        return _exec(source, filename, env, name)
    stub = types.FunctionType(_FIRST_CALL.replace(co_filename=filename, co_name=name), env, name)

    def compile_now(function: Any) -> Any:
        function.__code__ = _exec(source, filename, env, name).__code__
        return function

    env["KV_COMPILE"], env["KV_SELF"] = compile_now, stub
    return stub


def _exec(source: str, filename: str, env: dict[str, Any], name: str) -> Any:
    exec(compile(source, filename, "exec"), env)  # our own generated source
    return env[name]


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
    # the copy has the input's keys and value types: the bulk path's test reads it (the
    # keys are exact str: the copy passed marshal, which takes no subclass)
    cond = [*em.takes(gen, "out", exact_keys=True), "id(value) not in active", "depth <= LIMIT"]
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
