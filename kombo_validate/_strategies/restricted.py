"""Attachments within an integration's restrictions (``GET /ats/actions/ats_create_application``).

Per type: a count between ``min_amount`` and ``max_amount`` (none of an
unsupported type), content types among ``accepted_mime_types``, files no
larger than ``max_file_size_bytes``, all together within ``total_size_bytes``.
With a per-file size limit the files are sent as ``data`` (the size of a
``data_url`` cannot be checked: a warning).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..restrictions import ATTACHMENT_TYPES, Restrictions, TypeRestriction
from .bodies import OMIT, Site
from .leaves import content_types
from .model import ArrNode, Model, ObjNode, StrNode

if TYPE_CHECKING:
    from .bodies import Gen

__all__ = ["count_ranges", "draw_uploads", "minimum_counts", "warning_free"]

#: how many more than the minimum of a type a body holds at most
_SPREAD = 2


def _kinds(model: Model) -> tuple[str, ...]:
    arr = model.uploads
    item = arr.items if arr is not None else None
    prop = item.prop("type") if isinstance(item, ObjNode) else None
    if prop is not None and isinstance(prop.node, StrNode) and prop.node.enum:
        return prop.node.enum
    return ATTACHMENT_TYPES


def count_ranges(restrictions: Restrictions, model: Model) -> dict[str, tuple[int, int]]:
    """``type → (fewest, most)`` attachments a drawn body holds; ValueError if impossible."""
    ranges: dict[str, tuple[int, int]] = {}
    for kind in _kinds(model):
        tr = restrictions.for_type(kind)
        if tr is None:
            ranges[kind] = (0, 1)
        elif not tr.is_supported:
            ranges[kind] = (0, 0)
        else:
            lo = max(0, math.ceil(tr.min_amount)) if tr.min_amount is not None else 0
            hi = math.floor(tr.max_amount) if tr.max_amount is not None else lo + _SPREAD
            if lo > hi:
                raise ValueError(
                    f"the restrictions admit no valid body: {kind} needs at least {lo} and "
                    f"at most {hi} attachments"
                )
            if not warning_free(tr, model):
                hi = lo  # each one costs a warning: no more than the minimum
            ranges[kind] = (lo, min(hi, lo + _SPREAD))
    return ranges


def content_type_pattern(model: Model) -> str | None:
    arr = model.uploads
    item = arr.items if arr is not None else None
    prop = item.prop("content_type") if isinstance(item, ObjNode) else None
    return prop.node.pattern if prop is not None and isinstance(prop.node, StrNode) else None


def warning_free(tr: TypeRestriction, model: Model) -> bool:
    """Whether a file of this type can be sent without a warning.

    Not when a per-file size limit rules out ``data_url`` (its size cannot be
    checked) and no accepted content type is both well-formed and specific
    (``application/octet-stream`` draws a warning).
    """
    if tr.max_file_size_bytes is None:
        return True
    return content_types(content_type_pattern(model), tr.accepted_mime_types) is not None


def minimum_counts(restrictions: Restrictions, model: Model) -> dict[str, int]:
    return {k: lo for k, (lo, _) in count_ranges(restrictions, model).items()}


def draw_uploads(
    gen: Gen, node: ArrNode, path: tuple[str | int, ...], restrictions: Restrictions
) -> Any:
    """``(raw, wire)`` attachments for the restrictions, or OMIT when none are drawn."""
    item = node.items
    assert isinstance(item, ObjNode)
    draw = gen.draw
    kinds: list[str] = []
    for kind, (lo, hi) in count_ranges(restrictions, gen.model).items():
        kinds += [kind] * draw(st.integers(lo, hi))
    order: list[str] = draw(st.permutations(kinds))
    if not order and draw(st.booleans()):
        return OMIT
    total = restrictions.total_size_bytes
    left = math.inf if total is None else math.floor(total)
    raw: list[Any] = []
    wire: list[Any] = []
    for i, kind in enumerate(order):
        tr = restrictions.for_type(kind)
        per_file = tr.max_file_size_bytes if tr is not None else None
        cap = min(left, math.inf if per_file is None else math.floor(per_file))
        here = (*path, i)
        r, w, size = gen.attachment(
            item,
            here,
            2,
            kind=kind,
            accepted=tr.accepted_mime_types if tr is not None else None,
            max_bytes=None if cap == math.inf else max(0, int(cap)),
            url_ok=per_file is None,
        )
        gen.sites.append(Site(here, item))
        left -= size
        raw.append(r)
        wire.append(w)
    gen.sites.append(Site(path, node))
    if gen.raw and gen.flip(4):
        return tuple(raw), wire
    return raw, wire
