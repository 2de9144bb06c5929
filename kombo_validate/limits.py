"""The limits a job context sets, read one way by both of its checks.

An integration's attachment restrictions (``restrictions``) and a job's FILE
and NUMBER questions (``answer_formats``) both compare content types with
accepted MIME types and both name numbers in their messages: each of those is
one function here. (A file's size from its base64 is ``rules.attachment``'s
``decoded_size``, which the core's attachment rule uses too.)
"""

from __future__ import annotations

from collections.abc import Sequence

from .rules.attachment import MIME_CHARS

__all__ = ["mime_accepted", "mime_refused", "normalise_mime_types", "number_text"]


def _mime_key(value: str) -> str:
    if len(value) > MIME_CHARS and not value.isascii():
        return value  # no MIME type: never lowercased (12 bytes a character), matches none
    return value.split(";", 1)[0].strip().lower()


def normalise_mime_types(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """Accepted MIME types in comparable form, or None for "no limit".

    Entries are lowercased and stripped of parameters. Entries without a ``/``
    (say a bare file extension) cannot be compared with a content type and are
    dropped; if none is left — or the list is empty, which no ATS means
    literally — there is no usable limit and None is returned.
    """
    if values is None:
        return None
    keys = tuple(dict.fromkeys(k for k in (_mime_key(v) for v in values) if "/" in k))
    return keys or None


def mime_accepted(content_type: str, accepted: tuple[str, ...]) -> bool:
    """Whether ``content_type`` is among the normalised ``accepted`` types.

    Case-insensitive, parameters ignored. ``*/*`` and ``type/*`` entries match
    by prefix: a content type can never contain ``*`` (the spec's pattern is
    ``^[\\w.-]+/[\\w.-]+$``), so reading them as wildcards cannot wrongly admit one.
    """
    key = _mime_key(content_type)
    if key in accepted:
        return True
    for entry in accepted:
        if entry == "*/*" or (entry.endswith("/*") and key.startswith(entry[:-1])):
            return True
    return False


def mime_refused(content_type: object, accepted: tuple[str, ...] | None) -> bool:
    """Whether a file's ``content_type`` is one the limit ``accepted`` refuses.

    No limit (None) refuses nothing; a content type that is not a string is the
    core's schema's to report, not this limit's.
    """
    return (
        accepted is not None
        and isinstance(content_type, str)
        and not mime_accepted(content_type, accepted)
    )


def number_text(value: float, sep: str = "") -> str:
    """A number in a message, bounded: whole numbers below 10**15 in full (``sep``
    groups their digits: ``","``), anything else as the double Kombo reads
    (``-1e+308``, never 309 digits)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return format(int(value), sep)
    return repr(float(value))
