"""A small on-disk cache of dereferenced specs, keyed by the spec file's content hash.

Parsing the 136 KB YAML and resolving its ``$ref``s dominates a cold start; the
result is plain JSON, so it is kept in ``$KOMBO_VALIDATE_CACHE_DIR`` (default:
``$XDG_CACHE_HOME/kombo_validate`` or ``~/.cache/kombo_validate``). Set
``KOMBO_VALIDATE_CACHE_DIR=off`` to disable it. Any failure to read or write
the cache is ignored: the spec is then simply loaded from the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ._version import __version__

__all__ = ["cache_dir", "key", "read", "write"]

#: bump when the cached structure changes
FORMAT = "2"


def cache_dir() -> Path | None:
    configured = os.environ.get("KOMBO_VALIDATE_CACHE_DIR")
    if configured is not None:
        return None if configured.lower() in ("", "0", "off", "false", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kombo_validate"


def key(raw: bytes, variant: str = "") -> str:
    """The cache file name for a spec's bytes (and ``variant``: the operation read)."""
    hasher = hashlib.sha256(raw)
    hasher.update(b"\0" + variant.encode("utf-8", "surrogatepass"))
    return f"spec-{FORMAT}-{__version__}-{hasher.hexdigest()[:32]}"


def read(name: str) -> dict[str, Any] | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{name}.json").read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(name: str, data: dict[str, Any]) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        text = json.dumps(data, allow_nan=False)
        import tempfile  # only to write: a cold start that reads does not need it

        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, folder / f"{name}.json")
    except (OSError, TypeError, ValueError):
        return
