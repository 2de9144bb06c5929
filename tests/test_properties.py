"""Property tests: drawn bodies through both schema engines and an independent oracle.

Every drawn body is checked by ``Validator(engine="rust")`` and
``Validator(engine="python")``, which must report the same (path, code) list.

"Related", for an injected defect at path ``P``: an issue is related when its
pointer is ``P`` or lies below it (``P + "/..."``), e.g. the anyOf best match
inside an answer, or the schema error under a rule's error. Every issue the
defective body has and the valid body had not must be related.

The oracle is python-jsonschema's ``Draft202012Validator`` over the request
schema exactly as the OpenAPI document writes it (``$ref``s resolved by
jsonschema through a ``referencing`` registry, not by ``kombo_validate.spec``),
with ECMA-262 pattern semantics and the ``email`` and ``uri`` formats
asserted (``date-time`` is not: the spec's pattern admits date-only values).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from kombo_validate import PayloadError, Report, Validator, prepare
from kombo_validate.patterns import ecma_regex
from kombo_validate.spec import bundled_spec_path
from kombo_validate.strategies import invalid_bodies, raw_bodies, wire_bodies

from .helpers import minimal, snapshot

RUST = Validator(engine="rust")
PYTHON = Validator(engine="python")

# --------------------------------------------------------------------------- helpers


def pairs(report: Report) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in report.issues]


def check_both(body: Any, **context: Any) -> Report:
    """The rust engine's report, after asserting that the python engine reports the same."""
    report = RUST.check(body, **context)
    assert pairs(PYTHON.check(body, **context)) == pairs(report), "the schema engines disagree"
    return report


def related(issue_path: str, path: str) -> bool:
    return issue_path == path or issue_path.startswith(path + "/")


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def oracle() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    doc = yaml.load(bundled_spec_path().read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    registry: Registry[Any] = Registry().with_resource(
        "urn:oracle", DRAFT202012.create_resource(doc)
    )
    route = "/ats/jobs/{job_id}/applications".replace("~", "~0").replace("/", "~1")
    ref = f"urn:oracle#/paths/{route}/post/requestBody/content/application~1json/schema"
    checker = FormatChecker(formats=())
    checker.checks("email")(lambda v: not isinstance(v, str) or "@" in v)
    checker.checks("uri")(
        lambda v: not isinstance(v, str) or re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", v) is not None
    )
    cls = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
    return cls({"$ref": ref}, registry=registry, format_checker=checker)


def assert_oracle_accepts(body: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in oracle().iter_errors(body)
    ]
    assert not errors, f"check accepted a body the oracle rejects: {errors}"


# --------------------------------------------------------------------------- properties


@given(wire_bodies())
def test_wire_bodies_check_ok_and_come_back_unchanged(body: dict[str, Any]) -> None:
    before = copy.deepcopy(body)
    report = check_both(body)
    assert report.issues == ()
    assert report.changes == ()
    assert report.body == body
    assert json.dumps(report.body) == json.dumps(before)  # same values, same key order
    assert body == before
    assert prepare(body) == report.body
    assert_oracle_accepts(report.body)


@given(raw_bodies())
@example({"candidate": {"first_name": "Ada", "last_name": "L", "email_address": " a@B.CO "}})
def test_raw_bodies_normalise_to_a_valid_wire_body_idempotently(raw: Any) -> None:
    before = snapshot(raw)
    report = check_both(raw)
    assert report.ok, pairs(report)
    assert snapshot(raw) == before, "check mutated its input"
    assert report.body is not None
    json.dumps(report.body, allow_nan=False)
    again = check_both(report.body)
    assert again.ok and again.changes == ()
    assert again.body == report.body
    assert prepare(raw) == report.body
    assert_oracle_accepts(report.body)


def test_raw_bodies_normalise_to_exactly_the_expected_wire_body() -> None:
    from kombo_validate._strategies import raw_and_wire

    @given(raw_and_wire())
    def inner(pair: tuple[Any, dict[str, Any]]) -> None:
        raw, wire = pair
        report = check_both(raw)
        assert report.ok, pairs(report)
        assert report.body == wire

    inner()


def test_invalid_bodies_report_their_defect_and_only_related_issues() -> None:
    from kombo_validate._strategies import invalid_and_valid

    @given(invalid_and_valid())
    def inner(case: tuple[dict[str, Any], Any, str, str]) -> None:
        valid, body, path, code = case
        baseline = set(pairs(check_both(valid)))
        assert baseline == set()
        before = snapshot(body)
        report = check_both(body)
        assert snapshot(body) == before
        assert (path, code) in [(i.path, i.code) for i in report.errors]
        unrelated = [p for p in pairs(report) if p not in baseline and not related(p[0], path)]
        assert not unrelated, f"defect {code} at {path!r} also reports {unrelated}"
        assert report.body is None
        with pytest.raises(PayloadError) as info:
            prepare(body)
        assert info.value.issues == report.errors

    inner()


@given(invalid_bodies())
def test_public_invalid_bodies_yield_body_pointer_and_code(case: tuple[Any, str, str]) -> None:
    body, path, code = case
    assert path == "" or path.startswith("/")
    assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", code)
    assert (path, code) in [(i.path, i.code) for i in check_both(body).errors]


def test_oracle_rejects_what_it_should() -> None:
    """The oracle is not vacuous: it reports the schema layer's defects."""
    assert list(oracle().iter_errors(minimal())) == []
    for body in (
        {"candidate": {"first_name": "Ada"}},
        minimal(gender="female"),
        minimal(location={"country": "de"}),
        minimal(email_address="nope"),
        minimal(availability_date="2021-01-01T10:00:00+02:00"),
        {**minimal(), "attachments": [{"name": "cv", "type": "CV", "content_type": "pdf"}]},
    ):
        assert list(oracle().iter_errors(body)), body


@pytest.mark.parametrize("engine", [RUST, PYTHON], ids=["rust", "python"])
@given(data=st.data())
def test_prepare_is_check_body_or_raises_its_errors(engine: Validator, data: st.DataObject) -> None:
    body = data.draw(st.one_of(raw_bodies(), invalid_bodies().map(lambda c: c[0])))
    report = engine.check(body)
    if report.ok:
        assert engine.prepare(body) == report.body
    else:
        with pytest.raises(PayloadError) as info:
            engine.prepare(body)
        assert info.value.issues == report.errors
