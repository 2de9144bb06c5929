"""Where a JSON Pointer lands in JSON text, worked out only when it is needed.

Fixtures are parsed with the stdlib ``json`` (C speed) and no positions are
recorded while parsing: most fixtures have no issue, so most never need one.
When an issue does need a line and column, :func:`locate_span` walks the text
along the pointer, skipping sibling values with ``json``'s own scanner.

The text must be JSON that ``json.loads`` accepted; on anything else the walk
stops at the deepest position it could reach instead of raising.

Used by the CLI's loaders (:mod:`kombo_validate.cli.jsonpos` re-exports it) and by
the service's playground (line numbers of pasted JSON), so it sits below both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import jsontext

__all__ = [
    "duplicate_keys",
    "line_col",
    "locate_span",
    "split_pointer",
]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = jsontext.DECODER
_INDEX = re.compile(r"0|[1-9][0-9]*\Z")


def _skip(text: str, i: int) -> int:
    """The offset of the first non-whitespace character at or after ``i``."""
    match = _WS.match(text, i)
    return match.end() if match else i


def split_pointer(pointer: str) -> list[str]:
    """The unescaped segments of an RFC 6901 pointer (``""`` is the root)."""
    if not pointer:
        return []
    parts = pointer[1:].split("/") if pointer.startswith("/") else pointer.split("/")
    return [p.replace("~1", "/").replace("~0", "~") for p in parts]


def line_col(text: str, offset: int, first_line: int = 1) -> tuple[int, int]:
    """1-based (line, column) of a character offset; columns count characters."""
    line = text.count("\n", 0, offset) + first_line
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def locate_span(
    text: str, segments: list[str], start: int = 0, key: bool = False
) -> tuple[int, int, bool]:
    """``(start, end, found)`` of the value the segments name in ``text``.

    When a segment is absent (a missing property, an index past the end) the
    span is that of the deepest container that exists, and ``found`` is false.
    With ``key``, the span of a found member's key (``"name"``) instead.
    """
    i = _skip(text, start)
    key_at = -1
    try:
        for segment in segments:
            opener = text[i]
            inner: tuple[int, int] | None = None
            if opener == "{":
                inner = _member(text, i, segment)
            elif opener == "[":
                inner = _item(text, i, segment)
            if inner is None:
                return i, _end(text, i), False
            key_at, i = inner
        if key and key_at >= 0 and text[key_at] == '"':
            return key_at, _end(text, key_at), True
        return i, _end(text, i), True
    except (ValueError, IndexError):
        return i, i, False


def _end(text: str, i: int) -> int:
    try:
        return _DECODER.raw_decode(text, i)[1]
    except ValueError:
        return i


def _member(text: str, i: int, name: str) -> tuple[int, int] | None:
    """Offsets of the key and the value of member ``name`` of the object at ``i``
    (the last one wins, as in ``json``)."""
    scan = _DECODER.raw_decode
    i = _skip(text, i + 1)
    if text[i] == "}":
        return None
    found = None
    while True:
        key_at = i
        key, i = scan(text, i)
        i = _skip(text, _skip(text, i) + 1)  # past ':'
        if key == name:
            found = key_at, i
        i = _skip(text, scan(text, i)[1])
        if text[i] != ",":
            return found
        i = _skip(text, i + 1)


def _item(text: str, i: int, segment: str) -> tuple[int, int] | None:
    """Offset of item ``segment`` (a decimal index) of the array at ``i``, twice
    (an item has no key)."""
    if not _INDEX.match(segment):
        return None
    scan = _DECODER.raw_decode
    wanted = int(segment)
    i = _skip(text, i + 1)
    if text[i] == "]":
        return None
    for _ in range(wanted):
        i = _skip(text, scan(text, i)[1])
        if text[i] != ",":
            return None
        i = _skip(text, i + 1)
    return i, i


def duplicate_keys(text: str, start: int = 0) -> Iterator[tuple[list[str | int], int]]:
    """``(path, offset of the key)`` of every repeated member name (the repeat, not the first).

    Only called when parsing saw a duplicate, so it may be thorough rather than fast.
    """
    scan = _DECODER.raw_decode
    # a stack of (path, offset) still to visit: iterative, so depth is no problem
    todo: list[tuple[list[str | int], int]] = [([], _skip(text, start))]
    while todo:
        path, i = todo.pop()
        opener = text[i : i + 1]
        if opener not in ("{", "["):
            continue
        closer = "}" if opener == "{" else "]"
        i = _skip(text, i + 1)
        if text[i] == closer:
            continue
        seen: set[str] = set()
        index = 0
        children: list[tuple[list[str | int], int]] = []
        while True:
            if opener == "{":
                key_at = i
                key, i = scan(text, i)
                i = _skip(text, _skip(text, i) + 1)
                if key in seen:
                    yield [*path, key], key_at
                seen.add(key)
                children.append(([*path, key], i))
            else:
                children.append(([*path, index], i))
                index += 1
            i = _skip(text, scan(text, i)[1])
            if text[i] != ",":
                break
            i = _skip(text, i + 1)
        todo.extend(reversed(children))
