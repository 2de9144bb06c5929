"""YAML fixtures → JSON data, safely and as the author meant, with positions.

Nothing here ever constructs an object from a tag: the document is built
from the parser's *events* (libyaml's C parser when PyYAML has it), so

* ``!!python/...`` is a ``yaml.unsafe_tag`` error and any other tag that is
  not a JSON type (``!!binary``, ``!!timestamp``, ``!custom``) is
  ``yaml.unsupported_tag``: neither is ever executed;
* plain scalars are resolved like JSON (YAML 1.2's core idea, stricter):
  a number only when written as JSON writes numbers, ``true``/``false``
  (also ``True``/``TRUE``…), ``null``/``~``/empty, and ``.inf``/``.nan``.
  Everything else is a string, so ``NO`` stays ``"NO"``, ``2021-01-01``
  stays ``"2021-01-01"`` and ``01234`` keeps its zero. Keys are always
  their text;
* aliases share the anchored value (no copy), and the nodes they add to a
  document are counted: past :data:`MAX_ALIAS_NODES` the document is a
  ``yaml.alias_bomb`` error, found in milliseconds with flat memory;
* ``<<`` merge keys (YAML 1.1, common in fixtures) are applied: explicit
  keys win, then earlier merged mappings;
* a repeated key is a ``file.duplicate_key`` warning; the last value wins.

Every value gets a :class:`Node` with its line, column and source span.
A failure inside one document skips to the next one; a syntax error ends
the stream (the documents before it are kept).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..issues import Severity, excerpt, pointer
from .findings import Finding
from .jsonpos import split_pointer

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "Node", "YamlDocument", "load_yaml", "resolve_plain"]

#: nodes that alias expansion may add to one document before it is a bomb
MAX_ALIAS_NODES = 100_000
#: nesting deeper than this is an error (JSON's parser stops near here too)
MAX_DEPTH = 1000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ = _CORE + "map", _CORE + "seq"
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_SPECIAL_FLOATS = {
    **{s: math.inf for s in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{s: -math.inf for s in ("-.inf", "-.Inf", "-.INF")},
    **{s: math.nan for s in (".nan", ".NaN", ".NAN")},
}
_MISSING = object()


def resolve_plain(text: str) -> object:
    """The JSON value of an untagged plain scalar (see the module docstring)."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] in "-0123456789":
        match = _NUMBER.match(text)
        if match:
            return int(text) if match.lastindex is None else float(text)
    return _SPECIAL_FLOATS.get(text, text)


def _tagged(tag: str, text: str) -> object:
    """The value of a scalar with an explicit JSON-type tag (``_MISSING``: does not fit)."""
    if tag == _STR:
        return text
    value = resolve_plain(text) if text else _MISSING
    if tag == _NULL:
        return None if text in _NULLS else _MISSING
    if tag == _BOOL:
        return value if isinstance(value, bool) else _MISSING
    if tag == _INT:
        return value if type(value) is int else _MISSING
    if tag == _FLOAT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return _MISSING


class Node:
    """Where a value sits in the source: 1-based line/column and its character span.

    ``children`` maps keys (mappings) or holds items (sequences); ``style`` is
    the scalar style (``""`` plain, ``"'"``, ``'"'``, ``"|"``, ``">"``), None
    for collections. ``shared`` marks anchored, aliased and merged values,
    which ``--fix`` must not edit in place. ``raw`` keeps what the author
    wrote when a plain scalar became a number or boolean (see :mod:`.yamltypes`).
    """

    __slots__ = (
        "children",
        "column",
        "end",
        "key_column",
        "key_line",
        "line",
        "raw",
        "shared",
        "start",
        "style",
    )

    def __init__(
        self,
        mark: Any,
        end: int,
        style: str | None,
        children: dict[str, Node] | list[Node] | None,
        shared: bool,
    ) -> None:
        self.line: int = mark.line + 1
        self.column: int = mark.column + 1
        self.start: int = mark.index
        self.end = end
        self.style = style
        self.children = children
        self.shared = shared
        #: the source text of an untagged plain scalar that resolved to a non-string
        self.raw: str | None = None
        #: where the key is, for the value of a mapping member (else the value's place)
        self.key_line = self.line
        self.key_column = self.column


class YamlDocument:
    """One document of a stream: its JSON data and the root :class:`Node`."""

    __slots__ = ("data", "index", "root")

    def __init__(self, data: object, root: Node, index: int) -> None:
        self.data = data
        self.root = root
        self.index = index

    def locate(self, pointer: str, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value ``pointer`` names (see ``node_at``);
        with ``key``, of its key when it is a mapping member."""
        node, found = self.node_at(split_pointer(pointer))
        if key and found:
            return node.key_line, node.key_column
        return node.line, node.column

    def node_at(self, segments: list[str]) -> tuple[Node, bool]:
        """The node the segments name, or (deepest existing node, False)."""
        node = self.root
        for segment in segments:
            children = node.children
            if isinstance(children, dict):
                child = children.get(segment)
            elif isinstance(children, list) and segment.isdigit():
                index = int(segment)
                child = children[index] if index < len(children) else None
            else:
                child = None
            if child is None:
                return node, False
            node = child
        return node, True


class _Fail(Exception):
    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class _Frame:
    __slots__ = ("anchor", "key", "key_mark", "key_plain", "merges", "node", "size", "value")

    def __init__(self, value: dict[str, Any] | list[Any], node: Node, anchor: str | None) -> None:
        self.value = value
        self.node = node
        self.anchor = anchor
        self.key: str | None = None
        self.key_mark: Any = None
        self.key_plain = False
        self.merges: list[tuple[dict[str, Any], Node]] = []
        self.size = 1


def _check_tag(tag: str | None, allowed: str, mark: Any) -> None:
    if tag is None or tag == "!" or tag == allowed:
        return
    if tag.startswith(_CORE + "python/"):
        raise _Fail("yaml.unsafe_tag", f"tag {tag!r} is not allowed: YAML is loaded safely", mark)
    raise _Fail("yaml.unsupported_tag", f"tag {tag!r} is not a JSON type", mark)


class _Builder:
    """Turns parser events into documents (JSON data + Nodes) and findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.documents: list[YamlDocument] = []
        self.findings: list[Finding] = []
        self.index = -1
        #: nesting past MAX_DEPTH ends the stream: nothing after it is read
        self.stopped = False
        self._reset()

    def _reset(self) -> None:
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, Node, int]] = {}
        self.open_anchors: set[str] = set()
        self.root: tuple[Any, Node] | None = None
        self.expanded = 0
        self.skipping = False

    # -- events --------------------------------------------------------------------------

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            self.index += 1
            self._reset()
            return
        if kind is yaml.DocumentEndEvent:
            if not self.skipping and self.root is not None:
                self.documents.append(YamlDocument(self.root[0], self.root[1], self.index))
            return
        if self.skipping or kind is yaml.StreamStartEvent:
            return
        try:
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._end(event)
            elif kind is yaml.AliasEvent:
                self._alias(event)
        except _Fail as fail:
            self.error(fail.code, fail.message, fail.mark)
            self.skipping = True
            self.stopped = fail.code == "file.too_deep"  # ends the stream, as libyaml does

    def error(self, code: str, message: str, mark: Any, severity: Severity = "error") -> None:
        path = pointer(self._path()) if self.stack and code != "file.too_deep" else ""
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.findings.append(Finding(self.file, line, column, path, code, severity, message))

    def _path(self) -> list[str | int]:
        path: list[str | int] = []
        for frame in self.stack:
            if isinstance(frame.value, list):
                path.append(len(frame.value))
            elif frame.key is not None:
                path.append(frame.key)
        return path

    def _expects_key(self) -> _Frame | None:
        top = self.stack[-1] if self.stack else None
        return top if top is not None and top.key is None and isinstance(top.value, dict) else None

    def _scalar(self, event: Any) -> None:
        tag, text = event.tag, event.value
        frame = self._expects_key()
        if frame is not None:
            _check_tag(tag, _STR, event.start_mark)
            frame.key, frame.key_mark = text, event.start_mark
            frame.key_plain = tag is None and event.style in ("", None)
            return
        if tag is None:
            value: object = resolve_plain(text) if event.implicit[0] else text
        elif tag == "!":
            value = text
        else:
            if tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
                _check_tag(tag, _STR, event.start_mark)
            value = _tagged(tag, text)
            if value is _MISSING:
                raise _Fail(
                    "yaml.bad_scalar", f"{excerpt(text)} is not a valid {tag}", event.start_mark
                )
        node = Node(event.start_mark, event.end_mark.index, event.style or "", None, False)
        if tag is None and isinstance(value, (int, float)):  # bool is an int
            node.raw = text
        self._add(value, node, 1, event.anchor)

    def _start(self, event: Any, mapping: bool) -> None:
        _check_tag(event.tag, _MAP if mapping else _SEQ, event.start_mark)
        if self._expects_key() is not None:
            raise _Fail("yaml.complex_key", "a mapping key must be a string", event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise _Fail("file.too_deep", f"nesting deeper than {MAX_DEPTH}", event.start_mark)
        children: dict[str, Node] | list[Node] = {} if mapping else []
        node = Node(event.start_mark, event.start_mark.index, None, children, bool(event.anchor))
        self.stack.append(_Frame({} if mapping else [], node, event.anchor))
        if event.anchor:
            self.open_anchors.add(event.anchor)

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        frame.node.end = event.end_mark.index
        value = frame.value
        if frame.merges and isinstance(value, dict):
            value = self._merge(frame, value)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
        self._add(value, frame.node, frame.size, frame.anchor)

    def _alias(self, event: Any) -> None:
        name, mark = event.anchor, event.start_mark
        if name in self.open_anchors:
            raise _Fail("yaml.recursive_alias", f"alias *{name} refers to itself", mark)
        if name not in self.anchors:
            raise _Fail("file.parse_error", f"found undefined alias *{name}", mark)
        value, target, size = self.anchors[name]
        frame = self._expects_key()
        if frame is not None:
            if not isinstance(value, str):
                raise _Fail("yaml.complex_key", "a mapping key must be a string", mark)
            frame.key, frame.key_mark, frame.key_plain = value, mark, False
            return
        self.expanded += size
        if self.expanded > MAX_ALIAS_NODES:
            raise _Fail(
                "yaml.alias_bomb",
                f"aliases expand to more than {MAX_ALIAS_NODES} nodes (a 'billion laughs' file?)",
                mark,
            )
        node = Node(mark, event.end_mark.index, target.style, target.children, True)
        node.raw = target.raw
        self._add(value, node, size, None)

    # -- assembly ------------------------------------------------------------------------

    def _add(self, value: Any, node: Node, size: int, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = (value, node, size)
        if not self.stack:
            self.root = (value, node)
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.value, list):
            frame.value.append(value)
            assert isinstance(frame.node.children, list)
            frame.node.children.append(node)
            return
        key = frame.key
        assert key is not None and isinstance(frame.node.children, dict)
        if key == "<<" and frame.key_plain:
            self._add_merge(frame, value, node)
        else:
            if key in frame.value:
                self.error(
                    "file.duplicate_key",
                    f"key {excerpt(key)} appears more than once; the last value wins",
                    frame.key_mark,
                    "warning",
                )
            frame.value[key] = value
            frame.node.children[key] = node
            node.key_line, node.key_column = frame.key_mark.line + 1, frame.key_mark.column + 1
        frame.key = None

    def _add_merge(self, frame: _Frame, value: Any, node: Node) -> None:
        if isinstance(value, dict):
            frame.merges.append((value, node))
            return
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            assert isinstance(node.children, list)
            frame.merges.extend(zip(value, node.children, strict=True))
            return
        raise _Fail(
            "yaml.bad_merge", "'<<' must merge a mapping or a list of mappings", node_mark(node)
        )

    def _merge(self, frame: _Frame, explicit: dict[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        nodes: dict[str, Node] = {}
        for mapping, source in frame.merges:
            assert isinstance(source.children, dict)
            for key, item in mapping.items():
                if key not in merged:
                    merged[key] = item
                    nodes[key] = source.children[key]
        assert isinstance(frame.node.children, dict)
        frame.node.children = {**nodes, **frame.node.children}
        frame.node.shared = True
        return {**merged, **explicit}


class _Mark:
    __slots__ = ("column", "index", "line")

    def __init__(self, line: int, column: int, index: int) -> None:
        self.line, self.column, self.index = line, column, index


def node_mark(node: Node) -> _Mark:
    """A parser-style (0-based) mark for a node's start."""
    return _Mark(node.line - 1, node.column - 1, node.start)


#: what libyaml's scanner says past its own nesting limit (PyYAML ≥ 6.0.4 with libyaml)
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def load_yaml(text: str, file: str) -> tuple[list[YamlDocument], list[Finding]]:
    """Every document of a YAML stream, and the findings (errors, warnings) on the way.

    Nesting deeper than :data:`MAX_DEPTH` is ``file.too_deep`` at the collection
    that goes past it, and ends the stream like a syntax error (the documents
    before it are kept). libyaml (PyYAML 6.0.4 on) stops such a stream in its
    scanner, before the events of the deep document reach the builder, and not
    always at the same place: then the text up to a little past where it stopped
    is parsed again by PyYAML's pure-Python parser, so the builder's own check
    says it, at the same place on every PyYAML. Only that prefix is parsed again
    (the pure parser is quadratic in nesting depth), and not at all when the
    document is flow collections from its root: there libyaml stops at the
    1,001st bracket, where the builder's check would (``stop`` < 0).
    """
    documents, findings, stop = _load(text, file, _Loader)
    if stop is not None and _Loader is not yaml.SafeLoader and stop >= 0:
        # its line and the next (a block collection past the limit starts there), at most
        # a little past where it stopped (a flow one starts right there)
        cut = min(_line_end(text, _line_end(text, stop) + 1), stop + 256)
        documents, findings, _ = _load(text[:cut], file, yaml.SafeLoader)
        if not any(f.code == "file.too_deep" for f in findings):  # pragma: no cover
            documents, findings, _ = _load(text, file, yaml.SafeLoader)
    return documents, findings


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def _load(
    text: str, file: str, loader_class: Any
) -> tuple[list[YamlDocument], list[Finding], int | None]:
    """Documents and findings, and where the parser gave up on libyaml's depth limit."""
    builder = _Builder(file)
    loader = loader_class(text)
    too_deep = False
    stop: int | None = None
    try:
        while not builder.stopped:
            event = loader.get_event()
            if type(event) is yaml.StreamEndEvent:
                break
            builder.feed(event)
    except yaml.YAMLError as exc:
        depth = len(builder.stack)
        builder.stack.clear()
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        too_deep = problem == _LIBYAML_TOO_DEEP
        if too_deep:  # the builder's own check says it, the same on every PyYAML
            problem = f"nesting deeper than {MAX_DEPTH}"
        if mark is None and isinstance(getattr(exc, "position", None), int):
            offset = exc.position  # type: ignore[attr-defined]
            line = text.count("\n", 0, offset)
            mark = _Mark(line, offset - (text.rfind("\n", 0, offset) + 1), offset)
        if too_deep:
            builder.error("file.too_deep", problem, mark)
            stop = mark.index if mark is not None else len(text)
            if depth == 0 and mark is not None and text[stop : stop + 1] in ("[", "{"):
                stop = -1  # all flow from the root: the builder's check would say the same
        else:
            builder.error("file.parse_error", f"YAML syntax error: {problem}", mark)
    finally:
        loader.dispose()
    return builder.documents, builder.findings, stop
