"""A small on-disk cache of dereferenced specs, keyed by the spec file's content hash.

Parsing the 136 KB YAML and resolving its ``$ref``s dominates a cold start; the
result is plain JSON, so it is kept in ``$KOMBO_VALIDATE_CACHE_DIR`` (default:
``$XDG_CACHE_HOME/kombo_validate`` or ``~/.cache/kombo_validate``). Set
``KOMBO_VALIDATE_CACHE_DIR=off`` to disable it. Any failure to read or write
the cache is ignored: the spec is then simply loaded from the file.

Never trusted blindly. A file is a header line ``{"cache", "format", "version",
"key", "digest"}`` and the JSON payload, whose bytes the BLAKE2b digest is of: a
file whose header is not this cache's, this :data:`FORMAT`'s, this package
version's and this name's, or whose payload does not match the digest (corrupt,
truncated, edited, another version's, copied from another name) is a miss, and
the caller's rebuild overwrites it.
"""

from __future__ import annotations

import json
import os

from . import _version

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:  # CPython's own BLAKE2: hashlib would load OpenSSL first (~5 ms of a cold start)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b as _blake2b

__all__ = ["cache_dir", "digest", "key", "read", "read_bytes", "write", "write_bytes"]

#: bump when the cached structure changes
FORMAT = "4"  # 3: a $ref cycle kept as $defs (recursive schemas); 4: a checked header


def digest(*parts: bytes) -> str:
    """A 128-bit BLAKE2b hex digest of ``parts`` (each ended by a NUL, so the split
    between them counts): cache names and content checksums."""
    hasher = _blake2b(digest_size=16)
    for part in parts:
        hasher.update(part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def cache_dir() -> str | None:
    """The cache folder, or None when the cache is off (a string: no ``pathlib`` import)."""
    configured = os.environ.get("KOMBO_VALIDATE_CACHE_DIR")
    if configured is not None:
        return None if configured.lower() in ("", "0", "off", "false", "no") else configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kombo_validate")


def key(raw: bytes, variant: str = "") -> str:
    """The cache file name for a spec's bytes (and ``variant``: the operation read)."""
    name = digest(raw, variant.encode("utf-8", "surrogatepass"))
    return f"spec-{FORMAT}-{_version.__version__}-{name}"


def _header(name: str, body: bytes) -> bytes:
    """The first line of the cache file ``name`` whose payload is ``body``."""
    head = {"cache": "spec", "format": FORMAT, "version": _version.__version__, "key": name}
    return json.dumps({**head, "digest": digest(body)}).encode("ascii")


def read(name: str) -> dict[str, Any] | None:
    """The payload cached under ``name``; None when the cache is off, the file absent,
    or not exactly what :func:`write` wrote under that name (see the module docstring)."""
    raw = read_bytes(name)
    if raw is None:
        return None
    head, _, body = raw.partition(b"\n")
    if head != _header(name, body):  # every field, the digest of the payload too
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def write(name: str, data: dict[str, Any]) -> None:
    """Cache ``data`` (a JSON object) under ``name``, after its header."""
    try:
        body = json.dumps(data, allow_nan=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError, RecursionError):
        return
    write_bytes(name, _header(name, body) + b"\n" + body)


def read_bytes(name: str) -> bytes | None:
    """The bytes of the cache file ``name`` (None: the cache is off, or no such file)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, f"{name}.json"), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write_bytes(name: str, data: bytes) -> None:
    """Write the cache file ``name`` atomically (a temporary file, then a rename)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        import tempfile  # only to write: a cold start that reads does not need it

        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, f"{name}.json"))
    except OSError:
        return
