"""Generated Python for the plan's closed objects, and for the fast path's repairs.

Both are written from an object's one description, its ``walkplan.ObjectWalk``, by
one routine (``_Emitter.steps``): the order and the treatment of its properties
cannot differ between them, nor from the plan's generic walker, which interprets
the same description.

The common case of a closed object (fixed properties, no unknown key) is one
specialised function per object schema, generated as Python source when the plan
is compiled (like fastjsonschema) and compiled on its first call: an exact dict
whose keys are all known and whose values are of ``_PLAIN_TYPES`` is copied in C,
and only the properties that need it are looked at, each with the rule's "nothing
to do" checks (``StrSkip``) tested before any call and the path tuple built only
when a call is made. Anything else (not a dict, too deep, a cycle, an unknown key,
None, a tuple, a subclass, a number out of range) goes to the generic walker of
that object, which reports it. ``generated_source(walker)`` returns the source for
debugging; tracebacks show its lines.
"""

from __future__ import annotations

import itertools
import linecache
import types
from collections.abc import Callable, Mapping
from typing import Any

from .context import MAX_DEPTH, Ctx, Path
from .rules import Plain
from .rules.numbers import INT_LIMIT
from .walkplan import ObjectWalk, Prop, Walker, attach, node_of

__all__ = [
    "Repair",
    "define",
    "generate_bulk",
    "generated_source",
    "node_of",
    "repair_walker",
]

#: value types an object's bulk path accepts as a whole; each property is then tested
#: on its own (plain keys must hold ``_SCALAR_OR_ABSENT``, numbers are range-checked)
_PLAIN_TYPES = frozenset({str, bool, int, float, dict, list})
#: what a property with a plain (scalar) schema may hold on the bulk path (NoneType: absent,
#: since a present None has already sent the dict to the generic walker)
_SCALAR_OR_ABSENT = frozenset({str, bool, type(None)})

_MISSING = object()


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

    def special(self, o: str, prop: Prop, indent: int) -> str:
        """``v = o[name]`` and ``if`` it needs its walker (the bulk path's test); returns v."""
        v = self.local("v")
        self.line(indent, f"{v} = {o}.get({prop.name!r}, MISSING)")
        test = f"{v} is not MISSING"
        if prop.numeric:
            test += (
                f" and not (type({v}) is int and -LIM <= {v} <= LIM"
                f" or type({v}) is float and {v} - {v} == 0.0)"
            )
        elif prop.skip is not None:
            test += f" and not ({self.plain_test(v, prop.skip)})"
        self.line(indent, f"if {test}:")
        return v

    def takes(self, plan: ObjectWalk, x: str, exact_keys: bool = False) -> list[str]:
        """The tests (all must hold) under which the bulk path takes the value ``x``:
        an exact dict of known keys and plain value types, scalars where plain.

        Keys are proven exact ``str`` before they are hashed or compared (a subclass's
        ``__hash__``/``__eq__`` is the caller's code), unless ``exact_keys`` says that
        is known already."""
        cond = [f"type({x}) is dict"]
        if not exact_keys:
            cond.append(f"STR.issuperset(map(type, {x}))")
        cond += [
            f"{self.const('K', plan.known)}.issuperset({x})",
            f"PLAIN.issuperset(map(type, {x}.values()))",
        ]
        if plan.plain:
            keys = self.const("PK", plan.plain)
            cond.append(f"SCALAR.issuperset(map(type, map({x}.get, {keys})))")
        return cond

    def steps(
        self,
        plan: ObjectWalk,
        src: str,
        o: str,
        path: tuple[str, ...],
        depth: int,
        indent: int,
        *,
        track: bool,
        parts: Mapping[str, Any],
    ) -> None:
        """The plan's steps on ``o``, the copy of the dict ``src`` the bulk path takes:
        each special property in order, then the object rules. ``track``: ``src`` is
        put on the walk stack around its properties. ``parts``: properties whose wire
        value is asked ``full`` and repaired from ``src``'s (the fast path's repair);
        the others are tested and walked on ``o`` (the bulk path)."""
        if track:
            self.line(indent, f"active.add(id({src}))")
        for prop in plan.specials:
            name = prop.name
            here = (*path, repr(name))
            part = parts.get(name)
            if part is None:
                v = self.special(o, prop, indent)
                # a call, not inlined: generating each object's whole subtree tripled the
                # plan's build time (cold start) for 6% of a walk the fast path mostly skips
                self.call(prop.walker, v, f"{o}[{name!r}]", here, depth + 1, indent + 1)
                continue
            h = self.const("h", part)
            v = self.local("v")
            self.line(indent, f"{v} = {o}.get({name!r}, MISSING)")
            self.line(indent, f"if {v} is not MISSING and not {h}.full({v}):")
            self.line(
                indent + 1,
                f"{o}[{name!r}] = {h}.repair({src}[{name!r}], {v}, {_path_code(here)}, ctx, "
                f"{_depth_code(depth + 1)})",
            )
        if track:
            self.line(indent, f"active.discard(id({src}))")
        for rule in plan.rules:
            self.line(indent, f"{self.const('r', rule)}({o}, {_path_code(path)}, ctx)")

    def object(
        self, plan: ObjectWalk, x: str, o: str, path: tuple[str, ...], depth: int, indent: int
    ) -> None:
        cond = self.takes(plan, x)
        # only a container's children can make it its own ancestor
        track = bool(plan.specials)
        if track:
            cond.append(f"id({x}) not in active")
        self.line(indent, f"if {' and '.join(cond)}:")
        self.line(indent + 1, f"{o} = {x}.copy()")
        self.steps(plan, x, o, path, depth, indent + 1, track=track, parts={})
        self.line(indent, "else:")
        self.call(plan.generic, x, o, path, depth, indent + 1)

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


def generate_bulk(plan: ObjectWalk) -> Walker:
    """The bulk walker of ``plan``'s object (compiled on its first call)."""
    em = _Emitter()
    em.line(1, "active = ctx.active")
    em.object(plan, "value", "out", ("*path",), 0, 1)
    em.line(1, "return out")
    em.env["LIMIT"] = MAX_DEPTH
    em.env["generic"] = plan.generic
    source = "\n".join(
        [
            f"# the bulk path of the object schema at {plan.label}",
            "def walk_object_bulk(value, path, ctx, depth):",
            "    if depth > LIMIT:",
            "        return generic(value, path, ctx, depth)",
            *em.lines,
            "",
        ]
    )
    bulk: Walker = define(source, f"{plan.label[:60]} #{next(_serial)}", em.env, lazy=True)
    attach(bulk, plan)
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


def repair_walker(plan: ObjectWalk, parts: Mapping[str, Any], walker: Walker) -> Repair:
    """The bulk path of ``plan`` on the wire copy ``out`` of an object, for the fast path.

    ``parts`` maps each container property to what the fast path knows of it: an
    object with ``full(wire) -> bool`` (the wire value needs nothing) and
    ``repair`` (a :data:`Repair`). A dict the bulk path takes (known keys, plain
    value types; not too deep, not its own ancestor) has its properties walked in
    the plan's order (:meth:`_Emitter.steps`, as the bulk path): a scalar as the
    bulk path does, a container only when ``full`` fails, by its ``repair``.
    Anything else goes to ``walker`` (the plan's walker of the object) from the
    input, whole. Issues, changes and their order are then the plan walk's.
    """
    em = _Emitter()
    # the copy has the input's keys and value types: the bulk path's test reads it (the
    # keys are exact str: the copy passed marshal, which takes no subclass)
    cond = [*em.takes(plan, "out", exact_keys=True), "id(value) not in active", "depth <= LIMIT"]
    em.line(1, "active = ctx.active")
    em.line(1, f"if not ({' and '.join(cond)}):")
    em.line(2, f"return {em.const('w', walker)}(value, path, ctx, depth)")
    em.steps(plan, "value", "out", ("*path",), 0, 1, track=True, parts=parts)
    em.line(1, "return out")
    em.env["LIMIT"] = MAX_DEPTH
    source = "\n".join(
        [
            f"# the fast path's repair of the object schema at {plan.label}",
            "def repair_object(value, out, path, ctx, depth):",
            *em.lines,
            "",
        ]
    )
    repair: Repair = define(source, f"repair {plan.label[:53]} #{next(_serial)}", em.env)
    return repair
