"""Every write operation of Kombo's full OpenAPI document (issue 14), one by one.

For each write operation with a JSON body (parametrized by operationId): its spec
examples are wire-ready bodies; drawn wire bodies pass and come back unchanged;
each injected defect is reported at its path with its code (and nothing unrelated);
the two schema engines report the same issues for drawn raw bodies, which normalise
to exactly the wire body the strategy says. Operations that cannot take part are in
:data:`EXCEPTIONS`, each with its reason and a test that it still fails as described.

Needs the full spec (``../shared/seed/kombo-openapi.json``, never committed): those
tests skip without it. The first tests, on a small inline document, pin what running
every operation exposed in the walk and the strategies (they need no spec file). Example counts scale with the Hypothesis profile
(``ci``: 6 a property and operation).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings

from kombo_validate import Validator
from kombo_validate._strategies import invalid_and_valid, raw_and_wire
from kombo_validate.spec import write_operations
from kombo_validate.strategies import wire_bodies

from .helpers import FULL, full_document, full_write_ids, needs_full, pairs, snapshot

#: operations that cannot be checked like the others, each with the reason (one table)
EXCEPTIONS: dict[str, str] = {}  # none: PostHrisEmployeesForm (recursive) loads since #14.6

#: examples a property draws for one operation: a tenth of the profile's, at least 3
EXAMPLES = max(3, settings.default.max_examples // 10)


OPERATIONS = [op for op in full_write_ids() if op not in EXCEPTIONS] or ["(no full spec)"]


@cache
def validator(operation: str, engine: str = "rust") -> Validator:
    return Validator(FULL, operation=operation, engine=engine)


def examples(operation: str) -> list[tuple[str, dict[str, Any]]]:
    """Every request example the document gives ``operation`` (named ones and ``example``)."""
    [ref] = [r for r in write_operations(full_document()) if r.id == operation]
    media = full_document()["paths"][ref.path][ref.method]["requestBody"]["content"]
    entry = media["application/json"]
    found = [(name, ex["value"]) for name, ex in (entry.get("examples") or {}).items()]
    return found + ([("example", entry["example"])] if "example" in entry else [])


def related(issue_path: str, path: str) -> bool:
    return issue_path == path or issue_path.startswith(path + "/")


# --------------------------------------------------------------- found by every operation

_ANY_OF = [
    {
        "type": "object",
        "properties": {"type": {"type": "string", "const": "TEXT"}, "value": {"type": "string"}},
        "required": ["type", "value"],
    },
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": "SUB_RESULT"},
            "id": {"type": "string"},
            "status": {"type": "string", "enum": ["COMPLETED", "CANCELLED"]},
        },
        "required": ["type", "id", "status"],
    },
]
#: the shapes of Kombo operations that Create application has not: an anyOf of objects
#: (PutAssessmentOrdersAssessmentOrderIdResult's attributes), a oneOf of a string and an
#: object (PostPassthroughToolApi), a country with an enum of codes (PostAiApplyPostings),
#: a nullable object and a nullable array of objects (PostLmsCoursesBulk)
SMALL: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "shapes", "version": "1"},
    "paths": {
        "/results": {
            "put": {
                "operationId": "PutResults",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "attributes": {"type": "array", "items": {"anyOf": _ANY_OF}},
                                    "value": {
                                        "oneOf": [
                                            {"type": "string"},
                                            {
                                                "type": "object",
                                                "properties": {"name": {"type": "string"}},
                                                "required": ["name"],
                                            },
                                        ]
                                    },
                                    "location": {
                                        "type": ["object", "null"],
                                        "properties": {
                                            "country": {"type": "string", "enum": ["DE", "FR"]}
                                        },
                                    },
                                    "courses": {
                                        "type": ["array", "null"],
                                        "items": {
                                            "type": "object",
                                            "properties": {"title": {"type": "string"}},
                                            "required": ["title"],
                                        },
                                    },
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


@pytest.mark.parametrize("engine", ["rust", "python"])
def test_an_object_of_a_later_anyof_branch_is_walked_by_that_branch(engine: str) -> None:
    """The walk took the first branch without errors, warnings or not: the TEXT branch
    warned key.unknown for id and status, and the enum rule of SUB_RESULT never ran."""
    v = Validator(SMALL, operation="PutResults", engine=engine)
    report = v.check({"attributes": [{"type": "SUB_RESULT", "id": "a", "status": " completed "}]})
    assert pairs(report) == []
    assert [(c.path, c.after) for c in report.changes] == [("/attributes/0/status", "COMPLETED")]
    text = v.check({"attributes": [{"type": "TEXT", "value": "x", "extra": 1}]})
    assert pairs(text) == [("/attributes/0/extra", "key.unknown")]  # no branch knows it


@pytest.mark.parametrize("engine", ["rust", "python"])
def test_every_defect_of_the_union_and_nullable_shapes_is_found(engine: str) -> None:
    """Null in a oneOf is schema.one_of (not any_of), an object that is no attachment
    gets no attachment.no_data, a country with an enum says country.unknown, and a
    nullable object or array drawn as null is no crash."""
    v = Validator(SMALL, operation="PutResults", engine=engine)
    assert pairs(v.check({"value": None})) == [("/value", "schema.one_of")]
    assert pairs(v.check({"location": {"country": "NOT_AN_OPTION"}})) == [
        ("/location/country", "country.unknown")
    ]

    @settings(max_examples=max(EXAMPLES * 5, 30))
    @given(invalid_and_valid(validator=v))
    def inner(case: tuple[dict[str, Any], Any, str, str]) -> None:
        valid, body, path, code = case
        assert pairs(v.check(valid)) == []
        report = v.check(body)
        assert (path, code) in pairs(report, "error"), pairs(report)
        assert all(related(p, path) for p, _ in pairs(report)), pairs(report)

    inner()


# --------------------------------------------------------------- the full document


@needs_full
def test_the_document_has_55_write_operations_and_one_documented_exception() -> None:
    ids = full_write_ids()
    assert len(ids) == len(set(ids)) == 55
    assert set(EXCEPTIONS) <= set(ids)
    assert len(OPERATIONS) == 55 - len(EXCEPTIONS)


@needs_full
@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("engine", ["rust", "python"])
def test_spec_examples_are_wire_ready(operation: str, engine: str) -> None:
    v = validator(operation, engine)
    assert v.operation.id == operation
    for name, example in examples(operation):
        report = v.check(example)
        assert (name, pairs(report), report.changes) == (name, [], ())
        assert report.body == example


@needs_full
@pytest.mark.parametrize("operation", OPERATIONS)
def test_drawn_wire_bodies_pass_and_come_back_unchanged(operation: str) -> None:
    v = validator(operation)

    @settings(max_examples=EXAMPLES)
    @given(wire_bodies(validator=v))
    def inner(body: dict[str, Any]) -> None:
        before = copy.deepcopy(body)
        report = v.check(body)
        assert pairs(report) == []
        assert report.changes == ()
        assert report.body == body
        assert json.dumps(report.body) == json.dumps(before)  # same values, same key order
        assert body == before

    inner()


@needs_full
@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_injected_defect_is_found_at_its_path_with_its_code(operation: str) -> None:
    v = validator(operation)

    @settings(max_examples=EXAMPLES)
    @given(invalid_and_valid(validator=v))
    def inner(case: tuple[dict[str, Any], Any, str, str]) -> None:
        valid, body, path, code = case
        assert pairs(v.check(valid)) == []
        before = snapshot(body)
        report = v.check(body)
        assert snapshot(body) == before
        assert (path, code) in pairs(report, "error"), pairs(report)
        unrelated = [p for p in pairs(report) if not related(p[0], path)]
        assert not unrelated, f"defect {code} at {path!r} also reports {unrelated}"
        assert report.body is None

    inner()


@needs_full
@pytest.mark.parametrize("operation", OPERATIONS)
def test_engines_agree_on_drawn_raw_bodies(operation: str) -> None:
    rust, python = validator(operation, "rust"), validator(operation, "python")

    @settings(max_examples=EXAMPLES)
    @given(raw_and_wire(validator=rust))
    def inner(pair: tuple[Any, dict[str, Any]]) -> None:
        raw, wire = pair
        report = rust.check(raw)
        assert pairs(python.check(raw)) == pairs(report), "the schema engines disagree"
        assert pairs(report) == []
        assert report.body == wire

    inner()
