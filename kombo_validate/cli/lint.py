"""Running ``lint``: one file in, its findings out — in this process or a pool.

The :class:`~kombo_validate.Validator` and the compiled job context are built
once, by the caller (a :class:`State`), and installed in each process by
:func:`init_worker` (forked workers inherit them; spawned ones unpickle them);
:func:`lint_file` then loads, checks, optionally fixes one file and returns a
picklable :class:`FileResult`.
:func:`lint_files` yields the results in the order of the files, whatever
``jobs`` is, so the output of ``--jobs N`` is identical to ``--jobs 1``.

Most files are a ``.json`` file linted without ``--fix`` or ``--strict``: such a file
is read (one ``open``, ``fstat``, ``read``), decoded and checked in a few calls
(:func:`~.loaders.plain_json`); only one with something unusual in it (a BOM, bad
UTF-8 or JSON, no payload) goes through :func:`~.loaders.load_text`, from the bytes
already read. Without ``--fix`` or ``--strict`` a file's changes are never located.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ..issues import Change, excerpt
from .findings import Finding
from .loaders import (
    Document,
    JsonDocument,
    LoadedFile,
    is_stdin,
    kind_of,
    load_file,
    load_text,
    plain_json,
    read_source,
)
from .reporters import show_path

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
    "validator_for",
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
    #: the format of standard input and of files without a fixture suffix (None: detect)
    input_format: str | None = None
    #: what standard input held, read once by the parent when a path is ``-``
    stdin: bytes | Finding | None = None


class FileResult(NamedTuple):
    """What linting one file found; ``notes`` are (line, column, message) of fixes made;
    ``payloads`` counts the payloads the file held."""

    findings: list[Finding]
    notes: list[tuple[int, int, str]]
    fixed: bool
    payloads: int = 0


class State(NamedTuple):
    """A built Validator and compiled job context (``Questions``/``Restrictions`` or
    None), with the options they came from; ``by_file``: the Validator of each file a
    config maps to an operation (the others get ``validator``)."""

    options: LintOptions
    validator: Any
    questions: Any
    restrictions: Any
    by_file: Any = None


class _State:
    """This process's state, installed once by :func:`init_worker`."""

    validator: Any = None
    questions: Any = None
    restrictions: Any = None
    by_file: Any = None
    options = LintOptions()


def init_worker(state: State) -> None:
    """Install a built state in this process (a pool initializer; with ``fork``
    the parent's objects are inherited, with ``spawn`` they are rebuilt by pickle)."""
    (
        _State.options,
        _State.validator,
        _State.questions,
        _State.restrictions,
        _State.by_file,
    ) = state


def validator_for(path: str) -> Any:
    """The Validator that checks the file ``path`` (as named on the command line)."""
    by_file = _State.by_file
    return _State.validator if by_file is None else by_file.get(path, _State.validator)


def describe_change(change: Change) -> str:
    where = show_path(change.path)
    after = "removed" if change.removed else excerpt(change.after)
    return f"{where}: {excerpt(change.before)} → {after} ({change.reason})"


def payload(doc: Document, validator: Any = None) -> Any:
    """The data a document stands for (YAML: plain numbers the schema wants as strings
    are the strings written, see ``yamltypes``)."""
    root = getattr(doc, "root", None)  # a YamlDocument (not imported: PyYAML is lazy)
    if root is not None:
        from .yamltypes import coerce_strings

        schema = (validator or _State.validator).request_schema
        return coerce_strings(doc.data, root, schema)
    return doc.data


def check_document(doc: Document, path: str, validator: Any = None) -> tuple[list[Finding], Any]:
    """Findings for one document, and its report (None if the validator failed);
    ``validator``: the file's (default: the one for every file). The job context goes
    to the operations that take it."""
    validator = validator or _State.validator
    try:
        if _State.options.response:
            report = _check_response(doc.data, validator)
        else:
            questions, restrictions = _State.questions, _State.restrictions
            if questions is None and restrictions is None:  # the commonest call, lean
                if type(doc) is JsonDocument:  # json.loads made it, for this check only
                    report = validator._check_decoded(doc.data)
                else:
                    report = validator.check(payload(doc, validator))
            else:
                op = validator.operation  # (a Validator builds it on first need)
                questions = questions if op.answers is not None else None
                restrictions = restrictions if op.uploads is not None else None
                report = validator.check(
                    payload(doc, validator), questions=questions, restrictions=restrictions
                )
    except Exception as exc:  # a validator bug must not hide the other files' results
        line, column = doc.locate("")
        message = f"the validator failed: {type(exc).__name__}: {exc}"
        failed = Finding(path, line, column, "", "internal.error", "error", message, doc.index)
        return [failed], None
    issues = report.issues
    if not issues:
        return [], report
    findings = []
    for issue in issues:
        line, column = doc.locate(issue.path, key=issue.code in KEY_CODES)
        findings.append(
            Finding(
                path, line, column, issue.path, issue.code, issue.severity, issue.message, doc.index
            )
        )
    return findings, report


def _check_response(data: Any, validator: Any) -> Any:
    """A response fixture: ``"status": "success"`` is a 200, anything else Kombo's error."""
    from ..responses import check_response

    status = 200 if isinstance(data, dict) and data.get("status") == "success" else 400
    return check_response(status, data, validator=validator)


def lint_file(path: str) -> FileResult:
    """Load, check and (with ``fix``) rewrite one fixture. Never raises."""
    try:
        return _lint_file(path)
    except Exception as exc:  # a bug here must not take the other files' results with it
        message = f"kombo-validate failed on this file: {type(exc).__name__}: {exc}"
        return FileResult([Finding(path, 1, 1, "", "internal.error", "error", message)], [], False)


def _lint_file(path: str) -> FileResult:
    options = _State.options
    by_file = _State.by_file
    validator = _State.validator if by_file is None else by_file.get(path, _State.validator)
    kind = kind_of(path) or options.input_format
    unsaid = not (options.fix or options.strict)  # the changes go unsaid: only the findings
    if unsaid and kind == "json" and not is_stdin(path):  # the commonest file, in few calls
        raw = read_source(path)
        if isinstance(raw, Finding):
            return FileResult([raw], [], False, 0)
        plain = plain_json(raw)
        if plain is not None:
            findings = check_document(plain, path, validator)[0]
            if len(findings) > 1:
                findings.sort(key=lambda f: (f.line, f.column))
            return FileResult(findings, [], False, 1)
        loaded = load_text(raw, path, kind, duplicates=False)  # says what is wrong with it
    else:
        read = _stat(path) if options.fix else None  # before reading: a later change is seen
        loaded = load_file(path, kind, duplicates=options.strict, stdin=options.stdin)
    path = loaded.path  # standard input is named <stdin>
    findings = list(loaded.findings)
    if unsaid:
        for doc in loaded.documents:
            findings.extend(check_document(doc, path, validator)[0])
        if len(findings) > 1:
            findings.sort(key=lambda f: (f.line, f.column))
        return FileResult(findings, [], False, len(loaded.documents))
    notes: list[tuple[int, int, str]] = []
    bodies: dict[int, Any] = {}
    for doc in loaded.documents:
        found, report = check_document(doc, path, validator)
        findings.extend(found)
        if report is None or not report.changes or not report.ok:
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
            fixed = _write_fixed(loaded, bodies, read, validator)
        except Exception as exc:  # FixError, FixRefused, a bug: the file stays as it was
            notes = []
            findings.extend(_not_fixed(loaded, exc))
    if len(findings) > 1:  # (a file with nothing to say skips the sorts)
        findings.sort(key=lambda f: (f.line, f.column))
    if len(notes) > 1:
        notes.sort(key=lambda n: (n[0], n[1]))  # the changes come in the spec's order
    return FileResult(findings, notes, fixed, len(loaded.documents))


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None  # the loader reports it


def _not_fixed(loaded: LoadedFile, exc: Exception) -> list[Finding]:
    """``fix.refused`` at each value a fix would have lost the author's text for
    (:class:`~.fix.FixRefused`), else one ``fix.failed`` for the file."""
    path = loaded.path
    refusals: list[tuple[int, str, str]] = getattr(exc, "refusals", [])
    if not refusals:
        return [Finding(path, 1, 1, "", "fix.failed", "error", f"not fixed: {exc}")]
    docs = {doc.index: doc for doc in loaded.documents}
    found = []
    for index, where, why in refusals:
        line, column = docs[index].locate(where)
        message = f"not fixed (nothing was written): {why}"
        found.append(Finding(path, line, column, where, "fix.refused", "error", message, index))
    return found


def _write_fixed(
    loaded: LoadedFile,
    bodies: dict[int, Any],
    read: os.stat_result | None = None,
    validator: Any = None,
) -> bool:
    """Rewrite the file with the canonical bodies; False when the text is unchanged.

    Atomic: the new text goes to a hidden temporary file in the same directory
    (written, flushed and fsync'ed, given the original's mode and — where the
    system allows — its owner and group), which then replaces the original by
    ``os.replace``; the directory is fsync'ed where supported. A full disk, a
    quota, a file size limit or a crash leaves the old file or the new one,
    never a cut one: any failure removes the temporary file, leaves the
    original byte for byte, and raises :class:`~.fix.FixError` (``fix.failed``)
    with a message that quotes no payload data.

    **Symlinks are followed**: the link's target is replaced (its temporary
    file made in the target's directory) and the link stays a link pointing
    at it, as writing through the link would. A file with several hard links
    gets a new inode: its other names keep the old text.

    ``read`` is the file's ``os.stat`` from before it was read: if its
    device, inode, size or mtime differ just before the replace (another
    process wrote or replaced it), nothing is written. A read-only file, and
    anything but a regular file (``/dev/stdin``, a FIFO), is not replaced.
    """
    from .fix import FixError, fixed_text

    new_text = fixed_text(loaded, bodies, lambda doc: payload(doc, validator))
    if new_text == loaded.text:
        return False
    try:
        data = new_text.encode("utf-8")
    except UnicodeError:
        raise FixError("the fixed text cannot be written as UTF-8") from None
    target = os.path.realpath(loaded.path)
    directory = os.path.dirname(target)

    def unchanged() -> os.stat_result:
        now = os.stat(target)
        if read is not None and (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) != (
            read.st_dev,
            read.st_ino,
            read.st_size,
            read.st_mtime_ns,
        ):
            raise FixError("the file changed on disk while it was being checked; run again")
        return now

    import contextlib
    import stat
    import tempfile

    try:
        original = unchanged()
        if not stat.S_ISREG(original.st_mode):
            raise FixError("not a regular file (a pipe, a device…): it cannot be replaced")
        if not os.access(target, os.W_OK):
            raise FixError("the file is not writable")
        fd, temp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise FixError(f"could not write the fixed file ({reason}); it is unchanged") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if hasattr(os, "chown"):
            _copy_owner(temp, original)
        os.chmod(temp, stat.S_IMODE(original.st_mode))  # after chown, which may clear bits
        unchanged()
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            reason = exc.strerror or type(exc).__name__
            raise FixError(f"could not write the fixed file ({reason}); it is unchanged") from None
        raise
    try:  # the rename itself survives a crash once the directory is on disk
        dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass  # not supported here (Windows, some file systems)
    return True


def _copy_owner(temp: str, original: os.stat_result) -> None:
    """Give ``temp`` the original's owner and group, or at least its group; a
    change the system does not allow (EPERM: not root) is skipped."""
    mine = os.stat(temp)
    if (mine.st_uid, mine.st_gid) == (original.st_uid, original.st_gid):
        return
    for uid in (original.st_uid, -1):
        try:
            os.chown(temp, uid, original.st_gid)
            return
        except PermissionError:
            continue


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
            for result in pool.map(_lint_file_compact, files, chunksize=chunksize):
                yield FileResult([], [], False, result) if isinstance(result, int) else result
    finally:
        gc.unfreeze()


def _lint_file_compact(path: str) -> FileResult | int:
    """:func:`lint_file` in a worker: a file with nothing to say comes back as its count
    of payloads (an int pickles in a few bytes; :func:`lint_files` makes the result)."""
    result = lint_file(path)
    if not result.findings and not result.notes and not result.fixed:
        return result.payloads
    return result
