"""A test guard: a connection beyond loopback is refused and recorded, never made.

``install()`` patches ``socket.socket.connect``, ``connect_ex``, ``sendto`` and
``socket.create_connection`` in this process; an IPv4/IPv6 destination that is not
loopback raises ``PermissionError`` (``connect_ex``: returns ``EACCES``) before any
packet leaves, and is appended to :data:`attempts`, which the test then asserts empty.
Unix sockets and socket pairs are not network and pass.

``tests/test_batch.py`` installs it in the test process (the scheduler and the
nannies run there) and names this file as a Dask worker preload, so each worker
process imports it (as ``loopback_guard``) and runs :func:`dask_setup` as it starts.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

#: every refused destination, "call (address)", in this process
attempts: list[str] = []
_saved: dict[str, Any] = {}
_IP = (socket.AF_INET, socket.AF_INET6)


def _loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False  # a host name: resolving it may already leave the machine
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _refuse(call: str, address: Any) -> PermissionError:
    attempts.append(f"{call} {address!r}")
    return PermissionError(errno.EACCES, f"loopback_guard: {call} to {address!r} refused")


def _connect(self: socket.socket, address: Any) -> None:
    if self.family in _IP and not _loopback(address):
        raise _refuse("connect", address)
    _saved["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in _IP and not _loopback(address):
        _refuse("connect_ex", address)
        return errno.EACCES
    result: int = _saved["connect_ex"](self, address)
    return result


def _sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if self.family in _IP and args and not _loopback(args[-1]):
        raise _refuse("sendto", args[-1])
    result: int = _saved["sendto"](self, data, *args)
    return result


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not _loopback(address):
        raise _refuse("create_connection", address)
    result: socket.socket = _saved["create_connection"](address, *args, **kwargs)
    return result


def install() -> list[str]:
    """Guard this process (again: a no-op); returns :data:`attempts`."""
    if not _saved:
        for name, patch in (
            ("connect", _connect),
            ("connect_ex", _connect_ex),
            ("sendto", _sendto),
        ):
            _saved[name] = getattr(socket.socket, name)  # the C method of _socket.socket
            setattr(socket.socket, name, patch)
        _saved["create_connection"] = socket.create_connection
        socket.create_connection = _create_connection
    return attempts


def installed() -> bool:
    return socket.socket.connect is _connect and socket.create_connection is _create_connection


def uninstall() -> None:
    """Undo :func:`install`."""
    if _saved:
        socket.create_connection = _saved.pop("create_connection")
        for name in _saved:
            delattr(socket.socket, name)  # inherited again from _socket.socket
        _saved.clear()


def dask_setup(worker: Any) -> None:
    """The Dask preload hook: guard the worker process as it starts."""
    install()
