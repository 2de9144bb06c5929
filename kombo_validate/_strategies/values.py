"""``json_values()``: JSON data and everything that is not, for robustness tests.

JSON scalars at their edges (big integers, NaN, infinities, ``-0.0``, lone
surrogates), subclasses of JSON types, Python values that are not JSON
(bytes, sets, dates, decimals, arbitrary objects), mappings with non-string
keys, reference cycles and nesting deeper than the core's limit.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import types
import uuid
from collections import OrderedDict, defaultdict
from typing import Any

from hypothesis import strategies as st

from ..context import MAX_DEPTH
from .bodies import Int
from .leaves import Text

__all__ = ["json_values"]


class Float(float):
    """A ``float`` subclass (numpy-like scalars)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Float({float.__repr__(self)})"


class Opaque:
    """An arbitrary object: not JSON data."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Opaque()"


class Touchy:
    """An object whose comparisons and truth value raise: the core must not need them."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("Touchy.__eq__ called")

    def __bool__(self) -> bool:
        raise RuntimeError("Touchy.__bool__ called")

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "Touchy()"


#: powers of ten from exact-in-a-double to past Python's 4300-digit str() limit
_BIG_INTS = st.tuples(st.sampled_from((16, 19, 20, 309, 400, 4301)), st.sampled_from((1, -1))).map(
    lambda p: p[1] * 10 ** p[0]
)
_EDGE_FLOATS = (math.nan, math.inf, -math.inf, -0.0, sys.float_info.max, 5e-324)

_SURROGATES = st.text(
    st.characters(categories=["Cs"]) | st.characters(codec="ascii"), min_size=1, max_size=4
).filter(lambda s: any("\ud800" <= c <= "\udfff" for c in s))


def _view(data: bytes) -> memoryview:
    return memoryview(data)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        _BIG_INTS,
        st.floats(),
        st.sampled_from(_EDGE_FLOATS),
        st.text(max_size=12),
        _SURROGATES,
        st.text(max_size=8).map(Text),
        st.integers().map(Int),
        st.floats().map(Float),
    )


def _non_json() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.binary(max_size=8),
        st.binary(max_size=8).map(bytearray),
        st.binary(max_size=8).map(_view),
        st.sets(st.integers(0, 9), max_size=3),
        st.frozensets(st.text(max_size=3), max_size=3),
        st.decimals(allow_nan=True),
        st.complex_numbers(),
        st.dates(),
        st.datetimes(),
        st.datetimes(timezones=st.just(dt.timezone.utc)),
        st.times(),
        st.uuids(),
        st.sampled_from((Ellipsis, len, int, range(3), uuid.UUID(int=0))),
        st.builds(Opaque),
        st.builds(Touchy),
    )


_KEYS = st.one_of(
    st.text(max_size=6),
    st.text(max_size=4).map(Text),
    st.integers(-3, 3),
    st.none(),
    st.booleans(),
    st.floats(),
    st.tuples(st.text(max_size=2)),
    st.frozensets(st.integers(0, 3), max_size=2),
    st.binary(max_size=3),
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=6), inner, max_size=3),
        st.dictionaries(_KEYS, inner, max_size=3),
        st.dictionaries(st.text(max_size=6), inner, max_size=3).map(OrderedDict),
        st.dictionaries(st.text(max_size=6), inner, max_size=2).map(lambda d: defaultdict(list, d)),
        st.dictionaries(st.text(max_size=6), inner, max_size=2).map(types.MappingProxyType),
    )


def _self_list(items: list[Any]) -> list[Any]:
    items.append(items)
    return items


def _self_dict(items: dict[str, Any]) -> dict[str, Any]:
    items["self"] = items
    return items


def _mutual(items: list[Any]) -> list[Any]:
    outer: list[Any] = [*items]
    outer.append({"back": outer})
    return outer


def _nested(depth: int, as_dict: bool) -> Any:
    value: Any = None
    for _ in range(depth):
        value = {"d": value} if as_dict else [value]
    return value


def json_values() -> st.SearchStrategy[Any]:
    """See :func:`kombo_validate.strategies.json_values`."""
    leaf = st.one_of(_scalars(), _non_json())
    tree = st.recursive(leaf, _containers, max_leaves=8)
    cycles = st.one_of(
        st.lists(leaf, max_size=2).map(_self_list),
        st.dictionaries(st.text(max_size=4), leaf, max_size=2).map(_self_dict),
        st.lists(leaf, max_size=2).map(_mutual),
    )
    deep = st.builds(_nested, st.integers(MAX_DEPTH - 4, MAX_DEPTH + 40), st.booleans())
    return st.one_of(tree, cycles, deep)
