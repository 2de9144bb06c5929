"""Issues in document order: the order their paths take in the caller's input.

Linear in the body and the issues (see :class:`_Order`); the input is read through
the built-in types' own methods, so no caller code runs while sorting.
"""

from __future__ import annotations

from operator import indexOf
from operator import le as _le

from .context import Ctx, Path
from .issues import Issue

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["document_order"]


def document_order(body: Any, ctx: Ctx, exact_keys: bool) -> list[Issue]:
    if len(ctx.issues) < 2:
        return ctx.issues
    paths = ctx.paths
    if exact_keys and len(paths) <= _FEWEST:
        found = _exact_keys(body, paths)
        if all(map(_le, found, found[1:])):  # mostly so: no sort, no new list
            return ctx.issues
        return [ctx.issues[i] for i in sorted(range(len(paths)), key=found.__getitem__)]
    key = _Order(exact_keys).key
    if len(paths) > _FEW:  # many issues, mostly in order already: then no key is kept
        last = key(body, paths[0])
        for n in range(1, len(paths)):
            here = key(body, paths[n])
            if here < last:
                break
            last = here
        else:
            return ctx.issues
    keys = [key(body, path) for path in paths]
    return [ctx.issues[i] for i in sorted(range(len(paths)), key=keys.__getitem__)]


#: up to this many issues, their keys are computed once and sorted, in order or not
_FEW = 256


#: the index of a path part that is in no container (after every real one)
_NOWHERE = 1 << 30

#: up to this many issues in a body of exact built-in types, each key is found in C by
#: ``indexOf`` (no :class:`_Order`, no index of a dict's keys: a few scans of a dict in
#: C cost less than one index of it in Python)
_FEWEST = 8


def _exact_keys(node: Any, paths: list[Path]) -> list[list[int]]:
    """:meth:`_Order.key` of each path, for a body of exact built-in types only (the
    proof's marshal took it: its keys are exact ``str``, no subclass's code can run)."""
    keys: list[list[int]] = []
    for path in paths:
        key: list[int] = []
        here = node
        for part in path:
            kind = type(here)
            if kind is dict:
                try:
                    key.append(indexOf(here, part))
                except ValueError:
                    key.append(len(here))
                    here = None
                else:
                    here = here[part]
            elif (kind is list or kind is tuple) and type(part) is int:
                key.append(part)
                here = here[part] if 0 <= part < len(here) else None
            else:
                key.append(_NOWHERE)
                here = None
        keys.append(key)
    return keys


class _Order:
    """The position of each issue's path in the input, for sorting into document order.

    Linear in the body and the issues: each issue's parent is looked up once (the
    10^6 issues of one array share one), and a dict's keys are indexed once
    (``indexOf`` per issue cost the dict's length: 40,000 unknown keys took 11 s),
    except a small dict whose keys are known exact ``str`` (the proof's marshal took
    them), where ``indexOf`` in C is cheaper than an index. The input is read
    through the built-in types' own methods: a subclass's ``items``/``__getitem__``
    (or a key's ``__eq__``) is the caller's code and never runs here.
    """

    __slots__ = ("_exact", "_keys", "_parents")

    def __init__(self, exact_keys: bool) -> None:
        self._exact = exact_keys
        #: id of a dict -> its keys (as exact str) -> (position, value)
        self._keys: dict[int, dict[Any, tuple[int, Any]]] = {}
        #: the path of a parent -> (its positions, the node there)
        self._parents: dict[Path, tuple[tuple[int, ...], Any]] = {}

    def key(self, body: Any, path: Path) -> tuple[int, ...]:
        if len(path) < 3:  # walked: a slice and a lookup would cost as much
            return self._walk(body, path)[0]
        parent = path[:-1]
        found = self._parents.get(parent)
        if found is None:
            found = self._parents[parent] = self._walk(body, parent)
        return (*found[0], self._step(found[1], path[-1])[0])

    def _walk(self, node: Any, path: Path) -> tuple[tuple[int, ...], Any]:
        positions: list[int] = []
        small = self._exact  # the commonest step inlined: a small exact dict, exact keys
        for part in path:
            if small and type(node) is dict and len(node) <= 16:
                try:
                    positions.append(indexOf(node, part))  # in C, no index to build
                    node = node.get(part)
                except ValueError:
                    positions.append(len(node))
                    node = None
                continue
            index, node = self._step(node, part)
            positions.append(index)
        return tuple(positions), node

    def _step(self, node: Any, part: str | int) -> tuple[int, Any]:
        """The position of ``part`` in ``node``, and the value there (None: no value)."""
        t = type(node)
        if t is list and type(part) is int:
            return part, node[part] if 0 <= part < len(node) else None
        if t is dict or issubclass(t, dict):
            if self._exact and t is dict and len(node) <= 16:
                try:
                    return indexOf(node, part), node.get(part)  # in C, no index to build
                except ValueError:
                    return len(node), None
            return self._of(node).get(part, (dict.__len__(node), None))
        if issubclass(t, (list, tuple)) and type(part) is int:
            base: Any = list if issubclass(t, list) else tuple
            return part, base.__getitem__(node, part) if 0 <= part < base.__len__(node) else None
        return _NOWHERE, None

    def _of(self, node: dict[Any, Any]) -> dict[Any, tuple[int, Any]]:
        found = self._keys.get(id(node))
        if found is None:
            found = self._keys[id(node)] = {}
            for i, (k, v) in enumerate(dict.items(node)):
                if type(k) is not str:
                    if not issubclass(type(k), str):
                        continue  # not a key any path names
                    k = str.__str__(k)
                found.setdefault(k, (i, v))
        return found
