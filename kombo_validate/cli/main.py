"""``kombo-validate`` / ``python -m kombo_validate``: :func:`main` parses, dispatches, exits."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .commands import COMMANDS, OptionError
from .options import PROG, parse_args

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        options = parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    out, err = sys.stdout, sys.stderr
    try:
        return COMMANDS[options.command](options, out, err)
    except OptionError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. `kombo-validate lint . | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
