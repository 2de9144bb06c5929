"""Drawing one attachment-shaped object (``data`` or ``data_url``, its content type,
its name), within the limits a job's restrictions or a FILE question set.

:meth:`.bodies.Gen.attachment` is this; the raw side takes data: URIs, MIME-wrapped
base64, bytes, content types with parameters, and types left to be inferred.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from . import leaves
from .model import AnyNode, ObjNode, StrNode
from .roles import content_type_raw, enum_raw
from .sites import DEFAULT_MAX_BYTES, Path, Site

if TYPE_CHECKING:
    from .bodies import Gen

__all__ = ["draw_attachment"]


def draw_attachment(
    gen: Gen,
    node: ObjNode,
    path: Path,
    depth: int,
    *,
    kind: str | None = None,
    accepted: tuple[str, ...] | None = None,
    max_bytes: int | None = None,
    url_ok: bool = True,
) -> tuple[Any, dict[str, Any], int]:
    """One attachment-shaped object: ``(raw, wire, decoded size)``.

    Exactly one of ``data``/``data_url``; ``content_type`` with ``data``,
    within ``accepted``; at most ``max_bytes`` decoded; ``data_url`` only
    when ``url_ok`` (a per-file size limit makes it a warning).
    """
    draw = gen.draw
    ct_prop = node.prop("content_type")
    ct_pattern = ct_prop.node.pattern if ct_prop and isinstance(ct_prop.node, StrNode) else None
    ctypes = leaves.content_types(ct_pattern, accepted) if ct_prop else None
    has_url = node.prop("data_url") is not None
    has_data = node.prop("data") is not None and (ctypes is not None or ct_prop is None)
    use_data = has_data and (not (has_url and url_ok) or draw(st.booleans()))
    if not use_data and not has_url:  # pragma: no cover - not an attachment shape
        use_data = True
    ct_wire: str | None = None
    if ctypes is not None and (use_data or draw(st.booleans())):
        ct_wire = draw(ctypes)
    form = "plain"
    if gen.raw and use_data and ct_wire is not None:
        forms = ["plain", "data_uri", "data_uri_ct"]
        if leaves.ext_for(ct_wire, ct_pattern):
            forms.append("infer")
        form = draw(st.sampled_from(forms))
    size = 0
    raw: dict[str, Any] = {}
    wire: dict[str, Any] = {}
    ct_late: str | None = None  # inferred or taken from data: goes last in the wire body
    for prop in node.props:
        name = prop.name
        here = (*path, name)
        if name == "name":
            value = _file_name(gen, ct_wire, ct_pattern, form == "infer")
            raw[name], wire[name] = value, value
        elif name == "content_type":
            if ct_wire is None:
                continue
            if form in ("infer", "data_uri"):
                if prop.droppable and gen.flip(3):
                    raw[name] = None
                ct_late = ct_wire
            else:
                raw[name] = content_type_raw(gen, ct_wire) if gen.raw else ct_wire
                wire[name] = ct_wire
        elif name == "data":
            if not use_data:
                if gen.raw and prop.droppable and gen.flip(4):
                    raw[name] = None
                continue
            limit = DEFAULT_MAX_BYTES if max_bytes is None else min(max_bytes, DEFAULT_MAX_BYTES)
            content, encoded = draw(leaves.b64(limit))
            size = len(content)
            raw[name], wire[name] = _data_raw(gen, content, encoded, form, ct_wire), encoded
        elif name == "data_url":
            if use_data:
                if gen.raw and prop.droppable and gen.flip(4):
                    raw[name] = None
                continue
            url = draw(leaves.http_urls())
            raw[name], wire[name] = url, url
        elif name == "type" and kind is not None:
            raw[name] = enum_raw(gen, (kind,), kind) if gen.raw else kind
            wire[name] = kind
        elif name in node.required or gen.flip(4):
            raw[name], wire[name] = gen.value(prop.node, here, depth + 1)
        else:
            continue
        if name not in ("name", "content_type", "data", "data_url") or name in wire:
            gen.sites.append(Site(here, prop.node))
    if ct_late is not None:
        wire["content_type"] = ct_late
        gen.sites.append(Site((*path, "content_type"), ct_prop.node if ct_prop else AnyNode()))
    return raw, wire, size


def _file_name(gen: Gen, ct: str | None, pattern: str | None, infer: bool) -> str:
    exts = leaves.ext_for(ct, pattern) if ct is not None else ()
    if infer or (exts and gen.flip(2)):
        stem = gen.draw(leaves.file_stems())
        ext = gen.draw(st.sampled_from(exts))
        return stem + (ext.upper() if gen.flip(4) else ext)
    name: str = gen.draw(leaves.texts(12))
    return name


def _data_raw(gen: Gen, content: bytes, encoded: str, form: str, ct: str | None) -> Any:
    if not gen.raw:
        return encoded
    text = encoded
    if gen.flip(3):
        newline = gen.draw(st.sampled_from(("\n", "\r\n")))
        lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
        text = newline.join(lines) + (newline if lines and gen.flip(2) else "")
    if form in ("data_uri", "data_uri_ct"):
        mime = ct or "application/pdf"
        if form == "data_uri_ct":
            mime = gen.draw(st.sampled_from((mime, "application/pdf", "")))
        params = gen.draw(st.sampled_from(("", ";charset=utf-8", ";name=cv.pdf")))
        prefix = gen.draw(st.sampled_from(("data:", "DATA:", "Data:")))
        return f"{prefix}{leaves.case_variant(gen.draw, mime)}{params};base64,{text}"
    if text == encoded and gen.flip(2):
        kind = gen.draw(st.sampled_from((bytes, bytearray, memoryview)))
        return kind(content)
    return text
