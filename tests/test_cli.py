"""``kombo-validate`` end to end: the real entry point ``main([...])`` over fixture trees.

Every format, every exit code, exact line and column in JSON and YAML, the
YAML cases of the issue, the bomb and the tag, ``--jobs``, the job context,
``check``/``prepare``/``spec``, and a subprocess run of ``python -m kombo_validate``
(and of the console script when it is installed).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_validate.cli import main

from .helpers import question

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE: dict[str, Any] = json.loads((EXAMPLES / "valid" / "application.json").read_text())

YAML_OK = """\
candidate:
  first_name: Frank
  last_name: Doe
  email_address: frank.doe@example.com
  phone_number: 4930123456
  availability_date: 2021-01-01
  location:
    city: Oslo
    zip_code: 01234
    country: NO
stage_id: 8x3YKRDcuRnwShdh96ShBNn1
"""

YAML_BAD = """\
# a comment line
candidate:
  first_name: Frank
  last_name: Doe
  availability_date: 2021-02-30
  location:
    country: XX
attachmnets: []
"""

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def body(**changes: Any) -> dict[str, Any]:
    """The spec example with candidate fields replaced (None removes one)."""
    data = copy.deepcopy(EXAMPLE)
    for key, value in changes.items():
        if value is None:
            data["candidate"].pop(key, None)
        else:
            data["candidate"][key] = value
    return data


def write(path: Path, content: str | dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else json.dumps(content, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def at(path: Path, line: int, column: int) -> str:
    """The source text from a 1-based (line, column) to the end of that line."""
    return path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """valid/ (JSON, YAML, NDJSON), invalid/ (a JSON and a YAML with known positions)."""
    write(tmp_path / "valid" / "app.json", EXAMPLE)
    write(tmp_path / "valid" / "app.yaml", YAML_OK)
    write(tmp_path / "valid" / "many.ndjson", "\n".join(json.dumps(body()) for _ in range(3)))
    write(tmp_path / "invalid" / "country.json", body(location={"country": "XX"}))
    write(tmp_path / "invalid" / "bad.yaml", YAML_BAD)
    return tmp_path


# -- lint: text format, positions ---------------------------------------------------------


def test_valid_tree_passes(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, out, err = run(capsys, "lint", tree / "valid")
    assert (code, out, err) == (0, "", "3 files checked: 0 errors, 0 warnings\n")


def test_json_issue_line_and_column(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    path = tree / "invalid" / "country.json"
    code, out, err = run(capsys, "lint", path)
    assert code == 1
    assert at(path, 16, 18) == '"XX"'
    assert out == (
        f"{path}:16:18: error country.unknown /candidate/location/country "
        "'XX' is not an ISO 3166-1 country: use an alpha-2 code such as 'DE'\n"
    )
    assert err == "1 file checked: 1 error, 0 warnings\n"


def test_yaml_issue_lines_and_columns(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    path = tree / "invalid" / "bad.yaml"
    code, out, _ = run(capsys, "lint", path, "--format", "json")
    assert code == 1
    found = [(f["line"], f["column"], f["path"], f["code"]) for f in json.loads(out)]
    assert found == [
        (3, 3, "/candidate/email_address", "schema.required"),  # missing: at its parent
        (5, 22, "/candidate/availability_date", "date.invalid"),
        (7, 14, "/candidate/location/country", "country.unknown"),
        (8, 1, "/attachmnets", "key.unknown"),  # an unknown key: at the key
    ]


def test_missing_property_is_located_at_its_parent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "no-email.json", body(email_address=None))
    yaml_path = write(tmp_path / "no-email.yaml", "stage_id: x\ncandidate:\n  first_name: A\n")
    code, out, _ = run(capsys, "lint", path, yaml_path, "--format", "json")
    assert code == 1
    found = [(Path(f["file"]).name, f["line"], f["column"], f["path"]) for f in json.loads(out)]
    assert ("no-email.json", 2, 16, "/candidate/email_address") in found
    assert ("no-email.yaml", 3, 3, "/candidate/last_name") in found
    assert ("no-email.yaml", 3, 3, "/candidate/email_address") in found


# -- YAML as the author meant --------------------------------------------------------------


def test_yaml_norway_dates_and_leading_zeros(
    capsys: pytest.CaptureFixture[str], tree: Path
) -> None:
    code, out, err = run(capsys, "prepare", tree / "valid" / "app.yaml")
    assert (code, err) == (0, "")
    candidate = json.loads(out)["candidate"]
    assert candidate["location"] == {"city": "Oslo", "zip_code": "01234", "country": "NO"}
    assert candidate["availability_date"] == "2021-01-01"
    assert candidate["phone_number"] == "4930123456"  # a plain number where a string is wanted


def test_yaml_bomb_and_python_tag_are_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bomb = write(tmp_path / "bomb.yaml", BOMB)
    marker = tmp_path / "pwned"
    tag = write(
        tmp_path / "tag.yaml", f"candidate: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    code, out, _ = run(capsys, "lint", bomb, tag, "--format", "json")
    assert code == 1
    found = [(Path(f["file"]).name, f["line"], f["column"], f["code"]) for f in json.loads(out)]
    assert found == [("bomb.yaml", 6, 8, "yaml.alias_bomb"), ("tag.yaml", 1, 12, "yaml.unsafe_tag")]
    assert not marker.exists()


# -- formats -------------------------------------------------------------------------------


def test_json_format_is_one_array_on_stdout(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, out, err = run(capsys, "lint", tree, "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert isinstance(findings, list) and findings
    assert all(
        list(f) == ["file", "line", "column", "path", "code", "severity", "message"]
        for f in findings
    )
    assert err == "5 files checked: 4 errors, 1 warning\n"


def test_github_format(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    path = tree / "invalid" / "country.json"
    code, out, err = run(capsys, "lint", path, "--format", "github")
    assert code == 1
    assert out == (
        f"::error file={path},line=16,col=18,title=country.unknown::/candidate/location/country "
        "'XX' is not an ISO 3166-1 country: use an alpha-2 code such as 'DE'\n"
    )
    assert err == "1 file checked: 1 error, 0 warnings\n"


def test_quiet(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, out, err = run(capsys, "lint", tree / "invalid", "-q")
    assert code == 1 and err == ""
    assert "warning" not in out and out.count(" error ") == 4


# -- exit codes ----------------------------------------------------------------------------


def test_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = body()
    data["attachmnets"] = []
    path = write(tmp_path / "typo.json", data)
    code, out, _ = run(capsys, "lint", path)
    assert code == 0 and " warning key.unknown /attachmnets " in out
    code, _, err = run(capsys, "lint", path, "--strict")
    assert code == 1 and err == "1 file checked: 0 errors, 1 warning\n"


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (
            '{"candidate": ',
            "trunc.json",
            "trunc.json:1:15: error file.parse_error (root) JSON syntax",
        ),
        ("a: [1\n", "trunc.yaml", "trunc.yaml:2:1: error file.parse_error (root) YAML syntax"),
        (b"\xff\xfe", "utf16.json", "utf16.json:1:1: error file.encoding (root) not UTF-8 text"),
        ("", "empty.yaml", "empty.yaml:1:1: error file.empty (root) no payload in the file"),
    ],
)
def test_unparseable_fixtures_exit_1(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str | bytes,
    name: str,
    expected: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    code, out, _ = run(capsys, "lint", path)
    assert code == 1
    assert out.startswith(f"{tmp_path}{os.sep}{expected}")


def test_unreadable_and_unmatched_paths_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "lint", tmp_path / "missing.json", tmp_path / "*.yaml")
    assert code == 1
    assert out.splitlines() == [
        f"{tmp_path}/*.yaml:1:1: error file.not_found (root) no fixture file matches this pattern",
        f"{tmp_path}/missing.json:1:1: error file.not_found (root) no such file",
    ]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["lint"],
        ["lint", "x.json", "--bogus"],
        ["frobnicate"],
        ["lint", "x.json", "--format", "xml"],
        ["lint", "x.json", "--jobs", "-1"],
        ["lint", "x.json", "--job-id", "J"],
        ["check"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert "error" in err


def test_unusable_options_exit_2(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    bad_spec = write(tree / "spec.yaml", "openapi: 3.1.0\npaths: {}\n")
    bad_restrictions = write(tree / "r.json", '{"total_size_bytes": "big"}')
    for args in (
        ["--questions", tree / "missing.json"],
        ["--questions", tree / "invalid" / "bad.yaml"],
        ["--restrictions", bad_restrictions],
        ["--spec", tree / "missing.yaml"],
        ["--spec", bad_spec],
    ):
        code, out, err = run(capsys, "lint", tree / "valid", *args)
        assert (code, out) == (2, ""), args
        assert err.startswith(f"kombo-validate: error: {args[0]}"), err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--help")[0] == 0
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("kombo-validate ")


# -- paths and --jobs ----------------------------------------------------------------------


def test_directories_recurse_globs_expand_hidden_dirs_skipped(
    capsys: pytest.CaptureFixture[str], tree: Path
) -> None:
    write(tree / ".hidden" / "x.json", "not json")
    write(tree / "valid" / "README.md", "# not a fixture")
    code, _, err = run(capsys, "lint", tree / "valid")
    assert (code, err) == (0, "3 files checked: 0 errors, 0 warnings\n")
    code, _, err = run(capsys, "lint", str(tree / "**" / "*.json"))
    assert (code, err) == (1, "2 files checked: 1 error, 0 warnings\n")
    code, _, err = run(capsys, "lint", tree / "valid", tree / "valid" / "app.json")
    assert err == "3 files checked: 0 errors, 0 warnings\n"  # each file once
    empty = tree / "empty"
    empty.mkdir()
    code, out, _ = run(capsys, "lint", empty)
    assert code == 0 and "warning file.no_fixtures" in out


def test_jobs_output_identical_to_serial(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    for i in range(40):
        country = "XX" if i % 3 == 0 else "DE"
        write(tree / "many" / f"{i:02d}.json", body(location={"country": country}))
    write(tree / "many" / "bomb.yaml", BOMB)
    serial = run(capsys, "lint", tree, "--jobs", "1", "--format", "json")
    parallel = run(capsys, "lint", tree, "--jobs", "2", "--format", "json")
    assert serial == parallel
    assert serial[0] == 1 and len(json.loads(serial[1])) == 20


# -- job context ---------------------------------------------------------------------------

Q_MOVE = "D8yPrjXXvA2XeBksTmrVvKSn"


def jobs_response() -> dict[str, Any]:
    move = question(
        Q_MOVE, "Are you willing to relocate?", {"type": "BOOLEAN"}, remote_id="move", required=True
    )
    return {
        "status": "success",
        "data": {
            "results": [
                {"id": "JOB1", "remote_id": "r1", "screening_questions": [move]},
                {"id": "JOB2", "remote_id": "r2", "screening_questions": []},
            ],
            "next": None,
        },
    }


def test_questions_from_a_jobs_response(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    payload = body()
    payload["screening_question_answers"] = [{"question_id": Q_MOVE, "answer": "yes"}]
    fixture = write(tmp_path / "app.json", payload)
    questions = write(tmp_path / "jobs.json", jobs_response())
    code, out, _ = run(
        capsys, "lint", fixture, "--questions", questions, "--job-id", "JOB1", "--format", "json"
    )
    assert code == 1
    found = [
        (f["path"], f["line"], f["column"]) for f in json.loads(out) if f["severity"] == "error"
    ]
    assert found == [("/screening_question_answers/0/answer", 34, 17)]
    assert at(fixture, 34, 17) == '"yes"'
    assert run(capsys, "lint", fixture, "--questions", questions, "--job-id", "JOB2")[0] == 0
    code, _, err = run(capsys, "lint", fixture, "--questions", questions)
    assert code == 2 and "--job-id" in err
    code, _, err = run(capsys, "lint", fixture, "--questions", questions, "--job-id", "NOPE")
    assert code == 2 and "no such job" in err


def test_restrictions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixture = write(tmp_path / "app.json", body())
    restrictions = {
        "status": "success",
        "data": {
            "attachment_restrictions": {
                "total_size_bytes": None,
                "types": {"CV": {"is_supported": False}},
            }
        },
    }
    path = write(tmp_path / "r.yaml", json.dumps(restrictions))
    code, out, _ = run(capsys, "lint", fixture, "--restrictions", path, "--format", "json")
    assert code == 1
    found = [(f["path"], f["line"], f["column"]) for f in json.loads(out)]
    assert found == [("/attachments/0/type", 27, 15)]
    assert at(fixture, 27, 15) == '"CV",'


# -- check, prepare, spec ------------------------------------------------------------------


def test_check_prints_issues_changes_and_a_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "a.json", body(gender="female", availability_date="2021-02-30"))
    code, out, err = run(capsys, "check", path)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}:14:26: error date.invalid /candidate/availability_date")
    assert lines[1].startswith(f"{path}:9:15: change /candidate/gender: 'female' → 'FEMALE'")
    assert lines[2] == f"{path}: invalid (1 payload): 1 error, 0 warnings, 1 change"
    code, out, _ = run(capsys, "check", path, "--format", "json")
    [report] = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["documents"][0]["issues"][0]["line"] == 14
    assert report["documents"][0]["changes"][0]["after"] == "FEMALE"
    assert run(capsys, "check", EXAMPLES / "valid" / "application.json")[0] == 0


def test_readme_first_command(capsys: pytest.CaptureFixture[str]) -> None:
    valid, invalid = (
        EXAMPLES / "valid" / "application.json",
        EXAMPLES / "invalid" / "application.yaml",
    )
    code, out, err = run(capsys, "check", valid, invalid)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"{valid}: valid (1 payload): 0 errors, 0 warnings, 0 changes"
    assert out.splitlines()[-1] == f"{invalid}: invalid (1 payload): 2 errors, 1 warning, 0 changes"


def test_prepare(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", body(gender="female"))
    code, out, err = run(capsys, "prepare", path)
    assert (code, err) == (0, "")
    assert json.loads(out)["candidate"]["gender"] == "FEMALE"
    code, out, err = run(capsys, "prepare", EXAMPLES / "valid" / "applications.ndjson")
    names = [json.loads(line)["candidate"]["first_name"] for line in out.splitlines()]
    assert (code, names) == (0, ["Ada", "Grace"])
    bad = write(tmp_path / "b.json", body(email_address=None))
    code, out, err = run(capsys, "prepare", bad)
    assert (code, out) == (1, "")
    assert err.startswith(f"{bad}:2:16: error schema.required /candidate/email_address")


def test_spec(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("openapi_spec_validator")
    code, out, err = run(capsys, "spec")
    assert (code, err) == (0, "")
    assert "operation: POST /ats/jobs/{job_id}/applications" in out.splitlines()
    assert "request example: valid" in out.splitlines()
    bad = write(tmp_path / "bad.yaml", "openapi: 3.1.0\ninfo: {}\npaths: {}\n")
    code, out, err = run(capsys, "spec", bad)
    assert code == 1 and out == "" and str(bad) in err


def test_shipped_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", EXAMPLES / "valid")[0] == 0
    code, out, _ = run(capsys, "lint", EXAMPLES / "invalid", "--format", "json")
    assert code == 1
    assert sorted((Path(f["file"]).name, f["code"]) for f in json.loads(out)) == [
        ("application.yaml", "country.unknown"),
        ("application.yaml", "date.invalid"),
        ("application.yaml", "key.unknown"),
        ("bad-country.json", "country.unknown"),
        ("bad-date.json", "date.invalid"),
        ("data-and-data-url.json", "attachment.data_and_data_url"),
        ("missing-email.json", "schema.required"),
    ]


# -- real processes ------------------------------------------------------------------------


def test_python_dash_m(tree: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "kombo_validate", "lint", str(tree), "--format", "github"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=")
    assert done.stderr == "5 files checked: 4 errors, 1 warning\n"
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(shutil.which("kombo-validate") is None, reason="console script not installed")
def test_console_script(tree: Path) -> None:
    done = subprocess.run(
        ["kombo-validate", "lint", str(tree / "valid")], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "3 files checked: 0 errors, 0 warnings\n"
