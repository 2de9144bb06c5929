"""Strategies for single values: dates, countries, emails, URLs, content types, base64.

Each wire strategy draws a value the core accepts unchanged; each ``*_raw``
helper draws a form a user may pass instead, paired with the wire value the
normaliser must turn it into. Patterns come from the schema node, so a value
that the spec's pattern no longer admits is never drawn.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import string
from collections.abc import Callable
from functools import lru_cache

from hypothesis import strategies as st

from ..patterns import ecma_regex, to_python_regex
from ..rules.attachment import GENERIC_CONTENT_TYPES
from ..rules.countries import alpha2_codes

__all__ = [
    "REALISTIC_CONTENT_TYPES",
    "Text",
    "b64",
    "case_variant",
    "content_types",
    "countries",
    "country_raw",
    "date_forms",
    "dates_wire",
    "emails",
    "ext_for",
    "file_stems",
    "http_urls",
    "matches",
    "texts",
    "uris",
]

#: realistic attachment types (all match the spec's ``^[\w.-]+/[\w.-]+$``)
REALISTIC_CONTENT_TYPES = (
    "application/pdf",
    "text/plain",
    "image/png",
    "image/jpeg",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/rtf",
    "text/html",
    "text/markdown",
)

_UTC = dt.timezone.utc
_LOWER_ALNUM = string.ascii_lowercase + string.digits
_LOCAL = string.ascii_letters + string.digits + "._%+-" + "éüøß"
_WORDS = ("Ada", "Lovelace", "Grace", "Hopper", "Alan", "Turing", "Frank", "Doe", "Zoë", "Łukasz")


class Text(str):
    """A ``str`` subclass, as users pass them (``StrEnum`` members, ORM proxies)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Text({str.__repr__(self)})"


def matches(pattern: str | None) -> Callable[[str], bool]:
    """``pattern`` as the core reads it (ECMA-262, unanchored); no pattern admits all."""
    if pattern is None:
        return lambda value: True
    search = ecma_regex(pattern).search
    return lambda value: search(value) is not None


def texts(max_size: int = 12, *, min_size: int = 0) -> st.SearchStrategy[str]:
    """Any Unicode text (no lone surrogates), mostly short."""
    return st.one_of(
        st.sampled_from(_WORDS),
        st.text(min_size=min_size, max_size=max_size),
    ).filter(lambda s: len(s) >= min_size)


def case_variant(draw: st.DrawFn, value: str) -> str:
    """``value`` in another letter case (shrinks to the value itself)."""
    variant: str = draw(st.sampled_from((value, value.lower(), value.upper(), value.swapcase())))
    return variant


def _label(max_size: int = 8) -> st.SearchStrategy[str]:
    return st.text(_LOWER_ALNUM, min_size=1, max_size=max_size)


@st.composite
def _domain(draw: st.DrawFn) -> str:
    labels = draw(st.lists(_label(), min_size=1, max_size=2))
    tld = draw(st.text(string.ascii_lowercase, min_size=2, max_size=6))
    return ".".join([*labels, tld])


@st.composite
def emails(draw: st.DrawFn) -> str:
    """``local@domain.tld``: no spaces, one ``@``, a lowercase dotted domain."""
    local = draw(st.text(_LOCAL, min_size=1, max_size=10))
    return f"{local}@{draw(_domain())}"


@st.composite
def http_urls(draw: st.DrawFn) -> str:
    """An absolute http(s) URL with a host (what ``data_url`` takes)."""
    scheme = draw(st.sampled_from(("https", "http", "HTTPS")))
    segments = draw(st.lists(st.text(_LOWER_ALNUM + "-_.", min_size=1, max_size=8), max_size=3))
    query = draw(st.sampled_from(("", "?download=1", "?a=b&c=d")))
    return f"{scheme}://{draw(_domain())}/{'/'.join(segments)}{query}"


def uris() -> st.SearchStrategy[str]:
    """An absolute URI: mostly http(s), sometimes another scheme."""
    return st.one_of(
        http_urls(),
        emails().map(lambda e: f"mailto:{e}"),
        st.text(string.digits, min_size=10, max_size=13).map(lambda d: f"urn:isbn:{d}"),
        _domain().map(lambda d: f"ftp://{d}/cv.pdf"),
    )


def b64(max_bytes: int) -> st.SearchStrategy[tuple[bytes, str]]:
    """Short file contents and their strict base64."""
    return st.binary(max_size=max(0, max_bytes)).map(
        lambda b: (b, base64.b64encode(b).decode("ascii"))
    )


# --------------------------------------------------------------------------- dates

#: the wire forms a date field may take, by a sample of each
_DATE_SAMPLES = {
    "date": "2021-01-01",
    "utc": "2021-01-01T10:20:30Z",
    "utc_fraction": "2021-01-01T10:20:30.5Z",
    "local": "2021-01-01T10:20:30",
    "date_z": "2021-01-01Z",
}


def date_forms(pattern: str | None, *, plain_date: bool = False) -> tuple[str, ...]:
    """The date forms the field's own pattern admits that are wire form (``date_z``,
    and for a plain date field every form with a time, the rule normalises: raw only)."""
    ok = matches(pattern)
    wire = ("date",) if plain_date else ("date", "utc", "utc_fraction", "local")
    return tuple(form for form in wire if ok(_DATE_SAMPLES[form]))


def zone_day(pattern: str | None) -> bool:
    """The pattern admits ``YYYY-MM-DDZ`` (a raw form: the rule drops the ``Z``)."""
    return matches(pattern)(_DATE_SAMPLES["date_z"])


#: instants whose conversions between UTC offsets stay within years 1..9999
_DATETIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31))


@st.composite
def dates_wire(draw: st.DrawFn, forms: tuple[str, ...]) -> str:
    """A real date/time in one of ``forms`` (see :func:`date_forms`)."""
    form = draw(st.sampled_from(forms))
    moment: dt.datetime = draw(st.datetimes())
    day = moment.date().isoformat()
    clock = moment.strftime("%H:%M:%S")
    if form == "date":
        return day
    if form == "local":
        return f"{day}T{clock}"
    if form == "utc_fraction":
        digits = draw(st.text(string.digits, min_size=1, max_size=9))
        return f"{day}T{clock}.{digits}Z"
    return f"{day}T{clock}Z"


def utc_wire(moment: dt.datetime) -> str:
    """How the normaliser writes an aware datetime: UTC, seconds or microseconds, ``Z``."""
    utc = moment.astimezone(_UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{utc.microsecond:06d}" if utc.microsecond else "") + "Z"


_OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m))


@st.composite
def dates_raw(
    draw: st.DrawFn,
    forms: tuple[str, ...],
    *,
    strings: bool,
    zone_day: bool = False,
    plain_date: bool = False,
) -> tuple[object, str]:
    """``(raw, wire)``: a ``date``, an aware ``datetime`` or an ISO string with a UTC offset
    (``zone_day``: or ``YYYY-MM-DDZ``, which the rule writes as the plain date).

    ``strings=False`` leaves out strings (inside an ``anyOf`` a string takes the
    plain-string branch untouched). ``plain_date``: a field that takes dates only,
    where every datetime and time of day gives the calendar date as written.
    """
    if plain_date:
        return draw(_plain_dates_raw(strings))
    kinds = ["datetime"] + (["date"] if "date" in forms else [])
    if strings:
        kinds.append("offset_string")
        if zone_day and "date" in forms:
            kinds.append("zone_day")
    kind = draw(st.sampled_from(kinds))
    if kind in ("date", "zone_day"):
        day: dt.date = draw(st.dates(min_value=dt.date(1, 1, 1)))
        return (day if kind == "date" else day.isoformat() + "Z"), day.isoformat()
    utc_moment: dt.datetime = draw(_DATETIMES).replace(tzinfo=_UTC)
    offset = draw(_OFFSETS)
    local = utc_moment.astimezone(dt.timezone(offset))
    wire = utc_wire(utc_moment)
    if kind == "datetime":
        return local, wire
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    colon = draw(st.sampled_from((":", "")))
    sep = draw(st.sampled_from(("T", " ")))
    stamp = local.replace(tzinfo=None).isoformat(sep=sep)
    return f"{stamp}{sign}{minutes // 60:02d}{colon}{minutes % 60:02d}", wire


@st.composite
def _plain_dates_raw(draw: st.DrawFn, strings: bool) -> tuple[object, str]:
    """``(raw, wire)`` for a plain date field: the wire is the date as written."""
    kinds = ["date", "datetime"] + (["string"] if strings else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "date":
        day: dt.date = draw(st.dates(min_value=dt.date(1, 1, 1)))
        return day, day.isoformat()
    moment: dt.datetime = draw(_DATETIMES)
    if draw(st.booleans()):
        moment = moment.replace(tzinfo=dt.timezone(draw(_OFFSETS)))
    wire = moment.date().isoformat()
    if kind == "datetime":
        return moment, wire
    zone = draw(st.sampled_from(("Z", "+02:00", "-0130", "")))
    return f"{moment.replace(tzinfo=None).isoformat(timespec='seconds')}{zone}", wire


# --------------------------------------------------------------------------- countries


@lru_cache(maxsize=8)
def _codes(pattern: str | None, enum: tuple[str, ...]) -> tuple[str, ...]:
    ok = matches(pattern)
    codes = sorted(c for c in alpha2_codes() if ok(c))
    return tuple(c for c in codes if c in enum) if enum else tuple(codes)


def countries(pattern: str | None, enum: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes the field's pattern (and enum) admit."""
    return st.sampled_from(_codes(pattern, enum))


@st.composite
def country_raw(draw: st.DrawFn, code: str) -> str:
    """``code`` as users write it: lowercase, alpha-3, the English name, padded."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    forms = [code.lower(), code.title()]
    if country is not None:
        forms += [country.alpha_3, country.alpha_3.lower(), country.name]
    text = draw(st.sampled_from(forms))
    pad = draw(st.sampled_from(("", " ")))
    return pad + text + pad


# --------------------------------------------------------------------------- content types


@lru_cache(maxsize=8)
def _ext_map(pattern: str | None) -> dict[str, tuple[str, ...]]:
    """content type → file extensions whose name ``mimetypes`` infers it from."""
    ok = matches(pattern)
    found: dict[str, list[str]] = {}
    exts = sorted(set(mimetypes.types_map) | set(mimetypes.common_types))
    for ext in exts:
        guessed = mimetypes.guess_type("file" + ext, strict=False)[0]
        if guessed and ok(guessed) and guessed not in GENERIC_CONTENT_TYPES and guessed.islower():
            found.setdefault(guessed, []).append(ext)
    return {k: tuple(v) for k, v in found.items()}


def ext_for(content_type: str, pattern: str | None) -> tuple[str, ...]:
    """Extensions from which the core infers ``content_type`` (empty if none)."""
    return _ext_map(pattern).get(content_type, ())


def file_stems() -> st.SearchStrategy[str]:
    """A file name without an extension (no dots)."""
    return st.one_of(
        st.sampled_from(("cv", "Ada Lovelace CV", "cover-letter", "Zeugnis_2021")),
        st.text(string.ascii_letters + string.digits + " _-", min_size=1, max_size=10),
    )


@lru_cache(maxsize=8)
def _pattern_types(pattern: str | None) -> st.SearchStrategy[str]:
    ok = matches(pattern)
    realistic = tuple(t for t in REALISTIC_CONTENT_TYPES if ok(t))
    parts: list[st.SearchStrategy[str]] = []
    if realistic:
        parts.append(st.sampled_from(realistic))
    if pattern is not None:
        parts.append(st.from_regex(to_python_regex(pattern)).map(str.lower))
    else:
        parts.append(st.tuples(_label(), _label()).map("/".join))
    return st.one_of(parts).filter(lambda t: ok(t) and t not in GENERIC_CONTENT_TYPES)


def content_types(
    pattern: str | None, accepted: tuple[str, ...] | None = None
) -> st.SearchStrategy[str] | None:
    """Lowercase, non-generic content types the pattern admits (within ``accepted``, if given).

    ``accepted`` is a normalised accepted-types list (``type/*`` and ``*/*``
    wildcards allowed); None means any type. Returns None when no content
    type can satisfy both.
    """
    general = _pattern_types(pattern)
    if accepted is None or "*/*" in accepted:
        return general
    ok = matches(pattern)
    concrete = tuple(
        a for a in accepted if "*" not in a and ok(a) and a not in GENERIC_CONTENT_TYPES
    )
    prefixes = tuple(a[:-1] for a in accepted if a.endswith("/*") and ok(a[:-1] + "x"))
    parts: list[st.SearchStrategy[str]] = []
    if concrete:
        parts.append(st.sampled_from(concrete))
    if prefixes:
        parts.append(
            st.tuples(st.sampled_from(prefixes), _label())
            .map(lambda pair: pair[0] + pair[1])
            .filter(lambda t: ok(t) and t not in GENERIC_CONTENT_TYPES)
        )
    return st.one_of(parts) if parts else None
