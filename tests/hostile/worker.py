"""``python -m tests.hostile.worker``: runs the hostile cases the harness sends, one at a time.

Protocol (JSON lines on the worker's original stdin/stdout, which are moved to
private descriptors so that nothing the library or a case prints can corrupt
them): the harness sends ``{"family": F, "index": I}``; the worker answers
``{"phase": "ready"}`` once the inputs are built and snapshotted (the case's clock
starts), ``{"phase": "done"}`` when the call returned or raised (it stops), then
``{"result": {...}}`` after the analysis. A CLI case also announces
``{"child": PID}`` so that the harness can stop that process group if it must
kill the worker.

During the call the address space is bounded (``RLIMIT_AS``: what the worker
holds now plus :data:`~.probes.MEMORY_BOUND`), and every socket connect, name lookup
and ``create_connection`` is recorded and refused (:mod:`.probes`). CLI cases run in a
forked child (:mod:`.clirun`).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import traceback
from typing import Any

from .clirun import run_cli
from .probes import NETWORK, Bounded, over_limit, refuse_network, snapshot, wire_problem

# --------------------------------------------------------------------------- the API kinds

_VALIDATORS: dict[str, Any] = {}


def validator(engine: str = "rust") -> Any:
    if engine not in _VALIDATORS:
        import kombo_validate

        _VALIDATORS[engine] = (
            kombo_validate.api.default_validator()
            if engine == "rust"
            else kombo_validate.Validator(engine=engine)
        )
    return _VALIDATORS[engine]


def _call(kind: str, spec: dict[str, Any]) -> tuple[Any, Any]:
    """The call a case of ``kind`` makes (returned as a thunk) and its default allowed errors."""
    import kombo_validate as kv

    body = spec.get("body")
    q, r = spec.get("questions"), spec.get("restrictions")
    ctx = ("ContextError",) if q is not None or r is not None else ()
    if kind == "spec":  # a hostile OpenAPI document (remote $refs, cycles, junk)
        return (lambda: kv.Validator(spec=spec["spec"], engine=spec.get("engine", "rust"))), (
            "SpecError",
        )
    if kind == "probe":  # the harness's self-test: any callable
        return spec["call"], ()
    if kind in ("check", "python"):
        v = validator("python" if kind == "python" else spec.get("engine", "rust"))
        return (lambda: v.check(body, questions=q, restrictions=r)), ctx
    if kind == "prepare":
        return (lambda: validator().prepare(body, questions=q, restrictions=r)), (
            "PayloadError",
            *ctx,
        )
    if kind == "request":
        job = spec.get("job_id", "8x3YKRDcuRnwShdh96ShBNn1")
        integ = spec.get("integration_id", "join:HWUTwvyx2wLoSUHphiWVrp28")
        return (
            lambda: kv.prepare_request(job, body, integration_id=integ, questions=q, restrictions=r)
        ), ("PayloadError", *ctx)
    if kind == "questions":

        def run_q() -> Any:
            qs = kv.Questions(q)
            return validator().check(body, questions=qs) if body is not None else qs

        return run_q, ("ContextError",)
    if kind == "restrictions":

        def run_r() -> Any:
            rs = kv.Restrictions(r)
            return validator().check(body, restrictions=rs) if body is not None else rs

        return run_r, ("ContextError",)
    raise ValueError(f"unknown kind {kind!r}")


def _messages(value: Any) -> list[str]:
    issues = getattr(value, "issues", None)
    if not isinstance(issues, list):
        return []
    return [i.message for i in issues]


def run_api(kind: str, spec: dict[str, Any], send: Any) -> dict[str, Any]:
    from kombo_validate import Report

    call, allowed = _call(kind, spec)
    if "allowed" in spec:
        allowed = tuple(spec["allowed"])
    roots = [spec.get(k) for k in ("body", "questions", "restrictions", "spec")]
    before = snapshot(*roots)
    res: dict[str, Any] = {}
    send({"phase": "ready"})
    value: Any = None
    raised: BaseException | None = None
    started = time.perf_counter()
    with Bounded():
        try:
            value = call()
        except MemoryError:
            res["over_memory"] = "MemoryError"
        except BaseException as exc:  # every escape is recorded, nothing is re-raised
            raised = exc
    res["call_seconds"] = round(time.perf_counter() - started, 4)
    send({"phase": "done"})
    if raised is not None:
        name = type(raised).__name__
        if name in allowed and type(raised).__module__.startswith("kombo_validate"):
            value = raised
        else:
            tb = traceback.extract_tb(raised.__traceback__)
            where = next((f for f in reversed(tb) if "kombo_validate" in f.filename), None)
            at = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
            res["exception"] = f"{name}{at}: {str(raised)[:200]}"
    if snapshot(*roots) != before:
        res["mutation"] = "the caller's input changed"
    try:
        res["over_limit"] = over_limit(_messages(value), list(spec.get("personal", ())))
        if isinstance(value, Report):
            report_dict = value.to_dict()
            json.dumps(report_dict["issues"], allow_nan=False)
            json.dumps(report_dict["changes"], allow_nan=True)
            if value.ok:
                res["wrong"] = wire_problem(value.body)
            elif value.body is not None:
                res["wrong"] = "a report with errors carries a body"
        elif isinstance(value, dict):
            res["wrong"] = wire_problem(value.get("json", value) if kind == "request" else value)
    except MemoryError:
        res["over_memory"] = "MemoryError (rendering the report)"
    except Exception as exc:
        res["exception"] = f"rendering the outcome: {type(exc).__name__}: {str(exc)[:200]}"
    return res


# --------------------------------------------------------------------------- threads


def _render(report: Any) -> Any:
    return (
        report.ok,
        [(i.path, i.code, i.severity, i.message) for i in report.issues],
        [(c.path, c.reason) for c in report.changes],
        json.dumps(report.body, ensure_ascii=True, allow_nan=True, default=repr),
    )


def run_threads(spec: dict[str, Any], send: Any) -> dict[str, Any]:
    v = spec.get("validator") or validator()
    bodies, q, r = spec["bodies"], spec.get("questions"), spec.get("restrictions")
    n = spec.get("threads", 16)
    before = snapshot(bodies, q, r)
    res: dict[str, Any] = {}
    send({"phase": "ready"})
    started = time.perf_counter()
    errors: list[str] = []
    got: dict[tuple[int, int], Any] = {}
    with Bounded():
        try:
            expected = [_render(v.check(b, questions=q, restrictions=r)) for b in bodies]
            start = threading.Barrier(n)

            def work(t: int) -> None:
                try:
                    start.wait()
                    for k in range(len(bodies)):
                        i = (k + t) % len(bodies)
                        got[t, i] = _render(v.check(bodies[i], questions=q, restrictions=r))
                except BaseException as exc:
                    errors.append(f"thread {t}: {type(exc).__name__}: {str(exc)[:200]}")

            threads = [threading.Thread(target=work, args=(t,)) for t in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        except MemoryError:
            res["over_memory"] = "MemoryError"
            expected = []
        except BaseException as exc:
            errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            expected = []
    res["call_seconds"] = round(time.perf_counter() - started, 4)
    send({"phase": "done"})
    if errors:
        res["exception"] = errors[0]
    for (t, i), rendered in sorted(got.items()):
        if expected and rendered != expected[i]:
            res["wrong"] = f"thread {t} body {i}: the report differs from the sequential one"
            break
    if snapshot(bodies, q, r) != before:
        res["mutation"] = "the caller's input changed"
    return res


# --------------------------------------------------------------------------- main


def _cases(family: str) -> list[Any]:
    from . import family_cases

    return family_cases(family)


def main() -> None:
    # the protocol gets private descriptors; 0 reads nothing, 1 goes where 2 goes
    proto_in, proto_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    reader = os.fdopen(proto_in, "rb")
    writer = os.fdopen(proto_out, "wb", buffering=0)

    def send(msg: dict[str, Any]) -> None:
        writer.write(json.dumps(msg).encode() + b"\n")

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    import kombo_validate as kv
    import kombo_validate.cli

    kv.check({"candidate": {}})  # the default Validator, built before any clock runs
    kv.Questions([]), kv.Restrictions(None)
    refuse_network()
    send({"hello": os.getpid()})
    for line in reader:
        msg = json.loads(line)
        case = _cases(msg["family"])[msg["index"]]
        NETWORK.clear()
        try:
            if case.kind == "cli":
                res = run_cli(case, send, (proto_in, proto_out))
            elif case.kind == "threads":
                res = run_threads(case.make(), send)
            else:
                res = run_api(case.kind, case.make(), send)
        except MemoryError:
            res = {"over_memory": "MemoryError (harness)"}
        except Exception as exc:  # the case's own builder failed: a harness bug, say so
            res = {"harness": f"{type(exc).__name__}: {exc}"[:300]}
        if NETWORK:
            res["network"] = NETWORK[:5]
        send({"result": {k: v for k, v in res.items() if v}})


if __name__ == "__main__":
    main()
