"""Numbers within a range, as JSON Schema spelled for jsonschema-rs to decide fast.

jsonschema-rs compares a number with an ``int`` bound in nanoseconds and with a
``float`` bound in ~0.4 µs (decimal arithmetic). So a range reaching past
±2**62 (what a double holds, say) is tried first within ±2**62, and
an integral float bound is written as the int it equals: the verdicts are the
same, only cheaper.
"""

from __future__ import annotations

from typing import Any

from ..jsondata import DOUBLE_MAX, INT_LIMIT  # a JSON number is read as a double

__all__ = ["DOUBLE_MAX", "INT_LIMIT", "number_within"]

_CHEAP = 2**62
_EXACT_INT = 2**53  # every integral float up to here is exactly that int


def number_within(lo: float = -DOUBLE_MAX, hi: float = DOUBLE_MAX) -> dict[str, Any]:
    """``{"type": "number"}`` in ``[lo, hi]``; a 4,300-digit int is no "number" to
    jsonschema-rs (it is an "integer"), so such ints are outside any range."""
    within = {"type": "number", "minimum": _as_int(lo), "maximum": _as_int(hi)}
    if lo > -_CHEAP and hi < _CHEAP:
        return within
    # a subrange first: the usual number is decided there, without a huge bound
    cheap = {
        "type": "number",
        "minimum": _as_int(max(lo, -_CHEAP)),
        "maximum": _as_int(min(hi, _CHEAP)),
    }
    return {"anyOf": [cheap, within]}


def _as_int(bound: float) -> float:
    if type(bound) is float and bound.is_integer() and abs(bound) <= _EXACT_INT:
        return int(bound)
    return bound
