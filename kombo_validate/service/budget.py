"""Request bodies read whole, within two bounds: each one's ``--max-body-mb`` (else 413)
and, per worker process, the bytes of every body being held at once,
``--max-inflight-mb`` (else 503 with ``Retry-After``: a burst of large bodies is
turned away instead of growing the process without limit).

A declared ``Content-Length`` is reserved before anything is read, so a request over
either bound is answered before its body is sent; a body of no declared length
reserves as its chunks arrive. What a request reserved is released when its answer
has been sent (:meth:`Budget.release`, in a ``finally``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["BodyTooLarge", "Budget", "Busy", "ClientGone", "Receive", "read_body"]

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]

#: seconds a client told 503 is asked to wait before it tries again
RETRY_AFTER = 1


class BodyTooLarge(Exception):
    """The request body is over ``--max-body-mb`` (413)."""


class Busy(Exception):
    """The worker holds ``--max-inflight-mb`` of bodies already (503, Retry-After)."""


class ClientGone(Exception):
    """The client disconnected before its body was complete."""


class Budget:
    """The bytes of request bodies one worker holds (single event loop: no lock needed)."""

    __slots__ = ("held", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0

    def take(self, size: int) -> None:
        """Hold ``size`` more bytes, or :class:`Busy` (nothing taken)."""
        if self.held + size > self.limit:
            raise Busy
        self.held += size

    def release(self, size: int) -> None:
        self.held -= size


class Reading:
    """One request's reservation: what it took from the budget, released once."""

    __slots__ = ("budget", "taken")

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.taken = 0

    def take(self, size: int) -> None:
        self.budget.take(size)
        self.taken += size

    def release(self) -> None:
        self.budget.release(self.taken)
        self.taken = 0


def declared_length(headers: list[tuple[bytes, bytes]]) -> tuple[int | None, bool]:
    """``(Content-Length, valid)``: ``(None, True)`` when none is declared; invalid when
    it is not digits or is given twice with different values."""
    values = [v for k, v in headers if k == b"content-length"]
    if not values:
        return None, True
    if not values[0].isdigit() or len(set(values)) > 1:
        return None, False
    return int(values[0]), True


async def read_body(
    receive: Receive, limit: int, reading: Reading | None = None, declared: int | None = None
) -> bytes:
    """The whole request body, never more than ``limit`` bytes held (:class:`BodyTooLarge`),
    nor more than ``reading``'s budget allows (:class:`Busy`): ``declared`` bytes up
    front, then whatever arrives beyond them."""
    if declared is not None:
        if declared > limit:
            raise BodyTooLarge
        if reading is not None:
            reading.take(declared)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"].endswith(".disconnect"):  # http.disconnect
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        if reading is not None and size > reading.taken:
            reading.take(size - reading.taken)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
