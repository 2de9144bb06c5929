"""Output formats: a :class:`Reporter` per ``--format``, looked up in :data:`REPORTERS`.

Every reporter writes findings to ``out`` (stdout) as they come, in order,
and the summary line to ``err`` (stderr), so stdout stays machine-readable:

* ``text``   — ``file:line:col: severity code path message``; ANSI colour only
  when ``out`` is a terminal (and ``NO_COLOR`` is unset);
* ``json``   — stdout is exactly one JSON array of finding objects;
* ``github`` — workflow commands (``::error file=…,line=…,col=…,title=code::…``)
  that GitHub Actions turns into annotations on the diff.
"""

from __future__ import annotations

import json
import os
from typing import ClassVar, NamedTuple, TextIO

from .findings import Finding

__all__ = [
    "REPORTERS",
    "GithubReporter",
    "JsonReporter",
    "Reporter",
    "Summary",
    "TextReporter",
]


class Summary(NamedTuple):
    files: int
    errors: int
    warnings: int
    fixed: int = 0

    def line(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        text = (
            f"{plural(self.files, 'file')} checked: "
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
        )
        if self.fixed:
            text += f"; {plural(self.fixed, 'file')} fixed"
        return text


class Reporter:
    """Base class: subclasses format one finding, one fix note, the summary."""

    name: ClassVar[str] = ""

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False) -> None:
        self.out = out
        self.err = err
        self.quiet = quiet

    def finding(self, finding: Finding) -> None:
        raise NotImplementedError

    def file_done(self, file: str, payloads: int) -> None:
        """Called once per file after its findings: it held ``payloads`` payloads."""

    def fixed(self, file: str, line: int, column: int, message: str) -> None:
        """A note that ``--fix`` rewrote something (silent under ``--quiet``)."""
        if not self.quiet:
            self.err.write(f"{file}:{line}:{column}: fixed {message}\n")

    def close(self, summary: Summary) -> None:
        """Finish the output; the summary line goes to stderr unless quiet."""
        if not self.quiet:
            self.err.write(summary.line() + "\n")


class TextReporter(Reporter):
    name = "text"

    _COLOURS: ClassVar[dict[str, str]] = {"error": "\033[31m", "warning": "\033[33m"}

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False) -> None:
        super().__init__(out, err, quiet=quiet)
        self.colour = _is_tty(out) and not os.environ.get("NO_COLOR")

    def finding(self, finding: Finding) -> None:
        f = finding
        where = f"{f.file}:{f.line}:{f.column}:"
        severity: str = f.severity
        code = f.code
        if self.colour:
            where = f"\033[1m{where}\033[0m"
            severity = f"{self._COLOURS[severity]}{severity}\033[0m"
            code = f"\033[2m{code}\033[0m"
        self.out.write(f"{where} {severity} {code} {f.path or '/'} {f.message}\n")

    def fixed(self, file: str, line: int, column: int, message: str) -> None:
        if not self.quiet:
            self.out.write(f"{file}:{line}:{column}: fixed {message}\n")


class JsonReporter(Reporter):
    """One JSON array on stdout, written incrementally (constant memory)."""

    name = "json"

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False) -> None:
        super().__init__(out, err, quiet=quiet)
        self._count = 0

    def finding(self, finding: Finding) -> None:
        self.out.write(("[\n  " if self._count == 0 else ",\n  ") + json.dumps(finding.to_dict()))
        self._count += 1

    def close(self, summary: Summary) -> None:
        self.out.write("[]\n" if self._count == 0 else "\n]\n")
        super().close(summary)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands; the summary goes to stderr (the job log)."""

    name = "github"

    def _command(self, kind: str, file: str, line: int, column: int, title: str, body: str) -> str:
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", file),
                ("line", str(line)),
                ("col", str(column)),
                ("title", title),
            )
        )
        return f"::{kind} {props}::{_escape_data(body)}\n"

    def finding(self, finding: Finding) -> None:
        f = finding
        body = f"{f.path or '/'} {f.message}"
        self.out.write(self._command(f.severity, f.file, f.line, f.column, f.code, body))

    def fixed(self, file: str, line: int, column: int, message: str) -> None:
        if not self.quiet:
            self.out.write(self._command("notice", file, line, column, "fixed", message))


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


#: ``--format`` name → reporter class
REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter)
}
