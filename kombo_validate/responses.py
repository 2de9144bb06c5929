"""Kombo's answers to Create application: check them, and speak Kombo's error format.

:func:`check_response` validates a response body (a mocked fixture, a recorded
answer) against the spec: status 200 against ``PostAtsJobsJobIdApplicationsPositiveResponse``,
any other status against the ``default`` ``ErrorResponseATS``. It returns the
same :class:`Report` as ``check``; ``report.body`` is the JSON copy when valid.

Date-times in responses are checked. Kombo writes them with JavaScript's
``toISOString`` (``2022-08-07T14:01:29.196Z``, linked from the spec), so a
``format: date-time`` string without a pattern must be an RFC 3339 date-time
(date, ``T``, time, ``Z`` or an offset) naming a real calendar date and time of
day, else ``date.invalid``. A date-time with its own pattern (the DATE answer)
is held to the pattern by the schema, and to the calendar here. Other formats
(``uri``: ``remote_url`` comes from the remote ATS as it is) are not asserted.

One repair: an ``enum`` under a nullable ``type`` admits null (``error.code``,
``data.outcome``); the spec omits null from those enums, which would reject
the ``"code": null`` that Kombo's own docs show.

:func:`to_kombo_error` turns a report (or a :class:`PayloadError`) into Kombo's
own error body, for services that proxy Kombo and must answer in its format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import jsontext
from .api import Validator, default_validator
from .context import Ctx, Path
from .engine import Engine, make_engine
from .issues import Issue, Report, excerpt, pointer
from .jsondata import walk_any
from .kombo_error import ERROR_CODE, ERROR_TITLE, to_kombo_error
from .patterns import ecma_regex
from .rules.dates import date_problem
from .schema_errors import issues_from

__all__ = [
    "ERROR_CODE",
    "ERROR_TITLE",
    "ResponsePlan",
    "check_response",
    "parse_json",
    "response_plan",
    "to_kombo_error",
]


_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?P<oh>[0-9]{2}):(?P<om>[0-9]{2}))"
)
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

DateFinder = Callable[[Any, Path, Ctx], None]


# ------------------------------------------------------------------ JSON text


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(data: str | bytes | bytearray | memoryview) -> tuple[Any, Issue | None]:
    """Strict JSON (no NaN/Infinity); ``(value, None)`` or ``(None, body.not_json issue)``."""
    try:
        raw = bytes(data) if isinstance(data, (bytearray, memoryview)) else data
        return jsontext.loads(raw, parse_constant=_reject_constant), None
    except RecursionError:
        reason = "it is nested too deeply"
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    size = len(data)
    what = "empty" if size == 0 else f"not JSON ({reason})"
    return None, Issue("", "body.not_json", f"the body ({size} bytes/chars) is {what}")


# ------------------------------------------------------------------ date-times


def _date_check(schema: dict[str, Any]) -> DateFinder:
    pattern = schema.get("pattern")
    matcher = ecma_regex(pattern).search if isinstance(pattern, str) else None
    full = _RFC3339 if schema.get("format") == "date-time" else _FULL_DATE

    def check(value: Any, path: Path, ctx: Ctx) -> None:
        if not isinstance(value, str):
            return
        if matcher is not None:
            problem = date_problem(value) if matcher(value) else None  # else: schema.pattern
        else:
            m = full.fullmatch(value)
            if m is None:
                kind = "an RFC 3339 date-time" if full is _RFC3339 else "a YYYY-MM-DD date"
                problem = f"is not {kind} (Kombo sends e.g. 2022-08-07T14:01:29.196Z)"
            elif m.groupdict().get("oh") and (int(m["oh"]) > 23 or int(m["om"]) > 59):
                problem = "has an impossible UTC offset"
            else:
                problem = date_problem(value.upper())  # RFC 3339 allows a lowercase t and z
        if problem is not None:
            ctx.error(path, "date.invalid", f"{excerpt(value)} {problem}")

    return check


def _compile_dates(schema: Any, engine_name: str) -> DateFinder | None:
    """A finder for the date-time strings ``schema`` declares, or None if it declares none."""
    if not isinstance(schema, dict):
        return None
    own = (
        _date_check(schema)
        if schema.get("format") in ("date-time", "date") and _may_be_string(schema)
        else None
    )
    props: dict[str, DateFinder] = {}
    for name, sub in (schema.get("properties") or {}).items():
        finder = _compile_dates(sub, engine_name)
        if finder is not None:
            props[name] = finder
    extra = _compile_dates(schema.get("additionalProperties"), engine_name)
    items = _compile_dates(schema.get("items"), engine_name)
    every = [f for f in (_compile_dates(s, engine_name) for s in schema.get("allOf") or ()) if f]
    # anyOf/oneOf: only the branches the value is valid against (formats aside)
    some: list[tuple[Engine, DateFinder]] = []
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            finder = _compile_dates(branch, engine_name)
            if finder is not None and isinstance(branch, dict):
                some.append((make_engine(branch, engine_name), finder))
    if own is None and not props and extra is None and items is None and not every and not some:
        return None

    def find(value: Any, path: Path, ctx: Ctx) -> None:
        if own is not None:
            own(value, path, ctx)
        if isinstance(value, dict):
            for key, item in value.items():
                finder = props.get(key, extra)
                if finder is not None:
                    finder(item, (*path, key), ctx)
        elif isinstance(value, list) and items is not None:
            for i, item in enumerate(value):
                items(item, (*path, i), ctx)
        for finder in every:
            finder(value, path, ctx)
        for engine, finder in some:
            if engine.is_valid(value):
                finder(value, path, ctx)

    return find


def _may_be_string(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    return t is None or t == "string" or (isinstance(t, list) and "string" in t)


# ------------------------------------------------------------------ responses


@dataclass(frozen=True)
class _Shape:
    schema: dict[str, Any]
    engine: Engine
    dates: DateFinder | None


@dataclass(frozen=True)
class ResponsePlan:
    """The response schemas of a Validator's spec, compiled once (status key → shape)."""

    shapes: dict[str, _Shape]

    def shape_for(self, status: int) -> tuple[str, _Shape] | None:
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in self.shapes:
                return key, self.shapes[key]
        return None


@lru_cache(maxsize=16)
def response_plan(validator: Validator) -> ResponsePlan:
    """The :class:`ResponsePlan` of ``validator`` (built on first use, then cached)."""
    name = validator.engine_name
    shapes: dict[str, _Shape] = {}
    for key, schema in validator.spec.responses.items():
        fixed = _nullable_enums(schema)
        shapes[key] = _Shape(fixed, make_engine(fixed, name), _compile_dates(fixed, name))
    return ResponsePlan(shapes)


def _nullable_enums(node: Any) -> Any:
    """A copy in which an ``enum`` under a nullable ``type`` also admits null.

    The spec types ``error.code`` and ``data.outcome`` as ``[string, null]`` but
    lists no null in their enums, which in JSON Schema vetoes null; Kombo's
    docs show ``"code": null`` in a real error response. The type is the intent.
    """
    if isinstance(node, list):
        return [_nullable_enums(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable_enums(v) for k, v in node.items()}
    t, enum = out.get("type"), out.get("enum")
    if isinstance(t, list) and "null" in t and isinstance(enum, list) and None not in enum:
        out["enum"] = [*enum, None]
    return out


def _status(status: object) -> int:
    if isinstance(status, str) and status.strip().isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code (100-599), not {status!r}")
    return status


def check_response(status: int | str, body: Any, *, validator: Validator | None = None) -> Report:
    """Check a Kombo response to Create application against the spec.

    ``body`` is the parsed JSON, or its text/bytes. Never raises for a bad body
    (unparseable text is a ``body.not_json`` issue); an impossible ``status``
    is a :class:`ValueError`.
    """
    code = _status(status)
    plan = response_plan(validator or default_validator())
    if isinstance(body, (str, bytes, bytearray, memoryview)):
        body, problem = parse_json(body)
        if problem is not None:
            return Report([problem])
    found = plan.shape_for(code)
    if found is None:
        keys = ", ".join(plan.shapes) or "none"
        issue = Issue("", "response.status", f"the spec defines no response for {code} ({keys})")
        return Report([issue])
    _, shape = found
    ctx = Ctx()
    wire = walk_any(body, (), ctx, 0)
    if shape.dates is not None:
        shape.dates(wire, (), ctx)
    if not shape.engine.is_valid(wire):
        reported = set(ctx.error_paths)
        for path, kind, message in issues_from(shape.engine.iter_errors(wire), shape.schema):
            ptr = pointer(path)
            if not any(p == ptr or p.startswith(ptr + "/") for p in reported):
                ctx.error(path, kind, message)
    return Report(_in_document_order(body, ctx), (), wire if isinstance(wire, dict) else None)


def _in_document_order(body: Any, ctx: Ctx) -> list[Issue]:
    def key(path: Path) -> tuple[int, ...]:
        out: list[int] = []
        node = body
        for part in path:
            if isinstance(node, dict):
                keys = list(node)
                out.append(keys.index(part) if part in keys else len(keys))
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int):
                out.append(part)
                node = node[part] if 0 <= part < len(node) else None
            else:
                out.append(1 << 30)
                node = None
        return tuple(out)

    order = sorted(range(len(ctx.issues)), key=lambda i: key(ctx.paths[i]))
    return [ctx.issues[i] for i in order]


# ------------------------------------------------------------------ Kombo errors
