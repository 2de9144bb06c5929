"""What a ``kombo-validate lint one.json`` start does not import (issue 16): shutil
(argparse's terminal width, found here as shutil finds it), tomllib (a pyproject.toml
whose only mention of kombo-validate is no [tool.kombo-validate] table), pathlib
(the config search walks up with ``os.path``)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_validate.cli import config, options

from .helpers import run_python

ROOT = Path(__file__).resolve().parents[1]

SCRIPTS_ONLY = '[project.scripts]\nkombo-validate = "kombo_validate.cli:main"\n'


@pytest.mark.parametrize(
    "text",
    [
        '[tool.kombo-validate]\noperation = "PostAtsCandidates"\n',
        '[tool."kombo-validate"]\noperation = "PostAtsCandidates"\n',
        '[ tool . kombo-validate ]\noperation = "PostAtsCandidates"\n',
        '[tool]\nkombo-validate = { operation = "PostAtsCandidates" }\n',
        'tool.kombo-validate.operation = "PostAtsCandidates"\n',
        'tool = { kombo-validate = { operation = "PostAtsCandidates" } }\n',
        '[tool.kombo-validate.operations]\n"x" = "PostAtsCandidates"\n',
    ],
)
def test_every_spelling_of_the_table_is_read(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text + SCRIPTS_ONLY, encoding="utf-8")
    found = config.find_config(tmp_path / "sub" / "..")
    assert found is not None
    assert found.file.endswith("pyproject.toml") and found.table == "tool.kombo-validate"
    assert "PostAtsCandidates" in (found.operation, *dict(found.operations).values())


def test_a_script_named_kombo_validate_is_no_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(SCRIPTS_ONLY, encoding="utf-8")
    assert config._MAY_HOLD.search(SCRIPTS_ONLY) is None
    assert config.find_config(tmp_path) is None


def test_terminal_width_as_shutil_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for columns, lines in (("", ""), ("123", "40"), ("77", ""), ("x", "y"), ("-3", "9")):
        monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setenv("LINES", lines)
        assert options._columns() == shutil.get_terminal_size().columns


def test_lint_one_file_imports_no_shutil_tomllib_or_pathlib(
    tmp_path: Path, example: dict[str, Any]
) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(example), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(SCRIPTS_ONLY, encoding="utf-8")
    # Only what the lint imports counts. The interpreter starts with -S and the caller's
    # sys.path: a site-packages .pth file runs before any of our code and may import these
    # itself (one that refreshes certifi's bundle loads pathlib and shutil).
    code = (
        "import sys\nbefore = set(sys.modules)\nfrom kombo_validate.cli import main\n"
        f"assert main(['lint', {str(one)!r}]) == 0\n"
        "print(sorted({'shutil', 'tomllib', 'pathlib'} & (set(sys.modules) - before)))\n"
    )
    path = os.pathsep.join([str(ROOT), *(p for p in sys.path if p)])
    env = {"PYTHONPATH": path, "KOMBO_VALIDATE_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the cache: a warm start is the one measured
        done = run_python(code, tmp_path, "-S", **env)
        assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
