"""Where fixtures come from: standard input, ``--input-format``, special files, links;
and the CLI's consistency: one code and exit for "not there", each command's own usage,
every format on every command that prints issues."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kombo_validate
from kombo_validate.cli.loaders import sniff

from .test_cli import EXAMPLE, EXAMPLES, YAML_BAD, YAML_OK, body, run, write

ROOT = Path(__file__).resolve().parent.parent
BAD_JSON = json.dumps(body(location={"country": "XX"}), indent=2) + "\n"
#: where BAD_JSON's country value stands
BAD_AT = ("/candidate/location/country", 16, 18)


class _Stdin:
    """What ``sys.stdin`` is for the CLI: only its binary ``buffer`` is read."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def run_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: str,
    *args: str | Path,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Stdin(data.encode()))
    return run(capsys, *args)


# -- standard input ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "check"])
def test_dash_reads_json_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    code, out, _ = run_stdin(capsys, monkeypatch, BAD_JSON, command, "-")
    pointer, line, column = BAD_AT
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"<stdin>:{line}:{column}: error country.unknown {pointer} "
    )


def test_stdin_yaml_is_detected_with_its_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_stdin(capsys, monkeypatch, YAML_BAD, "lint", "--format", "json", "-")
    found = [(f["file"], f["line"], f["column"], f["code"]) for f in json.loads(out)]
    assert code == 1
    assert found == [
        ("<stdin>", 3, 3, "schema.required"),
        ("<stdin>", 5, 22, "date.invalid"),
        ("<stdin>", 7, 14, "country.unknown"),
        ("<stdin>", 8, 1, "key.unknown"),
    ]


def test_prepare_from_stdin_prints_the_wire_body(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_stdin(capsys, monkeypatch, YAML_OK, "prepare", "-")
    assert (code, err) == (0, "")
    assert json.loads(out)["candidate"]["location"] == {
        "city": "Oslo",
        "zip_code": "01234",
        "country": "NO",
    }


def test_ndjson_on_stdin_is_one_payload_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps(EXAMPLE), json.dumps(body(email_address=None))]
    code, out, _ = run_stdin(capsys, monkeypatch, "\n".join(lines) + "\n", "check", "-")
    lines = out.splitlines()
    assert (code, len(lines)) == (1, 2)
    assert lines[0].startswith("<stdin>:2:15: error schema.required /candidate/email_address ")
    assert lines[1] == "<stdin>: invalid (2 payloads): 1 error, 0 warnings, 0 changes"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"a": 1}', "json"),
        ("  [1, 2]\n", "json"),
        ('{"a": 1}\n{"a": 2}\n', "ndjson"),
        ('{"a": 1} {"a": 2}', "json"),  # not one per line: the JSON loader reports it
        ("{bad", "json"),
        ("a: 1\n", "yaml"),
        ("- 1\n", "yaml"),
        ("", "yaml"),
    ],
)
def test_sniff(text: str, kind: str) -> None:
    assert sniff(text.encode()) == kind


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", ("file.parse_error", 1, 1)),  # YAML is not JSON
        ("yaml", ("country.unknown", 16, 18)),  # JSON is YAML
    ],
)
def test_input_format_overrides_detection_on_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    expected: tuple[str, int, int],
) -> None:
    data = "a: 1\n" if fmt == "json" else BAD_JSON
    code, out, _ = run_stdin(
        capsys, monkeypatch, data, "lint", "--format", "json", "--input-format", fmt, "-"
    )
    first = json.loads(out)[0]
    assert code == 1
    assert (first["code"], first["line"], first["column"]) == expected


def test_input_format_reads_files_without_a_fixture_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    payload = write(tmp_path / "payload.txt", YAML_OK)
    code, out, _ = run(capsys, "lint", payload)
    assert code == 1
    assert out.startswith(f"{payload}:1:1: error file.unsupported_type (root) not a fixture type")
    assert run(capsys, "lint", "--input-format", "yaml", payload)[0] == 0
    # a known suffix still decides: the option is for stdin and unnamed formats
    assert run(capsys, "lint", "--input-format", "json", EXAMPLES / "valid")[0] == 0


def test_stdin_through_the_real_entry_point() -> None:
    for target in ("-", "/dev/stdin"):
        done = subprocess.run(
            [sys.executable, "-m", "kombo_validate", "check", target],
            input=BAD_JSON.encode(),
            capture_output=True,
            timeout=60,
            cwd=ROOT,
        )
        pointer, line, column = BAD_AT
        assert done.returncode == 1, done.stderr
        assert done.stdout.decode().startswith(
            f"<stdin>:{line}:{column}: error country.unknown {pointer} "
        )


def test_fix_refuses_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", "--fix", "-")
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith("usage: kombo-validate lint ")
    assert err.splitlines()[-1] == (
        "kombo-validate lint: error: --fix cannot rewrite standard input ('-'): use prepare"
    )


# -- every issue format on every command that prints issues -------------------------------


def test_check_takes_every_issue_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", BAD_JSON)
    pointer, line, column = BAD_AT
    code, out, _ = run(capsys, "check", "--format", "github", bad)
    assert code == 1
    assert out.startswith(
        f"::error file={bad},line={line},col={column},title=country.unknown::{pointer} "
    )
    code, out, _ = run(capsys, "check", "--format", "sarif", bad)
    result = json.loads(out)["runs"][0]["results"][0]
    assert (code, result["ruleId"], result["properties"]["pointer"]) == (
        1,
        "country.unknown",
        pointer,
    )
    code, out, _ = run(capsys, "check", "--format", "junit", bad)
    cases = ET.fromstring(out).iter("testcase")
    assert code == 1
    assert [[f.get("type") for f in case.iter("failure")] for case in cases] == [
        ["country.unknown"]
    ]


def test_prepare_prints_issues_on_stderr_in_the_format_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.json", BAD_JSON)
    code, out, err = run(capsys, "prepare", "--format", "json", bad)
    pointer, line, column = BAD_AT
    assert (code, out) == (1, "")
    assert [(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(err)] == [
        (pointer, "country.unknown", line, column)
    ]


# -- one code, one exit, one wording for "not there" -------------------------------------


def test_a_missing_file_and_an_empty_glob_are_both_not_found(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "check", tmp_path / "nope.json")
    assert code == 1
    assert (
        out.splitlines()[0] == f"{tmp_path}/nope.json:1:1: error file.not_found (root) no such file"
    )
    code, out, _ = run(capsys, "lint", "--format", "json", tmp_path / "nope*.json")
    assert code == 1
    assert [f["code"] for f in json.loads(out)] == ["file.not_found"]


def test_a_missing_spec_is_exit_2_with_the_same_words_everywhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.yaml"
    expected = {
        ("spec", missing): f"kombo-validate: error: spec {missing}: no such file\n",
        (
            "lint",
            "--spec",
            missing,
            EXAMPLES,
        ): f"kombo-validate: error: --spec {missing}: no such file\n",
        ("check", "--spec", missing, EXAMPLES / "valid" / "application.json"): (
            f"kombo-validate: error: --spec {missing}: no such file\n"
        ),
        ("lint", "--questions", tmp_path / "q.json", EXAMPLES): (
            f"kombo-validate: error: --questions {tmp_path / 'q.json'}: no such file\n"
        ),
        ("schema", "--spec", missing): f"kombo-validate: error: --spec {missing}: no such file\n",
    }
    for args, message in expected.items():
        assert run(capsys, *args) == (2, "", message), args


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["prepare", "a.json", "b.yaml"], "prepare"),
        (["lint", "--frmat", "json", "x.json"], "lint"),
        (["check", "--format", "xml", "x.json"], "check"),
        (["lint", "--job-id", "J", "x.json"], "lint"),
        (["schema", "extra"], "schema"),
    ],
)
def test_usage_errors_show_the_commands_own_usage(
    capsys: pytest.CaptureFixture[str], args: list[str], command: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"usage: kombo-validate {command} ")
    assert err.splitlines()[-1].startswith(f"kombo-validate {command}: error: ")


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert run(capsys, flag) == (0, f"kombo-validate {kombo_validate.__version__}\n", "")


def test_the_package_namespace_is_its_api() -> None:
    assert dir(kombo_validate) == sorted(kombo_validate.__all__)
    assert "Questions" in dir(kombo_validate)  # lazy, still listed
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(vars(kombo_validate))


def test_the_licence_ships() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "LICENSE" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # in the sdist


# -- special files: never a hang, never a traceback ---------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "walked" / "pipe.json"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    write(tmp_path / "walked" / "ok.json", EXAMPLE)
    code, out, _ = run(capsys, "lint", "--format", "json", tmp_path / "walked")
    assert code == 1
    assert [(f["file"], f["code"]) for f in json.loads(out)] == [(str(fifo), "file.not_regular")]
    for option in ("--spec", "--questions", "--restrictions"):
        code, out, err = run(capsys, "lint", option, fifo, EXAMPLES / "valid")
        assert (code, out) == (2, ""), option
        assert err.startswith(f"kombo-validate: error: {option} {fifo}: "), err
        assert "not a regular file" in err


def test_a_device_behind_a_fixture_name_is_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    code, out, _ = run(capsys, "lint", "--format", "json", zero)
    assert code == 1
    assert [f["code"] for f in json.loads(out)] == ["file.not_regular"]
    with pytest.raises(kombo_validate.SpecError, match="not a regular file"):
        kombo_validate.Validator("/dev/zero")


def test_a_file_over_the_limit_is_too_large(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from kombo_validate.cli import loaders

    monkeypatch.setattr(loaders, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(loaders.read_source, "__defaults__", (100,))
    big = write(tmp_path / "big.json", EXAMPLE)
    code, out, _ = run(capsys, "lint", "--format", "json", big)
    assert code == 1
    assert [(f["code"], f["message"]) for f in json.loads(out)] == [
        ("file.too_large", "larger than 0 MiB: not read")
    ]


def test_links_to_directories_are_not_followed_by_globs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fixtures = tmp_path / "fx"
    write(fixtures / "a.json", EXAMPLE)
    write(fixtures / "sub" / "b.json", EXAMPLE)
    (fixtures / "l1").symlink_to(".")
    (fixtures / "l2").symlink_to(".")
    for pattern in (f"{fixtures}/**/*.json", f"{tmp_path}/f*/**/*.json"):
        code, _, err = run(capsys, "lint", pattern)
        assert (code, err) == (0, "2 files checked: 0 errors, 0 warnings\n"), pattern
    code, _, err = run(capsys, "lint", fixtures)
    assert (code, err) == (0, "2 files checked: 0 errors, 0 warnings\n")


def test_recursive_glob_matches_like_glob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import glob

    from kombo_validate.cli.discover import _glob

    for name in ("a.json", "x/b.json", "x/y/c.yaml", "x/.h/d.json", ".e.json", "x/y/z/f.json"):
        write(tmp_path / name, "{}")
    monkeypatch.chdir(tmp_path)
    for pattern in ("**/*.json", "x/**/*.json", "x/**", "**/y/*", "*/**/c.yaml", "**"):
        assert _glob(pattern) == sorted(glob.glob(pattern, recursive=True)), pattern


def test_checks_summary_counts_errors_and_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.json", BAD_JSON)
    warned = write(tmp_path / "warned.json", {**EXAMPLE, "attachmnets": []})
    code, _, err = run(capsys, "check", "--format", "github", bad, warned)
    assert (code, err) == (1, "2 files checked: 1 error, 1 warning\n")
