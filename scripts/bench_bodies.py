"""Payloads, job questions and schemas for ``scripts/bench.py`` (importable by tests).

Everything is deterministic (seeded), built from the bundled spec, and returned
as fresh objects on every call, so a benchmark can never be skewed by a caller
having mutated a shared body.

- :func:`example` — the spec's own request example (``example1``)
- :func:`large_body` / :func:`large_questions` — 5 attachments, 30 answers,
  every candidate field, and the job's 30 screening questions (the shape
  ``GET /ats/jobs`` returns) that those answers fit
- :func:`attachment_body` — the example plus one 2 MiB attachment
- :func:`invalid_body` — the example with exactly 3 defects
- :func:`schema_errors_body` / :func:`unknown_keys_body` — n schema errors / unknown
  keys, for the scaling rows
- :func:`request_schema` — the request-body JSON Schema, ``$ref`` resolved
- :func:`write_fixtures` — example-sized JSON fixture files for the CLI rows
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "spec" / "create-application.openapi.yaml"
OPERATION_PATH = "/ats/jobs/{job_id}/applications"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Kombo ids: 24 characters of the base58 alphabet (the spec's id pattern).
_ID_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

Json = Any


@functools.cache
def _spec_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@functools.cache
def _load_spec_cached(path: Path) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc: dict[str, Any] = yaml.load(_spec_text(path), Loader=loader)
    return doc


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The OpenAPI document (a private deep copy)."""
    return copy.deepcopy(_load_spec_cached(path))


def _operation(spec: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = spec["paths"][OPERATION_PATH]["post"]
    return op


def example(spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """The spec's request example, a fresh copy."""
    doc = spec if spec is not None else _load_spec_cached(SPEC_PATH)
    content = _operation(doc)["requestBody"]["content"]["application/json"]
    return copy.deepcopy(content["examples"]["example1"]["value"])


def _resolve(node: Json, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Json:
    """Inline every local ``#/...`` ``$ref`` (the request body has no cycles)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                raise ValueError(f"cyclic $ref {ref}")
            target: Json = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            merged = dict(_resolve(target, root, (*seen, ref)))
            merged.update({k: _resolve(v, root, seen) for k, v in node.items() if k != "$ref"})
            return merged
        return {k: _resolve(v, root, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, root, seen) for v in node]
    return node


def request_schema(spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """The request body's JSON Schema with refs resolved and the 2020-12 dialect set."""
    doc = spec if spec is not None else _load_spec_cached(SPEC_PATH)
    raw = _operation(doc)["requestBody"]["content"]["application/json"]["schema"]
    schema: dict[str, Any] = _resolve(raw, doc)
    return {"$schema": DIALECT, **schema}


# --------------------------------------------------------------------------- helpers


def _ids(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_ID_ALPHABET) for _ in range(24)) for _ in range(n)]


def _b64(rng: random.Random, size: int) -> str:
    return base64.b64encode(rng.randbytes(size)).decode("ascii")


def _attachment(rng: random.Random, i: int, kind: str, size: int) -> dict[str, Any]:
    names = ("cv.pdf", "cover-letter.txt", "portfolio.pdf", "certificate.png", "reference.txt")
    types = ("application/pdf", "text/plain", "application/pdf", "image/png", "text/plain")
    return {
        "name": f"Jane Roe {names[i % 5]}",
        "data": _b64(rng, size),
        "type": kind,
        "content_type": types[i % 5],
    }


# --------------------------------------------------------------------------- large body


def _options(rng: random.Random, names: list[str]) -> list[dict[str, Any]]:
    return [
        {"id": oid, "remote_id": str(100 + n), "name": name}
        for n, (oid, name) in enumerate(zip(_ids(rng, len(names)), names, strict=True))
    ]


def _question(
    qid: str, index: int, title: str, fmt: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    q: dict[str, Any] = {
        "id": qid,
        "remote_id": f"q-{index}",
        "title": title,
        "description": None,
        "category": None,
        "required": True,
        "format": fmt,
        "index": index,
        "precondition_question_id": None,
        "precondition_options": None,
    }
    q.update(extra)
    return q


@functools.cache
def _large_pair() -> tuple[str, str]:
    """(body JSON, questions JSON): built once, handed out as fresh copies."""
    rng = random.Random(20240501)
    qids = _ids(rng, 30)
    questions: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []

    def add(title: str, fmt: dict[str, Any] | None, answer: Any, **extra: Any) -> None:
        i = len(questions)
        questions.append(_question(qids[i], i, title, fmt, **extra))
        answers.append({"question_id": qids[i], "answer": answer})

    yes_no = _options(rng, ["Yes", "No"])
    langs = _options(rng, ["Python", "Go", "Rust", "TypeScript", "Java", "Kotlin"])
    tools = _options(rng, ["Docker", "Kubernetes", "Terraform", "Ansible", "Helm"])
    levels = _options(rng, ["Junior", "Mid", "Senior", "Staff", "Principal"])
    gender = _options(rng, ["Female", "Male", "Non-binary", "Prefer not to say"])
    for n in range(3):  # 0-2 TEXT
        add(
            f"Tell us about project {n + 1}",
            {"type": "TEXT", "display_type": "MULTI_LINE", "max_length": 2000},
            "I led the migration of a payments platform to event sourcing. " * 3,
        )
    add(  # 3
        "Work email",
        {"type": "TEXT", "display_type": "EMAIL", "max_length": 200},
        "jane.roe@work.example.com",
    )
    add(  # 4
        "Portfolio link",
        {"type": "TEXT", "display_type": "URL", "max_length": None},
        "https://portfolio.example.com/jane-roe",
    )
    add(  # 5
        "Short headline",
        {"type": "TEXT", "display_type": "SINGLE_LINE", "max_length": 120},
        "Backend engineer, distributed systems",
    )
    add(  # 6
        "Do you need a visa sponsorship?",
        {"type": "BOOLEAN"},
        True,
    )
    add(  # 7 (precondition: BOOLEAN 6 is true)
        "Which visa do you hold today?",
        {"type": "TEXT", "display_type": "SINGLE_LINE", "max_length": 100},
        "Blue Card",
        precondition_question_id=qids[6],
        precondition_options=[True],
    )
    for n, title in enumerate(("Can you relocate?", "Are you over 18?", "Do you hold a license?")):
        add(title, {"type": "BOOLEAN"}, n != 2)  # 8-10
    add(  # 11
        "Years of experience",
        {"type": "NUMBER", "display_type": "FIELD", "min": 0, "max": 50},
        7,
    )
    add(  # 12
        "Expected yearly salary (EUR)",
        {"type": "NUMBER", "display_type": "FIELD", "min": 10000, "max": 500000},
        85000.5,
    )
    add(  # 13
        "Notice period in weeks",
        {"type": "NUMBER", "display_type": "SLIDER", "min": 0, "max": 26},
        4,
    )
    add(  # 14
        "Have you worked remotely before?",
        {"type": "SINGLE_SELECT", "display_type": "RADIO", "options": yes_no},
        yes_no[0]["id"],
    )
    add(  # 15 (precondition: SINGLE_SELECT 14 is "Yes")
        "Seniority",
        {"type": "SINGLE_SELECT", "display_type": "DROPDOWN", "options": levels},
        levels[2]["id"],
        precondition_question_id=qids[14],
        precondition_options=[yes_no[0]["id"]],
    )
    add(  # 16
        "Primary language",
        {"type": "SINGLE_SELECT", "display_type": "DROPDOWN", "options": langs},
        langs[0]["id"],
    )
    add(  # 17 (EEO)
        "Gender",
        {"type": "SINGLE_SELECT", "display_type": "DROPDOWN", "options": gender},
        gender[0]["id"],
        category="EEO",
        required=False,
    )
    add(  # 18
        "Languages you use",
        {"type": "MULTI_SELECT", "options": langs},
        [langs[0]["id"], langs[2]["id"], langs[3]["id"]],
    )
    add(  # 19 (precondition: MULTI_SELECT 18 overlaps)
        "Infrastructure tools",
        {"type": "MULTI_SELECT", "options": tools},
        [tools[0]["id"], tools[1]["id"]],
        precondition_question_id=qids[18],
        precondition_options=[langs[0]["id"], langs[1]["id"]],
    )
    add(  # 20 (DEMOGRAPHIC)
        "Levels you have worked at",
        {"type": "MULTI_SELECT", "options": levels},
        [levels[1]["id"], levels[2]["id"]],
        category="DEMOGRAPHIC",
        required=None,
    )
    for n, (title, when) in enumerate(
        (
            ("Earliest start date", "2024-09-01"),
            ("Date of your degree", "2015-07-15"),
            ("Interview availability", "2024-06-03T09:30:00Z"),
        )
    ):
        add(title, {"type": "DATE"}, when, required=n == 0)  # 21-23
    for n in range(3):  # 24-26
        add(
            f"Work sample {n + 1}",
            {
                "type": "FILE",
                "accepted_mime_types": ["application/pdf", "text/plain", "image/png"],
                "max_file_size_bytes": 5_000_000,
            },
            {
                "name": f"sample-{n + 1}.txt",
                "content_type": "text/plain",
                "data": _b64(rng, 600),
            },
        )
    add(  # 27 FILE by link
        "Writing sample (link)",
        {"type": "FILE", "accepted_mime_types": None, "max_file_size_bytes": None},
        {"name": "essay.pdf", "data_url": "https://files.example.com/essays/jane-roe.pdf"},
    )
    add(  # 28
        "Anything else?",
        {"type": "TEXT", "display_type": "MULTI_LINE", "max_length": None},
        "Happy to share references on request.",
        required=False,
    )
    add(  # 29
        "Do you agree to our data retention policy?",
        {"type": "BOOLEAN"},
        True,
    )
    assert len(questions) == 30 and len(answers) == 30

    attachments = [
        _attachment(rng, 0, "CV", 4096),
        _attachment(rng, 1, "COVER_LETTER", 2048),
        _attachment(rng, 2, "OTHER", 2048),
        _attachment(rng, 3, "OTHER", 1024),
        {
            "name": "Jane Roe references.pdf",
            "data_url": "https://files.example.com/candidates/jane-roe/references.pdf",
            "type": "OTHER",
            "content_type": "application/pdf",
        },
    ]
    body: dict[str, Any] = {
        "stage_id": "8x3YKRDcuRnwShdh96ShBNn1",
        "candidate": {
            "first_name": "Jane",
            "last_name": "Roe",
            "email_address": "jane.roe@example.com",
            "additional_email_addresses": [
                {"type": "PERSONAL", "email_address": "jane@roe.example.org"},
                {"type": "WORK", "email_address": "j.roe@work.example.com"},
                {"type": "OTHER", "email_address": "jr@alumni.example.edu"},
            ],
            "company": "Acme GmbH",
            "title": "Senior Backend Engineer",
            "phone_number": "+49-30-1234567",
            "additional_phone_numbers": [
                {"type": "PERSONAL", "phone_number": "+49-170-1234567"},
                {"type": "WORK", "phone_number": "+49-30-7654321"},
            ],
            "location": {
                "city": "Berlin",
                "country": "DE",
                "state": "Berlin",
                "street_1": "Lohmühlenstraße 65",
                "zip_code": "12435",
            },
            "gender": "FEMALE",
            "availability_date": "2024-09-01T00:00:00Z",
            "salary_expectations": {"period": "YEAR", "amount": 85000},
            "social_links": [
                {"url": "https://www.linkedin.com/in/jane-roe"},
                {"url": "https://github.com/jane-roe"},
                {"url": "https://jane-roe.example.com/blog"},
            ],
        },
        "attachments": attachments,
        "sourced_by": {"user_id": "3KjDRBxgVrXnXa8b6CCSgWSm"},
        "gdpr_consent": {"expires_at": "2026-05-01T00:00:00Z", "given": True},
        "remote_fields": {
            "greenhouse": {"post_headers": {"On-Behalf-Of": "12345"}},
            "workable": {"on_behalf_of_user_remote_id": "u-42"},
        },
        "screening_question_answers": answers,
    }
    return json.dumps(body), json.dumps(questions)


def large_body() -> dict[str, Any]:
    """5 attachments, 30 screening answers, every candidate field (fresh copy)."""
    body: dict[str, Any] = json.loads(_large_pair()[0])
    return body


def large_questions() -> list[dict[str, Any]]:
    """The 30 screening questions ``large_body`` answers, as ``GET /ats/jobs`` returns them."""
    questions: list[dict[str, Any]] = json.loads(_large_pair()[1])
    return questions


# --------------------------------------------------------------------------- others

ATTACHMENT_BYTES = 2 * 1024 * 1024


@functools.cache
def _attachment_data(size: int) -> str:
    return _b64(random.Random(size), size)


def attachment_data(size: int = ATTACHMENT_BYTES) -> str:
    """Base64 of ``size`` seeded random bytes (cached: the same ``str`` every call)."""
    return _attachment_data(size)


def attachment_body(size: int = ATTACHMENT_BYTES) -> dict[str, Any]:
    """The spec example plus one attachment of ``size`` random bytes (base64)."""
    body = example()
    body["attachments"].append(
        {
            "name": "Frank Doe portfolio.pdf",
            "data": attachment_data(size),
            "type": "OTHER",
            "content_type": "application/pdf",
        }
    )
    return body


#: The defects ``invalid_body`` carries, as (JSON pointer, expected issue code).
INVALID_DEFECTS = (
    ("/candidate/availability_date", "date.invalid"),
    ("/candidate/location/country", "country.unknown"),
    ("/attachments/0", "attachment.data_and_data_url"),
)


def invalid_body() -> dict[str, Any]:
    """The spec example with 3 defects (see ``INVALID_DEFECTS``); all pass JSON Schema."""
    body = example()
    body["candidate"]["location"]["country"] = "XX"
    body["candidate"]["availability_date"] = "2021-02-30"
    body["attachments"][0]["data_url"] = "https://files.example.com/frank-doe-cv.txt"
    return body


def schema_errors_body(n: int) -> dict[str, Any]:
    """The example with ``n`` attachments that are numbers: ``n`` schema errors (issue 15)."""
    body = example()
    body["attachments"] = [1] * n
    return body


def unknown_keys_body(n: int) -> dict[str, Any]:
    """The example's candidate with ``n`` keys the spec does not define (issue 15)."""
    body = example()
    body["candidate"].update((f"unknown_{i}", i) for i in range(n))
    return body


def schema_invalid_body() -> dict[str, Any]:
    """The spec example with 3 JSON Schema defects (wrong type, bad enum, missing property)."""
    body = example()
    body["candidate"]["first_name"] = 42
    body["candidate"]["salary_expectations"]["period"] = "WEEK"
    del body["candidate"]["email_address"]
    return body


def fixture_body(i: int) -> dict[str, Any]:
    """An example-sized valid payload, varied by ``i`` so no two files are identical."""
    body = example()
    cand = body["candidate"]
    cand["first_name"] = f"Frank{i}"
    cand["email_address"] = f"frank.doe.{i}@example.com"
    cand["salary_expectations"]["amount"] = 50000 + i
    body["stage_id"] = _ids(random.Random(i), 1)[0]
    return body


def write_fixtures(directory: Path, count: int) -> list[Path]:
    """Write ``count`` example-sized JSON fixtures (indented, like hand-kept ones)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = directory / f"application_{i:05d}.json"
        path.write_text(json.dumps(fixture_body(i), indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
