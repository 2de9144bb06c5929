"""Paired fields (``rules.requires``): a field whose description says it needs a sibling.

The small test document's absence operation carries Kombo's three phrasings
(``amount``/``unit`` and ``start_time``/``end_time``, each both ways); the full spec's
absences and AI Apply's scatter window are checked when that spec is present.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kombo_validate.strategies as ks
from kombo_validate import Validator
from kombo_validate.rules.requires import requirements

from .helpers import pairs

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
FULL = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kombo-openapi.json"


@pytest.fixture(scope="module", params=["rust", "python"])
def absences(request: pytest.FixtureRequest) -> Validator:
    return Validator(MULTI, operation="PostHrisAbsences", engine=request.param)


def body(**fields: Any) -> dict[str, Any]:
    return {"employee_id": "E1", "start_date": "2024-05-01", **fields}


def test_the_pairs_are_read_from_the_descriptions(absences: Validator) -> None:
    assert requirements(absences.request_schema) == (
        ("amount", "unit"),
        ("unit", "amount"),
        ("start_time", "end_time"),
        ("end_time", "start_time"),
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"amount": 2}, [("/unit", "field.requires")]),
        ({"unit": "DAYS"}, [("/amount", "field.requires")]),
        ({"amount": 2, "unit": None}, [("/unit", "field.requires")]),
        ({"start_time": "09:00"}, [("/end_time", "field.requires")]),
        ({"start_time": "09:00", "amount": 1}, [("/end_time", "field.requires"), ("/unit", "field.requires")]),
        ({"end_time": "17:00"}, [("/start_time", "field.requires")]),
        ({"amount": None}, []),  # null specifies nothing
        ({"amount": 2, "unit": "DAYS", "start_time": "09:00", "end_time": "17:00"}, []),
    ],
)  # fmt: skip
def test_a_field_without_its_sibling_is_reported_at_the_missing_one(
    absences: Validator, fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    report = absences.check(body(**fields))
    assert sorted(pairs(report)) == sorted(expected)
    assert report.ok is (not expected)


def test_the_message_names_both_fields(absences: Validator) -> None:
    [issue] = absences.check(body(amount=2)).issues
    assert issue.message == (
        "unit is required when amount is given (the spec says so in amount's description)"
    )


@given(st.data())
def test_drawn_wire_bodies_keep_the_pairs_and_breaking_one_is_found(data: st.DataObject) -> None:
    v = Validator(MULTI, operation="PostHrisAbsences")
    wire = data.draw(ks.wire_bodies(validator=v))
    report = v.check(wire)
    assert report.ok and report.body == wire, report.issues
    for field, needed in requirements(v.request_schema):
        assert wire.get(field) is None or wire.get(needed) is not None


@given(ks.invalid_bodies(validator=Validator(MULTI, operation="PostHrisAbsences")))
def test_every_injected_defect_is_found_where_it_was_put(case: tuple[Any, str, str]) -> None:
    bad, path, code = case
    v = Validator(MULTI, operation="PostHrisAbsences")
    assert (path, code) in pairs(v.check(bad))


@pytest.mark.skipif(not FULL.exists(), reason="the full Kombo spec is not here")
@pytest.mark.parametrize(
    ("operation", "given", "missing"),
    [
        ("PostHrisAbsences", {"amount": 4}, "/unit"),
        ("PostHrisAbsences", {"unit": "HOURS", "start_time": "08:30"}, "/amount"),
        ("PostAiApplyApply", {"additional_clicks_scatter_duration": 30}, "/additional_clicks"),
    ],
)
def test_kombos_paired_fields(operation: str, given: dict[str, Any], missing: str) -> None:
    v = Validator(FULL, operation=operation)
    example = dict(v.operation.request_example or {})
    for field, needed in requirements(v.request_schema):
        example.pop(field, None)
        example.pop(needed, None)
    example.update(given)
    assert (missing, "field.requires") in pairs(v.check(example))
