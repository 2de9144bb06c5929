"""The three walks of an object agree: they come from one description (walkplan).

For every closed object schema the plan compiles — of the bundled spec, and of each
write operation of ``../shared/seed/kombo-openapi.json`` when it is present — the
generic walker (``ObjectWalk.generic``, interpreting the plan key by key), the
generated bulk path (``codegen.generate_bulk``) and the fast path's generated repair
(``codegen.repair_walker``) record the same issues (path, code, severity, message)
in the same order, the same changes in the same order, and return the same wire
value: for drawn bodies (wire, raw, and with one injected defect) at every object
they hold, and for a value of every object schema with each of its properties
``None``, then with an unknown key.

The generic walker takes keys in the input's order and the generated two in the
plan's, so the value is given with its keys in the plan's order for the exact
comparison; in the input's own order, the same issues and changes as sets.
"""

from __future__ import annotations

import copy
import marshal
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kombo_validate import SpecError, Validator
from kombo_validate.codegen import repair_walker
from kombo_validate.context import Ctx, Path
from kombo_validate.jsondata import json_type
from kombo_validate.schemas import merge_all_of, schema_types
from kombo_validate.spec import load_document, write_operations
from kombo_validate.strategies import invalid_bodies, raw_bodies, wire_bodies
from kombo_validate.walkplan import AnyOfGen, ArrayGen, ObjectWalk, Walker, node_of

SEED = FilePath(__file__).resolve().parents[2] / "shared" / "seed" / "kombo-openapi.json"
#: the small recursive document's operation (its back-edges are walked by reference)
RECURSIVE = FilePath(__file__).resolve().parent / "data" / "recursive.openapi.yaml"
RECURSIVE_OP = "recursive:PostOrgUnits"


def _seed_operations() -> list[str]:
    if not SEED.is_file():
        return []
    return [op.id or f"{op.method} {op.path}" for op in write_operations(load_document(SEED)[0])]


_VALIDATORS: dict[str | None, Validator | None] = {}


def validator_for(operation: str | None) -> Validator:
    """The bundled spec's Validator (None), or the seed's for ``operation``."""
    if operation not in _VALIDATORS:
        try:
            _VALIDATORS[operation] = (
                Validator(fast_path=False)
                if operation is None
                else Validator(RECURSIVE, operation=operation.split(":")[1], fast_path=False)
                if operation == RECURSIVE_OP
                else Validator(SEED, operation=operation, fast_path=False)
            )
        except SpecError:  # a recursive $ref: the plan does not compile it
            _VALIDATORS[operation] = None
    found = _VALIDATORS[operation]
    if found is None:
        pytest.skip(f"{operation}: not compiled (recursive $ref)")
    return found


OPERATIONS = [None, RECURSIVE_OP, *_seed_operations()]
IDS = ["bundled", RECURSIVE_OP, *(f"seed:{op}" for op in OPERATIONS[2:])]


# ----------------------------------------------------------------------------- the three walks


class _Whole:
    """A container part for the repair: never ``full``, repaired whole by its walker."""

    def __init__(self, walker: Walker) -> None:
        self.walker = walker

    def full(self, wire: Any) -> bool:
        return False

    def repair(self, value: Any, wire: Any, path: Path, ctx: Ctx, depth: int) -> Any:
        return self.walker(value, path, ctx, depth)


def _outcome(run: Any) -> tuple[Any, ...]:
    ctx = Ctx()
    out = run(ctx)
    return (
        [(i.path, i.code, i.severity, i.message) for i in ctx.issues],
        [(c.path, repr(c.before), repr(c.after), c.reason) for c in ctx.changes],
        repr(out),
    )


def _walks(plan: ObjectWalk, bulk: Walker, value: Any, path: Path) -> dict[str, tuple[Any, ...]]:
    """What each walk of ``value`` at ``path`` records and returns."""
    depth = len(path)
    found = {
        "generic": _outcome(lambda ctx: plan.generic(value, path, ctx, depth)),
        "bulk": _outcome(lambda ctx: bulk(value, path, ctx, depth)),
    }
    try:
        marshal.dumps(value)  # the fast path repairs only what marshal takes
    except Exception:
        return found
    wholes = {p.name: _Whole(p.walker) for p in plan.specials if node_of(p.walker) is not None}
    for label, parts in (("repair", {}), ("repair by parts", wholes)):
        repair = repair_walker(plan, parts, plan.generic)
        found[label] = _outcome(
            lambda ctx, repair=repair: repair(value, copy.copy(value), path, ctx, depth)
        )
    return found


def _in_plan_order(plan: ObjectWalk, value: dict[str, Any]) -> dict[str, Any]:
    known = [p.name for p in plan.props if p.name in value]
    return {**{k: value[k] for k in known}, **value}


def assert_agree(plan: ObjectWalk, bulk: Walker, value: Any, path: Path) -> None:
    if type(value) is dict and all(type(k) is str for k in value):
        ordered = _in_plan_order(plan, value)
        walks = _walks(plan, bulk, ordered, path)
        first = walks.pop("generic")
        for label, outcome in walks.items():
            assert outcome == first, f"{label} != generic at {path}"
    walks = _walks(plan, bulk, value, path)
    issues, changes, out = walks.pop("generic")
    for label, (other_issues, other_changes, other_out) in walks.items():
        assert sorted(map(repr, other_issues)) == sorted(map(repr, issues)), label
        assert sorted(other_changes) == sorted(changes), label
        assert other_out == out, label


# ----------------------------------------------------------------------------- the sites


def sites(walker: Walker, value: Any, path: Path = ()) -> Iterator[tuple[Any, ...]]:
    """``(plan, bulk walker, value, path)`` of every closed object the body holds where
    its schema puts one, as the plan walks it."""
    gen = node_of(walker)
    if isinstance(gen, ObjectWalk) and isinstance(value, dict):
        yield gen, walker, value, path
        for key, item in list(dict.items(value)):
            prop = gen.by_name.get(key) if type(key) is str else None
            if prop is not None:
                yield from sites(prop.walker, item, (*path, key))
    elif isinstance(gen, ArrayGen) and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from sites(gen.item, item, (*path, i))
    elif isinstance(gen, AnyOfGen):
        for _schema, branch in gen.by_type.get(json_type(value)) or ():
            yield from sites(branch, value, path)


def plans(walker: Walker, seen: set[int] | None = None) -> Iterator[tuple[ObjectWalk, Walker]]:
    """Every closed object's ``(plan, bulk walker)`` under ``walker``, once each."""
    seen = set() if seen is None else seen
    gen = node_of(walker)
    if gen is None or id(gen) in seen:
        return
    seen.add(id(gen))
    if isinstance(gen, ObjectWalk):
        yield gen, walker
        for prop in gen.props:
            yield from plans(prop.walker, seen)
        yield from plans(gen.extra, seen)
    elif isinstance(gen, ArrayGen):
        yield from plans(gen.item, seen)
    else:
        for branches in gen.by_type.values():
            for _schema, branch in branches:
                yield from plans(branch, seen)


def _root(validator: Validator) -> Walker:
    """The validator's plan: compiled from its request schema, as it compiles it."""
    from kombo_validate.plan import compile_plan

    return compile_plan(validator.request_schema)


_ROOTS: dict[str | None, Walker] = {}


def root_for(operation: str | None) -> Walker:
    if operation not in _ROOTS:
        _ROOTS[operation] = _root(validator_for(operation))
    return _ROOTS[operation]


# ----------------------------------------------------------------------------- the tests


def _sample(schema: Any) -> Any:
    """A value for ``schema`` that its walker has something to do with, where it can:
    a lowercase enum value, an impossible date, an uppercase email domain, a number
    out of a double's range."""
    schema = merge_all_of(schema) if isinstance(schema, dict) else {}
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0].lower() if isinstance(enum[0], str) else enum[0]
    types = schema_types(schema)
    if "string" in types:
        return {"date": "2023-02-29", "date-time": "2023-02-29", "email": "a@Example.COM"}.get(
            str(schema.get("format")), "x"
        )
    if types & {"number", "integer"}:
        return 10**400
    return {"boolean": True, "object": {}, "array": []}.get(min(types, default=""), "x")


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
def test_every_object_schema_walks_the_same_three_ways(operation: str | None) -> None:
    root = root_for(operation)
    found = list(plans(root))
    assert found or node_of(root) is None
    for plan, bulk in found:
        names = [p.name for p in plan.props]
        at = (plan.label.split(":")[0],)
        samples = {name: _sample(plan.schema["properties"][name]) for name in names}
        # in the plan's order and reversed (the bulk path's case: known keys, plain values)
        assert_agree(plan, bulk, samples, at)
        assert_agree(plan, bulk, dict(reversed(samples.items())), at)
        # each property None (dropped, or walked), then an unknown key among them
        assert_agree(plan, bulk, dict.fromkeys(names), at)
        assert_agree(plan, bulk, {**samples, "zz_unknown": 1}, at)


def _drawn(operation: str | None) -> st.SearchStrategy[Any]:
    validator = validator_for(operation)
    return st.one_of(
        wire_bodies(validator=validator),
        raw_bodies(validator=validator),
        invalid_bodies(validator=validator).map(lambda case: case[0]),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_drawn_bodies_walk_the_same_three_ways_at_every_object(data: st.DataObject) -> None:
    body = data.draw(_drawn(None))
    root = root_for(None)
    for plan, bulk, value, path in sites(root, body):
        assert_agree(plan, bulk, value, path)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_drawn_recursive_bodies_walk_the_same_three_ways_at_every_object(
    data: st.DataObject,
) -> None:
    body = data.draw(_drawn(RECURSIVE_OP))
    for plan, bulk, value, path in sites(root_for(RECURSIVE_OP), body):
        assert_agree(plan, bulk, value, path)


SEED_OPERATIONS = OPERATIONS[2:]


@pytest.mark.skipif(not SEED_OPERATIONS, reason=f"{SEED} is absent")
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_drawn_seed_bodies_walk_the_same_three_ways_at_every_object(
    data: st.DataObject,
) -> None:
    operation = data.draw(st.sampled_from(SEED_OPERATIONS))
    try:
        validator_for(operation)
    except pytest.skip.Exception:
        return
    body = data.draw(_drawn(operation))
    for plan, bulk, value, path in sites(root_for(operation), body):
        assert_agree(plan, bulk, value, path)


def test_the_walks_agree_on_a_body_with_defects_everywhere() -> None:
    """A pinned case: a changed enum, a dropped None and an unknown key in one object,
    its keys out of the plan's order: same issues, changes and wire value."""
    root = root_for(None)
    body = {
        "candidate": {
            "gender": "female",
            "zz": 1,
            "title": None,
            "first_name": "Ada",
            "last_name": "L",
            "email_address": "ada@example.com",
        }
    }
    found = {path: plan for plan, _bulk, _value, path in sites(root, body)}
    assert set(found) == {(), ("candidate",)}
    plan = found[("candidate",)]
    value = body["candidate"]
    walks = _walks(plan, node_of(root).walkers["candidate"], value, ("candidate",))  # type: ignore[union-attr]
    issues, changes, _out = walks["generic"]
    assert [(p, c) for p, c, _s, _m in issues] == [("/candidate/zz", "key.unknown")]
    assert [c[0] for c in changes] == ["/candidate/gender", "/candidate/title"]
    assert_agree(plan, node_of(root).walkers["candidate"], value, ("candidate",))  # type: ignore[union-attr]
