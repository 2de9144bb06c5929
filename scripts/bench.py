#!/usr/bin/env python3
"""Benchmark ``kombo_validate.check`` side by side with its peers; print one table.

    python scripts/bench.py            # the full run (a few minutes)
    python scripts/bench.py --quick    # a short run: same rows, fewer/shorter repeats
    python scripts/bench.py --json rows.json --profile

Every in-process time is the median of >= 5 repeats (3 with ``--quick``), each
repeat running the call many times (the count chosen like ``timeit``'s
autorange). Subprocess rows (cold start, CLI throughput) are medians of whole
runs. Ratios are ours / peer for times and memory, ours / peer for files per
second; each row with a target (from the performance, questions and CLI
issues) says PASS or FAIL. A peer that is not installed makes its row SKIP.
Timings are a benchmark only: no test asserts them.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import importlib.util
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
for _p in (str(ROOT), str(SCRIPTS)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import bench_bodies as bodies  # noqa: E402

SDK_MODEL = "PostAtsJobsJobIDApplicationsRequestBody"
GROUPS = ("hot", "cold", "memory", "cli", "scale", "batch")


# ----------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    repeats: int  # repeats per in-process measurement (median taken)
    min_time: float  # seconds one repeat must last at least (autorange)
    runs: int  # subprocess runs for cold start (median taken)
    fixtures: int  # JSON fixtures for the CLI rows
    cli_runs: int  # runs of each CLI command (median taken)
    profile: bool = False  # collect profiles of subprocess rows that FAIL

    @classmethod
    def for_mode(cls, quick: bool, profile: bool = False) -> Settings:
        if quick:
            return cls(3, 0.01, runs=3, fixtures=500, cli_runs=1, profile=profile)
        return cls(7, 0.2, runs=7, fixtures=10_000, cli_runs=5, profile=profile)


# ----------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One line of the table. ``unit``: "s" (time), "files/s", "records/s", "work/s" or "B"
    (memory)."""

    group: str
    what: str
    unit: str = "s"
    ours: float | None = None
    peer: float | None = None
    peer_name: str = ""
    target: float | None = None  # None: informational row
    higher_is_better: bool = False  # ratio must be >= target (throughput)
    status: str = "info"  # PASS | FAIL | info | SKIP
    note: str = ""
    profile: Callable[[], object] | None = field(default=None, repr=False, compare=False)
    profile_text: str = field(default="", repr=False, compare=False)  # subprocess rows
    #: scaling rows: ``ours`` is the size ``2 ** doublings`` times ``peer``'s, and the
    #: ratio is per doubling (linear: 2×; quadratic: 4×)
    doublings: int = 0

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.peer is None or self.peer == 0:
            return None
        ratio = self.ours / self.peer
        return ratio ** (1 / self.doublings) if self.doublings else ratio

    def settle(self) -> Row:
        if self.status == "SKIP":
            return self
        ratio = self.ratio
        if ratio is None:
            self.status = "SKIP"
        elif self.target is not None:
            ok = ratio >= self.target if self.higher_is_better else ratio <= self.target
            self.status = "PASS" if ok else "FAIL"
        return self

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("profile", None)
        data.pop("profile_text", None)
        data["ratio"] = self.ratio
        return data


def skip(group: str, what: str, reason: str, unit: str = "s", **kw: Any) -> Row:
    """A row that could not be measured (``kw``: target, peer... still shown)."""
    return Row(group, what, unit=unit, status="SKIP", note=reason, **kw)


# ----------------------------------------------------------------------------- timing


def _run_many(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return time.perf_counter() - start


def _autorange(fn: Callable[[], object], min_time: float) -> int:
    """A loop count that makes one repeat last at least ``min_time`` (like timeit)."""
    number = 1
    while True:
        elapsed = _run_many(fn, number)
        if elapsed >= min_time:
            return number
        # grow like timeit's autorange, but jump straight to a good count
        guess = int(number * min_time / max(elapsed, 1e-9) * 1.2) + 1
        number = max(number * 2, min(guess, number * 100))


def measure_side_by_side(fns: Sequence[Callable[[], object]], s: Settings) -> list[float]:
    """Median seconds per call of each of ``fns``, their repeats interleaved.

    Each callable gets its own autoranged loop count; then ``s.repeats`` rounds
    run every callable once in turn, so a load spike on a shared machine hits
    both sides of a ratio alike.
    """
    for fn in fns:
        fn()  # warm up (lazy imports, caches)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        numbers = [_autorange(fn, s.min_time) for fn in fns]
        times: list[list[float]] = [[] for _ in fns]
        for _ in range(s.repeats):
            for fn, number, out in zip(fns, numbers, times, strict=True):
                out.append(_run_many(fn, number) / number)
    finally:
        if was_enabled:
            gc.enable()
    return [statistics.median(t) for t in times]


def measure(fn: Callable[[], object], s: Settings) -> float:
    """Median seconds per call of ``fn``: autoranged loop, ``s.repeats`` repeats."""
    return measure_side_by_side([fn], s)[0]


def median_run(
    cmd: Sequence[str], runs: int, **kw: Any
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Median wall time of ``runs`` runs of ``cmd`` (after one untimed warm-up run)."""
    last = subprocess.run(cmd, capture_output=True, text=True, **kw)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        last = subprocess.run(cmd, capture_output=True, text=True, **kw)
        times.append(time.perf_counter() - start)
    return statistics.median(times), last


def sub_env() -> dict[str, str]:
    """Environment for subprocesses: the source tree first on the import path."""
    env = dict(os.environ)
    paths = [str(ROOT), str(SCRIPTS)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("PYTHONSTARTUP", None)
    return env


def tail(text: str, limit: int = 100) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    return last if len(last) <= limit else last[: limit - 1] + "…"


# ----------------------------------------------------------------------------- who is here


def load_ours() -> tuple[Any, str]:
    """(the kombo_validate module, "") or (None, why it can't run)."""
    try:
        import kombo_validate

        kombo_validate.check({})
    except Exception as exc:  # any failure means "not ready"
        return None, f"kombo_validate.check unavailable ({type(exc).__name__}: {exc})"[:160]
    return kombo_validate, ""


def load_sdk() -> tuple[Any, str]:
    try:
        from kombo import models
    except Exception as exc:
        return None, f"official SDK not installed ({type(exc).__name__})"
    model = getattr(models, SDK_MODEL, None)
    if model is None:
        return None, f"kombo.models has no {SDK_MODEL}"
    return model, ""


def sdk_call(model: Any, body: dict[str, Any]) -> Callable[[], object]:
    """The SDK's path: ``model_validate`` + ``model_dump_json`` (a rejection is caught)."""
    from pydantic import ValidationError

    def run() -> object:
        try:
            return model.model_validate(body).model_dump_json()
        except ValidationError as exc:
            return exc

    return run


def sdk_outcome(model: Any, body: dict[str, Any]) -> str:
    from pydantic import ValidationError

    try:
        model.model_validate(body).model_dump_json()
    except ValidationError as exc:
        return f"SDK rejects ({exc.error_count()} errors)"
    return "SDK accepts"


def versions() -> dict[str, str]:
    names = (
        "kombo_validate",
        "kombo",
        "pydantic",
        "pydantic-core",
        "jsonschema",
        "jsonschema-rs",
        "referencing",
        "check-jsonschema",
        "PyYAML",
        "pycountry",
    )
    out = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "source tree" if name == "kombo_validate" else "not installed"
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "packages": versions(),
        "load_average": _loadavg(),
    }


def _loadavg() -> str:
    """The 1/5/15-minute load average: a busy machine skews timings, --jobs most."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


# ----------------------------------------------------------------------------- checks


def describe(report: Any) -> str:
    """A short note on a Report: ok or not, issue counts, the first issue."""
    errors = [i for i in report.issues if i.severity == "error"]
    warnings = len(report.issues) - len(errors)
    text = f"ok={report.ok} errors={len(errors)} warnings={warnings}"
    if report.issues:
        first = report.issues[0]
        text += f" first={first.path or '/'}:{first.code}"
    return text


def expected_defects(report: Any, defects: Iterable[tuple[str, str]]) -> str:
    got = {(i.path, i.code) for i in report.issues if i.severity == "error"}
    missing = [f"{p}:{c}" for p, c in defects if (p, c) not in got]
    return "all 3 defects found" if not missing else "MISSING " + ", ".join(missing)


# ----------------------------------------------------------------------------- rows: hot path

SDK_NAME = "SDK validate+dump_json"
PY_NAME = "jsonschema iter_errors"
RS_NAME = "jsonschema-rs is_valid (floor)"


def guarded(group: str, what: str, build: Callable[[], Row], target: float | None = None) -> Row:
    """``build()``'s row, or a SKIP row saying why it could not be measured."""
    try:
        return build().settle()
    except Exception as exc:  # a broken row must not hide the others
        reason = f"error: {type(exc).__name__}: {exc}"[:160]
        return skip(group, what, reason, target=target)


def hot_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    rows: list[Row] = []
    sdk, sdk_why = load_sdk()
    schema = bodies.request_schema()
    try:
        import jsonschema

        py_validator: Any = jsonschema.Draft202012Validator(schema)
        py_why = ""
    except Exception as exc:
        py_validator, py_why = None, f"python-jsonschema unavailable ({type(exc).__name__})"
    try:
        import jsonschema_rs

        rs_validator: Any = jsonschema_rs.validator_for(schema)
        rs_why = ""
    except Exception as exc:
        rs_validator, rs_why = None, f"jsonschema-rs unavailable ({type(exc).__name__})"

    example = bodies.example()
    large = bodies.large_body()
    questions = bodies.large_questions()
    big = bodies.attachment_body()
    bad = bodies.invalid_body()
    schema_bad = bodies.schema_invalid_body()
    cases: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "example": (example, {}),
        "large": (large, {"questions": questions}),
        "large_nq": (large, {}),
        "big": (big, {}),
        "bad": (bad, {}),
        "schema_bad": (schema_bad, {}),
    }
    notes: dict[str, str] = {}
    calls: dict[str, Callable[[], object]] = {}

    def call(key: str) -> Callable[[], object]:
        if key not in calls:
            body, kw = cases[key]
            calls[key] = lambda: kv.check(body, **kw)
        return calls[key]

    def note(key: str) -> str:
        if key not in notes:
            try:
                notes[key] = describe(call(key)())
            except Exception as exc:
                notes[key] = f"check() raised {type(exc).__name__}: {exc}"[:120]
        return notes[key]

    def row(
        what: str,
        key: str,
        peer: Callable[[], object] | None,
        peer_name: str,
        target: float | None,
        extra: Callable[[], str] = str,
        peer_why: str = "",
    ) -> None:
        """Our ``check`` on ``cases[key]`` beside ``peer``, measured side by side."""
        if peer is None:
            rows.append(skip("hot", what, peer_why, target=target))
            return
        if kv is None:  # still show the peer's time
            try:
                alone: float | None = measure(peer, s)
            except Exception:
                alone = None
            rows.append(skip("hot", what, why, target=target, peer=alone))
            return

        def build() -> Row:
            ours, theirs = measure_side_by_side([call(key), peer], s)
            more = extra()
            return Row(
                "hot",
                what,
                ours=ours,
                peer=theirs,
                peer_name=peer_name,
                target=target,
                note="; ".join(x for x in (note(key), more) if x),
                profile=call(key),
            )

        rows.append(guarded("hot", what, build, target))

    def vs_peers(label: str, key: str, targets: dict[str, float]) -> None:
        body = cases[key][0]
        if sdk is not None:
            row(
                f"check() {label} vs {SDK_NAME}",
                key,
                sdk_call(sdk, body),
                SDK_NAME,
                targets.get("sdk"),
                lambda: "peer: " + sdk_outcome(sdk, body),
            )
        else:
            row(f"check() {label} vs {SDK_NAME}", key, None, "", targets.get("sdk"), str, sdk_why)
        row(
            f"check() {label} vs {PY_NAME}",
            key,
            (lambda: list(py_validator.iter_errors(body))) if py_validator else None,
            PY_NAME,
            targets.get("jsonschema"),
            lambda: f"peer: {len(list(py_validator.iter_errors(body)))} schema errors",
            py_why,
        )
        row(
            f"check() {label} vs {RS_NAME}",
            key,
            (lambda: rs_validator.is_valid(body)) if rs_validator else None,
            RS_NAME,
            targets.get("floor"),
            lambda: f"peer: is_valid={rs_validator.is_valid(body)}",
            rs_why,
        )

    def ours(key: str) -> Callable[[], object] | None:
        return call(key) if kv is not None else None

    # (a) the spec example
    vs_peers("example", "example", {"sdk": 1 / 4, "jsonschema": 1 / 25, "floor": 4.0})
    # (b) the large body with its 30 questions
    vs_peers("large+30q", "large", {"sdk": 1 / 3})
    row(
        "check() large: 30 questions vs none",
        "large",
        ours("large_nq"),
        "check() same body, no questions",
        1.5,
        lambda: "without: " + note("large_nq"),
        why,
    )
    compiled = getattr(kv, "Questions", None)
    if compiled is not None:
        try:
            cases["large_pre"] = (large, {"questions": compiled(questions)})
        except Exception as exc:
            rows.append(skip("hot", "check() large: Questions(raw) precompiled", repr(exc)))
        else:
            row(
                "check() large: precompiled Questions vs none",
                "large_pre",
                call("large_nq"),
                "check() same body, no questions",
                None,
                lambda: "Questions(raw) built once",
            )
            if sdk is not None:  # the hot-path form the README recommends, beside the SDK
                row(
                    f"check() large+30q precompiled vs {SDK_NAME}",
                    "large_pre",
                    sdk_call(sdk, large),
                    SDK_NAME,
                    None,
                    lambda: "Questions(raw) built once; peer: " + sdk_outcome(sdk, large),
                )
    # (c) the example plus a 2 MiB attachment
    import binascii

    data = bodies.attachment_data()
    decode: Any = binascii.a2b_base64  # strict_mode is new in 3.11 (typeshed for 3.10 lacks it)
    try:
        decode(data, strict_mode=True)
        a2b: Callable[[], object] = lambda: decode(data, strict_mode=True)  # noqa: E731
        a2b_note = "peer strict_mode=True"
    except TypeError:  # Python 3.10: no strict_mode
        a2b = lambda: decode(data)  # noqa: E731
        a2b_note = "peer without strict_mode (Python < 3.11)"
    row(
        "check() +2MiB attachment vs a2b_base64 strict",
        "big",
        a2b,
        "binascii.a2b_base64(data, strict_mode=True)",
        1 / 2,
        lambda: f"{a2b_note}; base64 {len(data) / 2**20:.2f} MiB",
    )
    vs_peers("+2MiB attachment", "big", {})
    # (d) an invalid body (3 domain defects), and one with 3 schema defects
    row(
        "check() invalid (3 defects) vs valid example",
        "bad",
        ours("example"),
        "check() on the spec example",
        2.5,
        lambda: _defects_note(call("bad")),
        why,
    )
    row(
        "check() 3 schema defects vs valid example",
        "schema_bad",
        ours("example"),
        "check() on the spec example",
        None,
        str,
        why,
    )
    vs_peers("invalid (3 defects)", "bad", {})
    # (e) other operations of Kombo's full document (issue 14): scripts/bench_ops.py
    import bench_ops

    rows.extend(bench_ops.operation_rows(s, kv, why, sys.modules[__name__]))
    return rows


def _defects_note(run: Callable[[], Any]) -> str:
    try:
        return expected_defects(run(), bodies.INVALID_DEFECTS)
    except Exception as exc:
        return f"check() raised {type(exc).__name__}"


# ----------------------------------------------------------------------------- rows: cold start


def cold_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    what = "cold start: import + check(EXAMPLE) vs SDK import + validate"
    if kv is None:
        return [skip("cold", what, why, target=1 / 2)]
    sdk, sdk_why = load_sdk()
    if sdk is None:
        return [skip("cold", what, sdk_why, target=1 / 2)]
    ex = repr(bodies.example())
    import bench_cold

    bench_cold.ensure_bytecode(ROOT / "kombo_validate")  # as installed: from bytecode
    ours_cmd = [sys.executable, "-c", f"import kombo_validate as k; k.check({ex})"]
    peer_cmd = [
        sys.executable,
        "-c",
        f"from kombo.models import {SDK_MODEL} as M; M.model_validate({ex})",
    ]
    env = sub_env()
    base, _ = median_run([sys.executable, "-c", "pass"], s.runs, env=env, cwd=ROOT)
    ours_t, ours_p = median_run(ours_cmd, s.runs, env=env, cwd=ROOT)
    peer_t, peer_p = median_run(peer_cmd, s.runs, env=env, cwd=ROOT)
    for proc, name in ((ours_p, "ours"), (peer_p, "SDK")):
        if proc.returncode != 0:
            reason = f"{name} exited {proc.returncode}: {tail(proc.stderr)}"
            return [skip("cold", what, reason, target=1 / 2)]
    row = Row(
        "cold",
        what,
        ours=ours_t,
        peer=peer_t,
        peer_name="python -c 'from kombo.models import ...; M.model_validate(EXAMPLE)'",
        target=1 / 2,
        note=f"median of {s.runs} runs; bare `python -c pass` {base * 1e3:.0f} ms",
    ).settle()
    if s.profile and row.status == "FAIL":
        row.profile_text = importtime_profile(ours_cmd[-1], env)
    return [row, *_startup_rows(s, env, ex)]


def _startup_rows(s: Settings, env: dict[str, str], ex: str) -> list[Row]:
    """import + check and ``lint one.json``, each against ``python -c pass``."""
    import bench_cold

    with tempfile.TemporaryDirectory(prefix="kombo-bench-") as tmp:
        one = Path(tmp) / "one.json"
        one.write_text(json.dumps(bodies.example(), indent=2) + "\n", encoding="utf-8")
        rows = bench_cold.startup_rows(s, env, ROOT, ex, one, Row, skip, tail)
    if s.profile:
        for row in rows:
            if row.status == "FAIL" and "import + check" in row.what:
                row.profile_text = importtime_profile(
                    f"import kombo_validate as k; k.check({ex})", env
                )
            elif row.status == "FAIL":
                row.profile_text = importtime_profile(
                    "import sys; from kombo_validate.cli import main; "
                    f"sys.exit(main(['lint', {str(one)!r}]))",
                    env,
                )
    return rows


def importtime_profile(code: str, env: dict[str, str], top: int = 25) -> str:
    """The slowest imports (self time) of ``python -X importtime -c code``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    entries = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = (part.strip() for part in line[12:].split("|", 2))
        entries.append((int(self_us), int(cumulative), name))
    entries.sort(reverse=True)
    total = sum(e[0] for e in entries)
    lines = [f"python -X importtime: {len(entries)} imports, {total / 1e3:.1f} ms self in total"]
    lines.append(f"{'self ms':>8} {'cum ms':>8}  module (top {top} by self time)")
    lines += [f"{a / 1e3:8.2f} {b / 1e3:8.2f}  {n}" for a, b, n in entries[:top]]
    return "\n".join(lines)


def cprofile_command(args: list[str], env: dict[str, str], cwd: Path, top: int = 30) -> str:
    """``python -m cProfile -s tottime ARGS``: the header and the top ``top`` rows."""
    proc = subprocess.run(
        [sys.executable, "-m", "cProfile", "-s", "tottime", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    out = proc.stdout.splitlines()
    start = next((i for i, ln in enumerate(out) if "function calls" in ln), None)
    if start is None:
        return f"cProfile run failed (exit {proc.returncode}): {tail(proc.stderr)}"
    head = next((i for i, ln in enumerate(out) if ln.lstrip().startswith("ncalls")), start)
    return "\n".join([out[start], *out[head : head + top + 1]])


# ----------------------------------------------------------------------------- rows: memory

_MEMORY_PROBE = r"""
import gc, json, resource, sys, tracemalloc
import bench_bodies as b
import kombo_validate as k

def status(field):
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None

def reset_hwm():
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False

k.check(b.example())                      # the default Validator; a cold start proves this
k.check(b.invalid_body())                 # from the cached proof: an invalid body builds the
                                          # rest (engine, plan, rules), before the baseline
body = b.attachment_body()
size = len(body["attachments"][-1]["data"])
gc.collect()
try:                                      # hand freed heap back, so reuse shows in RSS
    import ctypes
    ctypes.CDLL("libc.so.6").malloc_trim(0)
except (OSError, AttributeError):
    pass
if reset_hwm() and status("VmHWM") is not None:
    method = "VmHWM"
    base = status("VmRSS")
    report = k.check(body)
    rss_peak = status("VmHWM") - base
else:
    method = "ru_maxrss"
    scale = 1 if sys.platform == "darwin" else 1024
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    report = k.check(body)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale - base
ok = report.ok
del report
gc.collect()
tracemalloc.start()
report = k.check(body)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
where = []
if "--where" in sys.argv:                 # which calls allocate most (for --profile)
    del report
    gc.collect()
    stack, worst = [], {}

    def hook(frame, event, arg):
        if event == "c_call":
            stack.append(tracemalloc.get_traced_memory()[0])
            tracemalloc.reset_peak()
        elif event in ("c_return", "c_exception") and stack:
            grew = tracemalloc.get_traced_memory()[1] - stack.pop()
            name = getattr(arg, "__qualname__", repr(arg))
            site = f"{frame.f_code.co_filename}:{frame.f_lineno} {name}()"
            worst[site] = max(worst.get(site, 0), grew)

    tracemalloc.start()
    sys.setprofile(hook)
    report = k.check(body)
    sys.setprofile(None)
    tracemalloc.stop()
    where = sorted(([v, site] for site, v in worst.items()), reverse=True)[:10]
print(json.dumps({"size": size, "rss": rss_peak, "method": method, "traced": traced, "ok": ok,
                  "where": where}))
"""


def memory_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    what = "peak memory: check() + 2 MiB attachment vs base64 size"
    if kv is None:
        return [skip("memory", what, why, unit="B", target=3.0)]
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, *(["--where"] if s.profile else [])],
        capture_output=True,
        text=True,
        env=sub_env(),
        cwd=ROOT,
    )
    if proc.returncode != 0:
        reason = f"probe exited {proc.returncode}: {tail(proc.stderr)}"
        return [skip("memory", what, reason, "B", target=3.0)]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    peak = max(got["rss"], got["traced"])
    row = Row(
        "memory",
        what,
        unit="B",
        ours=peak,
        peer=got["size"],
        peer_name="len(base64 data)",
        target=3.0,
        note=(
            f"above baseline after imports+body: {got['method']} "
            f"{got['rss'] / 2**20:.2f} MiB, tracemalloc {got['traced'] / 2**20:.2f} MiB"
            f" (larger shown); ok={got['ok']}"
        ),
    ).settle()
    if got.get("where"):
        lines = ["peak traced memory during each C call, by call site (top 10):"]
        for size, place in got["where"]:
            lines.append(f"{size / 2**20:9.2f} MiB  {place}")
        row.profile_text = "\n".join(lines)
    return [row]


# ----------------------------------------------------------------------------- rows: CLI


def _batches(names: list[str], fixed: int) -> list[list[str]]:
    """Split argv so each command line stays well under ARG_MAX."""
    try:
        budget = os.sysconf("SC_ARG_MAX") // 2 - fixed
    except (ValueError, OSError, AttributeError):
        budget = 100_000
    batches: list[list[str]] = [[]]
    used = 0
    for name in names:
        cost = len(name) + 1 + 8  # the string, its NUL, the argv pointer
        if batches[-1] and used + cost > budget:
            batches.append([])
            used = 0
        batches[-1].append(name)
        used += cost
    return batches


def _timed_runs(cmds: list[list[str]], runs: int, **kw: Any) -> tuple[float, list[str]]:
    """Median over ``runs`` of the total wall time of ``cmds`` run in sequence."""
    problems: list[str] = []
    totals = []
    for _ in range(runs):
        start = time.perf_counter()
        for cmd in cmds:
            proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
            if proc.returncode != 0:
                problems.append(f"exit {proc.returncode}: {tail(proc.stderr or proc.stdout)}")
        totals.append(time.perf_counter() - start)
    return statistics.median(totals), problems


def _cli_sizes(s: Settings) -> tuple[tuple[int, float], ...]:
    """(fixtures, target) of the rows against check-jsonschema: 1,000 (≥ 5×) and 10,000
    (≥ 10×) in a full run, ``s.fixtures`` (≥ 5×) with ``--quick``."""
    if s.fixtures >= 10_000:
        return ((1_000, 5.0), (s.fixtures, 10.0))
    return ((s.fixtures, 5.0),)


def cli_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    import bench_cold

    def vs_peer(n: int) -> str:
        return f"lint {n:,} fixtures --quiet vs check-jsonschema (files/s)"

    def skipped(reason: str) -> list[Row]:
        rows = [
            skip("cli", vs_peer(n), reason, "files/s", target=t, higher_is_better=True)
            for n, t in _cli_sizes(s)
        ]
        what = "lint fixtures: --jobs 2 vs --jobs 1 (files/s)"
        return [*rows, skip("cli", what, reason, "files/s", target=1.7, higher_is_better=True)]

    if kv is None:
        return skipped(why)
    env = sub_env()
    bench_cold.ensure_bytecode(ROOT / "kombo_validate")
    lint = [sys.executable, "-m", "kombo_validate", "lint"]
    probe = subprocess.run([*lint, "--help"], capture_output=True, text=True, env=env, cwd=ROOT)
    if probe.returncode != 0:
        return skipped(
            f"CLI not available: lint --help exited {probe.returncode}: {tail(probe.stderr)}"
        )

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="kombo-bench-") as tmp:
        tmpdir = Path(tmp)
        for n, target in _cli_sizes(s):
            rows.append(_vs_check_jsonschema(s, env, tmpdir, lint, n, target, vs_peer(n)))
        rows.append(
            guarded(
                "cli",
                "lint fixtures: --jobs 2 vs --jobs 1 (files/s)",
                lambda: bench_cold.jobs_row(
                    s, env, tmpdir, bodies.write_fixtures, Row, skip, machine()["usable_cores"]
                ),
                1.7,
            )
        )
        rows.append(bench_cold.ceiling_row(s, env, Row))
    return rows


def _vs_check_jsonschema(
    s: Settings,
    env: dict[str, str],
    tmpdir: Path,
    lint: list[str],
    n: int,
    target: float,
    what: str,
) -> Row:
    """``lint N fixtures --quiet`` beside check-jsonschema on the same files (files/s)."""
    fixtures = tmpdir / f"fixtures-{n}"
    bodies.write_fixtures(fixtures, n)
    if importlib.util.find_spec("check_jsonschema") is None:
        return skip("cli", what, "check-jsonschema not installed", "files/s", target=target)
    ours, problems = _timed_runs(
        [[*lint, str(fixtures), "--quiet"]], s.cli_runs, env=env, cwd=tmpdir
    )
    schema_file = tmpdir / "schema.json"
    schema_file.write_text(json.dumps(bodies.request_schema()), encoding="utf-8")
    # The spec's date fields say format: date-time yet its own example sends a
    # date: the pattern wins (core issue), so the peer's date-time check is off.
    cj = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--disable-formats",
        "date-time",
        "--schemafile",
        str(schema_file),
    ]
    names = sorted(p.name for p in fixtures.iterdir())
    batches = _batches(names, sum(len(a) + 9 for a in cj))
    seconds, peer_problems = _timed_runs(
        [[*cj, *batch] for batch in batches], s.cli_runs, env=env, cwd=fixtures
    )
    note = f"ours {ours:.2f} s, check-jsonschema {seconds:.2f} s in {len(batches)} call(s)"
    if problems:
        note += f" (ours {problems[0]})"
    if peer_problems:
        note += f" (check-jsonschema {peer_problems[0]})"
    row = Row(
        "cli",
        what,
        unit="files/s",
        ours=n / ours,
        peer=n / seconds,
        peer_name="check-jsonschema --schemafile schema.json FILES",
        target=target,
        higher_is_better=True,
        note=note,
    ).settle()
    if s.profile and row.status == "FAIL":
        args = ["-m", "kombo_validate", "lint", str(fixtures), "--quiet"]
        row.profile_text = "lint --jobs default, main process only:\n" + cprofile_command(
            args, env, tmpdir
        )
    return row


# ----------------------------------------------------------------------------- rows: scaling

#: (label, sizes, body builder): each size is two (or four) times the one before it
SCALES: tuple[tuple[str, tuple[int, ...], Callable[[int], dict[str, Any]]], ...] = (
    ("schema errors", (5_000, 10_000, 20_000), lambda n: bodies.schema_errors_body(n)),
    ("unknown keys", (10_000, 40_000, 160_000), lambda n: bodies.unknown_keys_body(n)),
)


def _once(fn: Callable[[], object], runs: int, gc_on: bool = False) -> float:
    """The fastest of ``runs`` single calls, in CPU seconds of this process (a busy
    machine stretches wall times of seconds unevenly); without the cyclic gc unless
    ``gc_on`` (as every row here: a full collection costs the whole heap, not the call)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        if not gc_on:
            gc.disable()
        try:
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def scale_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    """``check()`` on n and 2n (or 4n) hostile items: linear is 2× per doubling (issue 15:
    quadratic steps took 28 s at 20k schema errors, 11 s at 40k unknown keys)."""
    rows: list[Row] = []
    runs = 3
    for label, sizes, build in SCALES:
        if kv is None:
            rows += [skip("scale", f"check() {label} {n:,}", why, target=2.2) for n in sizes[1:]]
            continue
        times: list[float] = []
        with_gc: list[float] = []
        for n in sizes:
            body = build(n)
            call = lambda body=body: kv.check(body)  # noqa: E731
            times.append(_once(call, runs))
            with_gc.append(_once(call, 1, gc_on=True))
        steps = zip(itertools.pairwise(sizes), itertools.pairwise(times), strict=True)
        for n, ((small, big), (t_small, t_big)) in enumerate(steps):
            doublings = (big // small).bit_length() - 1
            gc_ratio = (with_gc[n + 1] / with_gc[n]) ** (1 / doublings)
            rows.append(
                Row(
                    "scale",
                    f"check() {label} {big // 1000}k vs {small // 1000}k (per doubling)",
                    ours=t_big,
                    peer=t_small,
                    peer_name=f"check() {label} {small:,}",
                    target=2.2,
                    doublings=doublings,
                    note=f"CPU time, best of {runs}; with the gc on: {gc_ratio:.2f}× per doubling",
                ).settle()
            )
    return rows


def batch_rows(s: Settings, kv: Any, why: str) -> list[Row]:
    """NDJSON records through ``kombo_validate.batch`` on a Dask LocalCluster vs the loop."""
    n = 20_000 if s.fixtures < 10_000 else 200_000
    what = f"batch: {n:,} NDJSON records, Dask cluster (records/s)"
    if kv is None:
        return [skip("batch", what, why, unit="records/s")]
    if importlib.util.find_spec("distributed") is None:
        why = "dask[distributed] not installed (the dask extra)"
        return [skip("batch", what, why, unit="records/s")]
    import bench_batch

    got = bench_batch.measure(n)
    return [
        Row(
            "batch",
            what,
            unit="records/s",
            ours=n / got["cluster"],
            peer=n / got["sequential"],
            peer_name="the same records in a plain loop",
            higher_is_better=True,
            note=f"{got['workers']} worker processes, start-up excluded; outcomes {got['counts']}",
        ).settle()
    ]


# ----------------------------------------------------------------------------- output


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("files/s", "records/s"):
        return f"{value:,.0f}/s"
    if unit == "work/s":  # CPU-seconds done per wall second
        return f"{value:.2f}/s"
    if unit == "B":
        return f"{value / 2**20:.2f} MiB"
    if value < 1e-3:
        return f"{value * 1e6:.1f} µs"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    if ratio < 1:
        return f"{ratio:.3f} (1/{1 / ratio:.1f})"
    return f"{ratio:.2f}×"


def fmt_target(row: Row) -> str:
    if row.target is None:
        return "floor" if "floor" in row.what else "-"
    if row.higher_is_better:
        return f"≥ {row.target:g}×"
    if row.target < 1:
        return f"≤ 1/{1 / row.target:g}"
    return f"≤ {row.target:g}×"


def render(rows: list[Row]) -> str:
    header = ("#", "what", "ours", "peer", "ratio", "target", "result", "note")
    table = [header]
    for n, row in enumerate(rows, 1):
        table.append(
            (
                str(n),
                row.what,
                fmt_value(row.ours, row.unit),
                fmt_value(row.peer, row.unit),
                fmt_ratio(row.ratio),
                fmt_target(row),
                row.status,
                row.note,
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    lines = []
    for n, r in enumerate(table):
        cells = [r[i].ljust(widths[i]) for i in range(len(widths))]
        lines.append(" | ".join([*cells, r[-1]]).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 20)
    return "\n".join(lines)


def print_machine(info: dict[str, Any], s: Settings, quick: bool) -> None:
    print(f"machine: {info['cpu']}; {info['cores']} cores ({info['usable_cores']} usable)")
    print(f"python:  {info['python']} on {info['platform']}")
    print(f"load average at start: {info['load_average']} (1/5/15 min)")
    print("packages: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()))
    print(
        f"mode: {'quick' if quick else 'full'} — medians of {s.repeats} repeats "
        f"(≥ {s.min_time * 1e3:g} ms each), {s.runs} cold-start runs, "
        f"{s.fixtures} CLI fixtures × {s.cli_runs} runs"
    )
    print()


def profile_rows(rows: list[Row], top: int) -> None:
    import cProfile
    import pstats

    done: dict[int, int] = {}  # id(callable) -> the row it was profiled for
    for n, row in enumerate(rows, 1):
        if row.status != "FAIL":
            continue
        if row.profile is not None and id(row.profile) in done:
            print(f"\n=== profile of row {n}: the same call as row {done[id(row.profile)]} ===")
            continue
        if row.profile_text:
            print(f"\n=== profile of row {n} ({row.what}) ===")
            print(row.profile_text)
        if row.profile is None:
            continue
        fn = row.profile
        done[id(fn)] = n
        calls = max(1, int(0.5 / max(row.ours or 1e-6, 1e-6)))
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(calls):
            fn()
        prof.disable()
        print(f"\n=== profile of row {n} ({row.what}), {calls} calls, by tottime ===")
        pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (smoke test)")
    parser.add_argument("--json", metavar="FILE", help="also write machine + rows as JSON")
    parser.add_argument(
        "--only",
        metavar="GROUPS",
        help=f"comma-separated subset of {','.join(GROUPS)} (default: all)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the table, cProfile each in-process row that FAILs",
    )
    parser.add_argument("--top", type=int, default=20, help="functions per profile (20)")
    args = parser.parse_args(argv)

    groups = GROUPS
    if args.only:
        groups = tuple(g.strip() for g in args.only.split(",") if g.strip())
        unknown = set(groups) - set(GROUPS)
        if unknown:
            parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")

    s = Settings.for_mode(args.quick, args.profile)
    info = machine()
    print_machine(info, s, args.quick)
    kv, why = load_ours()
    rows: list[Row] = []
    runners: dict[str, Callable[[Settings, Any, str], list[Row]]] = {
        "hot": hot_rows,
        "cold": cold_rows,
        "memory": memory_rows,
        "cli": cli_rows,
        "scale": scale_rows,
        "batch": batch_rows,
    }
    for group in groups:
        try:
            rows.extend(runners[group](s, kv, why))
        except Exception as exc:  # one broken group must not hide the rest
            rows.append(skip(group, f"{group} rows", f"bench error: {type(exc).__name__}: {exc}"))
    print(render(rows))
    counts = {k: sum(r.status == k for r in rows) for k in ("PASS", "FAIL", "SKIP")}
    print(f"\n{counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['SKIP']} SKIP")
    print(f"load average at end: {_loadavg()} (1/5/15 min)")
    if args.json:
        payload = {"machine": info, "quick": args.quick, "rows": [r.to_dict() for r in rows]}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.profile:
        profile_rows(rows, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
