"""Country rule: a real ISO 3166-1 alpha-2 code, from pycountry's ISO database.

Attached to every string schema the spec describes as an ISO country code.
Lowercase codes, alpha-3 codes, numeric codes (``276``), English names and flag
emoji (``🇩🇪``, two regional indicators that spell the code) are normalised to
alpha-2 (a Change each); anything else — ``XX`` included — is ``country.unknown``.
So is text that reaches a code only through Unicode case mapping of a look-alike
(dotless ``ı``, long ``ſ``, the Kelvin sign ``K``): ``ıt`` is not Italy.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path as FsPath

from ..context import Ctx, Path
from ..issues import excerpt
from .alone import OneOf

__all__ = ["alpha2_codes", "country_alone", "country_rule", "resolve_country"]


@lru_cache(maxsize=1)
def alpha2_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes, read from pycountry's database file.

    Reading the JSON directly avoids importing pycountry (~80 ms) on the hot
    path; names and alpha-3 codes go through pycountry only when needed.
    """
    try:
        found = importlib.util.find_spec("pycountry")
        folder = next(iter(found.submodule_search_locations or ())) if found else None
        raw = FsPath(str(folder), "databases", "iso3166-1.json").read_bytes()
        entries = json.loads(raw)["3166-1"]
        return frozenset(e["alpha_2"] for e in entries)
    except (OSError, KeyError, ValueError, StopIteration, TypeError):  # pragma: no cover
        import pycountry

        return frozenset(c.alpha_2 for c in pycountry.countries)


def country_alone() -> OneOf:
    """What the country rule leaves as it is: the alpha-2 codes."""
    return OneOf(alpha2_codes())


@lru_cache(maxsize=1024)
def resolve_country(text: str) -> str | None:
    """The alpha-2 code for a code (any case), an alpha-3 code or an English name; else None."""
    stripped = text.strip()
    if not stripped or len(stripped) > 100 or any(map(_folds_to_ascii, stripped)):
        return None
    upper = stripped.upper()
    if upper in alpha2_codes():
        return upper
    import pycountry

    try:
        found = pycountry.countries.lookup(stripped)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None)
    return code if isinstance(code, str) else None


def _folds_to_ascii(char: str) -> bool:
    """A non-ASCII character that case mapping turns into ASCII (``ı`` → ``I``)."""
    return not char.isascii() and (
        char.upper().isascii() or char.lower().isascii() or char.casefold().isascii()
    )


def country_rule(value: str, path: Path, ctx: Ctx) -> str:
    if value in alpha2_codes():
        return value
    code = resolve_country(value)
    if code is None:
        ctx.error(
            path,
            "country.unknown",
            f"{excerpt(value)} is not an ISO 3166-1 country: use an alpha-2 code such as 'DE'",
        )
        return value
    ctx.change(path, value, code, "country normalised to its ISO 3166-1 alpha-2 code")
    return code
