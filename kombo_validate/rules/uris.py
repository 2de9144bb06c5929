"""URI rule: every string schema with ``format: uri`` (RFC 3986 absolute URIs).

Attachment ``data_url``s are stricter: an absolute http(s) URL with a host,
since Kombo downloads them. Nothing is ever fetched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from ..context import Ctx, Path
from ..issues import excerpt
from .alone import Pattern

__all__ = [
    "URI_ALONE",
    "URI_STRICT",
    "http_url_problem",
    "is_http_url",
    "make_uri_rule",
    "uri_plain",
    "uri_problem",
]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
#: the common case in one match: an http(s) URL with a plain host and only characters
#: ``urlsplit`` takes as they are -- what it matches has no problem for either rule (the
#: URI rule and the stricter ``data_url`` one), so both leave it alone
URI_ALONE = Pattern(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?:[/?#][A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?"
)
#: the same, as an ECMA-262 pattern for the fast path
URI_STRICT = URI_ALONE.anchored
#: True-ish when ``value`` is plainly an absolute http(s) URL (no call of the full check)
uri_plain = URI_ALONE.fullmatch


def uri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute URI, or None."""
    if uri_plain(value):
        return None
    if not _SCHEME.match(value):
        return "is not an absolute URI (it needs a scheme such as https:)"
    if _BAD_CHARS.search(value):
        return "contains a space or a character a URI cannot hold"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"cannot be parsed as a URI ({exc})"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "has no host"
    return None


def http_url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL with a host, or None."""
    if uri_plain(value):
        return None
    problem = uri_problem(value)
    if problem is not None:
        return problem
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        return "must be an http(s) URL"
    return None


def is_http_url(value: str) -> bool:
    return http_url_problem(value) is None


def make_uri_rule(*, http_only: bool, code: str) -> Callable[[str, Path, Ctx], str]:
    check = http_url_problem if http_only else uri_problem
    what = "an http(s) URL" if http_only else "a URI"

    def rule(value: str, path: Path, ctx: Ctx) -> str:
        problem = check(value)
        if problem is not None:
            ctx.error(path, code, f"{excerpt(value)} is not {what}: it {problem}")
        return value

    return rule
