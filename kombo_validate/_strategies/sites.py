"""What the drawing modules share: paths, the record of where each drawn value sits,
and the small forms of a drawn value."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import Node

__all__ = ["DEFAULT_MAX_BYTES", "Path", "Site", "at", "str_enum"]

Path = tuple[str | int, ...]

#: decoded size of a drawn attachment, by default (bodies stay small and fast)
DEFAULT_MAX_BYTES = 48


@dataclass(frozen=True)
class Site:
    """Where a drawn wire value sits, and the node it was drawn from."""

    path: Path
    node: Node
    #: drawn for one branch of an ``anyOf`` (the anyOf's own site is recorded too)
    in_any_of: bool = False


def at(body: Any, path: Path) -> Any:
    """The value at ``path`` in ``body``."""
    node = body
    for part in path:
        node = node[part]
    return node


@lru_cache(maxsize=64)
def str_enum(values: tuple[str, ...]) -> type[enum.Enum]:
    """A ``(str, Enum)`` class over ``values``, as SDK users define them."""
    return enum.Enum("SpecEnum", [(f"V{i}", v) for i, v in enumerate(values)], type=str)  # type: ignore[return-value]
