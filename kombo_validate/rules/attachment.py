"""Attachment rule: every object schema with both ``data`` and ``data_url`` properties.

That shape is an attachment wherever it appears (``attachments[]`` and FILE
answers alike). The docs' prose says: exactly one of ``data``/``data_url``;
``content_type`` required with ``data``; ``data`` is base64; ``data_url`` is a
URL Kombo downloads (checked here, never fetched); and the content type should
be meaningful, not ``application/octet-stream``.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from typing import Any

from pybase64 import b64decode

from ..context import Ctx, Path
from ..issues import type_name
from .alone import Format, NoneOf, Pattern, strict_of

__all__ = [
    "BASE64",
    "BASE64_FORMAT",
    "CONTENT_TYPE_ALONE",
    "DATA_ALONE",
    "DECODED_BYTES",
    "GENERIC_CONTENT_TYPES",
    "MIME_CHARS",
    "TOTAL_SIZE_WARNING_BYTES",
    "attachment_rule",
    "attachment_strict",
    "content_type_plain",
    "content_type_rule",
    "data_converter",
    "data_plain",
    "decoded_size",
    "is_attachment_schema",
    "is_base64",
]

#: the name of the custom format (``is_base64``) the strict fragments use for long
#: ``data``: jsonschema-rs calls back into it (its regex engine takes 4 ns a character)
BASE64_FORMAT = "kombo-validate-base64"

#: the running total (``Ctx.totals``) of the decoded bytes of every attachment's ``data``
DECODED_BYTES = "attachment_bytes"

#: Kombo recommends keeping an application's attachments below 10 MB in total.
TOTAL_SIZE_WARNING_BYTES = 10_000_000
#: a content type longer than this that is not ASCII is no MIME type (its tokens are ASCII,
#: RFC 6838 names at most 127 characters each): it is left as it is, never lowercased
MIME_CHARS = 1_000
GENERIC_CONTENT_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})

_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DATA_URI = re.compile(r"data:(?P<mime>[^;,]*)(?P<params>(?:;[^;,]*)*?)(?P<b64>;base64)?,", re.I)


def is_attachment_schema(schema: dict[str, Any]) -> bool:
    props = schema.get("properties")
    return isinstance(props, dict) and "data" in props and "data_url" in props


#: characters of base64 decoded per call (a multiple of 4)
_SLICE = 64 * 1024


def is_base64(value: str) -> bool:
    """Strict RFC 4648 base64 (standard alphabet, padded, no whitespace).

    pybase64 (libbase64, SIMD) decodes it with ``validate=True`` at 0.1–0.3 ns a
    character, ten times ``binascii`` and three to nine times jsonschema-rs's own
    base64 check, in slices of :data:`_SLICE` characters: each is a whole number
    of 4-character groups and only the last may hold padding, so each decodes on
    its own and the bytes decoded at a time stay 48 KiB instead of three quarters
    of the file. What it rejects, or anything with ``=`` before the end, is
    settled by the regular expression, so the verdict is always the regex's.
    """
    n = len(value)
    if not value.isascii() or n % 4:
        return False
    if value.find("=", 0, n - 2) == -1:
        try:
            if n <= _SLICE:
                b64decode(value, validate=True)
            else:
                for i in range(0, n, _SLICE):
                    b64decode(value[i : i + _SLICE], validate=True)
        except ValueError:  # binascii.Error is one
            pass
        else:
            return True
    return _BASE64.fullmatch(value) is not None


#: long ``data`` as a custom format for the fast path (registered in ``STRICT_FORMATS``)
BASE64 = Format(BASE64_FORMAT, is_base64)


def decoded_size(data: str, *, wrapped: bool = True) -> int:
    """Bytes that the base64 string ``data`` decodes to, computed from its length alone.

    Line breaks (MIME-style wrapping) and trailing ``=`` padding are not counted;
    unpadded input is sized as a decoder would. Nothing is decoded, so this costs
    the same for a 10 MB file as for a short one: a memchr for line breaks (some
    40 µs a MB) and a count of them only when there are some. ``wrapped=False``
    skips even that, for ``data`` known to hold none (it passed :func:`is_base64`).
    """
    n = len(data)
    if n == 0:
        return 0
    if wrapped and ("\n" in data or "\r" in data):
        n -= data.count("\n") + data.count("\r")
    tail = data[-8:].rstrip()
    pad = 2 if tail.endswith("==") else 1 if tail.endswith("=") else 0
    return max(n - pad, 0) * 3 // 4


def data_converter(value: Any, path: Path, ctx: Ctx) -> Any:
    """``data`` given as bytes → base64; MIME-wrapped base64 (line breaks) → unwrapped.

    Read by the value's real type through the built-in types' own methods (a
    subclass's overrides never run); bytes that cannot be read (a released
    memoryview, say) are not JSON data.
    """
    t = type(value)
    if issubclass(t, str):
        if str.__contains__(value, "\n") or str.__contains__(value, "\r"):
            after = str.replace(str.replace(value, "\r", ""), "\n", "")
            ctx.change(path, value, after, "line breaks removed from MIME-wrapped base64")
            return after
        return value
    if issubclass(t, (bytes, bytearray)) or t is memoryview:
        try:  # a memoryview may be strided (memoryview(b)[::2]: copied in order) or released
            strided = t is memoryview and not value.c_contiguous
            after = base64.b64encode(value.tobytes() if strided else value).decode("ascii")
        except Exception:  # released, or a buffer of the caller's (__buffer__) that failed
            ctx.error(path, "json.not_json", f"the bytes of this {type_name(value)} cannot be read")
            return None
        ctx.change(path, value, after, "bytes encoded as base64")
        return after
    return value


#: the ``str`` :func:`data_converter` leaves as it is: no line break
DATA_ALONE = NoneOf("\r\n")
#: True when :func:`data_converter` leaves this ``str`` as it is
data_plain = DATA_ALONE.holds

#: the content types :func:`content_type_rule` leaves as they are: lowercase ASCII
#: ``type/subtype``, no parameters, no whitespace
CONTENT_TYPE_ALONE = Pattern(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
#: True-ish when :func:`content_type_rule` leaves this ``str`` as it is
content_type_plain = CONTENT_TYPE_ALONE.fullmatch


def attachment_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """Attachments :func:`attachment_rule` leaves alone, silently (fast path).

    Exactly one of ``data``/``data_url``; ``data`` strict base64 (so no ``data:``
    URI) with its ``content_type``; a content type that is not generic.
    """
    return {
        "anyOf": [
            {"required": ["data"], "not": {"required": ["data_url"]}},
            {"required": ["data_url"], "not": {"required": ["data"]}},
        ],
        "dependentRequired": {"data": ["content_type"]},
        "properties": {
            # short data by the pattern (no call back into Python), long by is_base64;
            # if/then/else: an anyOf also tried the pattern on long data (+1.3 µs at 5 KB)
            "data": {
                "type": "string",
                "if": {"maxLength": 256},
                "then": {"pattern": "^" + _BASE64.pattern + "$"},
                "else": strict_of(BASE64),
            },
            "content_type": {"not": {"enum": sorted(GENERIC_CONTENT_TYPES)}},
        },
    }


def content_type_rule(value: str, path: Path, ctx: Ctx) -> str:
    """``Text/Plain; charset=utf-8`` → ``text/plain`` (a Change)."""
    if value.islower() and ";" not in value and value.strip() is value:
        return value
    if len(value) > MIME_CHARS and not value.isascii():
        return value  # no MIME type (ASCII tokens): lower() would allocate 12 bytes a character
    after = value.split(";", 1)[0].strip().lower()
    if after != value:
        ctx.change(path, value, after, "content type lowercased and its parameters dropped")
    return after


def _strip_data_uri(obj: dict[str, Any], path: Path, ctx: Ctx) -> bool:
    """Strip a ``data:`` URI prefix from ``data``; False when ``data`` is a bad data: URI."""
    data = obj.get("data")
    if not (isinstance(data, str) and data[:5].lower() == "data:"):
        return True
    m = _DATA_URI.match(data)
    if m is None or not m["b64"]:
        ctx.error(
            (*path, "data"),
            "attachment.base64_invalid",
            "data holds a data: URI that is not base64-encoded (';base64,' is missing)",
        )
        return False
    payload = data[m.end() :]
    obj["data"] = payload
    ctx.change((*path, "data"), data, payload, "data: URI prefix stripped")
    mime = m["mime"].strip().lower()
    if mime and "content_type" not in obj:
        obj["content_type"] = mime
        ctx.change((*path, "content_type"), None, mime, "content type taken from the data: URI")
    return True


def attachment_rule(obj: dict[str, Any], path: Path, ctx: Ctx) -> None:
    """Check (and complete) one attachment-shaped object, already copied for the wire."""
    data_ok = _strip_data_uri(obj, path, ctx)
    has_data = obj.get("data") is not None
    has_url = obj.get("data_url") is not None
    if has_data and has_url:
        ctx.error(
            path,
            "attachment.data_and_data_url",
            "give either data or data_url, not both",
        )
    elif not has_data and not has_url:
        ctx.error(path, "attachment.no_data", "an attachment needs data (base64) or a data_url")
    data = obj.get("data")
    if isinstance(data, str) and data_ok:
        if not is_base64(data):
            ctx.error(
                (*path, "data"),
                "attachment.base64_invalid",
                "data is not valid base64 (standard alphabet, padded to a multiple of 4)",
            )
        else:
            ctx.tally(DECODED_BYTES, decoded_size(data, wrapped=False))  # is_base64: none
    if has_data and obj.get("content_type") is None:
        name = obj.get("name")
        guessed = mimetypes.guess_type(name, strict=False)[0] if isinstance(name, str) else None
        if guessed:
            obj["content_type"] = guessed
            ctx.change(
                (*path, "content_type"), None, guessed, "content type inferred from the file name"
            )
        else:
            ctx.error(
                (*path, "content_type"),
                "attachment.content_type_missing",
                "content_type is required with data and cannot be inferred from the file name",
            )
    ctype = obj.get("content_type")
    if isinstance(ctype, str) and ctype in GENERIC_CONTENT_TYPES:
        ctx.warning(
            (*path, "content_type"),
            "attachment.generic_content_type",
            f"{ctype} is generic: give the file's real type (e.g. application/pdf)",
        )
