r"""Email rule: every string schema with ``format: email``.

What Kombo accepts: no spaces, exactly one ``@``, a non-empty local part and a
dotted domain. Surrounding whitespace is trimmed and the domain lowercased
(Kombo's filter admits lowercase domains only), each a Change.

The local part takes what an unquoted RFC 5322 local part takes (letters, digits,
``.!#$%&'*+/=?^_`{|}~-``) and, as RFC 6531 allows, non-ASCII letters, marks,
digits and symbols — never a control, format (zero-width, bidi override) or
separator character, nor ``<>()[]:;,"\``: so ``mailto:ada@…``, ``<ada@…>`` and an
address with a hidden character are errors, not addresses. The domain is ASCII
letters, digits, ``-`` and ``_``: an internationalised domain is written in its
``xn--`` form, so a Cyrillic ``е`` or a fullwidth letter posing as Latin is an error.
"""

from __future__ import annotations

import re
import unicodedata

from ..context import Ctx, Path
from ..issues import excerpt
from .alone import Pattern

__all__ = [
    "EMAIL_ALONE",
    "EMAIL_CHANGE",
    "EMAIL_STRICT",
    "email_plain",
    "email_problem",
    "email_rule",
    "is_email",
    "normalised_email",
]

#: the common, valid case in one match, which the rule leaves alone:
#: local@label.label (an ASCII local part, a lowercase domain)
EMAIL_ALONE = Pattern(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+"
    r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
)
_SPACE = re.compile(r"\s")
#: ASCII characters an unquoted local part may hold (RFC 5322 atext, and dots)
_LOCAL_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-"
)
_DOMAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

#: the same, as an ECMA-262 pattern for the fast path
EMAIL_STRICT = EMAIL_ALONE.anchored

#: True-ish when :func:`email_rule` leaves the value as it is (a plain, valid address)
email_plain = EMAIL_ALONE.fullmatch


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
    bad = next((c for c in local if not _local_char(c)), None)
    if bad is not None:
        return f"has {_named(bad)} before the '@'"
    bad = next((c for c in domain if c not in _DOMAIN_ASCII), None)
    if bad is not None:
        hint = ": write an internationalised domain in its ASCII form (xn--...)"
        return f"has {_named(bad)} in its domain" + (hint if bad.isalnum() else "")
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return "needs a dotted domain such as example.com"
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return "has a domain label that starts or ends with '-'"
    return None


def _local_char(char: str) -> bool:
    if char.isascii():
        return char in _LOCAL_ASCII
    return unicodedata.category(char)[0] in "LMNS"  # not C (control, format…) nor Z


def _named(char: str) -> str:
    """A character for a message: shown when printable ASCII, else by code point and name."""
    if char.isascii() and char.isprintable():
        return f"{char!r}"
    name = unicodedata.name(char, "") if char.isprintable() else ""
    return f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")


def is_email(value: str) -> bool:
    return email_problem(value) is None


#: the reason of the Change an address gets (body fields and EMAIL answers alike)
EMAIL_CHANGE = "email trimmed and its domain lowercased"


def normalised_email(value: str) -> tuple[str, str | None]:
    """``(wire form, problem)``: ``value`` trimmed with its domain lowercased, and why
    that is no address Kombo accepts (None: it is one)."""
    if email_plain(value):
        return value, None
    after = value.strip()
    if "@" in after:
        local, _, domain = after.rpartition("@")
        if domain != domain.lower():
            after = f"{local}@{domain.lower()}"
    return after, email_problem(after)


def email_rule(value: str, path: Path, ctx: Ctx) -> str:
    after, problem = normalised_email(value)
    if problem is not None:
        ctx.error(
            path, "email.invalid", f"{excerpt(value)} is not a valid email address: it {problem}"
        )
        return value
    if after != value:
        ctx.change(path, value, after, EMAIL_CHANGE)
    return after
