"""The command line, parsed into :class:`Options` (running it lives in :mod:`.commands`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from .reporters import REPORTERS

__all__ = ["Options", "build_parser", "parse_args"]

PROG = "kombo-validate"


@dataclass
class Options:
    command: str
    paths: list[str] = field(default_factory=list)
    file: str | None = None
    questions: str | None = None
    restrictions: str | None = None
    job_id: str | None = None
    spec: str | None = None
    format: str = "text"
    strict: bool = False
    fix: bool = False
    jobs: int = 1
    quiet: bool = False
    response: bool = False


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return value


def _context_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("job context")
    group.add_argument(
        "--questions",
        metavar="FILE",
        help="JSON/YAML: the job's screening_questions, a job, or a whole GET /ats/jobs response",
    )
    group.add_argument(
        "--job-id",
        metavar="ID",
        help="with --questions holding several jobs: the job (id or remote_id) to use",
    )
    group.add_argument(
        "--restrictions",
        metavar="FILE",
        help="JSON/YAML: attachment_restrictions of GET /ats/actions/ats_create_application",
    )
    parser.add_argument(
        "--spec", metavar="FILE", help="OpenAPI document to validate against (default: bundled)"
    )


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Lint and prepare Kombo 'Create application' payloads "
        "(POST /ats/jobs/{job_id}/applications).",
        epilog="Exit codes: 0 no errors, 1 errors found, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = commands.add_parser(
        "lint", help="check fixture files, directories and globs", description="Check fixtures."
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or glob")
    _context_options(lint)
    lint.add_argument("--format", choices=sorted(REPORTERS), default="text")
    lint.add_argument(
        "--strict",
        action="store_true",
        help="warnings fail too, and valid fixtures not in canonical wire form are reported",
    )
    lint.add_argument(
        "--fix", action="store_true", help="rewrite valid fixtures in canonical wire form"
    )
    lint.add_argument(
        "--jobs", "-j", type=_jobs, default=1, metavar="N", help="processes (0: one per CPU)"
    )
    lint.add_argument(
        "--quiet", "-q", action="store_true", help="no summary or fix notes; errors only"
    )
    lint.add_argument(
        "--response",
        action="store_true",
        help="the fixtures are Kombo's responses to Create application (mocks): a body with "
        '"status": "success" is checked against the 200 response, any other against the error one',
    )

    check = commands.add_parser(
        "check",
        help="print the report (issues, changes, verdict) for each file",
        description="Print each file's report.",
    )
    check.add_argument("paths", nargs="+", metavar="FILE")
    _context_options(check)
    check.add_argument("--format", choices=("json", "text"), default="text")

    prepare = commands.add_parser(
        "prepare",
        help="print the wire-ready JSON body",
        description="Print the wire-ready JSON body (one per line for several payloads).",
    )
    prepare.add_argument("file", metavar="FILE")
    _context_options(prepare)

    spec = commands.add_parser(
        "spec",
        help="validate the OpenAPI document and show the operation",
        description="Run openapi-spec-validator on the spec (default: the bundled one).",
    )
    spec.add_argument("file", nargs="?", metavar="FILE")
    return parser


def parse_args(argv: Sequence[str] | None) -> Options:
    """Parse ``argv``; argparse exits with status 2 (SystemExit) on a usage error."""
    parser = build_parser()
    namespace = parser.parse_args(argv)
    if namespace.command is None:
        parser.print_usage(sys.stderr)
        parser.exit(2, f"{PROG}: error: a COMMAND is required (lint, check, prepare, spec)\n")
    values = {k: v for k, v in vars(namespace).items() if k in Options.__dataclass_fields__}
    options = Options(**values)
    if options.job_id is not None and options.questions is None:
        parser.exit(2, f"{PROG}: error: --job-id needs --questions\n")
    if options.response and (options.fix or options.questions or options.restrictions):
        parser.exit(2, f"{PROG}: error: --response goes with neither --fix nor a job context\n")
    return options
