"""Run hostile cases in a small pool of long-lived worker subprocesses.

Each worker (``python -m tests.hostile.worker``, its own session and process group)
takes one case at a time. The per-case bound is :data:`WALL_BOUND` seconds of wall
time from the moment the inputs are built (the worker says ``ready``) to the end of
the call (``done``), and :data:`~tests.hostile.worker.MEMORY_BOUND` of address space
(``RLIMIT_AS`` inside the worker). A worker past its deadline is killed with its
whole process group and replaced; the case is run once more on a fresh worker (a
2-core machine shared with other work can stall for a moment) and recorded as a
hang if it overruns again. A worker that dies is replaced and its case recorded as
over-memory (an allocation failure) or an exception (any other death).

Every process started here is stopped before :meth:`Pool.close` returns.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import FAMILIES, family_cases
from .probes import SCRATCH, WALL_BOUND

ROOT = Path(__file__).resolve().parents[2]

#: The failure columns, in table order (``harness``: the corpus itself failed to build a case).
COLUMNS: tuple[str, ...] = (
    "exception",
    "hang",
    "over_memory",
    "mutation",
    "over_limit",
    "network",
    "wrong",
    "harness",
)
HEADERS: dict[str, str] = {
    "exception": "exceptions",
    "hang": "hangs",
    "over_memory": "over-memory",
    "mutation": "mutations",
    "over_limit": "over-limit msgs",
    "network": "network",
    "wrong": "wrong",
    "harness": "harness",
}
#: slack for a CLI case, whose worker enforces the wall bound on its forked child itself
CLI_GRACE = 5.0
#: bound on building a case's inputs and on analysing its outcome (harness work, not the call)
PHASE_BOUND = 120.0
START_BOUND = 120.0


@dataclass
class Outcome:
    family: str
    index: int
    name: str
    kind: str
    exception: str | None = None
    hang: str | None = None
    over_memory: str | None = None
    mutation: str | None = None
    over_limit: str | None = None
    network: list[str] | None = None
    wrong: str | None = None
    harness: str | None = None
    retried: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        return [c for c in COLUMNS if getattr(self, c)]

    def describe(self) -> str:
        parts = [f"{c}: {getattr(self, c)}" for c in self.failures]
        return f"{self.family}/{self.name} [{self.kind}] " + "; ".join(parts)


@dataclass
class _Task:
    family: str
    index: int
    name: str
    kind: str
    attempt: int = 0
    sent: float = 0.0


class _Worker:
    def __init__(self, env: dict[str, str], errdir: str, serial: int) -> None:
        self.err_path = os.path.join(errdir, f"worker-{serial}.stderr")
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.hostile.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""
        self.started = False
        self.task: _Task | None = None
        self.phase = "start"
        self.deadline: float | None = time.monotonic() + START_BOUND
        self.child: int | None = None
        self.spare = False  # started ahead, to replace a killed worker without a cold start

    def send(self, task: _Task) -> None:
        assert self.proc.stdin is not None
        self.task, self.phase, self.child = task, "build", None
        task.sent = time.monotonic()
        self.deadline = time.monotonic() + PHASE_BOUND
        self.proc.stdin.write(json.dumps({"family": task.family, "index": task.index}).encode())
        self.proc.stdin.write(b"\n")
        self.proc.stdin.flush()

    def messages(self) -> tuple[list[dict[str, Any]], bool]:
        """The complete messages available now, and whether the worker closed its end."""
        eof = False
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                eof = True
                break
            self.buf += chunk
        *lines, self.buf = self.buf.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()], eof

    def stderr_tail(self) -> str:
        try:
            with open(self.err_path, "rb") as f:
                f.seek(max(os.path.getsize(self.err_path) - 4000, 0))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, *, kill: bool) -> None:
        """Stop the worker and its process group (and a CLI child's group), and reap it."""
        if not kill and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                kill = True
        for group in (self.child, self.proc.pid):
            if group is not None and (kill or group == self.child):
                with contextlib.suppress(OSError):
                    os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


def _died(w: _Worker, task: _Task) -> Outcome:
    out = Outcome(task.family, task.index, task.name, task.kind)
    try:
        code: int | None = w.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    tail = w.stderr_tail()
    how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
    if "memory allocation of" in tail or "MemoryError" in tail[-600:]:
        out.over_memory = f"the worker died ({how}): {tail.strip()[-160:]!r}"
    elif w.phase == "build":
        out.harness = f"the worker died building the case ({how}): {tail.strip()[-200:]!r}"
    else:
        out.exception = f"the worker died ({how}): {tail.strip()[-240:]!r}"
    return out


class Pool:
    """``jobs`` long-lived workers; :meth:`run` spreads tasks over them. A context manager."""

    def __init__(self, jobs: int = 2, *, retries: int = 10) -> None:
        self.jobs = max(1, jobs)
        self.retries = retries  # timeouts given a second try, at most (a real hang costs 2×)
        self._retries = retries
        self._pending: collections.deque[_Task] = collections.deque()
        self.tmp = tempfile.mkdtemp(prefix="kv-hostile-pool-")
        self.env = dict(os.environ)
        self.env.update(
            MALLOC_ARENA_MAX="2",  # 16 threads must not reserve 16 × 64 MB of arenas
            PYTHONHASHSEED="0",
            PYTHONFAULTHANDLER="1",  # a crash names its place on the worker's stderr
            PYTHONDONTWRITEBYTECODE="1",
            NO_COLOR="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        self.env.setdefault("KOMBO_VALIDATE_CACHE_DIR", os.path.join(self.tmp, "cache"))
        self.env[SCRATCH] = self.tmp
        self.serial = 0
        self.workers: list[_Worker] = []
        self.sel = selectors.DefaultSelector()
        try:
            for _ in range(self.jobs):
                self._spawn()
            self._spawn().spare = True
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        self.serial += 1
        w = _Worker(self.env, self.tmp, self.serial)
        self.workers.append(w)
        self.sel.register(w.fd, selectors.EVENT_READ, w)
        return w

    def _replace(self, w: _Worker) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.sel.unregister(w.fd)
        self.workers.remove(w)
        w.stop(kill=True)
        spares = [s for s in self.workers if s.spare]
        if w.spare or not spares:
            self._spawn().spare = w.spare
            return
        spares[0].spare = False
        self._spawn().spare = True

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        for w in list(self.workers):
            with contextlib.suppress(KeyError, ValueError):
                self.sel.unregister(w.fd)
            w.stop(kill=w.task is not None)
        self.workers.clear()
        self.sel.close()
        _rmtree(self.tmp)

    def run(
        self, tasks: Iterable[_Task], on_outcome: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        pending = self._pending = collections.deque(tasks)
        done: list[Outcome] = []

        def finish(out: Outcome) -> None:
            done.append(out)
            if on_outcome is not None:
                on_outcome(out)

        self._retries = self.retries
        while pending or any(w.task is not None for w in self.workers):
            for w in self.workers:
                if w.started and not w.spare and w.task is None and pending:
                    w.send(pending.popleft())
            now = time.monotonic()
            deadlines = [w.deadline for w in self.workers if w.deadline is not None]
            timeout = max(min(deadlines) - now, 0) if deadlines else 1.0
            for key, _ in self.sel.select(min(timeout, 1.0)):
                w = key.data
                msgs, eof = w.messages()
                for msg in msgs:
                    self._on_message(w, msg, finish)
                if eof:
                    task = w.task
                    if task is not None:
                        finish(_died(w, task))
                    elif not w.started:
                        raise RuntimeError(f"a worker failed to start: {w.stderr_tail()}")
                    self._replace(w)
            now = time.monotonic()
            for w in list(self.workers):
                if w.deadline is None or now <= w.deadline:
                    continue
                task = w.task
                if task is None:
                    raise RuntimeError(f"a worker did not start in time: {w.stderr_tail()}")
                if w.phase == "run" and task.attempt == 0 and self._retries > 0:
                    task.attempt, self._retries = 1, self._retries - 1
                    pending.appendleft(task)  # once more, on a fresh worker
                elif w.phase == "run":
                    bound = WALL_BOUND + (CLI_GRACE if task.kind == "cli" else 0)
                    out = Outcome(task.family, task.index, task.name, task.kind)
                    out.hang = f"no result within {bound:g} s" + (
                        " (twice)" if task.attempt else ""
                    )
                    finish(out)
                else:
                    out = Outcome(task.family, task.index, task.name, task.kind)
                    out.harness = f"the {w.phase} phase took over {PHASE_BOUND:g} s"
                    finish(out)
                self._replace(w)
        return done

    def _on_message(self, w: _Worker, msg: dict[str, Any], finish: Callable[..., None]) -> None:
        now = time.monotonic()
        task = w.task
        if "hello" in msg:
            w.started, w.phase, w.deadline = True, "idle", None
        elif task is None:
            raise RuntimeError(f"unexpected message from an idle worker: {msg}")
        elif msg.get("phase") == "ready":
            bound = WALL_BOUND + (CLI_GRACE if task.kind == "cli" else 0)
            w.phase, w.deadline = "run", now + bound
        elif msg.get("phase") == "done":
            w.phase, w.deadline = "analyse", now + PHASE_BOUND
        elif "child" in msg:
            w.child = msg["child"]
        elif "result" in msg:
            if msg["result"].get("hang") and task.attempt == 0 and self._retries > 0:
                self._retries -= 1  # a CLI child past its bound: once more, as for any hang
                task.attempt = 1
                self._pending.appendleft(task)
                w.task, w.phase, w.deadline, w.child = None, "idle", None, None
                return
            out = Outcome(task.family, task.index, task.name, task.kind, retried=task.attempt > 0)
            out.seconds = now - task.sent
            for k, v in msg["result"].items():
                if k in {f.name for f in fields(Outcome)}:
                    setattr(out, k, v)
                else:
                    out.extra[k] = v
            w.task, w.phase, w.deadline, w.child = None, "idle", None, None
            finish(out)


def _rmtree(path: str) -> None:
    """Remove ``path`` even where a killed case left a read-only directory behind."""

    def retry(func: Callable[..., Any], p: str, _: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p), 0o700)
            if not os.path.islink(p) and os.path.isdir(p):
                os.chmod(p, 0o700)
            func(p)

    shutil.rmtree(path, onerror=retry)


# --------------------------------------------------------------------------- the corpus


def select(
    families: Sequence[str] | None = None, *, quick: bool = False, match: str | None = None
) -> list[_Task]:
    """The tasks of ``families`` (all by default), the quick subset or all, in a fixed order."""
    tasks = []
    for fam in families or FAMILIES:
        for i, case in enumerate(family_cases(fam)):
            if quick and not case.quick:
                continue
            if match and match not in f"{fam}/{case.name}":
                continue
            tasks.append(_Task(fam, i, case.name, case.kind))
    return tasks


def run_corpus(
    families: Sequence[str] | None = None,
    *,
    quick: bool = False,
    jobs: int = 2,
    match: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    tasks = select(families, quick=quick, match=match)
    with Pool(jobs) as pool:
        outcomes = pool.run(tasks, on_outcome)
    return sorted(outcomes, key=lambda o: (FAMILIES.index(o.family), o.index))


def summarise(outcomes: Iterable[Outcome]) -> dict[str, dict[str, int]]:
    """Per family: ``cases`` and the count of each failure column."""
    table: dict[str, dict[str, int]] = {}
    for o in outcomes:
        row = table.setdefault(o.family, dict.fromkeys(("cases", *COLUMNS), 0))
        row["cases"] += 1
        for c in o.failures:
            row[c] += 1
    return table


def render(table: dict[str, dict[str, int]]) -> str:
    cols = ("cases", *COLUMNS)
    heads = ["family", "cases", *(HEADERS[c] for c in COLUMNS)]
    total = {c: sum(row[c] for row in table.values()) for c in cols}
    rows = [[fam, *(str(table[fam][c]) for c in cols)] for fam in FAMILIES if fam in table]
    rows.append(["total", *(str(total[c]) for c in cols)])
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    line = lambda r: "  ".join(  # noqa: E731
        r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r))
    )
    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(heads), sep, *(line(r) for r in rows[:-1]), sep, line(rows[-1])])
