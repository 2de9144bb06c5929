"""The CLI's loaders: JSON/YAML/NDJSON → documents, pointers → (line, column), safe YAML."""

from __future__ import annotations

import math
import os
import pickle
import tracemalloc
from pathlib import Path

import pytest
import yaml

from kombo_validate.cli import yamlload
from kombo_validate.cli.findings import Finding
from kombo_validate.cli.jsonpos import duplicate_keys, line_col, locate_span, split_pointer
from kombo_validate.cli.loaders import kind_of, load_file, load_text
from kombo_validate.cli.yamlload import MAX_ALIAS_NODES, YamlDocument, resolve_plain
from kombo_validate.cli.yamltypes import coerce_strings

JSON_TEXT = """{
  "candidate": {
    "first_name": "Ada",
    "location": {"country": "XX", "zip_code": "01234"}
  },
  "attachments": [
    {"name": "cv.txt"},
    {"name": "b", "data": "aGk="}
  ],
  "n": NaN
}
"""

YAML_TEXT = """# a comment
candidate:
  first_name: Ada
  location:
    country: NO
    zip_code: 01234
  availability_date: 2021-01-01
attachments:
  - name: cv.txt
  - name: b
    data: aGk=
"""


def codes(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.path, f.line, f.column) for f in findings]


# -- pointers and JSON positions ---------------------------------------------------------


def test_split_pointer_unescapes() -> None:
    assert split_pointer("") == []
    assert split_pointer("/a~1b/c~0d/0") == ["a/b", "c~d", "0"]


def test_line_col_is_one_based_in_characters() -> None:
    text = "ab\ncdé\nf"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, 3) == (2, 1)
    assert line_col(text, 6) == (2, 4)
    assert line_col(text, 7, first_line=10) == (12, 1)


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1)),
        ("/candidate", (2, 16)),
        ("/candidate/first_name", (3, 19)),
        ("/candidate/location/country", (4, 29)),
        ("/candidate/location/zip_code", (4, 47)),
        ("/attachments/1/data", (8, 27)),
        ("/n", (10, 8)),
        # missing member: the parent object
        ("/candidate/email_address", (2, 16)),
        ("/attachments/0/content_type", (7, 5)),
        # index past the end: the array
        ("/attachments/5", (6, 18)),
        ("/nope/deeper", (1, 1)),
    ],
)
def test_json_positions(pointer: str, expected: tuple[int, int]) -> None:
    loaded = load_text(JSON_TEXT, "a.json", "json")
    assert loaded.findings == []
    assert loaded.documents[0].locate(pointer) == expected


def test_json_key_positions() -> None:
    doc = load_text(JSON_TEXT, "a.json", "json").documents[0]
    assert doc.locate("/candidate/location/country", key=True) == (4, 18)
    assert doc.locate("/attachments/1", key=True) == (8, 5)  # an item has no key
    assert doc.locate("/candidate/email_address", key=True) == (2, 16)


def test_json_span_and_escaped_keys() -> None:
    text = '{"a/b": {"c~d": [1, "two"]}, "x": "y"}'
    start, end, found = locate_span(text, split_pointer("/a~1b/c~0d/1"))
    assert found and text[start:end] == '"two"'
    start, end, found = locate_span(text, ["a/b", "zz"])
    assert not found and text[start:end] == '{"c~d": [1, "two"]}'


def test_json_duplicate_key_is_a_warning_and_last_wins() -> None:
    text = '{\n  "a": 1,\n  "b": {"c": 1, "c": 2},\n  "a": 3\n}'
    loaded = load_text(text, "d.json", "json")
    assert loaded.documents[0].data == {"a": 3, "b": {"c": 2}}
    assert codes(loaded.findings) == [
        ("file.duplicate_key", "/b/c", 3, 17),
        ("file.duplicate_key", "/a", 4, 3),
    ]
    assert loaded.documents[0].locate("/a") == (4, 8)  # the value that won
    assert sorted(p for p, _ in duplicate_keys(text)) == [["a"], ["b", "c"]]


def test_json_duplicates_skipped_on_the_fast_path() -> None:
    loaded = load_text('{"a": 1, "a": 2}', "d.json", "json", duplicates=False)
    assert loaded.findings == [] and loaded.documents[0].data == {"a": 2}


def test_json_nan_and_infinity_load_as_floats() -> None:
    data = load_text('{"a": NaN, "b": -Infinity, "c": 1e999}', "n.json", "json").documents[0].data
    assert isinstance(data, dict)
    assert math.isnan(data["a"]) and data["b"] == -math.inf and data["c"] == math.inf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": }', ("file.parse_error", "", 1, 7)),
        ('{\n  "a": 1,\n}', ("file.parse_error", "", 3, 1)),
        ("", ("file.empty", "", 1, 1)),
        ("  \n", ("file.empty", "", 1, 1)),
        ("[" * 100_000, ("file.too_deep", "", 1, 1)),
        ('{"a": 1} x', ("file.parse_error", "", 1, 10)),
    ],
)
def test_json_failures_are_findings(text: str, expected: tuple[str, str, int, int]) -> None:
    loaded = load_text(text, "bad.json", "json")
    assert loaded.documents == []
    assert codes(loaded.findings) == [expected]
    assert loaded.failed


def test_bad_encoding_is_located() -> None:
    loaded = load_text(b'{\n  "a": "\xc3\xa9\xff"\n}', "e.json", "json")
    assert codes(loaded.findings) == [("file.encoding", "", 2, 10)]


def test_bom_is_dropped() -> None:
    loaded = load_text(b'\xef\xbb\xbf{"a": 1}', "bom.json", "json")
    assert loaded.findings == [] and loaded.documents[0].data == {"a": 1}


def test_ndjson_one_payload_per_line() -> None:
    text = '{"a": 1}\n\n{"b": [1,\n{"c": {"d": 2}}\r\n'
    loaded = load_text(text, "x.ndjson", "ndjson")
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"c": {"d": 2}}]
    assert [d.index for d in loaded.documents] == [0, 1]
    assert codes(loaded.findings) == [("file.parse_error", "", 3, 10)]
    assert loaded.documents[1].locate("/c/d") == (4, 13)
    assert loaded.documents[1].locate("/c/missing") == (4, 7)


def test_files_on_disk(tmp_path: Path) -> None:
    (tmp_path / "a.JSON").write_text('{"a": 1}')
    assert load_file(str(tmp_path / "a.JSON")).documents[0].data == {"a": 1}
    missing = load_file(str(tmp_path / "missing.json"))
    assert codes(missing.findings) == [("file.not_found", "", 1, 1)]
    directory = tmp_path / "dir.json"
    directory.mkdir()
    assert codes(load_file(str(directory)).findings) == [("file.unreadable", "", 1, 1)]
    (tmp_path / "notes.txt").write_text("{}")
    other = load_file(str(tmp_path / "notes.txt"))
    assert codes(other.findings) == [("file.unsupported_type", "", 1, 1)]


def test_kind_of() -> None:
    assert [kind_of(p) for p in ("a.json", "b.YML", "c.yaml", "d.ndjson", "e.jsonl", "f.txt")] == [
        "json",
        "yaml",
        "yaml",
        "ndjson",
        "ndjson",
        None,
    ]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".json", None),  # a dotfile, not a JSON file named ""
        ("dir/.json", None),
        ("a.b/.yaml", None),
        (f"dir{os.sep}.json", None),
        ("x.json/notes", None),  # the suffix of a folder
        ("dir.d/a.json", "json"),
        ("/a.jsonl", "ndjson"),
        ("x..json", "json"),
        ("a.json.txt", None),
        ("noext", None),
    ],
)
def test_kind_of_needs_a_name_before_the_suffix(path: str, kind: str | None) -> None:
    assert kind_of(path) == kind


@pytest.mark.parametrize("text", ["\u00a0\n", " \t\r\n", "\ufeff \n"])
@pytest.mark.parametrize("duplicates", [True, False])
def test_only_whitespace_is_an_empty_file_on_both_paths(text: str, duplicates: bool) -> None:
    loaded = load_text(text.encode("utf-8"), "blank.json", "json", duplicates=duplicates)
    assert loaded.documents == []
    assert codes(loaded.findings) == [("file.empty", "", 1, 1)]


# -- YAML: resolution as the author meant -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("2021-01-01", "2021-01-01"),
        ("2021-01-01T10:00:00Z", "2021-01-01T10:00:00Z"),
        ("01234", "01234"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("+1", "+1"),
        ("1_000", "1_000"),
        ("1.", "1."),
        (".5", ".5"),
        ("12:30", "12:30"),
        ("1234", 1234),
        ("-0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-2.5E-3", -0.0025),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_plain_scalars_resolve_like_json(text: str, value: object) -> None:
    resolved = resolve_plain(text)
    assert resolved == value and type(resolved) is type(value)


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf and resolve_plain("-.Inf") == -math.inf
    nan = resolve_plain(".nan")
    assert isinstance(nan, float) and math.isnan(nan)


def test_yaml_document_and_positions() -> None:
    loaded = load_text(YAML_TEXT, "a.yaml", "yaml")
    assert loaded.findings == []
    doc = loaded.documents[0]
    assert doc.data == {
        "candidate": {
            "first_name": "Ada",
            "location": {"country": "NO", "zip_code": "01234"},
            "availability_date": "2021-01-01",
        },
        "attachments": [{"name": "cv.txt"}, {"name": "b", "data": "aGk="}],
    }
    assert doc.locate("") == (2, 1)
    assert doc.locate("/candidate/location/country") == (5, 14)
    assert doc.locate("/candidate/location/country", key=True) == (5, 5)
    assert doc.locate("/candidate/availability_date") == (7, 22)
    assert doc.locate("/attachments/1/data") == (11, 11)
    # missing member: the parent mapping (a block mapping starts at its first key)
    assert doc.locate("/candidate/email_address") == (3, 3)
    assert doc.locate("/attachments/0/content_type") == (9, 5)


def test_quoted_and_tagged_scalars() -> None:
    text = (
        "a: '1'\nb: \"true\"\nc: !!str 12\nd: !!int 12\ne: !!float 1\n"
        "f: !!bool true\ng: !!null ''\nh: ! 5\n"
    )
    data = load_text(text, "t.yaml", "yaml").documents[0].data
    assert data == {
        "a": "1",
        "b": "true",
        "c": "12",
        "d": 12,
        "e": 1.0,
        "f": True,
        "g": None,
        "h": "5",
    }


def test_keys_are_their_text() -> None:
    data = load_text("1: a\ntrue: b\nnull: c\n", "k.yaml", "yaml").documents[0].data
    assert data == {"1": "a", "true": "b", "null": "c"}


def test_yaml_duplicate_key_warns_and_last_wins() -> None:
    loaded = load_text("a:\n  b: 1\n  b: 2\n", "d.yaml", "yaml")
    assert loaded.documents[0].data == {"a": {"b": 2}}
    assert codes(loaded.findings) == [("file.duplicate_key", "/a/b", 3, 3)]
    assert loaded.findings[0].severity == "warning"


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &b\n  country: DE\n  city: Berlin\nloc:\n  <<: *b\n  city: Bonn\ncopy: *b\n"
    doc = load_text(text, "m.yaml", "yaml").documents[0]
    assert doc.data == {
        "base": {"country": "DE", "city": "Berlin"},
        "loc": {"country": "DE", "city": "Bonn"},
        "copy": {"country": "DE", "city": "Berlin"},
    }
    assert doc.locate("/loc/city") == (6, 9)
    assert doc.locate("/loc/country") == (2, 12)  # merged: where it was written
    assert doc.locate("/copy") == (7, 7)


def test_multi_document_stream_each_document_a_payload() -> None:
    loaded = load_text("{a: 1}\n---\n[2]\n--- !!binary aGk=\n---\nb: 3\n", "m.yaml", "yaml")
    assert [(d.index, d.data) for d in loaded.documents] == [(0, {"a": 1}), (1, [2]), (3, {"b": 3})]
    assert codes(loaded.findings) == [("yaml.unsupported_tag", "", 4, 5)]
    assert loaded.documents[2].locate("/b") == (6, 4)


def test_empty_yaml() -> None:
    assert codes(load_text("# nothing\n", "e.yaml", "yaml").findings) == [("file.empty", "", 1, 1)]
    assert [d.data for d in load_text("---\n", "e.yaml", "yaml").documents] == [None]


# -- YAML: safety ------------------------------------------------------------------------


def test_python_tag_is_an_error_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"candidate: !!python/object/apply:os.system ['touch {marker}']\n"
    loaded = load_text(text, "t.yaml", "yaml")
    assert codes(loaded.findings) == [("yaml.unsafe_tag", "/candidate", 1, 12)]
    assert loaded.documents == []
    assert not marker.exists()
    for text in ("a: !!python/name:os.system\n", "? !!python/tuple [1]\n: x\n"):
        assert load_text(text, "t.yaml", "yaml").findings[0].code == "yaml.unsafe_tag"


@pytest.mark.parametrize(
    "text",
    ["a: !!timestamp 2021-01-01\n", "a: !!set {x}\n", "a: !custom 1\n", "a: !!omap [a: 1]\n"],
)
def test_other_tags_are_unsupported(text: str) -> None:
    assert [f.code for f in load_text(text, "t.yaml", "yaml").findings] == ["yaml.unsupported_tag"]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_rejected_with_flat_memory() -> None:
    tracemalloc.start()
    try:
        loaded = load_text(billion_laughs(), "bomb.yaml", "yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(f.code, f.severity) for f in loaded.findings] == [("yaml.alias_bomb", "error")]
    assert loaded.findings[0].line == 6
    assert loaded.documents == []
    assert peak < 5_000_000


def test_aliases_below_the_limit_are_fine() -> None:
    loaded = load_text(billion_laughs(4), "ok.yaml", "yaml")  # 9**4 = 6561 < limit
    assert loaded.findings == [] and MAX_ALIAS_NODES > 9**4


def test_recursive_alias_and_undefined_alias() -> None:
    assert load_text("a: &a [*a]\n", "r.yaml", "yaml").findings[0].code == "yaml.recursive_alias"
    assert load_text("a: *nope\n", "r.yaml", "yaml").findings[0].code == "file.parse_error"


DEEP_FLOW = "[" * 5000 + "]" * 5000
DEEP_STREAM = "a: 1\n---\n" + "[" * 1001 + "]" * 1001 + "\n---\nb: 2\n"
DEEP_BLOCK = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 1200))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1\n", ("file.parse_error", "", 2, 1)),
        ("a: b: c\n", ("file.parse_error", "", 1, 5)),
        ("a:\n\tb: 1\n", ("file.parse_error", "", 2, 1)),
        ("? [1]\n: 2\n", ("yaml.complex_key", "", 1, 3)),
        ("a: \x07\n", ("file.parse_error", "", 1, 4)),
        (DEEP_FLOW, ("file.too_deep", "", 1, 1001)),
    ],
)
def test_yaml_failures_are_findings(text: str, expected: tuple[str, str, int, int]) -> None:
    loaded = load_text(text, "bad.yaml", "yaml")
    assert codes(loaded.findings)[0] == expected
    assert loaded.failed


_PARSERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    _PARSERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.mark.parametrize("parser", _PARSERS)
@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        (DEEP_FLOW, [], ("file.too_deep", "", 1, 1001)),
        (DEEP_STREAM, [{"a": 1}], ("file.too_deep", "", 3, 1001)),  # it ends the stream
        (DEEP_BLOCK, [], ("file.too_deep", "", 1001, 2001)),
        ("a:\n  b: " + "[" * 1200 + "]" * 1200 + "\n", [], ("file.too_deep", "", 2, 1004)),
    ],
)
def test_too_deep_yaml_is_the_same_with_every_parser(
    monkeypatch: pytest.MonkeyPatch,
    parser: type,
    text: str,
    data: list[object],
    expected: tuple[str, str, int, int],
) -> None:
    # PyYAML 6.0.4's libyaml stops at its own depth limit (a ScannerError) before the
    # loader's check: the same code, place, message and other documents all the same
    monkeypatch.setattr(yamlload, "_Loader", parser)
    loaded = load_text(text, "deep.yaml", "yaml")
    assert codes(loaded.findings) == [expected]
    assert loaded.findings[0].message == "nesting deeper than 1000"
    assert [d.data for d in loaded.documents] == data


class _LimitedLoader(yaml.SafeLoader):
    """A parser with a depth limit of 3, failing as libyaml 0.2.5 in PyYAML 6.0.4 does."""

    def get_event(self) -> object:
        event = super().get_event()
        self.depth = getattr(self, "depth", 0)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.depth += 1
            if self.depth > 3:
                raise yaml.scanner.ScannerError(
                    "while increasing flow level",
                    event.start_mark,
                    "exceeded maximum nesting depth",
                    event.start_mark,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.depth -= 1
        return event


def test_a_parser_depth_limit_falls_back_to_the_loaders_own_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # whatever PyYAML is installed, a parser that gives up on depth is not a syntax error
    monkeypatch.setattr(yamlload, "_Loader", _LimitedLoader)
    monkeypatch.setattr(yamlload, "MAX_DEPTH", 5)
    loaded = load_text("a: 1\n---\n[[[[[[[1]]]]]]]\n---\nb: 2\n", "deep.yaml", "yaml")
    assert codes(loaded.findings) == [("file.too_deep", "", 3, 6)]
    assert loaded.findings[0].message == "nesting deeper than 5"
    assert [d.data for d in loaded.documents] == [{"a": 1}]


def test_syntax_error_keeps_earlier_documents() -> None:
    loaded = load_text("a: 1\n---\nb: [\n", "s.yaml", "yaml")
    assert [d.data for d in loaded.documents] == [{"a": 1}]
    assert loaded.findings[0].code == "file.parse_error"


def test_loaded_data_is_json_data_and_findings_pickle() -> None:
    loaded = load_text(YAML_TEXT, "a.yaml", "yaml")
    assert pickle.loads(pickle.dumps(loaded.documents[0].data)) == loaded.documents[0].data
    finding = Finding("f", 1, 2, "/a", "x.y", "error", "m")
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert finding.to_dict() == {
        "file": "f",
        "line": 1,
        "column": 2,
        "path": "/a",
        "code": "x.y",
        "severity": "error",
        "message": "m",
    }


# -- YAML: plain numbers where the schema wants a string ---------------------------------

SCHEMA = {
    "type": "object",
    "properties": {
        "zip_code": {"type": "string"},
        "amount": {"type": "number"},
        "title": {"type": ["string", "null"]},
        "flag": {"type": "string"},
        "answers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "question_id": {"type": "string"},
                    "answer": {"anyOf": [{"type": "string"}, {"type": "number"}]},
                },
            },
        },
        "free": {},
    },
}


def test_plain_numbers_become_the_string_written_where_only_a_string_fits() -> None:
    text = (
        "zip_code: 10016\nzip_code2: 10016\namount: 100\ntitle:\nflag: true\n"
        "answers:\n  - question_id: 12345\n    answer: 42\nfree: 7\n"
    )
    doc = load_text(text, "c.yaml", "yaml").documents[0]
    assert isinstance(doc, YamlDocument)
    data = coerce_strings(doc.data, doc.root, SCHEMA)
    assert data == {
        "zip_code": "10016",
        "zip_code2": 10016,  # not in the schema: left alone
        "amount": 100,
        "title": None,  # null is never turned into a string
        "flag": "true",
        "answers": [{"question_id": "12345", "answer": 42}],
        "free": 7,
    }
    assert doc.data["answers"][0]["question_id"] == 12345  # type: ignore[index]


def test_aliased_numbers_are_coerced_too() -> None:
    doc = load_text("free: &z 10016\nzip_code: *z\n", "c.yaml", "yaml").documents[0]
    assert isinstance(doc, YamlDocument)
    assert coerce_strings(doc.data, doc.root, SCHEMA) == {"free": 10016, "zip_code": "10016"}


def test_quoted_or_tagged_numbers_are_not_coerced() -> None:
    doc = load_text("zip_code: !!int 10016\n", "c.yaml", "yaml").documents[0]
    assert isinstance(doc, YamlDocument)
    assert coerce_strings(doc.data, doc.root, SCHEMA) == {"zip_code": 10016}
    doc = load_text("zip_code: 1.50\n", "c.yaml", "yaml").documents[0]
    assert isinstance(doc, YamlDocument)
    assert coerce_strings(doc.data, doc.root, SCHEMA) == {"zip_code": "1.50"}
