"""The domain rules, attached to schema shapes by a table.

Each entry says which schemas it attaches to (a predicate over the schema and
where it sits) and builds a plain function for that schema once, when the plan
is compiled. Kinds:

- ``convert``: ``(value, path, ctx) -> value`` runs on any value first and may
  turn a non-JSON value the user passed (a ``date``, bytes) into its wire form;
- ``string``: ``(value: str, path, ctx) -> str`` checks and normalises a string;
- ``object``: ``(obj: dict, path, ctx) -> None`` checks and completes an object
  already copied for the wire.

A new spec version flows through: every string with a date format gets the date
rule, every object with ``data``/``data_url`` the attachment rule, wherever they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .attachment import (
    BASE64_FORMAT,
    attachment_rule,
    attachment_strict,
    content_type_plain,
    content_type_rule,
    content_type_strict,
    data_converter,
    data_plain,
    is_attachment_schema,
    is_base64,
)
from .countries import alpha2_codes, country_rule
from .dates import date_converter, make_date_plain, make_date_rule, make_date_strict
from .emails import EMAIL_STRICT, email_plain, email_rule
from .enums import make_enum_plain, make_enum_rule
from .uris import URI_STRICT, make_uri_rule, uri_plain

__all__ = ["ALWAYS", "RULES", "STRICT_FORMATS", "Plain", "Rule", "Strict", "Where"]


@dataclass(frozen=True)
class Where:
    """Where a schema sits: its property name (if any) and its parent object schema."""

    name: str | None = None
    parent: dict[str, Any] | None = None


#: ``plain(value: str)``: truthy only when the rule would return this exact ``str``
#: unchanged and report nothing (the plan then skips the call); ``ALWAYS`` when that
#: holds for every ``str``.
Plain = Callable[[str], object]


def ALWAYS(value: str) -> bool:
    """The plain check of a rule that leaves every ``str`` alone (a converter, say)."""
    return True


def _never(schema: dict[str, Any], where: Where) -> Plain | None:
    return None


#: a JSON Schema fragment, for jsonschema-rs with formats asserted, under which the
#: rule leaves a value alone and reports nothing (True: always; False: never known)
Strict = dict[str, Any] | bool


#: the custom formats the strict fragments use, for jsonschema-rs ``formats=``
STRICT_FORMATS: dict[str, Callable[[str], bool]] = {BASE64_FORMAT: is_base64}


def _cannot(schema: dict[str, Any], where: Where) -> Strict:
    return False


def _always(schema: dict[str, Any], where: Where) -> Strict:
    return True


@dataclass(frozen=True)
class Rule:
    name: str
    kind: Literal["convert", "string", "object"]
    applies: Callable[[dict[str, Any], Where], bool]
    build: Callable[[dict[str, Any], Where], Any]
    #: the rule's fast "nothing to do" check for a ``str`` (None: always call the rule)
    plain: Callable[[dict[str, Any], Where], Plain | None] = _never
    #: the same as a schema fragment, for the fast path (see ``fastpath``)
    strict: Callable[[dict[str, Any], Where], Strict] = _cannot


def _is_string(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    return t == "string" or (isinstance(t, list) and "string" in t)


def _is_date(schema: dict[str, Any], where: Where) -> bool:
    return _is_string(schema) and schema.get("format") in ("date-time", "date")


def _is_country(schema: dict[str, Any], where: Where) -> bool:
    if not _is_string(schema):
        return False
    text = str(schema.get("description", ""))
    return where.name == "country" or "ISO 3166" in text or "ISO country" in text


def _in_attachment(name: str) -> Callable[[dict[str, Any], Where], bool]:
    def applies(schema: dict[str, Any], where: Where) -> bool:
        return (
            where.name == name and where.parent is not None and is_attachment_schema(where.parent)
        )

    return applies


def _is_uri(schema: dict[str, Any], where: Where) -> bool:
    return _is_string(schema) and schema.get("format") in ("uri", "url", "iri")


def _build_uri(schema: dict[str, Any], where: Where) -> Any:
    if _in_attachment("data_url")(schema, where):
        return make_uri_rule(http_only=True, code="attachment.data_url_invalid")
    return make_uri_rule(http_only=False, code="uri.invalid")


RULES: tuple[Rule, ...] = (
    # values of exactly a JSON type are never converted: the converters are no-ops there
    Rule("date", "convert", _is_date, lambda s, w: date_converter, lambda s, w: ALWAYS, _always),
    Rule(
        "attachment-data",
        "convert",
        _in_attachment("data"),
        lambda s, w: data_converter,
        lambda s, w: data_plain,
        lambda s, w: {"not": {"pattern": "[\r\n]"}},
    ),
    Rule(
        "enum",
        "string",
        lambda s, w: _is_string(s) and "enum" in s,
        lambda s, w: make_enum_rule(s),
        lambda s, w: make_enum_plain(s),
        _always,  # the schema's own enum admits only the exact values
    ),
    Rule(
        "date",
        "string",
        _is_date,
        lambda s, w: make_date_rule(s),
        lambda s, w: make_date_plain(s),
        lambda s, w: make_date_strict(s),
    ),
    Rule(
        "country",
        "string",
        _is_country,
        lambda s, w: country_rule,
        lambda s, w: alpha2_codes().__contains__,
        lambda s, w: {"enum": sorted(alpha2_codes())},
    ),
    Rule(
        "email",
        "string",
        lambda s, w: _is_string(s) and s.get("format") in ("email", "idn-email"),
        lambda s, w: email_rule,
        lambda s, w: email_plain,
        lambda s, w: {"pattern": EMAIL_STRICT},
    ),
    Rule(
        "uri",
        "string",
        _is_uri,
        _build_uri,
        lambda s, w: uri_plain,
        lambda s, w: {"pattern": URI_STRICT},
    ),
    Rule(
        "content-type",
        "string",
        _in_attachment("content_type"),
        lambda s, w: content_type_rule,
        lambda s, w: content_type_plain,
        lambda s, w: content_type_strict(),
    ),
    Rule(
        "attachment",
        "object",
        lambda s, w: is_attachment_schema(s),
        lambda s, w: attachment_rule,
        strict=lambda s, w: attachment_strict(s),
    ),
)
