"""``--operation`` on lint, check, prepare and schema, and the folder → operation mapping of a
``kombo-validate.toml`` or ``[tool.kombo-validate]`` in ``pyproject.toml`` (issue 14, part 5).

Every test runs in its own directory holding a copy of the multi-operation test document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kombo_validate.cli import main

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
CANDIDATE = {"candidate": {"first_name": "Grace"}, "application": {"job_id": "J1"}}
MAPPING = """\
spec = "spec.yaml"
[operations]
"fx/candidates" = "PostAtsCandidates"
"fx/**/employee-*.json" = "PATCH /hris/employees/{employee_id}"
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fx/candidates/c1.json (no application), fx/hr/x/employee-1.json (a number for a
    string), fx/app.json (a Create application body, valid in the test document)."""
    shutil.copy(MULTI, tmp_path / "spec.yaml")
    for name, data in {
        "fx/candidates/c1.json": {"candidate": {"first_name": "A"}},
        "fx/hr/x/employee-1.json": {"nationality": 7},
        "fx/app.json": {"candidate": {"first_name": "A"}},
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lint_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any]]:
    code, out, _ = run(capsys, "lint", *argv, "--format", "json")
    return code, [(f["file"], f["path"], f["code"]) for f in json.loads(out)]


MAPPED = [
    ("fx/candidates/c1.json", "/application", "schema.required"),
    ("fx/hr/x/employee-1.json", "/nationality", "schema.type"),
]


# ------------------------------------------------------------------ the folder mapping


def test_kombo_validate_toml_maps_folders_to_operations(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "kombo-validate.toml").write_text(MAPPING, encoding="utf-8")
    assert lint_json(capsys, "fx") == (1, MAPPED)  # fx/app.json: Create application, valid


def test_pyproject_maps_folders_to_operations(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = MAPPING.replace("[operations]", "[tool.kombo-validate.operations]")
    (tree / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.kombo-validate]\n' + table, encoding="utf-8"
    )
    assert lint_json(capsys, "fx") == (1, MAPPED)


def test_patterns_are_relative_to_the_config_file_and_the_first_match_wins(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "kombo-validate.toml").write_text(
        MAPPING.replace("[operations]", '[operations]\n"fx/hr" = "PostAtsCandidates"'),
        encoding="utf-8",
    )
    monkeypatch.chdir(tree / "fx")  # the config is found in a parent directory
    assert lint_json(capsys, "hr") == (
        1,
        [
            ("hr/x/employee-1.json", "/candidate", "schema.required"),
            ("hr/x/employee-1.json", "/application", "schema.required"),
            ("hr/x/employee-1.json", "/nationality", "key.unknown"),  # a warning
        ],
    )


def test_the_config_operation_is_the_default_for_unmapped_files(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = 'spec = "spec.yaml"\noperation = "PostAtsCandidates"\n'
    (tree / "kombo-validate.toml").write_text(config, encoding="utf-8")
    assert lint_json(capsys, "fx/app.json") == (
        1,
        [("fx/app.json", "/application", "schema.required")],
    )


def test_kombo_validate_toml_wins_over_pyproject(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "kombo-validate.toml").write_text(MAPPING, encoding="utf-8")
    (tree / "pyproject.toml").write_text(
        '[tool.kombo-validate]\noperation = "Nope"\n', encoding="utf-8"
    )
    assert lint_json(capsys, "fx") == (1, MAPPED)


def test_the_command_line_operation_overrides_the_mapping(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "kombo-validate.toml").write_text(MAPPING, encoding="utf-8")
    code, found = lint_json(
        capsys, "fx/app.json", "fx/candidates", "--operation", "PostAtsCandidates"
    )
    assert (code, found) == (
        1,
        [
            ("fx/app.json", "/application", "schema.required"),
            ("fx/candidates/c1.json", "/application", "schema.required"),
        ],
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            MAPPING.replace('= "PostAtsCandidates"', '= "PostAtsCandidate"'),
            'kombo-validate.toml: [operations] "fx/candidates" = PostAtsCandidate: operation '
            "'PostAtsCandidate' not found; the document has PostAtsCandidates (POST /ats/candidates)",
        ),
        (
            'spec = "spec.yaml"\noperation = "PostAtsCandidate"\n',
            "kombo-validate.toml: operation = PostAtsCandidate: operation 'PostAtsCandidate' "
            "not found",
        ),
        ('spec = "missing.yaml"\n', "kombo-validate.toml: spec "),
        ('operatons = "x"\n', "kombo-validate.toml: unknown key 'operatons'"),
        (
            '[operations]\n"fx" = 1\n',
            'kombo-validate.toml: [operations] "fx": expected an operation',
        ),
        ("spec = [", "kombo-validate.toml: not valid TOML"),
    ],
)
def test_a_config_error_names_the_file_and_key(
    tree: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    (tree / "kombo-validate.toml").write_text(config, encoding="utf-8")
    code, out, err = run(capsys, "lint", "fx")
    assert (code, out) == (2, "")
    assert err.startswith(f"kombo-validate: error: {message}")


# ------------------------------------------------------------------ --operation


def test_an_unknown_operation_is_a_usage_error_naming_the_closest(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("lint", "check", "prepare"):
        code, out, err = run(
            capsys, command, "fx/app.json", "--spec", "spec.yaml", "--operation", "PostAtsCandidat"
        )
        assert (code, out) == (2, "")
        assert err.startswith(
            "kombo-validate: error: --operation PostAtsCandidat: operation 'PostAtsCandidat' "
            "not found; the document has PostAtsCandidates (POST /ats/candidates), "
        )
    code, _, err = run(capsys, "schema", "--spec", "spec.yaml", "--operation", "PostAtsCandidat")
    assert code == 2 and "the document has PostAtsCandidates" in err


def test_check_and_prepare_take_the_operation(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "c.json").write_text(json.dumps(CANDIDATE), encoding="utf-8")
    args = ("--spec", "spec.yaml", "--operation", "POST /ats/candidates")
    code, out, _ = run(capsys, "check", "c.json", "fx/app.json", *args, "--format", "json")
    reports = json.loads(out)
    assert code == 1
    assert [(r["file"], r["ok"]) for r in reports] == [("c.json", True), ("fx/app.json", False)]
    assert [(i["path"], i["code"]) for i in reports[1]["documents"][0]["issues"]] == [
        ("/application", "schema.required")
    ]
    code, out, _ = run(capsys, "prepare", "c.json", *args)
    assert (code, json.loads(out)) == (0, CANDIDATE)


def test_schema_takes_the_operation(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--spec", "spec.yaml", "--operation", "/ats/candidates")
    schema = json.loads(out)
    assert code == 0
    assert schema["required"] == ["candidate", "application"]


def test_the_job_context_must_fit_the_operation(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "q.json").write_text("[]", encoding="utf-8")
    code, _, err = run(
        capsys,
        "lint",
        "fx/hr",
        "--spec",
        "spec.yaml",
        "--operation",
        "PatchHrisEmployeesEmployeeId",
        "--questions",
        "q.json",
    )
    assert code == 2
    assert err == (
        "kombo-validate: error: --questions: PATCH /hris/employees/{employee_id} "
        "takes no screening question answers\n"
    )
