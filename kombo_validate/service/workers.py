"""``--workers N`` (N > 1): a parent that accepts and hands each connection to the next worker.

uvicorn's own supervisor lets every worker accept from one shared socket: the first worker
awake takes a whole burst of new connections (31 of 32 measured with
``scripts/serve_load.py``), and its keep-alive clients then queue behind one core while
the other worker idles. Here the parent holds the listening socket, accepts, and passes
each connection (``SCM_RIGHTS`` over a Unix socket pair) to the ready workers in turn:
16 and 16. Each worker is uvicorn's :class:`~uvicorn.Server` with no listener of its own,
serving the connections it is handed; the parent is never on a request's path.

Kept from uvicorn's supervisor: SIGTERM/SIGINT stop the accepting and let every worker
finish its in-flight requests (uvicorn's graceful shutdown in each); a worker that dies
after it was ready is replaced (no connection is lost to it: the listening socket is the
parent's); one that exits before it is ready stops the service (the app cannot start,
every replacement would fail the same way). A worker whose parent is gone stops.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from .config import ServiceConfig, url_host

__all__ = ["HANDS_OFF", "supervise", "worker_main"]

logger = logging.getLogger(__package__)  # kombo_validate.service

#: whether this platform can pass sockets between processes (else uvicorn's supervisor)
HANDS_OFF = hasattr(socket, "send_fds") and hasattr(signal, "SIGCHLD")
_READY = b"R"
#: uvicorn's exit code for an app that could not start (``uvicorn.config.STARTUP_FAILURE``)
STARTUP_FAILURE = 3


class _Worker:
    """One worker process and the parent's end of its socket pair."""

    def __init__(self, env: dict[str, str]) -> None:
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        fd = child_end.fileno()
        code = f"from kombo_validate.service.workers import worker_main; worker_main({fd})"
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=[fd], env=env)
        finally:
            child_end.close()
        parent_end.setblocking(False)
        self.chan = parent_end
        self.ready = False  # takes connections now
        self.started = False  # was ready once (else its exit is a startup failure)

    def hand(self, conn: socket.socket) -> bool:
        """Pass ``conn`` on; False when this worker cannot take it now (gone, or its
        channel full: it is not reading)."""
        try:
            return socket.send_fds(self.chan, [b"c"], [conn.fileno()]) == 1
        except OSError:  # BlockingIOError included
            return False


class _Supervisor:
    def __init__(self, config: ServiceConfig, listener: socket.socket) -> None:
        self.config = config
        self.listener = listener
        self.env = {**os.environ}
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.turn = 0
        self.waiting: collections.deque[socket.socket] = collections.deque()
        self.stopping: list[int] = []
        self.failed = False
        self.listening = False

    def spawn(self) -> _Worker:
        worker = _Worker(self.env)
        self.selector.register(worker.chan, selectors.EVENT_READ, worker)
        logger.info("Started worker process [%d]", worker.proc.pid)
        return worker

    def run(self) -> int:
        wake_r, wake_w = socket.socketpair()
        for end in (wake_r, wake_w):
            end.setblocking(False)
        old_wakeup = signal.set_wakeup_fd(wake_w.fileno())
        handlers = {
            sig: signal.signal(sig, self._on_signal)
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)
        }
        self.selector.register(wake_r, selectors.EVENT_READ, None)
        try:
            self.workers = [self.spawn() for _ in range(self.config.workers)]
            while not self.stopping and not self.failed:
                timeout = 0.01 if self.waiting else 1.0
                for key, _ in self.selector.select(timeout):
                    if key.data is None:
                        with contextlib.suppress(OSError):
                            while wake_r.recv(512):
                                pass
                    elif key.data == "listen":
                        self._accept()
                    else:
                        self._heard(key.data)
                self._reap()
                self._hand_waiting()
        finally:
            self._stop()
            signal.set_wakeup_fd(old_wakeup)
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            self.selector.close()
            wake_r.close()
            wake_w.close()
        return STARTUP_FAILURE if self.failed else 0

    def _on_signal(self, sig: int, frame: Any) -> None:
        if sig != signal.SIGCHLD:
            self.stopping.append(sig)

    def _heard(self, worker: _Worker) -> None:
        try:
            said = worker.chan.recv(64)
        except BlockingIOError:
            return
        except OSError:
            said = b""
        if not said:  # the worker is gone; _reap replaces it
            worker.ready = False
            self.selector.unregister(worker.chan)
            return
        if _READY in said and not worker.started:
            worker.ready = worker.started = True
            logger.info("Worker process [%d] takes connections", worker.proc.pid)
            if not self.listening:
                self.listening = True
                self.selector.register(self.listener, selectors.EVENT_READ, "listen")

    def _accept(self) -> None:
        for _ in range(64):  # a burst, then the workers' messages get their turn
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. EMFILE: the connection waits in the backlog
                logger.warning("accept failed: %s", exc)
                time.sleep(0.05)  # not a busy loop while the descriptors are out
                return
            self.waiting.append(conn)
            self._hand_waiting()

    def _hand_waiting(self) -> None:
        """Each waiting connection to the next ready worker that takes it."""
        count = len(self.workers)
        while self.waiting:
            conn = self.waiting[0]
            for _ in range(count):
                worker = self.workers[self.turn % count]
                self.turn += 1
                if worker.ready and worker.hand(conn):
                    break
            else:
                return  # nobody can take it now: retried shortly
            self.waiting.popleft()
            conn.close()

    def _reap(self) -> None:
        for index, worker in enumerate(self.workers):
            code = worker.proc.poll()
            if code is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(worker.chan)
            worker.chan.close()
            if self.stopping:
                continue
            if not worker.started:
                logger.error(
                    "Worker process [%d] exited (%s) before it was ready: stopping",
                    worker.proc.pid,
                    code,
                )
                self.failed = True
                return
            logger.info("Worker process [%d] died (%s): replacing it", worker.proc.pid, code)
            self.workers[index] = self.spawn()

    def _stop(self) -> None:
        """Accept no more, then let each worker finish what it holds (SIGTERM: uvicorn's
        graceful shutdown), killing any that outlives the graceful timeout."""
        if self.listening:
            self.selector.unregister(self.listener)
        self.listener.close()
        for conn in self.waiting:  # accepted, not yet handed: a reset, as from a backlog
            conn.close()
        self.waiting.clear()
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.proc.wait(self.config.graceful_timeout + 5)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()
            with contextlib.suppress(OSError):
                worker.chan.close()


def supervise(config: ServiceConfig) -> int:
    """Bind, start ``config.workers`` workers and hand them the connections until
    SIGINT/SIGTERM; the exit code (:data:`STARTUP_FAILURE` when a worker could not start)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    try:
        listener = socket.create_server((config.host, config.port), family=family, backlog=2048)
    except OSError as exc:
        logger.error("cannot listen on %s:%d: %s", config.host, config.port, exc)
        return 1
    listener.setblocking(False)
    logger.info(
        "Serving on http://%s:%d: %d workers, handed the connections in turn by [%d]",
        url_host(config.host),
        config.port,
        config.workers,
        os.getpid(),
    )
    return _Supervisor(config, listener).run()


# ------------------------------------------------------------------ the worker side


def worker_main(fd: int) -> None:
    """A worker process: uvicorn's server over the connections arriving on ``fd``."""
    import uvicorn

    from .app import uvicorn_options

    chan = socket.socket(fileno=fd)
    config = ServiceConfig.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    options = uvicorn_options(config)
    uv_config = uvicorn.Config("kombo_validate.service.app:app_from_env", factory=True, **options)
    _HandedServer(uv_config, chan).run(sockets=[])


try:
    import uvicorn as _uvicorn
except ImportError:  # pragma: no cover - the serve extra is missing: nothing to run
    pass
else:

    class _HandedServer(_uvicorn.Server):
        """uvicorn's server with no listener: it serves the sockets handed over ``chan``
        and tells the parent when it is ready for them."""

        def __init__(self, config: Any, chan: socket.socket) -> None:
            super().__init__(config)
            self._chan = chan

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            import asyncio
            import functools

            await super().startup(sockets=[])
            if self.should_exit or not self.started:
                return
            loop = asyncio.get_running_loop()
            protocol_class: Any = self.config.http_protocol_class
            protocol = functools.partial(
                protocol_class,
                config=self.config,
                server_state=self.server_state,
                app_state=self.lifespan.state,
            )
            chan = self._chan
            chan.setblocking(False)

            adopting: set[asyncio.Task[Any]] = set()

            def adopted(task: asyncio.Task[Any]) -> None:
                adopting.discard(task)
                if not task.cancelled() and task.exception() is not None:
                    logger.warning("a handed connection was lost: %s", task.exception())

            def take() -> None:
                while True:
                    try:
                        data, fds, _, _ = socket.recv_fds(chan, 64, 64)
                    except (BlockingIOError, InterruptedError):
                        return
                    except OSError:
                        data, fds = b"", []
                    for one in fds:
                        conn = socket.socket(fileno=one)
                        task = loop.create_task(loop.connect_accepted_socket(protocol, conn))
                        adopting.add(task)
                        task.add_done_callback(adopted)
                    if not data and not fds:  # the parent is gone: stop too
                        loop.remove_reader(chan.fileno())
                        self.should_exit = True
                        return

            loop.add_reader(chan.fileno(), take)
            chan.sendall(_READY)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            import asyncio

            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._chan.fileno())
            self._chan.close()  # the parent hands the next ones to the others
            await super().shutdown(sockets=[])
