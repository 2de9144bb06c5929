"""What JSON data must be beyond its Python types: valid Unicode, and plain data for contexts.

- :func:`unicode_issues`: a ``str`` may hold a lone surrogate (``"\\ud800"``, from
  ``json.loads('"\\\\ud800"')`` or ``surrogateescape``), which no UTF-8 encoder
  takes: the request could never be sent. It is an error at its path
  (``string.invalid_unicode``), key or value. The scan reads wire data (exact
  built-in types) and skips ASCII strings in O(1) (``str.isascii``).
- :func:`plain_json`: job questions and attachment restrictions read as the walk
  reads a body (exact JSON types, bounded depth and size, finite numbers, no
  cycles, no code of the caller's run), before anything else looks at them.
- :func:`walk_any`: the generic walk of a value no schema describes — JSON data,
  copied, every problem an issue at its path; :func:`json_type` names a value's
  JSON type by its real type. The plan's walkers fall back to it, and responses
  and contexts use it as it is.

Kombo reads JSON numbers as doubles: an integer beyond :data:`INT_LIMIT` is
``number.out_of_range``, ``NaN`` and the infinities ``number.not_finite``.
"""

from __future__ import annotations

import math
import re
import sys

from .context import MAX_CONTAINERS, MAX_DEPTH, Ctx, Path
from .issues import excerpt, type_name

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

__all__ = [
    "DOUBLE_MAX",
    "INT_LIMIT",
    "JSON_TYPE_NAMES",
    "enter",
    "exact_key",
    "json_type",
    "plain_json",
    "refuse",
    "scalar",
    "unicode_issues",
    "walk_any",
]

DOUBLE_MAX = sys.float_info.max
#: the largest integer a double holds (in magnitude): past it, a JSON number is out of range
INT_LIMIT = int(DOUBLE_MAX)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]").search


def _check(text: str, path: Path, ctx: Ctx, what: str) -> None:
    found = _LONE_SURROGATE(text)
    if found is not None:
        ctx.error(
            path,
            "string.invalid_unicode",
            f"{what}{excerpt(text)} is not valid Unicode: a lone surrogate "
            f"(U+{ord(found.group()):04X}, character {found.start()}) cannot be sent as UTF-8",
        )


def unicode_issues(value: Any, path: Path, ctx: Ctx) -> None:
    """Report every string (or key) in the wire ``value`` that holds a lone surrogate."""
    t = type(value)
    if t is str:
        if not value.isascii():
            _check(value, path, ctx, "")
    elif t is dict:
        for key, item in value.items():  # wire keys are exact str
            if not key.isascii():
                _check(key, (*path, key), ctx, "the key ")
            ti = type(item)
            if ti is str:
                if not item.isascii():
                    _check(item, (*path, key), ctx, "")
            elif ti is dict or ti is list:
                unicode_issues(item, (*path, key), ctx)
    elif t is list:
        for i, item in enumerate(value):
            ti = type(item)
            if ti is str:
                if not item.isascii():
                    _check(item, (*path, i), ctx, "")
            elif ti is dict or ti is list:
                unicode_issues(item, (*path, i), ctx)


def plain_json(raw: object) -> tuple[Any, Path, str | None]:
    """``(data, path, problem)``: ``raw`` as exact JSON data, and the first error the
    walk found in it (its path and message), or ``problem`` None."""
    ctx = Ctx()
    data = walk_any(raw, (), ctx, 0)
    for issue, path in zip(ctx.issues, ctx.paths, strict=True):
        if issue.severity == "error":
            return data, path, issue.message
    return data, (), None


JSON_TYPE_NAMES = {
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
    """The JSON type a Python value maps to, or None for non-JSON values.

    By its real type: ``isinstance`` would believe a ``__class__`` that claims ``dict``.
    """
    t = type(value)
    name = JSON_TYPE_NAMES.get(t)
    if name is not None:
        return name
    for cls, cls_name in JSON_TYPE_NAMES.items():
        if issubclass(t, cls):
            return cls_name
    return None


def enter(value: object, path: Path, ctx: Ctx, depth: int) -> bool:
    """Depth, cycle and size guard for a container the schema says nothing about."""
    if depth > MAX_DEPTH or id(value) in ctx.active:
        refuse(value, path, ctx, depth)
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


def refuse(value: object, path: Path, ctx: Ctx, depth: int) -> Any:
    if depth > MAX_DEPTH:
        ctx.error(path, "json.too_deep", f"nesting deeper than {MAX_DEPTH} levels is not accepted")
    else:
        ctx.error(path, "json.cycle", "this value contains itself (a reference cycle)")
    return None


def scalar(value: Any, path: Path, ctx: Ctx) -> Any:
    """Non-container, non-exact-type values: subclasses of JSON types, or non-JSON.

    A subclass is read through its built-in base's own method (``int.__int__``...),
    never its overrides: the walk runs no code of the caller's values. A value is
    known by its real type (``issubclass(type(x))``), never by a ``__class__`` it claims.
    """
    t = type(value)
    if t is bool:
        return value
    if issubclass(t, str):
        after = str.__str__(value)
        ctx.change(path, value, after, f"{type_name(value)} converted to str")
        return after
    if issubclass(t, int):
        after_int = int.__int__(value)
        if not -INT_LIMIT <= after_int <= INT_LIMIT:
            return walk_any(after_int, path, ctx, 0)
        ctx.change(path, value, after_int, f"{type_name(value)} converted to int")
        return after_int
    if issubclass(t, float):
        after_float = float.__float__(value)
        if not math.isfinite(after_float):
            ctx.error(path, "number.not_finite", f"{after_float!r} is not a finite number")
            return None
        ctx.change(path, value, after_float, f"{type_name(value)} converted to float")
        return after_float
    ctx.error(
        path,
        "json.not_json",
        f"a {type_name(value)} is not JSON data (use a string, number, boolean, "
        "null, object or array)",
    )
    return None


def walk_any(value: Any, path: Path, ctx: Ctx, depth: int) -> Any:
    """Walk a value the schema says nothing about: JSON data, copied."""
    return _walk(value, (None, path), ctx, depth)


#: where the walk is: ``(None, path)`` at its start, ``(parent, key)`` below it. A path
#: tuple is only built for an issue: one per container, 60 keys deep, costs its length
#: (and past 62 keys a tuple leaves Python's small-object allocator)
_Link: TypeAlias = "tuple[Any, Any]"


def _path(link: _Link) -> Path:
    keys: list[str | int] = []
    while link[0] is not None:
        keys.append(link[1])
        link = link[0]
    base: Path = link[1]
    return base + tuple(reversed(keys)) if keys else base


def _admit(value: Any, link: _Link, ctx: Ctx, depth: int) -> bool:
    """``enter``, with the path built only when a container is refused (and past the
    budget, once that was said, silently)."""
    vid = id(value)
    if depth > MAX_DEPTH or vid in ctx.active:
        return enter(value, _path(link), ctx, depth)
    if ctx.budget > 0:
        ctx.budget -= 1
        ctx.active.add(vid)
        return True
    if ctx.budget < 0:
        ctx.budget -= 1
        return False
    return enter(value, _path(link), ctx, depth)


def _leaf(value: Any, link: _Link, ctx: Ctx) -> Any:
    """A value that is no dict, list or tuple (nor a subclass of one)."""
    t = type(value)
    if t is str or t is bool or value is None:
        return value
    if t is int:
        if -INT_LIMIT <= value <= INT_LIMIT:
            return value
        ctx.error(
            _path(link),
            "number.out_of_range",
            f"{excerpt(value)} is beyond what a JSON number holds",
        )
        return None
    if t is float:
        if math.isfinite(value):
            return value
        ctx.error(_path(link), "number.not_finite", f"{value!r} is not a finite number")
        return None
    return scalar(value, _path(link), ctx)


def _kind(t: type) -> type | None:
    if t is dict or t is list or t is tuple:
        return t
    if t is str or t is int or t is float or t is bool:
        return None
    if issubclass(t, dict):
        return dict
    if issubclass(t, list):
        return list
    if issubclass(t, tuple):
        return tuple
    return None


def _items(value: Any, kind: type) -> Any:
    """The container's own entries (never an override): (key, item) pairs."""
    if kind is dict:
        return iter(dict.items(value))
    return enumerate(list.__iter__(value) if kind is list else tuple.__iter__(value))


def _walk(value: Any, link: _Link, ctx: Ctx, depth: int) -> Any:
    """The walk, with its own stack (a Python call per level would allocate and free a
    block of frames each time a deep walk crosses a block's edge, some 100,000 times
    in a graph of shared sub-objects): issues and changes in the recursive order."""
    kind = _kind(type(value))
    if kind is None:
        return _leaf(value, link, ctx)
    if not _admit(value, link, ctx, depth):
        return None
    root: Any = {} if kind is dict else []
    stack: list[tuple[Any, Any, _Link, int, Any, type]] = [
        (_items(value, kind), root, link, depth, value, kind)
    ]
    active = ctx.active
    while stack:
        entries, out, here, level, source, kind = stack[-1]
        is_dict = kind is dict
        for key, item in entries:
            if is_dict and type(key) is not str:
                key = exact_key(key, _path(here), ctx)
                if key is None:
                    continue
            child_kind = _kind(type(item))
            if child_kind is None:
                result = _leaf(item, (here, key), ctx)
            elif _admit(item, (here, key), ctx, level + 1):
                result = {} if child_kind is dict else []
                stack.append(
                    (_items(item, child_kind), result, (here, key), level + 1, item, child_kind)
                )
            else:
                result = None
            if is_dict:
                out[key] = result
            else:
                out.append(result)
            if child_kind is not None and result is not None:
                break  # into the child; this container resumes after it
        else:
            stack.pop()
            active.discard(id(source))
            if kind is tuple:
                ctx.change(_path(here), source, out, "tuple converted to list")
    return root


def exact_key(key: object, path: Path, ctx: Ctx) -> str | None:
    """``key`` as an exact ``str`` (a subclass copied, never hashed nor compared), or None."""
    t = type(key)
    if t is str:
        return key  # type: ignore[return-value]
    if issubclass(t, str):
        return str.__str__(key)
    ctx.error(
        path,
        "json.key_not_string",
        f"object key {excerpt(key)} is a {type_name(key)}; JSON keys are strings",
    )
    return None
