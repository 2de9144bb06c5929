"""``kombo_validate.strategies``: the public surface, its errors, and that it follows the spec."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import kombo_validate
import kombo_validate.strategies as strategies
from kombo_validate import ContextError, Questions, Validator
from kombo_validate._strategies.model import AnyOfNode, ArrNode, ObjNode, StrNode, model_of
from kombo_validate.spec import bundled_spec_path

from .helpers import minimal, reachable

# find() only has to show that a form is reachable: no shrinking (it dominated the run time)
_FIND = settings(
    max_examples=2000, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate]
)


def test_public_surface() -> None:
    assert strategies.__all__ == [
        "answers_for",
        "invalid_bodies",
        "json_values",
        "questions",
        "raw_bodies",
        "wire_bodies",
    ]
    for name in strategies.__all__:
        assert callable(getattr(strategies, name))


def test_importing_without_hypothesis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # type: ignore[arg-type]
    monkeypatch.delitem(sys.modules, "kombo_validate.strategies")
    with pytest.raises(ImportError, match=r"pip install 'kombo_validate\[hypothesis\]'"):
        importlib.import_module("kombo_validate.strategies")


def test_the_model_takes_roles_from_the_cores_rule_predicates() -> None:
    root = model_of(kombo_validate.api.default_validator()).root

    def at(*names: str) -> Any:
        node: Any = root
        for name in names:
            node = node.items if isinstance(node, ArrNode) else node
            prop = node.prop(name)
            assert prop is not None, name
            node = prop.node
        return node

    assert at("candidate", "location", "country").role == "country"
    assert at("candidate", "availability_date").role == "date"
    assert at("gdpr_consent", "expires_at").role == "date"
    assert at("candidate", "email_address").role == "email"
    assert at("candidate", "social_links", "url").role == "uri"
    assert at("candidate", "gender").enum == ("MALE", "FEMALE", "OTHER")
    attachment = at("attachments").items
    assert isinstance(attachment, ObjNode) and attachment.attachment
    assert attachment.required == {"name", "type"}
    assert at("attachments", "data_url").role == "http_url"
    assert at("attachments", "data").role == "data"
    assert at("attachments", "content_type").role == "content_type"
    answer = at("screening_question_answers", "answer")
    assert isinstance(answer, AnyOfNode)
    assert any(isinstance(b, ObjNode) and b.attachment for b in answer.branches)
    assert any(isinstance(b, StrNode) and b.role == "date" for b in answer.branches)
    assert root.prop("remote_fields") is not None and root.prop("remote_fields").droppable  # type: ignore[union-attr]


# --------------------------------------------------------------------------- another spec


def _changed_spec() -> dict[str, Any]:
    doc = yaml.load(bundled_spec_path().read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    body = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]
    candidate = body["properties"]["candidate"]
    candidate["properties"]["gender"]["enum"].append("NON_BINARY")
    candidate["properties"]["pronouns"] = {"type": "string", "enum": ["she/her", "they/them"]}
    candidate["required"].append("pronouns")
    candidate["properties"]["location"]["properties"]["country"]["pattern"] = "^(DE|FR)$"
    candidate["properties"]["availability_date"]["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    return doc


CHANGED = Validator(_changed_spec())


@given(strategies.wire_bodies(validator=CHANGED))
def test_wire_bodies_follow_a_changed_spec(body: dict[str, Any]) -> None:
    report = CHANGED.check(body)
    assert report.issues == () and report.body == body
    candidate = body["candidate"]
    assert candidate["pronouns"] in ("she/her", "they/them")
    assert candidate.get("location", {}).get("country", "DE") in ("DE", "FR")
    assert len(candidate.get("availability_date", "2021-01-01")) == 10


def test_a_changed_spec_s_new_enum_value_is_drawn() -> None:
    found = find(
        strategies.wire_bodies(validator=CHANGED),
        lambda b: b["candidate"].get("gender") == "NON_BINARY",
        settings=_FIND,
    )
    assert CHANGED.check(found).ok


@given(strategies.invalid_bodies(validator=CHANGED))
def test_invalid_bodies_follow_a_changed_spec(case: tuple[Any, str, str]) -> None:
    body, path, code = case
    assert (path, code) in [(i.path, i.code) for i in CHANGED.check(body).errors]


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_wire_bodies_from_the_full_older_spec(full_spec_path: Path, data: st.DataObject) -> None:
    validator = _full(full_spec_path)
    body = data.draw(strategies.wire_bodies(validator=validator))
    report = validator.check(body)
    assert report.issues == () and report.body == body


_FULL: dict[str, Validator] = {}


def _full(path: Path) -> Validator:
    if str(path) not in _FULL:
        _FULL[str(path)] = Validator(path)
    return _FULL[str(path)]


# --------------------------------------------------------------------------- job context


def test_answers_for_wants_the_raw_questions() -> None:
    with pytest.raises(TypeError, match="raw screening questions"):
        strategies.answers_for(Questions([]))
    with pytest.raises(ContextError):
        strategies.answers_for([{"id": "x"}])


def test_restrictions_that_admit_no_body_are_refused() -> None:
    impossible = {"types": {"CV": {"is_supported": True, "min_amount": 3, "max_amount": 1}}}
    with pytest.raises(ValueError, match="admit no valid body"):
        strategies.wire_bodies(restrictions=impossible)


def test_questions_cover_every_format_type_and_preconditions() -> None:
    kinds = ("TEXT", "NUMBER", "FILE", "SINGLE_SELECT", "BOOLEAN", "DATE", "MULTI_SELECT")
    for kind in (*kinds, "INFORMATION", "UNKNOWN"):
        find(
            strategies.questions(),
            lambda qs, kind=kind: any((q["format"] or {}).get("type") == kind for q in qs),
            settings=_FIND,
        )
    find(
        strategies.questions(),
        lambda qs: any(q["precondition_question_id"] for q in qs),
        settings=_FIND,
    )


# --------------------------------------------------------------------------- raw forms


def _walk(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, dict):
        for v in value.values():
            out += _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out += _walk(v)
    return out


@pytest.mark.parametrize(
    "what",
    [
        lambda v: isinstance(v, dt.datetime) and v.tzinfo is not None,
        lambda v: type(v) is dt.date,
        lambda v: isinstance(v, (bytes, bytearray, memoryview)),
        lambda v: isinstance(v, tuple),
        lambda v: isinstance(v, str) and v.lower().startswith("data:"),
        lambda v: isinstance(v, str) and "\n" in v,
        lambda v: v is None,
        lambda v: type(v) is not str and isinstance(v, str),
        lambda v: v in ("male", "female", "other", "Male", "Female"),
        lambda v: (
            isinstance(v, dict)
            and isinstance(v.get("country"), str)
            and not (len(v["country"]) == 2 and v["country"].isupper())
        ),
    ],
    ids=[
        "aware-datetime",
        "date",
        "bytes",
        "tuple",
        "data-uri",
        "wrapped-base64",
        "none-optional",
        "str-subclass",
        "enum-case",
        "country-forms",
    ],
)
def test_raw_bodies_take_the_forms_users_pass(what: Any) -> None:
    find(strategies.raw_bodies(), lambda b: any(what(v) for v in _walk(b)), settings=_FIND)


# --------------------------------------------------------------------------- json_values


def _cyclic(value: Any) -> bool:
    def visit(node: Any, path: set[int]) -> bool:
        if isinstance(node, (list, dict)):
            if id(node) in path:
                return True
            items = node.values() if isinstance(node, dict) else node
            return any(visit(x, path | {id(node)}) for x in items)
        return False

    return visit(value, set())


def _depth(value: Any) -> int:
    """Depth along the first child, bounded: a cyclic value is deep, not endless."""
    depth = 0
    while (
        isinstance(value, (list, dict)) and value and depth <= kombo_validate.context.MAX_DEPTH + 1
    ):
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
        depth += 1
    return depth


@pytest.mark.parametrize(
    "what",
    [
        _cyclic,
        lambda v: _depth(v) > kombo_validate.context.MAX_DEPTH,
        lambda v: any(
            isinstance(x, dict) and any(type(k) is not str for k in x) for x in reachable(v)
        ),
        lambda v: any(isinstance(x, float) and math.isnan(x) for x in reachable(v)),
        lambda v: any(isinstance(x, (set, frozenset)) for x in reachable(v)),
        lambda v: any(isinstance(x, (bytes, bytearray)) for x in reachable(v)),
        lambda v: any(isinstance(x, int) and abs(x) > sys.float_info.max for x in reachable(v)),
        lambda v: any(
            isinstance(x, str) and not x.isascii() and _surrogate(x) for x in reachable(v)
        ),
        lambda v: any(isinstance(x, tuple) for x in reachable(v)),
        lambda v: any(type(x) is not str and isinstance(x, str) for x in reachable(v)),
    ],
    ids=[
        "cycle",
        "too-deep",
        "non-string-key",
        "nan",
        "set",
        "bytes",
        "big-int",
        "lone-surrogate",
        "tuple",
        "str-subclass",
    ],
)
def test_json_values_reach_every_family(what: Any) -> None:
    find(strategies.json_values(), what, settings=_FIND)


def _surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


# --------------------------------------------------------------------------- README examples


def test_readme_examples_run() -> None:
    from kombo_validate import check
    from kombo_validate.strategies import (
        answers_for,
        invalid_bodies,
        json_values,
        questions,
        raw_bodies,
        wire_bodies,
    )

    @settings(max_examples=5)
    @given(wire_bodies())
    def wire(body: dict[str, Any]) -> None:
        report = check(body)
        assert report.ok and report.body == body

    @settings(max_examples=5)
    @given(raw_bodies())
    def raw(body: Any) -> None:
        report = check(body)
        assert report.ok
        assert check(report.body).body == report.body

    @settings(max_examples=5)
    @given(invalid_bodies())
    def invalid(case: tuple[Any, str, str]) -> None:
        body, path, code = case
        assert (path, code) in [(i.path, i.code) for i in check(body).errors]

    @settings(max_examples=5)
    @given(st.data())
    def job(data: st.DataObject) -> None:
        qs = data.draw(questions())
        answers = data.draw(answers_for(qs))
        body = {**minimal(), "screening_question_answers": answers}
        assert check(body, questions=qs).ok

    @settings(max_examples=5)
    @given(json_values())
    def robust(value: Any) -> None:
        check({"candidate": value})

    for run in (wire, raw, invalid, job, robust):
        run()
    assert copy.deepcopy(minimal()) == minimal()
