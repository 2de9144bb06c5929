"""The one description of how a closed object is walked, and what the plan knows of
its other container walkers.

An :class:`ObjectWalk` is built once per object schema by the compiler (``plan``)
and is the only place the walk's steps are written down: its known properties in
the schema's order (each with its walker, whether a given ``None`` is dropped, and
the tests under which its value needs no call), how an unknown key is treated, and
the object rules that run once the properties are walked. Three walks read it:

- :func:`generic_walker` interprets it, key by key in the input's order (every
  dict: unknown keys, ``None``, subclasses, cycles, depth);
- ``codegen.generate_bulk`` writes it out as Python for the common case (an exact
  dict of known keys and plain values), its properties in the plan's order;
- ``codegen.repair_walker`` writes the same steps for the fast path's repair of a
  wire copy, its containers asked first whether they need anything.

So the three cannot disagree on which property is walked how, or on the order the
generated two walk them in (``tests/test_walkplan.py`` checks it for every object
schema of the spec). ``ArrayGen`` and ``AnyOfGen`` describe the other containers;
:func:`attach` keeps a description on its walker, :func:`node_of` reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import MAX_DEPTH, Ctx, Path
from .issues import REMOVED, excerpt
from .jsondata import exact_key, refuse, walk_any
from .rules import Plain, Where

__all__ = [
    "AnyOfGen",
    "ArrayGen",
    "ObjectRule",
    "ObjectWalk",
    "Prop",
    "StrSkip",
    "Walker",
    "attach",
    "generic_walker",
    "node_of",
]

Walker = Callable[[Any, Path, Ctx, int], Any]

#: when a walker may be skipped for a value of exactly type ``str``: None (never), or
#: the checks that must all be truthy for it (``()``: any ``str`` is left as it is)
StrSkip = tuple[Plain, ...] | None

#: an object rule: ``(obj, path, ctx) -> None`` on the object's wire copy
ObjectRule = Callable[[dict[str, Any], Path, Ctx], None]


class Prop:
    """One known property of an object: how its value is walked."""

    __slots__ = ("converts", "droppable", "fast", "name", "numeric", "skip", "walker")

    def __init__(
        self,
        name: str,
        walker: Walker,
        *,
        droppable: bool,
        fast: type | None,
        skip: StrSkip,
        numeric: bool,
        converts: bool = False,
    ) -> None:
        self.name = name
        self.walker = walker
        #: a given None is dropped (optional and not nullable) rather than walked
        self.droppable = droppable
        #: values of exactly this type are copied as they are (no call, no path)
        self.fast = fast
        #: when an exact ``str`` needs no call of ``walker`` (see :data:`StrSkip`)
        self.skip = skip
        #: it holds a number and nothing the rules look at: an int a double holds or a
        #: finite float needs no call
        self.numeric = numeric
        #: its walker runs a ``convert`` rule: values that are not JSON data (bytes, a
        #: date) become its string, which may be long (a file's base64)
        self.converts = converts


class ObjectWalk:
    """How one object schema is walked: the steps, in order (see the module docstring).

    1. every key: not an exact ``str`` → made one (or dropped, reported);
    2. a known property: its value as it is when of its ``fast`` type; else ``None``
       dropped when ``droppable``; else its ``walker``;
    3. an unknown key: ``key.unknown`` when ``warn_unknown``; its value by ``extra``;
    4. then each of ``rules`` on the object's wire copy.

    The generated walks take only exact dicts of known keys and plain values, so
    they do step 2 alone, for the :attr:`specials` in :attr:`props` order.
    """

    __slots__ = (
        "by_name",
        "extra",
        "fast_types",
        "generic",
        "known",
        "label",
        "plain",
        "props",
        "rules",
        "schema",
        "specials",
        "walkers",
        "warn_unknown",
        "where",
    )

    #: the walker of every dict, interpreting this plan (:func:`generic_walker`)
    generic: Walker

    def __init__(
        self,
        schema: dict[str, Any],
        where: Where,
        props: list[Prop],
        *,
        extra: Walker,
        warn_unknown: bool,
        rules: list[ObjectRule],
    ) -> None:
        #: the object schema (``allOf`` merged) and where it sits
        self.schema = schema
        self.where = where
        #: the known properties, in the schema's order
        self.props = tuple(props)
        self.by_name = {p.name: p for p in props}
        self.known = frozenset(self.by_name)
        #: the walker of an unknown key's value
        self.extra = extra
        #: whether an unknown key is reported (a closed object)
        self.warn_unknown = warn_unknown
        self.rules = tuple(rules)
        #: the properties whose values may need a call, in order
        self.specials = tuple(p for p in props if p.fast is None)
        #: the properties whose values are copied as they are (scalars of one type)
        self.plain = tuple(p.name for p in props if p.fast is not None)
        #: property -> the exact type its value is copied as without a call
        self.fast_types: dict[str, type] = {p.name: p.fast for p in props if p.fast is not None}
        #: every property's walker (what the object's walk calls for its value)
        self.walkers: dict[str, Walker] = {p.name: p.walker for p in props}
        self.label = f"{where.name or 'body'}: {', '.join(sorted(self.known))}"
        self.generic = generic_walker(self)


def generic_walker(plan: ObjectWalk) -> Walker:
    """The walker of any value where ``plan``'s object goes: its steps, key by key."""
    fast_get = plan.fast_types.get
    props_get = plan.by_name.get
    warn_unknown = plan.warn_unknown
    known = sorted(plan.known)
    extra = plan.extra
    object_rules = plan.rules

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

    return walk_object


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


class ArrayGen:
    """What the fast path needs of an array walker."""

    __slots__ = ("item", "schema")

    def __init__(self, schema: dict[str, Any], item: Walker) -> None:
        self.schema = schema
        self.item = item


_GEN_ATTR = "_kombo_validate_gen"


def attach(walker: Walker, gen: ObjectWalk | ArrayGen | AnyOfGen) -> None:
    """Keep what the plan knows of a container walker on it, for :func:`node_of`."""
    setattr(walker, _GEN_ATTR, gen)


def node_of(walker: Walker) -> ObjectWalk | ArrayGen | AnyOfGen | None:
    """What the plan knows about a container walker (None: a free-form or scalar one)."""
    gen = getattr(walker, _GEN_ATTR, None)
    return gen if isinstance(gen, (ObjectWalk, ArrayGen, AnyOfGen)) else None
