"""Running ``lint``: one file in, its findings out — in this process or a pool.

The :class:`~kombo_validate.Validator` and the compiled job context are built
once, by the caller (a :class:`State`), and installed in each process by
:func:`init_worker` (forked workers inherit them; spawned ones unpickle them);
:func:`lint_file` then loads, checks, optionally fixes one file and returns a
picklable :class:`FileResult`.
:func:`lint_files` yields the results in the order of the files, whatever
``jobs`` is, so the output of ``--jobs N`` is identical to ``--jobs 1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ..issues import Change, excerpt
from .findings import Finding
from .loaders import Document, LoadedFile, load_file

__all__ = [
    "KEY_CODES",
    "FileResult",
    "LintOptions",
    "State",
    "check_document",
    "describe_change",
    "init_worker",
    "lint_file",
    "lint_files",
    "payload",
]


#: issue codes about a member's key rather than its value: located at the key
KEY_CODES = frozenset({"key.unknown", "schema.additionalProperties", "schema.propertyNames"})


class LintOptions(NamedTuple):
    """What a worker needs to know: the spec, the raw job context, the modes."""

    spec: str | None = None
    questions: object = None
    restrictions: object = None
    strict: bool = False
    fix: bool = False
    response: bool = False


class FileResult(NamedTuple):
    """What linting one file found; ``notes`` are (line, column, message) of fixes made;
    ``payloads`` counts the payloads the file held."""

    findings: list[Finding]
    notes: list[tuple[int, int, str]]
    fixed: bool
    payloads: int = 0


class State(NamedTuple):
    """A built Validator and compiled job context (``Questions``/``Restrictions`` or
    None), with the options they came from."""

    options: LintOptions
    validator: Any
    questions: Any
    restrictions: Any


class _State:
    """This process's state, installed once by :func:`init_worker`."""

    validator: Any = None
    questions: Any = None
    restrictions: Any = None
    options = LintOptions()


def init_worker(state: State) -> None:
    """Install a built state in this process (a pool initializer; with ``fork``
    the parent's objects are inherited, with ``spawn`` they are rebuilt by pickle)."""
    _State.options, _State.validator, _State.questions, _State.restrictions = state


def describe_change(change: Change) -> str:
    where = change.path or "/"
    after = "removed" if change.removed else excerpt(change.after)
    return f"{where}: {excerpt(change.before)} → {after} ({change.reason})"


def payload(doc: Document) -> Any:
    """The data a document stands for (YAML: plain numbers the schema wants as strings
    are the strings written, see ``yamltypes``)."""
    root = getattr(doc, "root", None)  # a YamlDocument (not imported: PyYAML is lazy)
    if root is not None:
        from .yamltypes import coerce_strings

        return coerce_strings(doc.data, root, _State.validator.request_schema)
    return doc.data


def check_document(doc: Document, path: str) -> tuple[list[Finding], Any]:
    """Findings for one document, and its report (None if the validator failed)."""
    try:
        if _State.options.response:
            report = _check_response(doc.data)
        else:
            report = _State.validator.check(
                payload(doc), questions=_State.questions, restrictions=_State.restrictions
            )
    except Exception as exc:  # a validator bug must not hide the other files' results
        line, column = doc.locate("")
        message = f"the validator failed: {type(exc).__name__}: {exc}"
        failed = Finding(path, line, column, "", "internal.error", "error", message, doc.index)
        return [failed], None
    findings = []
    for issue in report.issues:
        line, column = doc.locate(issue.path, key=issue.code in KEY_CODES)
        findings.append(
            Finding(
                path, line, column, issue.path, issue.code, issue.severity, issue.message, doc.index
            )
        )
    return findings, report


def _check_response(data: Any) -> Any:
    """A response fixture: ``"status": "success"`` is a 200, anything else Kombo's error."""
    from ..responses import check_response

    status = 200 if isinstance(data, dict) and data.get("status") == "success" else 400
    return check_response(status, data, validator=_State.validator)


def lint_file(path: str) -> FileResult:
    """Load, check and (with ``fix``) rewrite one fixture. Never raises."""
    try:
        return _lint_file(path)
    except Exception as exc:  # a bug here must not take the other files' results with it
        message = f"kombo-validate failed on this file: {type(exc).__name__}: {exc}"
        return FileResult([Finding(path, 1, 1, "", "internal.error", "error", message)], [], False)


def _lint_file(path: str) -> FileResult:
    options = _State.options
    loaded = load_file(path, duplicates=options.strict)
    findings = list(loaded.findings)
    notes: list[tuple[int, int, str]] = []
    bodies: dict[int, Any] = {}
    for doc in loaded.documents:
        found, report = check_document(doc, path)
        findings.extend(found)
        if report is None or not report.ok or not report.changes:
            continue
        if options.fix:
            bodies[doc.index] = report.body
        for change in report.changes:
            line, column = doc.locate(change.path)
            if options.fix:
                notes.append((line, column, describe_change(change)))
            elif options.strict:
                message = f"not in canonical wire form: {describe_change(change)}; run --fix"
                findings.append(
                    Finding(
                        path,
                        line,
                        column,
                        change.path,
                        "fixture.not_canonical",
                        "warning",
                        message,
                        doc.index,
                    )
                )
    fixed = False
    if bodies:
        try:
            fixed = _write_fixed(loaded, bodies)
        except Exception as exc:  # FixError, OSError: the file stays as it was
            notes = []
            findings.append(Finding(path, 1, 1, "", "fix.failed", "error", f"not fixed: {exc}"))
    findings.sort(key=lambda f: (f.line, f.column))
    return FileResult(findings, notes, fixed, len(loaded.documents))


def _write_fixed(loaded: LoadedFile, bodies: dict[int, Any]) -> bool:
    """Rewrite the file with the canonical bodies; False when the text is unchanged."""
    from .fix import fixed_text

    new_text = fixed_text(loaded, bodies, payload)
    if new_text == loaded.text:
        return False
    with open(loaded.path, "w", encoding="utf-8", newline="") as handle:
        handle.write(new_text)
    return True


def lint_files(files: Sequence[str], state: State, jobs: int) -> Iterator[FileResult]:
    """Results for ``files``, in their order; ``jobs`` > 1 spreads them over processes
    (``jobs`` 0: one per CPU)."""
    jobs = min(jobs, len(files)) if jobs > 0 else min(os.cpu_count() or 1, len(files))
    if jobs <= 1:
        init_worker(state)
        yield from map(lint_file, files)
        return
    import gc
    from concurrent.futures import ProcessPoolExecutor

    chunksize = max(1, min(256, len(files) // (jobs * 8)))
    gc.freeze()  # forked workers then do not touch (copy) the parent's objects when collecting
    try:
        with ProcessPoolExecutor(jobs, initializer=init_worker, initargs=(state,)) as pool:
            yield from pool.map(lint_file, files, chunksize=chunksize)
    finally:
        gc.unfreeze()
