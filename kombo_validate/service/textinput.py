"""Payloads sent to the check API as text (the playground's): JSON or YAML, parsed here,
with the line of each JSON Pointer so issues can be shown beside their lines.

JSON is parsed as the check API parses bodies (:mod:`kombo_validate.jsontext`) and
located lazily with :mod:`kombo_validate.jsonpos`. YAML is built from PyYAML's parser
*events* (libyaml's C parser when present), never from its constructors, with the
CLI's rules (:mod:`kombo_validate.cli.yamlload`, which this layer cannot import):

* no tag is ever executed: ``!!python/…`` is ``yaml.unsafe_tag``, any other tag that
  is not a JSON type ``yaml.unsupported_tag``;
* plain scalars resolve like JSON: a number only as JSON writes one,
  ``true``/``false``, ``null``/``~``/empty; anything else (``NO``, ``2021-01-01``,
  ``01234``, ``.inf``) stays a string;
* a member's line is its key's line (where a block value starts below it);
* aliases share the anchored value and count the nodes they add: past
  :data:`MAX_ALIAS_NODES`, ``yaml.alias_bomb``; ``<<`` merge keys apply (explicit keys
  win); nesting deeper than :data:`MAX_DEPTH` is ``file.too_deep``. No recursion: a
  deeply nested text cannot exhaust the stack.

A text that cannot be read gives one :class:`~kombo_validate.Issue` (``file.parse_error``
and the codes above, at its line), never an exception.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from .. import jsontext
from ..issues import Issue, excerpt, pointer
from ..jsonpos import line_col, locate_span, split_pointer

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "Parsed", "parse_text"]

MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 1000
FORMATS = ("auto", "json", "yaml")

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


class Parsed(NamedTuple):
    """The value of a text (None with ``problem``), and how to find a pointer's line."""

    value: Any
    problem: Issue | None
    format: str
    text: str
    #: YAML: pointer → 1-based line of each value built (JSON is located on demand)
    yaml_lines: dict[str, int] | None
    #: the line ``problem`` is at
    problem_line: int | None

    def line_of(self, pointer: str) -> int | None:
        """The 1-based line of the value at ``pointer`` or, when it is absent (a missing
        member), of its deepest ancestor that is there."""
        if self.problem is not None:
            return self.problem_line
        if self.yaml_lines is not None:
            while True:
                line = self.yaml_lines.get(pointer)
                if line is not None or not pointer:
                    return line
                pointer = pointer[: pointer.rfind("/")]
        start, _, _ = locate_span(self.text, split_pointer(pointer))
        return line_col(self.text, start)[0]


def parse_text(text: str, form: str = "auto") -> Parsed:
    """``text`` as JSON or YAML (``form``: ``"auto"`` reads JSON when the text starts
    with ``{`` or ``[``, YAML otherwise)."""
    if not text.strip():
        issue = Issue("", "file.empty", "there is no payload: the text is empty")
        return Parsed(None, issue, form, text, None, 1)
    if form == "auto":
        form = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    if form == "json":
        return _json(text)
    return _yaml(text)


def _json(text: str) -> Parsed:
    try:
        value = jsontext.loads(text, parse_constant=_no_constant)
    except RecursionError:
        issue = Issue("", "file.too_deep", "the JSON is nested too deeply to read")
        return Parsed(None, issue, "json", text, None, 1)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        issue = Issue("", "file.parse_error", f"not JSON: {reason}")
        return Parsed(None, issue, "json", text, None, line)
    return Parsed(value, None, "json", text, None, None)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class _Refused(Exception):
    def __init__(self, code: str, message: str, line: int) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


class _Container:
    __slots__ = ("key", "key_line", "merges", "pointer", "value")

    def __init__(self, value: Any, pointer: str) -> None:
        self.value = value
        self.pointer = pointer
        self.key: str | None = None  # a mapping's key waiting for its value
        self.key_line = 0  # its line: a member is shown on its key's line
        self.merges: list[tuple[Any, int]] = []  # << values, and their lines


def _yaml(text: str) -> Parsed:
    try:
        value, lines = _build(text)
    except _Refused as exc:
        return Parsed(None, Issue("", exc.code, exc.message), "yaml", text, None, exc.line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        issue = Issue("", "file.parse_error", f"not YAML: {reason} (line {line})")
        return Parsed(None, issue, "yaml", text, None, line)
    return Parsed(value, None, "yaml", text, lines, None)


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _scalar(event: Any) -> Any:
    tag, value, line = event.tag, event.value, _line(event)
    if tag in (None, "!"):
        if tag == "!" or not event.implicit[0]:
            return value  # quoted (or the non-specific tag): a string
        if _NUMBER.match(value):
            return jsontext.loads(value)
        if value in _NULLS:
            return None
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        return value
    _check_tag(tag, line)
    kind = tag[len(_CORE) :]
    if kind == "str":
        return value
    if kind == "null" and value in _NULLS:
        return None
    if kind == "bool" and (value in _TRUE or value in _FALSE):
        return value in _TRUE
    if kind in ("int", "float") and _NUMBER.match(value):
        number = jsontext.loads(value)
        return float(number) if kind == "float" else number
    raise _Refused("yaml.bad_scalar", f"{excerpt(value)} is no valid !!{kind}", line)


def _check_tag(tag: str, line: int) -> None:
    if tag.startswith(_CORE + "python/") or tag.startswith("!!python/"):
        raise _Refused("yaml.unsafe_tag", f"the tag {excerpt(tag)} is never executed", line)
    if tag[len(_CORE) :] not in ("str", "int", "float", "bool", "null", "map", "seq"):
        raise _Refused("yaml.unsupported_tag", f"the tag {excerpt(tag)} is no JSON type", line)


def _build(text: str) -> tuple[Any, dict[str, int]]:
    """The first document of ``text`` and the line of every pointer in it."""
    lines: dict[str, int] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Container] = []
    opened: list[tuple[int, str | None]] = []  # (nodes counted when it opened, anchor)
    total = added = 0  # nodes in the document, and those aliases added
    root: Any = None
    done = False
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent)):
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            if done:
                raise _Refused(
                    "file.parse_error", "the text holds several YAML documents", _line(event)
                )
            continue
        if isinstance(event, yaml.DocumentEndEvent):
            done = True
            continue
        line = _line(event)
        value_line: int | None = line
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            finished = stack.pop()
            at_open, anchor = opened.pop()
            if finished.merges:
                _merge(finished)
            if anchor is not None:
                anchors[anchor] = (finished.value, total - at_open + 1)
            value, value_line = finished.value, None  # its line was taken when it opened
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                message = f"the alias *{excerpt(event.anchor)} is undefined"
                raise _Refused("file.parse_error", message, line)
            value, nodes = anchors[event.anchor]
            total += nodes
            added += nodes
            if added > MAX_ALIAS_NODES:
                message = f"aliases add more than {MAX_ALIAS_NODES} nodes to the document"
                raise _Refused("yaml.alias_bomb", message, line)
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.value, dict) and parent.key is None:
                if event.tag not in (None, "!"):
                    _check_tag(event.tag, line)
                parent.key = event.value  # a key is always its text
                parent.key_line = line
                continue
            value = _scalar(event)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        else:  # MappingStart, SequenceStart
            assert isinstance(event, yaml.CollectionStartEvent)
            if event.tag not in (None, "!"):
                _check_tag(event.tag, line)
            if len(stack) >= MAX_DEPTH:
                raise _Refused("file.too_deep", f"nesting deeper than {MAX_DEPTH}", line)
            total += 1
            pointer = _child_pointer(stack, line) if stack else ""
            parent = stack[-1] if stack else None
            is_member = parent is not None and isinstance(parent.value, dict)
            lines[pointer] = parent.key_line if parent is not None and is_member else line
            is_map = isinstance(event, yaml.MappingStartEvent)
            stack.append(_Container({} if is_map else [], pointer))
            opened.append((total, event.anchor))
            continue
        if not stack:
            root = value
            lines.setdefault("", line)
            continue
        _place(stack[-1], value, value_line, lines, line)
    return root, lines


def _child_pointer(stack: list[_Container], line: int) -> str:
    """The pointer of a container about to open inside the top of ``stack``."""
    parent = stack[-1]
    if isinstance(parent.value, dict):
        if parent.key is None:
            raise _Refused("yaml.complex_key", "a mapping key must be a string", line)
        return parent.pointer + pointer([parent.key])
    return f"{parent.pointer}/{len(parent.value)}"


def _place(
    parent: _Container, value: Any, value_line: int | None, lines: dict[str, int], line: int
) -> None:
    if isinstance(parent.value, list):
        if value_line is not None:
            lines[f"{parent.pointer}/{len(parent.value)}"] = value_line
        parent.value.append(value)
        return
    if parent.key is None:  # an alias as a key
        if not isinstance(value, str):
            raise _Refused("yaml.complex_key", "a mapping key must be a string", line)
        parent.key = value
        return
    key, parent.key = parent.key, None
    if key == "<<":
        parent.merges.append((value, parent.key_line))
        return
    parent.value.pop(key, None)  # a repeated key: the last one wins, in its place
    parent.value[key] = value
    if value_line is not None:
        lines[parent.pointer + pointer([key])] = parent.key_line


def _merge(mapping: _Container) -> None:
    explicit = mapping.value
    merged: dict[str, Any] = {}
    for source, line in mapping.merges:
        for item in source if isinstance(source, list) else [source]:
            if not isinstance(item, dict):
                raise _Refused(
                    "yaml.bad_merge", "<< merges a mapping or a list of mappings only", line
                )
            for key, value in item.items():
                merged.setdefault(key, value)
    for key, value in merged.items():
        if key not in explicit:
            explicit[key] = value
