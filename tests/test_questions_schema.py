"""The screening-question schema, its drift from Kombo's spec, and building ``Questions``.

The drift tests read Kombo's full OpenAPI document, which is not part of the
repository: they skip when it is absent (it sits at ../shared/seed/ beside the
clone, or where $KOMBO_OPENAPI points).
"""

from __future__ import annotations

import copy
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import kombo_validate.questions.schema as questions_schema
from kombo_validate.answer_formats import FORMATS
from kombo_validate.context import Ctx
from kombo_validate.issues import ContextError
from kombo_validate.questions import Questions, schema_path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "spec" / "screening-questions.schema.json"
FULL_SPEC = Path(
    os.environ.get("KOMBO_OPENAPI", ROOT.parent / "shared" / "seed" / "kombo-openapi.json")
)

Q1 = "26vafvWSRmbhNcxJYqjCzuJg"
Q2 = "4ZVteCSSgDw3BdwGzcQqGEPk"
O1 = "7qd5qjPwDHarsMLFMGzXYG1K"


def q(qid: str = Q1, fmt: Any = None, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": qid,
        "remote_id": None,
        "title": "Which is your primary programming language?",
        "description": None,
        "format": fmt,
        "category": None,
        "index": 0,
        "required": True,
    }
    base.update(extra)
    return base


SELECT = {
    "display_type": "RADIO",
    "options": [{"id": O1, "remote_id": None, "name": "Python"}],
    "type": "SINGLE_SELECT",
}


# --------------------------------------------------------------------------- the schema file


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def test_schema_is_a_valid_draft_2020_12_schema_and_says_where_it_came_from() -> None:
    s = schema()
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "GetAtsJobsPositiveResponse" in s["$comment"]
    assert schema_path() == SCHEMA_FILE


def test_the_format_registry_has_the_schemas_format_types_in_its_order() -> None:
    assert tuple(schema()["$defs"]["format"]["properties"]["type"]["enum"]) == tuple(FORMATS)


def test_the_schema_is_loaded_once() -> None:
    assert questions_schema._validator() is questions_schema._validator()


# --------------------------------------------------------------------------- drift


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    if not FULL_SPEC.is_file():
        pytest.skip(f"Kombo's full OpenAPI document is not at {FULL_SPEC}")
    doc = json.loads(FULL_SPEC.read_text(encoding="utf-8"))
    results = doc["components"]["schemas"]["GetAtsJobsPositiveResponse"]["properties"]["data"]
    sq: dict[str, Any] = results["properties"]["results"]["items"]["properties"][
        "screening_questions"
    ]
    return sq


_NOISE = {"description", "examples", "format", "default", "$comment", "title", "externalDocs"}
_DOUBLE_MIN = -1.7976931348623157e308


def norm(node: Any, defs: dict[str, Any]) -> Any:
    """A schema without annotations, enums as sets without null, $refs resolved."""
    if isinstance(node, list):
        return [norm(x, defs) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return norm(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NOISE or (key == "minimum" and value == _DOUBLE_MIN):
            continue
        if key == "enum":
            out[key] = sorted(v for v in value if v is not None)
        elif key in ("type", "required") and isinstance(value, list):
            out[key] = sorted(value)
        elif key == "properties":
            out[key] = {k: norm(v, defs) for k, v in value.items()}
        else:
            out[key] = norm(value, defs)
    return out


def test_question_properties_match_the_source(source: dict[str, Any]) -> None:
    mine = schema()
    defs = mine["$defs"]
    src_q = source["items"]
    my_q = defs["question"]
    assert sorted(my_q["properties"]) == sorted(src_q["properties"])
    assert sorted(my_q["required"]) == sorted(src_q["required"])
    for name, src_prop in src_q["properties"].items():
        if name == "format":
            continue
        assert norm(my_q["properties"][name], defs) == norm(src_prop, {}), name


def test_format_variants_match_the_source(source: dict[str, Any]) -> None:
    defs = schema()["$defs"]
    variants = source["items"]["properties"]["format"]["anyOf"]
    by_type = {v["properties"]["type"]["const"]: v for v in variants if v.get("type") == "object"}
    assert tuple(by_type) == tuple(FORMATS)  # same types, same order
    assert {"type": "null"} in variants and "null" in defs["format"]["type"]
    for kind, src in by_type.items():
        mine = defs[f"format_{kind.lower()}"]
        assert sorted(mine["properties"]) == sorted(src["properties"]), kind
        assert norm(mine, defs) == norm(src, {}), kind


def test_enums_that_the_source_types_nullable_also_admit_null(source: dict[str, Any]) -> None:
    v = Draft202012Validator(schema())
    example = source["items"]["examples"][0]
    assert example["category"] is None  # the source's own example, hence null in our enums
    assert list(v.iter_errors([example])) == []
    loose = copy.deepcopy(example)
    loose["format"]["display_type"] = None
    assert list(v.iter_errors([loose])) == []


def test_the_sources_example_builds_questions(source: dict[str, Any]) -> None:
    example = source["items"]["examples"][0]
    qs = Questions([example])
    assert qs.ids == (example["id"],)


# --------------------------------------------------------------------------- malformed questions


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("questions", "questions must be a list of screening questions, got a string"),
        (None, "got null"),
        ({"id": Q1}, "got an object with keys id"),
        ({"screening_questions": None}, "job.screening_questions must be a list"),
        ({"status": "success", "data": {"results": []}}, "not the whole response"),
        ([5], "screening question 0: 5 is not of type 'object'"),
        (
            [q(), {k: v for k, v in q(Q2).items() if k != "required"}],
            f"screening question 1 (id '{Q2}'): 'required' is a required property",
        ),
        ([q(title=3)], f"screening question 0 (id '{Q1}'): title: 3 is not of type"),
        ([q(category="OTHER")], "category: 'OTHER' is not one of ['EEO', 'DEMOGRAPHIC', None]"),
        ([q(required="yes")], "required: 'yes' is not of type 'boolean', 'null'"),
        ([q(index=1.5)], "index: 1.5 is not of type 'integer', 'null'"),
        ([q(fmt={"type": "TEXT", "max_length": "10"})], "format.max_length: '10' is not of type"),
        ([q(fmt={"type": "TEXT", "display_type": "HTML"})], "format.display_type: 'HTML'"),
        ([q(fmt={"type": "NUMBER", "min": "0"})], "format.min: '0' is not of type"),
        ([q(fmt={"type": "FILE", "accepted_mime_types": "application/pdf"})], "format.accepted"),
        ([q(fmt={"type": "FILE", "max_file_size_bytes": 1.5})], "format.max_file_size_bytes"),
        ([q(fmt={"type": "RANKING"})], "format.type: 'RANKING' is not one of"),
        ([q(fmt={"max_length": 3})], "format: 'type' is a required property"),
        ([q(fmt="TEXT")], "format: 'TEXT' is not of type 'object', 'null'"),
        ([q(fmt={"type": "SINGLE_SELECT"})], "format: 'options' is a required property"),
        (
            [q(fmt={"type": "MULTI_SELECT", "options": [{"id": 1, "name": "x"}]})],
            "format.options[0].id: 1 is not of type 'string'",
        ),
        (
            [q(fmt={"type": "SINGLE_SELECT", "options": [{"id": O1}]})],
            "format.options[0]: 'name' is a required property",
        ),
        ([q(precondition_question_id="short")], "precondition_question_id: 'short' is too short"),
        ([q(precondition_options=["x"])], "precondition_options"),
        ([q(precondition_options=[True, "x"])], "precondition_options"),
    ],
)
def test_malformed_questions_raise_context_error(raw: Any, fragment: str) -> None:
    with pytest.raises(ContextError) as info:
        Questions(raw)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_context_error_counts_further_problems() -> None:
    with pytest.raises(ContextError, match=r"\(and 2 more problem\(s\) in the questions\)"):
        Questions([q(title=1), q(Q2, title=2, index="x")])


def test_duplicate_question_ids() -> None:
    with pytest.raises(ContextError, match=f"screening question 1 \\(id '{Q1}'\\): id: the same"):
        Questions([q(), q()])


def test_precondition_cycles_are_refused() -> None:
    with pytest.raises(ContextError, match="precondition_question_id: the preconditions form"):
        Questions([q(precondition_question_id=Q1, precondition_options=[True])])
    with pytest.raises(ContextError, match="cycle"):
        Questions(
            [
                q(Q1, precondition_question_id=Q2, precondition_options=[True]),
                q(Q2, precondition_question_id=Q1, precondition_options=[True]),
            ]
        )


def test_optional_keys_may_be_absent_and_nulls_are_fine() -> None:
    Questions([q()])  # no format, precondition_* keys at all
    Questions([q(fmt=None, category=None, required=None, index=None, title=None)])
    Questions([q(fmt={"type": "UNKNOWN", "raw_question": ["anything", {"at": "all"}]})])
    Questions([q(fmt={"type": "TEXT", "display_type": None, "max_length": None, "future_key": 1})])


# --------------------------------------------------------------------------- coercion


def test_accepts_a_job_object_and_a_tuple() -> None:
    job = {"id": "job", "name": "Engineer", "screening_questions": [q(fmt=SELECT)]}
    assert Questions(job) == Questions([q(fmt=SELECT)]) == Questions((q(fmt=SELECT),))


def test_coerce_returns_a_questions_instance_as_is() -> None:
    qs = Questions([q(fmt=SELECT)])
    assert Questions.coerce(qs) is qs
    assert Questions.coerce([q(fmt=SELECT)]) == qs


def test_coerce_compiles_the_same_questions_once() -> None:
    raw = [q(fmt=SELECT), q(Q2, fmt={"type": "NUMBER", "min": 1, "max": 5})]
    first = Questions.coerce(raw)
    assert Questions.coerce(copy.deepcopy(raw)) is first  # equal content: the cached object
    changed = copy.deepcopy(raw)
    changed[1]["format"]["max"] = 6
    assert Questions.coerce(changed) is not first
    assert Questions.coerce(changed) != first
    raw[1]["format"]["max"] = 6.0  # 6.0 is not 6 to marshal: a fresh compile, still equal
    assert Questions.coerce(raw) == Questions.coerce(changed)
    flag = copy.deepcopy(raw)
    flag[0]["required"] = 1  # not a boolean: the cache must not confuse it with True
    with pytest.raises(ContextError, match="required: 1 is not of type 'boolean'"):
        Questions.coerce(flag)


def test_accepts_the_official_sdks_models() -> None:
    models = pytest.importorskip("kombo.models.getatsjobspositiveresponse")
    raw = [
        q(fmt=SELECT),
        q(Q2, fmt={"type": "BOOLEAN"}, precondition_question_id=Q1, precondition_options=[O1]),
    ]
    sdk = [models.ScreeningQuestion.model_validate(item) for item in raw]
    assert Questions(sdk) == Questions(raw)


def test_the_callers_data_is_copied_not_kept() -> None:
    raw = [q(fmt=copy.deepcopy(SELECT))]
    before = copy.deepcopy(raw)
    qs = Questions(raw)
    assert raw == before
    raw[0]["format"]["options"][0]["id"] = "changed"
    raw[0]["required"] = False
    assert qs == Questions(before)


# --------------------------------------------------------------------------- the object


def test_immutable() -> None:
    qs = Questions([q(fmt=SELECT)])
    with pytest.raises(AttributeError):
        qs._questions = ()
    with pytest.raises(AttributeError):
        del qs._questions
    with pytest.raises(AttributeError):
        qs.anything = 1


def _answers_outcome(qs: Questions, answers: Any) -> Any:
    ctx = Ctx()
    out = qs.check_answers(answers, ctx, ("a",), date_check=lambda v: None)
    return out, [i.to_dict() for i in ctx.issues], [c.to_dict() for c in ctx.changes]


def test_picklable_and_the_same_after() -> None:
    raw = [
        q(fmt=SELECT),
        q(Q2, fmt={"type": "NUMBER", "min": 1, "max": 5}, required=False),
        q("AnotherQuestionId1234567", fmt={"type": "FILE", "accepted_mime_types": ["image/*"]}),
    ]
    qs = Questions(raw)
    for clone in (pickle.loads(pickle.dumps(qs)), copy.deepcopy(qs), copy.copy(qs)):
        assert clone == qs and hash(clone) == hash(qs) and repr(clone) == repr(qs)
        answers = [{"question_id": Q1, "answer": "python"}, {"question_id": Q2, "answer": 9}]
        assert _answers_outcome(clone, answers) == _answers_outcome(qs, answers)


def test_checking_answers_does_not_touch_the_schema_again(monkeypatch: pytest.MonkeyPatch) -> None:
    qs = Questions([q(fmt=SELECT)])

    def boom() -> None:
        raise AssertionError("the schema is consulted when compiling only")

    monkeypatch.setattr(questions_schema, "_validator", boom)
    assert _answers_outcome(qs, [{"question_id": Q1, "answer": O1}])[1] == []


def test_repr_is_readable() -> None:
    qs = Questions(
        [
            q(fmt=SELECT),
            q(
                Q2,
                fmt={"type": "TEXT", "display_type": "EMAIL", "max_length": 80},
                title="Email",
                required=False,
                precondition_question_id=Q1,
                precondition_options=[O1],
            ),
        ]
    )
    assert repr(qs) == (
        '<Questions 2: "Which is your primary programming language?" SINGLE_SELECT(1) required; '
        f'"Email" TEXT EMAIL ≤80 if {Q1}>'
    )
    many = Questions([q(f"{i:02d}" + "x" * 22, title=f"T{i}") for i in range(1, 8)])
    assert repr(many).endswith("; … 2 more>") and len(many) == 7
    assert repr(Questions([])) == "<Questions 0>"
