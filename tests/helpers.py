"""Small helpers shared by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import Report
from kombo_validate.spec import load_document, write_operations

#: the full Kombo spec (never committed): tests that need it skip when it is absent
FULL = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kombo-openapi.json"

needs_full = pytest.mark.skipif(not FULL.is_file(), reason="the full Kombo spec is absent")


@lru_cache(maxsize=1)
def full_document() -> dict[str, Any]:
    """The full spec, parsed once per test session."""
    doc, _ = load_document(FULL)
    return doc


def full_write_ids() -> list[str]:
    """The full spec's write operations with a JSON body (none when it is absent): for
    parametrising at collection time."""
    return [ref.id for ref in write_operations(full_document())] if FULL.is_file() else []


def pairs(report: Report, severity: str | None = None) -> list[tuple[str, str]]:
    """(path, code) of each issue, optionally of one severity."""
    return [(i.path, i.code) for i in report.issues if severity is None or i.severity == severity]


def outcome(report: Report) -> tuple[Any, ...]:
    """Everything a report says: ok, its issues and changes in full, its wire body."""
    return (
        report.ok,
        [(i.path, i.code, i.severity, i.message) for i in report.issues],
        [(c.path, c.before, c.after, c.reason) for c in report.changes],
        report.body,
    )


def sdk_job(**fields: Any) -> dict[str, Any]:
    """A job of ``GET /ats/jobs`` as the official SDK's model requires it: every nullable
    field null, every list empty, then ``fields``."""
    nulls = [
        "job_code",
        "description",
        "confidential",
        "weekly_hours",
        "category",
        "department",
        "post_url",
        "experience_level",
        "salary_amount",
        "salary_amount_from",
        "salary_amount_to",
        "salary_currency",
        "custom_fields",
        "remote_url",
        "opened_at",
        "closed_at",
        "remote_created_at",
        "remote_updated_at",
        "contact_id",
        "remote_data",
        "remote_deleted_at",
    ]
    empty = ("stages", "screening_questions", "job_postings", "hiring_team")
    return {
        **dict.fromkeys(nulls),
        **{name: [] for name in empty},
        "changed_at": "2024-05-01T10:00:00.000Z",
        **fields,
    }


def minimal(**candidate: Any) -> dict[str, Any]:
    """The smallest valid body, with candidate fields overridden."""
    base: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@example.com",
    }
    base.update(candidate)
    return {"candidate": base}


def with_attachment(**fields: Any) -> dict[str, Any]:
    attachment: dict[str, Any] = {"name": "cv.pdf", "type": "CV"}
    attachment.update(fields)
    body = minimal()
    body["attachments"] = [attachment]
    return body


def snapshot(value: Any) -> list[Any]:
    """Identity snapshot of every container reachable from ``value`` (cycles allowed)."""
    out: list[Any] = []
    for node in reachable(value, any_mapping=True):
        if isinstance(node, (list, tuple)):
            out.append((id(node), [id(v) for v in node]))
        elif isinstance(node, (set, frozenset)):
            out.append((id(node), sorted(id(v) for v in node)))
        elif isinstance(node, bytearray):
            out.append((id(node), bytes(node)))
        elif isinstance(node, dict) or (hasattr(node, "items") and callable(node.items)):
            out.append((id(node), [(id(k), id(v)) for k, v in list(node.items())]))
    return out


def question(qid: str, title: str, fmt: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    """A question shaped like GET /ats/jobs returns it (the spec's example's keys)."""
    q: dict[str, Any] = {
        "id": qid,
        "remote_id": f"remote-{qid[:6]}",
        "title": title,
        "description": None,
        "format": fmt,
        "category": None,
        "index": 0,
        "required": False,
        "precondition_question_id": None,
        "precondition_options": None,
    }
    q.update(extra)
    return q


def option(oid: str, name: str) -> dict[str, Any]:
    return {"id": oid, "remote_id": name.lower(), "name": name}


#: a job with one required SINGLE_SELECT question ("Your language?", option Python)
Q_LANG = "26vafvWSRmbhNcxJYqjCzuJg"
OPT_PY = "GUzE666zfyjeoCJX6A8n7wh6"
QUESTIONS: list[dict[str, Any]] = [
    {
        "id": Q_LANG,
        "remote_id": "r1",
        "title": "Your language?",
        "description": None,
        "format": {
            "type": "SINGLE_SELECT",
            "options": [{"id": OPT_PY, "remote_id": "py", "name": "Python"}],
        },
        "category": None,
        "index": 0,
        "required": True,
        "precondition_question_id": None,
        "precondition_options": None,
    }
]


def reachable(value: Any, *, any_mapping: bool = False) -> list[Any]:
    """Every container, key and leaf reachable from ``value`` (cycle-safe): lists,
    tuples, sets and dicts are looked into; with ``any_mapping`` anything with an
    ``items()`` method too (a mappingproxy, a custom mapping)."""
    seen: set[int] = set()
    out: list[Any] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        if isinstance(node, (list, tuple, set, frozenset)):
            stack += list(node)
        elif isinstance(node, dict) or (
            any_mapping and hasattr(node, "items") and callable(node.items)
        ):
            for k, v in list(node.items()):
                stack += [k, v]
    return out


def run_python(code: str, cwd: Path, *flags: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python [flags] -c code`` in a fresh interpreter with ``env`` added to this
    one's (bounded: 120 s); its output as text."""
    return subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **env},
        timeout=120,
    )
