"""ECMA-262 regular expressions (as JSON Schema's ``pattern`` means them) on Python's ``re``.

Two differences matter for the spec's patterns: ``\\d`` and ``\\w`` are ASCII-only
in ECMA-262 (a fullwidth digit is not a digit), and ``$`` matches only at the
very end of the input (Python's ``$`` also matches before a final newline).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["ecma_regex", "to_python_regex"]

_IN_CLASS = {"d": "0-9", "w": "A-Za-z0-9_"}
_OUTSIDE = {"d": "[0-9]", "w": "[A-Za-z0-9_]", "D": "[^0-9]", "W": "[^A-Za-z0-9_]"}


def to_python_regex(pattern: str) -> str:
    """Translate an ECMA-262 pattern into an equivalent Python ``re`` pattern."""
    out: list[str] = []
    in_class = False
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if in_class and nxt in _IN_CLASS:
                out.append(_IN_CLASS[nxt])
            elif not in_class and nxt in _OUTSIDE:
                out.append(_OUTSIDE[nxt])
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):  # a literal ] first in a class
                out.append("\\]")
                i += 1
        elif c == "$":
            out.append(r"\Z")
        else:
            out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 pattern for ``search`` (JSON Schema patterns are unanchored)."""
    return re.compile(to_python_regex(pattern))
