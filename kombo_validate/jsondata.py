"""What JSON data must be beyond its Python types: valid Unicode, and plain data for contexts.

- :func:`unicode_issues`: a ``str`` may hold a lone surrogate (``"\\ud800"``, from
  ``json.loads('"\\\\ud800"')`` or ``surrogateescape``), which no UTF-8 encoder
  takes: the request could never be sent. It is an error at its path
  (``string.invalid_unicode``), key or value. The scan reads wire data (exact
  built-in types) and skips ASCII strings in O(1) (``str.isascii``).
- :func:`plain_json`: job questions and attachment restrictions read as the walk
  reads a body (exact JSON types, bounded depth and size, finite numbers, no
  cycles, no code of the caller's run), before anything else looks at them.
"""

from __future__ import annotations

import re
from typing import Any

from .context import Ctx, Path
from .issues import excerpt

__all__ = ["plain_json", "unicode_issues"]

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
    from .plan import walk_any

    ctx = Ctx()
    data = walk_any(raw, (), ctx, 0)
    for issue, path in zip(ctx.issues, ctx.paths, strict=True):
        if issue.severity == "error":
            return data, path, issue.message
    return data, (), None
