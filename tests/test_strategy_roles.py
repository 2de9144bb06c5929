"""The strategies know every schema rule: adding a rule without its role fails here,
not far away in ``test_fastpath.py`` (drawn bodies that stop being proven)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate import Validator
from kombo_validate._strategies.bodies import Gen
from kombo_validate._strategies.model import BY_RULE, build, model_of
from kombo_validate._strategies.roles import ROLES
from kombo_validate.context import Ctx
from kombo_validate.rules import RULES

from .rule_places import Place, places

PLACES = places()


def test_every_rule_has_a_role_and_every_role_its_drawing_and_breaking() -> None:
    assert sorted(BY_RULE) == sorted({r.name for r in RULES})
    roles = {BY_RULE[rule.name](schema, where) for _, rule, schema, where in PLACES}
    assert sorted(roles - set(ROLES) - {"plain"}) == []
    assert sorted(set(ROLES) - roles) == []  # no role is left over


@pytest.mark.parametrize("place", PLACES, ids=lambda p: f"{p[1].name}:{p[1].kind}@{p[0]}")
def test_a_place_a_rule_attaches_to_plays_a_rules_role(place: Place) -> None:
    _, rule, schema, where = place
    node = build(schema, where)
    assert getattr(node, "role", None) == BY_RULE[rule.name](schema, where)  # no two overlap


@given(st.data())
def test_a_drawn_value_of_each_role_is_wire_form(data: st.DataObject) -> None:
    """Each role's wire value, alone in its place, is one the rule leaves as it is."""
    validator = Validator()
    model = model_of(validator)
    label, rule, schema, where = data.draw(st.sampled_from(PLACES))
    if rule.kind == "object":
        return  # whole attachments: the body properties draw them (test_properties)
    node = build(schema, where)
    gen = Gen(data.draw, model)
    raw, wire = gen.string(node, (), 0)  # type: ignore[arg-type]
    assert raw is wire or raw == wire
    ctx = Ctx()
    assert rule.build(schema, where)(wire, ("x",), ctx) == wire, label
    assert not ctx.issues and not ctx.changes, (label, wire, ctx.issues)
