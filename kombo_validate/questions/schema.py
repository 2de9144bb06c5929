"""The questions as given: read as JSON data, checked against the bundled schema.

The input is the job's ``screening_questions`` exactly as ``GET /ats/jobs``
returns them (``data.results[].screening_questions``), or the job object itself
(a dict, or the official SDK's model). It is read without running the caller's
code (but an SDK model's ``model_dump``) and checked against
``spec/screening-questions.schema.json`` (transcribed from Kombo's
``GetAtsJobsPositiveResponse``); anything wrong is a
:class:`~kombo_validate.issues.ContextError` naming the question and the field.
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..answer_formats import kind_of
from ..issues import EXCERPT_CHARS, LISTED, ContextError, excerpt, listing, type_name
from ..jsondata import plain_json

__all__ = ["SCHEMA_FILE", "plain", "question_items", "schema_path", "validate"]

SCHEMA_FILE = "screening-questions.schema.json"


def schema_path() -> pathlib.Path:
    """The shipped schema: inside the wheel, else the source checkout's ``spec/``."""
    here = pathlib.Path(__file__).resolve().parent.parent
    for candidate in (here / "_spec" / SCHEMA_FILE, here.parent / "spec" / SCHEMA_FILE):
        if candidate.is_file():
            return candidate
    raise ContextError(f"the bundled schema {SCHEMA_FILE} is missing from the installation")


@lru_cache(maxsize=1)
def _schema() -> Any:
    return json.loads(schema_path().read_text(encoding="utf-8"))


#: errors kept per branch of an ``anyOf`` (python-jsonschema keeps every one: 100,000
#: bad array elements under an ``anyOf`` of array types built 300,000 errors)
_BRANCH_ERRORS = 20
#: top-level schema errors read for the message; past it the count is given as a bound
_ERRORS_READ = 1_000


@lru_cache(maxsize=1)
def _validator() -> Any:
    """python-jsonschema: precise errors, for the message when the questions are malformed.

    Its ``anyOf`` keeps at most ``_BRANCH_ERRORS`` errors of each branch as the error's
    context (what ``best_match`` descends into), so one error costs what its first few
    causes cost, however many elements fail the same way."""
    from itertools import islice

    from jsonschema import Draft202012Validator, ValidationError
    from jsonschema.validators import extend

    def any_of(validator: Any, any_of: Any, instance: Any, schema: Any) -> Any:
        context: list[Any] = []
        for index, subschema in enumerate(any_of):
            errors = list(
                islice(validator.descend(instance, subschema, schema_path=index), _BRANCH_ERRORS)
            )
            if not errors:
                return
            context.extend(errors)
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas", context=context
        )

    return extend(Draft202012Validator, validators={"anyOf": any_of})(_schema())


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """jsonschema-rs: the quick yes (some 200× faster), so that valid questions compile fast."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema(), validate_formats=False)


#: what ``_dump`` passes on as it is: JSON's own types (and subclasses), and mappings
_PLAIN_TYPES = (dict, list, tuple, str, int, float, type(None))


def _reason(exc: BaseException) -> str:
    """An exception's message, bounded, never running more code that may raise."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    text = text if len(text) <= 200 else text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _dump(value: object) -> object:
    """Plain data from an official-SDK (pydantic) model; anything else unchanged."""
    t = type(value)
    if issubclass(t, _PLAIN_TYPES) or issubclass(t, Mapping):
        return value
    try:
        dump = getattr(value, "model_dump", None)
        if not callable(dump):
            return value
        return dump(mode="json", by_alias=True)
    except Exception as exc:
        raise ContextError(f"cannot read the {type_name(value)} given: {_reason(exc)}") from None


def _field_name(parts: Sequence[object]) -> str:
    """``format.options[0].id``: each key cut to an excerpt, the whole to a few of them."""
    out = ""
    for n, part in enumerate(parts):
        if n == 8:
            return out + "…"
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            text = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
            out += f".{text}" if out else text
    return out


def _question_name(items: Sequence[object], index: object) -> str:
    if not isinstance(index, int):
        return "questions"
    item = items[index] if 0 <= index < len(items) else None
    qid = item.get("id") if isinstance(item, Mapping) else None
    return f"screening question {index}" + (f" (id {excerpt(qid)})" if isinstance(qid, str) else "")


def plain(items: list[object]) -> list[object]:
    """The questions as exact JSON data (``jsondata.plain_json``): a non-finite bound, a
    value that is not JSON, nesting past 64 levels are refused here, naming the place."""
    data, path, problem = plain_json(items)
    if problem is None:
        return data  # type: ignore[no-any-return]
    where = _field_name(path[1:])
    raise ContextError(
        f"{_question_name(data, path[0] if path else None)}: "
        + (f"{where}: " if where else "")
        + problem
    )


def validate(items: list[object]) -> None:
    """Raise a ContextError naming the first malformed question and its field, if any."""
    from jsonschema.exceptions import best_match

    try:
        if _fast_validator().is_valid(items):
            return
    except Exception:  # a value jsonschema-rs cannot take (not JSON): let jsonschema say
        pass
    from itertools import islice

    errors = list(islice(_validator().iter_errors(items), _ERRORS_READ + 1))
    if not errors:
        return
    bounded = len(errors) > _ERRORS_READ
    del errors[_ERRORS_READ:]
    first_index = min(e.absolute_path[0] if e.absolute_path else -1 for e in errors)
    mine = [e for e in errors if (e.absolute_path[0] if e.absolute_path else -1) == first_index]
    error = best_match(mine)
    where = list(error.absolute_path)[1:]
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    more = len(errors) - 1
    raise ContextError(
        f"{_question_name(items, first_index)}: "
        + (f"{_field_name(where)}: " if where else "")
        + message
        + (
            f" (and over {more} more problems in the questions)"
            if bounded
            else f" (and {more} more problem(s) in the questions)"
            if more
            else ""
        )
    )


def _key_text(key: object) -> str:
    return key if type(key) is str else excerpt(key)


def _pairs(raw: object) -> list[tuple[object, object]]:
    """An object's (key, value) pairs, read as the walk reads a body: a dict (or subclass)
    through ``dict.items`` (never an override); another mapping through its protocol,
    anything it raises a ContextError."""
    if issubclass(type(raw), dict):
        return list(dict.items(raw))  # type: ignore[arg-type]
    try:
        return list(raw.items())  # type: ignore[attr-defined]
    except Exception as exc:
        raise ContextError(
            f"cannot read the {type_name(raw)} given as questions: {_reason(exc)}"
        ) from None


def _named(pairs: list[tuple[object, object]], name: str) -> tuple[bool, object]:
    """(found, value) of the key ``name``: keys compared as exact strings (a str subclass's
    content; no key's ``__eq__`` or ``__hash__`` runs)."""
    for key, value in pairs:
        if issubclass(type(key), str) and str.__str__(key) == name:
            return True, value
    return False, None


def question_items(raw: object) -> list[object]:
    """The question list of ``raw`` (a job, or its list), read without running the
    caller's code (but an SDK model's ``model_dump``): the items as given."""
    raw = _dump(raw)
    where = "questions"
    t = type(raw)
    if not issubclass(t, (list, tuple)) and (issubclass(t, dict) or issubclass(t, Mapping)):
        pairs = _pairs(raw)
        found, value = _named(pairs, "screening_questions")
        if not found:
            data = _named(pairs, "data")[1]
            if issubclass(type(data), dict) and _named(_pairs(data), "results")[0]:
                raise ContextError(
                    "questions must be one job (data.results[i] of GET /ats/jobs) or its "
                    "screening_questions, not the whole response"
                )
            keys = listing([_key_text(k) for k, _ in pairs[:LISTED]], len(pairs))
            raise ContextError(
                "questions must be a job's screening_questions list (GET /ats/jobs → "
                "data.results[].screening_questions) or a job object that has that key; "
                f"got an object with keys {keys}"
            )
        raw = _dump(value)
        t = type(raw)
        where = "job.screening_questions"
    if issubclass(t, list):
        items: list[object] = list(list.__iter__(raw))  # type: ignore[arg-type]
    elif issubclass(t, tuple):
        items = list(tuple.__iter__(raw))  # type: ignore[arg-type]
    else:
        raise ContextError(f"{where} must be a list of screening questions, got {kind_of(raw)}")
    return [_dump(item) for item in items]
