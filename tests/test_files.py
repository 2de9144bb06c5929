"""Reading a named file (``files.read_regular``): one read when ``fstat`` tells the size,
the whole file whatever happens to it meanwhile, never past the limit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import files
from kombo_validate.cli.loaders import load_file, read_source

TEXT = b'{\n  "candidate": {"first_name": "Ada"}\n}\n'


class _Reads:
    """``os.read`` counting its calls (and the sizes asked for)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self._read = os.read

    def __call__(self, fd: int, size: int) -> bytes:
        self.sizes.append(size)
        return self._read(fd, size)


def _fstat_saying(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make ``fstat`` report ``size`` bytes (as if the file changed after it)."""
    real = os.fstat

    class Info:
        def __init__(self, info: Any) -> None:
            self.st_mode = info.st_mode
            self.st_size = size

    monkeypatch.setattr(os, "fstat", lambda fd: Info(real(fd)))


def test_a_file_as_large_as_fstat_says_is_read_in_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(TEXT)
    reads = _Reads()
    monkeypatch.setattr(os, "read", reads)
    assert files.read_regular(path) == TEXT
    assert reads.sizes == [len(TEXT) + 1]


@pytest.mark.parametrize("told", [0, 1, len(TEXT) - 1, len(TEXT) + 1, len(TEXT) + 1000])
def test_a_file_that_grew_or_shrank_after_fstat_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(TEXT)
    _fstat_saying(monkeypatch, told)
    reads = _Reads()
    monkeypatch.setattr(os, "read", reads)
    assert files.read_regular(path) == TEXT
    assert reads.sizes[-1] > 0 and len(reads.sizes) >= 2  # read on to the end (b"")


def test_a_file_that_grew_past_the_limit_after_fstat_is_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(TEXT)
    _fstat_saying(monkeypatch, 10)
    with pytest.raises(files.TooLarge):
        files.read_regular(path, limit=len(TEXT) - 1)
    assert files.read_regular(path, limit=len(TEXT)) == TEXT


@pytest.mark.parametrize("size", [0, 1, 99, 100])
def test_files_up_to_the_limit_are_read(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"7" * size)
    assert files.read_regular(path, limit=100) == b"7" * size


def test_a_file_over_the_limit_is_too_large_at_its_path(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"7" * 101)
    with pytest.raises(files.TooLarge):
        files.read_regular(path, limit=100)
    found = read_source(str(path), 100)
    assert not isinstance(found, bytes)
    assert (found.file, found.code, found.path, found.line) == (
        str(path),
        "file.too_large",
        "",
        1,
    )


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc here")
def test_a_file_whose_size_is_unknown_is_read_to_its_end() -> None:
    assert os.stat("/proc/self/status").st_size == 0
    assert files.read_regular("/proc/self/status").startswith(b"Name:")


def test_a_changing_file_still_loads_with_its_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(TEXT)
    _fstat_saying(monkeypatch, 3)
    loaded = load_file(str(path))
    assert loaded.findings == []
    assert loaded.documents[0].data == {"candidate": {"first_name": "Ada"}}
    assert loaded.documents[0].locate("/candidate/first_name") == (2, 31)
