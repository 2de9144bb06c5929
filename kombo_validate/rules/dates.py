"""Date rule: every string schema with ``format: date-time``/``date`` (the spec's date fields).

The spec pairs ``format: date-time`` with a pattern that also admits date-only
values, and its own example sends ``"2021-01-01"``: the pattern wins. On top of
the pattern the value must be a real calendar date and time. ``date`` and aware
``datetime`` objects, and ISO strings with a UTC offset, are normalised to the
wire form; a naive ``datetime`` is an error (its instant is ambiguous).

Two forms the pattern admits are not what the API means, and are normalised, each
with a Change:

* ``YYYY-MM-DDZ``, a date with a zone and no time (no ISO 8601 or RFC 3339 parser
  reads it; the official SDK refuses it): the plain date, ``Z`` dropped.
* a time of day in a *plain date* field — a ``date-time`` schema whose description
  says "This is a plain date (i.e., `yyyy-MM-dd`), all time information is
  discarded" (HRIS absences, employees' birth and start dates), or a ``format:
  date`` schema: the calendar date **as written** (``2024-05-01T23:30:00-05:00`` →
  ``2024-05-01``: the offset is not applied, the day the caller wrote is kept). A
  ``datetime`` object there gives its own date, naive or aware.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from ..context import Ctx, Path
from ..issues import excerpt, type_name
from ..patterns import ecma_regex
from .alone import Given

__all__ = [
    "date_converter",
    "date_problem",
    "is_plain_date",
    "make_date_alone",
    "make_date_converter",
    "make_date_plain",
    "make_date_rule",
    "make_date_strict",
    "plain_date_converter",
]

# Any ISO 8601 date/date-time the normaliser understands (a superset of the
# spec's pattern): YYYY-MM-DD[(T| )HH:MM[:SS[.f+]]][Z|±HH:MM]
_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.(?P<f>[0-9]+))?)?)?"
    r"(?P<tz>Z|z|[+-][0-9]{2}:?[0-9]{2})?"
)


#: how a description says a date-time field holds a calendar date only
_PLAIN_DATE_WORDS = re.compile(r"\bplain date\b", re.IGNORECASE)


def is_plain_date(schema: dict[str, Any]) -> bool:
    """A date field that takes no time of day (see the module docstring)."""
    if schema.get("format") == "date":
        return True
    text = schema.get("description")
    return isinstance(text, str) and _PLAIN_DATE_WORDS.search(text) is not None


#: the reasons of the two normalisations of strings the pattern admits
ZONE_DROPPED = "a date without a time takes no zone: 'Z' dropped"
TIME_DROPPED = "a plain date: the time of day dropped, the date kept as written"

#: the one date-time form the plain check takes (any other goes to the rule)
_PLAIN_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z").fullmatch

#: the most days each month can have (February: in a leap year)
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def date_problem(value: str) -> str | None:
    """Why ``value`` (already matching the date pattern) is not a real date/time, or None."""
    if len(value) == 10:  # the common YYYY-MM-DD: one C call
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    m = _ISO.fullmatch(value)
    if m is None:
        return "is not an ISO 8601 date"
    ys, ms, ds = m.group("y", "m", "d")
    y, mo, d = int(ys), int(ms), int(ds)
    # what datetime.date(y, mo, d) accepts, without raising (y has 4 digits: <= 9999)
    if not (y >= 1 and 1 <= mo <= 12 and 1 <= d <= _DAYS_IN_MONTH[mo]) or (
        mo == 2 and d == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    ):
        return f"is not a real calendar date ({ys}-{ms}-{ds})"  # the digits as given
    if m["H"] is not None:
        hh, mm, ss = int(m["H"]), int(m["M"]), int(m["S"] or 0)
        if hh > 23 or mm > 59 or ss > 59:
            return f"is not a real time of day ({m['H']}:{m['M']}:{m['S'] or '00'})"
    return None


def _format_utc(value: _dt.datetime) -> str:
    utc = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    text = utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds")
    return text + "Z"


def make_date_converter(schema: dict[str, Any]) -> Callable[[Any, Path, Ctx], Any]:
    """:func:`date_converter`, or for a plain date field :func:`plain_date_converter`."""
    return plain_date_converter if is_plain_date(schema) else date_converter


def plain_date_converter(value: Any, path: Path, ctx: Ctx) -> Any:
    """``date`` or ``datetime`` (naive or aware) → its own calendar date. Else unchanged."""
    t = type(value)
    if t is str or not issubclass(t, _dt.date):
        return value
    day = _dt.datetime.date(value) if issubclass(t, _dt.datetime) else value
    after = _dt.date.isoformat(day)
    if day is value:
        ctx.change(path, value, after, "date converted to an ISO 8601 date string")
    else:
        ctx.change(path, value, after, "datetime converted to its own calendar date (ISO 8601)")
    return after


def date_converter(value: Any, path: Path, ctx: Ctx) -> Any:
    """``date``/aware ``datetime`` → wire string; naive ``datetime`` → error. Else unchanged.

    Read through ``datetime``'s own methods (by the value's real type), so a
    subclass's overrides never run; only its ``tzinfo.utcoffset`` does (a timezone
    is code by design), and if that fails the value is not JSON data.
    """
    t = type(value)
    if t is str:
        return value
    if issubclass(t, _dt.datetime):
        try:
            exact = _dt.datetime.fromisoformat(_dt.datetime.isoformat(value))
        except Exception:  # the tzinfo's utcoffset raised, or gave no timedelta
            ctx.error(
                path,
                "json.not_json",
                f"a {type_name(value)} whose timezone cannot be read is not JSON data",
            )
            return None
        if exact.tzinfo is None:
            ctx.error(
                path,
                "date.naive_datetime",
                "a naive datetime is ambiguous: give it a timezone (e.g. tzinfo=timezone.utc)",
            )
            return None
        try:
            after = _format_utc(exact)
        except (OverflowError, ValueError):
            ctx.error(path, "date.invalid", "the datetime is out of range once converted to UTC")
            return None
        ctx.change(path, value, after, "datetime converted to a UTC ISO 8601 string")
        return after
    if issubclass(t, _dt.date):
        after = _dt.date.isoformat(value)
        ctx.change(path, value, after, "date converted to an ISO 8601 date string")
        return after
    return value


def _offset(tz: str) -> _dt.timezone | None:
    """The UTC offset ``±HH:MM``/``±HHMM``, or None when it is not a real one (past 23:59)."""
    hours, minutes = int(tz[1:3]), int(tz[-2:])
    if hours > 23 or minutes > 59:
        return None
    return _dt.timezone((-1 if tz[0] == "-" else 1) * _dt.timedelta(hours=hours, minutes=minutes))


def make_date_plain(schema: dict[str, Any]) -> Callable[[str], bool] | None:
    """True when the date rule of ``schema`` leaves the value as it is and reports nothing.

    Only the common ``YYYY-MM-DD`` and ``YYYY-MM-DDTHH:MM:SSZ`` are taken here, in
    two C calls: anything else (and every bad value) goes to the rule, so a bad
    date is not checked twice. For both, ``fromisoformat`` accepts exactly what
    :func:`date_problem` does: a real calendar date (year 1 on), hours to 23,
    minutes and seconds to 59.
    """
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return None
    matcher = ecma_regex(pattern).search
    date_from = _dt.date.fromisoformat
    datetime_from = _dt.datetime.fromisoformat
    longest = 10 if is_plain_date(schema) else 20

    def plain(value: str) -> bool:
        n = len(value)
        if n > longest:
            return False
        if n == 10:
            parse: Callable[[str], object] = date_from
        elif n == 20 and _PLAIN_DATETIME(value) is not None:
            parse = datetime_from
        else:
            return False
        if matcher(value) is None:
            return False
        if n == 20:
            value = value[:19]  # fromisoformat before Python 3.11 takes no "Z"
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return plain


def make_date_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema under which the date rule of ``schema`` leaves a string alone, silently.

    For the fast path (jsonschema-rs, formats asserted): a real ``YYYY-MM-DD``, or
    with the spec's pattern also a real RFC 3339 date-time; year 0 and leap seconds
    (which :func:`date_problem` rejects) are left to the rule.
    """
    real: dict[str, Any] = {"format": "date"}
    if isinstance(schema.get("pattern"), str) and not is_plain_date(schema):
        # an offset the pattern admits is kept as is
        real = {"anyOf": [real, {"format": "date-time", "not": {"pattern": ":60"}}]}
    return {**real, "not": {"pattern": "^0000"}}


def make_date_alone(schema: dict[str, Any]) -> Given:
    """What the date rule of ``schema`` leaves alone: its quick check and its fragment
    given each on its own, not derived from one declaration.

    Why: the two are meant to differ. The quick check takes only the two common
    forms, in two C calls, and sends every other value (each bad one included) to
    the rule, so nothing is checked twice on the hot path; the fragment takes every
    form the rule leaves alone (fractions, date-only with the spec's pattern) by
    jsonschema-rs's own ``date``/``date-time`` formats, at Rust speed. A regex
    spelling out real calendar dates (``editor_schema.REAL_DATE``) would serve both
    only at several times the cost of either.
    """
    return Given(make_date_plain(schema), make_date_strict(schema))


def make_date_rule(schema: dict[str, Any]) -> Callable[[str, Path, Ctx], str]:
    """The rule for one date string schema (its own pattern, if any, is honoured)."""
    pattern = schema.get("pattern")
    matcher = ecma_regex(pattern).search if isinstance(pattern, str) else None
    plain_date = is_plain_date(schema)

    def settle(value: str, path: Path, ctx: Ctx) -> str:
        """A real date/time as the pattern admits it: its plain date where it must be one."""
        if len(value) == 10:
            return value
        if not plain_date and (len(value) != 11 or value[10] not in "Zz"):
            return value
        day = value[:10]
        if matcher is not None and not matcher(day):
            return value  # a pattern that takes no plain date: leave the value as it is
        ctx.change(path, value, day, TIME_DROPPED if len(value) > 11 else ZONE_DROPPED)
        return day

    def rule(value: str, path: Path, ctx: Ctx) -> str:
        if matcher is not None and matcher(value):
            problem = date_problem(value)
            if problem is not None:
                ctx.error(path, "date.invalid", f"{excerpt(value)} {problem}")
                return value
            return settle(value, path, ctx)
        m = _ISO.fullmatch(value.strip())
        if m is not None and m["H"] is not None and m["tz"] not in (None, "Z", "z"):
            # an offset the pattern does not admit: the same instant in UTC
            problem = date_problem(value.strip())
            if problem is not None:
                ctx.error(path, "date.invalid", f"{excerpt(value)} {problem}")
                return value
            offset = _offset(m["tz"])
            if offset is None:
                ctx.error(path, "date.invalid", f"{excerpt(value)} has no real UTC offset")
                return value
            if plain_date:
                day = value.strip()[:10]
                if matcher is None or matcher(day):
                    ctx.change(path, value, day, TIME_DROPPED)
                    return day
            stamp = _dt.datetime(
                int(m["y"]),
                int(m["m"]),
                int(m["d"]),
                int(m["H"]),
                int(m["M"]),
                int(m["S"] or 0),
                int((m["f"] or "0")[:6].ljust(6, "0")),
                tzinfo=offset,
            )
            try:
                after = _format_utc(stamp)
            except OverflowError:  # before year 1 or after 9999 in UTC
                ctx.error(
                    path, "date.invalid", f"{excerpt(value)} is out of range once converted to UTC"
                )
                return value
            if matcher is None or matcher(after):
                ctx.change(path, value, after, "UTC offset converted to the same instant in UTC")
                return after
        if matcher is None:
            problem = date_problem(value)
            if problem is not None:
                ctx.error(path, "date.invalid", f"{excerpt(value)} {problem}")
                return value
            return settle(value, path, ctx)
        ctx.error(
            path,
            "date.format",
            f"{excerpt(value)} is not in the date form the API takes "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fff]Z)",
        )
        return value

    return rule
