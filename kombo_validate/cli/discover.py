"""``lint PATH...`` → the fixture files to check, in a stable order.

* a file is taken as given (whatever its suffix: the loader reports an
  unsupported one);
* a directory is walked recursively for ``.json``, ``.yaml``, ``.yml``,
  ``.ndjson`` and ``.jsonl`` files, names sorted, skipping hidden
  directories (``.git``, ``.venv``…), ``node_modules`` and ``__pycache__``;
* anything else with ``*``, ``?`` or ``[`` is a glob (``**`` recurses);
  directories it matches are walked, other files filtered by suffix.

A path that does not exist, or a glob that matches nothing, is a
``file.not_found`` error; a directory without fixtures is a
``file.no_fixtures`` warning. Each file is listed once, at its first mention.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator

from .findings import Finding
from .loaders import kind_of

__all__ = ["SKIPPED_DIRS", "expand_paths"]

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


def _walk(top: str) -> Iterator[str]:
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        prefix = os.path.join(root, "")  # joined once per directory, not per file
        for name in sorted(files):
            if kind_of(name) is not None:
                yield prefix + name


def _is_glob(arg: str) -> bool:
    return any(c in arg for c in "*?[")


def _matches(arg: str) -> Iterator[str]:
    for match in sorted(glob.glob(arg, recursive=True)):
        if os.path.isdir(match):
            yield from _walk(match)
        elif kind_of(match) is not None:
            yield match


def expand_paths(args: Iterable[str]) -> tuple[list[str], list[Finding]]:
    """The files to lint, and findings for arguments that name none."""
    files: list[str] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for arg in args:
        if os.path.isdir(arg):
            found = list(_walk(arg))
            if not found:
                message = "no .json, .yaml, .yml, .ndjson or .jsonl files in this directory"
                findings.append(Finding(arg, 1, 1, "", "file.no_fixtures", "warning", message))
        elif os.path.lexists(arg) or not _is_glob(arg):
            found = [arg]  # a missing plain path is reported by the loader as unreadable
        else:
            found = list(_matches(arg))
            if not found:
                message = "no fixture file matches this pattern"
                findings.append(Finding(arg, 1, 1, "", "file.not_found", "error", message))
        for path in found:
            key = os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files, findings
