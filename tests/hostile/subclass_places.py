"""Where the hostile subclasses go: for each built-in type, the places in a body, a job's
questions or an integration's restrictions that take a value of that type, with the
plain value each hostile instance is built from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import OPT, QID, answered, attachment_body, minimal, question

_NUMBER_Q = [question(QID, {"type": "NUMBER", "min": 0, "max": 10})]
_TEXT_Q = [question(QID, {"type": "TEXT", "max_length": 10})]
_FILE_Q = [question(QID, {"type": "FILE", "max_file_size_bytes": 100})]
_MULTI_Q = [question(QID, {"type": "MULTI_SELECT", "options": [{"id": OPT, "name": "Py"}]})]
_RESTR = {
    "types": {
        "CV": {
            "is_supported": True,
            "max_amount": 2,
            "max_file_size_bytes": 100,
            "accepted_mime_types": ["text/plain"],
        }
    }
}


def body_with(body: Any, **ctx: Any) -> dict[str, Any]:
    return {"body": body, **ctx}


#: per base type: place -> (the plain value it is built from, value -> inputs)
PLACES: dict[type, dict[str, tuple[Any, Callable[[Any], dict[str, Any]]]]] = {
    dict: {
        "root": (
            {"candidate": {"first_name": "A", "last_name": "B", "email_address": "a@example.com"}},
            body_with,
        ),
        "candidate": (
            {"first_name": "A", "last_name": "B", "email_address": "a@example.com"},
            lambda v: body_with({"candidate": v}),
        ),
        "location": ({"city": "Berlin", "country": "DE"}, lambda v: body_with(minimal(location=v))),
        "salary": (
            {"amount": 1, "period": "YEAR"},
            lambda v: body_with(minimal(salary_expectations=v)),
        ),
        "remote_fields": ({"a": 1}, lambda v: body_with({**minimal(), "remote_fields": v})),
        "attachment": (
            {"name": "a.txt", "type": "CV", "data": "QUFB", "content_type": "text/plain"},
            lambda v: body_with({**minimal(), "attachments": [v]}, restrictions=_RESTR),
        ),
        "answer_item": (
            {"question_id": QID, "answer": "x"},
            lambda v: body_with(
                {**minimal(), "screening_question_answers": [v]}, questions=_TEXT_Q
            ),
        ),
        "question": (
            question(QID, {"type": "TEXT"}),
            lambda v: body_with(answered("x"), questions=[v]),
        ),
        "restrictions": (_RESTR, lambda v: body_with(answered("x"), restrictions=v)),
    },
    list: {
        "attachments": (
            [{"name": "a", "type": "CV", "data_url": "https://example.com/a"}],
            lambda v: body_with({**minimal(), "attachments": v}),
        ),
        "answers": (
            [{"question_id": QID, "answer": "x"}],
            lambda v: body_with({**minimal(), "screening_question_answers": v}),
        ),
        "multi_answer": ([OPT], lambda v: body_with(answered(v), questions=_MULTI_Q)),
        "remote_fields": ([1, "a"], lambda v: body_with({**minimal(), "remote_fields": {"x": v}})),
        "questions": (
            [question(QID, {"type": "TEXT"})],
            lambda v: body_with(answered("x"), questions=v),
        ),
        "options": (
            [{"id": OPT, "name": "Py"}],
            lambda v: body_with(
                answered(OPT), questions=[question(QID, {"type": "SINGLE_SELECT", "options": v})]
            ),
        ),
        "mime_types": (
            ["text/plain"],
            lambda v: body_with(
                {
                    **minimal(),
                    "attachments": [
                        {
                            "name": "a.txt",
                            "type": "CV",
                            "data": "QUFB",
                            "content_type": "text/plain",
                        }
                    ],
                },
                restrictions={"types": {"CV": {"is_supported": True, "accepted_mime_types": v}}},
            ),
        ),
    },
    tuple: {
        "attachments": (
            ({"name": "a", "type": "CV", "data_url": "https://example.com/a"},),
            lambda v: body_with({**minimal(), "attachments": v}),
        ),
        "multi_answer": ((OPT,), lambda v: body_with(answered(v), questions=_MULTI_Q)),
        "remote_fields": ((1, "a"), lambda v: body_with({**minimal(), "remote_fields": {"x": v}})),
    },
    str: {
        "first_name": ("Ada", lambda v: body_with(minimal(first_name=v))),
        "email": ("ada@example.com", lambda v: body_with(minimal(email_address=v))),
        "gender": ("female", lambda v: body_with(minimal(gender=v))),
        "date": ("2021-01-01T10:00:00+02:00", lambda v: body_with(minimal(availability_date=v))),
        "country": ("Germany", lambda v: body_with(minimal(location={"country": v}))),
        "content_type": (
            "Text/Plain; charset=utf-8",
            lambda v: body_with(attachment_body(data="QUFB", content_type=v)),
        ),
        "data": ("data:text/plain;base64,QUFB", lambda v: body_with(attachment_body(data=v))),
        "data_url": ("https://example.com/a.pdf", lambda v: body_with(attachment_body(data_url=v))),
        "question_id": (
            QID,
            lambda v: body_with(
                {**minimal(), "screening_question_answers": [{"question_id": v, "answer": "x"}]},
                questions=_TEXT_Q,
            ),
        ),
        "answer": ("x", lambda v: body_with(answered(v), questions=_TEXT_Q)),
        "key": (
            "first_name",
            lambda v: body_with(
                {"candidate": {v: "Ada", "last_name": "L", "email_address": "a@example.com"}}
            ),
        ),
        "q_id": (
            QID,
            lambda v: body_with(answered("x"), questions=[question(v, {"type": "TEXT"})]),
        ),
        "option_id": (
            OPT,
            lambda v: body_with(
                answered(OPT),
                questions=[
                    question(QID, {"type": "SINGLE_SELECT", "options": [{"id": v, "name": "Py"}]})
                ],
            ),
        ),
        "mime": (
            "text/plain",
            lambda v: body_with(
                attachment_body(data="QUFB", content_type="text/plain"),
                restrictions={"types": {"CV": {"is_supported": True, "accepted_mime_types": [v]}}},
            ),
        ),
    },
    int: {
        "amount": (
            100000,
            lambda v: body_with(minimal(salary_expectations={"amount": v, "period": "YEAR"})),
        ),
        "number_answer": (5, lambda v: body_with(answered(v), questions=_NUMBER_Q)),
        "max_length": (
            10,
            lambda v: body_with(
                answered("x"), questions=[question(QID, {"type": "TEXT", "max_length": v})]
            ),
        ),
        "max_file_size": (
            100,
            lambda v: body_with(
                answered({"name": "a.txt", "data": "QUFB", "content_type": "text/plain"}),
                questions=[question(QID, {"type": "FILE", "max_file_size_bytes": v})],
            ),
        ),
        "max_amount": (
            2,
            lambda v: body_with(
                attachment_body(data="QUFB", content_type="text/plain"),
                restrictions={"types": {"CV": {"is_supported": True, "max_amount": v}}},
            ),
        ),
        "remote": (7, lambda v: body_with({**minimal(), "remote_fields": {"x": v}})),
    },
    float: {
        "amount": (
            1.5,
            lambda v: body_with(minimal(salary_expectations={"amount": v, "period": "YEAR"})),
        ),
        "number_answer": (2.5, lambda v: body_with(answered(v), questions=_NUMBER_Q)),
        "min": (
            0.5,
            lambda v: body_with(
                answered(3), questions=[question(QID, {"type": "NUMBER", "min": v})]
            ),
        ),
        "total_size": (
            1e6,
            lambda v: body_with(
                attachment_body(data="QUFB", content_type="text/plain"),
                restrictions={"total_size_bytes": v},
            ),
        ),
    },
    bytes: {
        "data": (b"abc", lambda v: body_with(attachment_body(data=v, content_type="text/plain"))),
        "file_answer": (
            b"abc",
            lambda v: body_with(
                answered({"name": "a.txt", "data": v, "content_type": "text/plain"}),
                questions=_FILE_Q,
            ),
        ),
        "first_name": (b"Ada", lambda v: body_with(minimal(first_name=v))),
    },
}
