"""`kombo-validate lint --response`: Kombo's answers kept as mock fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_validate.cli import main
from kombo_validate.spec import bundled_spec_path


def spec_examples() -> tuple[dict[str, Any], dict[str, Any]]:
    doc = yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    ok = op["responses"]["200"]["content"]["application/json"]["examples"]["example1"]["value"]
    error = doc["components"]["responses"]["ErrorResponseATS"]["content"]["application/json"]
    return ok, error["examples"]["Error Response"]["value"]


def test_spec_example_responses_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, error = spec_examples()
    (tmp_path / "ok.json").write_text(json.dumps(ok, indent=2))
    (tmp_path / "error.json").write_text(json.dumps(error, indent=2))
    assert main(["lint", "--response", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_missing_required_field_has_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok, _ = spec_examples()
    del ok["data"]["candidate_id"]
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(ok, indent=2))
    assert main(["lint", "--response", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["code"], f["line"]) for f in found] == [
        ("/data/candidate_id", "schema.required", 3)
    ]


def test_error_response_with_unknown_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, error = spec_examples()
    error["error"]["code"] = "PLATFORM.SOMETHING"
    path = tmp_path / "error.yaml"
    path.write_text(yaml.safe_dump(error, sort_keys=False))
    assert main(["lint", "--response", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["code"]) for f in found] == [("/error/code", "schema.enum")]


def test_response_does_not_go_with_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--response", "--fix", str(tmp_path)]) == 2
    assert "--response goes with neither --fix" in capsys.readouterr().err
