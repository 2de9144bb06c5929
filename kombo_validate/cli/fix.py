"""``--fix``: rewrite a fixture in canonical wire form, changing as little text as possible.

When the canonical body differs from what was loaded only in scalar values
(a country name → its code, a date → UTC, an email's domain lowercased…),
each such value is replaced in place in the source text: comments,
indentation, key order and quoting of everything else stay byte for byte.

YAML values under an anchor, alias or ``<<`` merge are edited where they are
defined (after the ``&anchor``/``!tag``, which stay), and only when every
place that uses the definition wants the same new value; otherwise the fix
is refused (:class:`FixRefused`, naming the pointer): an author's sharing is
never silently undone.

When a key must be added or removed, the document is written anew: JSON with
the indentation, separators and line endings detected in the file; YAML with
PyYAML's safe dumper, keeping the indentation and key order — but only when
the YAML file has no comments, anchors, aliases or merge keys to lose (else
:class:`FixRefused`). Either way the new text is read back and must give
exactly the canonical bodies, or nothing is written (:class:`FixError`).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import yaml

from .. import jsontext
from ..issues import pointer
from .jsonpos import locate_span
from .loaders import JsonDocument, LoadedFile
from .yamlload import Node, YamlDocument, load_yaml, resolve_plain

__all__ = ["FixError", "FixRefused", "fixed_text", "same"]

Path = list[str | int]
#: a YAML document → the data that was checked (see ``yamltypes``)
View = Callable[[YamlDocument], Any]


def _as_loaded(doc: YamlDocument) -> Any:
    return doc.data


class FixError(Exception):
    """The fixture could not be rewritten; the message says why."""


def same(a: object, b: object) -> bool:
    """Deep equality that also compares types and key order (``1 != 1.0 != True``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _scalar_diffs(old: object, new: object, path: Path) -> list[tuple[Path, object]] | None:
    """The scalars that differ, by path; None when the shapes differ."""
    if same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new):
            return None
        pairs: list[tuple[Path, object, object]] = [([*path, k], old[k], new[k]) for k in old]
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return None
        pairs = [([*path, i], x, y) for i, (x, y) in enumerate(zip(old, new, strict=True))]
    elif isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return None
    else:
        return [(path, new)]
    found: list[tuple[Path, object]] = []
    for sub, x, y in pairs:
        diffs = _scalar_diffs(x, y, sub)
        if diffs is None:
            return None
        found.extend(diffs)
    return found


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def fixed_text(loaded: LoadedFile, bodies: Mapping[int, Any], view: View = _as_loaded) -> str:
    """The file's new text with document ``i`` replaced by ``bodies[i]``.

    ``view`` gives the data a YAML document stood for when it was checked.
    """
    assert loaded.text is not None
    if loaded.kind == "yaml":
        return _fix_yaml(loaded, bodies, view)
    docs = [d for d in loaded.documents if d.index in bodies]
    if loaded.kind == "json":
        assert isinstance(docs[0], JsonDocument)
        return _fix_json(docs[0], bodies[docs[0].index])
    lines = loaded.text.split("\n")
    for doc in docs:
        assert isinstance(doc, JsonDocument)
        lines[doc.first_line - 1] = _fix_json(doc, bodies[doc.index])
    return "\n".join(lines)


# -- JSON ------------------------------------------------------------------------------


class _JsonStyle(NamedTuple):
    indent: int | str | None
    separators: tuple[str, str]
    ensure_ascii: bool
    crlf: bool


def _json_style(text: str) -> _JsonStyle:
    found = re.search(r"\n([ \t]+)[^ \t\r\n]", text)
    indent: int | str | None = None
    if found:
        lead = found.group(1)
        indent = "\t" if lead.startswith("\t") else len(lead)
    key_sep = ": " if re.search(r'":[ ]', text) or not re.search(r'":', text) else ":"
    item_sep = ", " if indent is None and re.search(r',[ ]["\[{0-9tfn-]', text) else ","
    ensure_ascii = text.isascii() and "\\u" in text
    return _JsonStyle(indent, (item_sep, key_sep), ensure_ascii, "\r\n" in text)


def _fix_json(doc: JsonDocument, body: Any) -> str:
    text, style = doc.text, _json_style(doc.text)
    diffs = _scalar_diffs(doc.data, body, [])
    if diffs is not None:
        edits = []
        for path, value in diffs:
            start, end, found = locate_span(text, [str(p) for p in path])
            if not found:
                break
            edits.append((start, end, json.dumps(value, ensure_ascii=style.ensure_ascii)))
        else:
            new = _apply(text, edits)
            if _json_reads_back(new, body):
                return new
    dumped = json.dumps(
        body, indent=style.indent, separators=style.separators, ensure_ascii=style.ensure_ascii
    )
    if style.crlf:
        dumped = dumped.replace("\n", "\r\n")
    stripped = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    new = lead + dumped + text[len(lead) + len(stripped) :]
    if _json_reads_back(new, body):
        return new
    raise FixError("could not write a canonical form that reads back the same")


def _json_reads_back(text: str, body: Any) -> bool:
    try:
        return same(jsontext.loads(text), body)
    except ValueError:
        return False


# -- YAML ------------------------------------------------------------------------------

_RESOLVER: Any = yaml.resolver.Resolver()
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+/()-]*(?: [A-Za-z0-9_.@+/()-]+)*\Z")


def _plain_ok(value: str) -> bool:
    """Whether ``value`` can be written unquoted and read back as this string by any YAML."""
    return (
        bool(_PLAIN.match(value))
        and resolve_plain(value) == value
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    )


def _yaml_scalar(value: object, node: Node, original: str) -> str:
    """``value`` written in ``node``'s style, to replace ``original`` (its value's text)."""
    if isinstance(value, str):
        if node.style == "" and _plain_ok(value):
            rendered = value
        elif node.style == "'" and value.isprintable():
            rendered = "'" + value.replace("'", "''") + "'"
        else:
            rendered = json.dumps(value, ensure_ascii=False)
    else:
        rendered = json.dumps(value)
    return rendered + original[len(original.rstrip()) :]  # block scalars own their line break


class _Scan:
    """What the YAML scanner says about a text that the loaded :class:`Node` s do not.

    A scalar node starts at its first property (``&anchor``, ``!tag``), so its
    value alone is found here; an alias node sits at ``*name``, so the scalar
    it names is found here too.
    """

    def __init__(self, text: str) -> None:
        #: a scalar node's start → the span of its value (without anchor or tag)
        self.values: dict[int, tuple[int, int]] = {}
        #: an alias's start → the start of the node its anchor is on
        self.targets: dict[int, int] = {}
        #: the spans of all scalars (a ``#`` in one is text, not a comment)
        self.scalars: list[tuple[int, int]] = []
        #: anchors, aliases or ``<<`` merge keys anywhere in the text
        self.shared = False
        self._text = text
        anchors: dict[str, int] = {}
        loader = _Loader(text)
        try:
            pending: int | None = None  # where the properties of the next node began
            names: list[str] = []
            while True:
                token = loader.get_token()
                kind = type(token)
                if kind is yaml.StreamEndToken:
                    break
                if kind is yaml.AnchorToken or kind is yaml.TagToken:
                    pending = token.start_mark.index if pending is None else pending
                    if kind is yaml.AnchorToken:
                        names.append(token.value)
                        self.shared = True
                    continue
                start = token.start_mark.index
                node_start = start if pending is None else pending
                for name in names:
                    anchors[name] = node_start
                if kind is yaml.ScalarToken:
                    span = (start, token.end_mark.index)
                    self.values[node_start] = span
                    self.scalars.append(span)
                    self.shared = self.shared or (token.plain and token.value == "<<")
                elif kind is yaml.AliasToken:
                    self.shared = True
                    if token.value in anchors:
                        self.targets[start] = anchors[token.value]
                elif kind is yaml.DocumentStartToken or kind is yaml.DocumentEndToken:
                    anchors.clear()
                pending, names = None, []
        except yaml.YAMLError:
            pass  # a syntax error ends the stream: the documents before it were loaded
        finally:
            loader.dispose()

    def value_span(self, node: Node) -> tuple[int, int, int] | None:
        """(where the scalar is defined, value start, value end) for a scalar node;
        for an alias, the scalar its anchor is on. None when it cannot be found."""
        origin = self.targets.get(node.start, node.start)
        span = self.values.get(origin)
        if span is not None:
            return origin, *span
        if origin == node.start and not self._text[node.start : node.end].strip():
            return origin, node.start, node.end  # an empty (null) value: nothing to keep
        return None

    def comments(self) -> bool:
        """Whether the text has a comment (``#`` after a blank, outside any scalar,
        or on a block scalar's header line)."""
        text = self._text
        found = [m.start() for m in re.finditer(r"(?:^|(?<=[ \t\r\n]))#", text)]
        if not found:
            return False
        starts = [start for start, _ in self.scalars]
        for at in found:
            i = bisect.bisect_right(starts, at) - 1
            if i < 0:
                return True
            start, end = self.scalars[i]
            if at >= end:
                return True
            header_end = text.find("\n", start, end)
            if text[start] in "|>" and (header_end < 0 or at < header_end):
                return True
        return False


class FixRefused(FixError):
    """A value cannot be fixed without losing what the author wrote; ``refusals``
    are (document index, pointer, message): nothing was written."""

    def __init__(self, refusals: list[tuple[int, str, str]]) -> None:
        super().__init__("; ".join(f"{where or '/'}: {why}" for _, where, why in refusals))
        self.refusals = refusals


def _node_at(doc: YamlDocument, path: Path) -> Node | None:
    """The node at ``path`` (through aliases and merges: their Nodes are the definitions')."""
    node = doc.root
    for part in path:
        children = node.children
        child: Node | None = None
        if isinstance(children, dict) and isinstance(part, str):
            child = children.get(part)
        elif isinstance(children, list) and isinstance(part, int) and part < len(children):
            child = children[part]
        if child is None:
            return None
        node = child
    return node


def _scalar_uses(
    docs: list[YamlDocument], scan: _Scan, origins: set[int]
) -> dict[int, list[tuple[int, Path]]]:
    """Every place (document index, path) a scalar defined at one of ``origins`` is used."""
    uses: dict[int, list[tuple[int, Path]]] = {origin: [] for origin in origins}
    for doc in docs:
        stack: list[tuple[Node, Path]] = [(doc.root, [])]
        while stack:
            node, path = stack.pop()
            children = node.children
            if isinstance(children, dict):
                stack.extend((child, [*path, key]) for key, child in children.items())
            elif isinstance(children, list):
                stack.extend((child, [*path, i]) for i, child in enumerate(children))
            else:
                origin = scan.targets.get(node.start, node.start)
                if origin in uses:
                    uses[origin].append((doc.index, path))
    return uses


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _yaml_edits(
    text: str,
    docs: list[YamlDocument],
    diffs: dict[int, list[tuple[Path, object]]],
    scan: _Scan,
) -> list[tuple[int, int, str]]:
    """The in-place edits for the scalar changes ``diffs`` (by document index).

    A value under an anchor, alias or merge is edited once, where it is
    defined, when every place that uses it wants the same new value; otherwise
    :class:`FixRefused` names it.
    """
    wanted: dict[tuple[int, tuple[str | int, ...]], object] = {}
    at: dict[int, tuple[int, Path, object, Node, int, int]] = {}
    refusals: list[tuple[int, str, str]] = []
    for doc in docs:
        for path, value in diffs.get(doc.index, ()):
            wanted[doc.index, tuple(path)] = value
            node = _node_at(doc, path)
            found = None if node is None or node.children is not None else scan.value_span(node)
            if node is None or found is None:
                why = "the value to fix could not be found in the text; fix it by hand"
                refusals.append((doc.index, pointer(path), why))
                continue
            origin, start, end = found
            at.setdefault(origin, (doc.index, path, value, node, start, end))
    if scan.shared and not refusals:
        for origin, places in _scalar_uses(docs, scan, set(at)).items():
            index, path, value, _, start, _ = at[origin]
            for use_index, use in places:
                other = wanted.get((use_index, tuple(use)), _UNCHANGED)
                if other is _UNCHANGED or not same(other, value):
                    how = "must stay as it is" if other is _UNCHANGED else "needs another value"
                    why = (
                        f"the value is shared through an anchor, alias or merge (defined at"
                        f" line {_line_of(text, start)}) with {pointer(use) or '/'}, which {how};"
                        " fix it by hand"
                    )
                    refusals.append((index, pointer(path), why))
                    break
    if refusals:
        raise FixRefused(refusals)
    return [
        (start, end, _yaml_scalar(value, node, text[start:end]))
        for _, _, value, node, start, end in at.values()
    ]


_UNCHANGED = object()


def _shape_change(old: object, new: object, path: Path) -> Path:
    """Where the first key (or item) is added or removed between ``old`` and ``new``."""
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new):
            moved = [k for k in old if k not in new] or [k for k in new if k not in old]
            return [*path, moved[0]] if moved else path
        for key in old:
            if _scalar_diffs(old[key], new[key], []) is None:
                return _shape_change(old[key], new[key], [*path, key])
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (x, y) in enumerate(zip(old, new, strict=True)):
            if _scalar_diffs(x, y, []) is None:
                return _shape_change(x, y, [*path, i])
    return path


def _fix_yaml(loaded: LoadedFile, bodies: Mapping[int, Any], view: View) -> str:
    """Values are replaced in place; a document is written anew only when a key is
    added or removed and the file has no comments, anchors, aliases or merge keys
    that writing it anew would lose (else :class:`FixRefused`)."""
    text = loaded.text
    assert text is not None
    docs = [d for d in loaded.documents if isinstance(d, YamlDocument)]
    expected = {d.index: bodies[d.index] if d.index in bodies else view(d) for d in docs}
    scan = _Scan(text)
    diffs: dict[int, list[tuple[Path, object]]] = {}
    reshaped: list[tuple[int, Path]] = []
    for doc in docs:
        if doc.index in bodies:
            found = _scalar_diffs(view(doc), bodies[doc.index], [])
            if found is None:
                reshaped.append((doc.index, _shape_change(view(doc), bodies[doc.index], [])))
            else:
                diffs[doc.index] = found
    if not reshaped:
        new = _apply(text, _yaml_edits(text, docs, diffs, scan))
        if _yaml_reads_back(new, expected, view):
            return new
    if loaded.failed:
        raise FixError("cannot rewrite a file that also has documents with errors")
    lost = [
        what
        for what, present in (
            ("anchors, aliases or merge keys", scan.shared),
            ("comments", scan.comments()),
        )
        if present
    ]
    if lost:
        why = (
            "a key must be added or removed here, so the document would be written anew"
            f" and the file's {' and '.join(lost)} would be lost; make this change by hand"
            " (lint --strict lists it)"
        )
        if not reshaped:
            why = (
                "the fixed values do not read back as the canonical form when replaced in"
                f" place, and writing the document anew would lose the file's {' and '.join(lost)}"
            )
            reshaped = [(index, []) for index in diffs]
        raise FixRefused([(index, pointer(path), why) for index, path in reshaped])
    new = _dump_yaml(list(expected.values()), text)
    if _yaml_reads_back(new, expected, view):
        return new
    raise FixError("could not write a canonical form that reads back the same")


def _yaml_reads_back(text: str, expected: Mapping[int, Any], view: View) -> bool:
    documents, findings = load_yaml(text, "")
    if any(f.is_error for f in findings):
        return False
    got = {d.index: view(d) for d in documents}
    return all(index in got and same(got[index], data) for index, data in expected.items())


def _dump_yaml(documents: list[Any], original: str) -> str:
    found = re.search(r"^( +)\S", original, re.MULTILINE)
    indent = len(found.group(1)) if found and 2 <= len(found.group(1)) <= 9 else 2
    nested = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*\r?\n( *)- ", original, re.MULTILINE)
    indent_sequences = bool(nested and len(nested.group(2)) > len(nested.group(1)))

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            emitter: Any = super()
            emitter.increase_indent(flow, indentless and not indent_sequences)

    dumped = yaml.dump_all(
        documents,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        indent=indent,
        width=1 << 30,
        explicit_start=len(documents) > 1 or original.lstrip().startswith("---"),
    )
    return dumped.replace("\n", "\r\n") if "\r\n" in original else dumped
