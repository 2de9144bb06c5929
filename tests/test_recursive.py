"""Recursive request schemas (issue 14): a ``$ref`` cycle is loaded, walked, checked and drawn.

On a small document written for the tests (``tests/data/recursive.openapi.yaml``: a
tree of units, each unit's children units, with a date, an email, a country and an
enum inside the recursion; form values nested through two schemas), and on the full
Kombo spec's ``PostHrisEmployeesForm`` when it is present. Each check runs on both
schema engines and with the fast path on and off: valid nested bodies pass unchanged,
a defect deep inside is reported at its exact path with its code, and nesting past
the depth limit is ``json.too_deep`` (never a RecursionError).
"""

from __future__ import annotations

import copy
from pathlib import Path as FilePath
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from kombo_validate import Validator
from kombo_validate.context import MAX_DEPTH
from kombo_validate.editor_schema import editor_schema
from kombo_validate.spec import load_spec
from kombo_validate.strategies import invalid_bodies, raw_bodies, wire_bodies

DATA = FilePath(__file__).resolve().parent / "data"
RECURSIVE = DATA / "recursive.openapi.yaml"
MULTI = DATA / "multi-operation.openapi.yaml"
OP = "PostOrgUnits"
FORM = "PostHrisEmployeesForm"

#: (engine, fast path): every check below runs on each
SETUPS = [("rust", True), ("rust", False), ("python", False)]
_VALIDATORS: dict[tuple[Any, ...], Validator] = {}


def validator(engine: str = "rust", fast_path: bool = True, spec: Any = RECURSIVE) -> Validator:
    operation = OP if spec == RECURSIVE else FORM
    key = (str(spec), engine, fast_path)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = Validator(spec, operation=operation, engine=engine, fast_path=fast_path)
    return _VALIDATORS[key]


def chain(levels: int, **deepest: Any) -> dict[str, Any]:
    """A body whose root unit has one child, that one child, ... ``levels`` units in all;
    the deepest unit has ``deepest``'s fields too."""
    unit: dict[str, Any] = {"name": f"u{levels - 1}", **deepest}
    for n in range(levels - 2, -1, -1):
        unit = {"name": f"u{n}", "children": [unit]}
    return {"root": unit}


def at(levels: int, *rest: str | int) -> str:
    """The JSON Pointer of the deepest unit of ``chain(levels)`` (and ``rest`` below it)."""
    parts = ["root", *(["children", "0"] * (levels - 1)), *map(str, rest)]
    return "/" + "/".join(parts)


def pairs(body: Any, v: Validator) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in v.check(body).issues]


# ----------------------------------------------------------------------------- the loader


def test_the_loader_keeps_each_back_edge_as_a_ref_into_defs() -> None:
    schema = load_spec(RECURSIVE, operation=OP).request_schema
    assert sorted(schema["$defs"]) == ["Unit", "Value", "ValueMap"]
    root = schema["properties"]["root"]
    assert root["properties"]["children"]["items"] == {"$ref": "#/$defs/Unit"}
    assert root["properties"]["deputy"]["anyOf"][0] == {"$ref": "#/$defs/Unit"}
    assert schema["$defs"]["Unit"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Unit"}
    # everything else is dereferenced as before
    assert root["properties"]["email"] == {"type": "string", "format": "email"}


def test_a_schema_without_a_cycle_has_no_defs() -> None:
    assert "$defs" not in load_spec(None).request_schema
    assert "$defs" not in load_spec(MULTI, operation="PostAtsCandidates").request_schema


def test_the_cached_load_keeps_the_defs() -> None:
    first = load_spec(RECURSIVE, operation=OP)
    again = load_spec(RECURSIVE, operation=OP)  # from the on-disk cache
    assert again.request_schema == first.request_schema
    assert "$defs" in again.request_schema


def test_a_response_schema_carries_its_own_defs() -> None:
    response = load_spec(RECURSIVE, operation=OP).responses["200"]
    assert response["properties"]["children"]["items"] == {"$ref": "#/$defs/Unit"}
    assert list(response["$defs"]) == ["Unit"]


# ----------------------------------------------------------------------------- valid bodies


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
@pytest.mark.parametrize("levels", [1, 2, 5, 32])
def test_valid_nested_bodies_pass_unchanged(engine: str, fast: bool, levels: int) -> None:
    # unit n sits at depth 2n + 1: the 32nd (n = 31) at 63, its fields at 64, the limit
    v = validator(engine, fast)
    body = chain(levels, email="a@example.com", founded="2020-02-29T00:00:00Z", kind="TEAM")
    report = v.check(body)
    assert (report.issues, report.changes, report.body) == ((), (), body)


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_the_spec_example_passes(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    example = v.spec.request_example
    assert example is not None and example["root"]["children"][0]["children"]
    report = v.check(example)
    assert (report.issues, report.body) == ((), example)


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_form_values_nest_through_two_schemas(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    values: Any = {"leaf": "x"}
    for n in range(20):
        values = {"list": [n, values, True]} if n % 2 else {"map": values, "n": 1.5}
    body = {"root": {"name": "r"}, "values": values}
    report = v.check(body)
    assert (report.issues, report.body) == ((), body)


# ----------------------------------------------------------------------------- defects deep inside


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_rules_apply_inside_the_recursion(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    body = chain(12, email="ada@", founded="2021-02-29T00:00:00Z", country="Germany", kind="team")
    report = v.check(body)
    assert [(i.path, i.code) for i in report.issues] == [
        (at(12, "email"), "email.invalid"),
        (at(12, "founded"), "date.invalid"),
    ]
    assert [(c.path, c.after) for c in report.changes] == [
        (at(12, "country"), "DE"),
        (at(12, "kind"), "TEAM"),
    ]


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_schema_errors_deep_inside_are_at_their_exact_paths(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    body = chain(9, kind="WRONG", unknown=1)
    body["root"]["children"][0]["children"].append({"email": "b@example.com"})
    body["root"]["children"][0]["children"][0]["name"] = "n" * 41
    assert pairs(body, v) == [
        (at(3, "name"), "schema.max_length"),
        (at(9, "kind"), "schema.enum"),
        (at(9, "unknown"), "key.unknown"),
        ("/root/children/0/children/1/name", "schema.required"),
    ]


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_a_deputy_through_an_any_of_is_walked_and_checked(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    deputy: Any = {"name": "d3", "email": "nope"}
    for n in (2, 1):
        deputy = {"name": f"d{n}", "deputy": deputy}
    body = {"root": {"name": "r", "deputy": deputy, "children": [{"name": "c", "deputy": None}]}}
    assert pairs(body, v) == [("/root/deputy/deputy/deputy/email", "email.invalid")]
    body["root"]["deputy"]["deputy"]["deputy"] = {"email": "x@example.com"}
    assert pairs(body, v) == [("/root/deputy/deputy/deputy/name", "schema.required")]


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_a_form_value_that_fits_no_shape_deep_inside(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    body = {"root": {"name": "r"}, "values": {"a": [1, {"b": [True, None]}], "c": float("nan")}}
    assert pairs(body, v) == [
        ("/values/a/1/b/1", "schema.one_of"),
        ("/values/c", "number.not_finite"),
    ]
    body = {"root": {"name": "r"}, "values": {"": [{"": None}]}}  # empty keys, exact paths
    assert pairs(body, v) == [("/values//0/", "schema.one_of")]


# ----------------------------------------------------------------------------- the depth limit


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_a_body_nested_past_the_depth_limit_is_too_deep(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    # unit 33 (n = 32) would sit at depth 65: refused where it is
    assert MAX_DEPTH + 1 == 2 * 32 + 1
    assert pairs(chain(33), v) == [(at(33), "json.too_deep")]
    assert pairs(chain(5000), v) == [(at(33), "json.too_deep")]


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_form_values_nested_past_the_limit_are_too_deep(engine: str, fast: bool) -> None:
    v = validator(engine, fast)
    values: Any = "leaf"
    for _ in range(3000):
        values = [values]
    body = {"root": {"name": "r"}, "values": {"v": values}}
    # /values is at depth 1, /values/v at 2, its n-th nested list at 2 + n
    assert pairs(body, v) == [("/values/v" + "/0" * (MAX_DEPTH - 1), "json.too_deep")]


# ----------------------------------------------------------------------------- the strategies


_DRAW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@_DRAW
@given(wire_bodies(validator=validator()))
def test_drawn_wire_bodies_pass_unchanged(body: dict[str, Any]) -> None:
    for engine, fast in SETUPS:
        report = validator(engine, fast).check(copy.deepcopy(body))
        assert (report.issues, report.body) == ((), body)


@_DRAW
@given(raw_bodies(validator=validator()))
def test_drawn_raw_bodies_are_normalised_to_wire_bodies(body: Any) -> None:
    v = validator()
    report = v.check(body)
    assert report.ok
    assert v.check(report.body).body == report.body


@_DRAW
@given(invalid_bodies(validator=validator()))
def test_injected_defects_are_found(case: tuple[Any, str, str]) -> None:
    body, path, code = case
    for engine, fast in SETUPS:
        found = [(i.path, i.code) for i in validator(engine, fast).check(body).errors]
        assert (path, code) in found, (engine, fast)


def test_drawn_bodies_nest_and_stay_small() -> None:
    found = find(
        wire_bodies(validator=validator()),
        lambda b: bool(b["root"].get("children") and b["root"]["children"][0].get("children")),
        settings=settings(max_examples=2000, database=None),
    )
    assert validator().check(found).ok


# ----------------------------------------------------------------------------- the editor schema


def test_the_editor_schema_checks_inside_the_recursion() -> None:
    from jsonschema import Draft202012Validator

    schema = editor_schema(validator())
    assert sorted(schema["$defs"]) == ["Unit", "Value", "ValueMap"]
    check = Draft202012Validator(schema)
    assert check.is_valid(chain(6, founded="2020-02-29T00:00:00Z", email="a@example.com"))
    bad = chain(6, founded="2021-02-29T00:00:00Z")
    assert [list(e.absolute_path) for e in check.iter_errors(bad)] == [
        [int(p) if p.isdigit() else p for p in at(6, "founded").split("/")[1:]]
    ]


# ----------------------------------------------------------------------------- the full spec


def _form(full_spec_path: FilePath, engine: str = "rust", fast: bool = True) -> Validator:
    return validator(engine, fast, spec=full_spec_path)


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_the_full_spec_s_employee_form_builds_and_passes_its_example(
    full_spec_path: FilePath, engine: str, fast: bool
) -> None:
    v = _form(full_spec_path, engine, fast)
    assert "$defs" in v.request_schema
    example = v.spec.request_example
    assert example is not None
    report = v.check(example)
    assert (report.issues, report.body) == ((), example)


@pytest.mark.parametrize(("engine", "fast"), SETUPS)
def test_the_full_spec_s_employee_form_checks_deep_values(
    full_spec_path: FilePath, engine: str, fast: bool
) -> None:
    v = _form(full_spec_path, engine, fast)
    values: Any = {"x": [1, {"y": None}], "z": float("inf")}
    for _ in range(10):
        values = {"k": [values]}
    deep = "/properties/form" + "/k/0" * 10
    assert pairs({"properties": {"form": values}}, v) == [
        (deep + "/x/1/y", "schema.one_of"),
        (deep + "/z", "number.not_finite"),
    ]
    nested: Any = 1
    for _ in range(200):
        nested = {"k": nested}
    assert pairs({"properties": {"form": nested}}, v) == [
        ("/properties/form" + "/k" * (MAX_DEPTH - 1), "json.too_deep")
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_full_spec_s_employee_form_draws_valid_bodies(
    full_spec_path: FilePath, data: st.DataObject
) -> None:
    body = data.draw(wire_bodies(validator=_form(full_spec_path)))
    for engine, fast in SETUPS:
        report = _form(full_spec_path, engine, fast).check(copy.deepcopy(body))
        assert (report.issues, report.body) == ((), body)
