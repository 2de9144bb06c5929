"""Small helpers shared by the tests."""

from __future__ import annotations

from typing import Any

from kombo_validate import Report


def pairs(report: Report, severity: str | None = None) -> list[tuple[str, str]]:
    """(path, code) of each issue, optionally of one severity."""
    return [(i.path, i.code) for i in report.issues if severity is None or i.severity == severity]


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
