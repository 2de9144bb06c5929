"""``--format junit``: the findings as one JUnit XML document (GitLab, Jenkins, Azure).

``<testsuites>`` holds one ``<testsuite name="kombo-validate">`` with a
``<testcase>`` per payload: ``classname`` and ``file`` are the file, ``name`` is
the file for a file of one payload, else ``payload N`` (0-based, as the payload
index of the JSON and SARIF outputs). Findings about the file itself (unreadable,
a syntax error, a glob that matches nothing…) make a testcase named after the
file. Each error is a ``<failure message="code at pointer" type="code">`` whose
text is ``file:line:column: message``; warnings are lines of the testcase's
``<system-out>``, not failures. ``tests``/``failures`` count testcases; the
suite's properties count the errors and warnings.

Everything from a fixture is escaped as the text format escapes it
(:func:`~.reporters.printable`), which leaves no character XML 1.0 forbids, and
the document is written in ASCII (character references for the rest), so it
always parses, whatever the stream's encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .findings import Finding
from .reporters import printable, show_path

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = ["SUITE", "JunitReport"]

SUITE = "kombo-validate"


class _File:
    """One file's findings until it is done, then its testcases."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.cases: list[tuple[str, list[Finding]]] | None = None

    def done(self, payloads: int) -> None:
        """Group the findings: (testcase name, findings) in order."""
        if payloads == 1:
            self.cases = [(self.file, self.findings)]
            return
        per_payload: list[list[Finding]] = [[] for _ in range(payloads)]
        own: list[Finding] = []
        for f in self.findings:
            if f.document is not None and 0 <= f.document < payloads:
                per_payload[f.document].append(f)
            else:
                own.append(f)
        cases = [(self.file, own)] if own or not payloads else []
        self.cases = cases + [(f"payload {i}", found) for i, found in enumerate(per_payload)]


class JunitReport:
    """Collects findings per file; :meth:`render` is the XML document."""

    def __init__(self) -> None:
        self._files: list[_File] = []
        self._open: dict[str, _File] = {}

    def add(self, finding: Finding) -> None:
        entry = self._open.get(finding.file)
        if entry is None:
            entry = self._open[finding.file] = _File(finding.file)
            self._files.append(entry)
        entry.findings.append(finding)

    def file_done(self, file: str, payloads: int) -> None:
        entry = self._open.pop(file, None)
        if entry is None:
            entry = _File(file)
            self._files.append(entry)
        entry.done(payloads)

    def root(self) -> Element:
        from xml.etree import ElementTree as ET  # only when asked for

        for entry in self._open.values():  # never done: a glob or directory argument
            entry.done(0)
        self._open.clear()
        suites = ET.Element("testsuites", name=SUITE)
        suite = ET.SubElement(suites, "testsuite", name=SUITE)
        properties = ET.SubElement(suite, "properties")
        tests = failures = errors = warnings = 0
        for entry in self._files:
            file = printable(entry.file)
            for name, found in entry.cases or ():
                tests += 1
                case = ET.SubElement(
                    suite, "testcase", classname=file, name=printable(name), file=file
                )
                out = []
                for f in found:
                    where = f"{file}:{f.line}:{f.column}:"
                    if f.is_error:
                        errors += 1
                        failure = ET.SubElement(
                            case, "failure", message=f"{f.code} at {show_path(f.path)}", type=f.code
                        )
                        failure.text = f"{where} {printable(f.message)}"
                    else:
                        warnings += 1
                        out.append(
                            f"{where} warning {f.code} {show_path(f.path)} {printable(f.message)}"
                        )
                if out:
                    ET.SubElement(case, "system-out").text = "\n".join(out) + "\n"
                failures += any(f.is_error for f in found)
        for element in (suites, suite):
            element.set("tests", str(tests))
            element.set("failures", str(failures))
            element.set("errors", "0")
        suite.set("skipped", "0")
        ET.SubElement(properties, "property", name="errors", value=str(errors))
        ET.SubElement(properties, "property", name="warnings", value=str(warnings))
        return suites

    def render(self) -> str:
        from xml.etree import ElementTree as ET

        root = self.root()
        ET.indent(root)
        xml = bytes(ET.tostring(root, encoding="us-ascii", xml_declaration=True))
        return xml.decode("ascii") + "\n"
