"""The ``--format`` reporters, on their own: exact text, JSON shape, GitHub escaping."""

from __future__ import annotations

import io
import json

import pytest

from kombo_validate.cli.findings import Finding
from kombo_validate.cli.reporters import (
    REPORTERS,
    GithubReporter,
    JsonReporter,
    Summary,
    TextReporter,
)

ERR = Finding("a.json", 3, 7, "/candidate/location/country", "country.unknown", "error", "bad")
WARN = Finding("b.yaml", 1, 1, "", "key.unknown", "warning", "hmm")


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


def test_table_names_every_format() -> None:
    assert {"text": TextReporter, "json": JsonReporter, "github": GithubReporter} == REPORTERS


def test_text_lines_and_summary_on_stderr() -> None:
    out, err = run(TextReporter, [ERR, WARN])
    assert out == (
        "a.json:3:7: error country.unknown /candidate/location/country bad\n"
        "b.yaml:1:1: warning key.unknown / hmm\n"
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
        "::warning file=b.yaml,line=1,col=1,title=key.unknown::/ hmm",
        "::error file=dir%2Cx/a%3Ab.json,line=2,col=5,title=x.y::/a 50%25 off%0D%0Anext",
    ]
    assert err == "2 files checked: 1 error, 1 warning\n"


def test_fix_notes() -> None:
    out, err = io.StringIO(), io.StringIO()
    TextReporter(out, err).fixed("a.json", 1, 2, "/x: 'a' → 'b' (why)")
    GithubReporter(out, err).fixed("a.json", 1, 2, "/x: changed")
    JsonReporter(out, err).fixed("a.json", 1, 2, "/x: changed")
    TextReporter(out, err, quiet=True).fixed("a.json", 1, 2, "hidden")
    assert out.getvalue().splitlines() == [
        "a.json:1:2: fixed /x: 'a' → 'b' (why)",
        "::notice file=a.json,line=1,col=2,title=fixed::/x: changed",
    ]
    assert err.getvalue() == "a.json:1:2: fixed /x: changed\n"


def test_summary_line() -> None:
    assert Summary(1, 0, 0).line() == "1 file checked: 0 errors, 0 warnings"
    assert Summary(3, 2, 1, fixed=2).line() == "3 files checked: 2 errors, 1 warning; 2 files fixed"


def test_quiet_drops_the_summary() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = JsonReporter(out, err, quiet=True)
    reporter.close(Summary(1, 0, 0))
    assert (out.getvalue(), err.getvalue()) == ("[]\n", "")
