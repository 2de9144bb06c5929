"""What a hostile case is, and the small builders every family shares.

A :class:`Case` is cheap to list: ``make`` is a closure that builds the (possibly
huge, cyclic or booby-trapped) inputs only when the worker runs the case, so a
case list can be enumerated in the parent and in every worker alike, and no
hostile object ever crosses a process boundary.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tests import helpers

#: The kinds a worker knows how to run (see ``worker.run_case``).
KINDS = (
    "check",
    "prepare",
    "python",
    "request",
    "questions",
    "restrictions",
    "cli",
    "threads",
    "spec",
    "probe",  # the harness's self-test only
)


@dataclass(frozen=True)
class Case:
    """One hostile case: ``make()`` builds its inputs inside the worker.

    For the API kinds ``make()`` returns a dict with ``body`` and optionally
    ``questions``, ``restrictions``, ``personal`` (strings the messages may quote
    at most 40 characters of) and ``allowed`` (names of the documented exceptions
    that are a fine outcome here). ``cli`` cases get a scratch directory:
    ``make(tmp)``; ``threads`` cases return ``bodies`` and ``threads``.
    """

    name: str
    kind: str
    make: Callable[..., dict[str, Any]]
    quick: bool = False
    tags: tuple[str, ...] = field(default=())


def rng(family: str, salt: int = 0) -> random.Random:
    """The family's seeded generator: the same cases on every run and machine."""
    return random.Random(f"kombo-hostile/{family}/{salt}")


#: the smallest valid body, with candidate fields overridden
minimal = helpers.minimal


def example() -> dict[str, Any]:
    """The spec's own example request (a fresh copy), every part of the body in use."""
    return {
        "candidate": {
            "first_name": "Frank",
            "last_name": "Doe",
            "company": "Acme Inc.",
            "title": "Head of Integrations",
            "email_address": "frank.doe@example.com",
            "phone_number": "+1-541-754-3010",
            "gender": "MALE",
            "salary_expectations": {"amount": 100000, "period": "YEAR"},
            "availability_date": "2021-01-01",
            "location": {"city": "New York", "zip_code": "10016", "state": "NY", "country": "US"},
        },
        "stage_id": "8x3YKRDcuRnwShdh96ShBNn1",
        "attachments": [
            {
                "name": "Frank Doe CV.txt",
                "data": "SGkgdGhlcmUsIEtvbWJvIGlzIGN1cnJlbnRseSBoaXJpbmcgZW5naW5lZXJz",
                "type": "CV",
                "content_type": "text/plain",
            }
        ],
        "screening_question_answers": [
            {"question_id": "3phFBNXRweGnDmsU9o2vdPuQ", "answer": "Yes"},
        ],
    }


# Kombo ids: 24 characters of base58
QID = "26vafvWSRmbhNcxJYqjCzuJg"
QID2 = "3phFBNXRweGnDmsU9o2vdPuQ"
OPT = "GUzE666zfyjeoCJX6A8n7wh6"
OPT2 = "5WPHzzKAv8cx97KtHRUV96U8"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def kombo_id(n: int) -> str:
    """A distinct, valid Kombo id for every ``n``."""
    out = []
    for _ in range(24):
        n, r = divmod(n, 58)
        out.append(_B58[r])
    return "".join(reversed(out))


def question(qid: str, fmt: Any, **extra: Any) -> dict[str, Any]:
    """A question shaped like GET /ats/jobs returns it (``fmt`` may be anything hostile)."""
    title = extra.pop("title", "T")
    # helpers.question derives remote_id from the id (qid[:6]): a hostile id goes in after
    q = helpers.question(QID, title, fmt, **{"remote_id": "remote-1", **extra})
    q["id"] = qid
    return q


def answered(answer: Any, qid: str = QID, **candidate: Any) -> dict[str, Any]:
    """A minimal body answering question ``qid``."""
    return {
        **minimal(**candidate),
        "screening_question_answers": [{"question_id": qid, "answer": answer}],
    }


def attachment_body(**fields: Any) -> dict[str, Any]:
    """A minimal body with one CV attachment carrying ``fields``."""
    att: dict[str, Any] = {"name": "cv.pdf", "type": "CV"}
    att.update(fields)
    return {**minimal(), "attachments": [att]}


#: Where a free value can go in a body: name -> function(value) -> body.
def _place_remote(v: Any) -> dict[str, Any]:
    return {**minimal(), "remote_fields": {"x": v}}


PLACES: dict[str, Callable[[Any], Any]] = {
    "root": lambda v: v,
    "candidate": lambda v: {"candidate": v},
    "first_name": lambda v: minimal(first_name=v),
    "location": lambda v: minimal(location=v),
    "salary": lambda v: minimal(salary_expectations=v),
    "remote_fields": _place_remote,
    "remote_fields_root": lambda v: {**minimal(), "remote_fields": v},
    "unknown_key": lambda v: {**minimal(), "extra": v},
    "attachments": lambda v: {**minimal(), "attachments": v},
    "attachment_data": lambda v: attachment_body(data=v, content_type="text/plain"),
    "answers": lambda v: {**minimal(), "screening_question_answers": v},
    "answer": lambda v: answered(v),
    "source": lambda v: {**minimal(), "source": v},
    "gdpr": lambda v: {**minimal(), "gdpr_consent": v},
}


def api_case(
    name: str,
    build: Callable[[], dict[str, Any]],
    *,
    kinds: Iterable[str] = ("check",),
    quick: bool = False,
    tags: tuple[str, ...] = (),
) -> list[Case]:
    """The same inputs through each API in ``kinds`` (check, prepare, python, request)."""
    return [Case(f"{name}:{k}", k, build, quick=quick, tags=tags) for k in kinds]


def pick_quick(cases: list[Case], every: int, also: Iterable[str] = ()) -> list[Case]:
    """Mark every ``every``-th case quick (the hand-written core ones stay quick, and so do
    the cases named in ``also``: one reproducer of each known failure, so that the quick
    run sees it fixed); a case tagged ``slow`` (near the wall bound on a busy machine) is
    never picked by the stride."""
    named = set(also)
    out = []
    for i, c in enumerate(cases):
        if c.name in named or (not c.quick and i % every == 0 and "slow" not in c.tags):
            c = Case(c.name, c.kind, c.make, quick=True, tags=c.tags)
        out.append(c)
    missing = named - {c.name for c in out}
    if missing:
        raise ValueError(f"pick_quick: no such cases: {sorted(missing)}")
    return out
