"""Fixture files → payload documents, each able to say where a pointer lands.

``load_file`` never raises for bad input: a missing or unreadable file, one
that is not a regular file (a FIFO, a device: never read, so never a hang),
one over :data:`MAX_FILE_BYTES`, a bad encoding, a syntax error, an unsafe tag
or an alias bomb becomes a :class:`Finding` (``file.not_found``,
``file.unreadable``, ``file.not_regular``, ``file.too_large``,
``file.encoding``, ``file.parse_error``, ``yaml.unsafe_tag``,
``yaml.alias_bomb`` …) with its line and column.

``-`` (and ``/dev/stdin``) is standard input, read once by the caller and
named ``<stdin>`` in findings; its format is ``--input-format`` or, without
it, detected from the content (:func:`sniff`).

* ``.json`` — one payload; stdlib ``json`` (``NaN``/``Infinity`` load as
  floats, for the validator to report); positions are computed lazily.
  A repeated key is a ``file.duplicate_key`` warning when ``duplicates`` is
  asked for (``lint --strict``, ``check``, ``prepare``): finding them costs
  a Python call per object, ~40 % of parsing, so the fast path skips it.
* ``.ndjson`` / ``.jsonl`` — one payload per non-blank line.
* ``.yaml`` / ``.yml`` — one payload per YAML document (``---``), loaded by
  :mod:`.yamlload`.

The data is JSON data only: dict (string keys), list, str, int, float, bool, None.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Protocol

from .. import files, jsontext
from ..files import MAX_FILE_BYTES, read_regular
from ..issues import excerpt, pointer
from .findings import Finding
from .jsonpos import duplicate_keys, line_col, locate_span, split_pointer

__all__ = [
    "EXTENSIONS",
    "FILE_CODES",
    "INPUT_FORMATS",
    "MAX_FILE_BYTES",
    "STDIN",
    "STDIN_NAME",
    "Document",
    "JsonDocument",
    "LoadedFile",
    "is_stdin",
    "kind_of",
    "load_file",
    "load_text",
    "plain_json",
    "read_source",
    "read_stdin",
    "sniff",
]

#: file name suffix → kind
EXTENSIONS = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
#: what ``--input-format`` accepts
INPUT_FORMATS = ("json", "yaml", "ndjson")
#: codes about a file as a whole (it was not read): no line or column to show
FILE_CODES = frozenset({"file.not_found", "file.unreadable", "file.not_regular", "file.too_large"})
#: the path that means standard input, and the name findings give it
STDIN = "-"
STDIN_NAME = "<stdin>"
_STDIN_PATHS = frozenset({STDIN, "/dev/stdin"})
_SEPARATORS = frozenset({"/", os.sep})


class Document(Protocol):
    """One payload of a file."""

    @property
    def data(self) -> object: ...

    @property
    def index(self) -> int:
        """0-based position of the payload in its file."""
        ...

    def locate(self, pointer: str, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value ``pointer`` names (with ``key``:
        of its key, when it is an object member).

        For a missing member, the position of the nearest existing parent.
        """
        ...


class JsonDocument:
    """A JSON payload: the text it came from, the data ``json`` made of it."""

    __slots__ = ("data", "first_line", "index", "text")

    def __init__(self, data: object, text: str, index: int = 0, first_line: int = 1) -> None:
        self.data = data
        self.text = text
        self.index = index
        self.first_line = first_line

    def locate(self, pointer: str, key: bool = False) -> tuple[int, int]:
        start = locate_span(self.text, split_pointer(pointer), key=key)[0]
        return line_col(self.text, start, self.first_line)

    def span(self, pointer: str) -> tuple[int, int, bool]:
        """(start, end, found) of the value in :attr:`text`."""
        return locate_span(self.text, split_pointer(pointer))


class LoadedFile:
    """What became of one file: its payloads and the findings made on the way."""

    __slots__ = ("documents", "findings", "kind", "path", "text")

    def __init__(
        self,
        path: str,
        kind: str,
        text: str | None,
        documents: list[Document],
        findings: list[Finding],
    ) -> None:
        self.path = path
        self.kind = kind
        self.text = text
        self.documents = documents
        self.findings = findings

    @property
    def failed(self) -> bool:
        return any(f.is_error for f in self.findings)


def kind_of(path: str) -> str | None:
    """``"json"``, ``"yaml"``, ``"ndjson"``, or None for another suffix."""
    dot = path.rfind(".")
    if dot <= 0:
        return None
    kind = EXTENSIONS.get(path[dot:].lower())
    if kind is None or path[dot - 1] in _SEPARATORS:
        return None  # another suffix (a known one holds no separator), or a dotfile (".json")
    return kind


def _error(file: str, code: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(file, line, column, "", code, "error", message)


def is_stdin(path: str) -> bool:
    return path in _STDIN_PATHS


def sniff(raw: bytes) -> str:
    """The format of content without a name: JSON when it parses as one JSON value,
    NDJSON when it is several JSON values one per line, else YAML."""
    text = raw.lstrip()
    if text[:1] not in (b"{", b"["):
        return "yaml"
    try:
        jsontext.loads(raw)
    except json.JSONDecodeError as exc:
        return "ndjson" if exc.msg == "Extra data" and "\n" in exc.doc[: exc.pos] else "json"
    except (UnicodeDecodeError, RecursionError):
        return "json"  # the JSON loader reports it
    return "json"


def read_source(path: str, limit: int = MAX_FILE_BYTES) -> bytes | Finding:
    """The bytes of a regular file (at most ``limit``), or the finding that says why not
    (a FIFO, a socket or a device is ``file.not_regular`` and never read from)."""
    try:
        return read_regular(path, limit)
    except OSError as exc:
        return _read_error(path, exc)


def read_stdin(limit: int = MAX_FILE_BYTES) -> bytes | Finding:
    """Standard input as bytes (at most ``limit``), or the finding that says why not."""
    try:
        return files.read_stream(sys.stdin.buffer.read, limit)
    except OSError as exc:
        return _read_error(STDIN_NAME, exc)


def _read_error(path: str, exc: OSError) -> Finding:
    if isinstance(exc, FileNotFoundError):
        return _error(path, "file.not_found", "no such file")
    if isinstance(exc, files.TooLarge):
        return _error(path, "file.too_large", str(exc))
    if isinstance(exc, files.NotRegularFile):
        code = "file.unreadable" if "directory" in str(exc) else "file.not_regular"
        return _error(path, code, str(exc))
    return _error(path, "file.unreadable", exc.strerror or type(exc).__name__)


def load_file(
    path: str,
    kind: str | None = None,
    *,
    duplicates: bool = True,
    stdin: bytes | Finding | None = None,
) -> LoadedFile:
    """Read and parse one fixture (``kind`` defaults to the one its suffix names).

    ``duplicates``: look for repeated keys in JSON too (YAML: always).
    ``stdin``: what standard input held, for ``path`` ``-`` (read once by the caller;
    ``kind`` None: detected from the content).
    """
    if path in _STDIN_PATHS:  # (is_stdin, inlined: once per file linted)
        raw = stdin if stdin is not None else read_stdin()
        path = STDIN_NAME
        if isinstance(raw, Finding):
            return LoadedFile(path, kind or "", None, [], [raw])
        return load_text(raw, path, kind or sniff(raw), duplicates=duplicates)
    kind = kind or kind_of(path)
    if kind is None:
        message = (
            "not a fixture type: expected .json, .yaml, .yml, .ndjson or .jsonl "
            "(or name the format with --input-format)"
        )
        return LoadedFile(path, "", None, [], [_error(path, "file.unsupported_type", message)])
    raw = read_source(path)
    if isinstance(raw, Finding):
        return LoadedFile(path, kind, None, [], [raw])
    return load_text(raw, path, kind, duplicates=duplicates)


def _decode(raw: bytes, path: str) -> str | Finding:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return _error(path, "file.encoding", "not UTF-8 text", line, column)
    return text[1:] if text.startswith("\ufeff") else text


def load_text(raw: bytes | str, path: str, kind: str, *, duplicates: bool = True) -> LoadedFile:
    """Parse a fixture's content (bytes are decoded as UTF-8, a BOM dropped)."""
    text = raw if isinstance(raw, str) else _decode(raw, path)
    if isinstance(text, Finding):
        return LoadedFile(path, kind, None, [], [text])
    if kind == "yaml":
        from .yamlload import load_yaml  # PyYAML is imported only when a YAML file comes

        documents, findings = load_yaml(text, path)
        docs: list[Document] = list(documents)
    elif kind == "ndjson":
        docs, findings = _load_ndjson(text, path, duplicates)
    else:
        docs, findings = _load_json(text, path, 0, 1, duplicates)
    if not docs and not findings:
        findings = [_error(path, "file.empty", "no payload in the file", 1, 1)]
    return LoadedFile(path, kind, text, docs, findings)


_DECODER = jsontext.DECODER


def plain_json(raw: bytes) -> JsonDocument | None:
    """The document of UTF-8 text (no BOM) that is one JSON value, as :func:`load_text`
    makes it without looking for repeated keys — in one call, for the commonest file;
    None for anything else (bad UTF-8, a BOM, no payload, bad JSON, too deep), which
    :func:`load_text` then reports."""
    try:
        text = raw.decode("utf-8")
        return JsonDocument(_DECODER.decode(text), text)  # (a BOM is not JSON: None)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
        return None


def _load_json(
    text: str, path: str, index: int, first_line: int, duplicates: bool
) -> tuple[list[Document], list[Finding]]:
    repeats: list[int] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result = dict(pairs)
        if len(result) != len(pairs):
            repeats.append(1)
        return result

    try:
        if duplicates:
            data = jsontext.loads(text, object_pairs_hook=pairs_hook)
        else:
            data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        if not text.strip():  # (only whitespace: no payload; asked only now, it copies)
            return [], []
        message = f"JSON syntax error: {exc.msg}"
        return [], [
            _error(path, "file.parse_error", message, exc.lineno + first_line - 1, exc.colno)
        ]
    except RecursionError:
        return [], [_error(path, "file.too_deep", "nesting too deep to parse", first_line, 1)]
    findings = _duplicates(text, path, first_line) if repeats else []
    return [JsonDocument(data, text, index, first_line)], findings


def _duplicates(text: str, path: str, first_line: int) -> list[Finding]:
    found = []
    for where, offset in duplicate_keys(text):
        line, column = line_col(text, offset, first_line)
        message = f"key {excerpt(where[-1])} appears more than once; the last value wins"
        found.append(
            Finding(path, line, column, pointer(where), "file.duplicate_key", "warning", message)
        )
    return sorted(found, key=lambda f: (f.line, f.column))


def _load_ndjson(text: str, path: str, duplicates: bool) -> tuple[list[Document], list[Finding]]:
    documents: list[Document] = []
    findings: list[Finding] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        docs, found = _load_json(line, path, len(documents), number, duplicates)
        documents.extend(docs)
        findings.extend(found)
    return documents, findings
