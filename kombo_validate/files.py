"""Reading a file the user named, safely: only a regular file, only up to a size.

A FIFO would block a read forever and ``/dev/zero`` never ends, so a path is
opened without blocking and looked at (``fstat``) before a byte is read:
anything but a regular file is :class:`NotRegularFile`; a file larger than
the limit is :class:`TooLarge` (checked again while reading, for files that
grow). Both are :class:`OSError` subclasses, so callers that already handle
unreadable files handle these too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

__all__ = ["MAX_FILE_BYTES", "NotRegularFile", "TooLarge", "read_regular", "read_stream"]

#: the default size limit: far beyond any request body or OpenAPI document Kombo serves
MAX_FILE_BYTES = 64 * 1024 * 1024


class NotRegularFile(OSError):
    """The path is a FIFO, socket, device or directory: it was not read."""


class TooLarge(OSError):
    """The file holds more than the limit: it was not read whole."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit // (1024 * 1024)} MiB: not read")
        self.limit = limit


def read_regular(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; raises OSError (FileNotFoundError,
    :class:`NotRegularFile`, :class:`TooLarge`, …) otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise NotRegularFile("a directory, not a file")
        if not stat.S_ISREG(mode):
            raise NotRegularFile("not a regular file (FIFO, socket or device)")
        return read_stream(lambda size: os.read(fd, size), limit)
    finally:
        os.close(fd)


def read_stream(read: Callable[[int], bytes], limit: int = MAX_FILE_BYTES) -> bytes:
    """All that ``read(size)`` gives until it gives ``b""``, in chunks of at most 1 MiB;
    :class:`TooLarge` past ``limit`` bytes (at most one byte more is read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = read(min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
