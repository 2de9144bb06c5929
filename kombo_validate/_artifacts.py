"""The fast path's root proof, cached on disk: a cold start proves a valid body
without compiling the plan.

A :class:`~kombo_validate.Validator` proves most bodies with two things only: the
generated copy of the body and the root *strict* schema in jsonschema-rs
(``fastpath``). Both are derived from the spec alone, so they are kept next to the
dereferenced spec (``_cache``): the strict schema, the copy's source and bytecode.
A cold start then imports neither the rules nor the plan compiler, nor even ``spec``
(the Validator keeps the spec cache's entry and makes its ``SpecInfo`` on first
need: :func:`spec_info`); the first body this :class:`ColdProof` cannot prove makes
the Validator build everything as usual.

Never trusted blindly. The file name is a hash of everything the artifacts derive
from: the spec file's bytes and the operation (the spec cache's own name), the
package version, this file format, this Python's version, and a
fingerprint of the code that derives them (sizes and mtimes of all the package's
modules and of the jsonschema-rs extension), so an edited checkout or an upgraded
engine misses the cache. The file repeats that key and a BLAKE2b digest of its
payload: a corrupt, truncated or foreign file is ignored (and rebuilt by the caller).
The copy is refused if its source names a dunder or its cached bytecode names
anything its source does not, and runs with no builtins but the six it uses; so is
the strict schema's Python form (below), with the builtins ``strict_py`` names.

No jsonschema-rs at a cold start: importing it alone costs some 3.5 times a bare
``python -c pass``. The strict schema is also kept compiled to Python
(``strict_py``: source and bytecode), which accepts exactly what jsonschema-rs
accepts on it, and the proof asks it for the first :data:`PY_PROOFS` bodies; then
(a long-lived process) jsonschema-rs, compiled from the cached strict schema, as
the built fast path does. A strict schema ``strict_py`` does not know is proven in
jsonschema-rs from the start, as before.
"""

from __future__ import annotations

import binascii
import json
import marshal
import os
import re
import sys
from collections.abc import Callable

from . import _cache
from ._version import __version__

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ColdProof", "load", "names", "spec_info", "store"]

#: bump when the cached structure (or what it means) changes
FORMAT = "3"

#: bodies the Python form of the strict schema proves before jsonschema-rs takes over
PY_PROOFS = 64

#: a lone surrogate as marshal writes it (``fastpath._SURROGATE``): ED A0–BF; valid UTF-8
#: never holds these bytes, a number or a length may
_SURROGATE = re.compile(b"\xed[\xa0-\xbf]").search

#: the only builtins the generated copy uses
_COPY_BUILTINS = {"type": type, "len": len, "str": str, "dict": dict, "list": list, "tuple": tuple}


class _Bail(Exception):
    """The copy met something only the full walk can take (as ``fastcopy.Bail``)."""


class ColdProof:
    """The fast path's proof of a whole body, from the cached artifacts: the wire copy
    when the body is proven (exactly what the built Validator returns for it), else
    None — the caller then builds the Validator and asks its fast path. It only ever
    answers for a body the fast path proves the same way: a body whose marshalled bytes
    may hold a lone surrogate, or not plain data, is left to the full machinery.

    ``valid`` is the strict schema in Python (``strict_py``) for the first
    :data:`PY_PROOFS` bodies, or None; then ``rs()`` makes the jsonschema-rs validator
    of it (``checked``: already made)."""

    __slots__ = ("_checked", "_copy", "_left", "_limit", "_rs", "_valid")

    def __init__(
        self,
        copy: Callable[[Any], Any],
        valid: Callable[[Any], bool] | None,
        limit: int,
        rs: Callable[[], Callable[[Any], bool]],
        checked: Callable[[Any], bool] | None = None,
    ) -> None:
        self._copy = copy
        self._valid = valid
        self._left = PY_PROOFS if valid is not None else 0
        self._rs = rs
        self._checked = checked
        self._limit = limit

    def prove(self, body: Any) -> Any:
        try:
            wire = self._copy(body)
        except Exception:
            return None
        return wire if self._proves(body, wire) else None

    def proves_decoded(self, body: Any) -> bool:
        """Whether :meth:`prove` proves ``body``, asked without its copy. For a body
        ``json.loads`` made (exact dicts, lists, strings, numbers, booleans and None: no
        tuple, and no string the copy refuses that marshal's size does not refuse too),
        the strict schema reads the body exactly as it reads the copy."""
        return self._proves(body, body)

    def _proves(self, body: Any, wire: Any) -> bool:
        try:
            data = marshal.dumps(body)
        except Exception:
            return False
        if len(data) > self._limit or (0xED in data and _SURROGATE(data) is not None):
            return False  # maybe a lone surrogate: the built fast path looks closer
        left = self._left
        if left > 0 and self._valid is not None:
            self._left = left - 1  # a race only shifts when jsonschema-rs takes over
            return self._valid(wire)
        valid = self._checked
        try:
            if valid is None:
                valid = self._checked = self._rs()
            return bool(valid(wire))
        except ValueError:
            return False


def _fingerprint() -> str:
    """Sizes and mtimes of the package's modules and of the jsonschema-rs package's
    files (found as ``import`` finds it, not imported: a cold start never needs it)."""
    parts: list[str] = []
    folders = [os.path.dirname(os.path.abspath(__file__))]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
            elif entry.name != "__pycache__" and entry.is_dir():
                folders.append(entry.path)
    for entry in _rs_files():
        st = entry.stat()
        parts.append(f"rs:{entry.path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def _rs_files() -> list[os.DirEntry[str]]:
    """The files of the first ``jsonschema_rs`` package folder on ``sys.path``."""
    for folder in sys.path:
        here = os.path.join(folder or ".", "jsonschema_rs")
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        return [e for e in entries if e.is_file()]
    return []


#: ``spec.SPEC_FILE``, named here so that a cold start need not import ``spec`` (a test
#: checks :func:`_bundled` finds the file ``spec.bundled_spec_path`` does)
SPEC_FILE = "create-application.openapi.yaml"


def _bundled() -> str | None:
    """The shipped OpenAPI document, found as ``spec.bundled_spec_path`` finds it."""
    here = os.path.dirname(os.path.realpath(__file__))
    for candidate in (
        os.path.join(here, "_spec", SPEC_FILE),
        os.path.join(os.path.dirname(here), "spec", SPEC_FILE),
    ):
        if os.path.isfile(candidate):
            return candidate
    return None


def names(spec: str | os.PathLike[str] | None, operation: str | None) -> tuple[str, str] | None:
    """(the spec cache's name, the proof's name) for the spec file ``spec`` (None: the
    bundled one) and ``operation``; None when the cache is off or the file unreadable
    (the caller then loads the spec as usual, which says why).

    The spec cache's name is the hash of the file's bytes and the operation
    (``_cache.key``, as ``spec.load_spec`` names it); the proof's adds the code
    fingerprint and this Python's version."""
    if _cache.cache_dir() is None:
        return None
    path = _bundled() if spec is None else os.fspath(spec)
    if path is None:
        return None
    from .files import read_regular

    try:
        raw = read_regular(path)
        code = f"{_fingerprint()}\n{sys.version}"  # the cached bytecode is this Python's
    except OSError:
        return None
    spec_name = _cache.key(raw, operation or "")
    name = _cache.digest(spec_name.encode("ascii"), code.encode("utf-8", "surrogatepass"))
    return spec_name, f"fast-{FORMAT}-{__version__}-{name}"


def spec_info(spec: str | None, operation: str | None, cached: dict[str, Any] | None) -> Any:
    """The :class:`~kombo_validate.spec.SpecInfo` of ``spec`` (a file path, None: the
    bundled one) from ``cached``, its spec cache entry read at a cold start (as
    ``spec.load_spec`` builds it from a cache hit); loaded afresh if that fails."""
    from pathlib import Path

    from .spec import SpecInfo, bundled_spec_path, load_spec

    if cached is not None:
        try:
            path = bundled_spec_path() if spec is None else Path(spec)
            fields = {**cached, "parameters": tuple(cached["parameters"])}
            fields["servers"] = tuple(cached["servers"])
            return SpecInfo(source=str(path), **fields)
        except (KeyError, TypeError):
            pass
    return load_spec(spec, operation=operation)


def _lazy_format(name: str) -> Callable[[str], bool]:
    """The rules' predicate for custom format ``name``, imported on its first call."""

    def check(value: str) -> bool:
        from .rules import STRICT_FORMATS

        return STRICT_FORMATS[name](value)

    return check


_CODE = type(_lazy_format.__code__)


def _names_in(code: Any, source: str) -> bool:
    """Whether ``code`` is a code object whose every name (and its nested code objects')
    is a word written in ``source`` (which holds no dunder): the source's own bytecode."""
    words = set(_WORDS(source))
    stack = [code]
    while stack:
        code = stack.pop()
        if type(code) is not _CODE:
            return False
        names = {*code.co_names, *code.co_varnames, *code.co_freevars, *code.co_cellvars}
        # ".0": a comprehension's iterator, named by the compiler
        if not all(name in words or name[1:].isdigit() for name in names - words):
            return False
        stack.extend(c for c in code.co_consts if type(c) is _CODE)
    return True


#: every ASCII character that is no word character, as a space
_SPACES = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}


def _WORDS(source: str) -> list[str]:
    """The words of ``source`` (a superset of its ASCII identifiers), in C time."""
    return source.translate(_SPACES).split()


def load(key: str) -> ColdProof | None:
    """The :class:`ColdProof` cached under ``key``, or None (absent, corrupt, foreign).

    The file is a header line ``{"format", "key", "digest"}`` and the payload
    ``{"strict", "copy", "code", "valid", "valid_code", "formats", "limit"}``, whose
    bytes the digest is of; ``code`` is the copy's source compiled (``marshal``,
    base64), ``valid_code`` the strict schema's Python form's (both null when
    ``strict_py`` does not know the schema), for this Python only (its version is part
    of the key)."""
    raw = _cache.read_bytes(key)
    if raw is None:
        return None
    try:
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if (
            header["format"] != FORMAT
            or header["key"] != key
            or header["digest"] != _cache.digest(body)
        ):
            return None
        data = json.loads(body)
        strict, copy, formats, limit = data["strict"], data["copy"], data["formats"], data["limit"]
        code = marshal.loads(binascii.a2b_base64(data["code"]))
        ok = (
            isinstance(strict, dict)
            and isinstance(copy, str)
            and "__" not in copy
            and isinstance(formats, list)
            and all(isinstance(f, str) for f in formats)
            and type(limit) is int
            and _names_in(code, copy)
        )
        if not ok:
            return None
        env: dict[str, Any] = {"__builtins__": dict(_COPY_BUILTINS), "LIMIT": limit}
        env["BAIL"] = _Bail
        exec(code, env)
        copy_body = env["copy_body"]
        checkers = {f: _lazy_format(f) for f in formats}
        valid = _python_valid(data["valid"], data["valid_code"], checkers)
    except Exception:  # anything unexpected in a cache file: not trusted
        return None

    def rs() -> Callable[[Any], bool]:
        import jsonschema_rs

        validator = jsonschema_rs.Draft202012Validator(
            strict, validate_formats=True, formats=checkers
        )
        return validator.is_valid

    if valid is None:  # no Python form: compiled now, as before there was one
        try:
            return ColdProof(copy_body, None, limit, rs, rs())
        except Exception:
            return None
    return ColdProof(copy_body, valid, limit, rs)


def _python_valid(
    source: Any, packed: Any, checkers: dict[str, Callable[[str], bool]]
) -> Callable[[Any], bool] | None:
    """The strict schema's Python form from its cached ``source`` and bytecode
    (``packed``), both None when there is none; raises ValueError when not trusted."""
    if source is None and packed is None:
        return None
    if not isinstance(source, str) or "__" in source or not isinstance(packed, str):
        raise ValueError("not the strict schema's Python form")
    code = marshal.loads(binascii.a2b_base64(packed))
    if not _names_in(code, source):
        raise ValueError("bytecode of another source")
    from .strict_py import bind

    return bind(code, checkers)


def store(key: str, strict: Any, copy: Callable[[Any], Any], limit: int) -> None:
    """Cache the root ``strict`` schema and the generated ``copy`` function's source
    (read back from ``linecache`` and checked to compile to the same code)."""
    import linecache

    from .rules import STRICT_FORMATS

    filename = copy.__code__.co_filename
    source = "".join(linecache.getlines(filename))
    if not isinstance(strict, dict) or not source or "__" in source:
        return
    try:
        code = compile(source, filename, "exec")
    except SyntaxError:
        return
    same = any(
        getattr(c, "co_name", None) == copy.__name__ and c.co_code == copy.__code__.co_code
        for c in code.co_consts
    )
    if not same:  # linecache held another Validator's copy meanwhile
        return
    from .strict_py import compile_strict

    valid = compile_strict(strict, STRICT_FORMATS)
    if valid is not None and "__" in valid:
        valid = None  # e.g. a pattern naming one: proven in jsonschema-rs
    payload = {
        "strict": strict,
        "copy": source,
        "code": _pack(code),
        "valid": valid,
        "valid_code": None if valid is None else _pack(compile(valid, "<strict>", "exec")),
        "formats": sorted(STRICT_FORMATS),
        "limit": limit,
    }
    try:
        body = json.dumps(payload, allow_nan=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return
    header = json.dumps({"format": FORMAT, "key": key, "digest": _cache.digest(body)})
    _cache.write_bytes(key, header.encode("ascii") + b"\n" + body)


def _pack(code: Any) -> str:
    return binascii.b2a_base64(marshal.dumps(code), newline=False).decode("ascii")
