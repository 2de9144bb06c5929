"""Email rule: every string schema with ``format: email``.

What Kombo accepts: no spaces, exactly one ``@``, a non-empty local part and a
dotted domain. Surrounding whitespace is trimmed and the domain lowercased
(Kombo's filter admits lowercase domains only), each a Change.
"""

from __future__ import annotations

import re

from ..context import Ctx, Path
from ..issues import excerpt

__all__ = ["EMAIL_STRICT", "email_plain", "email_problem", "email_rule", "is_email"]

# the common, valid case in one match: local@label.label (lowercase domain, no spaces)
_PLAIN = re.compile(
    r"[^\s@]+@(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
)
_SPACE = re.compile(r"\s")

#: an ECMA-262 pattern for the fast path: a subset of ``_PLAIN`` (an ASCII local part)
EMAIL_STRICT = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+"
    r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$"
)

#: True-ish when :func:`email_rule` leaves the value as it is (a plain, valid address)
email_plain = _PLAIN.fullmatch


def email_problem(value: str) -> str | None:
    """Why ``value`` is not an address Kombo accepts, or None."""
    if not value:
        return "is empty"
    if _SPACE.search(value):
        return "contains a space"
    if value.count("@") != 1:
        return "must contain exactly one '@'"
    local, domain = value.split("@")
    if not local:
        return "has nothing before the '@'"
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return "needs a dotted domain such as example.com"
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return "has a domain label that starts or ends with '-'"
    return None


def is_email(value: str) -> bool:
    return email_problem(value) is None


def email_rule(value: str, path: Path, ctx: Ctx) -> str:
    if _PLAIN.fullmatch(value):
        return value
    after = value.strip()
    if "@" in after:
        local, _, domain = after.rpartition("@")
        if domain != domain.lower():
            after = f"{local}@{domain.lower()}"
    problem = email_problem(after)
    if problem is not None:
        ctx.error(
            path, "email.invalid", f"{excerpt(value)} is not a valid email address: it {problem}"
        )
        return value
    if after != value:
        ctx.change(path, value, after, "email trimmed and its domain lowercased")
    return after
