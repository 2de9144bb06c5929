"""``check`` never raises and never mutates its input, whatever sits anywhere in a body.

A ``json_values()`` value (sets, arbitrary objects, NaN, cycles, deep nesting,
bytes, non-string keys, tuples, big integers, ``str`` subclasses, ...) is
injected at a random position of a valid body: replacing the root, a value,
an array item, or added under a new key (a spec property name, any text, or
a non-string key).

The bugs these properties found are pinned at the end, each by a property
with the failing example kept as an explicit ``@example`` (all four fixed in
the core since: d585868, d39dca5).
"""

from __future__ import annotations

import json
import math
import string
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kombo_validate import PayloadError, Report, Validator
from kombo_validate._strategies.model import ObjNode, model_of
from kombo_validate.strategies import json_values, raw_bodies, wire_bodies

from .helpers import minimal, reachable
from .test_properties import PYTHON, RUST, assert_oracle_accepts, pairs, snapshot

_NEW = object()
_APPEND = object()


def _spec_names() -> list[str]:
    names: set[str] = set()
    stack: list[Any] = [model_of(RUST).root]
    while stack:
        node = stack.pop()
        if isinstance(node, ObjNode):
            for prop in node.props:
                names.add(prop.name)
                stack.append(prop.node)
        for child in ("items", "branches"):
            sub = getattr(node, child, None)
            if sub is not None:
                stack += list(sub) if isinstance(sub, tuple) else [sub]
    return sorted(names)


_KEYS = st.one_of(
    st.sampled_from(_spec_names()), st.text(max_size=6), st.integers(-2, 2), st.none()
)


def _positions(body: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = [(None, None)]
    stack = [body]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            out += [(node, k) for k in node]
            out.append((node, _NEW))
            stack += list(node.values())
        elif isinstance(node, list):
            out += [(node, i) for i in range(len(node))]
            out.append((node, _APPEND))
            stack += node
    return out


@st.composite
def injected(draw: st.DrawFn, base: st.SearchStrategy[Any] | None = None) -> Any:
    """A valid body with one ``json_values()`` value at a random position."""
    body = draw(base if base is not None else wire_bodies())
    container, key = draw(st.sampled_from(_positions(body)))
    value = draw(json_values())
    if container is None:
        return value
    if key is _APPEND:
        container.append(value)
    elif key is _NEW:
        container[draw(_KEYS)] = value
    else:
        container[key] = value
    return body


def lone_surrogates(value: Any) -> bool:
    """A string holding a lone surrogate (not encodable as UTF-8)."""

    def bad(s: str) -> bool:
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False

    return any(isinstance(x, str) and bad(x) for x in reachable(value, any_mapping=True))


def _resolves(body: Any, pointer: str) -> bool:
    node = body
    if not pointer:
        return True
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            hits = [v for k, v in node.items() if isinstance(k, str) and k == part]
            if not hits:
                return False
            node = hits[0]
        elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def assert_survives(validator: Validator, body: Any) -> Report:
    before = snapshot(body)
    report = validator.check(body)  # never raises
    assert snapshot(body) == before, "check mutated its input"
    for issue in report.issues:
        parent = issue.path.rsplit("/", 1)[0] if issue.path else ""
        assert _resolves(body, parent), f"{issue.path!r} does not point into the input"
        assert len(issue.message) <= 400
    if report.body is not None:
        text = json.dumps(report.body, allow_nan=False)
        assert json.loads(text) == report.body
        json.dumps(report.to_dict(), allow_nan=False)
    if report.ok:
        assert validator.prepare(body) == report.body
        assert_oracle_accepts(report.body)  # type: ignore[arg-type]
    else:
        with pytest.raises(PayloadError) as info:
            validator.prepare(body)
        assert info.value.issues == report.errors
    return report


# --------------------------------------------------------------------------- properties


@pytest.mark.parametrize("engine", ["rust", "python"])
@given(body=injected())
@example(body=minimal(first_name={"a", "b"}))
@example(body={**minimal(), "remote_fields": {"personio": {"application": {1: math.nan}}}})
def test_check_never_raises_nor_mutates_whatever_is_injected(engine: str, body: Any) -> None:
    report = assert_survives(RUST if engine == "rust" else PYTHON, body)
    assert "schema.engine_error" not in [i.code for i in report.issues]


@given(body=injected(st.one_of(wire_bodies(), raw_bodies())))
def test_engines_agree_on_injected_bodies(body: Any) -> None:
    assert pairs(RUST.check(body)) == pairs(PYTHON.check(body))


_MARK = "".join(string.ascii_letters[(i * 7) % 52] for i in range(300))


@given(body=injected(), data=st.data())
def test_messages_never_echo_more_than_an_excerpt(body: Any, data: st.DataObject) -> None:
    """A 300-character string, put anywhere (as a value or a key), is never quoted at length."""
    container, key = data.draw(st.sampled_from(_positions(body)))
    if isinstance(container, dict):
        container[_MARK if key is _NEW else key] = _MARK if key is not _NEW else "x"
    elif isinstance(container, list):
        container.append(_MARK)
    report = RUST.check(body)
    for issue in report.issues:
        for i in range(len(_MARK) - 81):
            assert _MARK[i : i + 81] not in issue.message, issue


# --------------------------------------------------------------------------- bugs found


@pytest.mark.parametrize("engine", ["rust", "python"])
@given(
    text=st.tuples(st.text(max_size=2), st.characters(categories=["Cs"]), st.text(max_size=2)).map(
        "".join
    )
)
@example(text="\ud800")
def test_lone_surrogates_are_reported_where_they_are(engine: str, text: str) -> None:
    """Bug 1 (fixed in d39dca5): jsonschema-rs raised UnicodeEncodeError out of check().
    Since issue 15 a lone surrogate is itself the error (it cannot be sent as UTF-8)."""
    body = minimal(gender=text)
    report = (RUST if engine == "rust" else PYTHON).check(body)
    assert pairs(report) == [("/candidate/gender", "string.invalid_unicode")]


@given(body=wire_bodies())
@example(body=minimal())
def test_none_for_an_allof_optional_is_dropped(body: dict[str, Any]) -> None:
    """Bug 2 (fixed in d39dca5): remote_fields=None was a schema.type error, not dropped."""
    body["remote_fields"] = None
    report = RUST.check(body)
    assert report.ok, pairs(report)
    assert report.body is not None and "remote_fields" not in report.body
    assert [c.path for c in report.changes] == ["/remote_fields"]


def _int_sites(n: int) -> list[tuple[dict[str, Any], str]]:
    answer = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": n}]}
    return [
        (
            minimal(salary_expectations={"period": "YEAR", "amount": n}),
            "/candidate/salary_expectations/amount",
        ),
        (
            {**minimal(), "remote_fields": {"avature": {"workflow": {"step": {"id": n}}}}},
            "/remote_fields/avature/workflow/step/id",
        ),
        (
            {**minimal(), "remote_fields": {"personio": {"application": {"x": [n]}}}},
            "/remote_fields/personio/application/x/0",
        ),
        (answer, "/screening_question_answers/0/answer"),
    ]


@given(n=st.integers(309, 4400).map(lambda e: (-1) ** e * 10**e), site=st.integers(0, 3))
@example(n=10**400, site=0)
@example(n=-(10**4400), site=1)
def test_integers_beyond_the_double_range_are_out_of_range(n: int, site: int) -> None:
    """Bug 3 (fixed in d585868): 10**400 passed as a number (Infinity in JavaScript), and
    past 4300 digits the python engine raised ValueError out of check()."""
    body, path = _int_sites(n)[site]
    for engine in (RUST, PYTHON):
        assert pairs(engine.check(body)) == [(path, "number.out_of_range")]


def _cycle() -> list[Any]:
    items: list[Any] = []
    items.append(items)
    return items


@given(
    value=st.sampled_from(("cycle", "set", "object", "key", "bytes")),
    name=st.sampled_from(("stage_id", "first_name")),
)
@example(value="cycle", name="stage_id")
def test_non_json_inside_a_wrong_typed_value_is_reported_at_it(value: str, name: str) -> None:
    """Bug 4 (a regression of fb8ff97, fixed in d39dca5): the bulk path copied a dict or list
    given for a scalar property unwalked; a cycle or set inside made jsonschema-rs fail."""
    bad = {
        "cycle": _cycle(),
        "set": [{1, 2}],
        "object": {"a": object()},
        "key": {1: "x"},
        "bytes": [b"x"],
    }[value]
    body = minimal(first_name=bad) if name == "first_name" else {**minimal(), name: bad}
    path = "/candidate/first_name" if name == "first_name" else f"/{name}"
    rust, python = RUST.check(body), PYTHON.check(body)
    assert pairs(rust) == pairs(python)
    assert rust.errors and all(
        i.path == path or i.path.startswith(path + "/") for i in rust.issues
    ), pairs(rust)
