"""A job's screening questions, checked against a body's ``screening_question_answers``.

The input is the job's ``screening_questions`` exactly as ``GET /ats/jobs``
returns them (``data.results[].screening_questions``), or the job object itself.
It is checked against ``spec/screening-questions.schema.json`` (transcribed from
Kombo's ``GetAtsJobsPositiveResponse``) and compiled once into one small,
immutable checker per question, so a job board checking thousands of
applications for one job prepares the job once.

One concern a module: ``schema`` reads and validates the input, ``model``
compiles it (one :class:`~.model.Question` each, their formats from
``answer_formats``), ``compiled`` is the :class:`Questions` façade and its
cache, ``answers`` the answers algorithm (where each issue goes is said there).
"""

from __future__ import annotations

from ..answer_formats import DateCheck
from ..rules.emails import is_email
from ..rules.uris import is_http_url
from .compiled import Questions
from .schema import SCHEMA_FILE, schema_path

__all__ = [
    "SCHEMA_FILE",
    "DateCheck",
    "Questions",
    "is_email",
    "is_http_url",
    "schema_path",
]
