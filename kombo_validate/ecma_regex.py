"""ECMA-262 regular expressions, as jsonschema-rs runs them, translated to Python ``re``.

The strict schema's patterns (``strict_py``) must match in Python exactly what they
match in jsonschema-rs: ``\\d``/``\\w`` are ASCII, ``.`` stops at ``\\n``, ``\\r``,
U+2028 and U+2029, ``$`` only at the very end. :func:`ecma_to_python` knows a small
subset (escapes of digits, word characters, controls and punctuation; classes with
single-character ranges; groups, lookaheads, alternation, quantifiers) and raises
:class:`Untranslatable` for anything else, so a caller never runs a pattern whose
meaning could differ.
"""

from __future__ import annotations

import re

__all__ = ["Untranslatable", "ecma_to_python", "pattern_range_ok"]


class Untranslatable(ValueError):
    """The pattern holds syntax outside the translated subset."""


_OUT = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]"}
_IN = {"d": "0-9", "w": "A-Za-z0-9_"}
_CONTROL = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v"}
_PUNCT = set("\\/^$.|?*+()[]{}-")
_QUANT = r"\{[0-9]+(?:,[0-9]*)?\}"


def ecma_to_python(pattern: str) -> str:
    """``pattern`` (ECMA-262, as jsonschema-rs runs it) as a Python ``re`` pattern with
    the same matches; raises ``Untranslatable`` for any syntax outside the known subset."""
    out: list[str] = []
    i, n = 0, len(pattern)
    atom = False  # whether a quantifier may follow
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in _OUT:
                out.append(_OUT[nxt])
            elif nxt in _CONTROL:
                out.append(re.escape(_CONTROL[nxt]))
            elif nxt and nxt in _PUNCT:
                out.append(re.escape(nxt))
            else:
                raise Untranslatable(f"escape \\{nxt}")
            i, atom = i + 2, True
        elif c == "[":
            i = _class(pattern, i + 1, out)
            atom = True
        elif c == "(":
            if pattern.startswith("?", i + 1):
                head = pattern[i : i + 3]
                if head not in ("(?:", "(?=", "(?!"):
                    raise Untranslatable(f"group {head}")
                out.append(head)
                i += 3
            else:
                out.append("(")
                i += 1
            atom = False
        elif c == ")":
            out.append(")")
            i, atom = i + 1, True
        elif c == "|":
            out.append("|")
            i, atom = i + 1, False
        elif c in "*+?{":
            if not atom:
                raise Untranslatable("nothing to repeat")
            if c == "{":
                found = re.compile(_QUANT).match(pattern, i)
                if found is None:
                    raise Untranslatable("a literal {")
                out.append(found.group())
                i = found.end()
            else:
                out.append(c)
                i += 1
            if pattern.startswith("?", i):
                out.append("?")
                i += 1
            if pattern.startswith(("+", "*", "?", "{"), i):
                raise Untranslatable("a quantifier repeated")
            atom = False
        elif c == "^":
            out.append("^")
            i, atom = i + 1, False
        elif c == "$":
            out.append(r"\Z")
            i, atom = i + 1, False
        elif c == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
            i, atom = i + 1, True
        elif c in "]}" or "\ud800" <= c <= "\udfff":
            raise Untranslatable(f"a literal {c!r}")
        else:
            out.append(re.escape(c))
            i, atom = i + 1, True
    return "".join(out)


def _class(pattern: str, i: int, out: list[str]) -> int:
    """Translate the class whose body starts at ``i``; the index after its ``]``."""
    items: list[tuple[str, str]] = []  # ("char", c) or ("set", python text)
    negate = pattern.startswith("^", i)
    i += negate
    if pattern.startswith("]", i):
        raise Untranslatable("an empty class")
    while True:
        if i >= len(pattern):
            raise Untranslatable("an unclosed class")
        c = pattern[i]
        if c == "]":
            break
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in _IN:
                items.append(("set", _IN[nxt]))
            elif nxt in _CONTROL:
                items.append(("char", _CONTROL[nxt]))
            elif nxt and nxt in _PUNCT:
                items.append(("char", nxt))
            else:
                raise Untranslatable(f"class escape \\{nxt}")
            i += 2
        elif "\ud800" <= c <= "\udfff":
            raise Untranslatable("a surrogate")
        else:
            items.append(("char", c))
            i += 1
    parts: list[str] = []
    k = 0
    while k < len(items):
        kind, text = items[k]
        is_range = k + 2 < len(items) and items[k + 1] == ("char", "-")
        if is_range and pattern_range_ok(items[k], items[k + 2]):
            parts.append(f"{re.escape(text)}-{re.escape(items[k + 2][1])}")
            k += 3
            continue
        if is_range:
            raise Untranslatable("a range with a class escape, or reversed")
        parts.append(text if kind == "set" else re.escape(text))
        k += 1
    out.append("[" + ("^" if negate else "") + "".join(parts) + "]")
    return i + 1


def pattern_range_ok(lo: tuple[str, str], hi: tuple[str, str]) -> bool:
    """Both ends single characters, in order."""
    return lo[0] == hi[0] == "char" and lo[1] <= hi[1]
