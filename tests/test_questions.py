"""Screening answers checked against a job's questions, driving ``Questions`` directly.

Every row of the per-type table and every bullet of the issue, valid and
invalid, with the exact path and code.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest

from kombo_validate.context import Ctx
from kombo_validate.questions import Questions, is_email, is_http_url

from .helpers import option, question

A = "screening_question_answers"


def fake_date_check(value: str) -> str | None:
    """Stand-in for the core's date check: the spec's pattern plus a real calendar date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?Z?", value):
        return "is not in the spec's date form"
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return "is not a real calendar date"
    return None


# 24-character Kombo ids (base58 alphabet)
Q_LANG = "26vafvWSRmbhNcxJYqjCzuJg"
Q_MAIL = "3phFBNXRweGnDmsU9o2vdPuQ"
Q_SITE = "EYJjhMQT3LtVKXnTbnRT8s6U"
Q_MOVE = "D8yPrjXXvA2XeBksTmrVvKSn"
Q_CITY = "4ZVteCSSgDw3BdwGzcQqGEPk"
Q_SKIL = "B5DVmypWENfU6eMe6gYDyJG3"
Q_GOCE = "222k7eCGyUdgt2JWZDNnkDs3"
Q_YEAR = "HWUTwvyx2wLoSUHphiWVrp28"
Q_DATE = "5qaLEWvXqLh3vkyY3z4tGtHr"
Q_FILE = "6rbMFXwYrMi4wmzZ4a5uHuJs"
Q_INFO = "7scNGYxZsNj5xnAa5b6vJvKt"
Q_EEO_ = "8tdPHZyatPk6yoBb6c7wKwLu"
Q_NONE = "9ueQJazbuQm7zpCc7d8xLxMv"

O_BER = "7qd5qjPwDHarsMLFMGzXYG1K"
O_MUC = "8rd6rkQxEJbstNMGNzYH2LAa"
O_REM = "9se7smRyFKctuPNHPaZJ3MBb"
O_PY = "Asf8tnSzGLduvQPJQbaK4NCc"
O_GO = "Btg9uoTaHMevwRQKRcbL5PDd"
O_RS = "Cuh1vpUbJNfwxSRLSdcM6QEe"

CITY_OPTIONS = [option(O_BER, "Berlin"), option(O_MUC, "Munich"), option(O_REM, "Remote")]
SKILL_OPTIONS = [option(O_PY, "Python"), option(O_GO, "Go"), option(O_RS, "Rust")]


def job_questions() -> list[dict[str, Any]]:
    """A realistic job: every format, required questions, chained preconditions."""
    return [
        question(
            Q_LANG,
            "Which is your primary programming language?",
            {"display_type": "SINGLE_LINE", "max_length": 30, "type": "TEXT"},
            required=True,
        ),
        question(
            Q_MAIL, "Work email", {"display_type": "EMAIL", "max_length": None, "type": "TEXT"}
        ),
        question(Q_SITE, "Portfolio", {"display_type": "URL", "max_length": None, "type": "TEXT"}),
        question(Q_MOVE, "Are you willing to relocate?", {"type": "BOOLEAN"}, required=True),
        question(
            Q_CITY,
            "Preferred office",
            {"display_type": "DROPDOWN", "options": CITY_OPTIONS, "type": "SINGLE_SELECT"},
            required=True,
            precondition_question_id=Q_MOVE,
            precondition_options=[True],
        ),
        question(
            Q_SKIL,
            "Languages you use",
            {"options": SKILL_OPTIONS, "type": "MULTI_SELECT"},
            required=True,
        ),
        question(
            Q_GOCE,
            "Which Go certification do you hold?",
            {"display_type": "MULTI_LINE", "max_length": 500, "type": "TEXT"},
            required=True,
            precondition_question_id=Q_SKIL,
            precondition_options=[O_GO],
        ),
        question(
            Q_YEAR,
            "Years of experience",
            {"display_type": "SLIDER", "min": 0, "max": 50, "type": "NUMBER"},
        ),
        question(Q_DATE, "Earliest start date", {"type": "DATE"}),
        question(
            Q_FILE,
            "Work sample",
            {
                "accepted_mime_types": ["application/pdf", "image/*"],
                "max_file_size_bytes": 12,
                "type": "FILE",
            },
        ),
        question(Q_INFO, "About our process", {"type": "INFORMATION"}, description="<p>Hi</p>"),
        question(
            Q_EEO_,
            "Veteran status",
            {"raw_question": {"kind": "veteran", "choices": ["yes", "no"]}, "type": "UNKNOWN"},
            category="EEO",
        ),
        question(Q_NONE, "Anything else?", None),
    ]


JOB = Questions(job_questions())

MINIMAL = [
    {"question_id": Q_LANG, "answer": "Python"},
    {"question_id": Q_MOVE, "answer": False},
    {"question_id": Q_SKIL, "answer": [O_PY]},
]


def one(fmt: dict[str, Any] | None, title: str = "Q", **extra: Any) -> Questions:
    return Questions([question(Q_LANG, title, fmt, **extra)])


def run(
    qs: Questions, answers: Any, date_check: Any = fake_date_check
) -> tuple[list[Any] | None, Ctx]:
    ctx = Ctx()
    out = qs.check_answers(answers, ctx, (A,), date_check=date_check)
    return out, ctx


def found(ctx: Ctx) -> list[tuple[str, str, str]]:
    return [(i.path, i.code, i.severity) for i in ctx.issues]


def answer(value: Any, qid: str = Q_LANG) -> list[dict[str, Any]]:
    return [{"question_id": qid, "answer": value}]


P0 = f"/{A}/0/answer"


# --------------------------------------------------------------------------- the job fixture


def test_minimal_valid_application_has_no_issue() -> None:
    out, ctx = run(JOB, MINIMAL)
    assert found(ctx) == []
    assert out == MINIMAL and out is not MINIMAL


def test_every_question_answered_well() -> None:
    answers = [
        *MINIMAL[:1],
        {"question_id": Q_MAIL, "answer": "ada@example.com"},
        {"question_id": Q_SITE, "answer": "https://ada.example.com/work"},
        {"question_id": Q_MOVE, "answer": True},
        {"question_id": Q_CITY, "answer": O_MUC},
        {"question_id": Q_SKIL, "answer": [O_PY, O_GO]},
        {"question_id": Q_GOCE, "answer": "Go Professional"},
        {"question_id": Q_YEAR, "answer": 7.5},
        {"question_id": Q_DATE, "answer": "2025-03-01"},
        {
            "question_id": Q_FILE,
            "answer": {"name": "s.pdf", "content_type": "application/pdf", "data": "SGVsbG8="},
        },
    ]
    out, ctx = run(JOB, answers)
    assert found(ctx) == []
    assert out == answers


# --------------------------------------------------------------------------- TEXT


def test_text_valid_and_type() -> None:
    qs = one({"type": "TEXT", "display_type": None, "max_length": None})
    assert found(run(qs, answer("anything at all"))[1]) == []
    for bad in (3, True, ["a"], {"a": 1}, None):
        assert found(run(qs, answer(bad))[1]) == [(P0, "answer.type", "error")]


def test_text_max_length() -> None:
    qs = one({"type": "TEXT", "display_type": "SINGLE_LINE", "max_length": 5})
    assert found(run(qs, answer("12345"))[1]) == []
    _, ctx = run(qs, answer("123456"))
    assert found(ctx) == [(P0, "answer.too_long", "error")]
    assert ctx.issues[0].message == 'Answer to "Q" must be at most 5 characters long; it has 6.'
    # Kombo counts as JavaScript does: an emoji is two UTF-16 code units
    assert found(run(qs, answer("abcd😀"))[1]) == [(P0, "answer.too_long", "error")]
    assert found(run(qs, answer("abc😀"))[1]) == []


def test_text_email() -> None:
    qs = one({"type": "TEXT", "display_type": "EMAIL", "max_length": None})
    assert found(run(qs, answer("ada.lovelace@example.co.uk"))[1]) == []
    for bad in ("ada", "ada@example", "a b@example.com", "a@b@example.com", "@example.com"):
        assert found(run(qs, answer(bad))[1]) == [(P0, "answer.email", "error")], bad


def test_text_url() -> None:
    qs = one({"type": "TEXT", "display_type": "URL", "max_length": None})
    for good in ("https://example.com", "http://localhost:8080/x?y=1", "HTTPS://EXAMPLE.COM"):
        assert found(run(qs, answer(good))[1]) == [], good
    for bad in ("example.com", "ftp://example.com", "https://", "https://exa mple.com", "/x"):
        assert found(run(qs, answer(bad))[1]) == [(P0, "answer.url", "error")], bad


def test_text_empty_optional_answer_skips_the_display_check() -> None:
    qs = one({"type": "TEXT", "display_type": "EMAIL", "max_length": None})
    assert found(run(qs, answer(""))[1]) == []


def test_predicates() -> None:
    assert is_email("a@b.co") and not is_email("a@b.") and not is_email("")
    assert is_http_url("http://[::1]:80/") and not is_http_url("http://[::1/")


# --------------------------------------------------------------------------- SINGLE_SELECT


def test_single_select_by_id() -> None:
    out, ctx = run(JOB, [*MINIMAL[:1], *answer(True, Q_MOVE), *answer(O_BER, Q_CITY), MINIMAL[2]])
    assert found(ctx) == [] and ctx.changes == []
    assert out is not None and out[2]["answer"] == O_BER


def test_single_select_name_becomes_id_as_a_change() -> None:
    answers = [*MINIMAL[:1], *answer(True, Q_MOVE), *answer("mUnIcH", Q_CITY), MINIMAL[2]]
    before = copy.deepcopy(answers)
    out, ctx = run(JOB, answers)
    assert found(ctx) == []
    assert out is not None and out[2] == {"question_id": Q_CITY, "answer": O_MUC}
    assert out[2] is not answers[2] and out[0] is answers[0]
    assert answers == before  # the caller's list and dicts are untouched
    [change] = ctx.changes
    assert (change.path, change.before, change.after) == (f"/{A}/2/answer", "mUnIcH", O_MUC)


def test_single_select_unknown_and_type() -> None:
    qs = one({"type": "SINGLE_SELECT", "display_type": "RADIO", "options": CITY_OPTIONS})
    _, ctx = run(qs, answer("Hamburg"))
    assert found(ctx) == [(P0, "answer.unknown_option", "error")]
    assert "'Berlin', 'Munich', 'Remote'" in ctx.issues[0].message
    assert found(run(qs, answer([O_BER]))[1]) == [(P0, "answer.type", "error")]
    assert found(run(qs, answer(1))[1]) == [(P0, "answer.type", "error")]


def test_single_select_name_shared_by_two_options_is_ambiguous() -> None:
    opts = [option(O_BER, "Yes"), option(O_MUC, "YES")]
    qs = one({"type": "SINGLE_SELECT", "display_type": None, "options": opts})
    out, ctx = run(qs, answer("yes"))
    assert found(ctx) == [(P0, "answer.ambiguous_option", "error")]
    assert out == answer("yes") and ctx.changes == []


def test_an_option_id_wins_over_a_name() -> None:
    opts = [option(O_BER, "Berlin"), option(O_MUC, O_BER)]
    qs = one({"type": "SINGLE_SELECT", "display_type": None, "options": opts})
    out, ctx = run(qs, answer(O_BER))
    assert found(ctx) == [] and ctx.changes == [] and out == answer(O_BER)


# --------------------------------------------------------------------------- MULTI_SELECT


MULTI = one({"type": "MULTI_SELECT", "options": SKILL_OPTIONS})


def test_multi_select_valid() -> None:
    out, ctx = run(MULTI, answer([O_RS, O_PY]))
    assert found(ctx) == [] and out == answer([O_RS, O_PY])
    assert found(run(MULTI, answer([]))[1]) == []


def test_multi_select_names_become_ids_per_element() -> None:
    value = [O_PY, "rust", "GO"]
    out, ctx = run(MULTI, answer(value))
    assert found(ctx) == []
    assert out == answer([O_PY, O_RS, O_GO])
    assert value == [O_PY, "rust", "GO"]
    assert [c.path for c in ctx.changes] == [f"{P0}/1", f"{P0}/2"]


def test_multi_select_errors_at_their_own_index() -> None:
    _, ctx = run(MULTI, answer([O_PY, "Cobol", 7, "python", O_GO, O_GO]))
    assert found(ctx) == [
        (f"{P0}/1", "answer.unknown_option", "error"),
        (f"{P0}/2", "answer.type", "error"),
        (f"{P0}/3", "answer.duplicate_option", "error"),
        (f"{P0}/5", "answer.duplicate_option", "error"),
    ]


def test_multi_select_needs_an_array() -> None:
    assert found(run(MULTI, answer(O_PY))[1]) == [(P0, "answer.type", "error")]
    assert found(run(MULTI, answer({"0": O_PY}))[1]) == [(P0, "answer.type", "error")]


# --------------------------------------------------------------------------- BOOLEAN


def test_boolean_is_strict() -> None:
    qs = one({"type": "BOOLEAN"})
    assert found(run(qs, answer(True))[1]) == []
    assert found(run(qs, answer(False))[1]) == []
    for bad in ("yes", "true", 1, 0, None, [True]):
        out, ctx = run(qs, answer(bad))
        assert found(ctx) == [(P0, "answer.type", "error")], bad
        assert out == answer(bad) and ctx.changes == []  # no coercion


# --------------------------------------------------------------------------- NUMBER


def test_number() -> None:
    qs = one({"type": "NUMBER", "display_type": "FIELD", "min": 0, "max": 50})
    for good in (0, 50, 49.99, 1e-9):
        assert found(run(qs, answer(good))[1]) == [], good
    for bad in (True, "5", None, float("nan"), float("inf")):
        assert found(run(qs, answer(bad))[1]) == [(P0, "answer.type", "error")], bad
    _, ctx = run(qs, answer(51))
    assert found(ctx) == [(P0, "answer.out_of_range", "error")]
    assert ctx.issues[0].message == 'Answer to "Q" must be at most 50.'
    _, ctx = run(qs, answer(-0.5))
    assert found(ctx) == [(P0, "answer.out_of_range", "error")]
    assert ctx.issues[0].message.endswith("must be at least 0.")


def test_number_message_names_the_question_by_title() -> None:
    _, ctx = run(JOB, [*MINIMAL, *answer(51, Q_YEAR)])
    assert [i.message for i in ctx.issues] == [
        'Answer to "Years of experience" must be at most 50.'
    ]
    assert found(ctx) == [(f"/{A}/3/answer", "answer.out_of_range", "error")]


def test_number_without_bounds() -> None:
    qs = one({"type": "NUMBER", "min": None, "max": None})
    assert found(run(qs, answer(-1e300))[1]) == []


# --------------------------------------------------------------------------- DATE


def test_date() -> None:
    qs = one({"type": "DATE"})
    for good in ("2025-03-01", "2025-03-01T09:30:00Z", "2025-03-01T09:30:00.123Z"):
        assert found(run(qs, answer(good))[1]) == [], good
    for bad in ("01.03.2025", "2025-02-30", "next monday", ""):
        assert found(run(qs, answer(bad))[1]) == [(P0, "answer.date", "error")], bad
    for bad_value in (20250301, True, None):
        assert found(run(qs, answer(bad_value))[1]) == [(P0, "answer.type", "error")]


def test_date_message_carries_the_date_checks_reason() -> None:
    qs = one({"type": "DATE"}, title="Start")
    _, ctx = run(qs, answer("2025-02-30"), date_check=lambda v: f"{v!r} is not a real date")
    assert ctx.issues[0].message == "Answer to \"Start\": '2025-02-30' is not a real date"


# --------------------------------------------------------------------------- FILE


FILE = one(
    {
        "type": "FILE",
        "accepted_mime_types": ["application/pdf", "image/*"],
        "max_file_size_bytes": 5,
    }
)


def file_answer(**kw: Any) -> list[dict[str, Any]]:
    return answer({"name": "sample.pdf", **kw})


def test_file_valid() -> None:
    # "SGVsbG8=" is 5 bytes ("Hello"): exactly the limit
    ok = file_answer(content_type="application/pdf", data="SGVsbG8=")
    assert found(run(FILE, ok)[1]) == []
    ok = file_answer(content_type="Image/PNG", data="SGVsbG8=")
    assert found(run(FILE, ok)[1]) == []


def test_file_must_be_an_object() -> None:
    assert found(run(FILE, answer("SGVsbG8="))[1]) == [(P0, "answer.type", "error")]


def test_file_mime_type() -> None:
    _, ctx = run(FILE, file_answer(content_type="application/zip", data="SGVsbG8="))
    assert found(ctx) == [(f"{P0}/content_type", "answer.mime_type", "error")]


def test_file_too_large_from_the_base64_length() -> None:
    _, ctx = run(FILE, file_answer(content_type="application/pdf", data="SGVsbG8h"))  # 6 bytes
    assert found(ctx) == [(f"{P0}/data", "answer.file_too_large", "error")]


def test_file_by_url_cannot_be_sized() -> None:
    _, ctx = run(FILE, file_answer(data_url="https://files.example.com/s.pdf"))
    assert found(ctx) == [(P0, "answer.file_size_unchecked", "warning")]


def test_file_without_limits() -> None:
    qs = one({"type": "FILE", "accepted_mime_types": None, "max_file_size_bytes": None})
    big = file_answer(content_type="x-custom/thing", data="QUFB" * 1000)
    assert found(run(qs, big)[1]) == []


# --------------------------------------------------------------------------- INFORMATION / UNKNOWN


def test_information_answer_is_a_warning() -> None:
    qs = one({"type": "INFORMATION"}, required=True)
    assert found(run(qs, [])[1]) == []  # an information block is never required
    assert found(run(qs, answer("read it"))[1]) == [(P0, "answer.not_expected", "warning")]


@pytest.mark.parametrize(
    "fmt", [{"type": "UNKNOWN", "raw_question": {"x": 1}}, {"type": "UNKNOWN"}, None]
)
@pytest.mark.parametrize("value", ["text", True, 3, [O_PY], {"name": "a.pdf", "data": "QQ=="}])
def test_unknown_or_null_format_is_unchecked(fmt: dict[str, Any] | None, value: Any) -> None:
    _, ctx = run(one(fmt), answer(value))
    assert found(ctx) == [(P0, "answer.unchecked", "warning")]


# --------------------------------------------------------------------------- required


def test_required_question_without_an_answer() -> None:
    _, ctx = run(JOB, MINIMAL[1:])
    assert found(ctx) == [(f"/{A}", "answer.required", "error")]
    assert ctx.issues[0].message == (
        'Answer to "Which is your primary programming language?" is required.'
    )


@pytest.mark.parametrize("answers", [None, []])
def test_required_when_the_array_is_absent_or_empty(answers: Any) -> None:
    out, ctx = run(JOB, answers)
    assert found(ctx) == [(f"/{A}", "answer.required", "error")] * 3
    assert out == ([] if answers == [] else None)


def test_required_null_or_false_is_optional() -> None:
    qs = Questions(
        [
            question(Q_LANG, "A", {"type": "BOOLEAN"}, required=None),
            question(Q_MAIL, "B", {"type": "BOOLEAN"}, required=False),
        ]
    )
    assert found(run(qs, [])[1]) == []


def test_required_with_an_empty_answer_is_a_warning() -> None:
    answers = [{"question_id": Q_LANG, "answer": "  "}, MINIMAL[1], *answer([], Q_SKIL)]
    _, ctx = run(JOB, answers)
    assert found(ctx) == [
        (f"/{A}/0/answer", "answer.empty", "warning"),
        (f"/{A}/2/answer", "answer.empty", "warning"),
    ]


def test_required_issues_come_first_in_document_order() -> None:
    _, ctx = run(JOB, [MINIMAL[0], *answer(51, Q_YEAR), *answer("x", "nope")])
    assert [i.path for i in ctx.issues] == [
        f"/{A}",
        f"/{A}",
        f"/{A}/1/answer",
        f"/{A}/2/question_id",
    ]


# --------------------------------------------------------------------------- preconditions


def test_boolean_precondition_met_makes_the_question_required() -> None:
    answers = [MINIMAL[0], *answer(True, Q_MOVE), MINIMAL[2]]
    _, ctx = run(JOB, answers)
    assert found(ctx) == [(f"/{A}", "answer.required", "error")]
    assert '"Preferred office"' in ctx.issues[0].message


def test_boolean_precondition_not_met_and_an_answer_anyway() -> None:
    answers = [*MINIMAL, *answer(O_BER, Q_CITY)]
    _, ctx = run(JOB, answers)
    assert found(ctx) == [(f"/{A}/3/answer", "answer.precondition_unmet", "warning")]
    assert "answered with true" in ctx.issues[0].message


def test_multi_select_precondition_any_overlap() -> None:
    answers = [MINIMAL[0], MINIMAL[1], *answer([O_PY, "go"], Q_SKIL)]  # name mapped first
    _, ctx = run(JOB, answers)
    assert found(ctx) == [(f"/{A}", "answer.required", "error")]
    assert "Go certification" in ctx.issues[0].message
    _, ctx = run(JOB, [*answers, *answer("GCP", Q_GOCE)])
    assert found(ctx) == []


def test_multi_select_precondition_no_overlap() -> None:
    answers = [*MINIMAL, *answer("GCP", Q_GOCE)]
    _, ctx = run(JOB, answers)
    assert found(ctx) == [(f"/{A}/3/answer", "answer.precondition_unmet", "warning")]
    assert "answered with 'Go'" in ctx.issues[0].message


def test_single_select_precondition_and_chains() -> None:
    qs = Questions(
        [
            question(Q_CITY, "Office", {"type": "SINGLE_SELECT", "options": CITY_OPTIONS}),
            question(
                Q_MAIL,
                "Desk near the window?",
                {"type": "BOOLEAN"},
                required=True,
                precondition_question_id=Q_CITY,
                precondition_options=[O_BER, O_MUC],
            ),
            question(
                Q_DATE,
                "Since when?",
                {"type": "DATE"},
                required=True,
                precondition_question_id=Q_MAIL,
                precondition_options=[True],
            ),
        ]
    )
    assert found(run(qs, answer(O_REM, Q_CITY))[1]) == []
    assert found(run(qs, [])[1]) == []  # precondition question unanswered: not asked
    _, ctx = run(qs, answer("berlin", Q_CITY))
    assert found(ctx) == [(f"/{A}", "answer.required", "error")]
    _, ctx = run(qs, [*answer(O_MUC, Q_CITY), *answer(True, Q_MAIL)])
    assert found(ctx) == [(f"/{A}", "answer.required", "error")]
    assert '"Since when?"' in ctx.issues[0].message
    # the middle question is not asked, so neither is the last one, whatever its answer
    _, ctx = run(qs, [*answer(O_REM, Q_CITY), *answer(True, Q_MAIL), *answer("2025-01-01", Q_DATE)])
    assert found(ctx) == [
        (f"/{A}/1/answer", "answer.precondition_unmet", "warning"),
        (f"/{A}/2/answer", "answer.precondition_unmet", "warning"),
    ]


def test_precondition_booleans_do_not_match_strings() -> None:
    qs = Questions(
        [
            question(Q_MOVE, "Move?", {"type": "BOOLEAN"}),
            question(
                Q_CITY,
                "Where?",
                {"type": "TEXT"},
                required=True,
                precondition_question_id=Q_MOVE,
                precondition_options=[True],
            ),
        ]
    )
    _, ctx = run(qs, answer("true", Q_MOVE))
    assert found(ctx) == [(f"/{A}/0/answer", "answer.type", "error")]  # and not required


def test_precondition_on_a_question_the_job_lacks_cannot_be_decided() -> None:
    qs = Questions(
        [
            question(
                Q_CITY,
                "Where?",
                {"type": "TEXT"},
                required=True,
                precondition_question_id=Q_NONE,
                precondition_options=[True],
            )
        ]
    )
    assert found(run(qs, [])[1]) == []
    assert found(run(qs, answer("Berlin", Q_CITY))[1]) == []


# --------------------------------------------------------------------------- question ids


def test_answer_to_an_unknown_question_is_a_warning() -> None:
    _, ctx = run(JOB, [*MINIMAL, {"question_id": "NotAQuestionOfThisJob123", "answer": "x"}])
    assert found(ctx) == [(f"/{A}/3/question_id", "answer.unknown_question", "warning")]


def test_the_same_question_twice_is_an_error_at_the_second() -> None:
    _, ctx = run(JOB, [*MINIMAL, {"question_id": Q_LANG, "answer": 5}])
    assert found(ctx) == [(f"/{A}/3/question_id", "answer.duplicate", "error")]
    assert ctx.issues[0].message.endswith(f"is already answered at /{A}/0.")


def test_no_questions_at_all() -> None:
    qs = Questions([])
    assert found(run(qs, None)[1]) == []
    assert found(run(qs, answer("x"))[1]) == [
        (f"/{A}/0/question_id", "answer.unknown_question", "warning")
    ]


# --------------------------------------------------------------------------- junk and the core


@pytest.mark.parametrize("answers", ["yes", 3, {"question_id": Q_LANG}, True])
def test_answers_that_are_not_a_list_are_left_to_the_core(answers: Any) -> None:
    out, ctx = run(JOB, answers)
    assert out is None and found(ctx) == []


def test_junk_items_are_left_to_the_core() -> None:
    answers = [
        None,
        "x",
        [1],
        {"question_id": 5, "answer": "x"},
        {"answer": "x"},
        {"question_id": Q_LANG},  # no answer: the core's schema.required; counts as answered
        *MINIMAL[1:],
    ]
    out, ctx = run(JOB, answers)
    assert found(ctx) == []
    assert out == answers


def test_an_answer_the_core_already_reported_is_not_checked_again() -> None:
    ctx = Ctx()
    ctx.error((A, 0, "answer"), "answer.invalid_shape", "core says")
    qs = one({"type": "BOOLEAN"})
    qs.check_answers(answer({"bad": 1}), ctx, (A,), date_check=fake_date_check)
    assert found(ctx) == [(P0, "answer.invalid_shape", "error")]
    ctx = Ctx()
    ctx.error((A, 0, "answer", "data"), "attachment.base64_invalid", "core says")
    FILE.check_answers(
        file_answer(content_type="text/x", data="!!"), ctx, (A,), date_check=fake_date_check
    )
    assert found(ctx) == [(f"{P0}/data", "attachment.base64_invalid", "error")]


def test_the_path_prefix_is_honoured() -> None:
    ctx = Ctx()
    JOB.check_answers([*MINIMAL, *answer(99, Q_YEAR)], ctx, ("body", A), date_check=fake_date_check)
    assert found(ctx) == [(f"/body/{A}/3/answer", "answer.out_of_range", "error")]


def test_check_answers_never_raises_on_odd_values() -> None:
    class Weird:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no")

        __hash__ = object.__hash__

    odd = [float("nan"), Weird(), b"bytes", (1, 2), {1, 2}, object(), 10**400]
    for qs in (JOB, MULTI, FILE, one({"type": "NUMBER", "min": 0, "max": 1})):
        for value in odd:
            for qid in qs.ids:
                run(qs, answer(value, qid))
                run(qs, answer([value], qid))
