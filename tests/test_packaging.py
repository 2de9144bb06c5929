"""An installed wheel carries the spec files and finds them without the source checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .helpers import run_python

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_and_finds_the_spec(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("kombo_validate-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kombo_validate/_spec/create-application.openapi.yaml" in names
    assert "kombo_validate/_spec/screening-questions.schema.json" in names
    assert "kombo_validate/py.typed" in names
    licences = [n for n in names if ".dist-info/" in n and n.endswith("/LICENSE")]
    assert len(licences) == 1 and zipfile.ZipFile(wheel).read(licences[0]).startswith(b"MIT")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import kombo_validate, kombo_validate.spec as s, kombo_validate.questions as q;"
        "print(kombo_validate.__file__); print(s.bundled_spec_path()); print(q.schema_path());"
        "print(kombo_validate.check({'candidate': {'first_name': 'A', 'last_name': 'B',"
        " 'email_address': 'a@example.com', 'location': {'country': 'de'}}}).body)"
    )
    run = run_python(code, tmp_path, PYTHONPATH=str(site), KOMBO_VALIDATE_CACHE_DIR="off")
    assert run.returncode == 0, run.stderr
    module, spec_path, schema_path, body = run.stdout.splitlines()
    for found in (module, spec_path, schema_path):
        assert found.startswith(str(site)), found
    assert "'country': 'DE'" in body
