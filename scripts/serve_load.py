"""Load figures for ``kombo-validate serve`` (issue 18), on loopback only.

Starts a fake upstream (a minimal ASGI app on uvicorn) and ``kombo-validate serve
--workers 2`` in front of it, then measures, with a lean asyncio HTTP/1.1 client on
keep-alive connections:

1. checks/s of the spec's request example against ``POST /v1/check`` at 32 concurrent
   connections, with p50/p99 latency;
2. the proxy's added latency: one connection, sequential requests, p50/p99 of calling
   the fake upstream directly vs through the proxy (a GET forwarded unchecked, and a
   Create application checked and forwarded);
3. a mixed run (``--mixed`` requests at 64 connections: valid, invalid and pass-through
   in turn), then what the fake upstream received: nothing lost, no 5xx, each valid
   body received exactly once, no refused one received at all.

``client_ceiling`` is the same client against the fake upstream alone: what it can
send at all on this machine, so a check figure near it is the client's limit. The check
run also reports how many of the connections each worker held, and the server's and the
client's CPU per request (Linux /proc); ``load_avg_before`` says what else was running.
The server runs from a neutral directory, so ``PYTHONPATH`` (``--server-pythonpath``
first, then this tree) alone says which code serves.

Bounded in time (``--seconds`` per throughput run, ``--requests`` per latency run) and
everything started is stopped in a ``finally``. The client runs on the same machine,
so it competes with the server for the CPUs: the figures are a floor.

    python scripts/serve_load.py [--seconds 5] [--concurrency 32] [--workers 2] [--mixed N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOB = "BDpgnpZ148nrGh4mYHNxJBgx"
INTEGRATION = "join:HWUTwvyx2wLoSUHphiWVrp28"

UPSTREAM_APP = textwrap.dedent(
    """
    import json
    from collections import Counter

    BODY = b'{"status":"success","data":{"id":"H77fDF8uvEzGNPRubiz5DvQ7"}}'
    HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
    SEEN = Counter()  # the mixed run's markers, as they arrived

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body, query = BODY, scope["query_string"]
        if scope["path"] == "/__seen":
            body = json.dumps(SEEN).encode()
        elif query.startswith(b"marker="):
            SEEN[query.decode()] += 1
        elif scope["method"] == "POST" and b"Load-" in b"".join(chunks):
            SEEN[json.loads(b"".join(chunks))["candidate"]["first_name"]] += 1
        headers = HEADERS if body is BODY else [(b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError as exc:
            if getattr(exc, "code", None) is not None:
                return  # an HTTP answer: it is up
            time.sleep(0.1)
    raise RuntimeError(f"{url}: not up within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def request_bytes(method: str, path: str, port: int, body: bytes = b"", **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


class _Looping(asyncio.Protocol):
    """One keep-alive connection of the closed loop: ``raw`` (prebuilt) is sent again as
    soon as each answer is in, until ``until``; a raw protocol with minimal parsing (a
    StreamReader costs the client, which shares the CPUs with the server, about twice the
    CPU per request)."""

    def __init__(self, raw: bytes, until: float, lat: list[float], bad: list[int]) -> None:
        self.raw, self.until, self.lat, self.bad = raw, until, lat, bad
        self.held = b""  # an answer's first part, when it arrives in pieces (rare)
        self.started = 0.0
        self.transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.started = time.perf_counter()
        self.transport.write(self.raw)

    def data_received(self, data: bytes) -> None:
        if self.held:
            data, self.held = self.held + data, b""
        end = data.find(b"\r\n\r\n")
        if end < 0:
            self.held = data
            return
        head = data[:end].lower()
        at = head.find(b"\r\ncontent-length:") + 17
        stop = head.find(b"\r\n", at)
        if len(data) < end + 4 + int(head[at : stop if stop > 0 else len(head)]):
            self.held = data
            return
        now = time.perf_counter()  # the answer is in: the next request goes out first
        assert self.transport is not None
        if now < self.until:
            self.transport.write(self.raw)
        else:
            self.transport.close()
        self.lat.append(now - self.started)
        self.started = now
        status = int(head[9:12])
        if status != 200:
            self.bad.append(status)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


async def _loop_on(port: int, raw: bytes, until: float, lat: list[float], bad: list[int]) -> None:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(
        lambda: _Looping(raw, until, lat, bad), "127.0.0.1", port
    )
    await protocol.closed


async def throughput(
    port: int, raw: bytes, seconds: float, concurrency: int, pids: list[int] | None = None
) -> dict[str, object]:
    """A closed loop of ``concurrency`` connections for ``seconds`` (after 1 s of warm-up
    on other connections); with ``pids``, how many of the connections each of those
    processes held (counted from /proc half a second in)."""
    warm: list[float] = []
    await asyncio.gather(
        *(_loop_on(port, raw, time.perf_counter() + 1.0, warm, []) for _ in range(concurrency))
    )
    lat: list[float] = []
    bad: list[int] = []
    cpu = time.process_time()
    server_cpu = cpu_seconds(pids or [])
    started = time.perf_counter()
    until = started + seconds
    runs = asyncio.gather(*(_loop_on(port, raw, until, lat, bad) for _ in range(concurrency)))
    spread: dict[str, int] | None = None
    if pids:
        await asyncio.sleep(min(0.5, seconds / 2))
        spread = connections_held(port, pids)
    await runs
    elapsed = time.perf_counter() - started
    result: dict[str, object] = {"requests": len(lat), "per_s": len(lat) / elapsed}
    result.update(non_200=len(bad), **pcts(lat))
    count = max(len(lat), 1)
    result["client_cpu_us_per_request"] = (time.process_time() - cpu) / count * 1e6
    if pids:
        result["server_cpu_us_per_request"] = (cpu_seconds(pids) - server_cpu) / count * 1e6
    if spread is not None:
        result["connections_per_worker"] = spread
    return result


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc; none elsewhere)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            return [int(x) for x in listed.read().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK") if total else 0.0


def connections_held(port: int, pids: list[int]) -> dict[str, int]:
    """For each process, its established connections on local ``port`` (Linux /proc;
    empty elsewhere): whether the workers share the connections evenly."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                for row in list(rows)[1:]:
                    cols = row.split()
                    if cols[1].endswith(f":{port:04X}") and cols[3] == "01":
                        inodes.add(f"socket:[{cols[9]}]")
        except OSError:
            continue
    held: dict[str, int] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        count = 0
        for fd in fds:
            try:
                count += os.readlink(f"/proc/{pid}/fd/{fd}") in inodes
            except OSError:
                continue
        held[str(pid)] = count
    return held


async def sequential(port: int, raw: bytes, count: int) -> dict[str, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lat: list[float] = []
    try:
        for i in range(count + 50):
            started = time.perf_counter()
            status = await _exchange(reader, writer, raw)
            if status != 200:
                raise RuntimeError(f"status {status}")
            if i >= 50:  # warm-up
                lat.append(time.perf_counter() - started)
    finally:
        writer.close()
    return pcts(lat)


async def _mixed_worker(
    port: int, jobs: list[tuple[str, int, bytes]], statuses: dict[str, int], lost: list[str]
) -> None:
    reader = writer = None
    while jobs:
        key, _, raw = jobs.pop()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            status = await asyncio.wait_for(_exchange(reader, writer, raw), 30)
            statuses[key] = status
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
            lost.append(key)
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def mixed(port: int, up_port: int, example: dict, total: int, concurrency: int) -> dict:
    """``total`` requests at ``concurrency`` connections, a third each: valid Create
    application (a unique first name each), invalid (refused), and a GET passed through;
    then what the upstream received is compared with what was sent."""
    app = f"/ats/jobs/{JOB}/applications"
    jobs: list[tuple[str, int, bytes]] = []
    for i in range(total):
        kind = i % 3
        if kind == 2:
            key = f"marker={i}"
            jobs.append((key, 200, request_bytes("GET", f"/ats/jobs?{key}", port)))
            continue
        candidate = {**example["candidate"], "first_name": f"Load-{'vx'[kind]}{i}"}
        if kind == 1:
            candidate["email_address"] = "not-an-email"
        body = json.dumps({**example, "candidate": candidate}).encode()
        raw = request_bytes("POST", app, port, body, X_Integration_Id=INTEGRATION)
        jobs.append((candidate["first_name"], 400 if kind else 200, raw))
    expected = {key: status for key, status, _ in jobs}
    jobs.reverse()  # popped from the end: sent in order
    statuses: dict[str, int] = {}
    lost: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_mixed_worker(port, jobs, statuses, lost) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    with urllib.request.urlopen(f"http://127.0.0.1:{up_port}/__seen", timeout=10) as answer:
        seen: dict[str, int] = json.loads(answer.read())
    forwarded = {k for k, status in expected.items() if status == 200}
    return {
        "requests": total,
        "per_s": total / elapsed,
        "lost": len(lost) + (total - len(statuses) - len(lost)),
        "5xx": sum(1 for status in statuses.values() if status >= 500),
        "unexpected_status": sum(1 for k, st in statuses.items() if st != expected[k]),
        "forwarded_exactly_once": sum(1 for k in forwarded if seen.get(k) == 1),
        "forwarded_expected": len(forwarded),
        "refused_that_reached_upstream": sum(
            1 for k in expected if k not in forwarded and k in seen
        ),
        "duplicates_upstream": sum(1 for n in seen.values() if n > 1),
    }


def pcts(lat: list[float]) -> dict[str, float]:
    if len(lat) < 2:
        return {"p50_ms": float("nan"), "p90_ms": float("nan"), "p99_ms": float("nan")}
    cuts = statistics.quantiles(lat, n=100)
    return {"p50_ms": cuts[49] * 1000, "p90_ms": cuts[89] * 1000, "p99_ms": cuts[98] * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1000, help="per latency run")
    parser.add_argument("--mixed", type=int, default=20_000, help="requests of the mixed run")
    parser.add_argument("--mixed-concurrency", type=int, default=64)
    parser.add_argument(
        "--server-pythonpath",
        metavar="DIR",
        help="prepended to the servers' PYTHONPATH only (e.g. stubs hiding httptools and "
        "uvloop, to measure without them); the client keeps its own",
    )
    args = parser.parse_args()
    try:  # the client's own loop, as lean as the server's when the serve extra brings uvloop
        import uvloop

        run = uvloop.run
    except ImportError:
        run = asyncio.run

    sys.path.insert(0, str(ROOT))
    from kombo_validate import Validator

    example = Validator().operation.request_example
    path = [str(ROOT), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
    serve_env = {
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [args.server_pythonpath, *path])),
    }
    up_port, port = free_port(), free_port()
    app_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"kv-serve-load-{os.getpid()}"
    app_dir.mkdir(exist_ok=True)
    (app_dir / "fake_upstream.py").write_text(UPSTREAM_APP)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        up = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "fake_upstream:app", "--port", str(up_port),
             "--no-access-log", "--log-level", "warning", "--app-dir", str(app_dir)],
            env=env,
        )  # fmt: skip
        procs.append(up)
        wait_up(f"http://127.0.0.1:{up_port}/", up)
        serve = subprocess.Popen(
            [sys.executable, "-m", "kombo_validate", "serve", "--port", str(port),
             "--workers", str(args.workers), "--upstream", f"http://127.0.0.1:{up_port}/v1",
             "--allow-insecure-upstream"],
            env=serve_env,
            cwd=app_dir,  # not the caller's directory: PYTHONPATH alone says which tree serves
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        procs.append(serve)
        wait_up(f"http://127.0.0.1:{port}/healthz", serve)

        check = request_bytes("POST", "/v1/check", port, json.dumps({"body": example}).encode())
        ceiling = request_bytes("GET", "/v1/ats/jobs", up_port)
        result: dict[str, object] = {
            "cpus": os.cpu_count(),
            # what else ran: the machine is shared (1, 5, 15 minutes)
            "load_avg_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "workers": args.workers,
            "concurrency": args.concurrency,
            "client_loop": run.__module__,
            # the client against the fake upstream (one trivial process): its own ceiling
            "client_ceiling": run(throughput(up_port, ceiling, args.seconds, args.concurrency)),
            "check": run(
                throughput(
                    port, check, args.seconds, args.concurrency, children(serve.pid) or [serve.pid]
                )
            ),
        }
        app = f"/ats/jobs/{JOB}/applications"
        body = json.dumps(example).encode()
        runs = {
            "get_direct": (up_port, request_bytes("GET", "/v1/ats/jobs", up_port)),
            "get_proxied": (port, request_bytes("GET", "/ats/jobs", port)),
            "create_direct": (
                up_port,
                request_bytes("POST", "/v1" + app, up_port, body, X_Integration_Id=INTEGRATION),
            ),
            "create_proxied": (
                port,
                request_bytes("POST", app, port, body, X_Integration_Id=INTEGRATION),
            ),
        }
        latency = {name: run(sequential(p, raw, args.requests)) for name, (p, raw) in runs.items()}
        for kind in ("get", "create"):
            direct, proxied = latency[f"{kind}_direct"], latency[f"{kind}_proxied"]
            latency[f"{kind}_added"] = {
                key: proxied[key] - direct[key] for key in ("p50_ms", "p99_ms")
            }
        result["latency"] = latency
        result["mixed"] = run(mixed(port, up_port, example, args.mixed, args.mixed_concurrency))
        print(json.dumps(result, indent=2, default=lambda x: round(x, 3)))
    finally:
        for proc in reversed(procs):
            stop(proc)
        for path in app_dir.iterdir():
            path.unlink()
        app_dir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
