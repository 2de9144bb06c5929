"""The commands. Each takes parsed :class:`Options` and two streams, returns the exit code.

Exit codes: 0 no errors (warnings allowed unless ``--strict``), 1 errors in a
fixture (missing, unreadable and unparseable ones included) or, for ``spec``, in
the OpenAPI document, 2 usage errors — which include a ``--spec``,
``--questions``, ``--restrictions`` or ``--job-id`` that cannot be used (and a
``spec FILE`` that cannot be read), raised here as :class:`OptionError` with the
same words for the same situation: ``--spec nope.yaml: no such file``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from ..issues import ContextError, SpecError
from .config import find_config, resolve
from .discover import expand_paths
from .findings import Finding
from .jobcontext import OptionError, load_context_file, pick_questions
from .lint import (
    LintOptions,
    State,
    check_document,
    describe_change,
    init_worker,
    lint_files,
    validator_for,
)
from .loaders import LoadedFile, is_stdin, kind_of, load_file, read_stdin
from .options import Options
from .reporters import REPORTERS, Reporter, Summary
from .schema_cmd import run_schema
from .serve_cmd import run_serve

__all__ = ["COMMANDS", "OptionError"]


def _stdin(paths: list[str]) -> bytes | Finding | None:
    """Standard input, read once, when a path asks for it."""
    return read_stdin() if any(map(is_stdin, paths)) else None


def _state(options: Options, paths: list[str]) -> State:
    """The Validators and context the options (and a config file) ask for, or
    OptionError (exit 2)."""
    import kombo_validate

    questions = restrictions = None
    if options.questions is not None:
        data = load_context_file(options.questions, "--questions")
        questions = pick_questions(data, options.job_id, options.questions)
    if options.restrictions is not None:
        restrictions = load_context_file(options.restrictions, "--restrictions")
    resolved = resolve(options.spec, options.operation, paths, find_config())
    validator, by_file = resolved
    in_use = [v for v in (validator, *(by_file or {}).values()) if v is not None]
    for option, given, hook, what in (
        ("--questions", questions, "answers", "takes no screening question answers"),
        ("--restrictions", restrictions, "uploads", "uploads no attachments"),
    ):
        if given is not None and in_use and not any(getattr(v.operation, hook) for v in in_use):
            raise OptionError(f"{option}: {in_use[0].operation} {what}")
    compiled: list[Any] = []
    for option, raw, name in (
        ("--questions", questions, "Questions"),
        ("--restrictions", restrictions, "Restrictions"),
    ):
        if raw is None:  # their modules are only imported when asked for
            compiled.append(None)
            continue
        try:
            compiled.append(getattr(kombo_validate, name)(raw))
        except ContextError as exc:
            raise OptionError(f"{option}: {exc}") from None
    lint_options = LintOptions(
        options.spec,
        questions,
        restrictions,
        options.strict,
        options.fix,
        options.response,
        options.input_format,
        _stdin(paths),
    )
    return State(lint_options, validator, compiled[0], compiled[1], by_file)


def run_lint(options: Options, out: TextIO, err: TextIO) -> int:
    files, path_findings = expand_paths(options.paths)
    state = _state(options, files)
    reporter = REPORTERS[options.format](out, err, quiet=options.quiet)
    # --quiet drops warnings from the text/github output unless they fail (--strict)
    hide_warnings = options.quiet and not options.strict and options.format != "json"
    errors = warnings = fixed = 0

    def emit(finding: Finding) -> None:
        nonlocal errors, warnings
        if finding.is_error:
            errors += 1
        else:
            warnings += 1
            if hide_warnings:
                return
        reporter.finding(finding)

    for finding in path_findings:
        emit(finding)
    for path, result in zip(files, lint_files(files, state, options.jobs), strict=True):
        for finding in result.findings:
            emit(finding)
        for line, column, message in result.notes:
            reporter.fixed(path, line, column, message)
        reporter.file_done(path, result.payloads)
        fixed += result.fixed
    reporter.close(Summary(len(files), errors, warnings, fixed))
    return 1 if errors or (options.strict and warnings) else 0


Checked = list[tuple[Any, list[Finding], Any]]


def _checked(path: str, state: State) -> tuple[LoadedFile, Checked]:
    """The file, and for each payload: (document, findings, report or None)."""
    options = state.options
    loaded = load_file(path, kind_of(path) or options.input_format, stdin=options.stdin)
    validator = validator_for(path)
    return loaded, [(doc, *check_document(doc, loaded.path, validator)) for doc in loaded.documents]


def _findings(loaded: LoadedFile, results: Checked) -> list[Finding]:
    """The file's findings and its payloads', in line order."""
    found = loaded.findings + [f for _, found, _ in results for f in found]
    return sorted(found, key=lambda f: (f.line, f.column))


def _check_json(loaded: LoadedFile, results: Checked) -> dict[str, Any]:
    documents = []
    for doc, found, report in results:
        changes = []
        for change in report.changes if report is not None else ():
            line, column = doc.locate(change.path)
            changes.append({**change.to_dict(), "line": line, "column": column})
        documents.append(
            {
                "index": doc.index,
                "ok": report is not None and report.ok,
                "issues": [f.to_dict() for f in found],
                "changes": changes,
                "body": None if report is None else report.body,
            }
        )
    return {
        "file": loaded.path,
        "ok": not loaded.failed and all(d["ok"] for d in documents),
        "file_issues": [f.to_dict() for f in loaded.findings],
        "documents": documents,
    }


def _check_text(loaded: LoadedFile, results: Checked, reporter: Reporter) -> tuple[int, int]:
    """Report one file's findings, changes and verdict; (errors, warnings)."""
    findings = _findings(loaded, results)
    errors = sum(f.is_error for f in findings)
    for finding in findings:
        reporter.finding(finding)
    changes = 0
    for doc, _, report in results:
        for change in report.changes if report is not None else ():
            line, column = doc.locate(change.path)
            reporter.fixed(loaded.path, line, column, describe_change(change), verb="change")
            changes += 1
    verdict = "invalid" if errors else "valid"
    counts = Summary(1, errors, len(findings) - errors).line().split(": ", 1)[1]
    payloads = f"{len(results)} payload{'' if len(results) == 1 else 's'}"
    changed = f"{changes} change{'' if changes == 1 else 's'}"
    reporter.verdict(loaded.path, f"{verdict} ({payloads}): {counts}, {changed}")
    return errors, len(findings) - errors


def run_check(options: Options, out: TextIO, err: TextIO) -> int:
    """Each file's report: issues, changes, a verdict line (json: an array of reports
    with the wire body; github, sarif, junit: the issues as ``lint`` prints them)."""
    state = _state(options, options.paths)
    init_worker(state)
    errors = warnings = 0
    reports = []
    reporter = REPORTERS[options.format](out, err)
    for path in options.paths:
        loaded, results = _checked(path, state)
        if options.format == "json":
            report = _check_json(loaded, results)
            errors += not report["ok"]
            reports.append(report)
            continue
        found, warned = _check_text(loaded, results, reporter)
        errors += found
        warnings += warned
        reporter.file_done(loaded.path, len(results))
    if options.format == "json":
        out.write(json.dumps(reports, indent=2, ensure_ascii=False, default=repr) + "\n")
    elif options.format != "text":  # text: the verdict lines are the summary
        reporter.close(Summary(len(options.paths), errors, warnings))
    return 1 if errors else 0


def run_prepare(options: Options, out: TextIO, err: TextIO) -> int:
    """The wire-ready body on stdout (several payloads: one per line); issues on stderr,
    in the ``--format`` asked for."""
    assert options.file is not None
    state = _state(options, [options.file])
    init_worker(state)
    loaded, results = _checked(options.file, state)
    reporter = REPORTERS[options.format](err, err, quiet=True)
    findings = _findings(loaded, results)
    for finding in findings:
        reporter.finding(finding)
    reporter.file_done(loaded.path, len(results))
    bodies = [report.body for _, _, report in results if report is not None]
    errors = sum(f.is_error for f in findings)
    reporter.close(Summary(1, errors, len(findings) - errors))
    if errors or len(bodies) != len(results):
        return 1
    if len(bodies) == 1:
        out.write(json.dumps(bodies[0], indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        for body in bodies:
            out.write(json.dumps(body, ensure_ascii=False, allow_nan=False) + "\n")
    return 0


def run_spec(options: Options, out: TextIO, err: TextIO) -> int:
    """The OpenAPI document checked: exit 1 when it is not valid, 2 when it cannot be read."""
    import kombo_validate

    from ..spec import read_spec_file

    try:
        if options.file is not None:
            from pathlib import Path

            read_spec_file(Path(options.file))  # unreadable: a usage error, as for --spec
    except SpecError as exc:
        raise OptionError(f"spec {exc}") from None
    try:
        validator = kombo_validate.Validator(options.file, validate_spec=True)
    except SpecError as exc:
        err.write(f"kombo-validate: spec {exc}\n")
        return 1
    info = validator.spec
    out.write(f"{info.source}: a valid OpenAPI document\n")
    out.write(f"operation: {validator.operation}\n")
    example = info.request_example
    if example is not None:
        report = validator.check(example)
        verdict = "valid" if report.ok else f"INVALID ({len(report.errors)} errors)"
        out.write(f"request example: {verdict}\n")
    return 0


COMMANDS: dict[str, Callable[[Options, TextIO, TextIO], int]] = {
    "lint": run_lint,
    "check": run_check,
    "prepare": run_prepare,
    "spec": run_spec,
    "schema": run_schema,
    "serve": run_serve,
}
