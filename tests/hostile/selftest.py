"""Cases that misbehave on purpose, one per failure column, so that a test can prove the
harness sees each kind of failure (not part of the corpus: ``SELFTEST``, not ``FAMILIES``)."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from types import SimpleNamespace
from typing import Any

from .base import Case, minimal


def _probe(call: Any, body: Any = None, **extra: Any) -> Any:
    return lambda: {"call": call, "body": body, **extra}


def _mutate() -> Any:
    body = minimal()

    def call() -> None:
        body["candidate"]["first_name"] = "Eve"

    return {"call": call, "body": body}


def _network() -> None:
    with contextlib.suppress(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with contextlib.suppress(OSError):
        socket.getaddrinfo("example.com", 443)


def _long_message() -> Any:
    return SimpleNamespace(issues=[SimpleNamespace(message="m" * 301)])


def _quote() -> Any:
    secret = "Ada Lovelace, 12 Analytical Engine Street, London"
    issue = SimpleNamespace(message=f"{secret!r} is wrong")
    return {"call": lambda: SimpleNamespace(issues=[issue]), "personal": [secret]}


def _raise() -> None:
    raise RuntimeError("boom")


def _cli(tmp: str) -> dict[str, Any]:
    return {"argv": ["lint", "--no-such-option"], "exit": {0}}


def cases() -> list[Case]:
    return [
        Case("fine", "probe", _probe(lambda: None)),
        Case("exception", "probe", _probe(_raise)),
        Case("crash", "probe", _probe(lambda: os.abort())),
        Case("hang", "probe", _probe(lambda: time.sleep(30))),
        Case("over_memory", "probe", _probe(lambda: bytearray(600 * 2**20))),
        Case("mutation", "probe", _mutate),
        Case("network", "probe", _probe(_network)),
        Case("over_limit", "probe", _probe(_long_message)),
        Case("quote", "probe", _quote),
        Case("cli_exit", "cli", _cli),
    ]
