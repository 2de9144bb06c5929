"""``--fix``: rewrite a fixture in canonical wire form, changing as little text as possible.

When the canonical body differs from what was loaded only in scalar values
(a country name → its code, a date → UTC, an email's domain lowercased…),
each such value is replaced in place in the source text: comments,
indentation, key order and quoting of everything else stay byte for byte.
Otherwise (a key dropped or added) the document is written anew: JSON with
the indentation, separators and line endings detected in the file; YAML with
PyYAML's safe dumper, keeping the indentation and key order (comments are
lost in that case). Either way the new text is read back and must give
exactly the canonical bodies, or nothing is written (:class:`FixError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import yaml

from .jsonpos import locate_span
from .loaders import JsonDocument, LoadedFile
from .yamlload import Node, YamlDocument, load_yaml, resolve_plain

__all__ = ["FixError", "fixed_text", "same"]

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
        return same(json.loads(text), body)
    except ValueError:
        return False


# -- YAML ------------------------------------------------------------------------------

_RESOLVER: Any = yaml.resolver.Resolver()
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+/()-]*(?: [A-Za-z0-9_.@+/()-]+)*\Z")


def _plain_ok(value: str) -> bool:
    """Whether ``value`` can be written unquoted and read back as this string by any YAML."""
    return (
        bool(_PLAIN.match(value))
        and resolve_plain(value) == value
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    )


def _yaml_scalar(value: object, node: Node, text: str) -> str:
    if isinstance(value, str):
        if node.style == "" and _plain_ok(value):
            rendered = value
        elif node.style == "'" and value.isprintable():
            rendered = "'" + value.replace("'", "''") + "'"
        else:
            rendered = json.dumps(value, ensure_ascii=False)
    else:
        rendered = json.dumps(value)
    original = text[node.start : node.end]
    return rendered + original[len(original.rstrip()) :]  # block scalars own their line break


def _yaml_node(doc: YamlDocument, path: Path) -> Node | None:
    """The scalar node at ``path``, or None if it is shared (anchor, alias, merge) or absent."""
    node = doc.root
    for part in path:
        if node.shared:
            return None
        children = node.children
        child: Node | None = None
        if isinstance(children, dict) and isinstance(part, str):
            child = children.get(part)
        elif isinstance(children, list) and isinstance(part, int) and part < len(children):
            child = children[part]
        if child is None:
            return None
        node = child
    return None if node.shared or node.children is not None else node


def _fix_yaml(loaded: LoadedFile, bodies: Mapping[int, Any], view: View) -> str:
    text = loaded.text
    assert text is not None
    docs = [d for d in loaded.documents if isinstance(d, YamlDocument)]
    expected = {d.index: bodies[d.index] if d.index in bodies else view(d) for d in docs}
    edits: list[tuple[int, int, str]] | None = []
    for doc in docs:
        if doc.index not in bodies or edits is None:
            continue
        diffs = _scalar_diffs(view(doc), bodies[doc.index], [])
        for path, value in diffs or ():
            node = _yaml_node(doc, path)
            if node is None:
                diffs = None
                break
            edits.append((node.start, node.end, _yaml_scalar(value, node, text)))
        if diffs is None:
            edits = None
    if edits is not None:
        new = _apply(text, edits)
        if _yaml_reads_back(new, expected, view):
            return new
    if loaded.failed:
        raise FixError("cannot rewrite a file that also has documents with errors")
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
