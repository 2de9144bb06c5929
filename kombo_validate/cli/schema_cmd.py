"""``kombo-validate schema``: the editor JSON Schema of the request body on stdout.

Exit 0; an unusable ``--spec`` or an ``--operation`` the spec does not define is a
usage error (:class:`OptionError`, exit 2).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ..issues import SpecError
from ..spec import OPERATION_ID
from .jobcontext import OptionError

if TYPE_CHECKING:
    from ..api import Validator

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
    if operation is not None and not _names(operation, validator):
        raise OptionError(
            f"--operation {operation}: the spec defines only {validator.operation} ({OPERATION_ID})"
        )
    out.write(json.dumps(editor_schema(validator), indent=2, ensure_ascii=False) + "\n")
    return 0


def _names(operation: str, validator: Validator) -> bool:
    """``operation`` names the validator's operation."""
    words = operation.split()
    method, path = validator.spec.method, validator.spec.path
    if len(words) == 2:
        return words[0].lower() == method.lower() and words[1] == path
    return words in ([OPERATION_ID], [path])
