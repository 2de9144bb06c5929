"""``--format sarif``: the findings as one SARIF 2.1.0 log, for GitHub code scanning
(``github/codeql-action/upload-sarif``).

One run; ``tool.driver`` names kombo-validate and has one rule per issue code that
occurs (sorted; described from :data:`kombo_validate.codes.CODES`). Each result
has its rule, its level (``error``/``warning``), the message, the file as a
relative URI with line and column (Unicode code points, 1-based), and in its
``properties`` the exact JSON Pointer and the payload's 0-based index (absent for
a finding about the file itself).
"""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..codes import describe, plain
from .findings import Finding
from .reporters import ROOT

__all__ = ["SCHEMA_URI", "SarifLog", "artifact_uri"]

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def _bytes(path: str) -> bytes:
    try:
        return os.fsencode(path)  # a name that was not UTF-8 gets its own bytes back
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


def artifact_uri(path: str) -> str:
    """``path`` as a URI reference: relative (to the working directory, which is the
    repository's root in CI) with ``/`` separators and percent-encoding; a file
    outside the working directory gets an absolute ``file:`` URI."""
    norm = os.path.normpath(path)
    if os.path.isabs(norm):
        try:
            relative = os.path.relpath(norm)
        except ValueError:  # another drive (Windows)
            relative = os.pardir
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            posix = PurePath(norm).as_posix()  # /abs/x, or C:/x on Windows
            slashes = "file://" if posix.startswith("/") else "file:///"
            return slashes + quote(_bytes(posix), safe="/:")
        norm = relative
    return quote(_bytes(norm.replace(os.sep, "/")), safe="/")


def _rule(code: str, severity: str) -> dict[str, Any]:
    info = describe(code)
    text = code if info is None else info.description
    level = severity if info is None else info.severity
    return {
        "id": code,
        "shortDescription": {"text": plain(text)},
        "fullDescription": {"text": plain(text), "markdown": text},
        "defaultConfiguration": {"level": level},
    }


class SarifLog:
    """Collects findings; :meth:`render` is the log as JSON text (ASCII only)."""

    def __init__(self) -> None:
        self._findings: list[Finding] = []

    def add(self, finding: Finding) -> None:
        self._findings.append(finding)

    def log(self) -> dict[str, Any]:
        severities: dict[str, str] = {}
        for f in self._findings:
            severities.setdefault(f.code, f.severity)
        codes = sorted(severities)
        index = {code: i for i, code in enumerate(codes)}
        results = []
        for f in self._findings:
            properties: dict[str, Any] = {"pointer": f.path}
            if f.document is not None:
                properties["payload"] = f.document
            region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
            location = {"artifactLocation": {"uri": artifact_uri(f.file)}, "region": region}
            results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": f.severity,
                    "message": {"text": f"{f.path or ROOT}: {f.message}"},
                    "locations": [{"physicalLocation": location}],
                    "properties": properties,
                }
            )
        driver = {
            "name": "kombo-validate",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(code, severities[code]) for code in codes],
        }
        run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}

    def render(self) -> str:
        return json.dumps(self.log(), indent=2) + "\n"
