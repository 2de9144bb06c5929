"""Properties with job context: drawn screening questions and attachment restrictions.

Valid bodies for drawn questions and restrictions check ok (their only
allowed issues are the ``answer.unchecked`` warnings of UNKNOWN or
format-less questions a job requires) and come back unchanged; raw bodies
normalise to exactly their wire body; one injected defect (against the core,
a question or a restriction) is reported at its path with its code, and
every other new issue is related (at that path or below it).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from kombo_validate import Questions, Restrictions
from kombo_validate._strategies import invalid_and_valid, raw_and_wire
from kombo_validate._strategies.leaves import REALISTIC_CONTENT_TYPES
from kombo_validate._strategies.model import model_of
from kombo_validate._strategies.restricted import warning_free
from kombo_validate.strategies import answers_for, questions, wire_bodies

from .helpers import minimal, question
from .test_properties import RUST, assert_oracle_accepts, check_both, pairs, related

#: the warning a valid body may carry: a required question whose format cannot be checked
EXPECTED_WARNINGS = {"answer.unchecked"}
#: and the one restrictions can force: a required file type that only a data_url can carry
#: (a per-file size limit, and no accepted type that is specific and well-formed)
UNAVOIDABLE = {"attachment.size_unchecked"}

_MIMES = (
    *REALISTIC_CONTENT_TYPES,
    "image/*",
    "*/*",
    "application/octet-stream",
    "image/svg+xml",
    "pdf",
)


@st.composite
def restriction_sets(draw: st.DrawFn) -> dict[str, Any]:
    """``data.attachment_restrictions`` of ``GET /ats/actions/ats_create_application``."""

    def one() -> dict[str, Any] | None:
        kind = draw(st.sampled_from(("unknown", "unsupported", "limited", "limited")))
        if kind == "unknown":
            return None
        if kind == "unsupported":
            return {"is_supported": False}
        lo = draw(st.none() | st.integers(0, 2))
        return {
            "is_supported": True,
            "min_amount": lo,
            "max_amount": draw(st.none() | st.integers(lo or 0, 3)),
            "max_file_size_bytes": draw(st.none() | st.integers(0, 100)),
            "accepted_mime_types": draw(
                st.none() | st.lists(st.sampled_from(_MIMES), max_size=3, unique=True)
            ),
        }

    return {
        "total_size_bytes": draw(st.none() | st.integers(0, 300)),
        "types": {kind: one() for kind in ("CV", "COVER_LETTER", "OTHER")},
    }


def context() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {}, optional={"questions": questions(), "restrictions": restriction_sets()}
    )


_JOB = [
    question(
        "26vafvWSRmbhNcxJYqjCzuJg",
        "Are you willing to relocate?",
        {"type": "BOOLEAN"},
        remote_id=None,
        required=True,
    ),
    question(
        "3phFBNXRweGnDmsU9o2vdPuQ",
        "Preferred office",
        {
            "type": "SINGLE_SELECT",
            "display_type": "DROPDOWN",
            "options": [
                {"id": "7qd5qjPwDHarsMLFMGzXYG1K", "remote_id": None, "name": "Berlin"},
                {"id": "8rd6rkQxEJbstNMGNzYH2LAa", "remote_id": None, "name": "Munich"},
            ],
        },
        remote_id=None,
        index=1,
        required=True,
        precondition_question_id="26vafvWSRmbhNcxJYqjCzuJg",
        precondition_options=[True],
    ),
]


@given(qs=questions())
def test_drawn_questions_are_well_formed(qs: list[dict[str, Any]]) -> None:
    compiled = Questions(qs)  # never a ContextError
    assert compiled.ids == tuple(q["id"] for q in qs)


@given(data=st.data())
@example(data=None)
def test_answers_for_questions_pass_check(data: st.DataObject | None) -> None:
    qs = data.draw(questions()) if data is not None else _JOB
    answers = (
        data.draw(answers_for(qs))
        if data is not None
        else [
            {"question_id": _JOB[0]["id"], "answer": True},
            {"question_id": _JOB[1]["id"], "answer": "8rd6rkQxEJbstNMGNzYH2LAa"},
        ]
    )
    body = {**minimal(), "screening_question_answers": answers}
    report = check_both(body, questions=qs)
    assert {i.code for i in report.issues} <= EXPECTED_WARNINGS, pairs(report)
    assert report.body == body and report.changes == ()


@given(ctx=context(), data=st.data())
def test_wire_bodies_in_context_check_ok_and_come_back_unchanged(
    ctx: dict[str, Any], data: st.DataObject
) -> None:
    body = data.draw(wire_bodies(**ctx))
    before = copy.deepcopy(body)
    report = check_both(body, **ctx)
    assert {i.code for i in report.issues} <= EXPECTED_WARNINGS | UNAVOIDABLE, pairs(report)
    for issue in report.issues:
        if issue.code in UNAVOIDABLE:  # only for types no file can be sent of without one
            kind = body["attachments"][int(issue.path.split("/")[2])]["type"]
            tr = Restrictions(ctx["restrictions"]).for_type(kind)
            assert tr is not None and not warning_free(tr, model_of(RUST))
    assert report.changes == () and report.body == body == before
    assert_oracle_accepts(body)
    compiled = {
        "questions": Questions(ctx["questions"]) if "questions" in ctx else None,
        "restrictions": Restrictions(ctx["restrictions"]) if "restrictions" in ctx else None,
    }
    assert pairs(check_both(body, **compiled)) == pairs(report)


@given(ctx=context(), data=st.data())
def test_raw_bodies_in_context_normalise_exactly_and_idempotently(
    ctx: dict[str, Any], data: st.DataObject
) -> None:
    raw, wire = data.draw(raw_and_wire(**ctx))
    report = check_both(raw, **ctx)
    assert report.ok, pairs(report)
    assert report.body == wire
    again = check_both(report.body, **ctx)
    assert again.body == report.body and again.changes == ()


@given(ctx=context(), data=st.data())
def test_invalid_bodies_in_context_report_their_defect_and_only_related_issues(
    ctx: dict[str, Any], data: st.DataObject
) -> None:
    valid, body, path, code = data.draw(invalid_and_valid(**ctx))
    baseline = set(pairs(check_both(valid, **ctx)))
    report = check_both(body, **ctx)
    assert (path, code) in [(i.path, i.code) for i in report.errors]
    unrelated = [p for p in pairs(report) if p not in baseline and not related(p[0], path)]
    assert not unrelated, f"defect {code} at {path!r} also reports {unrelated}"
