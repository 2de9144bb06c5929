"""Attachment restrictions of an integration, checked against a body's ``attachments``.

The input is ``data.attachment_restrictions`` of
``GET /ats/actions/ats_create_application`` (or that whole response)::

    {"total_size_bytes": 20000000,
     "types": {"CV": {"is_supported": true, "min_amount": 1, "max_amount": 1,
                      "max_file_size_bytes": 10000000,
                      "accepted_mime_types": ["application/pdf"]},
               "COVER_LETTER": {...}, "OTHER": {"is_supported": false}}}

Every limit may be null (Kombo has no information: no limit), and so may the
whole object. A :class:`Restrictions` is compiled once, immutable and picklable,
and checks any number of bodies.

The file helpers it shares with the FILE screening questions are in ``limits``
(MIME types, numbers in messages) and ``rules.attachment`` (``decoded_size``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .context import Ctx, IssueBuffer, Path
from .frozen import Immutable
from .issues import LISTED, ContextError, excerpt, listing
from .jsondata import plain_json
from .limits import mime_refused, normalise_mime_types, number_text
from .rules.attachment import decoded_size

__all__ = ["ATTACHMENT_TYPES", "Restrictions", "TypeRestriction"]

#: The attachment types of the Create-application body, in the spec's order.
ATTACHMENT_TYPES: tuple[str, ...] = ("CV", "COVER_LETTER", "OTHER")

#: Keys of a supported type's restrictions (the spec's names).
_LIMIT_KEYS: tuple[str, ...] = (
    "min_amount",
    "max_amount",
    "max_file_size_bytes",
    "accepted_mime_types",
)


def _fmt_bytes(n: float) -> str:
    return f"{number_text(n, ',')} bytes"


# --------------------------------------------------------------------------- shape


def _number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return -sys.float_info.max <= value <= sys.float_info.max  # not NaN, ±inf, a huge int


def _bad(field: str, why: str) -> ContextError:
    return ContextError(f"attachment restrictions: {field}: {why}")


@dataclass(frozen=True)
class TypeRestriction:
    """What an integration allows for one attachment type (None = no limit known)."""

    is_supported: bool = True
    min_amount: float | None = None
    max_amount: float | None = None
    max_file_size_bytes: float | None = None
    #: normalised (lowercase, no parameters); None = any type
    accepted_mime_types: tuple[str, ...] | None = None

    @classmethod
    def parse(cls, raw: object, field: str) -> TypeRestriction | None:
        """Validate and compile one entry of ``types`` (None = nothing known)."""
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            raise _bad(field, f"must be an object, got {excerpt(raw)}")
        supported = raw.get("is_supported")
        if not isinstance(supported, bool):
            raise _bad(f"{field}.is_supported", f"must be true or false, got {excerpt(supported)}")
        if not supported:
            return cls(is_supported=False)
        limits: dict[str, Any] = {}
        for key in _LIMIT_KEYS[:3]:
            value = raw.get(key)
            if value is not None and not _number(value):
                raise _bad(f"{field}.{key}", f"must be a number or null, got {excerpt(value)}")
            limits[key] = value
        mimes = raw.get("accepted_mime_types")
        if mimes is not None and (
            not isinstance(mimes, (list, tuple)) or not all(isinstance(m, str) for m in mimes)
        ):
            raise _bad(
                f"{field}.accepted_mime_types",
                f"must be an array of strings or null, got {excerpt(mimes)}",
            )
        return cls(
            is_supported=True,
            min_amount=limits["min_amount"],
            max_amount=limits["max_amount"],
            max_file_size_bytes=limits["max_file_size_bytes"],
            accepted_mime_types=normalise_mime_types(mimes),
        )

    def describe(self) -> str:
        if not self.is_supported:
            return "unsupported"
        parts = []
        if self.min_amount is not None:
            parts.append(f"min {number_text(self.min_amount)}")
        if self.max_amount is not None:
            parts.append(f"max {number_text(self.max_amount)}")
        if self.max_file_size_bytes is not None:
            parts.append(f"≤{_fmt_bytes(self.max_file_size_bytes)}")
        if self.accepted_mime_types is not None:
            parts.append("|".join(self.accepted_mime_types))
        return " ".join(parts) or "no limits"


def _unwrap(raw: object) -> object:
    """The ``attachment_restrictions`` object from a whole response or its ``data``."""
    if isinstance(raw, Mapping):
        data = raw.get("data")
        if isinstance(data, Mapping) and "attachment_restrictions" in data:
            return data["attachment_restrictions"]
        if "attachment_restrictions" in raw:
            return raw["attachment_restrictions"]
    return raw


# --------------------------------------------------------------------------- Restrictions


class Restrictions(Immutable):
    """An integration's attachment restrictions, compiled once; immutable and picklable.

    ``Restrictions(raw)`` takes ``data.attachment_restrictions`` of
    ``GET /ats/actions/ats_create_application`` (or the whole response, or None
    when Kombo has no information). Malformed input raises
    :class:`~kombo_validate.issues.ContextError` naming the field.
    """

    __slots__ = ("_total", "_types")

    _total: float | None
    _types: tuple[tuple[str, TypeRestriction | None], ...]

    def __init__(self, raw: object) -> None:
        raw, where, problem = plain_json(raw)  # exact JSON data from here on
        if problem is not None:
            raise _bad(".".join(map(str, where)) or "the whole", problem)
        raw = _unwrap(raw)
        total: float | None = None
        types: dict[str, TypeRestriction | None] = dict.fromkeys(ATTACHMENT_TYPES)
        if raw is not None:
            if not isinstance(raw, Mapping):
                raise ContextError(
                    "attachment restrictions must be the attachment_restrictions object of "
                    "GET /ats/actions/ats_create_application (or that response), "
                    f"got {excerpt(raw)}"
                )
            total = raw.get("total_size_bytes")
            if total is not None and not _number(total):
                raise _bad("total_size_bytes", f"must be a number or null, got {excerpt(total)}")
            if "types" in raw:
                raw_types = raw["types"]
            elif any(name in raw for name in ATTACHMENT_TYPES):
                raw_types = raw  # the per-type entries given without their "types" wrapper
            elif raw and "total_size_bytes" not in raw:
                keys = listing(
                    [k if type(k) is str else excerpt(k) for k in islice(raw, LISTED)], len(raw)
                )
                raise ContextError(
                    "attachment restrictions: expected total_size_bytes and types "
                    f"(data.attachment_restrictions), got keys {keys}"
                )
            else:
                raw_types = None
            if raw_types is not None:
                if not isinstance(raw_types, Mapping):
                    raise _bad("types", f"must be an object, got {excerpt(raw_types)}")
                for name in ATTACHMENT_TYPES:
                    types[name] = TypeRestriction.parse(raw_types.get(name), f"types.{name}")
        self._init(_total=total, _types=tuple(types.items()))

    @classmethod
    def coerce(cls, value: object) -> Restrictions:
        """``value`` itself if it is a Restrictions, else ``Restrictions(value)``."""
        # its real type: never a __class__ that claims it
        return value if issubclass(type(value), Restrictions) else cls(value)  # type: ignore[return-value]

    @classmethod
    def _restore(
        cls, total: float | None, types: tuple[tuple[str, TypeRestriction | None], ...]
    ) -> Restrictions:
        self = cls.__new__(cls)
        self._init(_total=total, _types=types)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Restrictions._restore, (self._total, self._types))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Restrictions):
            return NotImplemented
        return (self._total, self._types) == (other._total, other._types)

    def __hash__(self) -> int:
        return hash((self._total, self._types))

    def __repr__(self) -> str:
        parts = [
            f"{name}: {tr.describe() if tr is not None else 'unknown'}" for name, tr in self._types
        ]
        total = "unknown" if self._total is None else _fmt_bytes(self._total)
        return f"<Restrictions total={total}; {'; '.join(parts)}>"

    @property
    def total_size_bytes(self) -> float | None:
        return self._total

    def for_type(self, attachment_type: str) -> TypeRestriction | None:
        """The restriction for ``CV``/``COVER_LETTER``/``OTHER`` (None = nothing known)."""
        return dict(self._types).get(attachment_type)

    # ----------------------------------------------------------------------- check

    def check_uploads(self, uploads: object, ctx: Ctx, path: Path) -> None:
        """Report into ``ctx`` what the integration would reject in the WIRE uploads.

        ``uploads`` is the body's array of attachment objects (None when absent;
        the operation's ``uploads`` names it); anything that is not a list, and
        items or fields of the wrong type, are left to the core's schema checks.
        ``path`` is the tuple path of that array.
        """
        if uploads is None:
            items: Sequence[object] = ()
        elif isinstance(uploads, list):
            items = uploads
        else:
            return
        types = dict(self._types)
        counts = dict.fromkeys(ATTACHMENT_TYPES, 0)
        total = 0
        # per-item issues wait until the array-level ones are out (document order)
        later = IssueBuffer()
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                continue
            data = item.get("data")
            size = decoded_size(data) if isinstance(data, str) else None
            if size is not None:
                total += size
            kind = item.get("type")
            if not isinstance(kind, str) or kind not in types:
                continue
            tr = types[kind]
            if tr is None:
                continue
            here = (*path, i)
            if not tr.is_supported:
                later.error(
                    (*here, "type"),
                    "attachment.type_unsupported",
                    f"This integration does not accept {kind} attachments.",
                )
                continue
            counts[kind] += 1
            if tr.max_amount is not None and counts[kind] == math.floor(tr.max_amount) + 1:
                later.error(
                    here,
                    "attachments.too_many",
                    f"This integration accepts at most {number_text(tr.max_amount)} {kind} "
                    f"attachment(s); this is number {counts[kind]}.",
                )
            if tr.max_file_size_bytes is not None:
                if size is not None:
                    if size > tr.max_file_size_bytes:
                        later.error(
                            (*here, "data"),
                            "attachment.too_large",
                            f"This {kind} file is {_fmt_bytes(size)}; the integration accepts "
                            f"at most {_fmt_bytes(tr.max_file_size_bytes)}.",
                        )
                elif isinstance(item.get("data_url"), str):
                    later.warning(
                        here,
                        "attachment.size_unchecked",
                        f"The integration accepts {kind} files of at most "
                        f"{_fmt_bytes(tr.max_file_size_bytes)}; the size of a file given "
                        "by data_url cannot be checked before Kombo downloads it.",
                    )
            content_type = item.get("content_type")
            if mime_refused(content_type, tr.accepted_mime_types):
                later.error(
                    (*here, "content_type"),
                    "attachment.mime_type",
                    f"This integration does not accept {excerpt(content_type)} for {kind} "
                    f"attachments; accepted: {listing(tr.accepted_mime_types or ())}.",
                )
        for kind in ATTACHMENT_TYPES:
            tr = types[kind]
            if tr is None or not tr.is_supported or tr.min_amount is None:
                continue
            if counts[kind] < tr.min_amount:
                ctx.error(
                    path,
                    "attachments.too_few",
                    f"This integration needs at least {number_text(tr.min_amount)} {kind} "
                    f"attachment(s); the body has {counts[kind]}.",
                )
        if self._total is not None and total > self._total:
            ctx.error(
                path,
                "attachments.total_too_large",
                f"The attachments add up to {_fmt_bytes(total)}; the integration accepts "
                f"at most {_fmt_bytes(self._total)} in all.",
            )
        later.flush(ctx)
