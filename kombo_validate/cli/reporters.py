"""Output formats: a :class:`Reporter` per ``--format``, looked up in :data:`REPORTERS`.

Every reporter writes findings to ``out`` (stdout) as they come, in order,
and the summary line to ``err`` (stderr), so stdout stays machine-readable:

* ``text``   — ``file:line:col: severity code path message``; ANSI colour only
  when ``out`` is a terminal (and ``NO_COLOR`` is unset);
* ``json``   — stdout is exactly one JSON array of finding objects;
* ``github`` — workflow commands (``::error file=…,line=…,col=…,title=code::…``)
  that GitHub Actions turns into annotations on the diff;
* ``sarif``  — one SARIF 2.1.0 log at the end (GitHub code scanning), see :mod:`.sarif`;
* ``junit``  — one JUnit XML document at the end (GitLab, Jenkins, Azure), see :mod:`.junit`.

Whatever a fixture holds reaches the text and github outputs escaped
(:func:`printable`): a key with a newline, an ESC or a bidi override cannot start a
line, colour the terminal or reorder what is shown, and a lone surrogate cannot
crash the output. Pointers are shown by :func:`show_path`: the root as ``(root)``
(``/`` is the pointer of the empty-string key), long ones cut in the middle. The
machine formats (json, sarif) keep the exact pointer.
"""

from __future__ import annotations

import json
import os
from typing import ClassVar, NamedTuple, TextIO

from .findings import Finding

__all__ = [
    "MAX_PATH_CHARS",
    "REPORTERS",
    "ROOT",
    "GithubReporter",
    "JsonReporter",
    "JunitReporter",
    "Reporter",
    "SarifReporter",
    "Summary",
    "TextReporter",
    "printable",
    "show_path",
]

#: how the root pointer ``""`` is shown (``/`` is the pointer of the key ``""``)
ROOT = "(root)"
#: longer pointers are shown cut in the middle, with an ellipsis
MAX_PATH_CHARS = 200

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _tokens(text: str) -> list[str]:
    return [c if c.isprintable() else _escape_char(c) for c in text]


def printable(text: str) -> str:
    """``text`` with every character Python does not call printable escaped as
    ``\\n``, ``\\x1b``, ``\\u202e``…: C0/C1 controls, DEL, lone surrogates, bidi
    controls, zero-width and other format characters, line and paragraph
    separators, non-ASCII spaces, unassigned code points."""
    return text if text.isprintable() else "".join(_tokens(text))


def show_path(pointer: str, limit: int = MAX_PATH_CHARS) -> str:
    """A pointer for people: the root as :data:`ROOT`, escaped, at most ``limit``
    characters (cut in the middle with ``…``, never inside an escape)."""
    if not pointer:
        return ROOT
    tokens: str | list[str]
    if pointer.isprintable():
        if len(pointer) <= limit:
            return pointer
        tokens = pointer
    else:
        tokens = _tokens(pointer)
        if sum(map(len, tokens)) <= limit:
            return "".join(tokens)
    budget = limit - 1  # the ellipsis takes one
    head: list[str] = []
    used = 0
    for token in tokens:
        if used + len(token) > (budget + 1) // 2:
            break
        head.append(token)
        used += len(token)
    tail: list[str] = []
    room, used = budget - used, 0
    for token in reversed(tokens):
        if used + len(token) > room:
            break
        tail.append(token)
        used += len(token)
    return "".join(head) + "…" + "".join(reversed(tail))


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

    def fixed(
        self, file: str, line: int, column: int, message: str, *, verb: str = "fixed"
    ) -> None:
        """A note that ``--fix`` rewrote something, or (``verb`` "change") that ``check``
        would change it (silent under ``--quiet``)."""
        if not self.quiet:
            self.err.write(f"{printable(file)}:{line}:{column}: {verb} {printable(message)}\n")

    def verdict(self, file: str, text: str) -> None:
        """``check``'s one-line verdict on a file (only the text format prints it)."""

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
        where = f"{printable(f.file)}:{f.line}:{f.column}:"
        severity: str = f.severity
        code = f.code
        if self.colour:
            where = f"\033[1m{where}\033[0m"
            severity = f"{self._COLOURS[severity]}{severity}\033[0m"
            code = f"\033[2m{code}\033[0m"
        self.out.write(f"{where} {severity} {code} {show_path(f.path)} {printable(f.message)}\n")

    def fixed(
        self, file: str, line: int, column: int, message: str, *, verb: str = "fixed"
    ) -> None:
        if not self.quiet:
            self.out.write(f"{printable(file)}:{line}:{column}: {verb} {printable(message)}\n")

    def verdict(self, file: str, text: str) -> None:
        self.out.write(f"{printable(file)}: {text}\n")


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
    """Workflow-command escaping, after :func:`printable` (which leaves no line break)."""
    text = printable(text)
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
        body = f"{show_path(f.path)} {f.message}"
        self.out.write(self._command(f.severity, f.file, f.line, f.column, f.code, body))

    def fixed(
        self, file: str, line: int, column: int, message: str, *, verb: str = "fixed"
    ) -> None:
        if not self.quiet:
            self.out.write(self._command("notice", file, line, column, verb, message))


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class SarifReporter(Reporter):
    """One SARIF 2.1.0 log on stdout at the end (:mod:`.sarif` builds it)."""

    name = "sarif"

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False) -> None:
        super().__init__(out, err, quiet=quiet)
        from .sarif import SarifLog  # only when asked for

        self._log = SarifLog()

    def finding(self, finding: Finding) -> None:
        self._log.add(finding)

    def close(self, summary: Summary) -> None:
        self.out.write(self._log.render())
        super().close(summary)


class JunitReporter(Reporter):
    """One JUnit XML document on stdout at the end (:mod:`.junit` builds it)."""

    name = "junit"

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool = False) -> None:
        super().__init__(out, err, quiet=quiet)
        from .junit import JunitReport  # only when asked for (ElementTree too)

        self._report = JunitReport()

    def finding(self, finding: Finding) -> None:
        self._report.add(finding)

    def file_done(self, file: str, payloads: int) -> None:
        self._report.file_done(file, payloads)

    def close(self, summary: Summary) -> None:
        self.out.write(self._report.render())
        super().close(summary)


#: ``--format`` name → reporter class
REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls
    for cls in (TextReporter, JsonReporter, GithubReporter, SarifReporter, JunitReporter)
}
