"""Which operation each fixture is for: ``--operation``, or a folder mapping in a config file.

The config is the first of these found walking up from the current directory: a
``kombo-validate.toml``, or a ``pyproject.toml`` with a ``[tool.kombo-validate]``
table (in one directory, ``kombo-validate.toml`` wins). Its keys, all optional::

    spec = "openapi/kombo.json"          # the OpenAPI document (like --spec)
    operation = "PostAtsCandidates"      # files no pattern maps (default: Create application)

    [operations]                         # in pyproject.toml: [tool.kombo-validate.operations]
    "fixtures/candidates" = "PostAtsCandidates"
    "fixtures/hris/**/absence-*.json" = "POST /hris/absences"

Paths and patterns are relative to the config file's directory; a pattern (``*``,
``?``, ``[...]`` within a name, ``**`` for any folders) matches a file or any folder
above it; the first pattern that matches wins. The command line wins over the
config: ``--spec`` over ``spec``, and ``--operation`` checks every file against
that operation, the mapping unused.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from ..issues import SpecError
from .discover import fits
from .jobcontext import OptionError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CONFIG_FILE", "Config", "Resolved", "build_validator", "find_config", "resolve"]

CONFIG_FILE = "kombo-validate.toml"
_TABLE = "kombo-validate"
_KEYS = ("spec", "operation", "operations")
#: where a pyproject.toml may hold a [tool.kombo-validate] table: "tool" . "kombo-validate"
#: (a header or a dotted key, quoted or not), or a [tool] table / a tool = {...} inline
#: table that may hold it. Anything else (a [project.scripts] entry of that name) is
#: not parsed: tomllib is a tenth of a ``lint one.json`` start
_MAY_HOLD = re.compile(
    r"""tool["']?\s*\.\s*["']?kombo-validate|^\s*\[\s*["']?tool["']?\s*\]|^\s*["']?tool["']?\s*=""",
    re.M,
)


class Config(NamedTuple):
    """A config file's settings: paths made absolute, patterns in the file's order."""

    file: str
    #: where the keys live, for messages: ``""`` or ``"tool.kombo-validate"``
    table: str
    base: str
    spec: str | None
    operation: str | None
    operations: tuple[tuple[str, str], ...]

    def where(self, key: str) -> str:
        """``kombo-validate.toml: [operations] "x/**"``: a key, named for a message."""
        if key in _KEYS:
            return f"{self.file}: {'.'.join(filter(None, (self.table, key)))}"
        table = ".".join(filter(None, (self.table, "operations")))
        return f"{self.file}: [{table}] {json.dumps(key, ensure_ascii=False)}"

    def operation_for(self, path: str) -> str | None:
        """The operation the first matching pattern names for ``path``, or None."""
        from pathlib import Path

        relative = os.path.relpath(os.path.abspath(path), self.base)
        parts = Path(relative).parts
        if not parts or parts[0] == os.pardir:
            return None
        for pattern, operation in self.operations:
            words = [w for w in pattern.replace(os.sep, "/").split("/") if w not in ("", ".")]
            if any(fits(words, list(parts[:n])) for n in range(len(parts), 0, -1)):
                return operation
        return None


def _shown(path: Path) -> str:
    """``path`` as messages name it: relative to the current directory when below it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith(os.pardir) else relative


def _toml(path: Path) -> dict[str, Any]:
    import importlib

    # the stdlib's on 3.11+, its backport (the same API) on 3.10
    tomllib: Any = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeError) as exc:
        raise OptionError(f"{_shown(path)}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise OptionError(f"{_shown(path)}: not valid TOML: {exc}") from None


def find_config(start: Path | None = None) -> Config | None:
    """The config for ``start`` (default: the current directory), or None."""
    # os.getcwd(): what Path.cwd().absolute() is, without importing pathlib
    here = os.getcwd() if start is None else str(start.absolute())
    while True:
        own = os.path.join(here, CONFIG_FILE)
        if os.path.isfile(own):
            from pathlib import Path

            return _config(Path(own), "", _toml(Path(own)))
        pyproject = os.path.join(here, "pyproject.toml")
        try:
            with open(pyproject, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            mentions = _TABLE in text and _MAY_HOLD.search(text) is not None
        except OSError:  # no such file (or a folder of that name)
            mentions = False
        if mentions:
            from pathlib import Path

            table = _toml(Path(pyproject)).get("tool", {}).get(_TABLE)
            if table is not None:
                return _config(Path(pyproject), f"tool.{_TABLE}", table)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _config(path: Path, table: str, data: Any) -> Config:
    shown = _shown(path)
    draft = Config(shown, table, str(path.parent), None, None, ())
    if not isinstance(data, dict):
        raise OptionError(f"{draft.where('')}: expected a table")
    for key in data:
        if key not in _KEYS:
            raise OptionError(
                f"{shown}: unknown key {'.'.join(filter(None, (table, key)))!r} "
                f"(known: {', '.join(_KEYS)})"
            )
    spec, operation = data.get("spec"), data.get("operation")
    for key, value in (("spec", spec), ("operation", operation)):
        if value is not None and not isinstance(value, str):
            raise OptionError(f"{draft.where(key)}: expected a string")
    mapping = data.get("operations", {})
    if not isinstance(mapping, dict):
        raise OptionError(f"{draft.where('operations')}: expected a table of pattern = operation")
    for pattern, name in mapping.items():
        if not isinstance(name, str):
            raise OptionError(f"{draft.where(pattern)}: expected an operation (a string)")
    return draft._replace(
        spec=None if spec is None else str(path.parent / spec),
        operation=operation,
        operations=tuple(mapping.items()),
    )


def build_validator(
    spec: str | None,
    operation: str | None,
    where: str = "--operation",
    spec_where: str = "--spec",
) -> Any:
    """The Validator of ``operation`` (None: Create application) in ``spec``, or
    :class:`OptionError`: ``--spec ...`` when the document cannot be used,
    ``<where> <operation>: ...`` (naming the closest operations) when it lacks that one.
    A bare path (``/ats/candidates``) names the one write operation on it."""
    import kombo_validate

    try:
        return kombo_validate.Validator(spec, operation=operation)
    except SpecError as exc:
        error = exc
    if operation is None:
        raise OptionError(f"{spec_where} {error}") from None
    from ..spec import load_document, write_operations

    try:
        doc, label = load_document(spec)
    except SpecError:
        raise OptionError(f"{spec_where} {error}") from None
    writes = write_operations(doc)
    on_path = [w for w in writes if w.path == operation.strip()]
    if len(on_path) == 1:
        named = f"{on_path[0].method.upper()} {on_path[0].path}"
        return build_validator(spec, named, where, spec_where)
    reason = str(error).removeprefix(f"{label}: ")
    if len(writes) == 1 and " not found" in reason:
        only = writes[0]
        reason = f"the spec defines only {only.method.upper()} {only.path} ({only.id})"
    raise OptionError(f"{where} {operation}: {reason}") from None


class Resolved(NamedTuple):
    """The Validator for files no pattern maps (None when every file is mapped), and
    the mapped files' own, by path (None: no mapping in use)."""

    validator: Any
    by_file: dict[str, Any] | None


def resolve(
    spec: str | None, operation: str | None, files: Iterable[str], config: Config | None
) -> Resolved:
    """Which Validator checks each of ``files``: ``--operation`` (every file), else the
    config's mapping (each pattern's operation checked now, used or not), else its
    ``operation``, else Create application. The command line's ``spec`` wins."""
    spec_where = "--spec"
    if spec is None and config is not None and config.spec is not None:
        spec, spec_where = config.spec, config.where("spec")
    if operation is not None or config is None or not config.operations:
        where = "--operation"
        if operation is None and config is not None and config.operation is not None:
            operation, where = config.operation, config.where("operation") + " ="
        return Resolved(build_validator(spec, operation, where, spec_where), None)
    mapped: dict[str, Any] = {}
    for pattern, name in config.operations:
        if name not in mapped:
            mapped[name] = build_validator(spec, name, config.where(pattern) + " =", spec_where)
    by_file: dict[str, Any] = {}
    unmapped = False
    for path in files:
        chosen = config.operation_for(path) if path != "-" else None
        if chosen is None:
            unmapped = True
        else:
            by_file[path] = mapped[chosen]
    default = None
    if unmapped:
        where = config.where("operation") + " =" if config.operation else "--operation"
        default = build_validator(spec, config.operation, where, spec_where)
    return Resolved(default, by_file)
