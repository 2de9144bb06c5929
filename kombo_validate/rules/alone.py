"""What a rule leaves alone, said once, as data.

Each rule declares, for the schema it attaches to, the strings (or objects) it
returns unchanged without reporting anything: one of the small types below.
Both forms the core needs are derived from that one declaration:

- :func:`plain_of`: the plan's quick check of an exact ``str`` (truthy: the rule
  need not be called), or None when there is none;
- :func:`strict_of`: the JSON Schema fragment the fast path proves bodies with
  (jsonschema-rs, formats asserted, the custom ones from :data:`FORMATS`).

So the two cannot drift apart; ``tests/test_rules_alone.py`` checks every
declaration against its rule on drawn strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ALL_STRINGS",
    "ALWAYS",
    "NONE_KNOWN",
    "AllStrings",
    "Alone",
    "Format",
    "Given",
    "NoneKnown",
    "NoneOf",
    "OneOf",
    "Pattern",
    "Plain",
    "Schema",
    "Strict",
    "plain_of",
    "strict_of",
]

#: ``plain(value: str)``: truthy only when the rule would return this exact ``str``
#: unchanged and report nothing (the plan then skips the call); ``ALWAYS`` when that
#: holds for every ``str``.
Plain = Callable[[str], object]

#: a JSON Schema fragment, for jsonschema-rs with formats asserted, under which the
#: rule leaves a value alone and reports nothing (True: always; False: never known)
Strict = dict[str, Any] | bool


def ALWAYS(value: str) -> bool:
    """The plain check of a rule that leaves every ``str`` alone (a converter, say)."""
    return True


@dataclass(frozen=True)
class AllStrings:
    """Every ``str`` is left alone (a converter: a string is already wire form)."""


@dataclass(frozen=True)
class NoneKnown:
    """No value is known to be left alone: the rule always runs."""


ALL_STRINGS = AllStrings()
NONE_KNOWN = NoneKnown()

#: escapes whose meaning differs between Python's ``re`` (Unicode) and ECMA-262 (ASCII)
_DIALECT = re.compile(r"\\[dDwWsSbB]")


@dataclass(frozen=True)
class Pattern:
    """The strings ``regex`` matches whole.

    ``regex`` must mean the same to Python's ``re`` and to ECMA-262 (jsonschema-rs):
    no ``\\d``/``\\w``/``\\s``/``\\b`` (Unicode in one, ASCII in the other), and no
    top-level ``|`` (the fragment anchors it as ``^regex$``).
    """

    regex: str

    def __post_init__(self) -> None:
        if _DIALECT.search(self.regex) or _top_level_bar(self.regex):
            raise ValueError(f"not a pattern both dialects read alike: {self.regex!r}")

    @property
    def anchored(self) -> str:
        """The ECMA-262 form: ``^regex$``."""
        return "^" + self.regex + "$"

    @property
    def fullmatch(self) -> Callable[[str], re.Match[str] | None]:
        """The Python form: a match of the whole string (``re`` caches the compiled regex)."""
        return re.compile(self.regex).fullmatch


def _top_level_bar(regex: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


@dataclass(frozen=True)
class OneOf:
    """Exactly these strings.

    ``stated``: the schema's own ``enum`` admits exactly these already, so the fast
    path's schema (which keeps it) needs no fragment.
    """

    values: frozenset[str]
    stated: bool = False


@dataclass(frozen=True)
class NoneOf:
    """Strings holding none of ``chars`` (found by ``in``: memchr, not a regex scan)."""

    chars: str

    @property
    def holds(self) -> Callable[[str], bool]:
        """The Python form: True when the string holds none of ``chars``."""
        chars = self.chars

        def plain(value: str) -> bool:
            return not any(char in value for char in chars)

        return plain


@dataclass(frozen=True)
class Format:
    """The strings ``predicate`` takes, as a custom format named ``name``.

    The fast path registers it with jsonschema-rs (``formats=``, see
    :data:`kombo_validate.rules.STRICT_FORMATS`), which calls back into ``predicate``.
    """

    name: str
    predicate: Callable[[str], bool]


@dataclass(frozen=True)
class Given:
    """The two forms spelled out, each on its own: only where no one declaration gives
    both at the speed wanted (see the rule's comment). The test checks each against
    the rule."""

    plain: Plain | None
    strict: Strict


@dataclass(frozen=True)
class Schema:
    """An object rule's condition: a JSON Schema fragment over the object (there is
    no ``str`` to check quickly; the plan always calls an object rule)."""

    fragment: Strict


Alone = AllStrings | NoneKnown | Pattern | OneOf | NoneOf | Format | Given | Schema


def plain_of(alone: Alone) -> Plain | None:
    """The plan's quick check of a ``str`` under ``alone`` (None: always call the rule)."""
    if isinstance(alone, AllStrings):
        return ALWAYS
    if isinstance(alone, Pattern):
        return alone.fullmatch
    if isinstance(alone, OneOf):
        return alone.values.__contains__  # codegen inlines a frozenset's __contains__
    if isinstance(alone, NoneOf):
        return alone.holds
    if isinstance(alone, Format):
        return alone.predicate
    if isinstance(alone, Given):
        return alone.plain
    return None  # NoneKnown, Schema


def strict_of(alone: Alone) -> Strict:
    """The fast path's JSON Schema fragment under ``alone``."""
    if isinstance(alone, AllStrings):
        return True
    if isinstance(alone, Pattern):
        return {"pattern": alone.anchored}
    if isinstance(alone, OneOf):
        return True if alone.stated else {"enum": sorted(alone.values)}
    if isinstance(alone, NoneOf):
        return {"not": {"pattern": "[" + re.sub(r"([\\\]^-])", r"\\\1", alone.chars) + "]"}}
    if isinstance(alone, Format):
        return {"format": alone.name}
    if isinstance(alone, Given):
        return alone.strict
    if isinstance(alone, Schema):
        return alone.fragment
    return False  # NoneKnown
