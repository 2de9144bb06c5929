"""Each rule's "nothing to do" declaration (``rules.alone``) against the rule itself.

For every rule at every place it attaches in the bundled spec (and, for shapes the
spec lacks, in small schemas written here): a string the fast path's fragment
accepts (jsonschema-rs, ``STRICT_FORMATS`` asserted, with the schema's own
keywords as the fast path keeps them) is one the plan's quick check accepts, and
the rule returns it unchanged and records nothing. Strings are drawn from the
declaration itself (its regex, its values), from the schema's pattern, from the
values the project's strategies draw for the place, near misses of all of those,
and arbitrary text. The attachment object rule gets drawn objects the same way.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate.context import Ctx
from kombo_validate.patterns import to_python_regex
from kombo_validate.rules import FORMATS, RULES, STRICT_FORMATS
from kombo_validate.rules.alone import (
    AllStrings,
    Alone,
    Format,
    Given,
    NoneOf,
    OneOf,
    Pattern,
    Schema,
    plain_of,
    strict_of,
)
from kombo_validate.rules.attachment import GENERIC_CONTENT_TYPES
from kombo_validate.rules.requires import requirements
from kombo_validate.schemas import schema_types

from .rule_places import Place, places

PLACES = places()
STRING_PLACES = [p for p in PLACES if p[1].kind != "object"]
OBJECT_PLACES = [p for p in PLACES if p[1].kind == "object"]


def _id(place: Place) -> str:
    return f"{place[1].name}:{place[1].kind}@{place[0]}"


#: what the fast path keeps of a schema's own keywords (formats are its fragments' job)
_NOT_KEPT = frozenset({"format", "description", "title", "example", "examples", "nullable"})


def _own(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _own(v) for k, v in schema.items() if k not in _NOT_KEPT}
    if isinstance(schema, list):
        return [_own(v) for v in schema]
    return schema


def _validator(schema: Any) -> Any:
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True, formats=STRICT_FORMATS)


def _variants(value: str) -> st.SearchStrategy[str]:
    """``value`` and its near misses: another case, padded, a line break, cut, doubled."""
    return st.sampled_from(
        (
            value,
            value.upper(),
            value.lower(),
            f" {value}",
            f"{value}\n",
            f"{value}\r",
            value[:-1],
            value + value,
            value.replace(".", ";"),
        )
    )


def _drawn(alone: Alone, schema: dict[str, Any]) -> st.SearchStrategy[str]:
    parts: list[st.SearchStrategy[str]] = [
        st.text(),
        st.text("0123456789-:TZ.+/@abcAZ;= \n"),
    ]
    if isinstance(alone, Pattern):
        parts.append(st.from_regex(alone.regex, fullmatch=True))
    elif isinstance(alone, OneOf):
        parts.append(st.sampled_from(sorted(alone.values)))
    elif isinstance(alone, NoneOf):
        parts.append(st.lists(st.sampled_from(["a", "Zz", *alone.chars])).map("".join))
    elif isinstance(alone, Format):
        parts.append(st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()))
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        parts.append(st.from_regex(to_python_regex(pattern)))
    parts.append(st.sampled_from(_SAMPLES))
    return st.one_of(parts).flatmap(_variants)


#: values of every role, as the strategies draw them, and some the rules change
_SAMPLES = (
    "2021-01-01",
    "2021-01-01T10:20:30Z",
    "2021-01-01T10:20:30.5Z",
    "2021-01-01T10:20:30+02:00",
    "2021-02-29",
    "0000-01-01",
    "2021-01-01T23:59:60Z",
    "DE",
    "deu",
    "ada@example.com",
    "ada@Example.com",
    "https://example.com/cv.pdf?a=b",
    "HTTPS://example.com",
    "mailto:ada@example.com",
    "application/pdf",
    "0/1",
    "SGk=",
)


def _assert_left_alone(fn: Any, value: str) -> None:
    ctx = Ctx()
    after = fn(value, ("x",), ctx)
    assert type(after) is str and after == value, (value, after)
    assert not ctx.issues and not ctx.changes, (value, ctx.issues, ctx.changes)


@pytest.mark.parametrize("place", STRING_PLACES, ids=_id)
def test_what_a_rule_is_declared_to_leave_alone_it_leaves_alone(place: Place) -> None:
    _, rule, schema, where = place
    alone = rule.alone(schema, where)
    fn = rule.build(schema, where)
    plain = plain_of(alone)
    fragment = strict_of(alone)
    assert (plain is None) is (rule.plain(schema, where) is None)
    assert fragment == rule.strict(schema, where)
    with_own = _validator({"allOf": [_own(schema), fragment]}).is_valid
    alone_only = _validator(fragment).is_valid

    @given(_drawn(alone, schema))
    def check(value: str) -> None:
        quick = plain is not None and bool(plain(value))
        if isinstance(alone, Given):  # said twice on purpose: each must hold on its own
            if with_own(value) or quick:
                _assert_left_alone(fn, value)
            return
        if with_own(value):
            assert quick, f"the fragment takes {value!r}, the quick check does not"
        if not (isinstance(alone, AllStrings) or (isinstance(alone, OneOf) and alone.stated)):
            # one declaration, two dialects (Python re, ECMA-262 in jsonschema-rs): alike
            assert alone_only(value) == quick, value
        if quick:
            _assert_left_alone(fn, value)

    check()


def _attachment_objects(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    values: dict[str, st.SearchStrategy[Any]] = {
        "name": st.sampled_from(["cv.pdf", "cv", "a.PNG"]),
        "content_type": st.sampled_from(
            ["application/pdf", "Text/Plain", "", *sorted(GENERIC_CONTENT_TYPES)]
        ),
        "data": st.one_of(
            st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode()),
            st.sampled_from(["=", "abc!", "SGk", "data:text/plain;base64,SGk=", "A" * 300 + "="]),
        ),
        "data_url": st.sampled_from(["https://example.com/cv.pdf", "not a url"]),
    }
    props = schema.get("properties") or {}
    for name, sub in props.items():
        if name not in values:  # another property (``type``): a value its schema takes
            enum = sub.get("enum") if isinstance(sub, dict) else None
            values[name] = st.sampled_from(enum) if isinstance(enum, list) else st.text()
    required = [k for k in schema.get("required") or () if k in props]

    def value(k: str) -> st.SearchStrategy[Any]:  # mostly one of its own values
        return st.one_of(values[k], values[k], values[k], st.none(), st.integers(0, 3))

    return st.fixed_dictionaries(
        {k: values[k] for k in required},
        optional={k: value(k) for k in props if k not in required},
    )


def _a_good_one(schema: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {"name": "cv.pdf", "content_type": "application/pdf", "data": "SGk="}
    for name, sub in (schema.get("properties") or {}).items():
        if name not in obj and isinstance(sub.get("enum"), list):
            obj[name] = sub["enum"][0]
    return obj


def _paired_objects(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props = schema.get("properties") or {}
    value = st.one_of(st.integers(0, 3), st.sampled_from(["DAYS", "10:00"]), st.none())
    return st.fixed_dictionaries({}, optional={k: value for k in props})


def _good_and_bad(rule: str, schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One object the fragment takes and one it refuses (the test is not vacuous)."""
    if rule == "requires":
        props = schema.get("properties") or {}

        def sample(name: str) -> Any:
            return "DAYS" if "string" in schema_types(props[name]) else 1

        field, needed = requirements(schema)[0]
        return {field: sample(field), needed: sample(needed)}, {field: sample(field)}
    good = _a_good_one(schema)
    return good, {k: v for k, v in good.items() if k != "data"}


#: rule name -> how to draw objects of its shape, the fragment's and others
OBJECTS: dict[str, Callable[[dict[str, Any]], st.SearchStrategy[dict[str, Any]]]] = {
    "attachment": _attachment_objects,
    "requires": _paired_objects,
}


def test_every_object_rule_has_its_objects() -> None:
    assert sorted(OBJECTS) == sorted(r.name for r in RULES if r.kind == "object")


@pytest.mark.parametrize("place", OBJECT_PLACES, ids=_id)
def test_an_object_rule_leaves_alone_what_its_fragment_accepts(place: Place) -> None:
    _, rule, schema, where = place
    alone = rule.alone(schema, where)
    assert isinstance(alone, Schema) and rule.plain(schema, where) is None
    own = {k: v for k, v in _own(schema).items() if k != "properties"}
    own["properties"] = {
        name: {k: v for k, v in sub.items() if k in ("type", "enum", "pattern")}
        for name, sub in (_own(schema).get("properties") or {}).items()
    }
    accepts = _validator({"allOf": [own, strict_of(alone)]}).is_valid
    fn = rule.build(schema, where)
    good, bad = _good_and_bad(rule.name, schema)
    assert accepts(good)
    assert not accepts(bad)

    @given(OBJECTS[rule.name](schema))
    def check(obj: dict[str, Any]) -> None:
        if not accepts(obj):
            return
        ctx = Ctx()
        after = copy.deepcopy(obj)
        fn(after, ("x",), ctx)
        assert after == obj and not ctx.issues and not ctx.changes, (obj, ctx.issues)

    check()


def test_every_rule_is_checked_somewhere() -> None:
    covered = {id(rule) for _, rule, _, _ in PLACES}
    assert [r.name for r in RULES if id(r) not in covered] == []


def test_every_custom_format_a_rule_uses_is_registered() -> None:
    used: set[str] = set()

    def formats(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                used.add(node["format"])
            for v in node.values():
                formats(v)
        elif isinstance(node, list):
            for v in node:
                formats(v)

    for _, rule, schema, where in PLACES:
        formats(rule.strict(schema, where))
    assert used - {"date", "date-time"} <= set(STRICT_FORMATS)
    assert {f.name for f in FORMATS} == set(STRICT_FORMATS)
