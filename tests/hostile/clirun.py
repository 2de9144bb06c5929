"""CLI cases: the worker forks a child that becomes ``kombo-validate ARGV`` (the library
already imported, so no cold start), in its own process group, with stdin/stdout/stderr
on files of the case's scratch directory; the worker bounds its wall time and reads
what it left: exit status, tracebacks, stdout's format, changed files, network log."""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import stat
import sys
import tempfile
import time
import traceback
from typing import Any

from .probes import NET_LOG, NETWORK, SCRATCH, WALL_BOUND, Bounded


def _child(spec: dict[str, Any], tmp: str, proto: tuple[int, int]) -> None:  # pragma: no cover
    """In the forked child: become ``kombo-validate ARGV`` and exit with its code."""
    rc = 1
    try:
        os.setpgid(0, 0)
        for fd in proto:
            os.close(fd)
        stdin = spec.get("stdin_path", os.devnull)
        fds = [
            os.open(stdin, os.O_RDONLY),
            os.open(os.path.join(tmp, ".stdout"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666),
            os.open(os.path.join(tmp, ".stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666),
        ]
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)))
        sys.stderr = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
            errors="backslashreplace",
            line_buffering=True,
        )
        os.environ[NET_LOG] = os.path.join(tmp, ".network")
        os.chdir(spec.get("cwd", tmp))
        if spec.get("fsize") is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (spec["fsize"], spec["fsize"]))
        if spec.get("permissions") and os.getuid() == 0:
            _drop_dac_override()
        from kombo_validate.cli import main

        argv = list(spec["argv"])
        sys.argv = ["kombo-validate", *argv]
        try:
            code = main(argv)
            rc = code if isinstance(code, int) else 0 if code is None else 1
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        except BaseException:
            traceback.print_exc()
            rc = 1
        for f in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                f.flush()
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
            sys.stderr.flush()
        rc = 70
    os._exit(rc & 0xFF if rc >= 0 else 1)


def _drop_dac_override() -> None:  # pragma: no cover - in the forked child
    """As root, stop bypassing file permissions (drop CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so that a read-only file or directory is read-only to us
    too; everything else (the interpreter, the venv) stays readable as its owner's."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [(n, ctypes.c_uint32) for n in ("effective", "permitted", "inheritable")]

    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
    data[0].effective &= keep
    data[0].permitted &= keep
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _tree(path: str) -> dict[str, Any]:
    """Every file under ``path`` (not following links) with its bytes (or size)."""
    out: dict[str, Any] = {}
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, path)
            if rel.startswith(".std") or rel == ".network":
                continue
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    out[rel] = f.read() if st.st_size < 2**22 else st.st_size
            else:
                out[rel] = stat.S_IFMT(st.st_mode)
    return out


def _make_writable(path: str) -> None:
    for dirpath, dirnames, _ in os.walk(path):
        for d in [dirpath, *(os.path.join(dirpath, n) for n in dirnames)]:
            with contextlib.suppress(OSError):
                if not os.path.islink(d):
                    os.chmod(d, 0o755)


def run_cli(case: Any, send: Any, proto: tuple[int, int]) -> dict[str, Any]:
    # under the pool's directory, which the harness removes even if it must kill us
    tmp = tempfile.mkdtemp(prefix="case-", dir=os.environ.get(SCRATCH))
    os.chmod(tmp, 0o755)
    res: dict[str, Any] = {}
    try:
        spec = case.make(tmp)
        watch = spec.get("unchanged")  # a directory whose files must stay as they were
        before = _tree(watch) if watch else None
        fixed = spec.get("fixed")  # a file --fix must rewrite
        fixed_before = _read(fixed) if fixed else None
        send({"phase": "ready"})
        with Bounded():
            pid = os.fork()
        if pid == 0:
            _child(spec, tmp, proto)
        send({"child": pid})
        started = time.perf_counter()
        deadline = time.monotonic() + spec.get("wall", WALL_BOUND)
        status = None
        while status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
            elif time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                res["hang"] = f"still running after {spec.get('wall', WALL_BOUND)} s"
                break
            else:
                time.sleep(0.002)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # whatever it left behind
        res["call_seconds"] = round(time.perf_counter() - started, 4)
        send({"phase": "done"})
        err = _read(os.path.join(tmp, ".stderr"))
        if status is not None:
            rc = os.waitstatus_to_exitcode(status)
            if "MemoryError" in err or "memory allocation of" in err:
                res["over_memory"] = "MemoryError in the CLI"
            elif "Traceback (most recent call last)" in err:
                last = [ln for ln in err.strip().splitlines() if ln.strip()][-1:]
                res["exception"] = f"a traceback on stderr (exit {rc}): {''.join(last)[:200]}"
            elif rc not in (0, 1, 2):
                res["exception"] = f"exit code {rc}: {err.strip()[-200:]!r}"
            elif "internal.error" in err or "internal.error" in _read(os.path.join(tmp, ".stdout")):
                res["exception"] = (
                    "internal.error reported (a crash the CLI caught): "
                    + next((ln for ln in err.splitlines() if "internal.error" in ln), "on stdout")[
                        -200:
                    ]
                )
            expect = spec.get("exit")
            if expect is not None and rc not in expect and "exception" not in res:
                res["wrong"] = f"exit code {rc}, expected one of {sorted(expect)}: {err[-200:]!r}"
            fmt = spec.get("stdout_format")
            bounded = spec.get("fsize") is not None  # stdout is a file: the limit cuts it too
            if (
                fmt in ("json", "sarif", "junit")
                and rc in (0, 1)
                and not bounded
                and not res.get("wrong")
            ):
                res["wrong"] = _stdout_problem(os.path.join(tmp, ".stdout"), fmt)
        if watch:
            _make_writable(tmp)
            after = _tree(watch)
            if after != before:
                changed = sorted(set(after) ^ set(before)) or sorted(
                    k for k in after if after[k] != before.get(k)
                )
                res["mutation"] = f"files changed although the fix could not be made: {changed[:3]}"
        if fixed and _read(fixed) == fixed_before and not res.get("wrong"):
            res["wrong"] = "--fix did not rewrite a fixable file"
        net = _read(os.path.join(tmp, ".network"))
        if net:
            NETWORK.extend(net.splitlines())
    finally:
        _make_writable(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def _stdout_problem(path: str, fmt: str) -> str | None:
    """Why stdout is not the one JSON (json, sarif) or XML (junit) document it must be."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        if fmt == "junit":
            import xml.etree.ElementTree as ET

            ET.fromstring(data)
        else:
            doc = json.loads(data)
            if fmt == "json" and not isinstance(doc, list):
                return "--format json: stdout is not one JSON array"
    except Exception as exc:
        return f"--format {fmt}: stdout is not one document: {type(exc).__name__}: {exc}"[:240]
    return None


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""
