"""``lint_file``'s short way for the commonest file (a ``.json`` file, no ``--fix`` or
``--strict``): the same results as loading it the long way, for every kind of file."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import Validator
from kombo_validate.cli import lint
from kombo_validate.cli.lint import FileResult, LintOptions, State, check_document, lint_file
from kombo_validate.cli.loaders import JsonDocument, load_file, plain_json


def _indented(body: dict[str, Any]) -> bytes:
    return (json.dumps(body, indent=2) + "\n").encode()


def _corpus(example: dict[str, Any]) -> dict[str, tuple[bytes, list[tuple[str, str]]]]:
    """name → (content, the (code, path) of each finding, in order)."""
    bad = copy.deepcopy(example)
    bad["candidate"]["email_address"] = "not an email"
    ok = _indented(example)
    return {
        "ok.json": (ok, []),
        "bad.json": (_indented(bad), [("email.invalid", "/candidate/email_address")]),
        "bom.json": (b"\xef\xbb\xbf" + ok, []),
        "latin1.json": (b'{"candidate": "\xe9"}', [("file.encoding", "")]),
        "empty.json": (b"", [("file.empty", "")]),
        "blank.json": (b" \n\t\n", [("file.empty", "")]),
        "syntax.json": (b'{\n  "a": \n}', [("file.parse_error", "")]),
        "extra.json": (ok + b"{}", [("file.parse_error", "")]),
        "deep.json": (b"[" * 100_000, [("file.too_deep", "")]),
        # no --strict: a repeated key is not looked for, the last value wins
        "repeated.json": (
            ok[:-2] + b',\n  "candidate": {"first_name": "A", "last_name": "B"}\n}\n',
            [("schema.required", "/candidate/email_address")],
        ),
    }


@pytest.fixture
def state() -> Iterator[None]:
    lint.init_worker(State(LintOptions(), Validator(), None, None))
    yield
    lint.init_worker(State(LintOptions(), None, None, None))


def _the_long_way(path: str) -> FileResult:
    """What ``lint_file`` made of a file before it had a short way."""
    loaded = load_file(path, "json", duplicates=False)
    findings = list(loaded.findings)
    for doc in loaded.documents:
        findings.extend(check_document(doc, path)[0])
    findings.sort(key=lambda f: (f.line, f.column))
    return FileResult(findings, [], False, len(loaded.documents))


def test_every_kind_of_json_file_gives_what_the_long_way_gives(
    tmp_path: Path, example: dict[str, Any], state: None
) -> None:
    for name, (content, expected) in _corpus(example).items():
        path = tmp_path / name
        path.write_bytes(content)
        result = lint_file(str(path))
        assert [(f.code, f.path) for f in result.findings] == expected, name
        assert result == _the_long_way(str(path)), name
        assert result.payloads == (0 if expected and expected[0][0].startswith("file.") else 1)


def test_a_missing_or_unreadable_json_file(tmp_path: Path, state: None) -> None:
    missing = str(tmp_path / "missing.json")
    assert lint_file(missing) == _the_long_way(missing)
    assert [(f.code, f.path) for f in lint_file(missing).findings] == [("file.not_found", "")]
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert lint_file(str(folder)) == _the_long_way(str(folder))
    assert [(f.code, f.path) for f in lint_file(str(folder)).findings] == [("file.unreadable", "")]


def test_the_short_way_loads_only_what_it_cannot_take(
    tmp_path: Path, example: dict[str, Any], state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for name in ("load_file", "load_text"):
        real = getattr(lint, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(lint, name, counted)
    corpus = _corpus(example)
    for name in ("ok.json", "bad.json", "bom.json", "syntax.json"):
        (tmp_path / name).write_bytes(corpus[name][0])
    (tmp_path / "ok.yaml").write_text(json.dumps(example))
    findings = [(f.code, f.path) for f in lint_file(str(tmp_path / "bad.json")).findings]
    assert findings == [("email.invalid", "/candidate/email_address")]
    assert lint_file(str(tmp_path / "ok.json")) == FileResult([], [], False, 1)
    assert calls == []
    assert lint_file(str(tmp_path / "bom.json")) == FileResult([], [], False, 1)
    findings = [(f.code, f.path) for f in lint_file(str(tmp_path / "syntax.json")).findings]
    assert findings == [("file.parse_error", "")]
    assert calls == ["load_text", "load_text"]  # from the bytes read once
    assert lint_file(str(tmp_path / "ok.yaml")) == FileResult([], [], False, 1)
    assert calls[2:] == ["load_file"]
    lint.init_worker(State(LintOptions(strict=True), Validator(), None, None))
    assert lint_file(str(tmp_path / "ok.json")) == FileResult([], [], False, 1)
    assert calls[3:] == ["load_file"]  # --strict looks for repeated keys: the long way


@pytest.mark.parametrize(
    "raw",
    [b"", b" \n", b"\xef\xbb\xbf{}", b'{"a": "\xff"}', b"{", b"{} []", b"[" * 100_000, b"nul"],
)
def test_plain_json_leaves_anything_unusual_to_load_text(raw: bytes) -> None:
    assert plain_json(raw) is None


def test_plain_json_is_the_document_load_text_makes() -> None:
    doc = plain_json(b'{\n  "a": [1, 2.5, "\\u00e9", null]\n}')
    assert isinstance(doc, JsonDocument)
    assert (doc.data, doc.index, doc.first_line) == ({"a": [1, 2.5, "é", None]}, 0, 1)
    assert doc.locate("/a/2") == (2, 17)
