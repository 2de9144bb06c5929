"""The domain rules, attached to schema shapes by a table.

Each entry says which schemas it attaches to (a predicate over the schema and
where it sits) and builds a plain function for that schema once, when the plan
is compiled. Kinds:

- ``convert``: ``(value, path, ctx) -> value`` runs on any value first and may
  turn a non-JSON value the user passed (a ``date``, bytes) into its wire form;
- ``string``: ``(value: str, path, ctx) -> str`` checks and normalises a string;
- ``object``: ``(obj: dict, path, ctx) -> None`` checks and completes an object
  already copied for the wire.

Each entry also says, as data (see :mod:`.alone`), what its built rule leaves
alone: the plan's quick check of a ``str`` and the fast path's schema fragment are
both derived from that one declaration.

A new spec version flows through: every string with a date format gets the date
rule, every object with ``data``/``data_url`` the attachment rule, wherever they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .alone import (
    ALL_STRINGS,
    ALWAYS,
    NONE_KNOWN,
    Alone,
    Format,
    Plain,
    Schema,
    Strict,
    plain_of,
    strict_of,
)
from .attachment import (
    BASE64,
    CONTENT_TYPE_ALONE,
    DATA_ALONE,
    attachment_rule,
    attachment_strict,
    content_type_rule,
    data_converter,
    is_attachment_schema,
)
from .countries import country_alone, country_rule
from .dates import make_date_alone, make_date_converter, make_date_rule
from .emails import EMAIL_ALONE, email_rule
from .enums import make_enum_alone, make_enum_rule
from .requires import make_requires_rule, requirements, requires_strict
from .uris import URI_ALONE, make_uri_rule

__all__ = [
    "ALWAYS",
    "FORMATS",
    "RULES",
    "STRICT_FORMATS",
    "Alone",
    "Plain",
    "Rule",
    "Strict",
    "Where",
]


@dataclass(frozen=True)
class Where:
    """Where a schema sits: its property name (if any) and its parent object schema."""

    name: str | None = None
    parent: dict[str, Any] | None = None


#: the custom formats the rules' conditions use (``Format``), each registered with
#: jsonschema-rs under its name
FORMATS: tuple[Format, ...] = (BASE64,)

#: the custom formats the strict fragments use, for jsonschema-rs ``formats=``
STRICT_FORMATS: dict[str, Callable[[str], bool]] = {f.name: f.predicate for f in FORMATS}


def _none_known(schema: dict[str, Any], where: Where) -> Alone:
    return NONE_KNOWN


@dataclass(frozen=True)
class Rule:
    name: str
    kind: Literal["convert", "string", "object"]
    applies: Callable[[dict[str, Any], Where], bool]
    build: Callable[[dict[str, Any], Where], Any]
    #: what the built rule leaves alone and reports nothing on, as data (``.alone``):
    #: its quick check and its fast-path fragment are both derived from it
    alone: Callable[[dict[str, Any], Where], Alone] = _none_known

    def plain(self, schema: dict[str, Any], where: Where) -> Plain | None:
        """The rule's fast "nothing to do" check for a ``str`` (None: always call the rule)."""
        return plain_of(self.alone(schema, where))

    def strict(self, schema: dict[str, Any], where: Where) -> Strict:
        """The same as a schema fragment, for the fast path (see ``fastpath``)."""
        return strict_of(self.alone(schema, where))


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
    Rule(
        "date", "convert", _is_date, lambda s, w: make_date_converter(s), lambda s, w: ALL_STRINGS
    ),
    Rule(
        "attachment-data",
        "convert",
        _in_attachment("data"),
        lambda s, w: data_converter,
        lambda s, w: DATA_ALONE,
    ),
    Rule(
        "enum",
        "string",
        lambda s, w: _is_string(s) and "enum" in s,
        lambda s, w: make_enum_rule(s),
        lambda s, w: make_enum_alone(s),
    ),
    Rule(
        "date", "string", _is_date, lambda s, w: make_date_rule(s), lambda s, w: make_date_alone(s)
    ),
    Rule("country", "string", _is_country, lambda s, w: country_rule, lambda s, w: country_alone()),
    Rule(
        "email",
        "string",
        lambda s, w: _is_string(s) and s.get("format") in ("email", "idn-email"),
        lambda s, w: email_rule,
        lambda s, w: EMAIL_ALONE,
    ),
    Rule("uri", "string", _is_uri, _build_uri, lambda s, w: URI_ALONE),
    Rule(
        "content-type",
        "string",
        _in_attachment("content_type"),
        lambda s, w: content_type_rule,
        lambda s, w: CONTENT_TYPE_ALONE,
    ),
    Rule(
        "attachment",
        "object",
        lambda s, w: is_attachment_schema(s),
        lambda s, w: attachment_rule,
        lambda s, w: Schema(attachment_strict(s)),
    ),
    Rule(
        "requires",
        "object",
        lambda s, w: bool(requirements(s)),
        lambda s, w: make_requires_rule(s),
        lambda s, w: Schema(requires_strict(s)),
    ),
)
