"""The command line, parsed into :class:`Options` (running it lives in :mod:`.commands`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from .loaders import INPUT_FORMATS, is_stdin
from .reporters import REPORTERS
from .serve_cmd import add_serve_parser

__all__ = ["COMMAND_NAMES", "Options", "build_parser", "parse_args"]

PROG = "kombo-validate"
#: the subcommands, in the order the usage lists them
COMMAND_NAMES = ("lint", "check", "prepare", "spec", "schema", "serve")


class Options:
    """The parsed command line (a plain class: ``dataclasses`` would import ``inspect``,
    some 10 ms of a cold start)."""

    #: the fields, in order, with their defaults (``extra`` gets a fresh dict)
    FIELDS: ClassVar[Mapping[str, Any]] = {
        "paths": None,  # a fresh list
        "file": None,
        "questions": None,
        "restrictions": None,
        "job_id": None,
        "spec": None,
        "format": "text",
        "strict": False,
        "fix": False,
        "jobs": 1,
        "quiet": False,
        "response": False,
        "input_format": None,
        "operation": None,
    }

    command: str
    paths: list[str]
    file: str | None
    questions: str | None
    restrictions: str | None
    job_id: str | None
    spec: str | None
    format: str
    strict: bool
    fix: bool
    jobs: int
    quiet: bool
    response: bool
    input_format: str | None
    operation: str | None
    #: a command's own options that Options has no field for (serve's)
    extra: dict[str, Any]

    def __init__(self, command: str, **values: Any) -> None:
        unknown = set(values) - set(self.FIELDS) - {"extra"}
        if unknown:
            raise TypeError(f"Options got unexpected fields: {', '.join(sorted(unknown))}")
        self.command = command
        for name, default in self.FIELDS.items():
            setattr(self, name, values.get(name, default))
        if self.paths is None:
            self.paths = []
        self.extra = values.get("extra", {})

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in ("command", *self.FIELDS, "extra"))
        return f"Options({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Options:
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return value


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="read the files as this format: for standard input ('-'), where it is otherwise "
        "detected from the content, and for files without a .json/.yaml/.yml/.ndjson/.jsonl name",
    )


def _operation_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--operation",
        metavar="ID",
        help="the operation the payloads are for (operationId or 'METHOD /path'; default: a "
        "config file's folder mapping, else Create application)",
    )


def _format_option(parser: argparse.ArgumentParser, where: str = "") -> None:
    parser.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        default="text",
        help=f"how issues are printed{where} (default: text)",
    )


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
    """The whole command line's parser (see :func:`parse_args`)."""
    return _build()[0]


def _columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing ``shutil`` (and
    ``bz2``, ``lzma``...: some 10 % of a ``lint one.json`` start)."""
    sizes = []
    for name in ("COLUMNS", "LINES"):
        try:
            sizes.append(int(os.environ[name]))
        except (KeyError, ValueError):
            sizes.append(0)
    columns, lines = sizes
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, its default width found by :func:`_columns`."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: Any = None
    ) -> None:
        if width is None:
            width = _columns() - 2  # as argparse does
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser (and its commands') with :class:`_Formatter` by default."""

    def __init__(self, *args: Any, formatter_class: Any = _Formatter, **kwargs: Any) -> None:
        kwargs["formatter_class"] = formatter_class
        super().__init__(*args, **kwargs)


def _build() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and, by name, each command's own (whose usage its errors print)."""
    from .. import __version__

    parser = _Parser(
        prog=PROG,
        description="Lint and prepare payloads of Kombo's write operations (default: "
        "Create application, POST /ats/jobs/{job_id}/applications; see --operation).",
        epilog="Exit codes: 0 no errors, 1 errors found, 2 usage error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    lint = commands.add_parser(
        "lint", help="check fixture files, directories and globs", description="Check fixtures."
    )
    lint.add_argument(
        "paths", nargs="+", metavar="PATH", help="file, directory or glob; '-' reads stdin"
    )
    _context_options(lint)
    _operation_option(lint)
    _input_options(lint)
    _format_option(lint)
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
    check.add_argument("paths", nargs="+", metavar="FILE", help="a fixture; '-' reads stdin")
    _context_options(check)
    _operation_option(check)
    _input_options(check)
    _format_option(check, " (json: an array of reports with changes and the wire body)")

    prepare = commands.add_parser(
        "prepare",
        help="print the wire-ready JSON body",
        description="Print the wire-ready JSON body (one per line for several payloads).",
    )
    prepare.add_argument("file", metavar="FILE", help="a fixture; '-' reads stdin")
    _context_options(prepare)
    _operation_option(prepare)
    _input_options(prepare)
    _format_option(prepare, " on stderr (stdout holds the body)")

    spec = commands.add_parser(
        "spec",
        help="validate the OpenAPI document and show the operation",
        description="Run openapi-spec-validator on the spec (default: the bundled one).",
    )
    spec.add_argument("file", nargs="?", metavar="FILE")

    schema = commands.add_parser(
        "schema",
        help="print a JSON Schema of the request body for editors",
        description="Print a JSON Schema (Draft 2020-12) of the request body, for editors "
        "(VS Code json.schemas/yaml.schemas, JetBrains, yaml-language-server).",
    )
    schema.add_argument(
        "--spec", metavar="FILE", help="OpenAPI document to read (default: bundled)"
    )
    _operation_option(schema)
    add_serve_parser(commands)
    return parser, {name: commands.choices[name] for name in COMMAND_NAMES}


def parse_args(argv: Sequence[str] | None) -> Options:
    """Parse ``argv``; argparse exits with status 2 (SystemExit) on a usage error,
    printing the usage of the command it is about."""
    parser, subparsers = _build()
    namespace, extra = parser.parse_known_args(argv)
    if namespace.command is None:
        parser.print_usage(sys.stderr)
        commands = ", ".join(COMMAND_NAMES)
        parser.exit(2, f"{PROG}: error: a COMMAND is required ({commands})\n")
    command = subparsers[namespace.command]
    if extra:
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    values = {k: v for k, v in vars(namespace).items() if k == "command" or k in Options.FIELDS}
    options = Options(**values)
    options.extra = {k: v for k, v in vars(namespace).items() if k not in values}
    if options.job_id is not None and options.questions is None:
        command.error("--job-id needs --questions")
    if options.response and (options.fix or options.questions or options.restrictions):
        command.error("--response goes with neither --fix nor a job context")
    if options.fix and any(map(is_stdin, options.paths)):
        command.error("--fix cannot rewrite standard input ('-'): use prepare")
    return options
