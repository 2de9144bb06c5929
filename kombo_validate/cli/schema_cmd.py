"""``kombo-validate schema``: the editor JSON Schema of the request body on stdout.

Exit 0; an unusable ``--spec`` or an ``--operation`` the spec does not define is a
usage error (:class:`OptionError`, exit 2).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..issues import SpecError
from .jobcontext import OptionError

__all__ = ["run_schema"]


def run_schema(options: Any, out: TextIO, err: TextIO) -> int:
    """Print the schema of ``options.spec``'s operation (``options.operation``: None, or
    that operation as ``METHOD /path``, its path or its operationId)."""
    import kombo_validate

    from ..editor_schema import editor_schema

    try:
        validator = kombo_validate.Validator(options.spec)
    except SpecError as exc:
        raise OptionError(f"--spec {exc}") from None
    operation = getattr(options, "operation", None)
    # the operation's id, "METHOD /path", or its path alone
    if operation is not None and not (
        validator.operation.named(operation) or operation == validator.operation.path
    ):
        op = validator.operation
        raise OptionError(f"--operation {operation}: the spec defines only {op} ({op.id})")
    out.write(json.dumps(editor_schema(validator), indent=2, ensure_ascii=False) + "\n")
    return 0
