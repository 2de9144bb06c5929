"""What the worker measures around a call: the memory bound, refused network access,
identity snapshots of the caller's inputs, and the limits on messages."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
from typing import Any

MEMORY_BOUND = 500 * 2**20
WALL_BOUND = 2.0
MESSAGE_LIMIT = 300
QUOTE_LIMIT = 40
NETWORK: list[str] = []
NET_LOG = "KOMBO_HOSTILE_NET_LOG"
SCRATCH = "KOMBO_HOSTILE_SCRATCH"  # the pool's directory, for the CLI cases' scratch dirs


# --------------------------------------------------------------------------- network


def _record(what: str) -> None:
    NETWORK.append(what)
    path = os.environ.get(NET_LOG)
    if path:  # a forked CLI child: the worker reads the log after it exits
        with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as f:
            f.write(what + "\n")


def refuse_network() -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def inet(sock: socket.socket) -> bool:
        return sock.family in (socket.AF_INET, socket.AF_INET6)

    def connect(self: socket.socket, address: Any) -> None:
        if not inet(self):
            return real_connect(self, address)  # AF_UNIX: local IPC (multiprocessing)
        _record(f"connect {address!r}")
        raise OSError("network refused by the hostile harness")

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not inet(self):
            return real_connect_ex(self, address)
        _record(f"connect_ex {address!r}")
        return 111

    def sendto(self: socket.socket, *args: Any) -> int:
        _record(f"sendto {args[-1]!r}")
        raise OSError("network refused by the hostile harness")

    def lookup(name: str) -> Any:
        def refuse(*args: Any, **kw: Any) -> Any:
            _record(f"{name} {args[:2]!r}")
            raise socket.gaierror("name lookup refused by the hostile harness")

        return refuse

    def create_connection(address: Any, *args: Any, **kw: Any) -> Any:
        _record(f"create_connection {address!r}")
        raise OSError("network refused by the hostile harness")

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign,assignment]
    socket.create_connection = create_connection  # type: ignore[assignment]
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, name, lookup(name))


# --------------------------------------------------------------------------- snapshots


def snapshot(*roots: Any) -> list[Any]:
    """The identity structure of every built-in container reachable from ``roots``.

    Containers are read through their real built-in type's own C methods
    (``dict.items(x)``, ``list.copy(x)``), never through a subclass's overrides
    or a ``__class__`` that lies; leaves are recorded by identity only (a 50 MB
    string costs nothing). Iterative: 100,000 levels and cycles are fine.
    """
    out: list[Any] = []
    seen: set[int] = set()
    stack = [r for r in roots if type(r) not in _LEAVES]
    add, push, extend = out.append, stack.append, out.extend
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        t = type(node)
        add(id(node))
        add(t)
        if t is dict or issubclass(t, dict):
            keys = list(dict.keys(node))
            values = list(dict.values(node))
            extend(map(id, keys))
            extend(map(id, values))
            for k in keys:
                if type(k) not in _LEAVES:
                    push(k)
            for v in values:
                if type(v) not in _LEAVES:
                    push(v)
        elif t is list or issubclass(t, list):
            items = list.copy(node)
            extend(map(id, items))
            for v in items:
                if type(v) not in _LEAVES:
                    push(v)
        elif issubclass(t, tuple):
            items = tuple.__getitem__(node, slice(None))
            extend(map(id, items))
            for v in items:
                if type(v) not in _LEAVES:
                    push(v)
        elif issubclass(t, (set, frozenset)):
            base = set if issubclass(t, set) else frozenset
            add(sorted(id(v) for v in base.copy(node)))
        elif issubclass(t, bytearray):
            add(bytes(memoryview(node)))
        elif t is memoryview:
            try:
                add(node.tobytes() if node.nbytes < 2**24 else node.nbytes)
            except ValueError:  # released
                add("released")
        add(None)  # the end of this node's entry
    return out


#: exact immutable types that hold nothing: never looked into
_LEAVES = frozenset({str, int, float, bool, type(None), bytes, complex})


# --------------------------------------------------------------------------- messages


def _windows(personal: list[str]) -> set[str]:
    """Every 41-character window of the start and end of each personal value."""
    out: set[str] = set()
    n = QUOTE_LIMIT + 1
    for value in personal:
        v = str.__str__(value) if isinstance(value, str) else ""
        for part in {v[:4096], v[-4096:]}:
            out.update(part[i : i + n] for i in range(max(len(part) - n + 1, 0)))
    return out


def over_limit(messages: list[str], personal: list[str]) -> str | None:
    windows = _windows(personal) if personal else set()
    n = QUOTE_LIMIT + 1
    for m in messages:
        if len(m) > MESSAGE_LIMIT:
            return f"a message of {len(m)} characters: {m[:120]!r}…"
        if windows and any(m[i : i + n] in windows for i in range(len(m) - n + 1)):
            return f"a message quotes more than {QUOTE_LIMIT} characters of a personal value: {m[:120]!r}"
    return None


def wire_problem(body: Any) -> str | None:
    """Why ``body`` cannot be sent as strict JSON in UTF-8, or None."""
    try:
        json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except Exception as exc:  # the wire body must be JSON types only
        return f"the wire body is not JSON: {type(exc).__name__}: {str(exc)[:160]}"
    return None


class Bounded:
    """``RLIMIT_AS`` at what the process maps now plus :data:`MEMORY_BOUND`, while inside."""

    def __enter__(self) -> Bounded:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[0])
        mapped = pages * os.sysconf("SC_PAGE_SIZE")
        self.old = resource.getrlimit(resource.RLIMIT_AS)
        soft, hard = mapped + MEMORY_BOUND, self.old[1]
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        return self

    def __exit__(self, *exc: Any) -> None:
        resource.setrlimit(resource.RLIMIT_AS, self.old)
