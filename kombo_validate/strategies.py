"""Hypothesis strategies for Kombo "Create application" payloads (the ``hypothesis`` extra).

For your own property tests::

    from hypothesis import given
    from kombo_validate import check
    from kombo_validate.strategies import wire_bodies

    @given(wire_bodies())
    def test_my_client_sends_valid_payloads(body):
        assert check(body).ok

Everything is drawn from the loaded spec at runtime (enums, required sets,
patterns, the date and attachment shapes), so the strategies follow a new
spec version; pass ``validator=Validator(spec)`` to draw for another document.
``questions=``/``restrictions=`` take the job's screening questions and the
integration's attachment restrictions, as ``check`` does.
"""

from __future__ import annotations

from typing import Any

try:
    import hypothesis  # noqa: F401
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "kombo_validate.strategies needs Hypothesis: pip install 'kombo_validate[hypothesis]'"
    ) from None

from hypothesis.strategies import SearchStrategy

from . import _strategies as _impl

__all__ = [
    "answers_for",
    "invalid_bodies",
    "json_values",
    "questions",
    "raw_bodies",
    "wire_bodies",
]


def wire_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> SearchStrategy[dict[str, Any]]:
    """Valid bodies already in wire form: ``check(x).ok`` and ``check(x).body == x``.

    Small by default (a few optional fields, short base64 attachments). With
    ``questions``, the answers fit the job's questions; with ``restrictions``,
    the attachments fit the integration's limits.
    """
    return _impl.wire_bodies(questions=questions, restrictions=restrictions, validator=validator)


def raw_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> SearchStrategy[Any]:
    """Valid bodies in the forms users pass, which ``check`` normalises to a valid wire body.

    Lowercase enums and countries, alpha-3 codes and country names, ``date`` and
    aware ``datetime`` objects, ISO strings with a UTC offset, bytes for
    ``data``, ``data:`` URIs, MIME-wrapped base64, content types with
    parameters or left to be inferred, ``None`` optionals, tuples, ``str``
    subclasses and ``(str, Enum)`` members.
    """
    return _impl.raw_bodies(questions=questions, restrictions=restrictions, validator=validator)


def invalid_bodies(
    *, questions: Any = None, restrictions: Any = None, validator: Any = None
) -> SearchStrategy[tuple[Any, str, str]]:
    """``(body, path, code)``: a valid body with one known defect, reported at ``path``.

    ``check(body)`` reports an error with ``code`` at ``path`` (a JSON Pointer),
    and every other issue it reports sits at ``path`` or below it.
    """
    return _impl.invalid_bodies(questions=questions, restrictions=restrictions, validator=validator)


def questions(*, max_questions: int = 6) -> SearchStrategy[list[dict[str, Any]]]:
    """A job's ``screening_questions`` as ``GET /ats/jobs`` returns them.

    Every format type of the schema, options, bounds, accepted MIME types, and
    preconditions on earlier select or boolean questions.
    """
    return _impl.questions(max_questions=max_questions)


def answers_for(questions: Any, *, validator: Any = None) -> SearchStrategy[list[Any]]:
    """Valid ``screening_question_answers`` for ``questions`` (preconditions honoured)."""
    return _impl.answers_for(questions, validator=validator)


def json_values() -> SearchStrategy[Any]:
    """Arbitrary JSON-like and non-JSON Python values, for robustness tests.

    Big integers, NaN and infinities, lone surrogates, subclasses of JSON
    types, bytes, sets, dates, decimals, arbitrary objects, non-string keys,
    reference cycles and nesting deeper than the core accepts.
    """
    return _impl.json_values()
