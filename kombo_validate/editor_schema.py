"""An editor JSON Schema of the request body: what ``kombo-validate schema`` prints.

Plain Draft 2020-12 for VS Code, JetBrains and yaml-language-server (and both
python-jsonschema and jsonschema-rs), built from the loaded spec the way the plan
attaches the rules: the request schema with, wherever a rule attaches, the
condition under which it accepts a value *in wire form* — a real calendar date, an
ISO 3166-1 alpha-2 code (the country rule's own strict ``enum``), strict base64 and
exactly one of ``data``/``data_url`` (the attachment rule's own strict fragments), an
address, URI or content type that needs no normalising — and each description names
the issue codes a violation produces.

It accepts every body kombo-validate passes unchanged, and rejects what the
normaliser would still convert (``"Germany"``, ``"female"``): a fixture should be in
wire form. Where a rule's strict fragment is narrower than what the rule accepts
(the fast path proves only the common forms: an ASCII email, an http(s) URI) or
uses formats (asserted by jsonschema-rs alone, and by editors with other rules than
Kombo's), the fragment below is the rule's acceptance spelled as an ECMA-262
pattern; the tests check each against the rule. ``format`` is dropped everywhere.
A rule this module does not know adds nothing (never a false rejection).

Warnings are not errors: objects stay open (``key.unknown`` is a warning, and the
validator keeps the key), a generic content type is allowed, and free-form data
(``remote_fields`` pass-through objects) stays free.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .rules import RULES, Strict, Where
from .rules.attachment import is_attachment_schema
from .rules.dates import is_plain_date
from .rules.numbers import DOUBLE_MAX
from .schemas import merge_all_of, schema_types

if TYPE_CHECKING:
    from .api import Validator

__all__ = ["DIALECT", "TITLE", "editor_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "Kombo Create application request body (wire form)"

#: keywords OpenAPI adds or formats editors assert with their own rules: dropped
_DROP = frozenset({"format", "nullable", "example", "externalDocs", "discriminator", "xml"})
_ANNOTATIONS = frozenset({"description", "title", "examples", "default", "deprecated"})
_SUB = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"}
    | {"unevaluatedItems", "unevaluatedProperties"}
)
_SUB_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_SUB_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _char_class(chars: Iterable[str]) -> str:
    """The ranges of ``chars`` as character-class text, ``\\uXXXX`` escaped (ECMA-262,
    Python ``re`` and jsonschema-rs read it alike)."""
    points = sorted(map(ord, chars))
    out: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(f"\\u{points[i]:04x}" + (f"-\\u{points[j]:04x}" if j > i else ""))
        i = j + 1
    return "".join(out)


#: what Python's ``\s`` and ``str.strip`` take for whitespace (the rules use both)
_WS = _char_class(c for c in map(chr, range(0x10000)) if c.isspace())

# rules.dates.date_problem() is None, spelled out: a real calendar date (year 0001 on,
# 29 February in leap years), hours to 23, minutes and seconds to 59, any zone
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_TIME = "[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?"
_REAL_DAY = f"(?:{_YEAR}-{_DAY}|{_LEAP}-02-29)"
# a zone only after a time: the rule writes YYYY-MM-DDZ as the plain date (a change)
REAL_DATE = f"^{_REAL_DAY}(?:{_TIME}(?:Z|z|[+-][0-9]{{2}}:?[0-9]{{2}})?)?$"
# a plain date field (rules.dates.is_plain_date): a time of day is dropped (a change)
REAL_PLAIN_DATE = f"^{_REAL_DAY}$"

# rules.emails: one "@"; a local part of RFC 5322 atext and dots, and non-ASCII letters,
# marks, digits and symbols (no control, format or separator character); a dotted domain
# of ASCII labels without an edge "-". An uppercase domain is lowercased (a change), so it
# is not wire form. Only the Basic Multilingual Plane is listed: an astral character in
# the local part (an emoji) is flagged here though the rule may take it.
_LOCAL_NON_ASCII = _char_class(
    c for c in map(chr, range(0x80, 0x10000)) if unicodedata.category(c)[0] in "LMNS"
)
_LOCAL = f"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~{_LOCAL_NON_ASCII}-]"
_LABEL = "[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
EMAIL = f"^{_LOCAL}+@{_LABEL}(?:\\.{_LABEL})+$"

# rules.uris: a scheme and no character a URI cannot hold; http(s) needs a host
_URI_BAD = '\\u0000-\\u0020\\u007f<>"{}|\\\\^`'
URI = f"^[A-Za-z][A-Za-z0-9+.-]*:[^{_URI_BAD}]*$"
_HTTP = "^[Hh][Tt][Tt][Pp][Ss]?:"
HTTP_URL = f"{_HTTP}//[^/?#{_URI_BAD}][^{_URI_BAD}]*$"

#: a fragment, a hint for the description, and the issue codes it stands for
Editor = tuple[Strict, str, tuple[str, ...]]
_NOTHING: Editor = (True, "", ())


def _date(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    codes = ("date.format", "date.invalid") if "pattern" in schema else ("date.invalid",)
    if is_plain_date(schema):
        hint = "A real calendar date, YYYY-MM-DD (a time of day is dropped), e.g. 2021-01-01."
        return {"pattern": REAL_PLAIN_DATE}, hint, codes
    hint = "A real calendar date (and time of day) in the form the pattern gives, e.g. 2021-01-01."
    return {"pattern": REAL_DATE}, hint, codes


def _country(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    hint = "An ISO 3166-1 alpha-2 code such as DE (a name or alpha-3 code is not wire form)."
    return strict, hint, ("country.unknown",)  # the rule's own enum of pycountry's codes


def _email(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    hint = "One '@', no spaces, a dotted lowercase domain."
    return {"pattern": EMAIL}, hint, ("email.invalid",)


def _data_url(where: Where) -> bool:
    return (
        where.name == "data_url" and where.parent is not None and is_attachment_schema(where.parent)
    )


def _uri(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    if _data_url(where):
        return {"pattern": HTTP_URL}, "An absolute http(s) URL.", ("attachment.data_url_invalid",)
    fragment = {"pattern": URI, "if": {"pattern": _HTTP}, "then": {"pattern": "^[^:]+://[^/?#]"}}
    return fragment, "An absolute URI (a scheme such as https:).", ("uri.invalid",)


def _content_type(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    # rules.attachment.content_type_rule leaves it alone: lowercase, no parameters, trimmed
    fragment = {"not": {"pattern": f"[A-Z;]|^[{_WS}]|[{_WS}]$"}}
    return fragment, "Lowercase, without parameters (e.g. application/pdf).", ()


def _attachment(schema: dict[str, Any], where: Where, strict: Strict) -> Editor:
    """The rule's strict fragment without its warning (a generic content type) and with
    the pattern it uses for short ``data`` for all ``data`` (no custom format)."""
    if not isinstance(strict, dict):
        return _NOTHING
    fragment: dict[str, Any] = {k: strict[k] for k in ("anyOf", "dependentRequired") if k in strict}
    data = ((strict.get("properties") or {}).get("data") or {}).get("then") or {}
    if "pattern" in data:
        hint = "Strict base64 (standard alphabet, padded, no line breaks, no data: prefix)."
        fragment["properties"] = {"data": _described({"pattern": data["pattern"]}, hint, _B64)}
    hint = "Exactly one of data (base64, with its content_type) and data_url."
    codes = (
        "attachment.data_and_data_url",
        "attachment.no_data",
        "attachment.content_type_missing",
    )
    return fragment, hint, codes


_B64 = ("attachment.base64_invalid",)

#: each rule's fragment for the editor, by rule name (see the module docstring);
#: the converters and the enum rule add nothing (the schema's enum is exact already)
_EDITORS: dict[str, Callable[[dict[str, Any], Where, Strict], Editor]] = {
    "date": _date,
    "country": _country,
    "email": _email,
    "uri": _uri,
    "content-type": _content_type,
    "attachment": _attachment,
}


def editor_schema(validator: Validator | None = None) -> dict[str, Any]:
    """The editor JSON Schema (Draft 2020-12) of ``validator``'s request body (default:
    the bundled spec's). A new dict each call; nothing is fetched."""
    if validator is None:
        from .api import default_validator

        validator = default_validator()
    root = _editor(validator.request_schema, Where())
    own = root.pop("description", "") if isinstance(root, dict) else ""
    source = validator.spec.source.replace("\\", "/").rsplit("/", 1)[-1]
    intro = (
        f"The request body of {validator.operation} (Kombo's Create application) in wire "
        f"form, generated by kombo-validate from {source}. It accepts every body "
        "kombo-validate passes unchanged, and rejects what its normaliser would still "
        "convert (country names or alpha-3 codes, lowercase enum values, UTC offsets, "
        "data: URIs, content types with parameters or left to be inferred, null for an "
        "optional field): keep fixtures in wire form. Left to kombo-validate: its "
        "warnings (unknown keys: objects stay open; generic content types; attachments "
        "over 10 MB), answers against the job's screening questions, and numbers in "
        "free-form data."
    )
    head = {
        "$schema": DIALECT,
        "title": TITLE,
        "description": "\n\n".join(filter(None, [intro, own])),
    }
    body = root if isinstance(root, dict) else {}
    return copy.deepcopy({**head, **{k: v for k, v in body.items() if k not in head}})


def _editor(schema: Any, where: Where) -> Any:
    """``schema`` with the rules' fragments where the plan attaches them: its ``allOf``
    merged as the plan walks it (and kept as written: a merge keeps the first of two
    conflicting keywords), ``anyOf``/``oneOf`` branches, properties, items."""
    if not isinstance(schema, dict):
        return schema
    merged = merge_all_of(schema)
    out = {k: _portable_value(k, v) for k, v in merged.items() if k not in _DROP}
    hints: list[str] = []
    codes: list[str] = [f"schema.{k}" for k in ("enum", "pattern", "required") if k in merged]
    fragments: list[Any] = [_portable(p, notes=False) for p in schema.get("allOf") or ()]
    types = schema_types(merged)
    key = next((k for k in ("anyOf", "oneOf") if isinstance(merged.get(k), list)), None)
    if key is not None:
        out[key] = [_editor(branch, where) for branch in merged[key]]
    elif "object" in types:
        props = merged.get("properties")
        if isinstance(props, dict):
            out["properties"] = {n: _editor(s, Where(n, merged)) for n, s in props.items()}
        if isinstance(merged.get("additionalProperties"), dict):
            out["additionalProperties"] = _editor(merged["additionalProperties"], Where())
        _rules("object", merged, where, out, fragments, hints, codes)
    elif "array" in types:
        if isinstance(merged.get("items"), dict):
            out["items"] = _editor(merged["items"], Where())
    elif "string" in types:
        _rules("string", merged, where, out, fragments, hints, codes)
    if types & {"number", "integer"}:  # what a double holds, as Kombo parses numbers
        lo, hi = merged.get("minimum"), merged.get("maximum")
        if not (isinstance(lo, (int, float)) and lo >= -DOUBLE_MAX):
            out["minimum"] = -DOUBLE_MAX
        if not (isinstance(hi, (int, float)) and hi <= DOUBLE_MAX):
            out["maximum"] = DOUBLE_MAX
        codes.append("number.out_of_range")
    if isinstance(merged.get("$defs"), dict):  # a recursive schema's targets: as the plan
        out["$defs"] = {n: _editor(s, Where()) for n, s in merged["$defs"].items()}
    if fragments:
        out["allOf"] = fragments
    return _described(out, " ".join(hints), codes)


def _rules(
    kind: str,
    schema: dict[str, Any],
    where: Where,
    out: dict[str, Any],
    fragments: list[Any],
    hints: list[str],
    codes: list[str],
) -> None:
    """Each rule of ``kind`` the plan builds for ``schema``: its editor fragment."""
    for rule in RULES:
        editor = _EDITORS.get(rule.name)
        if rule.kind != kind or editor is None or not rule.applies(schema, where):
            continue
        if not rule.build(schema, where):  # as the plan builds its rules
            continue
        fragment, hint, rule_codes = editor(schema, where, rule.strict(schema, where))
        if isinstance(fragment, dict):
            fragment = dict(fragment)
            for name, sub in (fragment.pop("properties", None) or {}).items():
                target = (out.get("properties") or {}).get(name)
                if isinstance(target, dict):
                    note = sub.pop("description", "")
                    target["allOf"] = [*target.get("allOf", ()), sub]
                    _described(target, note, ())
        if fragment is not True and fragment != {}:
            fragments.append(fragment)
        hints.append(hint)
        if kind == "string" and rule_codes and "schema.pattern" in codes:
            codes.remove("schema.pattern")  # the rule reports it instead (Validator._schema_issues)
        codes.extend(rule_codes)


def _described(node: dict[str, Any], hint: str, codes: Iterable[str]) -> dict[str, Any]:
    """``node`` with ``hint`` and ``(kombo-validate: codes)`` added to its description."""
    found = list(dict.fromkeys(codes))
    note = " ".join(filter(None, [hint, f"(kombo-validate: {', '.join(found)})" if found else ""]))
    if note:
        own = node.get("description")
        node["description"] = f"{own}\n\n{note}" if isinstance(own, str) and own else note
    return node


def _portable(schema: Any, notes: bool = True) -> Any:
    """``schema`` without formats and OpenAPI's own keywords (``notes``: with annotations)."""
    if not isinstance(schema, dict):
        return schema
    drop = _DROP if notes else _DROP | _ANNOTATIONS
    return {k: _portable_value(k, v, notes) for k, v in schema.items() if k not in drop}


def _portable_value(key: str, value: Any, notes: bool = True) -> Any:
    if key in _SUB:
        return _portable(value, notes)
    if key in _SUB_MAPS and isinstance(value, dict):
        return {name: _portable(sub, notes) for name, sub in value.items()}
    if key in _SUB_LISTS and isinstance(value, list):
        return [_portable(sub, notes) for sub in value]
    return value
