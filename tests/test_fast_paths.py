"""The hot path's shortcuts agree with the full checks they skip.

Each "plain" check (a rule's, or a question format's ``fine``) may only say yes
when the full check would leave the value as it is and report nothing; the
generated object walkers hand everything else to the generic walker.
"""

from __future__ import annotations

from typing import Any

import pytest

from kombo_validate import Validator
from kombo_validate.answer_formats import File, Run, Text
from kombo_validate.codegen import generated_source, node_of
from kombo_validate.context import Ctx, fast_pointer
from kombo_validate.fastpath import FastPath
from kombo_validate.issues import pointer
from kombo_validate.jsondata import walk_any
from kombo_validate.plan import compile_plan
from kombo_validate.questions import Questions
from kombo_validate.questions.model import Question

from .helpers import minimal, pairs, question, with_attachment
from .rule_places import places

STRINGS = [
    "",
    " ",
    "a",
    "DE",
    "de",
    "XX",
    "MALE",
    "male",
    "2021-01-01",
    "2021-02-30",
    "2021-01-01T10:00:00Z",
    "2021-01-01T25:00:00Z",
    "2021-01-01T10:00:00+02:00",
    "ada@example.com",
    "Ada@Example.COM",
    " ada@example.com",
    "ada@example",
    "a@-b.com",
    "https://example.com/a?b=c#d",
    "http://a",
    "https://a..b",
    "https://-a.com",
    "HTTPS://a.com",
    "https://x.com:99999/p",
    "https://[::1]/",
    "ftp://files.example.com/x",
    "https://exa mple.com",
    "text/plain",
    "Text/Plain",
    "text/plain; charset=utf-8",
    " text/plain",
    "SGk=",
    "SGk=\n",
    "SGk=\r\n",
]


def _rules() -> list[tuple[str, Any, Any]]:
    """Every rule with a plain check, at every place it attaches (``RULES`` drives it)."""
    found = []
    for label, rule, schema, where in places():
        plain = rule.plain(schema, where) if rule.kind != "object" else None
        if plain is not None:
            found.append((f"{rule.name}@{label}", rule.build(schema, where), plain))
    return found


@pytest.mark.parametrize(("name", "rule", "plain"), _rules(), ids=lambda x: str(x)[:60])
@pytest.mark.parametrize("value", STRINGS)
def test_a_plain_value_is_one_the_rule_leaves_alone(
    name: str, rule: Any, plain: Any, value: str
) -> None:
    if not plain(value):
        return
    ctx = Ctx()
    assert rule(value, ("x",), ctx) is value
    assert not ctx.issues and not ctx.changes


def test_fast_pointer_is_pointer() -> None:
    for path in [(), ("a",), ("a/b", "c~d", 3, "", 0), ("x", -1), ("~1/",)]:
        assert fast_pointer(path) == pointer(path)


def test_object_walkers_are_generated_and_dumpable(validator: Validator) -> None:
    source = generated_source(compile_plan(validator.request_schema))
    assert source is not None and "def walk_object_bulk(" in source
    assert generated_source(walk_any) is None


def _candidate_walker(plan: Any) -> Any:
    return node_of(plan).walkers["candidate"]  # type: ignore[union-attr]


@pytest.mark.parametrize("engine", ["rust", "python"])
def test_object_walkers_are_compiled_on_their_first_call(engine: str) -> None:
    # the plan and fast path a Validator builds (engine="python" has no fast path)
    plan = compile_plan(Validator(engine=engine).request_schema)
    candidate = _candidate_walker(plan)
    stub = candidate.__code__
    assert stub.co_varnames == ("args",)  # not compiled yet
    if engine == "rust":  # proven: no walker runs, nothing is compiled
        assert FastPath(plan).run(minimal(), Ctx()) == (minimal(), True)
        assert candidate.__code__ is stub
        return
    # engine="python" walks every body: the generated code replaces the stub
    for _ in range(2):
        ctx = Ctx()
        plan(minimal(gender="female"), (), ctx, 0)
        assert [(c.path, c.after) for c in ctx.changes] == [("/candidate/gender", "FEMALE")]
        assert candidate.__code__.co_varnames[:4] == ("value", "path", "ctx", "depth")
    assert "def walk_object_bulk(" in (generated_source(candidate) or "")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a plain string fails the skip check: the rule runs
        (minimal(gender="female"), []),
        (minimal(email_address="ada@example"), [("/candidate/email_address", "email.invalid")]),
        # not a bulk object (an unknown key, a None): the generic walker reports
        ({**minimal(), "stge_id": "x"}, [("/stge_id", "key.unknown")]),
        (minimal(company=None), []),
        (with_attachment(data="SGk=", content_type="Text/Plain"), []),
    ],
)
def test_generated_and_generic_paths_report_alike(
    validator: Validator, body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert pairs(validator.check(body)) == expected


FILE = File(("application/pdf",), 100)


@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        (Text(200, "EMAIL"), "ada@example.com"),
        (Text(200, "EMAIL"), "ada@example"),
        (Text(5, "EMAIL"), "ada@example.com"),
        (Text(None, "URL"), "https://example.com/x"),
        (Text(None, "URL"), "ftp://example.com/x"),
        (Text(None, "URL"), "not a url"),
        (FILE, {"name": "a.pdf", "content_type": "application/pdf", "data": "SGk="}),
        (FILE, {"name": "a.pdf", "content_type": "text/plain", "data": "SGk="}),
        (FILE, {"name": "a.pdf", "content_type": "application/pdf", "data": "A" * 400}),
        (FILE, {"name": "a.pdf", "data_url": "https://example.com/a.pdf"}),
        (File(None, None), {"name": "a.pdf", "data_url": "https://example.com/a.pdf"}),
        (FILE, ["not", "a", "file"]),
    ],
)
def test_a_fine_answer_is_one_the_full_check_accepts(fmt: Any, value: Any) -> None:
    q = Question("q1", "Q", False, fmt)
    run = Run(Ctx(), lambda v: None)
    after = fmt.check(q, value, ("a",), run)
    assert fmt.fine(value) == (after is value and not run.items)


def test_coerce_reuses_the_compiled_questions() -> None:
    raw = [question("8x3YKRDcuRnwShdh96ShBNn1", "Q", {"type": "BOOLEAN"})]
    first = Questions.coerce(raw)
    assert Questions.coerce(raw) is first
    cyclic: list[Any] = []
    cyclic.append(cyclic)  # version-4 marshal can write it, version 2 cannot
    with pytest.raises(ValueError):
        Questions.coerce(cyclic)
