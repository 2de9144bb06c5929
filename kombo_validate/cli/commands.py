"""The four commands. Each takes parsed :class:`Options` and two streams, returns the exit code.

Exit codes: 0 no errors (warnings allowed unless ``--strict``), 1 errors in a
fixture (unreadable and unparseable ones included), 2 usage errors — which
include an unusable ``--spec``, ``--questions``, ``--restrictions`` or
``--job-id``, raised here as :class:`OptionError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from ..issues import ContextError, SpecError
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
)
from .loaders import LoadedFile, load_file
from .options import Options
from .reporters import REPORTERS, Summary, TextReporter

__all__ = ["COMMANDS", "OptionError"]


def _state(options: Options) -> State:
    """The Validator and context the options ask for, or OptionError (exit 2)."""
    import kombo_validate

    questions = restrictions = None
    if options.questions is not None:
        data = load_context_file(options.questions, "--questions")
        questions = pick_questions(data, options.job_id, options.questions)
    if options.restrictions is not None:
        restrictions = load_context_file(options.restrictions, "--restrictions")
    try:
        validator = kombo_validate.Validator(options.spec)
    except SpecError as exc:
        raise OptionError(f"--spec: {exc}") from None
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
        options.spec, questions, restrictions, options.strict, options.fix, options.response
    )
    return State(lint_options, validator, compiled[0], compiled[1])


def run_lint(options: Options, out: TextIO, err: TextIO) -> int:
    state = _state(options)
    files, path_findings = expand_paths(options.paths)
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


def _checked(path: str) -> tuple[LoadedFile, Checked]:
    """The file, and for each payload: (document, findings, report or None)."""
    loaded = load_file(path)
    return loaded, [(doc, *check_document(doc, path)) for doc in loaded.documents]


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


def _check_text(loaded: LoadedFile, results: Checked, out: TextIO, err: TextIO) -> int:
    findings = sorted(
        loaded.findings + [f for _, found, _ in results for f in found],
        key=lambda f: (f.line, f.column),
    )
    errors = sum(f.is_error for f in findings)
    reporter = TextReporter(out, err)
    for finding in findings:
        reporter.finding(finding)
    changes = 0
    for doc, _, report in results:
        for change in report.changes if report is not None else ():
            line, column = doc.locate(change.path)
            out.write(f"{loaded.path}:{line}:{column}: change {describe_change(change)}\n")
            changes += 1
    verdict = "invalid" if errors else "valid"
    counts = Summary(1, errors, len(findings) - errors).line().split(": ", 1)[1]
    payloads = f"{len(results)} payload{'' if len(results) == 1 else 's'}"
    changed = f"{changes} change{'' if changes == 1 else 's'}"
    out.write(f"{loaded.path}: {verdict} ({payloads}): {counts}, {changed}\n")
    return errors


def run_check(options: Options, out: TextIO, err: TextIO) -> int:
    """Each file's report: issues, changes, a verdict line (json: an array of reports)."""
    init_worker(_state(options))
    errors, reports = 0, []
    for path in options.paths:
        loaded, results = _checked(path)
        if options.format == "json":
            report = _check_json(loaded, results)
            errors += not report["ok"]
            reports.append(report)
        else:
            errors += _check_text(loaded, results, out, err)
    if options.format == "json":
        out.write(json.dumps(reports, indent=2, ensure_ascii=False, default=repr) + "\n")
    return 1 if errors else 0


def run_prepare(options: Options, out: TextIO, err: TextIO) -> int:
    """The wire-ready body on stdout (several payloads: one per line); issues on stderr."""
    init_worker(_state(options))
    assert options.file is not None
    loaded, results = _checked(options.file)
    reporter = TextReporter(err, err)
    findings = loaded.findings + [f for _, found, _ in results for f in found]
    for finding in sorted(findings, key=lambda f: (f.line, f.column)):
        reporter.finding(finding)
    bodies = [report.body for _, _, report in results if report is not None]
    if any(f.is_error for f in findings) or len(bodies) != len(results):
        return 1
    if len(bodies) == 1:
        out.write(json.dumps(bodies[0], indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        for body in bodies:
            out.write(json.dumps(body, ensure_ascii=False, allow_nan=False) + "\n")
    return 0


def run_spec(options: Options, out: TextIO, err: TextIO) -> int:
    import kombo_validate

    try:
        validator = kombo_validate.Validator(options.file, validate_spec=True)
    except SpecError as exc:
        err.write(f"kombo-validate: spec: {exc}\n")
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
}
