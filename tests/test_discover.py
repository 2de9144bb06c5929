"""``lint PATH...`` → files: the directory walk's batches (one suffix test and one
normalised directory per folder) list exactly what a file-by-file walk lists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kombo_validate.cli.discover import expand_paths


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (
        "b.json",
        "a.JSON",
        "c.yml",
        "d.Yaml",
        "e.ndjson",
        "f.jsonl",
        "notes.txt",
        ".json",
        ".hidden.json",
        "no_suffix",
        "sub/x.json",
        "sub/deeper/y.yaml",
        ".git/z.json",
        "node_modules/m.json",
    ):
        path = tmp_path / "t" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "t"


LISTED = [
    ".hidden.json",  # hidden folders are skipped, hidden files with a suffix are not
    "a.JSON",
    "b.json",
    "c.yml",
    "d.Yaml",
    "e.ndjson",
    "f.jsonl",
    "sub/x.json",
    "sub/deeper/y.yaml",
]


def test_a_directory_lists_fixtures_by_suffix_case_blind_sorted_per_folder(tree: Path) -> None:
    files, findings = expand_paths(["t"])
    assert files == [f"t/{name}" for name in LISTED] and findings == []


def test_each_file_once_across_arguments_whatever_the_spelling(tree: Path) -> None:
    files, _ = expand_paths(["t/sub", "t", "./t/b.json", "t//sub/x.json"])
    assert files == [
        "t/sub/x.json",
        "t/sub/deeper/y.yaml",
        *[f"t/{name}" for name in LISTED[:7]],
    ]
    os.chdir(tree)
    files, _ = expand_paths(["b.json", ".", "./sub/../c.yml"])
    assert files[:3] == ["b.json", "./.hidden.json", "./a.JSON"] and "./b.json" not in files
    assert "./c.yml" in files and "./sub/../c.yml" not in files
    assert len(files) == len(LISTED)


def test_an_empty_directory_is_a_warning_at_its_path(tree: Path) -> None:
    (tree / "empty" / ".hidden").mkdir(parents=True)
    (tree / "empty" / ".hidden" / "x.json").write_text("{}")
    files, findings = expand_paths(["t/empty"])
    assert files == []
    assert [(f.file, f.code, f.severity) for f in findings] == [
        ("t/empty", "file.no_fixtures", "warning")
    ]
