"""kombo_validate.batch: the sequential loop, Dask bags, and a real LocalCluster.

The cluster tests start two worker processes on 127.0.0.1 with no dashboard and
stop them at the end of the module; nothing listens beyond loopback, and nothing
connects beyond it: ``tests/loopback_guard.py`` refuses and records any such
connection in this process (the scheduler, the nannies, the client) and in each
worker (a preload), and every cluster test fails if one was tried.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import socket
import sys
import time
from typing import Any

import pytest

from kombo_validate import Validator, batch
from kombo_validate.spec import bundled_spec_path

from . import loopback_guard
from .helpers import minimal

EXAMPLE = Validator().operation.request_example


def _records() -> list[Any]:
    """A mix: valid, normalised, invalid, not JSON, as dicts, str and bytes."""
    out: list[Any] = []
    for i in range(40):
        kind = i % 5
        if kind == 0:
            out.append(minimal(first_name=f"Ada{i}"))
        elif kind == 1:
            out.append(json.dumps(minimal(location={"country": "Germany"})))
        elif kind == 2:
            out.append(minimal(email_address=f"nope{i}"))
        elif kind == 3:
            out.append(json.dumps(EXAMPLE).encode())
        else:
            out.append('{"candidate": ' if i % 2 else b"\xff\xfe")
    return out


def test_a_valid_record_is_ok_with_no_issues() -> None:
    assert batch.check_record(minimal()) == {"ok": True, "issues": []}


def test_an_invalid_record_names_the_path_and_code() -> None:
    result = batch.check_record(minimal(email_address="nope"))
    assert result["ok"] is False
    assert [(i["path"], i["code"]) for i in result["issues"]] == [
        ("/candidate/email_address", "email.invalid")
    ]


def test_json_text_and_bytes_are_parsed_and_normalised_with_wire() -> None:
    text = json.dumps(minimal(location={"country": "Germany"}))
    for record in (text, text.encode()):
        result = batch.check_record(record, wire=True)
        assert result["ok"] is True
        assert result["body"]["candidate"]["location"] == {"country": "DE"}
        assert [c["path"] for c in result["changes"]] == ["/candidate/location/country"]


def test_text_that_is_not_json_is_an_issue_not_an_exception() -> None:
    for record in ('{"candidate": ', b"\xff\xfe", "", "[" * 100_000):
        result = batch.check_record(record, wire=True)
        assert result["ok"] is False and result["body"] is None and result["changes"] == []
        [issue] = result["issues"]
        assert (issue["path"], issue["code"], issue["severity"]) == (
            "",
            "record.not_json",
            "error",
        )
        assert len(issue["message"]) < 200


def test_the_loop_keeps_input_order_and_never_mutates_records() -> None:
    records = _records()
    before = pickle.dumps(records)
    results = list(batch.check_records(records, wire=True))
    assert pickle.dumps(records) == before
    assert len(results) == len(records)
    for record, result in zip(records, results, strict=True):
        if isinstance(record, dict):
            assert result == batch.check_record(record, wire=True)
    assert [r["ok"] for r in results[:5]] == [True, True, False, True, False]


def test_shipped_pickles_as_its_recipe_and_is_built_once_per_process() -> None:
    v = Validator(bundled_spec_path())
    shipped = batch.Shipped(v)
    assert shipped.get() is v
    one, two = pickle.loads(pickle.dumps(shipped)), pickle.loads(pickle.dumps(shipped))
    assert one.digest == two.digest == shipped.digest
    assert one.get() is two.get()  # the same Validator, built once in this process
    assert one.get() is not v and one.get().operation.id == v.operation.id
    other = batch.Shipped(Validator(bundled_spec_path(), engine="python"))
    assert other.digest != shipped.digest


def test_check_bag_on_the_local_scheduler_equals_the_loop() -> None:
    db = pytest.importorskip("dask.bag")
    records = _records()
    bag = db.from_sequence(records, npartitions=7)
    got = batch.check_bag(bag, wire=True).compute(scheduler="sync")
    assert got == list(batch.check_records(records, wire=True))


# ------------------------------------------------------------------ a real cluster


def _slow(record: Any) -> Any:
    time.sleep(0.01)
    return record


async def _die() -> None:  # a coroutine: client.run(wait=False) takes only those
    os.kill(os.getpid(), signal.SIGKILL)


def _built() -> list[tuple[str, int]]:
    from kombo_validate import batch as b

    return [(k, id(v)) for k, v in b._built.items()]


#: distributed's settings that could reach beyond this machine, or serve it, pinned off
#: (a user's ~/.config/dask or DASK_* variables could turn them on): a preload may be an
#: http(s) URL, fetched with urllib as the scheduler, a nanny, a worker or the client
#: starts (``distributed.preloading``); the scheduler and each worker serve HTTP even
#: without a dashboard, and the scheduler's routes include ``distributed.http.proxy``,
#: which forwards requests to any host when jupyter-server-proxy is installed; ``jupyter``
#: would start a Jupyter server in the scheduler; NVML and cuDF probe for GPUs.
OFFLINE = {
    "distributed.scheduler.preload": [],
    "distributed.nanny.preload": [],
    "distributed.client.preload": [],
    "distributed.worker.preload": [loopback_guard.__file__],  # the guard, a local file
    "distributed.scheduler.http.routes": [],
    "distributed.worker.http.routes": [],
    "distributed.scheduler.jupyter": False,
    "distributed.diagnostics.nvml": False,
    "distributed.diagnostics.cudf": False,
}


def _worker_guard() -> tuple[bool, tuple[str, ...]]:
    import loopback_guard as guard  # the worker's preload, imported under its file name

    return guard.installed(), tuple(guard.attempts)


def _reach_out() -> str:
    """Try TEST-NET-1 (RFC 5737: never routed) from a worker: the guard must refuse it."""
    import loopback_guard as guard

    refused = "connected"
    with socket.socket() as sock:
        try:
            sock.connect(("192.0.2.1", 9))
        except PermissionError as exc:
            refused = str(exc)
    guard.attempts.clear()
    return refused


def _http_routes(dask_worker: Any = None, dask_scheduler: Any = None) -> list[str]:
    """The paths the server's HTTP application answers (its routes' patterns)."""
    app = (dask_worker or dask_scheduler).http_application
    return [rule.matcher.regex.pattern for rule in app.wildcard_router.rules]


@pytest.fixture(scope="module")
def cluster() -> Any:
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    import cloudpickle
    import dask.config

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    loopback_guard.install()
    try:
        with dask.config.set(OFFLINE):
            cluster = distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = distributed.Client(cluster)
            try:
                yield client
            finally:
                client.close()
                cluster.close()
    finally:
        loopback_guard.uninstall()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture
def client(cluster: Any) -> Any:
    """The module's cluster; after the test, no process of it tried to leave loopback."""
    yield cluster
    assert loopback_guard.attempts == []
    assert set(cluster.run(_worker_guard).values()) == {(True, ())}


def test_the_cluster_is_guarded_and_configured_offline(client: Any) -> None:
    import dask.config

    assert loopback_guard.installed()
    workers = client.run(_worker_guard)
    assert len(workers) == 2 and set(workers.values()) == {(True, ())}
    for key, value in OFFLINE.items():
        assert client.run(dask.config.get, key) == dict.fromkeys(workers, value), key
    # no HTTP route served, the scheduler's /proxy/<port>/<host>/ among them
    assert client.run_on_scheduler(_http_routes) == []
    assert client.run(_http_routes) == {worker: [] for worker in workers}
    refused = client.run(_reach_out)
    assert all("192.0.2.1" in why for why in refused.values())
    with pytest.raises(PermissionError):  # and here: the scheduler's and nannies' process
        socket.create_connection(("192.0.2.1", 9), timeout=1)
    assert loopback_guard.attempts == ["create_connection ('192.0.2.1', 9)"]
    loopback_guard.attempts.clear()


def test_two_worker_processes_give_the_loops_results_and_build_one_validator_each(
    client: Any,
) -> None:
    import dask.bag as db

    records = _records() * 5
    expected = list(batch.check_records(records, wire=True))
    bag = db.from_sequence(records, npartitions=12)
    assert batch.check_bag(bag, wire=True).compute() == expected
    first = client.run(_built)
    assert batch.check_bag(bag).compute() == [
        {"ok": r["ok"], "issues": r["issues"]} for r in expected
    ]
    # each worker built one Validator and reused it for every partition of both runs
    assert first == client.run(_built)
    assert all(len(built) == 1 for built in first.values())


def _runs(dask_scheduler: Any) -> tuple[list[str], dict[str, int], dict[str, str]]:
    """What the scheduler plugin ``kv-runs`` saw (``client.run_on_scheduler``)."""
    plugin = dask_scheduler.plugins["kv-runs"]
    return list(plugin.removed), dict(plugin.started), dict(plugin.done_on)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(client: Any) -> None:
    import dask.bag as db
    from distributed import as_completed, wait
    from distributed.diagnostics.plugin import SchedulerPlugin

    class Runs(SchedulerPlugin):
        """Workers removed; per task, how often it started and where it last finished."""

        name = "kv-runs"

        def __init__(self) -> None:
            self.removed: list[str] = []
            self.started: dict[str, int] = {}
            self.done_on: dict[str, str] = {}

        def remove_worker(self, scheduler: Any, worker: str, **kwargs: Any) -> None:
            self.removed.append(worker)

        def transition(self, key: Any, start: str, finish: str, *args: Any, **kw: Any) -> None:
            if finish == "processing":
                self.started[str(key)] = self.started.get(str(key), 0) + 1
            elif start == "processing" and finish == "memory":
                self.done_on[str(key)] = kw["worker"]

    client.register_plugin(Runs(), name="kv-runs")
    try:
        records = _records() * 10  # 400 records, 10 ms each: ~2 s of work on two workers
        expected = list(batch.check_records(records))
        bag = db.from_sequence(records, npartitions=20).map(_slow)
        futures = client.compute(batch.check_bag(bag).to_delayed())
        done = as_completed(futures)
        next(done)
        busy = {w: keys for w, keys in client.processing().items() if keys}
        assert busy, "the run ended before a worker could be killed"
        victim = sorted(busy)[0]
        client.run(_die, workers=[victim], wait=False)
        wait(futures, timeout=120)
        results = [record for part in client.gather(futures) for record in part]
        assert results == expected
        removed, started, done_on = client.run_on_scheduler(_runs)
    finally:
        client.unregister_scheduler_plugin("kv-runs")
    # the scheduler saw the worker die and ran again, elsewhere, what it held or was
    # running: the tasks busy on it when it was killed among them
    assert removed == [victim]
    retried = {key for key, runs in started.items() if runs > 1}
    assert {str(key) for key in busy[victim]} <= retried
    assert all(done_on[key] != victim for key in retried)
    # and a new worker (another address) took its place
    deadline = time.monotonic() + 30
    while victim in client.scheduler_info()["workers"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert victim not in client.scheduler_info()["workers"]
