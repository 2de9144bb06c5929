"""The strict schema compiled to Python (``strict_py``) against jsonschema-rs on it.

The cold proof trusts ``valid(body)`` instead of jsonschema-rs: it must accept
exactly what jsonschema-rs accepts on the strict schema, for every plain JSON body
(and never more for anything else). Drawn bodies, raw bodies and injected defects
for the bundled spec and for every write operation of the full spec (skipped
without it); keyword by keyword at exact paths of the example; the ECMA-262
dialect and jsonschema-rs's date formats over drawn strings; and what the compiler
refuses.
"""

from __future__ import annotations

import copy
import math
from functools import cache
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_validate import Validator, ecma_regex, strict_py
from kombo_validate._strategies import invalid_and_valid, raw_and_wire
from kombo_validate.rules import STRICT_FORMATS

from .helpers import FULL, full_write_ids, needs_full

#: examples a property draws for one operation: a tenth of the profile's, at least 3
EXAMPLES = max(3, settings.default.max_examples // 10)


OPERATIONS = full_write_ids() or ["(no full spec)"]


@cache
def pair(operation: str | None = None) -> tuple[Validator, Any, Any]:
    """(validator, Python predicate, jsonschema-rs validator) of one operation's strict schema."""
    validator = Validator(None if operation is None else FULL, operation=operation)
    assert validator.operation is not None  # built: its fast path holds the strict schema
    fast = validator._fast
    assert fast is not None
    strict = fast.root.strict
    predicate = strict_py.predicate(strict, STRICT_FORMATS)
    assert predicate is not None, "the compiler refused the strict schema"
    rs = jsonschema_rs.Draft202012Validator(strict, validate_formats=True, formats=STRICT_FORMATS)
    return validator, predicate, rs


def rs_valid(rs: Any, body: Any) -> bool:
    try:
        return bool(rs.is_valid(body))
    except Exception:  # jsonschema-rs raising: not proven, as the fast path takes it
        return False


def plain(value: Any) -> bool:
    """JSON data as ``json.loads`` makes it (ints not beyond ``strict_py.BIG``, no cycle)."""
    try:
        return _plain(value)
    except RecursionError:
        return False


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is int:
        return abs(value) <= strict_py.BIG
    if kind is float:
        return math.isfinite(value)
    return kind in (str, bool, type(None))


def agree(predicate: Any, rs: Any, body: Any) -> bool:
    """The predicate's answer: jsonschema-rs's for plain JSON, never True when it says no."""
    got, expected = predicate(body), rs_valid(rs, body)
    if plain(body):
        assert got is expected, f"python {got}, jsonschema-rs {expected}"
    else:
        assert not got or expected, "accepted what jsonschema-rs refuses"
    return bool(got)


# ----------------------------------------------------------------- drawn bodies: bundled spec


@given(invalid_and_valid(validator=pair()[0]))
def test_bundled_valid_and_defective_bodies_agree(case: tuple[Any, Any, str, str]) -> None:
    _, predicate, rs = pair()
    valid, invalid, _path, _code = case
    agree(predicate, rs, valid)  # most are proven; the strict schema may be narrower
    agree(predicate, rs, invalid)


@given(raw_and_wire(validator=pair()[0]))
def test_bundled_raw_bodies_agree(bodies: tuple[Any, Any]) -> None:
    _, predicate, rs = pair()
    raw, wire = bodies
    agree(predicate, rs, raw)
    agree(predicate, rs, wire)


# ----------------------------------------------------------------- every operation


@needs_full
@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_agrees(operation: str) -> None:
    validator, predicate, rs = pair(operation)

    @settings(max_examples=EXAMPLES)
    @given(invalid_and_valid(validator=validator))
    def defects(case: tuple[Any, Any, str, str]) -> None:
        agree(predicate, rs, case[0])
        agree(predicate, rs, case[1])

    @settings(max_examples=EXAMPLES)
    @given(raw_and_wire(validator=validator))
    def raw(bodies: tuple[Any, Any]) -> None:
        agree(predicate, rs, bodies[0])
        agree(predicate, rs, bodies[1])

    defects()
    raw()


@needs_full
def test_the_recursive_form_compiles_and_agrees() -> None:
    """PostHrisEmployeesForm (a $ref cycle kept as $defs): its strict schema holds no
    $ref (the walk takes recursive data), so it compiles like any other."""
    _, predicate, rs = pair("PostHrisEmployeesForm")
    for body in ({}, {"properties": {}}, {"properties": {"a": {"type": "string"}}}, []):
        agree(predicate, rs, body)


# ----------------------------------------------------------------- keyword by keyword


def _at(body: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with ``value`` at ``pointer`` (``DELETE``: removed)."""
    out = copy.deepcopy(body)
    *parents, last = pointer.strip("/").split("/")
    node: Any = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return out


DELETE = object()
LONG_BASE64 = "QUJD" * 100  # past maxLength 256: the custom format's checker
CASES = [
    # type, and what jsonschema-rs counts as a number or an integer
    ("/candidate/salary_expectations/amount", 1.0, True),
    ("/candidate/salary_expectations/amount", True, False),
    ("/candidate/salary_expectations/amount", "1", False),
    ("/candidate/salary_expectations/amount", 2**62 + 1, True),
    ("/candidate/salary_expectations/amount", 10**308, True),
    ("/candidate/salary_expectations/amount", 10**309, False),  # past the doubles: maximum
    ("/candidate/salary_expectations/amount", -(10**309), False),  # minimum
    ("/candidate/salary_expectations/amount", math.nan, False),
    ("/candidate/salary_expectations/amount", math.inf, False),
    ("/candidate/first_name", None, False),
    ("/candidate/first_name", "😀 ٣", True),
    # enum, const
    ("/candidate/location/country", "DE", True),
    ("/candidate/location/country", "de", False),
    ("/candidate/gender", "male", False),
    # pattern: $ at the very end, \w and \d ASCII, [\r\n]
    ("/candidate/email_address", "frank@example.com\n", False),
    ("/candidate/email_address", "frañk@example.com", False),
    ("/attachments/0/content_type", "text/plain\n", False),
    ("/attachments/0/content_type", "téxt/plain", False),
    ("/attachments/0/data", "QUJD\n", False),
    ("/attachments/0/data", "QUJD", True),
    # if/then/else and the custom format
    ("/attachments/0/data", LONG_BASE64, True),
    ("/attachments/0/data", LONG_BASE64[:-1] + "!", False),
    # formats date, date-time (with the spec's pattern), not
    ("/candidate/availability_date", "2020-02-29", True),
    ("/candidate/availability_date", "2021-02-29", False),
    ("/candidate/availability_date", "2021-01-01T10:00:00Z", True),
    ("/candidate/availability_date", "2016-12-31T23:59:60Z", False),  # not :60
    ("/candidate/availability_date", "0000-01-01", False),  # not ^0000
    ("/candidate/availability_date", "２０２１-01-01", False),
    # not + enum; dependentRequired; anyOf of required / not required
    ("/attachments/0/content_type", "application/octet-stream", False),
    ("/attachments/0/content_type", DELETE, False),
    ("/attachments/0/data_url", "https://example.com/cv.txt", False),
    # required, additionalProperties, items
    ("/candidate/first_name", DELETE, False),
    ("/candidate/nickname", "Frankie", False),
    ("/candidate/additional_email_addresses", [{"type": "WORK", "email_address": "a@b.co"}], True),
    ("/candidate/additional_email_addresses", [{"type": "work", "email_address": "a@b.co"}], False),
    ("/candidate/additional_email_addresses", [], True),
    ("/attachments", {}, False),
]


@pytest.mark.parametrize(("pointer", "value", "expected"), CASES)
def test_keyword_cases_at_exact_paths(
    example: dict[str, Any], pointer: str, value: Any, expected: bool
) -> None:
    _, predicate, rs = pair()
    body = _at(example, pointer, value)
    assert rs_valid(rs, body) is expected, "the case's premise about jsonschema-rs"
    assert predicate(body) is expected


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/candidate/additional_email_addresses", ({"type": "WORK", "email_address": "a@b.co"},)),
        ("/candidate/salary_expectations/amount", 10**5000),
        ("/candidate/location", {1: "US", "country": "US"}),
        ("/candidate/first_name", b"Frank"),
    ],
    ids=["tuple", "huge-int", "int-key", "bytes"],
)
def test_values_of_no_json_type_are_not_proven(
    example: dict[str, Any], pointer: str, value: Any
) -> None:
    predicate = pair()[1]
    assert predicate(_at(example, pointer, value)) is False  # the full walk decides


def test_the_example_is_proven(example: dict[str, Any]) -> None:
    _, predicate, rs = pair()
    assert predicate(example) is True and rs_valid(rs, example) is True


# ----------------------------------------------------------------- dialect and formats

_NEAR_DATES = st.text(alphabet="0123456789-:.TtZz+ \n٣", max_size=30)
_DATES = st.one_of(
    _NEAR_DATES,
    st.builds(
        "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}{}{}".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(["T", "t", " ", ""]),
        st.integers(0, 24),
        st.integers(0, 60),
        st.integers(0, 61),
        st.sampled_from(["", ".5", ".", ".123456789"]),
        st.sampled_from(["Z", "z", "", "+00:00", "-23:59", "+01:00", "+24:00", "-00:60", "+0100"]),
    ),
)


@given(_DATES)
def test_date_formats_as_jsonschema_rs(value: str) -> None:
    for name in ("date", "date-time"):
        schema = {"format": name}
        predicate = strict_py.predicate(schema, {})
        assert predicate is not None
        rs = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
        assert predicate(value) is rs.is_valid(value), name
        assert predicate(value[:10]) is rs.is_valid(value[:10]), name


def test_leap_seconds_at_every_offset() -> None:
    predicate = strict_py.predicate({"format": "date-time"}, {})
    assert predicate is not None
    rs = jsonschema_rs.Draft202012Validator({"format": "date-time"}, validate_formats=True)
    seen = set()
    for hour in range(24):
        for minute in (0, 1, 58, 59):
            for offset in ("Z", "+00:00", "-00:01", "+01:00", "-05:30", "+23:59", "-23:59"):
                value = f"2016-12-31T{hour:02}:{minute:02}:60{offset}"
                seen.add(rs.is_valid(value))
                assert predicate(value) is rs.is_valid(value), value
    assert seen == {True, False}


PATTERNS = [
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?Z?$",
    r"^[\w.-]+\/[\w.-]+$",
    r"^(?=.{1,64}@)[\w-]+(\.[\w-]+)*@[^-][\dA-Za-z-]+(\.[\dA-Za-z-]+)*(\.[A-Za-z]{2,})$",
    r"([\d+])[\d ()/-]+",
    r"^(?:2[0-3]|[01]?\d):[0-5]?\d(:[0-5]?\d)?$",
    r"[\r\n]",
    r"^a.b$",
    r"^\W\D$",
    r"(?!ab)a|x{2,}?",
]
_TEXT = st.text(alphabet="aAbx0_-.@/:()+ \n\r\t\u2028\u2029\xa0é٣３😀T", max_size=16)


@given(st.sampled_from(PATTERNS), _TEXT)
def test_patterns_as_jsonschema_rs(pattern: str, value: str) -> None:
    predicate = strict_py.predicate({"pattern": pattern}, {})
    assert predicate is not None
    rs = jsonschema_rs.Draft202012Validator({"pattern": pattern})
    assert predicate(value) is rs.is_valid(value)


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        (r"^\d$", r"^[0-9]\Z"),
        (r"[\w.]", r"[A-Za-z0-9_\.]"),
        (r"a.", "a[^\\n\\r\\u2028\\u2029]"),
        (r"\/x?", r"/x?"),
    ],
)
def test_ecma_to_python(pattern: str, python: str) -> None:
    assert ecma_regex.ecma_to_python(pattern) == python


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/$defs/a", "$defs": {"a": True}},
        {"uniqueItems": True},
        {"patternProperties": {"a": True}},
        {"enum": [1]},
        {"const": None},
        {"format": "email"},
        {"pattern": r"\s"},
        {"pattern": r"(a)\1"},
        {"pattern": r"(?<=a)b"},
        {"pattern": r"[\d-z]"},
        {"pattern": "a{,3}"},
        {"pattern": "a*+"},
        {"pattern": "]"},
        {"minimum": True},
        {"maxLength": 1.5},
        {"type": "float"},
        {"properties": {"a": {"items": {"prefixItems": []}}}},
    ],
)
def test_what_it_does_not_know_is_refused(schema: dict[str, Any]) -> None:
    assert strict_py.compile_strict(schema) is None


def test_annotations_are_ignored_as_jsonschema_rs_does() -> None:
    schema = {"description": "d", "x-kombo": 1, "deprecated": True, "type": "string"}
    predicate = strict_py.predicate(schema, {})
    assert predicate is not None
    assert predicate("a") is True and predicate(1) is False


def test_one_of_counts_and_a_raising_format_is_not_proven() -> None:
    def boom(value: str) -> bool:
        raise RuntimeError("a checker's own failure")

    one_of = strict_py.predicate({"oneOf": [{"type": "integer"}, {"type": "number"}]}, {})
    assert one_of is not None
    assert one_of(1) is False and one_of(1.5) is True and one_of(1.0) is False
    raising = strict_py.predicate({"format": "mine"}, {"mine": boom})
    assert raising is not None
    assert raising("x") is False and raising(1) is True
