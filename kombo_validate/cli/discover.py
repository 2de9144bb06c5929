"""``lint PATH...`` → the fixture files to check, in a stable order.

* a file is taken as given (whatever its suffix: the loader reports an
  unsupported one);
* a directory is walked recursively for ``.json``, ``.yaml``, ``.yml``,
  ``.ndjson`` and ``.jsonl`` files, names sorted, skipping hidden
  directories (``.git``, ``.venv``…), ``node_modules`` and ``__pycache__``;
* anything else with ``*``, ``?`` or ``[`` is a glob (``**`` recurses);
  directories it matches are walked, other files filtered by suffix;
* ``-`` is standard input.

Walks and ``**`` never follow a symbolic link to a directory (a link to ``.``
would make them endless); a link named on the command line is followed.
A path that does not exist, or a glob that matches nothing, is a
``file.not_found`` error; a directory without fixtures is a
``file.no_fixtures`` warning. Each file is listed once, at its first mention.
"""

from __future__ import annotations

import fnmatch
import functools
import glob
import os
import re
from collections.abc import Callable, Iterable, Iterator

from .findings import Finding
from .loaders import EXTENSIONS, kind_of

__all__ = ["SKIPPED_DIRS", "expand_paths", "fits"]

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


def _fixture_names(names: list[str]) -> list[str]:
    """The fixture files among a directory's ``names``, sorted (:func:`kind_of` for a
    bare name, inlined: 100,000 calls cost a tenth of a 100,000-file lint)."""
    suffix = EXTENSIONS.get
    return sorted(n for n in names if (dot := n.rfind(".")) > 0 and suffix(n[dot:].lower()))


def _walk_batches(top: str) -> Iterator[tuple[str, list[str]]]:
    """Each directory under ``top`` (hidden and skipped ones left out) as its path
    with a trailing separator and its fixture files' names, sorted."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        names = _fixture_names(files)
        if names:
            yield os.path.join(root, ""), names


def _walk(top: str) -> Iterator[str]:
    for prefix, names in _walk_batches(top):
        for name in names:
            yield prefix + name


def _is_glob(arg: str) -> bool:
    return any(c in arg for c in "*?[")


@functools.lru_cache(maxsize=64)
def _component(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def _recursive_glob(arg: str) -> list[str]:
    """``glob.glob(arg, recursive=True)`` without following links to directories.

    The part before the first ``**`` is globbed as usual; below it, ``**`` is zero
    or more directories of an ``os.walk`` (which does not follow links), and the
    other components match one name each (hidden names only when the component
    itself starts with a dot, as glob does).
    """
    parts = arg.split("/")
    cut = parts.index("**")
    prefix, rest = "/".join(parts[:cut]), parts[cut:]
    heads = [""] if cut == 0 else ["/"] if not prefix else glob.glob(prefix)
    found: list[str] = []
    for head in heads:
        top = head or os.curdir
        if not os.path.isdir(top):
            continue
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            relative = os.path.relpath(root, top)
            below = [] if relative == os.curdir else relative.split(os.sep)
            for name in [*dirs, *files]:
                if _fits(rest, [*below, name]):
                    found.append(os.path.join(head, *below, name))
            if head and not below and _fits(rest, []):
                found.append(os.path.join(head, ""))  # "x/**" matches "x/", as glob says
    return sorted(set(found))


def _fits(pattern: list[str], names: list[str]) -> bool:
    """Whether path components ``names`` match the components of ``pattern``."""
    if not pattern:
        return not names
    first, rest = pattern[0], pattern[1:]
    if first == "**":  # zero or more names, none of them hidden
        for i in range(len(names) + 1):
            if _fits(rest, names[i:]):
                return True
            if i < len(names) and names[i].startswith("."):
                return False
        return False
    if not names or (names[0].startswith(".") and not first.startswith(".")):
        return False
    return _component(first).match(names[0]) is not None and _fits(rest, names[1:])


#: whether path components match a pattern's components (``**``: any folders)
fits = _fits


def _glob(arg: str) -> list[str]:
    if "**" in arg.split("/"):
        return _recursive_glob(arg)
    return sorted(glob.glob(arg))


def _matches(arg: str) -> Iterator[str]:
    for match in _glob(arg):
        if os.path.isdir(match):
            yield from _walk(match)
        elif kind_of(match) is not None:
            yield match


def expand_paths(args: Iterable[str]) -> tuple[list[str], list[Finding]]:
    """The files to lint, and findings for arguments that name none."""
    files: list[str] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    args = list(args)
    alone = len(args) == 1  # one argument: a walk lists each file once, nothing to dedupe

    def add(paths: Iterable[str]) -> None:
        for path in paths:
            key = os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)

    for arg in args:
        if os.path.isdir(arg):
            count = len(files)
            for prefix, names in _walk_batches(arg):
                if alone:
                    files.extend([prefix + name for name in names])
                else:
                    _add_batch(prefix, names, files, seen, add)
            if len(files) == count and not any(_walk(arg)):
                message = "no .json, .yaml, .yml, .ndjson or .jsonl files in this directory"
                findings.append(Finding(arg, 1, 1, "", "file.no_fixtures", "warning", message))
        elif os.path.lexists(arg) or not _is_glob(arg):
            add([arg])  # a missing plain path is reported by the loader as unreadable
        else:
            found = list(_matches(arg))
            if not found:
                message = "no fixture file matches this pattern"
                findings.append(Finding(arg, 1, 1, "", "file.not_found", "error", message))
            add(found)
    return files, findings


def _add_batch(
    prefix: str,
    names: list[str],
    files: list[str],
    seen: set[str],
    add: Callable[[Iterable[str]], None],
) -> None:
    """One directory's files, each once: a plain name is the last component of its
    normalised path as written, so the normalised directory is computed once and
    the keys are that plus each name; a batch with no key seen before is taken
    whole, any other one file by file."""
    first = os.path.normpath(prefix + names[0])
    base = first[: len(first) - len(names[0])]
    keys = [base + name for name in names]
    if seen.isdisjoint(keys):
        seen.update(keys)
        files.extend([prefix + name for name in names])
    else:
        add(prefix + name for name in names)
