"""The batch figures for ``bench.py``: NDJSON records through a Dask cluster vs a plain loop.

Both sides read the same NDJSON file and count the results by outcome (ok,
errors), so neither ships every result back: what a nightly audit of stored
payloads does. The cluster is a ``dask.distributed.LocalCluster`` of one worker
process per core on 127.0.0.1 with no dashboard; it is started before the timer
and closed after it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import bench_bodies as bodies


def write_records(path: Path, n: int) -> None:
    """``n`` NDJSON lines: the spec example, one in ten made invalid."""
    valid = json.dumps(bodies.example(), separators=(",", ":"))
    broken = bodies.example()
    broken["candidate"]["email_address"] = "not-an-email"
    invalid = json.dumps(broken, separators=(",", ":"))
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write((invalid if i % 10 == 9 else valid) + "\n")


def _outcome(result: dict[str, Any]) -> str:
    return "ok" if result["ok"] else "error"


def sequential(path: Path) -> tuple[float, Counter[str]]:
    from kombo_validate import Validator
    from kombo_validate.batch import check_records

    start = time.perf_counter()
    v = Validator()
    with path.open(encoding="utf-8") as lines:
        counts = Counter(_outcome(r) for r in check_records(lines, v))
    return time.perf_counter() - start, counts


def on_cluster(path: Path, workers: int) -> tuple[float, Counter[str]]:
    import dask.bag as db
    from distributed import Client, LocalCluster

    from kombo_validate import Validator
    from kombo_validate.batch import check_bag

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster):
            start = time.perf_counter()
            bag = db.read_text(str(path), blocksize=4_000_000)
            freq = check_bag(bag, Validator()).map(_outcome).frequencies().compute()
            seconds = time.perf_counter() - start
    finally:
        cluster.close()
    return seconds, Counter(dict(freq))


def measure(n: int) -> dict[str, Any]:
    """Seconds for ``n`` records both ways, and the worker count (one per usable core)."""
    workers = max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)
    with tempfile.TemporaryDirectory(prefix="kv-batch-") as tmp:
        path = Path(tmp) / "records.ndjson"
        write_records(path, n)
        seq, seq_counts = sequential(path)
        par, par_counts = on_cluster(path, workers)
    if seq_counts != par_counts:
        raise AssertionError(f"the cluster counted {par_counts}, the loop {seq_counts}")
    return {"sequential": seq, "cluster": par, "workers": workers, "counts": dict(seq_counts)}
