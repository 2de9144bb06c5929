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


#: open without blocking: a FIFO's ``open`` would wait for a writer
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
_S_ISREG = stat.S_ISREG
_S_ISDIR = stat.S_ISDIR


def read_regular(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; raises OSError (FileNotFoundError,
    :class:`NotRegularFile`, :class:`TooLarge`, …) otherwise.

    One ``open``, one ``fstat``, one ``read`` for a file that holds what ``fstat``
    says (asked for one byte more: a short read of a regular file is its end); a
    file that grew, shrank or does not know its size (``/proc``) is read on to its
    end in chunks, as :func:`read_stream` does.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if not _S_ISREG(mode):
            if _S_ISDIR(mode):
                raise NotRegularFile("a directory, not a file")
            raise NotRegularFile("not a regular file (FIFO, socket or device)")
        size = info.st_size
        first = os.read(fd, size + 1) if 0 < size < limit else b""
        if first and len(first) == size:
            return first
        return read_stream(lambda n: os.read(fd, n), limit, first)
    finally:
        os.close(fd)


def read_stream(
    read: Callable[[int], bytes], limit: int = MAX_FILE_BYTES, first: bytes = b""
) -> bytes:
    """All that ``read(size)`` gives until it gives ``b""``, in chunks of at most 1 MiB;
    :class:`TooLarge` past ``limit`` bytes (at most one byte more is read). ``first``:
    bytes already read (at most ``limit``), which the result starts with."""
    chunks: list[bytes] = [first] if first else []
    size = len(first)
    while True:
        chunk = read(min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
