"""The question-format registry: every format in ``answer_formats.FORMATS`` has its
drawing and its breaking in ``_strategies.formats.DRAWINGS``, a drawn answer to it
passes, and each wrong answer its breaking offers is reported at its exact path
with its code (and nothing unrelated)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate._strategies.bodies import OMIT, Gen
from kombo_validate._strategies.formats import DRAWINGS, NO_FORMAT, Drawing, drawing, format_of
from kombo_validate._strategies.job_schema import format_types
from kombo_validate._strategies.jobs import Job
from kombo_validate._strategies.model import model_of
from kombo_validate.answer_formats import FORMATS, Format, FormatType, compile_format
from kombo_validate.api import default_validator
from kombo_validate.issues import pointer
from kombo_validate.questions import Questions

from .helpers import minimal, question
from .test_properties import check_both, pairs, related

A = "screening_question_answers"
QID = "26vafvWSRmbhNcxJYqjCzuJg"
MODEL = model_of(default_validator())


def test_every_format_has_its_drawing_and_its_breaking() -> None:
    # a format added to the registry without its entry here fails this test by name
    missing = [name for name in FORMATS if name not in DRAWINGS]
    assert missing == []
    assert list(DRAWINGS) == list(FORMATS)  # no drawing of a format the core does not know
    for name, entry in FORMATS.items():
        assert isinstance(entry, FormatType) and entry.name == name
        assert isinstance(DRAWINGS[name], Drawing)
    assert format_types() == tuple(FORMATS)  # what question_sets draws: the schema's types


def test_compile_format_looks_the_type_up_in_the_registry() -> None:
    checkers = {name: compile_format({"type": name, "options": []}) for name in FORMATS}
    assert {name: type(c).__name__ for name, c in checkers.items()} == {
        "TEXT": "Text",
        "NUMBER": "Number",
        "FILE": "File",
        "SINGLE_SELECT": "Select",
        "BOOLEAN": "Boolean",
        "DATE": "Date",
        "MULTI_SELECT": "Select",
        "INFORMATION": "Information",
        "UNKNOWN": "Unchecked",
    }
    assert [name for name, c in checkers.items() if not c.checked] == ["INFORMATION", "UNKNOWN"]
    assert [name for name, c in checkers.items() if not c.answered] == ["INFORMATION"]
    assert compile_format(None).describe() == "NO-FORMAT"  # a null format: no entry
    assert drawing(None) is NO_FORMAT and drawing("UNKNOWN") is DRAWINGS["UNKNOWN"]


def _job(data: st.DataObject, kind: str) -> tuple[list[dict[str, Any]], Format]:
    fmt = data.draw(format_of(kind, []), label="format")
    qs = [question(QID, "The question", fmt, required=True)]
    Questions(qs)  # a drawn format is a valid one
    return qs, compile_format(fmt)


@pytest.mark.parametrize("kind", list(FORMATS))
@given(data=st.data())
def test_a_drawn_answer_passes_and_each_wrong_answer_is_found_at_its_path(
    kind: str, data: st.DataObject
) -> None:
    qs, checker = _job(data, kind)
    job = Job(qs)
    gen = Gen(data.draw, MODEL, raw=data.draw(st.booleans(), label="raw"), job=job)
    pair = job.draw_answers(gen, (A,))
    if not checker.answered:  # INFORMATION: never answered, and nothing to break
        assert pair is OMIT or pair[1] == []
        assert DRAWINGS[kind].wrong(checker, None) == []
        return
    assert pair is not OMIT and len(pair[1]) == 1  # required and asked: answered
    raw, wire = pair
    body = {**minimal(), A: wire}
    report = check_both(body, questions=qs)
    expected = [] if checker.checked else [(f"/{A}/0/answer", "answer.unchecked")]
    assert pairs(report) == expected
    assert report.body == body and report.changes == ()
    normalised = check_both({**minimal(), A: raw}, questions=qs)
    assert pairs(normalised) == expected and normalised.body == body

    wrongs = DRAWINGS[kind].wrong(checker, wire[0]["answer"])
    if checker.checked:  # a checked format refuses at least an answer of the wrong type
        assert "answer.type" in [w.code for w in wrongs]
    else:
        assert wrongs == []  # any answer is taken (with a warning): nothing to break
    for wrong in wrongs:
        bad = copy.deepcopy(body)
        target: Any = bad[A][0]
        key: Any = "answer"
        for part in wrong.part:
            target, key = target[key], part
        target[key] = copy.deepcopy(wrong.value)
        path = pointer((A, 0, "answer", *wrong.where))
        found = check_both(bad, questions=qs)
        assert (path, wrong.code) in pairs(found), (wrong, pairs(found))
        assert [p for p in pairs(found) if not related(p[0], path)] == [], wrong
