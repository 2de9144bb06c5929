"""Every write operation of one OpenAPI document: which one a request is, and its Validator.

An :class:`OperationTable` lists the document's write operations (POST/PUT/PATCH
with a JSON body, :func:`~kombo_validate.spec.write_operations`) and builds the
:class:`~kombo_validate.Validator` of each one the first time it is asked for,
once (thread-safe), keeping it. Its :class:`Router` is compiled once: given a
method and a raw request path it names the operation, the raw value of each path
parameter, and the parameters whose value left its segment.

Paths are matched as a router matches them (:func:`normalise_path`), after any
prefix (``/v1``, a proxy's ``/kombo/v1``). Every operation of the document takes
part, so a request for an operation that is not checked (a GET, one left out by
``operations=``) is recognised as that operation and never mistaken for another.
Of two templates that both match, the one explaining more of the path wins, then
the one with fewer parameters and more literal text (``/hris/employees/form``
before ``/hris/employees/{employee_id}``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .api import Validator, default_validator
from .issues import SpecError
from .spec import OperationRef, load_document, write_operations

__all__ = ["Match", "OperationTable", "Route", "Router", "normalise_path", "operation_table"]

_PARAM = re.compile(r"\{([^{}]+)\}")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
#: RFC 3986 §2.3: a router decodes these before matching, so ``applicati%6Fns`` is ``applications``
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _decoded_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group(0)


def normalise_path(raw: str) -> str:
    """A raw request path as a router matches it (RFC 3986 §6.2.2): percent-encoded
    unreserved characters decoded, and one trailing ``/`` dropped."""
    path = _ESCAPE.sub(_decoded_unreserved, raw) if "%" in raw else raw
    return path[:-1] if len(path) > 1 and path.endswith("/") else path


def loosened(path: str) -> str:
    """What a lenient router might also take for the same route: ``;`` parameters of a
    segment dropped and empty segments collapsed (compared ignoring case)."""
    segments = [segment.split(";", 1)[0] for segment in path.split("/")]
    return "/" + "/".join(segment for segment in segments if segment)


class Route(NamedTuple):
    """One operation's route: ``("POST", "/ats/candidates", (), True)``."""

    method: str
    path: str
    names: tuple[str, ...]
    #: whether requests for it are checked (False: known, so never taken for another)
    guarded: bool

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


class Match(NamedTuple):
    """A request recognised as ``route``: each path parameter's raw value, and the
    parameters whose value spilled out of its segment (an unencoded ``/``, ``?``, ``#``)."""

    route: Route
    values: dict[str, str]
    spilled: tuple[str, ...]


def _specificity(route: Route) -> tuple[int, int]:
    return len(route.names), -len(_PARAM.sub("", route.path))


class _Alternation:
    """One regex for many templates: ``^(?:prefix)(?:(t0)|(t1)|…)$``; the shortest prefix
    wins, then the order the templates are given in."""

    def __init__(self, routes: list[Route], param: str, flags: int = 0) -> None:
        self._starts: dict[int, Route] = {}
        alternatives, group = [], 1
        for route in routes:
            parts = _PARAM.split(route.path)
            body = "".join(param if i % 2 else re.escape(p) for i, p in enumerate(parts))
            alternatives.append(f"({body})")
            self._starts[group] = route
            group += 1 + len(route.names)
        # the prefix (``/v1``) holds no ``?`` or ``#``: a template in a query is no match
        self._regex = re.compile(f"^(?:[^?#]*?)(?:{'|'.join(alternatives)})$", flags)

    def match(self, path: str) -> tuple[Route, tuple[str, ...]] | None:
        m = self._regex.match(path)
        if m is None or m.lastindex is None:
            return None
        route = self._starts[m.lastindex]  # the outer group closes last
        start = m.lastindex + 1
        return route, tuple(m.group(i) for i in range(start, start + len(route.names)))


class Router:
    """Which route a request is, compiled once from the routes (per method)."""

    def __init__(self, routes: Iterable[Route]) -> None:
        by_method: dict[str, list[Route]] = {}
        for route in routes:
            by_method.setdefault(route.method, []).append(route)
        self._strict: dict[str, _Alternation] = {}
        self._lenient: dict[str, _Alternation] = {}
        self._loose: dict[str, _Alternation] = {}
        for method, found in by_method.items():
            guarded = sorted((r for r in found if r.guarded), key=_specificity)
            if not guarded:
                continue  # nothing of this method is checked: no need to know its routes
            self._strict[method] = _Alternation(sorted(found, key=_specificity), "([^/]+)")
            self._lenient[method] = _Alternation(guarded, "(.+?)")
            self._loose[method] = _Alternation(guarded, "(.+?)", re.IGNORECASE)

    def match(self, method: str, raw: str, fragment: str = "") -> Match | None:
        """The checked route ``raw`` (a raw path, query included) is, or None.

        Raises :class:`LookupError` with the route when the path differs from a
        checked route's only in case, ``;`` parameters or empty segments (a server
        may or may not take it for that route).
        """
        strict = self._strict.get(method)
        if strict is None:
            return None
        path = normalise_path(raw.split("?", 1)[0])
        found = strict.match(path)
        if found is not None:
            route, values = found
            return (
                Match(route, dict(zip(route.names, values, strict=True)), ())
                if route.guarded
                else None
            )
        whole = normalise_path(raw) + ("#" + fragment if fragment else "")
        for candidate, spill in ((path, "/"), (whole, "/?#")):
            found = self._lenient[method].match(candidate)
            if found is not None:
                route, values = found
                spilled = tuple(
                    n
                    for n, v in zip(route.names, values, strict=True)
                    if any(c in v for c in spill)
                )
                return Match(
                    route, dict(zip(route.names, values, strict=True)), spilled or route.names[-1:]
                )
        found = self._loose[method].match(loosened(path))
        if found is not None:
            raise LookupError(found[0])
        return None


def _label(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def _document_routes(spec: Any) -> tuple[list[OperationRef], list[tuple[str, str]]]:
    """The document's write operations, and every (METHOD, path) it has; for a file,
    read from the spec cache when the file is unchanged (no YAML parse)."""
    from . import _cache
    from .spec import bundled_spec_path, read_spec_file

    raw = key = None
    if spec is None or isinstance(spec, (str, os.PathLike)):
        raw = read_spec_file(bundled_spec_path() if spec is None else Path(spec))
        key = _cache.key(raw, "\0routes")
        cached = _cache.read(key)
        try:
            if cached is not None:
                refs = [OperationRef(*ref) for ref in cached["write"]]
                return refs, [(str(m), str(p)) for m, p in cached["all"]]
        except (KeyError, TypeError, ValueError):
            pass
    doc, _ = load_document(spec, raw)
    refs = write_operations(doc)
    paths = doc.get("paths")
    every = [
        (method.upper(), str(path))
        for path, item in (paths.items() if isinstance(paths, Mapping) else ())
        if isinstance(item, Mapping)
        for method in item
        if method in _METHODS and isinstance(item[method], Mapping)
    ]
    if key is not None:
        write = [[r.id, r.method, r.path, r.summary] for r in refs]
        _cache.write(key, {"write": write, "all": [list(pair) for pair in every]})
    return refs, every


class OperationTable:
    """The write operations of one OpenAPI document and, built on first use, their
    Validators; ``router`` tells which of the ``operations`` (default: all of them) a
    request is. Immutable once built, apart from its thread-safe Validator cache.

    ``spec``: None (the bundled document), a path or a parsed mapping, as for
    :class:`~kombo_validate.Validator`; ``engine`` is passed on to each Validator.
    :meth:`single` makes the table of one Validator's operation.
    """

    def __init__(
        self,
        spec: Any = None,
        *,
        operations: Iterable[str] | None = None,
        engine: str = "rust",
    ) -> None:
        self._spec = spec
        self._engine = engine
        self._only: Validator | None = None
        self._lock = threading.Lock()
        self._validators: dict[str, Validator] = {}
        refs, every = _document_routes(spec)
        self._refs = {_label(r.method, r.path): r for r in refs}
        if operations is None:
            guarded = set(self._refs)
        else:
            guarded = {self.resolve(name) for name in _names(operations)}
        self.router = Router(_route(m, p, _label(m, p) in guarded) for m, p in every)
        self.guarded = tuple(label for label in self._refs if label in guarded)

    @classmethod
    def single(cls, validator: Validator) -> OperationTable:
        """The table of ``validator``'s operation alone (its document is not read)."""
        op = validator.operation
        table = cls.__new__(cls)
        table._spec, table._engine, table._only = None, validator.engine_name, validator
        table._lock = threading.Lock()
        table._refs = {op.label: OperationRef(op.id, op.method.lower(), op.path, op.summary)}
        table._validators = {op.label: validator}
        table.router = Router([_route(op.method, op.path, True)])
        table.guarded = (op.label,)
        return table

    @property
    def refs(self) -> tuple[OperationRef, ...]:
        """The write operations, in document order."""
        return tuple(self._refs.values())

    def ref(self, label: str) -> OperationRef:
        """The write operation of ``label`` (``"POST /ats/candidates"``); KeyError if none."""
        return self._refs[label]

    def find(self, name: str) -> str | None:
        """The label (``"POST /ats/candidates"``) of the write operation ``name``
        (an operationId or ``"METHOD /path"``) names, or None."""
        from .spec import names_operation

        for label, ref in self._refs.items():
            if names_operation(name, ref.id, ref.method, ref.path):
                return label
        return None

    def resolve(self, name: str) -> str:
        """:meth:`find`, or :class:`SpecError` naming the closest write operations."""
        label = self.find(name)
        if label is not None:
            return label
        only = self._only
        if only is not None:
            raise SpecError(
                f"validator= checks {only.operation} ({only.operation.id}), not {name!r}: "
                "pass spec= (the document) to name another operation"
            )
        Validator(self._spec, operation=name, engine=self._engine)  # raises, naming the closest
        raise SpecError(f"{name!r} is not a write operation (POST, PUT or PATCH with a JSON body)")

    def validator(self, name: str) -> Validator:
        """The Validator of operation ``name`` (a label, an operationId or ``"METHOD
        /path"``), built the first time it is asked for, then kept."""
        found = self._validators.get(name)
        if found is not None:
            return found
        label = self.resolve(name)
        with self._lock:
            found = self._validators.get(label)
            if found is None:
                found = self._build(label)
                self._validators[label] = found
        return found

    def _build(self, label: str) -> Validator:
        if self._spec is None and self._engine == "rust":
            default = default_validator()
            if default.operation.label == label:
                return default  # the bundled Create application: one instance for all
        return Validator(self._spec, operation=label, engine=self._engine)


def _names(operations: Iterable[str]) -> list[str]:
    if isinstance(operations, str):
        return [operations]
    return [str.__str__(name) if isinstance(name, str) else str(name) for name in operations]


def _route(method: str, path: str, guarded: bool) -> Route:
    return Route(method.upper(), path, tuple(_PARAM.findall(path)), guarded)


def _spec_key(spec: Any) -> tuple[Any, ...] | None:
    """A cache key for ``spec``: a path with its size and mtime; None for a mapping."""
    if spec is None:
        return (None,)
    if isinstance(spec, (str, os.PathLike)):
        try:
            stat = os.stat(spec)
        except OSError:
            return None
        return (os.fspath(spec), stat.st_size, stat.st_mtime_ns)
    return None


_TABLES: dict[tuple[Any, ...], OperationTable] = {}
_TABLES_LOCK = threading.Lock()


def operation_table(spec: Any = None, engine: str = "rust") -> OperationTable:
    """The :class:`OperationTable` of every write operation of ``spec``, kept per file
    (and its size and mtime) and engine; a mapping gets a new table each time."""
    key = _spec_key(spec)
    if key is None:
        return OperationTable(spec, engine=engine)
    key = (*key, engine)
    with _TABLES_LOCK:
        table = _TABLES.get(key)
    if table is None:
        table = OperationTable(spec, engine=engine)
        with _TABLES_LOCK:
            table = _TABLES.setdefault(key, table)
            while len(_TABLES) > 16:
                del _TABLES[next(iter(_TABLES))]
    return table
