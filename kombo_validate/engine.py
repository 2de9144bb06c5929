"""The schema-engine adapter: jsonschema-rs (default) or python-jsonschema (fallback).

Both engines validate the same dereferenced schema with the same semantics:
Draft 2020-12, formats not asserted (the rules layer owns ``format``), and
ECMA-262 patterns. Each yields :class:`RawError`s in one engine-neutral shape;
``schema_errors`` turns those into Issues.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, NamedTuple, Protocol

from .issues import SpecError

__all__ = ["ENGINES", "Engine", "RawError", "make_engine"]

ENGINES = ("rust", "python")


class RawError(NamedTuple):
    """One schema violation, engine-neutral (a tuple: built per error, three times
    cheaper than a frozen dataclass)."""

    path: tuple[str | int, ...]
    keyword: str
    schema_path: tuple[str | int, ...]
    instance: Any
    #: for ``required``: the missing property
    missing: str | None = None
    #: for ``anyOf``/``oneOf``: the errors of each branch, by branch index
    branches: tuple[tuple[RawError, ...], ...] = ()


class Engine(Protocol):
    name: str

    def is_valid(self, instance: Any) -> bool: ...

    def iter_errors(self, instance: Any) -> Iterator[RawError]: ...


def _keyword(schema_path: tuple[str | int, ...]) -> str:
    for part in reversed(schema_path):
        if isinstance(part, str):
            return part
    return "false"


class RustEngine:
    """jsonschema-rs: ~µs validation; errors only collected when a body is invalid.

    What jsonschema-rs cannot take (a string with a lone surrogate cannot become
    UTF-8, for one) is validated by python-jsonschema instead, built on first need.
    """

    name = "rust"

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        try:
            self._validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
        except Exception as exc:
            raise SpecError(f"the request schema does not compile: {exc}") from None
        self._schema = schema
        self._fallback: PythonEngine | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> None:
        raise TypeError("a RustEngine is rebuilt from its schema, not pickled")

    def _python(self) -> PythonEngine:
        with self._lock:
            if self._fallback is None:
                self._fallback = PythonEngine(self._schema)
            return self._fallback

    def is_valid(self, instance: Any) -> bool:
        try:
            return bool(self._validator.is_valid(instance))
        except ValueError:  # UnicodeEncodeError and "Unsupported type" are ValueErrors
            return self._python().is_valid(instance)

    def iter_errors(self, instance: Any) -> Iterator[RawError]:
        try:
            errors = [self._convert(e, instance) for e in self._validator.iter_errors(instance)]
        except (ValueError, _EmptyKey):
            yield from self._python().iter_errors(instance)
            return
        yield from errors

    def _convert(self, error: Any, root: Any) -> RawError:
        schema_path = tuple(error.schema_path)
        keyword = _keyword(schema_path)
        # error.kind is built on access: only read where it says more
        missing = getattr(error.kind, "property", None) if keyword == "required" else None
        branches: tuple[tuple[RawError, ...], ...] = ()
        if keyword in ("anyOf", "oneOf"):
            context = getattr(error.kind, "context", None) or ()
            branches = tuple(tuple(self._convert(e, root) for e in branch) for branch in context)
        path = tuple(error.instance_path)
        # the instance as the caller holds it (jsonschema-rs gives null for an int too big
        # for its number type, for instance)
        return RawError(path, keyword, schema_path, _at(root, path), missing, branches)


class _EmptyKey(Exception):
    """An error's path passes a dict with the key ``""``: jsonschema-rs leaves that key
    out of ``instance_path``, so the path may be wrong (python-jsonschema reports it)."""


def _at(root: Any, path: tuple[str | int, ...]) -> Any:
    node = root
    for part in path:
        if type(node) is dict and "" in node:
            raise _EmptyKey
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if type(node) is dict and "" in node:
        raise _EmptyKey
    return node


class PythonEngine:
    """python-jsonschema: the pure-Python fallback, and the oracle in tests."""

    name = "python"

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator, validators
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise SpecError(f"the request schema is not valid JSON Schema: {exc.message}") from None
        cls = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
        self._validator = cls(schema)

    def is_valid(self, instance: Any) -> bool:
        return bool(self._validator.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[RawError]:
        seen_required: set[tuple[str | int, ...]] = set()
        for error in self._validator.iter_errors(instance):
            yield from self._convert(error, seen_required)

    def _convert(self, error: Any, seen_required: set[tuple[str | int, ...]]) -> Iterator[RawError]:
        path = tuple(error.absolute_path)
        schema_path = tuple(error.absolute_schema_path)
        keyword = str(error.validator)
        if keyword == "required":
            # python-jsonschema yields one error per missing property, in the
            # order of the ``required`` list: spell each out once
            if path in seen_required:
                return
            seen_required.add(path)
            have = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name not in have:
                    yield RawError(path, keyword, schema_path, error.instance, name)
            return
        branches: tuple[tuple[RawError, ...], ...] = ()
        if keyword in ("anyOf", "oneOf"):
            grouped: dict[int, list[RawError]] = {}
            for sub in error.context or ():
                index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
                grouped.setdefault(int(index), []).extend(self._convert(sub, set()))
            count = len(error.validator_value)
            branches = tuple(tuple(grouped.get(i, ())) for i in range(count))
        yield RawError(path, keyword, schema_path, error.instance, None, branches)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """``pattern`` with ECMA-262 semantics (ASCII ``\\d``/``\\w``, strict ``$``)."""
    from jsonschema.exceptions import ValidationError

    from .patterns import ecma_regex

    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def make_engine(schema: dict[str, Any], name: str = "rust") -> Engine:
    if name == "rust":
        return RustEngine(schema)
    if name == "python":
        return PythonEngine(schema)
    raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
