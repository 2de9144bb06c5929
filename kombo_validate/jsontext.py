"""Reading JSON text whose integers may be longer than Python converts from text.

CPython refuses to turn a numeral of more than 4,300 digits into an ``int``
(``ValueError``, a guard against quadratic conversion), so ``json.loads`` of a
valid JSON document can raise. Kombo reads every JSON number as a double, so
any integer of more than 309 digits is out of range whatever its digits:
:func:`json_int` gives such a numeral an ``int`` of the same sign, leading digits
and (up to 100,000 digits) magnitude, and the validator reports it as
``number.out_of_range`` at its path instead of the text being "not JSON".
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DECODER", "json_int", "loads"]

#: longer numerals are read from their leading digits (far below CPython's 4,300 limit)
_DIGITS = 1000
#: up to this many digits the stand-in keeps the numeral's magnitude too
_KEPT = 100_000


def json_int(text: str) -> int:
    """The ``int`` of a JSON integer numeral; past ``_DIGITS`` digits, one with the same
    sign and leading digits, still beyond any double (never a ``ValueError``)."""
    if len(text) <= _DIGITS:
        return int(text)
    sign = text[0] == "-"
    scale: int = 10 ** max(0, min(len(text) - sign, _KEPT) - _DIGITS + sign)
    return int(text[:_DIGITS]) * scale


#: a decoder that reads every JSON integer (see :func:`json_int`)
DECODER = json.JSONDecoder(parse_int=json_int)


def loads(text: str | bytes, **options: Any) -> Any:
    """``json.loads`` that reads every JSON integer (see :func:`json_int`)."""
    return json.loads(text, parse_int=json_int, **options)
