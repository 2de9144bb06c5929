"""``kombo-validate schema``: the editor JSON Schema of the request body on stdout.

Exit 0; an unusable ``--spec`` or an ``--operation`` the spec does not define is a
usage error (:class:`OptionError`, exit 2).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

__all__ = ["run_schema"]


def run_schema(options: Any, out: TextIO, err: TextIO) -> int:
    """Print the schema of ``options.spec``'s operation (``options.operation``: None for
    Create application, an operationId, ``METHOD /path`` or a path with one write
    operation)."""
    from ..editor_schema import editor_schema
    from .config import build_validator, find_config

    spec, operation = options.spec, getattr(options, "operation", None)
    config = find_config()
    spec_where = "--spec"
    if spec is None and config is not None and config.spec is not None:
        spec, spec_where = config.spec, config.where("spec")
    where = "--operation"
    if operation is None and config is not None and config.operation is not None:
        operation, where = config.operation, config.where("operation") + " ="
    validator = build_validator(spec, operation, where, spec_where)
    out.write(json.dumps(editor_schema(validator), indent=2, ensure_ascii=False) + "\n")
    return 0
